"""The case views, one module per subject: the workbench, a case's page, the writes on a case;
``lookup`` fetches the case a URL names for the last two."""

from governance.views.cases.page import case_attachment, case_detail
from governance.views.cases.workbench import case_list
from governance.views.cases.writes import (
    case_attachment_upload,
    case_create,
    case_due_date,
    case_edit,
    case_follow_up,
    case_parties,
    case_transition,
    case_update,
)

__all__ = [
    "case_attachment",
    "case_attachment_upload",
    "case_create",
    "case_detail",
    "case_due_date",
    "case_edit",
    "case_follow_up",
    "case_list",
    "case_parties",
    "case_transition",
    "case_update",
]
