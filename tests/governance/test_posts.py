"""Posts corrected through ``post_update``, by those who manage the post's organisation."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from governance import services
from governance.models import PostTitle
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(area):
    return factories.PostFactory(
        organization__area=area,
        title=PostTitle.COMMITTEE_MEMBER,
        start_date=datetime.date(2024, 1, 1),
    )


def test_post_update_saves_what_it_is_given_and_keeps_the_rest(secretary, post):
    person, organization = post.person, post.organization

    services.post_update(post=post, actor=secretary, title=PostTitle.SECRETARY, part_time=True)

    post.refresh_from_db()
    assert (post.title, post.part_time) == (PostTitle.SECRETARY, True)
    assert (post.person, post.organization) == (person, organization)
    assert (post.start_date, post.end_date) == (datetime.date(2024, 1, 1), None)
    row = post.history.latest()
    assert (row.history_type, row.history_user) == ("~", secretary)


def test_post_update_refuses_a_secretary_of_another_area(other_secretary, post):
    with pytest.raises(PermissionDenied):
        services.post_update(post=post, actor=other_secretary, part_time=True)

    post.refresh_from_db()
    assert post.part_time is False


def test_post_update_refuses_a_move_to_an_organisation_the_actor_does_not_manage(
    secretary, post, other_area
):
    elsewhere = factories.OrganizationFactory(area=other_area)

    with pytest.raises(PermissionDenied):
        services.post_update(post=post, actor=secretary, organization=elsewhere)

    post.refresh_from_db()
    assert post.organization != elsewhere


def test_post_update_refuses_a_holder_the_actor_does_not_manage(secretary, post, other_area):
    stranger = factories.PersonFactory(area=other_area)

    with pytest.raises(PermissionDenied):
        services.post_update(post=post, actor=secretary, person=stranger)

    post.refresh_from_db()
    assert post.person != stranger


def test_post_update_refuses_an_end_before_the_start(secretary, post):
    with pytest.raises(ValidationError) as error:
        services.post_update(post=post, actor=secretary, end_date=datetime.date(2023, 12, 31))

    assert error.value.error_dict["end_date"][0].code == "post_ends_before_start"
    post.refresh_from_db()
    assert post.end_date is None
