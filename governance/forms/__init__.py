"""Governance's forms, one module per subject: cases, organisations and people, the roster, the
choice of an area; ``fields`` holds the fields and widgets several share."""

from governance.forms.areas import AreaChoiceForm
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
from governance.forms.fields import DateInput, IdsField, KeptIdsField, KeptModelChoiceField
from governance.forms.organizations import PersonForm, PostEndForm, PostForm
from governance.forms.roster import RosterImportForm

__all__ = [
    "AreaChoiceForm",
    "AttachmentForm",
    "CaseEditForm",
    "CaseForm",
    "CasePartiesForm",
    "CaseTransitionForm",
    "CaseUpdateForm",
    "DateInput",
    "DueDateForm",
    "FollowUpForm",
    "IdsField",
    "KeptIdsField",
    "KeptModelChoiceField",
    "PersonForm",
    "PostEndForm",
    "PostForm",
    "RosterImportForm",
    "merge_stale_edit",
]
