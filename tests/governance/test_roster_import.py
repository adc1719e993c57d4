"""The roster import page: an upload is recorded and run by a background task, and its own page
shows the progress, then the result."""

import datetime
import io
import logging
import zipfile

import pytest
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from governance.models import Organization, RosterImport, RosterImportStatus
from governance.models.cases import private_storage
from governance.models.imports import progress_key, progress_save
from governance.services.roster import RosterResult, roster_import_queue, roster_import_run
from governance.services.roster import background as roster_background
from tests import factories
from tests.governance.test_import import _counts, _csv, _xlsx

pytestmark = pytest.mark.django_db

ENGLISH = {"accept-language": "en"}


@pytest.fixture
def roster_rows(area):
    return [
        ["测试党总支", "party", area.name, "", "赵书记", "secretary", "2023-01-01", "no"],
        ["测试党总支", "", area.short_name, "", "钱委员", "committee_member", "2023-01-01", ""],
        ["测试居委会", "居委会", area.name, "", "", "", "", ""],
    ]


def _upload(client, data: bytes, name: str = "roster.xlsx", *, dry_run: bool = False):
    payload = {"file": SimpleUploadedFile(name, data)}
    if dry_run:
        payload["dry_run"] = "on"
    return client.post(reverse("governance:roster_import"), payload)


def _detail(record: RosterImport) -> str:
    return reverse("governance:roster_import_detail", args=[record.pk])


def test_roster_upload_is_imported_and_its_page_shows_the_counts(
    client, secretary, street, roster_rows, django_capture_on_commit_callbacks
):
    client.force_login(secretary)

    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, _csv(roster_rows), "名单.csv")
    page = client.get(response.url, headers=ENGLISH)

    record = RosterImport.objects.get()
    assert response.status_code == 302 and response.url == _detail(record)
    assert (record.status, record.written, record.street, record.actor) == (
        RosterImportStatus.DONE,
        True,
        street,
        secretary,
    )
    assert (record.rows_total, record.organizations_created) == (3, 2)
    assert (record.people_created, record.posts_created) == (2, 2)
    assert record.original_name == "名单.csv"
    assert Organization.objects.filter(name="测试党总支").exists()
    assert len(list(get_messages(response.wsgi_request))) == 1
    assert page.status_code == 200
    text = page.content.decode()
    assert "3 rows imported: 2 organisations, 2 people and 2 posts added" in text
    assert "http-equiv" not in text  # a finished import does not refresh itself


def test_roster_dry_run_with_bad_rows_lists_each_rows_problems_and_writes_nothing(
    client, secretary, area, roster_rows, django_capture_on_commit_callbacks
):
    rows = [
        *roster_rows,
        ["坏的种类", "church", area.name, "", "", "", "", ""],
        ["坏的日期", "party", area.name, "", "李委员", "member", "2023-13-45", ""],
    ]
    client.force_login(secretary)
    before = _counts()

    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, _xlsx(rows), dry_run=True)
    page = client.get(response.url, headers=ENGLISH)

    record = RosterImport.objects.get()
    assert record.status == RosterImportStatus.DONE and not record.written
    assert [(p["row"], p["column"], p["code"]) for p in record.problems] == [
        (5, "kind", "unknown_kind"),
        (6, "start_date", "invalid_date"),
    ]
    assert all(p["message"] for p in record.problems)
    assert _counts() == before
    text = page.content.decode()
    assert '<th scope="row" class="num">5</th>' in text
    assert '<th scope="row" class="num">6</th>' in text
    assert "2 problems in the file" in text


def test_roster_import_with_one_bad_row_writes_nothing_through_the_task(
    client, secretary, area, roster_rows, django_capture_on_commit_callbacks
):
    rows = [*roster_rows, ["最后一行", "party", area.name, "", "吴委员", "member", "昨天", ""]]
    client.force_login(secretary)
    before = _counts()

    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, _xlsx(rows))

    record = RosterImport.objects.get()
    assert record.status == RosterImportStatus.DONE
    assert not record.written
    assert (record.organizations_created, record.people_created, record.posts_created) == (2, 2, 2)
    assert [(p["row"], p["column"]) for p in record.problems] == [(5, "start_date")]
    assert _counts() == before


def _archive_like_a_workbook() -> bytes:
    """An archive with a workbook's parts list and nothing else: it passes the upload's check
    and fails when the rows are read."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    return buffer.getvalue()


def test_roster_upload_that_is_no_workbook_is_refused_in_the_form(client, secretary):
    client.force_login(secretary)

    response = _upload(client, b"not a workbook", "roster.xlsx")

    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["file"]] == [
        "unreadable_file"
    ]
    assert not RosterImport.objects.exists()


def test_roster_unreadable_file_is_reported_as_a_problem_and_writes_nothing(
    client, secretary, django_capture_on_commit_callbacks
):
    client.force_login(secretary)
    before = _counts()

    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, _archive_like_a_workbook(), "roster.xlsx")
    page = client.get(response.url, headers=ENGLISH)

    record = RosterImport.objects.get()
    assert record.status == RosterImportStatus.DONE and not record.written
    assert [(p["row"], p["code"]) for p in record.problems] == [(0, "unreadable_file")]
    assert _counts() == before
    assert "1 problem in the file" in page.content.decode()


@pytest.mark.parametrize(
    ("viewer", "status"),
    [
        ("actor", 200),
        ("street_staff", 200),
        ("other_secretary", 404),
        ("other_street_staff", 404),
        ("liaison", 404),
        ("resident", 404),
    ],
)
def test_roster_import_page_is_seen_only_by_its_uploader_and_the_street_office(
    client, secretary, other_secretary, street_staff, area, viewer, status
):
    record = factories.RosterImportFactory(street=area.street, actor=secretary)
    users = {
        "actor": secretary,
        "street_staff": street_staff,
        "other_secretary": other_secretary,
        "other_street_staff": factories.street_staff(factories.StreetFactory()),
        "liaison": factories.liaison(
            factories.OrganizationFactory(area=None, street=area.street, partner=True)
        ),
        "resident": factories.UserFactory(),
    }
    client.force_login(users[viewer])

    assert client.get(_detail(record), headers=ENGLISH).status_code == status


def test_roster_import_page_needs_a_login(client, area):
    record = factories.RosterImportFactory(street=area.street)

    response = client.get(_detail(record), headers=ENGLISH)

    assert response.status_code == 302 and "login" in response.url


def test_roster_progress_callback_counts_the_rows_done_in_the_cache(secretary, area, monkeypatch):
    record = factories.RosterImportFactory(street=area.street, actor=secretary, dry_run=False)
    record.file.save("roster.xlsx", SimpleUploadedFile("roster.xlsx", _xlsx([["x"], ["y"]])))
    seen = []

    def import_rows(*, rows, progress, **kwargs):
        assert RosterImport.objects.get(pk=record.pk).rows_total == 2  # known before the rows
        for done in range(1, len(rows) + 1):
            progress(done)
            seen.append(cache.get(progress_key(record.pk)))
        return RosterResult(rows=len(rows))

    monkeypatch.setattr(roster_background, "roster_import", import_rows)

    roster_import_run(import_id=record.pk)

    assert seen == [1, 2]
    record.refresh_from_db()
    assert (record.status, record.rows_total) == (RosterImportStatus.DONE, 2)
    assert cache.get(progress_key(record.pk)) is None  # the count goes once the run ends


def test_roster_import_queue_refuses_a_street_the_user_does_not_work_for(secretary):
    upload = SimpleUploadedFile("roster.csv", b"organization\n")

    with pytest.raises(PermissionDenied):
        roster_import_queue(
            actor=secretary,
            street=factories.StreetFactory(),
            file=upload,
            dry_run=True,
            language="en",
        )

    assert not RosterImport.objects.exists()


def test_roster_page_shows_the_progress_from_the_cache_while_running(client, secretary, area):
    record = factories.RosterImportFactory(
        street=area.street, actor=secretary, status=RosterImportStatus.RUNNING, rows_total=40
    )
    progress_save(record.pk, 12)
    client.force_login(secretary)

    text = client.get(_detail(record), headers=ENGLISH).content.decode()

    assert 'value="12" max="40"' in text
    assert "12 of 40 rows" in text
    assert 'role="status"' in text
    assert '<label for="import-progress">' in text
    assert '<meta http-equiv="refresh" content="2">' in text
    assert "Upload a roster again" not in text


def test_roster_page_of_a_queued_import_waits_and_refreshes(
    client, secretary, area, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    client.force_login(secretary)

    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, _xlsx([["测试党总支", "party", area.name]]))
    text = client.get(response.url, headers=ENGLISH).content.decode()

    record = RosterImport.objects.get()
    assert record.status == RosterImportStatus.QUEUED
    assert record.file and private_storage().exists(record.file.name)
    assert '<meta http-equiv="refresh" content="2">' in text
    assert "<progress" in text


def test_roster_page_of_an_import_no_worker_started_stops_waiting(client, secretary, area):
    record = factories.RosterImportFactory(
        street=area.street,
        actor=secretary,
        status=RosterImportStatus.QUEUED,
        created_at=timezone.now() - datetime.timedelta(minutes=11),
    )
    client.force_login(secretary)

    text = client.get(_detail(record), headers=ENGLISH).content.decode()

    assert "background worker may be stopped" in text
    assert 'http-equiv="refresh"' not in text


def test_roster_file_is_deleted_once_the_run_ends(
    client, secretary, roster_rows, django_capture_on_commit_callbacks
):
    client.force_login(secretary)

    with django_capture_on_commit_callbacks() as callbacks:
        _upload(client, _xlsx(roster_rows))
    write_file, *run_import = callbacks  # the file is written first, then the run is queued
    write_file()
    name = RosterImport.objects.get().file.name
    assert name.startswith("roster-imports/") and private_storage().exists(name)
    assert "roster" not in name.rsplit("/", 1)[-1]  # a random name, not the uploaded one
    for callback in run_import:
        callback()

    record = RosterImport.objects.get()
    assert record.status == RosterImportStatus.DONE
    assert not record.file
    assert not private_storage().exists(name)


def test_roster_failure_inside_the_task_marks_the_import_failed_without_raising(
    client, secretary, roster_rows, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def broken(**kwargs):
        raise RuntimeError("赵书记 could not be saved")

    monkeypatch.setattr(roster_background, "roster_import", broken)
    client.force_login(secretary)
    before = _counts()

    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, _xlsx(roster_rows))
    page = client.get(response.url, headers=ENGLISH)

    record = RosterImport.objects.get()
    assert response.status_code == 302
    assert record.status == RosterImportStatus.FAILED and not record.written
    assert not record.file
    assert _counts() == before
    assert "RuntimeError" in caplog.text
    assert "赵书记" not in caplog.text  # the error's text may quote the file: not logged
    assert "The run stopped: nothing was written" in page.content.decode()


def test_roster_task_runs_an_import_once(secretary, area, monkeypatch):
    record = factories.RosterImportFactory(
        street=area.street, actor=secretary, status=RosterImportStatus.DONE
    )
    monkeypatch.setattr(roster_background, "roster_import", lambda **kwargs: pytest.fail("ran"))

    roster_import_run(import_id=record.pk)

    record.refresh_from_db()
    assert record.status == RosterImportStatus.DONE


def test_roster_import_page_query_count_is_bounded(
    client, secretary, area, django_assert_max_num_queries
):
    problems = [
        {"row": n, "column": "kind", "message": "not one of the listed values", "code": "x"}
        for n in range(2, 52)
    ]
    record = factories.RosterImportFactory(
        street=area.street,
        actor=secretary,
        status=RosterImportStatus.DONE,
        rows_total=50,
        problems=problems,
    )
    client.force_login(secretary)

    with django_assert_max_num_queries(5):
        response = client.get(_detail(record), headers=ENGLISH)

    assert response.content.decode().count('class="num"') == 50


def test_roster_imports_in_the_admin_are_read_only_and_scoped_to_the_street(client, area):
    mine = factories.RosterImportFactory(street=area.street)
    factories.RosterImportFactory()  # another street's
    client.force_login(factories.street_staff(area.street))

    changelist = client.get(reverse("admin:governance_rosterimport_changelist"))
    change = client.get(reverse("admin:governance_rosterimport_change", args=[mine.pk]))

    assert list(changelist.context["cl"].result_list) == [mine]
    assert change.status_code == 200
    assert change.context["has_change_permission"] is False
    assert client.get(reverse("admin:governance_rosterimport_add")).status_code == 403


def test_roster_import_form_links_the_users_recent_uploads(client, secretary, other_secretary):
    mine = factories.RosterImportFactory(
        street=secretary.street, actor=secretary, original_name="我的名单.xlsx"
    )
    factories.RosterImportFactory(
        street=other_secretary.street, actor=other_secretary, original_name="别人的名单.xlsx"
    )
    client.force_login(secretary)

    response = client.get(reverse("governance:roster_import"))

    assert list(response.context["recent"]) == [mine]
    assert f'href="{_detail(mine)}"' in response.content.decode()


@pytest.mark.parametrize(("viewer", "offered"), [("secretary", True), ("liaison", False)])
def test_people_page_offers_adding_importing_and_exporting_only_to_who_may_do_it(
    client, secretary, area, viewer, offered
):
    """A liaison keeps no records of people or organisations: the links would lead to a 404."""
    factories.OrganizationFactory(area=area, street=area.street)
    users = {
        "secretary": secretary,
        "liaison": factories.liaison(
            factories.OrganizationFactory(area=None, street=area.street, partner=True)
        ),
    }
    client.force_login(users[viewer])

    page = client.get(reverse("governance:person_list"), headers=ENGLISH).text

    for url in (
        reverse("governance:person_create"),
        reverse("governance:roster_import"),
        reverse("governance:organization_export", args=["csv"]),
        reverse("governance:organization_export", args=["xlsx"]),
    ):
        assert (f'href="{url}"' in page) is offered
        assert (client.get(url).status_code == 200) is offered
