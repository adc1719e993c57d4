import pytest
from django.utils import timezone

from tests import factories


@pytest.fixture
def forum(street, area):
    return factories.ForumFactory(street=street, areas=[area])


@pytest.fixture
def speaker(area):
    """The area's secretary, who gave a speech and logs in to confirm it."""
    person = factories.PersonFactory(area=area)
    return factories.secretary(area, person=person)


@pytest.fixture
def speech(forum, area, speaker):
    return factories.SpeechFactory(forum=forum, area=area, speaker=speaker.person)


@pytest.fixture
def published_forum(forum, speech, street_staff):
    return factories.publish(forum, street_staff)


@pytest.fixture
def event(street):
    return factories.EventFactory(street=street)


@pytest.fixture
def session(event):
    return factories.SessionFactory(event=event)


@pytest.fixture
def today_session(event):
    """A slot at noon today (local time), the day people are checked in at the door."""
    noon = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    return factories.SessionFactory(event=event, starts_at=noon)
