import csv
import datetime
import io
import tracemalloc

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from governance.export_tables import case_header
from governance.exports import xlsx_file
from governance.models import Case, CaseStatus, Channel, Priority
from tests import factories

pytestmark = pytest.mark.django_db

FORMATS = ["csv", "xlsx"]


def _content(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def _rows(response, fmt: str) -> list[list[str]]:
    """The file's rows as text, the header first, whichever the format."""
    data = _content(response)
    if fmt == "csv":
        return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    return [["" if cell is None else str(cell) for cell in row] for row in sheet.values]


def _text(response, fmt: str) -> str:
    return "\n".join(",".join(row) for row in _rows(response, fmt))


@pytest.fixture
def world(area, other_area, secretary):
    unit = factories.OrganizationFactory(area=None, street=area.street, partner=True)
    here = factories.case(area, secretary, title="本区的楼道堆物")
    here.reporter_name, here.reporter_phone = "王阿姨", "13912345678"
    here.save(update_fields=["reporter_name", "reporter_phone"])
    committee = factories.OrganizationFactory(
        area=area, residents_committee=True, name="本区居委会"
    )
    factories.PostFactory(
        organization=committee,
        person=factories.PersonFactory(area=area, name="陈主任", phone="13700001111"),
        title="director",
    )
    factories.OrganizationFactory(area=area, name="本区无人任职的支部")
    factories.PostFactory(
        organization=factories.OrganizationFactory(area=other_area, name="别区居委会"),
        person=factories.PersonFactory(area=other_area, name="别区委员"),
    )
    return {
        "unit": unit,
        "liaison": factories.liaison(unit),
        "here": here,
        "elsewhere": factories.case(other_area, title="别区的停车问题"),
        "wish": factories.wish(area, secretary, title="本区的心愿", resident_name="本区居民甲"),
        "other_wish": factories.wish(other_area, title="别区的心愿", resident_name="别区居民乙"),
    }


@pytest.fixture
def login(client, secretary, other_secretary, street_staff, world):
    def as_role(role):
        users = {
            "secretary": secretary,
            "other_secretary": other_secretary,
            "liaison": world["liaison"],
            "street_staff": street_staff,
        }
        if role != "anonymous":
            client.force_login(users[role])
        return client

    return as_role


# Cases


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("role", "here", "elsewhere"),
    [
        ("secretary", True, False),
        ("other_secretary", False, True),
        ("liaison", False, False),
        ("street_staff", True, True),
    ],
)
def test_case_export_holds_the_cases_the_user_may_see(login, world, role, here, elsewhere, fmt):
    response = login(role).get(reverse("governance:case_export", args=[fmt]))

    text = _text(response, fmt)
    assert response.status_code == 200
    assert (world["here"].number in text) is here
    assert (world["elsewhere"].number in text) is elsewhere


@pytest.mark.parametrize("fmt", FORMATS)
def test_exports_ask_anonymous_visitors_to_log_in(client, world, fmt):
    for name in ("governance:case_export", "governance:organization_export", "wishes:wish_export"):
        response = client.get(reverse(name, args=[fmt]))
        assert response.status_code == 302, name


@pytest.mark.parametrize("fmt", FORMATS)
def test_case_export_never_holds_the_reporting_resident(login, world, fmt):
    response = login("secretary").get(reverse("governance:case_export", args=[fmt]))

    text = _text(response, fmt)
    assert world["here"].title in text
    assert "王阿姨" not in text and "13912345678" not in text


def test_case_export_follows_the_workbench_filters(login, world, street_staff, area):
    url = reverse("governance:case_export", args=["csv"])

    response = login("street_staff").get(url, {"area": area.pk})

    numbers = [row[0] for row in _rows(response, "csv")[1:]]
    assert numbers == [world["here"].number]


def test_case_export_headers_are_in_the_users_language(login, world):
    url = reverse("governance:case_export", args=["xlsx"])
    client = login("secretary")

    chinese = _rows(client.get(url), "xlsx")[0]
    english = _rows(client.get(url, headers={"accept-language": "en"}), "xlsx")[0]

    with translation.override("zh-hans"):
        assert chinese == case_header()
    with translation.override("en"):
        assert english == case_header()
    assert english[0] == "number" and chinese[0] != english[0]


def test_unknown_export_format_is_not_found(login, world):
    response = login("secretary").get(reverse("governance:case_export", args=["pdf"]))

    assert response.status_code == 404


def test_xlsx_keeps_text_that_looks_like_a_formula_as_text(login, world, secretary, area):
    factories.case(area, secretary, title="=HYPERLINK(1)")

    response = login("secretary").get(reverse("governance:case_export", args=["xlsx"]))

    sheet = load_workbook(io.BytesIO(_content(response))).worksheets[0]
    titles = [row[1] for row in sheet.iter_rows(min_row=2)]
    cell = next(cell for cell in titles if cell.value == "=HYPERLINK(1)")
    assert cell.data_type == "s"


def test_csv_keeps_text_that_looks_like_a_formula_as_text(login, world, secretary, area):
    factories.case(area, secretary, title="=HYPERLINK(1)")

    response = login("secretary").get(reverse("governance:case_export", args=["csv"]))

    assert "'=HYPERLINK(1)" in _text(response, "csv")


def test_admin_case_export_shares_the_columns_of_the_staff_export(client, world, street_staff):
    client.force_login(street_staff)

    admin = _rows(client.get(reverse("admin:governance_case_export")), "csv")
    staff = _rows(client.get(reverse("governance:case_export", args=["csv"])), "csv")

    assert admin[0] == staff[0]
    assert sorted(admin[1:]) == sorted(staff[1:])


# Organisations with their posts


@pytest.mark.parametrize("fmt", FORMATS)
def test_organisation_export_holds_the_users_areas_with_who_holds_which_post(login, world, fmt):
    response = login("secretary").get(reverse("governance:organization_export", args=[fmt]))

    rows = _rows(response, fmt)
    text = "\n".join(",".join(row) for row in rows)
    assert "本区居委会" in text and "陈主任" in text
    assert "本区无人任职的支部" in text  # an organisation without posts has its row
    assert "别区居委会" not in text and "别区委员" not in text
    assert "13700001111" not in text  # who holds the post, never their contacts
    assert all(len(row) == len(rows[0]) for row in rows)


def test_organisation_export_of_one_area(login, world, area, other_area):
    url = reverse("governance:organization_export", args=["csv"])
    client = login("street_staff")

    one = _text(client.get(url, {"area": area.slug}), "csv")
    out_of_reach = login("secretary").get(url, {"area": other_area.slug})

    assert "本区居委会" in one and "别区居委会" not in one
    assert out_of_reach.status_code == 404


def test_organisation_export_of_an_area_with_a_nul_byte_is_not_found(login, world, area):
    """A NUL is no slug: the area is not even looked up (PostgreSQL refuses a NUL in a query)."""
    client = login("street_staff")
    url = reverse("governance:organization_export", args=["csv"])

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"area": f"{area.slug}\x00"})

    assert response.status_code == 404
    assert not any('."slug" = ' in query["sql"] for query in queries.captured_queries)


def test_organisation_export_is_for_those_who_manage_organisations(login, world):
    response = login("liaison").get(reverse("governance:organization_export", args=["csv"]))

    assert response.status_code == 404


# Micro-wishes


@pytest.mark.parametrize("fmt", FORMATS)
def test_wish_export_holds_the_managed_wishes_with_the_residents_details(login, world, fmt):
    response = login("secretary").get(reverse("wishes:wish_export", args=[fmt]))

    text = _text(response, fmt)
    assert "本区的心愿" in text and "本区居民甲" in text and "13955550001" in text
    assert "别区的心愿" not in text and "别区居民乙" not in text


def test_wish_export_is_refused_to_those_who_manage_no_wish(login, world):
    response = login("liaison").get(reverse("wishes:wish_export", args=["xlsx"]))

    assert response.status_code == 404


def test_wish_export_follows_the_staff_list_filters(login, world):
    url = reverse("wishes:wish_export", args=["csv"])

    response = login("street_staff").get(url, {"q": "别区"})

    titles = [row[0] for row in _rows(response, "csv")[1:]]
    assert titles == ["别区的心愿"]


def test_list_pages_offer_the_downloads(login, world):
    client = login("street_staff")

    cases = client.get(reverse("governance:case_list"), {"status": "new"}).content.decode()
    wishes = client.get(reverse("wishes:wish_manage_list")).content.decode()

    assert reverse("governance:case_export", args=["xlsx"]) + "?status=new" in cases
    assert reverse("wishes:wish_export", args=["csv"]) in wishes


# Streaming


def _bulk_cases(area, actor, count: int) -> None:
    category = factories.CategoryFactory()
    now = timezone.now()
    year = timezone.localdate().year
    Case.objects.bulk_create(
        [
            Case(
                street_id=area.street_id,
                year=year,
                sequence=n,
                number=f"{area.street.code}-{year}-{n:05d}",
                area=area,
                category=category,
                title=f"批量案件{n}",
                description="批量导入",
                channel=Channel.RESIDENT_REPORT,
                priority=Priority.NORMAL,
                status=CaseStatus.NEW,
                logged_by=actor,
                created_at=now,
                due_date=now.date() + datetime.timedelta(days=7),
            )
            for n in range(1, count + 1)
        ],
        batch_size=2000,
    )


def test_case_export_of_10000_rows_streams_within_bounded_memory(client, area, street_staff):
    _bulk_cases(area, street_staff, 10_000)
    client.force_login(street_staff)
    response = client.get(reverse("governance:case_export", args=["csv"]))
    assert response.streaming

    tracemalloc.start()
    lines = size = 0
    try:
        for chunk in response.streaming_content:
            lines += chunk.count(b"\n")
            size += len(chunk)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert lines == 10_001
    assert size > 1_000_000  # over a megabyte of CSV went through ...
    assert peak < 4 * 1024 * 1024  # ... never more than a few megabytes held at once


def test_xlsx_of_10000_rows_is_written_within_bounded_memory():
    rows = (
        [n, f"第{n}行的较长文字说明，用来占用一些空间" * 3, timezone.now()] for n in range(10_000)
    )

    tracemalloc.start()
    try:
        file = xlsx_file(["n", "text", "at"], rows)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    with file:
        sheet = load_workbook(file, read_only=True).worksheets[0]
        assert sum(1 for _ in sheet.iter_rows(values_only=True)) == 10_001
    assert peak < 4 * 1024 * 1024


def test_case_export_of_10000_rows_as_xlsx_within_bounded_memory(client, area, street_staff):
    _bulk_cases(area, street_staff, 10_000)
    client.force_login(street_staff)

    tracemalloc.start()
    try:
        response = client.get(reverse("governance:case_export", args=["xlsx"]))
        size = sum(len(chunk) for chunk in response.streaming_content)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        response.close()

    assert size > 100_000
    assert peak < 6 * 1024 * 1024
