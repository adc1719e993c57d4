"""A case's page: the case with its parties, updates, attachments, follow-ups and history, the
forms of the steps the user may take; and its attachments, served privately."""

from django.contrib.auth.decorators import login_required
from django.db.models import Exists, F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from governance.case_history import case_history
from governance.forms import (
    AttachmentForm,
    CasePartiesForm,
    CaseTransitionForm,
    CaseUpdateForm,
    DueDateForm,
    FollowUpForm,
)
from governance.models import Case, CaseStatus, CaseUpdate, Organization, PartyRole
from governance.permissions import case_scope
from governance.views.cases.lookup import case_or_404
from governance.widgets import form_fields
from residents.models import BuildingGroup, Compound, User

# What a case's page reads joined to the case (its area's street by the area's street_id only).
# Its compound, building group, recorder and original are named by scalar subqueries instead
# (case_page_names): on PostgreSQL each further join multiplies the orders the planner weighs,
# and seven joins took 3.4 ms to plan against 0.4 ms for three, on every request.
CASE_PAGE_RELATED = ("area", "category", "indicator")
# The columns a case's page reads: every column of the case, the names of what it refers to.
CASE_PAGE_FIELDS = (
    *(field.name for field in Case._meta.concrete_fields),
    "area__name",
    "area__slug",
    "area__street_id",
    "category__name",
    "category__name_en",
    "category__checklist",
    "category__lead_kind",
    "category__assisting_kinds",
)


def case_page_names() -> dict[str, Subquery]:
    """The names a case's page shows of what the case refers to beyond CASE_PAGE_RELATED, as
    annotations: ``compound_name``, ``building_group_name``, ``logged_by_name`` (the short
    name, else the login) and ``duplicate_number`` (the original's number)."""

    def name_of(model, key: str, name) -> Subquery:
        rows = model.objects.filter(pk=OuterRef(key)).order_by()
        return Subquery(rows.values(value=name))

    return {
        "compound_name": name_of(Compound, "compound_id", F("name")),
        "building_group_name": name_of(BuildingGroup, "building_group_id", F("name")),
        "logged_by_name": name_of(
            User, "logged_by_id", Coalesce(NullIf("first_name", Value("")), "username")
        ),
        "duplicate_number": name_of(Case, "duplicate_of_id", F("number")),
    }


# A user named on a case's page: by their short name, else their login.
USER_NAME_FIELDS = ("username", "first_name")
ATTACHMENT_FIELDS = ("case_id", "kind", "content_type", "created_at")
UPDATE_FIELDS = tuple(field.name for field in CaseUpdate._meta.concrete_fields)


@login_required
def case_detail(request: HttpRequest, number: str) -> HttpResponse:
    scope = case_scope(request)
    # The original of a duplicate is shown by its number only: that, not the whole case; the
    # related rows with the columns the page shows.
    case = get_object_or_404(
        scope.cases(due_date_right=True)
        .select_related(*CASE_PAGE_RELATED)
        .only(*CASE_PAGE_FIELDS)
        .annotate(**case_page_names()),
        number=number,
    )
    user = request.user
    # The case's parties in their organisations' order (the acting party's choices), each
    # marked when the user holds a post in it (the acting party it starts with).
    party_rows = (
        case.parties.select_related("organization")
        .only("case_id", "role", "organization__name")
        .order_by(*(f"organization__{name}" for name in Organization._meta.ordering))
    )
    if user.person_id:
        held = Organization.objects.held_by(user).filter(pk=OuterRef("organization"))
        party_rows = party_rows.annotate(held=Exists(held))
    party_rows = list(party_rows)
    for party in party_rows:
        party.organization.held = getattr(party, "held", False)
    parties = sorted(
        party_rows, key=lambda party: (party.role != PartyRole.LEAD, party.organization.name)
    )
    rights = scope.rights(case)
    can_manage = rights.manage
    transitions = [CaseStatus(to) for to in case.allowed_transitions() if rights.may_transition(to)]
    # One primary action: the first step forward; reopening is secondary, rejecting a danger
    # behind a disclosure.
    forward = [to for to in transitions if to not in (CaseStatus.REJECTED, CaseStatus.REOPENED)]
    party_form = None
    if can_manage:
        if parties:
            lead = next((p.organization for p in parties if p.role == PartyRole.LEAD), None)
            assisting = [p.organization for p in parties if p.role == PartyRole.ASSISTING]
        else:
            lead, assisting = case.category.suggested_parties(case.area)
        party_form = CasePartiesForm(case=case, initial={"lead": lead, "assisting": assisting})
    follow_up_form = FollowUpForm() if can_manage and case.awaits_follow_up else None
    update_form = CaseUpdateForm(
        case=case, actor=user, parties=[party.organization for party in party_rows]
    )
    # Listed, and in the history with their uploaders.
    attachments = list(
        case.attachments.select_related("uploaded_by")
        .only(*ATTACHMENT_FIELDS, *(f"uploaded_by__{name}" for name in USER_NAME_FIELDS))
        .order_by("created_at", "pk")
    )
    # The forms' fields are written in Python (governance.widgets.form_fields), not through the
    # template includes/form_fields.html, whose markup they repeat.
    return render(
        request,
        "governance/case_detail.html",
        {
            "case": case,
            "parties": parties,
            "updates": list(
                case.updates.select_related("author", "party")
                .only(
                    *UPDATE_FIELDS,
                    *(f"author__{name}" for name in USER_NAME_FIELDS),
                    "party__name",
                )
                .order_by("created_at", "pk")
            ),
            "attachments": attachments,
            "follow_ups": list(
                case.follow_ups.only("case_id", "satisfaction", "comment", "created_at").order_by(
                    "created_at", "pk"
                )
            ),
            "history": case_history(case, attachments),
            "transitions": [to for to in transitions if to != CaseStatus.REJECTED],
            "primary_transition": forward[0] if forward else None,
            "transition_url": reverse("governance:case_transition", args=[case.number]),
            "can_reject": CaseStatus.REJECTED in transitions,
            "can_manage": can_manage,
            "can_change_due_date": rights.change_due_date,
            "closure_reasons": CaseTransitionForm.base_fields["closure_reason"].choices,
            "party_form": party_form,
            "party_fields": form_fields(party_form) if party_form else "",
            "update_fields": form_fields(update_form),
            "attachment_fields": form_fields(AttachmentForm(auto_id="attachment_%s")),
            "follow_up_form": follow_up_form,
            "follow_up_fields": form_fields(follow_up_form) if follow_up_form else "",
            "due_date_fields": (
                form_fields(DueDateForm(initial={"due_date": case.due_date}))
                if rights.change_due_date
                else ""
            ),
            # The category's own: in their titles' order.
            "reply_templates": list(case.category.reply_templates.order_by("title", "pk")),
        },
    )


@login_required
def case_attachment(request: HttpRequest, number: str, pk: int) -> FileResponse:
    case = case_or_404(request, number)
    attachment = get_object_or_404(case.attachments, pk=pk)
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=not attachment.is_image,
        filename=attachment.download_name,
    )
    response["Cache-Control"] = "private, no-store"
    return response
