import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.models import Post, PostTitle
from residents.models import Person
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def private_records(area, other_area):
    """A person, an organisation and a post in each of two areas of one street."""
    records = {}
    for key, target in (("mine", area), ("theirs", other_area)):
        organization = factories.OrganizationFactory(area=target)
        post = factories.PostFactory(organization=organization)
        records[key] = {"person": post.person, "organization": organization, "post": post}
    return records


def staff_urls(records):
    person, organization, post = records["person"], records["organization"], records["post"]
    return [
        reverse("governance:person_detail", args=[person.pk]),
        reverse("governance:person_update", args=[person.pk]),
        reverse("governance:post_create", args=[organization.pk]),
        reverse("governance:post_end", args=[post.pk]),
    ]


@pytest.mark.parametrize("role", ["anonymous", "secretary", "other_secretary", "street_staff"])
def test_role_url_matrix_for_staff_pages(client, private_records, role, request):
    """Anonymous users go to log in; another area's secretary gets 404 on every URL."""
    expected = {"anonymous": 302, "secretary": 200, "other_secretary": 404, "street_staff": 200}
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    for url in staff_urls(private_records["mine"]):
        response = client.get(url)
        assert response.status_code == expected[role], url
        if role == "anonymous":
            assert response.url.startswith(reverse("login"))


def test_secretary_sees_no_other_areas_people_in_the_directory(client, secretary, private_records):
    client.force_login(secretary)
    response = client.get(reverse("governance:person_list"))
    assert private_records["mine"]["person"].name in response.text
    assert private_records["theirs"]["person"].name not in response.text
    assert private_records["theirs"]["person"].phone not in response.text


def test_person_list_is_paginated_and_keeps_filters(client, street_staff, area):
    factories.PersonFactory.create_batch(30, area=area)
    client.force_login(street_staff)
    response = client.get(reverse("governance:person_list"), {"area": area.pk})
    assert len(response.context["page_obj"].object_list) == 25
    assert f"area={area.pk}&amp;page=2" in response.text


def test_public_pages_never_show_contacts(client, area):
    post = factories.PostFactory(organization=factories.OrganizationFactory(area=area))
    for url in (
        "/",
        reverse("governance:area_list"),
        area.get_absolute_url(),
        post.organization.get_absolute_url(),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert post.person.phone not in response.text
        assert post.person.address not in response.text


def test_area_page_shows_post_holders_and_marks_cross_appointments(client, area):
    party = factories.OrganizationFactory(area=area, name="某党总支")
    committee = factories.OrganizationFactory(area=area, residents_committee=True)
    person = factories.PersonFactory(area=area, name="钱立群")
    factories.PostFactory(person=person, organization=party)
    factories.PostFactory(person=person, organization=committee)

    response = client.get(area.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")

    assert "某党总支" in response.text
    assert response.context["structure"].cross_appointed_ids == {person.pk}
    assert response.text.count('class="badge badge--cross"') >= 2


def _fill_area(area, posts):
    party = factories.OrganizationFactory(area=area)
    branch = factories.OrganizationFactory(area=area, parent=party)
    committee = factories.OrganizationFactory(area=area, owners_committee=True)
    partner = factories.OrganizationFactory(area=None, street=area.street, partner=True)
    factories.AgreementFactory(partner=partner, area=area)
    for number in range(posts):
        organization = (party, branch, committee, partner)[number % 4]
        factories.PostFactory(organization=organization, person__area=area)


@pytest.mark.parametrize("posts", [4, 60])
def test_area_page_query_count_does_not_grow_with_posts(
    client, area, posts, django_assert_max_num_queries
):
    _fill_area(area, posts)
    # The area, its organisations, their posts, agreements, the doorstep station, brands,
    # indicators, compounds and their building groups.
    with django_assert_max_num_queries(9):
        response = client.get(area.get_absolute_url())
    assert response.status_code == 200


@pytest.mark.parametrize("areas", [2, 20])
def test_home_and_area_list_query_counts_are_bounded(
    client, street, areas, django_assert_max_num_queries
):
    for _ in range(areas):
        _fill_area(factories.AreaFactory(street=street), 4)
    # The streets, their areas, compounds, organisations, agreements and posts (grouped, not
    # per area), the terms needing attention; the latest forums, practices, news and events;
    # when the next slot starts (the page is not kept past it).
    with django_assert_max_num_queries(12):
        assert client.get("/").status_code == 200
    # The count, the page's areas and their figures grouped as on the street overview.
    with django_assert_max_num_queries(6):
        assert client.get(reverse("governance:area_list")).status_code == 200


def test_person_list_query_count_is_bounded(
    client, street_staff, area, django_assert_max_num_queries
):
    for _ in range(30):
        factories.PostFactory(organization=factories.OrganizationFactory(area=area))
    client.force_login(street_staff)
    # + the inbox's unread count in the navigation, + whether the user keeps records
    with django_assert_max_num_queries(8):
        assert client.get(reverse("governance:person_list")).status_code == 200


def test_secretary_adds_a_post(client, secretary, area):
    organization = factories.OrganizationFactory(area=area)
    person = factories.PersonFactory(area=area)
    client.force_login(secretary)

    response = client.post(
        reverse("governance:post_create", args=[organization.pk]),
        {
            "person": person.pk,
            "title": PostTitle.DEPUTY_SECRETARY,
            "part_time": "on",
            "start_date": TODAY.isoformat(),
        },
    )

    assert response.status_code == 302
    post = Post.objects.get(organization=organization)
    assert (post.person, post.part_time) == (person, True)


def test_post_ending_before_start_is_refused_and_nothing_saved(client, secretary, area):
    organization = factories.OrganizationFactory(area=area)
    person = factories.PersonFactory(area=area)
    client.force_login(secretary)

    response = client.post(
        reverse("governance:post_create", args=[organization.pk]),
        {
            "person": person.pk,
            "title": PostTitle.SECRETARY,
            "start_date": "2026-05-01",
            "end_date": "2026-04-01",
        },
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )

    assert response.status_code == 200
    assert response.context["form"].errors.as_data()["end_date"][0].code == "post_ends_before_start"
    assert not Post.objects.exists()


def test_secretary_cannot_post_another_areas_person(client, secretary, area, other_area):
    organization = factories.OrganizationFactory(area=area)
    theirs = factories.PersonFactory(area=other_area)
    client.force_login(secretary)

    response = client.post(
        reverse("governance:post_create", args=[organization.pk]),
        {"person": theirs.pk, "title": PostTitle.SECRETARY, "start_date": TODAY.isoformat()},
    )

    assert response.status_code == 200
    assert response.context["form"].errors.as_data()["person"][0].code == "invalid_choice"
    assert not Post.objects.exists()


def test_ending_a_post_asks_for_confirmation_then_ends_it(client, secretary, area):
    post = factories.PostFactory(organization=factories.OrganizationFactory(area=area))
    client.force_login(secretary)
    url = reverse("governance:post_end", args=[post.pk])

    assert client.get(url).status_code == 200
    post.refresh_from_db()
    assert post.end_date is None

    response = client.post(url, {"end_date": TODAY.isoformat()})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.end_date == TODAY


def test_ending_a_post_before_it_started_is_refused(client, secretary, area):
    post = factories.PostFactory(organization=factories.OrganizationFactory(area=area))
    client.force_login(secretary)
    response = client.post(
        reverse("governance:post_end", args=[post.pk]),
        {"end_date": (post.start_date - datetime.timedelta(days=1)).isoformat()},
    )
    assert response.status_code == 200
    assert response.context["form"].errors.as_data()["end_date"][0].code == "post_ends_before_start"
    post.refresh_from_db()
    assert post.end_date is None


def test_secretary_adds_a_person_to_their_area_only(client, secretary, area, other_area):
    client.force_login(secretary)
    url = reverse("governance:person_create")

    refused = client.post(url, {"name": "新居民", "area": other_area.pk, "phone": "13900000000"})
    assert refused.status_code == 200
    assert not Person.objects.filter(name="新居民").exists()

    created = client.post(url, {"name": "新居民", "area": area.pk, "phone": "13900000000"})
    assert created.status_code == 302
    person = Person.objects.get(name="新居民")
    assert (person.area, person.street) == (area, area.street)


def test_street_staff_may_register_a_person_with_the_street_office(client, street_staff, street):
    client.force_login(street_staff)
    response = client.post(reverse("governance:person_create"), {"name": "街道联络员"})
    assert response.status_code == 302
    assert Person.objects.get(name="街道联络员").street == street


def test_every_page_sends_a_csp_without_unsafe_inline(client, area):
    for url in ("/", area.get_absolute_url(), reverse("login")):
        policy = client.get(url)["Content-Security-Policy"]
        assert "default-src 'self'" in policy
        assert "unsafe-inline" not in policy


def test_directory_filters_by_holding_a_current_post(client, street_staff, area):
    holder = factories.PostFactory(organization=factories.OrganizationFactory(area=area)).person
    former = factories.PostFactory(
        organization=factories.OrganizationFactory(area=area),
        start_date=TODAY - datetime.timedelta(days=30),
        end_date=TODAY - datetime.timedelta(days=1),
    ).person
    client.force_login(street_staff)
    url = reverse("governance:person_list")
    assert list(client.get(url, {"holds_post": "yes"}).context["page_obj"]) == [holder]
    assert list(client.get(url, {"holds_post": "no"}).context["page_obj"]) == [former]
    assert len(client.get(url).context["page_obj"]) == 2


def test_organisation_and_person_pages_query_counts_are_bounded(
    client, street_staff, area, django_assert_max_num_queries
):
    organization = factories.OrganizationFactory(area=area)
    posts = factories.PostFactory.create_batch(15, organization=organization, person__area=area)
    person = posts[0].person
    for _ in range(10):
        factories.PostFactory(person=person, organization=factories.OrganizationFactory(area=area))
    client.force_login(street_staff)
    with django_assert_max_num_queries(9):
        assert client.get(organization.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(person.get_absolute_url()).status_code == 200


def test_healthz_is_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz/").status_code == 200
    assert client.get("/").status_code == 301
