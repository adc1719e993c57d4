"""What the backup commands share: their progress display and their error."""

from django.core.management.base import BaseCommand

from lujiazui.management.progress import progress_bar


def progress_for(command: BaseCommand):
    """A bar redrawn on a terminal (ended when it is full); nothing when run from cron, where
    the commands' step lines are the log."""
    if not command.stdout.isatty():
        return None

    def show(done: int, total: int) -> None:
        progress_bar(command.stdout, total)(done)
        if done >= total:
            command.stdout.write("")

    return show
