"""What rendering a public page costs in queries: bounded whatever the rows, and nothing for the
navigation of an anonymous visitor."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forums import services
from forums.models import PublicationStatus, Verdict
from tests import factories

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_navigation_costs_an_anonymous_visitor_no_query(client, street):
    # An empty search page reads nothing itself: every query would be the navigation's.
    assert _queries(client, reverse("forums:search")) == 0


def test_the_navigation_costs_a_signed_in_user_one_count(client, secretary):
    client.force_login(secretary)
    client.get(reverse("forums:search"))
    # The session and the user, which every signed-in page reads, and one count of unread.
    assert _queries(client, reverse("forums:search")) == 3


@pytest.mark.parametrize("speeches", [1, 8])
def test_the_forum_page_makes_a_fixed_number_of_queries(
    client, street, street_staff, speeches, django_assert_max_num_queries
):
    forum = factories.ForumFactory(street=street, areas=[factories.AreaFactory(street=street)])
    for _ in range(speeches):
        factories.SpeechFactory(forum=forum, area=factories.AreaFactory(street=street))
    factories.publish(forum, street_staff)
    # The forum and its street; its areas, topics, attendees, speeches with their areas; its
    # published versions. A visitor who is not signed in edits no speech, so reads no review.
    with django_assert_max_num_queries(6):
        assert client.get(forum.get_absolute_url()).status_code == 200


def test_the_forum_page_shows_who_edits_a_speech_its_last_review(
    client, forum, speech, speaker, street_staff
):
    services.publication_transition(item=forum, to=PublicationStatus.IN_REVIEW, actor=street_staff)
    services.speech_review(
        speech=speech, actor=speaker, verdict=Verdict.REQUEST_CHANGES, comment="第二段请改"
    )
    client.force_login(street_staff)
    response = client.get(forum.get_absolute_url())
    assert "第二段请改" in response.content.decode()


def test_the_event_page_makes_two_queries_whatever_the_sessions(
    client, event, django_assert_max_num_queries
):
    factories.SessionFactory.create_batch(14, event=event)
    # The event; its sessions to come with their waitlists.
    with django_assert_max_num_queries(2):
        assert client.get(event.get_absolute_url()).status_code == 200


def test_the_search_page_makes_three_queries_whatever_the_hits(
    client, street, street_staff, django_assert_max_num_queries
):
    for number in range(25):
        factories.publish(factories.NewsFactory(street=street, body=f"钢瓶{number}"), street_staff)
    factories.SessionFactory(event=factories.EventFactory(street=street, title="钢瓶开放日"))
    services.search_index_rebuild()
    # The capped count, the page of entries, the next sessions of the events on it.
    with django_assert_max_num_queries(3):
        response = client.get(reverse("forums:search"), {"q": "钢瓶"})
    assert len(response.context["hits"]) == 20
