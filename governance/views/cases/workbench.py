"""The case workbench: the cases a user works on, filtered, counted by status and paged, each
row written in Python; the list is kept until a case or the structure changes."""

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from caching.values import cached
from governance.filters import COUNT_CAP, CaseFilter
from governance.models import Case, CaseStatus, Priority
from governance.pagination import DepthCappedPaginator
from governance.permissions import case_scope
from governance.scope import scope_fingerprint
from governance.widgets import conditional_escape as escape
from governance.widgets import form_fields

PAGE_SIZE = 25
# The workbench pages through the first 5,000 cases of an order: deeper pages cost in proportion
# to their depth, and filters or the other sort order reach any case sooner.
MAX_PAGES = 200


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
