"""Writes of record. Views, the admin and commands all go through these functions."""

from governance.services.cases import (
    case_add_update,
    case_attach,
    case_change_due_date,
    case_create,
    case_edit,
    case_follow_up,
    case_set_parties,
    case_transition,
)
from governance.services.open311 import api_client_create, open311_request_create
from governance.services.posts import (
    organization_create,
    person_create,
    person_update,
    post_create,
    post_end,
)

__all__ = [
    "api_client_create",
    "case_add_update",
    "case_attach",
    "case_change_due_date",
    "case_create",
    "case_edit",
    "case_follow_up",
    "case_set_parties",
    "case_transition",
    "open311_request_create",
    "organization_create",
    "person_create",
    "person_update",
    "post_create",
    "post_end",
]
