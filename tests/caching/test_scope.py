"""What a user may see follows their scope on the very next request: nothing kept per user
outlives a change of the person a login stands for, their posts or their groups."""

import pytest
from django.test import Client
from django.urls import reverse

from governance import services
from governance.models import OrganizationKind, PostTitle
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300


@pytest.fixture
def units(area, other_area, street_staff):
    """Two partner units, each the lead party of a case of its own."""
    found = []
    for title, name in (("占道经营", "城管中队"), ("违法建筑", "市场监管所")):
        unit = factories.OrganizationFactory(
            area=None, street=area.street, kind=OrganizationKind.REGIONAL_UNIT, name=name
        )
        case = factories.case(other_area, actor=street_staff, title=title)
        services.case_set_parties(case=case, actor=street_staff, lead=unit, assisting=[])
        found.append(unit)
    return found


def test_a_liaison_linked_to_another_person_sees_the_new_units_cases_at_once(client, units):
    first_unit, second_unit = units
    liaison = factories.liaison(first_unit)
    other_person = factories.PersonFactory(street=second_unit.street)
    factories.PostFactory(person=other_person, organization=second_unit, title=PostTitle.LIAISON)
    client.force_login(liaison)
    url = reverse("governance:case_list")
    before = client.get(url).content.decode()

    liaison.person = other_person
    liaison.save()
    after = client.get(url).content.decode()

    assert "占道经营" in before and "违法建筑" not in before
    assert "违法建筑" in after and "占道经营" not in after


def test_a_liaison_whose_post_ends_no_longer_sees_the_units_cases(client, units):
    liaison = factories.liaison(units[0])
    client.force_login(liaison)
    url = reverse("governance:case_list")
    before = client.get(url).content.decode()

    liaison.person.posts.update(start_date="2000-01-01", end_date="2000-01-02")
    after = client.get(url).content.decode()

    assert "占道经营" in before
    assert "占道经营" not in after


@pytest.mark.parametrize(
    "change",
    [
        lambda user, area: setattr(user, "person", factories.PersonFactory(area=area)),
        lambda user, area: setattr(user, "role", "street_staff"),
        lambda user, area: setattr(user, "is_active", False),
        lambda user, area: user.areas.add(factories.AreaFactory(street=area.street)),
        lambda user, area: user.groups.create(name="值班"),
        lambda user, area: user.person.posts.update(start_date="2000-01-01", end_date="2000-01-02"),
        lambda user, area: factories.PostFactory(
            person=user.person, organization=factories.OrganizationFactory(area=area)
        ),
    ],
    ids=["person", "role", "active", "areas", "groups", "post ended", "new post"],
)
def test_the_scope_fingerprint_changes_with_anything_that_decides_the_scope(area, change):
    from governance.scope import scope_fingerprint

    user = factories.liaison(factories.OrganizationFactory(area=area))
    before = scope_fingerprint(user)

    change(user, area)
    user.save()
    user.refresh_from_db()

    assert scope_fingerprint(user) != before


def test_the_scope_fingerprint_is_stable_while_nothing_changes(area, secretary):
    from governance.scope import scope_fingerprint

    assert scope_fingerprint(secretary) == scope_fingerprint(
        type(secretary).objects.get(pk=secretary.pk)
    )


def _queries(client, url) -> tuple[str, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_the_workbench_list_is_kept_per_scope_and_a_case_change_shows_at_once(
    client, area, other_area, secretary, street_staff
):
    factories.case(area, secretary, title="楼道堆物")
    url = reverse("governance:case_list")
    client.force_login(secretary)
    first, rendering = _queries(client, url)
    again, kept = _queries(client, url)
    colleague = Client()
    colleague.force_login(street_staff)
    factories.case(other_area, street_staff, title="违法建筑")
    theirs = colleague.get(url).content.decode()

    factories.case(area, secretary, title="高空抛物")
    after = client.get(url).content.decode()

    assert "楼道堆物" in first and "楼道堆物" in again and kept < rendering
    assert "楼道堆物" in theirs and "违法建筑" in theirs  # street staff's own list
    assert "高空抛物" in after and "违法建筑" not in after


def test_a_value_cannot_depend_on_a_model_whose_bulk_writes_skip_the_cache():
    from django.core.exceptions import ImproperlyConfigured

    from caching.values import cached

    with pytest.raises(ImproperlyConfigured, match=r"residents\.User"):
        cached("x", parts=[], depends_on=["residents.User"], compute=lambda: 1)


def test_the_dashboards_figures_are_kept_per_areas_and_a_case_change_renews_them(
    client, area, secretary, street_staff
):
    url = reverse("reports:dashboard")
    client.force_login(street_staff)
    _first, rendering = _queries(client, url)
    _again, kept = _queries(client, url)

    factories.case(area, secretary)
    _after, renewed = _queries(client, url)

    assert kept < rendering
    assert renewed > kept  # computed again
