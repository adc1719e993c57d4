import io

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from governance.models import Organization, OrganizationKind, Post, PostTitle, TermState
from residents.models import ResidentialArea, Street

pytestmark = pytest.mark.django_db


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for app in ("residents", "governance")
        for model in apps.get_app_config(app).get_models()
    }


def test_load_demo_twice_gives_the_same_rows(demo):
    first = _row_counts()
    call_command("load_demo", force=True, stdout=io.StringIO())
    assert _row_counts() == first
    assert first["residents.ResidentialArea"] == 5


def test_load_demo_refuses_with_debug_off_unless_forced(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("load_demo", stdout=io.StringIO())
    assert not Street.objects.exists()


def test_load_demo_prints_progress_and_the_demo_logins(db, settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "[4/4]" in out.getvalue()
    assert "laosan / demo-pass-2026" in out.getvalue()


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
    user = authenticate(username=username, password="demo-pass-2026")
    assert user is not None
    if username != "admin":
        assert list(user.areas.values_list("slug", flat=True)) == [username]
    else:
        assert user.is_superuser and user.is_street_staff
