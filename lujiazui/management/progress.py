"""The progress bar of the management commands that work through many rows."""

from django.core.management.base import OutputWrapper

BAR_WIDTH = 30


def progress_bar(stdout: OutputWrapper, total: int):
    """A function to call with the number done so far: it redraws ``[####....] done/total`` on
    one line (end it with an empty ``stdout.write("")``)."""

    def show(done: int) -> None:
        filled = BAR_WIDTH * done // total if total else BAR_WIDTH
        stdout.write(f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total}", ending="")
        stdout.flush()

    return show
