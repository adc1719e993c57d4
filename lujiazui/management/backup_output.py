"""The output of the backup commands: a line per step, and on a terminal a progress bar."""

from django.core.management.base import BaseCommand

from lujiazui.management.progress import progress_bar


class BackupOutput:
    """Step lines always (the log of a run from cron); on a terminal also a bar, ended before
    the next line is written."""

    def __init__(self, command: BaseCommand) -> None:
        self.stdout = command.stdout
        self.bar_open = False
        self.progress = self._progress if self.stdout.isatty() else None

    def say(self, message: str) -> None:
        self.end_bar()
        self.stdout.write(message)

    def end_bar(self) -> None:
        if self.bar_open:
            self.stdout.write("")
            self.bar_open = False

    def _progress(self, done: int, total: int) -> None:
        progress_bar(self.stdout, total)(done)
        self.bar_open = True
