"""The case workbench and a case's page: every change goes through governance.services."""

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Exists, F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from caching.values import cached
from governance import services
from governance.case_history import case_history
from governance.filters import COUNT_CAP, CaseFilter
from governance.forms import (
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
from governance.models import Case, CaseStatus, CaseUpdate, Organization, PartyRole, Priority
from governance.pagination import DepthCappedPaginator
from governance.permissions import (
    can_manage_case,
    case_scope,
    keeps_records,
)
from governance.scope import scope_fingerprint
from governance.services.cases import EDITABLE_FIELDS, EditConflict
from governance.views.steps import run_step
from governance.widgets import conditional_escape as escape
from governance.widgets import form_fields
from residents.models import BuildingGroup, Compound, User

PAGE_SIZE = 25
# The workbench pages through the first 5,000 cases of an order: deeper pages cost in proportion
# to their depth, and filters or the other sort order reach any case sooner.
MAX_PAGES = 200


# What a case's page and its steps read with the case, in its query.
CASE_RELATED = (
    "area__street",
    "category",
    "compound",
    "building_group",
    "indicator",
    "logged_by",
)


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


def _case_or_404(request: HttpRequest, number: str) -> Case:
    return get_object_or_404(
        case_scope(request).cases().select_related(*CASE_RELATED, "duplicate_of"), number=number
    )


@dataclass(frozen=True)
class CaseRow:
    """A row of the workbench, worked out in the view and written in Python (``html``): its
    labels translated once a page, its address from one ``reverse()``."""

    url: str
    number: str
    title: str
    status: str
    status_label: str
    overdue: bool
    pressing: bool
    priority_label: str
    area: str
    compound: str | None
    category: str
    due: str
    lead: str | None
    words: "RowWords"

    @classmethod
    def rows(cls, cases: Iterable[Case]) -> list["CaseRow"]:
        """The rows of cases read with ``with_list_data()``; each label is translated once."""
        today = timezone.localdate()
        statuses = {value: str(label) for value, label in CaseStatus.choices}
        priorities = {value: str(label) for value, label in Priority.choices}
        words = RowWords.now()
        # Case numbers are letters, digits and hyphens: quoted as reverse() quotes them.
        address = reverse("governance:case_detail", kwargs={"number": "-"})
        prefix, _dash, suffix = address.rpartition("-")
        categories: dict[int, str] = {}
        rows = []
        for case in cases:
            if case.category_id not in categories:
                categories[case.category_id] = str(case.category)
            rows.append(
                cls(
                    url=f"{prefix}{quote(case.number, safe=RFC3986_SUBDELIMS + '/~:@')}{suffix}",
                    number=case.number,
                    title=case.title,
                    status=case.status,
                    status_label=statuses.get(case.status, case.status),
                    overdue=case.is_overdue(today),
                    pressing=case.is_pressing,
                    priority_label=priorities.get(case.priority, str(case.priority)),
                    area=case.area.short_name,
                    compound=case.compound.name if case.compound_id else None,
                    category=categories[case.category_id],
                    due=case.due_date.isoformat(),
                    lead=case.lead_name,
                    words=words,
                )
            )
        return rows

    def html(self) -> SafeString:
        """The row's markup, as the workbench's template wrote it, every value escaped."""
        words = self.words
        overdue = (
            f'<span class="badge badge--term-expired">{words.overdue}</span>'
            if self.overdue
            else ""
        )
        pressing = (
            f'<span class="badge badge--warn">{escape(self.priority_label)}</span>'
            if self.pressing
            else ""
        )
        compound = f" · {escape(self.compound)}" if self.compound is not None else ""
        lead = f" · {words.lead}{words.colon}{escape(self.lead)}" if self.lead else ""
        return mark_safe(  # noqa: S308  (every value is escaped)
            f'\n  <li class="case-row{" case-row--overdue" if self.overdue else ""}">\n'
            f'    <p class="case-row__head"><a href="{escape(self.url)}"><span class="case-number">'
            f"{escape(self.number)}</span> {escape(self.title)}</a></p>\n"
            f'    <p class="case-row__meta">\n'
            f'      <span class="status status--{escape(self.status)}">'
            f"{escape(self.status_label)}</span>\n"
            f"      {overdue}\n"
            f"      {pressing}\n"
            f"      {escape(self.area)}{compound} · {escape(self.category)}\n"
            f"      · {words.due} {escape(self.due)}\n"
            f"      {lead}\n"
            "    </p>\n"
            "  </li>\n  "
        )


@dataclass(frozen=True)
class RowWords:
    """The words every workbench row repeats, translated and escaped once a page."""

    overdue: str
    due: str
    lead: str
    colon: str

    @classmethod
    def now(cls) -> "RowWords":
        return cls(
            overdue=escape(_("overdue")),
            due=escape(_("due")),
            lead=escape(_("lead")),
            colon=escape(pgettext("between a label and its value", ": ")),
        )


class WorkbenchPaginator(DepthCappedPaginator):
    """The workbench's pages. The first is read in one query, in the list's order with no row
    to skip; a later page's ids first (an index-only scan past the skipped rows), then its rows
    by their ids alone, in the ids' order: the ids come from the scoped, filtered list, so the
    rows' query repeats neither the scope nor the filters (the text search's four conditions
    above all)."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        if bottom == 0:
            return self._get_page(list(self.object_list.with_list_data()[:top]), number, self)
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        position = {pk: index for index, pk in enumerate(ids)}
        rows = sorted(
            Case.objects.filter(pk__in=ids).order_by().with_list_data(),
            key=lambda case: position[case.pk],
        )
        return self._get_page(rows, number, self)


def _case_results(request: HttpRequest) -> str:
    """The workbench below its buttons, rendered: the status counts, the filters, the cases of
    the page and the pages. It reads the user and the query string only."""
    scope = case_scope(request)
    case_filter = CaseFilter(request.GET, queryset=scope.cases(), request=request)
    rows = case_filter.qs
    found, exact = case_filter.status_counts(scope)
    counts = {status: found.get(status, 0) for status in CaseStatus.values}
    selected = case_filter.form.cleaned_data.get("status") if case_filter.is_valid() else None
    if exact or not selected:
        total = counts[selected] if selected else sum(counts.values())
    else:
        # The sample counted the statuses of the first matches only: count this status's own.
        total = rows.order_by()[: COUNT_CAP + 1].count()
    total = min(total, COUNT_CAP) if not exact else total
    paginator = WorkbenchPaginator(rows, PAGE_SIZE, count=total, max_pages=MAX_PAGES)
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = CaseRow.rows(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    status_query = query.copy()
    status_query.pop("status", None)
    context = {
        "filter": case_filter,
        "filter_form": form_fields(case_filter.form, filters=True),
        "page_obj": page,
        "total": total,
        "beyond_cap": paginator.beyond(request.GET.get("page")),
        "status_counts": [(CaseStatus(s), n) for s, n in counts.items()],
        "counts_exact": exact,
        "count_cap": COUNT_CAP,
        "selected_status": selected,
        "filter_query": query.urlencode(),
        "status_query": status_query.urlencode(),
    }
    return render_to_string("governance/case_list.html#results", context, request)


# What the workbench's list shows: a write to any of these renews every user's kept list.
CASE_LIST_SHOWS = (
    "governance.Case",
    "governance.CaseParty",
    "governance.CaseUpdate",
    "governance.CaseCount",
    "governance.Category",
    "governance.Organization",
    "governance.Post",
    "residents.Street",
    "residents.ResidentialArea",
    "residents.Compound",
    "residents.BuildingGroup",
)


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    # The list is kept per scope (governance.scope: a change of the user's person, posts,
    # areas or groups gives another key), language and query, until a case or the structure
    # changes, or midnight (cases fall overdue).
    results = cached(
        "case-list",
        parts=lambda: [
            scope_fingerprint(request.user),
            get_language(),
            repr(sorted(request.GET.lists())),
        ],
        depends_on=CASE_LIST_SHOWS,
        compute=lambda: str(_case_results(request)),
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "governance/case_list.html",
        # Rendered by _case_results from the template, escaped there.
        {"results": mark_safe(results), "filter_query": query.urlencode()},  # noqa: S308
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_create(request: HttpRequest) -> HttpResponse:
    if not keeps_records(request.user):
        raise Http404
    form = CaseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "not_a_duplicate"}
        try:
            case = services.case_create(actor=request.user, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Case %(number)s logged.") % {"number": case.number})
            return redirect(case)
    return render(request, "governance/case_form.html", {"form": form})


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


def _display_value(case: Case, name: str) -> str:
    display = getattr(case, f"get_{name}_display", None)
    value = display() if display else getattr(case, name)
    return "—" if value in (None, "") else str(value)


@login_required
@require_POST
def case_transition(request: HttpRequest, number: str) -> HttpResponse:
    case = _case_or_404(request, number)

    def act(data: dict) -> str:
        duplicate_of = None
        if data["duplicate_of"]:
            duplicate_of = (
                Case.objects.visible_to(request.user)
                .filter(number=data["duplicate_of"].strip())
                .first()
            )
        moved = services.case_transition(
            case=case,
            to=data["to"],
            actor=request.user,
            note=data["note"],
            closure_reason=data["closure_reason"],
            duplicate_of=duplicate_of,
        )
        return _("The case is now %(status)s.") % {"status": CaseStatus(moved.status).label}

    return run_step(request, case, CaseTransitionForm(request.POST), act)


@login_required
@require_POST
def case_parties(request: HttpRequest, number: str) -> HttpResponse:
    case = _case_or_404(request, number)

    def act(data: dict) -> str:
        services.case_set_parties(
            case=case, actor=request.user, lead=data["lead"], assisting=list(data["assisting"])
        )
        return _("Parties saved.")

    return run_step(request, case, CasePartiesForm(request.POST, case=case), act)


@login_required
@require_POST
def case_update(request: HttpRequest, number: str) -> HttpResponse:
    case = _case_or_404(request, number)

    def act(data: dict) -> str:
        services.case_add_update(case=case, actor=request.user, **data)
        return _("Update added.")

    return run_step(request, case, CaseUpdateForm(request.POST, case=case), act)


@login_required
@require_POST
def case_attachment_upload(request: HttpRequest, number: str) -> HttpResponse:
    case = _case_or_404(request, number)

    def act(data: dict) -> str:
        services.case_attach(case=case, actor=request.user, upload=data["file"], kind=data["kind"])
        return _("File attached.")

    return run_step(request, case, AttachmentForm(request.POST, request.FILES), act)


@login_required
def case_attachment(request: HttpRequest, number: str, pk: int) -> FileResponse:
    case = _case_or_404(request, number)
    attachment = get_object_or_404(case.attachments, pk=pk)
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=not attachment.is_image,
        filename=attachment.download_name,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def case_follow_up(request: HttpRequest, number: str) -> HttpResponse:
    case = _case_or_404(request, number)

    def act(data: dict) -> str:
        services.case_follow_up(case=case, actor=request.user, **data)
        return _("Follow-up recorded.")

    return run_step(request, case, FollowUpForm(request.POST), act)


@login_required
@require_POST
def case_due_date(request: HttpRequest, number: str) -> HttpResponse:
    case = _case_or_404(request, number)

    def act(data: dict) -> str:
        services.case_change_due_date(case=case, actor=request.user, **data)
        return _("Due date changed.")

    return run_step(request, case, DueDateForm(request.POST), act)


@login_required
@require_http_methods(["GET", "POST"])
def case_edit(request: HttpRequest, number: str) -> HttpResponse:
    case = _case_or_404(request, number)
    if not can_manage_case(request.user, case):
        raise Http404
    form = CaseEditForm(request.POST or None, instance=case)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.case_edit(
                case=case,
                actor=request.user,
                version=data["version"],
                title=data["title"],
                description=data["description"],
                category=data["category"],
                compound=data["compound"],
                building_group=data["building_group"],
                location=data["location"],
                channel=data["channel"],
                priority=data["priority"],
                reporter_name=data["reporter_name"],
                reporter_phone=data["reporter_phone"],
                indicator=data["indicator"],
            )
        except EditConflict as error:
            # Neither change is lost: the form comes back with this user's changes merged into
            # what is saved now, the clashing fields marked, to be checked and saved again.
            conflict = Case.objects.get(pk=case.pk)
            loaded = case.history.filter(version=form.cleaned_data["version"]).first()
            data, clashes = merge_stale_edit(
                request.POST, loaded=loaded, current=conflict, fields=EDITABLE_FIELDS
            )
            form = CaseEditForm(data, instance=conflict)
            form.is_valid()
            form.add_error(None, error)
            for name in clashes:
                form.add_error(
                    name,
                    ValidationError(
                        _("Changed by someone else too; now saved: %(value)s"),
                        code="edit_conflict_field",
                        params={"value": _display_value(conflict, name)},
                    ),
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Case saved."))
            return redirect(case)
    return render(
        request, "governance/case_edit.html", {"form": form, "case": case, "conflict": conflict}
    )
