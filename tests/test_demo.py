import io

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from governance.models import Organization, OrganizationKind, Post, PostTitle, TermState
from residents.models import ResidentialArea, Street

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_once")]


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for app in ("residents", "governance", "wishes", "brands", "forums")
        for model in apps.get_app_config(app).get_models()
    }


def test_load_demo_twice_gives_the_same_rows(demo):
    first = _row_counts()
    call_command("load_demo", force=True, stdout=io.StringIO())
    assert _row_counts() == first
    assert first["residents.ResidentialArea"] == 5


def _login_request():
    """The login lockout (django-axes) checks every authentication against its client."""
    return RequestFactory().post("/accounts/login/")


def test_demo_street_has_the_facts_of_the_source_document(demo):
    street = Street.objects.get(name="陆家嘴街道")
    assert set(
        ResidentialArea.objects.filter(street=street).values_list("short_name", flat=True)
    ) == {"崂三", "市新", "乳五", "东一", "仁恒"}
    laosan = ResidentialArea.objects.get(slug="laosan")
    assert laosan.compounds.filter(name="崂山三村").exists()
    assert Post.objects.filter(organization__area=laosan).cross_appointments().exists()
    part_time_deputies = Post.objects.current().filter(
        organization__area__slug="shixin",
        organization__kind=OrganizationKind.PARTY,
        title=PostTitle.DEPUTY_SECRETARY,
        part_time=True,
        person__posts__organization__kind=OrganizationKind.REGIONAL_UNIT,
    )
    assert part_time_deputies.count() >= 2
    assert (
        Organization.objects.filter(
            area__slug="ruwu", kind=OrganizationKind.PARTY, building_group__isnull=False
        ).count()
        >= 3
    )
    enforcement = Organization.objects.get(name="陆家嘴街道城管执法中队")
    assert (
        Organization.objects.serving(ResidentialArea.objects.get(slug="shixin"))
        .filter(pk=enforcement.pk)
        .exists()
    )
    states = {
        o.term_state() for o in Organization.objects.filter(kind=OrganizationKind.OWNERS_COMMITTEE)
    }
    assert TermState.EXPIRING in states


def test_demo_street_has_an_area_without_cross_appointment(demo):
    dongyi = ResidentialArea.objects.get(slug="dongyi")
    assert not Post.objects.filter(organization__area=dongyi).cross_appointments().exists()


@pytest.mark.parametrize("username", ["admin", "laosan", "shixin", "ruwu", "dongyi", "renheng"])
def test_demo_logins_work(demo, username):
    user = authenticate(_login_request(), username=username, password="demo-pass-2026")
    assert user is not None
    if username != "admin":
        assert list(user.areas.values_list("slug", flat=True)) == [username]
    else:
        assert user.is_superuser and user.is_street_staff


def test_demo_cases_cover_every_area_state_and_category_over_six_months(demo):
    from django.utils import timezone

    from governance.models import Case, CaseStatus, Category

    cases = Case.objects.all()
    assert cases.count() >= 40
    assert set(cases.values_list("area__slug", flat=True)) == {
        "laosan",
        "shixin",
        "ruwu",
        "dongyi",
        "renheng",
    }
    assert set(cases.values_list("status", flat=True)) == set(CaseStatus.values)
    assert set(cases.values_list("category", flat=True)) == set(
        Category.objects.values_list("pk", flat=True)
    )
    oldest = min(cases.values_list("created_at", flat=True))
    assert (timezone.now() - oldest).days >= 150


def test_demo_named_cases_tell_the_stories_of_the_forum(demo):
    from governance.models import Case, CaseStatus, PartyRole, Satisfaction

    lpg = Case.objects.get(title="崂山三村液化气钢瓶清零")
    assert lpg.status == CaseStatus.CLOSED
    assert lpg.follow_ups.get().satisfaction == Satisfaction.SATISFIED
    assert lpg.indicator.readings.order_by("-date").first().value == 0
    structure = Case.objects.get(title="市新小区违章搭建拆除")
    assert structure.parties.get(role=PartyRole.LEAD).organization.name == "陆家嘴街道城管执法中队"
    clutter = Case.objects.get(title="乳山五村3号楼楼道堆物")
    assert clutter.building_group.name == "3号楼"
    parking = Case.objects.get(title="东园一村非机动车乱停放")
    assert parking.channel == "joint_duty_station"
    assert Case.objects.filter(area__slug="renheng", title__startswith="Lift").exists()


def test_demo_liaison_sees_the_law_enforcement_teams_cases_only(demo):
    from governance.models import Case, PartyRole

    liaison = authenticate(_login_request(), username="chengguan", password="demo-pass-2026")
    visible = Case.objects.visible_to(liaison)
    assert visible.exists()
    assert all(
        case.parties.filter(organization__name="陆家嘴街道城管执法中队").exists()
        for case in visible
    )
    assert visible.filter(parties__role=PartyRole.LEAD, title="市新小区违章搭建拆除").exists()


def test_demo_forum_is_the_forum_of_the_source_document(demo, client):
    from forums.models import Forum, NewsItem, Practice, PublicationStatus, SpeechKind

    forum = Forum.objects.get(slug="secretary-forum-1-3-n")
    assert forum.status == PublicationStatus.PUBLISHED
    assert forum.host.name == "吴妹"
    assert {guest.name for guest in forum.guests} == {"王云芝", "金桥"}
    speeches = list(forum.speeches.all())
    assert [s.kind for s in speeches] == (
        [SpeechKind.PRESENTATION] + [SpeechKind.SPEECH] * 5 + [SpeechKind.CLOSING]
    )
    assert [(s.speaker_name, s.title, s.subtitle) for s in speeches[1:6]] == [
        ("赵子正", "多元协同参与", "破解小区治理难题"),
        ("李娟", "党建引领联建", "建设美丽家园"),
        ("沈庆", "党建引领展风采", "融入楼组现成效"),
        ("周海侠", "联勤联动助力治理", "提质增能打造家园"),
        ("唐佳", "打造有活力的党建品牌", "提升基层党建水平"),
    ]
    assert speeches[-1].speaker_name == "王云芝"
    assert Practice.objects.published().count() >= 6
    assert NewsItem.objects.published().filter(title__contains="四史").exists()
    assert client.get(forum.get_absolute_url()).status_code == 200


def test_demo_draft_forum_stays_invisible_to_the_public(demo, client):
    from forums.models import Forum, SearchEntry

    draft = Forum.objects.get(slug="draft-forum-2021")
    assert draft.status == "draft"
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert draft.title not in client.get("/forums/").text
    assert not SearchEntry.objects.filter(kind="forum", object_id=draft.pk).exists()
