"""The dashboard (看板) and the monthly report, for street staff and an area's secretary, and how
fast each area works on its cases (处置效率)."""

import datetime
import io

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from caching.values import cached
from governance.exports import csv_safe
from governance.forms import AreaChoiceForm
from lujiazui.public import PUBLIC_CONTENT, SEATS, SESSIONS
from reports.efficiency import WINDOW_DAYS, area_efficiency
from reports.figures import Dashboard, build_dashboard
from reports.forms import DashboardForm
from reports.periods import FIRST_YEAR, LAST_YEAR, Period, last_twelve_months, month_period
from residents.models import ResidentialArea, Street

# What the dashboard's figures count: the structure and everything public, cases and their sums,
# bookings.
DASHBOARD_SHOWS = (
    *PUBLIC_CONTENT,
    *SESSIONS,
    *SEATS,
    "governance.Case",
    "governance.CaseParty",
    "governance.CaseUpdate",
    "governance.CaseCount",
    "governance.CaseMonth",
    "governance.CasePartyMonth",
)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _managed_areas_or_404(request: HttpRequest) -> QuerySet[ResidentialArea]:
    """The areas the user manages; the dashboard does not exist for someone who manages no area
    and no street (a partner unit's liaison)."""
    areas = ResidentialArea.objects.managed_by(request.user).order_by("street", "pk")
    if not (areas.exists() or Street.objects.managed_by(request.user).exists()):
        raise Http404
    return areas


def _one_area(
    areas: QuerySet[ResidentialArea], area: ResidentialArea | None
) -> QuerySet[ResidentialArea]:
    """The user's areas, or the one of them a form chose (its choices are the user's areas)."""
    return areas.filter(pk=area.pk) if area else areas


def _street_ids(request: HttpRequest, area_slug: str) -> list[int]:
    """Street-wide events count only on the street's own dashboard."""
    if area_slug:
        return []
    return list(Street.objects.managed_by(request.user).values_list("pk", flat=True))


def _context(dashboard: Dashboard, area_slug: str) -> dict:
    return {
        "dashboard": dashboard,
        "area_slug": area_slug,
        # Narrows the case and wish lists behind the figures to the one area shown.
        "area_q": f"&area={dashboard.areas[0].pk}" if area_slug else "",
    }


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The street (or the secretary's area) at a glance, for a date range: computed on every
    request, the case figures from the monthly sums the case services keep."""
    managed = _managed_areas_or_404(request)
    form = DashboardForm(request.GET or None, areas=managed)
    period, area = last_twelve_months(), None
    if form.is_bound and form.is_valid():
        default = last_twelve_months(form.cleaned_data["end"] or None)
        period = Period(
            form.cleaned_data["start"] or default.start, form.cleaned_data["end"] or default.end
        )
        area = form.cleaned_data.get("area")
    area_slug = area.slug if area else ""
    areas = _one_area(managed, area)
    area_ids = sorted(areas.values_list("pk", flat=True))
    street_ids = _street_ids(request, area_slug)

    def render_figures() -> str:
        context = _context(build_dashboard(areas, period, street_ids=street_ids), area_slug)
        return str(render_to_string("reports/dashboard.html#figures", context, request))

    # The same for everyone who sees these areas: kept per areas, period and language until
    # anything it counts changes (a case, a booking, the structure) or midnight.
    figures = cached(
        "dashboard",
        parts=[
            repr(area_ids),
            repr(street_ids),
            area_slug,
            f"{period.start}:{period.end}",
            get_language(),
        ],
        depends_on=DASHBOARD_SHOWS,
        compute=render_figures,
    )
    context = {
        "form": form,
        "period": period,
        "area_count": len(area_ids),
        "area_slug": area_slug,
        "report_month": timezone.localdate().replace(day=1),
        "figures": mark_safe(figures),  # noqa: S308  (rendered from the template, escaped there)
    }
    return render(request, "reports/dashboard.html", context)


def _report(request: HttpRequest, year: int, month: int) -> tuple[Dashboard, str]:
    if not 1 <= month <= 12 or not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    managed = _managed_areas_or_404(request)
    form = AreaChoiceForm(request.GET, areas=managed)
    if not form.is_valid():
        raise Http404  # an area beyond the user's is answered as one that does not exist
    area = form.cleaned_data["area"]
    area_slug = area.slug if area else ""
    figures = build_dashboard(
        _one_area(managed, area),
        month_period(year, month),
        street_ids=_street_ids(request, area_slug),
    )
    return figures, area_slug


@login_required
def monthly_report(request: HttpRequest, year: int, month: int) -> HttpResponse:
    """The dashboard's figures for one month, laid out to print."""
    figures, area_slug = _report(request, year, month)
    context = _context(figures, area_slug)
    first = datetime.date(year, month, 1)
    context.update(
        {
            "month": first,
            "previous": (first - datetime.timedelta(days=1)).replace(day=1),
            "next": (first + datetime.timedelta(days=32)).replace(day=1),
        }
    )
    return render(request, "reports/dashboard_report.html", context)


@login_required
def monthly_report_xlsx(request: HttpRequest, year: int, month: int) -> HttpResponse:
    """The monthly report as a workbook, its headers in the user's language."""
    figures, area_slug = _report(request, year, month)
    scope = figures.areas[0].slug if area_slug else "street"
    response = HttpResponse(report_workbook(figures), content_type=XLSX_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="report-{year:04d}-{month:02d}-{scope}.xlsx"'
    )
    return response


@login_required
def case_efficiency(request: HttpRequest) -> HttpResponse:
    """How fast each area the user manages accepts and resolves its cases."""
    return render(
        request,
        "reports/case_efficiency.html",
        {"rows": area_efficiency(request.user), "days": WINDOW_DAYS},
    )


def report_workbook(figures: Dashboard) -> bytes:
    """One sheet per table of the report: totals, areas, categories, parties and wishes."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    totals = figures.totals
    sheet = book.create_sheet(_("Totals"))
    sheet.append([_("Figure"), _("Value")])
    sheet.append([_("From"), figures.period.start])
    sheet.append([_("To"), figures.period.end])
    for label, value in [
        (_("Open cases"), totals["open"]),
        (_("Overdue cases"), totals["overdue"]),
        (_("Cases logged"), totals["logged"]),
        (_("Cases resolved"), totals["resolved"]),
        (_("Resolved on time"), totals["resolved_on_time"]),
        (_("Share resolved on time (%)"), totals["on_time_share"]),
        (_("Cases closed"), totals["closed"]),
        (_("Logged cases reopened"), totals["reopened"]),
        (_("Reopen rate (%)"), totals["reopen_rate"]),
        (_("Follow-ups"), figures.satisfaction["total"]),
        (_("Satisfied or basically satisfied (%)"), figures.satisfaction["content_share"]),
        (_("Wishes published"), figures.wishes["published"]),
        (_("Wishes claimed"), figures.wishes["claimed"]),
        (_("Wishes fulfilled"), figures.wishes["fulfilled"]),
    ]:
        sheet.append([label, value])

    sheet = book.create_sheet(_("Areas"))
    sheet.append(
        [
            _("Residential area"),
            _("Party organisation"),
            _("Residents' committee"),
            _("Owners' committee in term"),
            _("Property contract valid"),
            _("N partners"),
            _("Current agreements"),
            _("Cross-appointed people"),
            _("Open now"),
            _("Overdue now"),
            _("Cases logged"),
            _("Average days to accept"),
            _("Average days to resolve"),
        ]
    )
    for area, row in figures.by_area:
        sheet.append(
            [
                csv_safe(area.name),
                _yes_no(area.has_party),
                _yes_no(area.has_residents_committee),
                _yes_no(area.owners_committee_in_term),
                _yes_no(area.property_contract_valid),
                area.n_count,
                area.agreement_count,
                area.cross_appointment_count,
                row["open"],
                row["overdue"],
                row["logged"],
                row["days_to_accept"],
                row["days_to_resolve"],
            ]
        )

    sheet = book.create_sheet(_("Categories"))
    sheet.append(
        [
            _("Category"),
            _("Cases logged"),
            _("Average days to accept"),
            _("Average days to resolve"),
        ]
    )
    for category, row in figures.by_category:
        sheet.append(
            [csv_safe(str(category)), row["logged"], row["days_to_accept"], row["days_to_resolve"]]
        )

    sheet = book.create_sheet(_("Parties"))
    sheet.append(
        [_("Party"), _("Cases led"), _("Cases assisted"), _("Average days to resolve (led)")]
    )
    for row in figures.parties:
        sheet.append([csv_safe(row["name"]), row["led"], row["assisted"], row["days_to_resolve"]])

    sheet = book.create_sheet(_("Wishes"))
    sheet.append([_("Partner unit"), _("Wishes claimed"), _("Wishes fulfilled")])
    for row in figures.wishes["per_unit"]:
        sheet.append(
            [csv_safe(row["claimed_by_organization__name"]), row["claimed"], row["fulfilled"]]
        )

    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")
