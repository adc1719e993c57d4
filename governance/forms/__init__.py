"""Governance's forms, one module per subject: cases, organizations, roster, reports; fields
holds what several share.

Import a form from its subject's module. The names below are re-exported only until
governance/views imports from the subject modules too; nothing else may use them."""

from governance.forms.cases import (
    AttachmentForm,
    CaseEditForm,
    CaseForm,
    CasePartiesForm,
    CaseTransitionForm,
    CaseUpdateForm,
    DueDateForm,
    FollowUpForm,
    merge_stale_edit,
)
from governance.forms.organizations import PersonForm, PostEndForm, PostForm
from governance.forms.reports import AreaChoiceForm, DashboardForm
from governance.forms.roster import RosterImportForm

__all__ = [
    "AreaChoiceForm",
    "AttachmentForm",
    "CaseEditForm",
    "CaseForm",
    "CasePartiesForm",
    "CaseTransitionForm",
    "CaseUpdateForm",
    "DashboardForm",
    "DueDateForm",
    "FollowUpForm",
    "PersonForm",
    "PostEndForm",
    "PostForm",
    "RosterImportForm",
    "merge_stale_edit",
]
