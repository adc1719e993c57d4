"""The dashboard's figures against a small set computed by hand, its scope, and the report."""

import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance import services
from governance.models import Case, CaseStatus, Satisfaction
from reports.figures import build_dashboard
from reports.periods import Period, last_twelve_months, month_period
from residents.models import ResidentialArea
from tests import factories
from tests.markup import elements

pytestmark = pytest.mark.django_db

PERIOD = Period(datetime.date(2026, 3, 1), datetime.date(2026, 4, 30))
ON = datetime.date(2026, 5, 15)  # "today" for open and overdue


def at(month: int, day: int, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2026, month, day, hour))  # noqa: DTZ001


def walk(case: Case, actor, steps: list[tuple[str, datetime.datetime]]) -> Case:
    for status, moment in steps:
        note = "再次处理" if status == CaseStatus.REOPENED else ""
        case = services.case_transition(case=case, to=status, actor=actor, at=moment, note=note)
    return case


@pytest.fixture
def cases(area, other_area, secretary):
    """Four cases of ``area`` (``other_area`` has none), with their figures in the docstrings:

    c1 X  logged 03-10, accepted after 2 days, resolved after 4 (due 03-15: on time), closed 03-20
    c2 X  logged 03-30, accepted after 2 days, resolved after 10 (due 04-04: late), closed 04-10:
          it crossed a month (logged in March, closed in April)
    c3 Y  logged 04-05, accepted after 1 day, resolved after 3, reopened 04-09 by an
          unsatisfied follow-up (due 04-15: overdue on 05-15)
    c4 Y  logged 04-20, still new (due 04-30: overdue on 05-15)
    Follow-ups: c1 satisfied, c2 basically satisfied, c3 unsatisfied.
    Parties: L leads c1, c2, c3; M assists c1 and c3.
    """
    x = factories.CategoryFactory(name="楼道堆物X", target_days=5)
    y = factories.CategoryFactory(name="设施维修Y", target_days=10)
    lead = factories.OrganizationFactory(area=area, residents_committee=True, name="居委会L")
    helper = factories.OrganizationFactory(area=area, property_company=True, name="物业M")
    c1 = factories.case(area, secretary, category=x, created_at=at(3, 10))
    c2 = factories.case(area, secretary, category=x, created_at=at(3, 30))
    c3 = factories.case(area, secretary, category=y, created_at=at(4, 5))
    c4 = factories.case(area, secretary, category=y, created_at=at(4, 20))
    services.case_set_parties(case=c1, actor=secretary, lead=lead, assisting=[helper])
    services.case_set_parties(case=c2, actor=secretary, lead=lead, assisting=[])
    services.case_set_parties(case=c3, actor=secretary, lead=lead, assisting=[helper])
    walk(
        c1,
        secretary,
        [
            (CaseStatus.ACCEPTED, at(3, 12)),
            (CaseStatus.IN_PROGRESS, at(3, 13)),
            (CaseStatus.RESOLVED, at(3, 14)),
            (CaseStatus.CLOSED, at(3, 20)),
        ],
    )
    walk(
        c2,
        secretary,
        [
            (CaseStatus.ACCEPTED, at(4, 1)),
            (CaseStatus.IN_PROGRESS, at(4, 2)),
            (CaseStatus.RESOLVED, at(4, 9)),
            (CaseStatus.CLOSED, at(4, 10)),
        ],
    )
    walk(
        c3,
        secretary,
        [
            (CaseStatus.ACCEPTED, at(4, 6)),
            (CaseStatus.IN_PROGRESS, at(4, 7)),
            (CaseStatus.RESOLVED, at(4, 8)),
        ],
    )
    for case, answer, day in (
        (c1, Satisfaction.SATISFIED, at(3, 21)),
        (c2, Satisfaction.BASICALLY_SATISFIED, at(4, 11)),
        (c3, Satisfaction.UNSATISFIED, at(4, 9)),
    ):
        services.case_follow_up(
            case=Case.objects.get(pk=case.pk), actor=secretary, satisfaction=answer, at=day
        )
    return {"c1": c1, "c2": c2, "c3": c3, "c4": c4, "x": x, "y": y, "lead": lead, "helper": helper}


def figures(area, other_area, period=PERIOD, on=ON):
    areas = ResidentialArea.objects.filter(pk__in=[area.pk, other_area.pk])
    return build_dashboard(areas, period, on)


def test_case_totals(cases, area, other_area):
    totals = figures(area, other_area).totals

    assert totals["open"] == 2  # c3 (reopened) and c4
    assert totals["overdue"] == 2  # c3 and c4
    assert totals["logged"] == 4
    assert totals["resolved"] == 2  # c1 and c2: reopening c3 took its resolution back
    assert totals["resolved_on_time"] == 1
    assert totals["on_time_share"] == 50
    assert totals["closed"] == 2
    assert totals["reopened"] == 1
    assert totals["reopen_rate"] == 25


def test_cases_per_month_puts_a_case_that_crossed_a_month_in_both(cases, area, other_area):
    months = figures(area, other_area).months

    assert [(m["month"], m["logged"], m["closed"]) for m in months] == [
        (datetime.date(2026, 3, 1), 2, 1),
        (datetime.date(2026, 4, 1), 2, 1),
    ]


def test_averages_per_category(cases, area, other_area):
    by_category = {category.pk: row for category, row in figures(area, other_area).by_category}

    assert by_category[cases["x"].pk] == {
        "logged": 2,
        "days_to_accept": 2.0,
        "days_to_resolve": 7.0,
    }
    # c3's resolution was taken back when it reopened; c4 was never accepted.
    assert by_category[cases["y"].pk] == {
        "logged": 2,
        "days_to_accept": 1.0,
        "days_to_resolve": None,
    }


def test_averages_per_area_and_the_empty_area(cases, area, other_area):
    by_area = {a.pk: row for a, row in figures(area, other_area).by_area}

    assert by_area[area.pk] == {
        "open": 2,
        "overdue": 2,
        "logged": 4,
        "days_to_accept": 1.7,  # 2, 2 and 1 days; c4 was never accepted
        "days_to_resolve": 7.0,
    }
    assert by_area[other_area.pk] == {
        "open": 0,
        "overdue": 0,
        "logged": 0,
        "days_to_accept": None,
        "days_to_resolve": None,
    }


def test_satisfaction(cases, area, other_area):
    result = figures(area, other_area).satisfaction

    assert result["total"] == 3
    assert result["content_share"] == 67
    assert dict(result["rows"]) == {
        Satisfaction.SATISFIED: 1,
        Satisfaction.BASICALLY_SATISFIED: 1,
        Satisfaction.UNSATISFIED: 1,
    }


def test_party_figures(cases, area, other_area):
    parties = {row["name"]: row for row in figures(area, other_area).parties}

    assert parties["居委会L"]["led"] == 3
    assert parties["居委会L"]["assisted"] == 0
    assert parties["居委会L"]["days_to_resolve"] == 7.0  # c1 4 days, c2 10 days
    assert parties["物业M"]["led"] == 0
    assert parties["物业M"]["assisted"] == 2
    assert parties["物业M"]["days_to_resolve"] is None


def test_a_period_without_cases_counts_nothing(cases, area, other_area):
    result = figures(area, other_area, period=month_period(2026, 1))

    assert result.totals["logged"] == 0
    assert result.totals["on_time_share"] is None
    assert result.totals["reopen_rate"] is None
    assert result.by_category == []
    assert result.parties == []
    assert result.totals["open"] == 2  # open and overdue are counted on the day, not the period


def test_days_to_accept_are_the_average_of_the_cases_accepted(area, other_area, secretary):
    """The monthly sums give averages, not medians: 1, 2 and 9 days average 4."""
    category = factories.CategoryFactory(target_days=30)
    for days in (1, 2, 9):
        case = factories.case(area, secretary, category=category, created_at=at(3, 1))
        walk(case, secretary, [(CaseStatus.ACCEPTED, at(3, 1 + days))])

    by_area = {a.pk: row for a, row in figures(area, other_area).by_area}

    assert by_area[area.pk]["days_to_accept"] == 4.0


def test_structure_completeness_marks_the_gaps(area, other_area):
    today = timezone.localdate()
    party = factories.OrganizationFactory(area=area)
    committee = factories.OrganizationFactory(area=area, residents_committee=True)
    factories.OrganizationFactory(
        area=area,
        owners_committee=True,
        term_start=today - datetime.timedelta(days=100),
        term_end=today + datetime.timedelta(days=600),
    )
    factories.OrganizationFactory(
        area=area,
        property_company=True,
        term_start=today - datetime.timedelta(days=800),
        term_end=today - datetime.timedelta(days=1),  # the contract ran out yesterday
    )
    factories.AgreementFactory(area=area, partner__area=None, partner__street=area.street)
    person = factories.PersonFactory(area=area, street=area.street)
    factories.PostFactory(organization=party, person=person)
    factories.PostFactory(organization=committee, person=person)

    areas = {a.pk: a for a in figures(area, other_area, on=today).areas}

    full, empty = areas[area.pk], areas[other_area.pk]
    assert (full.has_party, full.has_residents_committee) == (True, True)
    assert (full.owners_committee_in_term, full.property_contract_valid) == (True, False)
    assert (full.n_count, full.agreement_count, full.cross_appointment_count) == (1, 1, 1)
    assert (empty.has_party, empty.has_residents_committee) == (False, False)
    assert (empty.owners_committee_in_term, empty.property_contract_valid) == (False, False)
    assert (empty.n_count, empty.agreement_count, empty.cross_appointment_count) == (0, 0, 0)


def test_wishes_by_partner_unit(area, other_area, secretary):
    unit = factories.OrganizationFactory(area=None, street=area.street, partner=True, name="共建U")
    liaison = factories.liaison(unit)
    factories.wish(area, secretary, status="fulfilled", unit=unit, claimer=liaison)
    factories.wish(area, secretary, status="claimed", unit=unit, claimer=liaison)
    factories.wish(area, secretary, status="claimed")  # claimed by a person, not a unit
    factories.wish(area, secretary, status="published")
    factories.wish(area, secretary, status="submitted")

    wishes = figures(area, other_area, period=last_twelve_months()).wishes

    assert (wishes["published"], wishes["claimed"], wishes["fulfilled"]) == (4, 3, 1)
    assert [
        (r["claimed_by_organization__name"], r["claimed"], r["fulfilled"])
        for r in wishes["per_unit"]
    ] == [("共建U", 2, 1)]


def test_indicators_with_progress(area, other_area):
    indicator = factories.IndicatorFactory(area=area, baseline=80, goal=0)
    indicator.readings.create(date=timezone.localdate(), value=20)

    shown = figures(area, other_area).indicators

    assert [(i.pk, i.latest_progress) for i in shown] == [(indicator.pk, 75)]


# Pages ------------------------------------------------------------------------------------------

URL = reverse("reports:dashboard")


def _login(client, request, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))


@pytest.fixture
def liaison(area):
    unit = factories.OrganizationFactory(area=None, street=area.street, partner=True)
    return factories.liaison(unit)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 302),
        ("secretary", 200),
        ("other_secretary", 200),
        ("liaison", 404),
        ("street_staff", 200),
    ],
)
def test_who_sees_the_dashboard(client, request, role, expected):
    _login(client, request, role)

    response = client.get(URL)

    assert response.status_code == expected


def test_a_secretary_sees_their_own_area_only(client, area, other_area, secretary):
    client.force_login(secretary)

    response = client.get(URL)

    assert [a.pk for a in response.context["dashboard"].areas] == [area.pk]
    assert other_area.name not in response.content.decode()


def test_street_staff_see_every_area_and_can_narrow_to_one(client, area, other_area, street_staff):
    client.force_login(street_staff)

    everything = client.get(URL)
    one = client.get(URL, {"area": other_area.slug})

    assert {a.pk for a in everything.context["dashboard"].areas} == {area.pk, other_area.pk}
    assert [a.pk for a in one.context["dashboard"].areas] == [other_area.pk]
    assert f"?overdue=on&amp;area={other_area.pk}" in one.content.decode()


@pytest.mark.parametrize("name", ["dashboard_report", "dashboard_report_xlsx"])
def test_another_areas_report_is_not_found(client, area, other_area, secretary, name):
    client.force_login(secretary)

    response = client.get(reverse(f"reports:{name}", args=[2026, 4]), {"area": other_area.slug})

    assert response.status_code == 404


@pytest.mark.parametrize("name", ["dashboard_report", "dashboard_report_xlsx"])
def test_a_report_of_an_area_with_a_nul_byte_is_not_found(client, area, secretary, name):
    """A NUL is no slug: the area is not even looked up (PostgreSQL refuses a NUL in a query)."""
    client.force_login(secretary)
    url = reverse(f"reports:{name}", args=[2026, 4])

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"area": f"{area.slug}\x00"})

    assert response.status_code == 404
    assert not any('."slug" = ' in query["sql"] for query in queries.captured_queries)


@pytest.mark.parametrize(
    ("query", "field", "code"),
    [
        ({"end": "9999-12-31"}, "end", "max_value"),
        ({"end": "0001-01-01"}, "end", "min_value"),
        ({"start": "0001-01-01"}, "start", "min_value"),
    ],
)
def test_a_range_at_the_calendars_edge_is_refused_not_a_500(client, secretary, query, field, code):
    """Its bounds (the day after the end, a year before it) would be no dates at all."""
    client.force_login(secretary)

    response = client.get(URL, query)

    assert response.status_code == 200
    assert [error.code for error in response.context["form"].errors.as_data()[field]] == [code]
    assert response.context["dashboard"].period == last_twelve_months()


def test_the_date_picker_offers_only_the_days_the_dashboard_accepts(client, secretary):
    client.force_login(secretary)

    html = client.get(URL).content.decode()

    for name in ("start", "end"):
        (tag,) = re.findall(rf'<input type="date" name="{name}"[^>]*>', html)
        assert 'min="2000-01-01"' in tag
        assert 'max="2100-12-31"' in tag


def test_the_date_range_narrows_the_figures(client, cases, secretary):
    client.force_login(secretary)

    response = client.get(URL, {"start": "2026-04-01", "end": "2026-04-30"})

    assert response.context["dashboard"].totals["logged"] == 2
    assert 'id="case-months"' not in response.content.decode()


def test_a_range_within_months_counts_the_cases_of_its_whole_months_and_says_so(
    client, cases, secretary
):
    """The case figures are monthly sums: 04-06 to 04-10 counts April's cases (c3 and c4), and
    the page says which days they cover; the links behind them list those days' cases."""
    client.force_login(secretary)

    response = client.get(URL, {"start": "2026-04-06", "end": "2026-04-10"})

    dashboard = response.context["dashboard"]
    assert dashboard.case_period == Period(datetime.date(2026, 4, 1), datetime.date(2026, 4, 30))
    assert dashboard.totals["logged"] == 2
    note = next(p for p in elements(response.content, "p") if p.attrs.get("id") == "case-months")
    assert "2026-04-01" in note.words and "2026-04-30" in note.words
    assert "?logged_after=2026-04-01&amp;logged_before=2026-04-30" in response.content.decode()


def test_the_last_twelve_months_and_a_months_report_need_no_note(client, cases, secretary):
    client.force_login(secretary)

    pages = [
        client.get(URL),
        client.get(reverse("reports:dashboard_report", args=[2026, 4])),
    ]

    assert [page.status_code for page in pages] == [200, 200]
    assert not [page for page in pages if 'id="case-months"' in page.content.decode()]
    assert not pages[0].context["dashboard"].counts_more_days


def test_a_range_ending_before_today_says_its_last_month_is_counted_whole():
    """Ten days of April, seen on 04-20: the figures count all of April's cases so far."""
    period = Period(datetime.date(2026, 4, 1), datetime.date(2026, 4, 10))

    dashboard = build_dashboard(ResidentialArea.objects.none(), period, datetime.date(2026, 4, 20))

    assert dashboard.case_period == month_period(2026, 4)
    assert dashboard.counts_more_days


def test_a_reversed_range_is_refused(client, secretary):
    client.force_login(secretary)

    response = client.get(URL, {"start": "2026-04-30", "end": "2026-04-01"})

    assert response.context["form"].errors.as_data()["__all__"][0].code == "range_reversed"


def test_the_overdue_figure_leads_to_the_overdue_cases(client, cases, area, street_staff):
    client.force_login(street_staff)
    page = client.get(URL, {"area": area.slug}).content.decode()
    assert f"?overdue=on&amp;area={area.pk}" in page

    listed = client.get(reverse("governance:case_list"), {"overdue": "on", "area": area.pk})

    assert {c.number for c in listed.context["page_obj"]} == {
        cases["c3"].number,
        cases["c4"].number,
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"open": "on"}, {"c3", "c4"}),
        ({"reopened": "on"}, {"c3"}),
        ({"status": "closed", "closed_after": "2026-04-01", "closed_before": "2026-04-30"}, {"c2"}),
        ({"resolved_after": "2026-03-01", "resolved_before": "2026-03-31"}, {"c1"}),
    ],
)
def test_the_case_list_filters_behind_the_figures(client, cases, secretary, params, expected):
    client.force_login(secretary)

    listed = client.get(reverse("governance:case_list"), params)

    assert {c.number for c in listed.context["page_obj"]} == {cases[n].number for n in expected}


@pytest.mark.parametrize("more_areas", [0, 3])
def test_dashboard_queries_are_counted(
    client, cases, street_staff, django_assert_num_queries, more_areas
):
    """However many areas and cases: session and user (2); whether the user manages areas, and
    how many (2); the ids of the areas shown, which name the kept figures (1); the areas with
    their structure (1); the case figures (7: the monthly sums per
    area, per category and per month, the counts per status, the unfinished cases not yet due,
    the categories, the parties' sums); indicators (1); wishes (2); the user's streets (1); the
    inbox badge (1); the form's choice of areas (1); the event panel (2)."""
    client.force_login(street_staff)
    for _index in range(more_areas):
        factories.AreaFactory(street=street_staff.street)

    with django_assert_num_queries(21):
        response = client.get(URL, {"start": "2026-03-01", "end": "2026-04-30"})

    assert response.status_code == 200
    assert "<svg" in response.content.decode()


def test_charts_are_accessible_and_have_no_inline_style(client, cases, street_staff):
    client.force_login(street_staff)

    page = client.get(URL).content.decode()

    assert page.count('role="img"') == 2
    assert page.count("<title id=") == 2
    assert "style=" not in page
    assert "<script" not in page


def _headings(page) -> list[str]:
    return [th.words for th in elements(page.content, "th") if th.attrs.get("scope") == "col"]


# The case counts and the times to work on them: "Closed" is a count on the dashboard and a
# moment on the case page; the Chinese words must not mix them up.
TIME_WORDS = ("办结时间", "解决时间")


def test_the_dashboards_count_headings_read_as_counts_in_chinese(client, cases, secretary):
    client.force_login(secretary)

    page = client.get(URL, {"start": "2026-03-01", "end": "2026-04-30"})
    headings = _headings(page)

    assert "已登记（件）" in headings
    assert "已办结（件）" in headings
    assert not [h for h in headings if any(word in h for word in TIME_WORDS)]
    averages = [h for h in headings if "平均" in h]
    assert averages and all("用时" in h and "（天）" in h for h in averages)


def test_the_case_page_still_heads_its_moments_as_times(client, cases, secretary):
    client.force_login(secretary)

    page = client.get(cases["c1"].get_absolute_url()).content.decode()

    assert "<dt>办结时间</dt>" in page
    assert "<dt>解决时间</dt>" in page


def test_the_dashboards_headings_in_english(client, cases, secretary):
    client.force_login(secretary)

    page = client.get(URL, {"start": "2026-03-01", "end": "2026-04-30"}, HTTP_ACCEPT_LANGUAGE="en")
    headings = _headings(page)

    assert {"Month", "Logged", "Closed", "Average days to resolve"} <= set(headings)


def test_the_reports_workbook_heads_counts_and_times_apart_in_chinese(client, cases, secretary):
    from openpyxl import load_workbook

    client.force_login(secretary)

    response = client.get(
        reverse("reports:dashboard_report_xlsx", args=[2026, 4]),
        headers={"accept-language": "zh-hans"},
    )

    book = load_workbook(io.BytesIO(response.content))
    headers = [
        cell for sheet in book.worksheets[1:] for cell in next(sheet.iter_rows(values_only=True))
    ]
    labels = [row[0] for row in book.worksheets[0].iter_rows(values_only=True)]
    assert not [h for h in headers + labels if any(word in str(h) for word in TIME_WORDS)]
    assert "平均解决用时（天）" in headers
    assert "当前未办结（件）" in headers


@pytest.mark.parametrize(
    ("language", "logged", "closed"),
    [("zh-hans", "登记案件数", "办结案件数"), ("en", "Cases logged", "Cases closed")],
)
def test_the_month_chart_has_a_legend_a_value_axis_and_month_labels(
    client, cases, secretary, language, logged, closed
):
    client.force_login(secretary)

    page = client.get(
        URL, {"start": "2026-03-01", "end": "2026-04-30"}, HTTP_ACCEPT_LANGUAGE=language
    )
    chart = next(svg for svg in elements(page.content, "svg") if "chart" in svg.classes)
    inside = [e for e in elements(page.content) if chart in e.parents]

    legend = next(e for e in inside if "chart__legend" in e.classes)
    swatches = [e for e in inside if legend in e.parents and e.tag == "rect"]
    assert {"chart__bar--logged", "chart__bar--closed"} == {c for s in swatches for c in s.classes}
    assert logged in legend.words and closed in legend.words
    axis = next(e for e in inside if "chart__value-axis" in e.classes)
    values = [e.words for e in inside if axis in e.parents and e.tag == "text"]
    # Two cases logged in April at most a month: the scale runs 0, 1, 2.
    assert values == ["0", "1", "2"]
    months = [e.words for e in inside if "chart__label--month" in e.classes]
    assert months == ["3", "4"]
    assert "2026" in chart.words


def test_the_area_chart_has_a_labelled_value_axis(client, cases, secretary):
    client.force_login(secretary)

    page = client.get(URL, {"start": "2026-03-01", "end": "2026-04-30"}, HTTP_ACCEPT_LANGUAGE="en")
    chart = [svg for svg in elements(page.content, "svg") if "chart" in svg.classes][1]
    inside = [e for e in elements(page.content) if chart in e.parents]

    axis = next(e for e in inside if "chart__value-axis" in e.classes)
    values = [e.words for e in inside if axis in e.parents and e.tag == "text"]
    assert values[0] == "0"
    assert values[-1] == "Average days to resolve"
    assert len([e for e in inside if "chart__grid" in e.classes]) == len(values) - 1


def test_event_bookings_and_attendance(client, area, secretary):
    event = factories.EventFactory(street=area.street, area=area)
    session = factories.SessionFactory(event=event)
    factories.book(session, phone="13800001111", party_size=2)
    booking = factories.book(session, phone="13800002222", party_size=3)
    type(booking).objects.filter(pk=booking.pk).update(checked_in_at=session.starts_at)
    client.force_login(secretary)
    tomorrow = timezone.localdate(session.starts_at)

    page = client.get(URL, {"start": tomorrow, "end": tomorrow})

    assert page.status_code == 200
    rows = page.context["rows"]
    assert [
        (r["bookings"], r["people"], r["checked_in"], r["people_checked_in"]) for r in rows
    ] == [(2, 5, 1, 3)]


def test_event_bookings_count_the_slots_in_the_range_coming_ones_included(client, area, secretary):
    from forums.models import EventSession

    event = factories.EventFactory(street=area.street, area=area)
    today = timezone.localdate()
    now = timezone.now()

    def slot(days: int, party_size: int):
        session = factories.SessionFactory(event=event, starts_at=now + datetime.timedelta(days=2))
        factories.book(session, phone=f"1380000{days + 100:04d}", party_size=party_size)
        # Booked while it was still to come; then moved to its day (no booking of a past slot).
        moved = now + datetime.timedelta(days=days)
        EventSession.objects.filter(pk=session.pk).update(
            starts_at=moved, ends_at=moved + datetime.timedelta(hours=1)
        )

    slot(5, party_size=2)  # coming, in the range
    slot(-10, party_size=3)  # past, in the range
    slot(40, party_size=4)  # after the range
    slot(-60, party_size=5)  # before the range
    client.force_login(secretary)
    start, end = today - datetime.timedelta(days=30), today + datetime.timedelta(days=10)

    page = client.get(URL, {"start": start, "end": end}, HTTP_ACCEPT_LANGUAGE="en")

    totals = page.context["totals"]
    assert (totals["bookings"], totals["people"], totals["later"]) == (2, 5, 1)
    assert [(row["bookings"], row["people"]) for row in page.context["rows"]] == [(2, 5)]
    figure = page.content.decode().split('id="figure-bookings"')[1].split("</li>")[0]
    assert f"confirmed bookings of time slots from {start} to {end}" in figure
    assert "for 5 people in all" in figure
    assert "1 booking of a time slot after" in page.content.decode()


def test_monthly_report_page(client, cases, area, secretary):
    client.force_login(secretary)

    response = client.get(reverse("reports:dashboard_report", args=[2026, 4]))

    assert response.status_code == 200
    assert response.context["dashboard"].period == month_period(2026, 4)
    assert response.context["dashboard"].totals["logged"] == 2
    assert "/dashboard/report/2026-04.xlsx" in response.content.decode()


def test_monthly_report_workbook_holds_the_figures(client, cases, area, secretary):
    from openpyxl import load_workbook

    client.force_login(secretary)

    response = client.get(
        reverse("reports:dashboard_report_xlsx", args=[2026, 4]),
        headers={"accept-language": "en"},
    )

    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('report-2026-04-street.xlsx"')
    book = load_workbook(io.BytesIO(response.content))
    totals = {row[0]: row[1] for row in book.worksheets[0].iter_rows(values_only=True)}
    assert totals["Cases logged"] == 2  # c3 and c4 were logged in April
    assert totals["Cases closed"] == 1  # c2, logged in March
    areas = list(book.worksheets[1].iter_rows(values_only=True))
    assert areas[1][0] == area.name
    assert areas[1][8:11] == (2, 2, 2)  # open, overdue (c3, c4) and logged in April


def test_monthly_report_headers_follow_the_language(client, cases, secretary):
    from openpyxl import load_workbook

    client.force_login(secretary)

    response = client.get(
        reverse("reports:dashboard_report_xlsx", args=[2026, 4]),
        headers={"accept-language": "en"},
    )

    book = load_workbook(io.BytesIO(response.content))
    assert book.worksheets[0]["A1"].value == "Figure"


def test_an_impossible_month_is_not_found(client, secretary):
    client.force_login(secretary)

    assert client.get("/dashboard/report/2026-13/").status_code == 404


def test_the_dashboard_is_in_the_staff_menu(client, secretary):
    client.force_login(secretary)

    page = client.get(reverse("governance:case_list")).content.decode()

    assert f'href="{URL}"' in page


def test_the_workbook_runs_no_name_as_a_formula(client, area, secretary):
    from openpyxl import load_workbook

    party = factories.OrganizationFactory(area=area, name="=HYPERLINK(1)")
    case = factories.case(area, secretary)
    services.case_set_parties(case=case, actor=secretary, lead=party, assisting=[])
    client.force_login(secretary)
    month = timezone.localdate()

    response = client.get(reverse("reports:dashboard_report_xlsx", args=[month.year, month.month]))

    parties = load_workbook(io.BytesIO(response.content)).worksheets[3]
    assert parties["A2"].value == "'=HYPERLINK(1)"
    assert parties["A2"].data_type == "s"
