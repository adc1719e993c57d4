import csv
import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from governance import roster
from governance.models import Organization, Post
from governance.services.roster import roster_import
from residents.models import Person
from tests import factories

pytestmark = pytest.mark.django_db

KEYS = ["organization", "kind", "area", "compound", "person", "title", "start_date", "part_time"]


def _xlsx(rows: list[list], header: list[str] | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header or KEYS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _csv(rows: list[list], encoding: str = "utf-8-sig", header: list[str] | None = None) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header or KEYS)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def _read(data: bytes, name: str = "roster.xlsx") -> list[roster.RosterRow]:
    return roster.read_roster(io.BytesIO(data), name)


def _counts() -> tuple[int, int, int]:
    return Organization.objects.count(), Person.objects.count(), Post.objects.count()


@pytest.fixture
def good_rows(area):
    compound = factories.CompoundFactory(area=area, name="崂山三村")
    return [
        ["测试党总支", "party", area.name, "", "赵书记", "secretary", "2023-01-01", "no"],
        ["测试党总支", "", area.short_name, "", "钱委员", "committee_member", "2023-01-01", ""],
        [
            "测试业委会",
            "owners_committee",
            area.name,
            compound.name,
            "钱委员",
            "member",
            "2023-06-01",
            "是",
        ],
        ["测试居委会", "居委会", area.name, "", "", "", "", ""],
    ]


def test_dry_run_reports_what_would_be_written_and_writes_nothing(secretary, street, good_rows):
    before = _counts()

    result = roster_import(
        actor=secretary, street=street, rows=_read(_xlsx(good_rows)), dry_run=True
    )

    assert result.problems == []
    assert (result.organizations_created, result.people_created, result.posts_created) == (3, 2, 3)
    assert not result.written
    assert _counts() == before


def test_dry_run_lists_each_rows_problems_with_row_and_column(secretary, street, area, other_area):
    rows = [
        ["好的组织", "party", area.name, "", "孙书记", "secretary", "2023-01-01", ""],
        ["坏的种类", "church", area.name, "", "", "", "", ""],
        ["坏的日期", "party", area.name, "", "李委员", "member", "2023-13-45", "也许"],
        ["不存在的居民区", "party", "火星居民区", "", "", "", "", ""],
        ["缺少职务", "party", area.name, "", "周委员", "", "2023-01-01", ""],
        ["别区的支部", "party", other_area.name, "", "", "", "", ""],
        ["业委会没有小区", "owners_committee", area.name, "", "", "", "", ""],
    ]
    before = _counts()

    result = roster_import(actor=secretary, street=street, rows=_read(_xlsx(rows)), dry_run=True)

    found = {(p.row, p.column, p.code) for p in result.problems}
    assert found - {(8, "", "invalid")} == {
        (3, "kind", "unknown_kind"),
        (4, "start_date", "invalid_date"),
        (4, "part_time", "invalid_yes_no"),
        (5, "area", "unknown_area"),
        (6, "title", "required"),
        (7, "area", "not_managed"),
    }
    assert {p.row for p in result.problems} == {3, 4, 5, 6, 7, 8}  # the database's rule, too
    assert all(p.message for p in result.problems)
    assert _counts() == before


def test_import_writes_every_row(secretary, street, area, good_rows):
    result = roster_import(actor=secretary, street=street, rows=_read(_xlsx(good_rows)))

    assert result.written and result.problems == []
    party = Organization.objects.get(street=street, name="测试党总支")
    assert party.area == area
    assert set(party.posts.values_list("person__name", "title")) == {
        ("赵书记", "secretary"),
        ("钱委员", "committee_member"),
    }
    committee_post = Post.objects.get(organization__name="测试业委会")
    assert committee_post.part_time and committee_post.person.name == "钱委员"
    assert Person.objects.filter(name="钱委员").count() == 1  # one person, two posts


def test_import_writes_nothing_when_one_row_is_wrong(secretary, street, area, good_rows):
    rows = [*good_rows, ["最后一行", "party", area.name, "", "吴委员", "member", "昨天", ""]]
    before = _counts()

    result = roster_import(actor=secretary, street=street, rows=_read(_xlsx(rows)))

    assert [(p.row, p.column) for p in result.problems] == [(6, "start_date")]
    assert not result.written
    assert _counts() == before


def test_a_roster_loaded_twice_adds_nothing_the_second_time(secretary, street, good_rows):
    roster_import(actor=secretary, street=street, rows=_read(_xlsx(good_rows)))
    before = _counts()

    again = roster_import(actor=secretary, street=street, rows=_read(_xlsx(good_rows)))

    assert again.written and again.posts_on_record == 3
    assert _counts() == before


def test_import_reuses_the_organisations_and_people_on_record(secretary, street, area):
    committee = factories.OrganizationFactory(area=area, residents_committee=True, name="老居委会")
    person = factories.PersonFactory(area=area, name="老主任")
    rows = [["老居委会", "", "", "", "老主任", "director", "2024-01-01", ""]]

    result = roster_import(actor=secretary, street=street, rows=_read(_xlsx(rows)))

    assert (result.organizations_created, result.people_created, result.posts_created) == (0, 0, 1)
    assert Post.objects.get(person=person).organization == committee


def test_import_refuses_an_organisation_of_another_kind_on_record(secretary, street, area):
    factories.OrganizationFactory(area=area, residents_committee=True, name="老居委会")
    rows = [["老居委会", "party", "", "", "", "", "", ""]]

    result = roster_import(actor=secretary, street=street, rows=_read(_xlsx(rows)))

    assert [(p.column, p.code) for p in result.problems] == [("kind", "kind_differs")]


def test_a_secretary_cannot_add_a_partner_unit_of_the_whole_street(secretary, street, street_staff):
    rows = [["街道共建单位", "regional_unit", "", "", "", "", "", ""]]

    refused = roster_import(actor=secretary, street=street, rows=_read(_xlsx(rows)))
    allowed = roster_import(actor=street_staff, street=street, rows=_read(_xlsx(rows)))

    assert [p.code for p in refused.problems] == ["not_managed"]
    assert allowed.written and Organization.objects.filter(name="街道共建单位", area=None).exists()


# Reading files


def test_headers_may_be_written_in_chinese_and_csv_may_be_gb18030(area):
    with translation.override("zh-hans"):
        header = roster.header()
    row = ["测试党总支", "党组织", area.name, "", "", "", "赵书记", "书记", "否", "2023-01-01"]

    rows = _read(_csv([row], encoding="gb18030", header=header), "名单.csv")

    assert header[0] != "organization"
    assert rows[0].number == 2
    assert rows[0].values["organization"] == "测试党总支"
    assert rows[0].values["person"] == "赵书记"
    assert rows[0].values["title"] == "书记"


def test_a_file_without_the_organisation_column_is_refused():
    with pytest.raises(roster.ValidationError) as error:
        _read(_xlsx([["x"]], header=["who"]))

    assert error.value.code == "missing_columns"


def test_a_file_that_is_no_workbook_is_refused():
    with pytest.raises(roster.ValidationError) as error:
        _read(b"not a zip", "roster.xlsx")

    assert error.value.code == "unreadable_file"


# The page


@pytest.fixture
def liaison(area):
    return factories.liaison(
        factories.OrganizationFactory(area=None, street=area.street, partner=True)
    )


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("secretary", 200), ("street_staff", 200), ("liaison", 404)],
)
def test_import_page_role_matrix(client, role, status, request):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))

    page = client.get(reverse("governance:roster_import"))
    template = client.get(reverse("governance:roster_template", args=["xlsx"]))

    assert page.status_code == template.status_code == status


def test_template_holds_the_columns_in_the_users_language(client, secretary):
    client.force_login(secretary)

    response = client.get(reverse("governance:roster_template", args=["xlsx"]))

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    with translation.override("zh-hans"):
        assert [cell.value for cell in sheet[1]] == roster.header()


# The command


def test_command_dry_run_then_import(street, secretary, good_rows, tmp_path):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(_xlsx(good_rows))
    out = io.StringIO()

    call_command(
        "import_roster",
        str(path),
        street=street.code,
        dry_run=True,
        user=secretary.username,
        stdout=out,
    )
    assert not Organization.objects.filter(name="测试党总支").exists()
    call_command(
        "import_roster", str(path), street=street.code, user=secretary.username, stdout=out
    )

    assert "4/4" in out.getvalue()  # the progress bar reached the end
    assert Organization.objects.filter(name="测试党总支").exists()


def test_command_reports_problems_and_writes_nothing(street, secretary, area, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes(_csv([["坏的种类", "church", area.name, "", "", "", "", ""]]))
    err = io.StringIO()

    with pytest.raises(CommandError):
        call_command(
            "import_roster",
            str(path),
            street=street.code,
            user=secretary.username,
            stdout=io.StringIO(),
            stderr=err,
        )

    assert "row 2" in err.getvalue()
    assert not Organization.objects.filter(name="坏的种类").exists()


def test_an_organisation_export_imports_again_unchanged(client, secretary, street, area):
    committee = factories.OrganizationFactory(
        area=area,
        owners_committee=True,
        term_start=datetime.date(2022, 1, 1),
        term_end=datetime.date(2027, 1, 1),
    )
    factories.PostFactory(organization=committee, part_time=True)
    factories.PostFactory(organization=factories.OrganizationFactory(area=area))
    factories.OrganizationFactory(area=area, residents_committee=True)
    client.force_login(secretary)
    exported = client.get(reverse("governance:organization_export", args=["xlsx"]))
    before = _counts()

    result = roster_import(
        actor=secretary,
        street=street,
        rows=_read(b"".join(exported.streaming_content)),
    )

    assert result.problems == []
    assert (result.rows, result.posts_on_record, result.posts_created) == (3, 2, 0)
    assert _counts() == before
