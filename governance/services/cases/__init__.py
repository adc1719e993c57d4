"""Writes of record on cases, one module per subject: logging a case (``intake``), editing it
and its due date (``editing``), its status and follow-up (``transitions``), its parties and their
updates (``parties``), its attachments. Every change goes through one of these, in one
transaction; ``locking`` takes the case's row."""

from governance.services.cases.attachments import case_attach
from governance.services.cases.editing import (
    EDITABLE_FIELDS,
    EditConflict,
    case_change_due_date,
    case_edit,
)
from governance.services.cases.intake import case_create
from governance.services.cases.parties import case_add_update, case_set_parties
from governance.services.cases.transitions import case_follow_up, case_transition

__all__ = [
    "EDITABLE_FIELDS",
    "EditConflict",
    "case_add_update",
    "case_attach",
    "case_change_due_date",
    "case_create",
    "case_edit",
    "case_follow_up",
    "case_set_parties",
    "case_transition",
]
