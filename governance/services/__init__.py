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
from governance.services.organizations import (
    agreement_create,
    agreement_update,
    organization_create,
    organization_update,
)
from governance.services.posts import (
    person_create,
    person_update,
    post_create,
    post_end,
    post_update,
)

__all__ = [
    "agreement_create",
    "agreement_update",
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
    "organization_update",
    "person_create",
    "person_update",
    "post_create",
    "post_end",
    "post_update",
]
