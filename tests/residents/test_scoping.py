"""One scoping mechanism: ResidentialArea.objects.managed_by(user) and what is built on it."""

import pytest
from django.contrib.auth.models import AnonymousUser

from governance.forms.organizations import PersonForm, PostForm
from governance.models import Organization, Post
from residents.models import Person, ResidentialArea, Street
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def far_street_area():
    return factories.AreaFactory()


def test_anonymous_manages_nothing(area):
    assert not ResidentialArea.objects.managed_by(AnonymousUser()).exists()
    assert not Person.objects.visible_to(AnonymousUser()).exists()


def test_street_staff_manage_every_area_of_their_street_only(
    street_staff, area, other_area, far_street_area
):
    assert set(ResidentialArea.objects.managed_by(street_staff)) == {area, other_area}
    assert list(Street.objects.managed_by(street_staff)) == [area.street]


def test_secretary_manages_own_area_only(secretary, area, other_area):
    assert list(ResidentialArea.objects.managed_by(secretary)) == [area]
    assert not Street.objects.managed_by(secretary).exists()


def test_inactive_user_manages_nothing(secretary):
    secretary.is_active = False
    assert not ResidentialArea.objects.managed_by(secretary).exists()


def test_superuser_manages_every_street(area, far_street_area):
    superuser = factories.UserFactory(is_superuser=True, is_staff=True)
    assert set(ResidentialArea.objects.managed_by(superuser)) == {area, far_street_area}


def test_people_visible_to_secretary_are_those_of_their_area(secretary, area, other_area):
    mine = factories.PersonFactory(area=area)
    theirs = factories.PersonFactory(area=other_area)
    office = factories.PersonFactory(area=None, street=area.street)

    visible = set(Person.objects.visible_to(secretary))

    assert mine in visible
    assert theirs not in visible
    assert office not in visible


def test_people_visible_to_street_staff_are_those_of_their_street(
    street_staff, area, far_street_area
):
    mine = factories.PersonFactory(area=area)
    office = factories.PersonFactory(area=None, street=area.street)
    elsewhere = factories.PersonFactory(area=far_street_area)

    visible = set(Person.objects.visible_to(street_staff))

    assert {mine, office} <= visible
    assert elsewhere not in visible


def test_organisations_and_posts_managed_follow_the_area(secretary, area, other_area):
    mine = factories.PostFactory(organization=factories.OrganizationFactory(area=area))
    theirs = factories.PostFactory(organization=factories.OrganizationFactory(area=other_area))
    street_unit = factories.OrganizationFactory(area=None, street=area.street, partner=True)

    assert list(Organization.objects.managed_by(secretary)) == [mine.organization]
    assert list(Post.objects.managed_by(secretary)) == [mine]
    assert theirs.organization in Organization.objects.visible_to(secretary)
    assert street_unit not in Organization.objects.managed_by(secretary)


def test_post_form_offers_only_people_the_user_may_see(secretary, area, other_area):
    organization = factories.OrganizationFactory(area=area)
    mine = factories.PersonFactory(area=area)
    theirs = factories.PersonFactory(area=other_area)

    choices = set(PostForm(user=secretary, organization=organization).fields["person"].queryset)

    assert mine in choices
    assert theirs not in choices


def test_person_form_offers_only_the_users_areas(secretary, area, other_area):
    choices = set(PersonForm(user=secretary).fields["area"].queryset)
    assert choices == {area}


def test_renheng_secretary_gets_404_on_laosans_private_pages_and_sees_none_of_its_records(
    client, demo
):
    """The case of the issue, on the demo street."""
    from django.urls import reverse

    from governance.filters import PersonFilter
    from residents.models import User

    renheng = User.objects.get(username="renheng")
    client.force_login(renheng)
    laosan_person = Person.objects.get(name="赵子正")
    laosan_post = Post.objects.filter(person=laosan_person).first()
    laosan_org = Organization.objects.get(name="崂三居民区党总支")
    for url in (
        reverse("governance:person_detail", args=[laosan_person.pk]),
        reverse("governance:person_update", args=[laosan_person.pk]),
        reverse("governance:post_create", args=[laosan_org.pk]),
        reverse("governance:post_end", args=[laosan_post.pk]),
    ):
        assert client.get(url).status_code == 404, url

    directory = client.get(reverse("governance:person_list"), {"area": laosan_org.area_id})
    assert "赵子正" not in directory.text
    assert laosan_person.phone not in directory.text

    renheng_org = Organization.objects.get(name="仁恒居民区党支部")
    people = PostForm(user=renheng, organization=renheng_org).fields["person"].queryset
    assert not people.filter(area__slug="laosan").exists()
    assert set(PersonForm(user=renheng).fields["area"].queryset.values_list("slug", flat=True)) == {
        "renheng"
    }
    request = type("Request", (), {"user": renheng})()
    area_choices = PersonFilter(request=request).filters["area"].get_queryset(request)
    assert list(area_choices.values_list("slug", flat=True)) == ["renheng"]
