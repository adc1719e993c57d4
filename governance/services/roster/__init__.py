"""Importing a roster of organisations and posts: its rows (``rows``), and the queued runs of an
uploaded roster in the background (``background``)."""

from governance.services.roster.background import roster_import_queue, roster_import_run
from governance.services.roster.rows import RosterResult, RowProblem, roster_import

__all__ = [
    "RosterResult",
    "RowProblem",
    "roster_import",
    "roster_import_queue",
    "roster_import_run",
]
