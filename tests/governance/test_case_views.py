import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from governance import services
from governance.models import AttachmentKind, Case, CaseStatus, Channel, Priority
from tests import factories
from tests.markup import elements

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(area, other_area, secretary, django_capture_on_commit_callbacks):
    """A case in the area with a lead property company and a street-level team assisting."""
    lead = factories.OrganizationFactory(area=area, property_company=True)
    team = factories.OrganizationFactory(area=None, street=area.street, partner=True)
    outsider = factories.OrganizationFactory(area=None, street=area.street, partner=True)
    case = factories.case(
        area, secretary, title="崂山三村液化气钢瓶清零", reporter_phone="13911112222"
    )
    services.case_set_parties(case=case, actor=secretary, lead=lead, assisting=[team])
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, format="PNG")
    with django_capture_on_commit_callbacks(execute=True):
        attachment = services.case_attach(
            case=case,
            actor=secretary,
            kind=AttachmentKind.BEFORE,
            upload=SimpleUploadedFile("before.png", buffer.getvalue()),
        )
    return {
        "case": case,
        "attachment": attachment,
        "team_liaison": factories.liaison(team),
        "outside_liaison": factories.liaison(outsider),
    }


ROLES = [
    "anonymous",
    "secretary",
    "other_secretary",
    "team_liaison",
    "outside_liaison",
    "street_staff",
]
VIEW = {
    "anonymous": 302,
    "secretary": 200,
    "other_secretary": 404,
    "team_liaison": 200,
    "outside_liaison": 404,
    "street_staff": 200,
}
MANAGE = {**VIEW, "team_liaison": 404}


def _login(client, role, world, request):
    if role == "anonymous":
        return
    user = world[role] if role in world else request.getfixturevalue(role)
    client.force_login(user)


@pytest.mark.parametrize("role", ROLES)
def test_role_url_matrix_for_a_case(client, world, role, request):
    _login(client, role, world, request)
    case = world["case"]
    urls = {
        case.get_absolute_url(): VIEW,
        world["attachment"].get_absolute_url(): VIEW,
        reverse("governance:case_edit", args=[case.number]): MANAGE,
    }
    for url, expected in urls.items():
        response = client.get(url)
        assert response.status_code == expected[role], (url, role)
        if role == "anonymous":
            assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("role", ["other_secretary", "outside_liaison"])
def test_posts_to_a_case_out_of_sight_are_404_and_change_nothing(client, world, role, request):
    _login(client, role, world, request)
    case = world["case"]
    for name, data in [
        ("case_transition", {"to": CaseStatus.ACCEPTED}),
        ("case_update", {"kind": "note", "text": "看一看"}),
        ("case_parties", {}),
        ("case_follow_up", {"satisfaction": "satisfied"}),
        ("case_due_date", {"due_date": "2030-01-01", "reason": "x"}),
    ]:
        assert (
            client.post(reverse(f"governance:{name}", args=[case.number]), data).status_code == 404
        )
    case.refresh_from_db()
    assert case.status == CaseStatus.NEW
    assert case.updates.count() == 1


def _transition_buttons(response) -> dict[str, "object"]:
    """The submit button of each transition form, by the status it moves the case to."""
    buttons = {}
    for field in elements(response.content, "input"):
        if field.attrs.get("name") == "to":
            form = field.inside("form")
            buttons[field.attrs["value"]] = next(
                b for b in elements(response.content, "button") if form in b.parents
            )
    return buttons


def test_accepting_is_the_one_primary_action_and_rejecting_sits_in_a_closed_disclosure(
    client, world, secretary
):
    client.force_login(secretary)

    buttons = _transition_buttons(client.get(world["case"].get_absolute_url()))

    accept, reject = buttons[CaseStatus.ACCEPTED], buttons[CaseStatus.REJECTED]
    assert accept.classes == {"button"}
    assert "button--danger" in reject.classes
    disclosure = reject.inside("details")
    assert disclosure is not None and "open" not in disclosure.attrs
    assert accept.inside("details") is None
    assert "---------" not in client.get(world["case"].get_absolute_url()).content.decode()


def test_a_case_with_two_ways_forward_has_one_primary_button(client, world, secretary):
    case = world["case"]
    for to in (CaseStatus.ACCEPTED, CaseStatus.IN_PROGRESS, CaseStatus.RESOLVED):
        services.case_transition(case=case, to=to, actor=secretary)
    services.case_transition(case=case, to=CaseStatus.REOPENED, actor=secretary, note="漏水又犯")
    client.force_login(secretary)

    buttons = _transition_buttons(client.get(case.get_absolute_url()))

    assert set(buttons) == {CaseStatus.IN_PROGRESS, CaseStatus.RESOLVED}
    assert buttons[CaseStatus.IN_PROGRESS].classes == {"button"}
    assert buttons[CaseStatus.RESOLVED].classes == {"button", "button--secondary"}


def test_the_liaison_of_a_party_sees_its_cases_only(client, world, area, secretary):
    other = factories.case(area, secretary, title="别的案件")
    client.force_login(world["team_liaison"])
    listed = [c.number for c in client.get(reverse("governance:case_list")).context["page_obj"]]
    assert listed == [world["case"].number]
    assert client.get(other.get_absolute_url()).status_code == 404


def test_attachment_is_served_with_its_checked_type_and_never_cached(client, world, secretary):
    client.force_login(secretary)
    response = client.get(world["attachment"].get_absolute_url())
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_private_reporter_data_shows_to_case_workers_only(client, world, secretary):
    client.force_login(secretary)
    assert "13911112222" in client.get(world["case"].get_absolute_url()).text
    client.logout()
    for url in ("/", reverse("governance:area_list"), world["case"].area.get_absolute_url()):
        assert "13911112222" not in client.get(url).text


def test_workbench_counts_per_status_and_filters(client, world, area, secretary):
    services.case_transition(
        case=factories.case(area, secretary, title="路灯不亮"),
        to=CaseStatus.ACCEPTED,
        actor=secretary,
    )
    client.force_login(secretary)
    response = client.get(reverse("governance:case_list"))
    counts = {status.value: n for status, n in response.context["status_counts"]}
    assert (counts["new"], counts["accepted"]) == (1, 1)
    filtered = client.get(reverse("governance:case_list"), {"status": "accepted"})
    assert [c.title for c in filtered.context["page_obj"]] == ["路灯不亮"]
    assert {s.value: n for s, n in filtered.context["status_counts"]}["new"] == 1
    searched = client.get(reverse("governance:case_list"), {"q": "钢瓶"})
    assert [c.title for c in searched.context["page_obj"]] == ["崂山三村液化气钢瓶清零"]


def test_overdue_cases_are_marked_on_the_workbench_and_the_case(client, world, secretary):
    Case.objects.filter(pk=world["case"].pk).update(due_date="2020-01-01")
    client.force_login(secretary)
    assert "case-row--overdue" in client.get(reverse("governance:case_list")).text
    assert (
        client.get(reverse("governance:case_list"), {"overdue": "on"})
        .context["page_obj"]
        .paginator.count
        == 1
    )
    assert "badge--term-expired" in client.get(world["case"].get_absolute_url()).text


def _many_cases(area, secretary, count):
    lead = factories.OrganizationFactory(area=area, residents_committee=True)
    category = factories.CategoryFactory()
    for number in range(count):
        case = factories.case(area, secretary, category=category, title=f"案件{number}")
        services.case_set_parties(case=case, actor=secretary, lead=lead, assisting=[])
        services.case_add_update(case=case, actor=secretary, text="进展")


@pytest.mark.parametrize("count", [3, 40])
def test_workbench_query_count_is_constant(
    client, area, secretary, count, django_assert_max_num_queries
):
    _many_cases(area, secretary, count)
    client.force_login(secretary)
    for query in ({}, {"status": "new"}, {"q": "案件"}, {"sort": "due"}):
        with django_assert_max_num_queries(7):  # a first page: its rows in one query
            assert client.get(reverse("governance:case_list"), query).status_code == 200


@pytest.mark.parametrize("updates", [2, 30])
def test_case_page_query_count_is_constant(
    client, world, secretary, updates, django_assert_max_num_queries
):
    case = world["case"]
    for number in range(updates):
        services.case_add_update(case=case, actor=secretary, text=f"第{number}次进展")
        services.case_edit(
            case=case,
            actor=secretary,
            version=Case.objects.get(pk=case.pk).version,
            location=f"{number}号楼",
        )
    client.force_login(secretary)
    with django_assert_max_num_queries(13):  # + the inbox's unread count in the navigation
        assert client.get(case.get_absolute_url()).status_code == 200


def test_logging_a_case_warns_of_possible_duplicates(client, area, secretary):
    compound = factories.CompoundFactory(area=area)
    category = factories.CategoryFactory()
    factories.case(area, secretary, category=category, compound=compound, title="垃圾堆放")
    client.force_login(secretary)
    data = {
        "area": area.pk,
        "category": category.pk,
        "title": "又有垃圾",
        "description": "同一地点",
        "compound": compound.pk,
        "channel": Channel.PATROL,
        "priority": Priority.NORMAL,
    }

    warned = client.post(reverse("governance:case_create"), data)
    assert warned.status_code == 200
    assert [c.title for c in warned.context["form"].duplicates] == ["垃圾堆放"]
    assert Case.objects.count() == 1

    logged = client.post(reverse("governance:case_create"), {**data, "not_a_duplicate": "on"})
    assert logged.status_code == 302
    assert Case.objects.count() == 2


def test_transition_refused_on_the_page_shows_why_and_changes_nothing(client, world, secretary):
    client.force_login(secretary)
    response = client.post(
        reverse("governance:case_transition", args=[world["case"].number]),
        {"to": CaseStatus.RESOLVED},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "cannot go from new to resolved" in response.text
    world["case"].refresh_from_db()
    assert world["case"].status == CaseStatus.NEW


def test_admin_exports_the_filtered_cases_without_private_data(
    client, world, area, secretary, street_staff
):
    factories.case(area, secretary, title="已受理的案件")
    client.force_login(street_staff)
    url = reverse("admin:governance_case_export")
    response = client.get(url, {"q": "钢瓶"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 2
    assert rows[1][0] == world["case"].number
    assert "13911112222" not in text


def test_admin_export_shows_nothing_of_another_street(client, world):
    client.force_login(factories.street_staff(factories.StreetFactory()))
    response = client.get(reverse("admin:governance_case_export"))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 1


def test_admin_export_is_closed_to_secretaries(client, world, secretary):
    client.force_login(secretary)
    assert client.get(reverse("admin:governance_case_export")).status_code == 404
    client.logout()
    assert client.get(reverse("admin:governance_case_export")).status_code == 404


def test_a_long_filtered_list_says_more_than_the_cap_instead_of_counting(
    client, area, secretary, monkeypatch
):
    monkeypatch.setattr("governance.filters.COUNT_CAP", 3)
    monkeypatch.setattr("governance.views.cases.workbench.COUNT_CAP", 3)
    for number in range(5):
        factories.case(area, secretary, title=f"钢瓶{number}")
    client.force_login(secretary)
    response = client.get(reverse("governance:case_list"), {"q": "钢瓶"})
    assert response.context["counts_exact"] is False
    assert response.context["page_obj"].paginator.count == 3
    exact = client.get(reverse("governance:case_list"))
    assert exact.context["counts_exact"] is True
    assert exact.context["page_obj"].paginator.count == 5


def test_area_filter_counts_come_from_the_kept_counts(
    client, area, other_area, street_staff, secretary
):
    factories.case(area, secretary)
    elsewhere = factories.case(other_area)
    client.force_login(street_staff)
    response = client.get(reverse("governance:case_list"), {"area": other_area.pk})
    assert response.context["counts_exact"] is True
    assert response.context["page_obj"].paginator.count == 1
    assert [c.number for c in response.context["page_obj"]] == [elsewhere.number]


def test_a_status_tab_under_a_long_filter_lists_its_cases(client, area, secretary, monkeypatch):
    monkeypatch.setattr("governance.filters.COUNT_CAP", 3)
    monkeypatch.setattr("governance.views.cases.workbench.COUNT_CAP", 3)
    cases = [factories.case(area, secretary, title=f"钢瓶{number}") for number in range(5)]
    for case in cases[:2]:
        services.case_transition(case=case, to=CaseStatus.ACCEPTED, actor=secretary)
    client.force_login(secretary)
    response = client.get(reverse("governance:case_list"), {"q": "钢瓶", "status": "accepted"})
    assert sorted(c.title for c in response.context["page_obj"]) == ["钢瓶0", "钢瓶1"]
    assert response.context["page_obj"].paginator.count == 2


def test_admin_history_of_another_streets_case_is_404(client, world):
    client.force_login(factories.street_staff(factories.StreetFactory()))
    case = world["case"]
    assert client.get(reverse("admin:governance_case_history", args=[case.pk])).status_code == 404
    record = case.history.first()
    url = reverse("admin:governance_case_simple_history", args=[case.pk, record.history_id])
    assert client.get(url).status_code == 404


def test_the_admin_shows_a_case_but_changes_go_through_the_case_page(client, world, street_staff):
    client.force_login(street_staff)
    case = world["case"]
    url = reverse("admin:governance_case_change", args=[case.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"title": "改名", "due_date": "2020-01-01"}).status_code == 403
    case.refresh_from_db()
    assert case.title == "崂山三村液化气钢瓶清零"


def test_the_reporter_is_shown_only_to_those_who_manage_the_case(client, world):
    client.force_login(world["team_liaison"])
    response = client.get(world["case"].get_absolute_url())
    assert response.status_code == 200
    assert "13911112222" not in response.text


def test_a_case_page_has_no_duplicate_ids(client, world, secretary):
    import re

    client.force_login(secretary)
    ids = re.findall(r'\bid="([^"]+)"', client.get(world["case"].get_absolute_url()).text)
    assert len(ids) == len(set(ids))


def test_csv_cells_that_look_like_formulas_stay_text(client, world, area, secretary, street_staff):
    factories.case(area, secretary, title='=HYPERLINK("http://x")')
    client.force_login(street_staff)
    text = b"".join(client.get(reverse("admin:governance_case_export")).streaming_content).decode(
        "utf-8-sig"
    )
    assert "'=HYPERLINK" in text


def test_the_admin_counts_a_long_list_only_up_to_its_cap(
    client, area, secretary, street_staff, monkeypatch
):
    monkeypatch.setattr("governance.admin.cases.ADMIN_COUNT_CAP", 2)
    for _ in range(3):
        factories.case(area, secretary)
    client.force_login(street_staff)
    response = client.get(reverse("admin:governance_case_changelist"))
    assert response.context["cl"].result_count == 2


def test_a_case_action_without_the_right_is_404_and_a_bad_form_names_its_field(
    client, world, secretary
):
    case = world["case"]
    client.force_login(secretary)
    refused = client.post(
        reverse("governance:case_due_date", args=[case.number]),
        {"due_date": "2030-01-01", "reason": "需协调"},
    )
    assert refused.status_code == 404
    due = case.due_date
    case.refresh_from_db()
    assert case.due_date == due

    response = client.post(
        reverse("governance:case_attachment_upload", args=[case.number]),
        {"kind": AttachmentKind.AFTER},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert any(str(m).startswith("photo or PDF:") for m in response.context["messages"])
    assert case.attachments.count() == 1


def test_a_label_and_its_value_are_joined_by_a_full_width_colon_in_chinese(
    client, world, secretary
):
    client.force_login(secretary)
    url = world["case"].get_absolute_url()
    chinese = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "</strong>：" in chinese and "</strong>: " not in chinese
    assert "</strong>: " in english


@pytest.mark.parametrize(
    ("role", "may_change"), [("street_staff", True), ("secretary", False), ("superuser", True)]
)
def test_the_due_date_form_shows_to_the_cases_street_office_only(
    request, client, world, role, may_change
):
    """Read with the case (``CaseScope.cases(due_date_right=True)``), as can_change_due_date
    decides it: street staff of the case's street and superusers, never an area's secretary."""
    if role == "superuser":
        user = factories.UserFactory(is_superuser=True, is_staff=True)
    else:
        user = request.getfixturevalue(role)
    client.force_login(user)
    page = client.get(world["case"].get_absolute_url()).text
    assert ('id="due-heading"' in page) is may_change
    assert (reverse("governance:case_due_date", args=[world["case"].number]) in page) is may_change


def test_the_case_page_queries_for_street_staff_are_bounded(
    client, world, street_staff, django_assert_max_num_queries
):
    """Street staff's right to change the due date is read with the case, not asked apart."""
    client.force_login(street_staff)
    with django_assert_max_num_queries(13):  # + the inbox's unread count in the navigation
        assert client.get(world["case"].get_absolute_url()).status_code == 200
