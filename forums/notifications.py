"""What forums tell people about, registered with inbox: where a notification about a forum,
a speech or an event's session leads."""

from django.db.models import QuerySet
from django.urls import reverse

from forums.models import Event, EventSession, Forum, Speech
from inbox.registry import register_target
from residents.models import User


def _speeches_visible_to(user: User) -> QuerySet[Speech]:
    return Speech.objects.filter(forum__in=Forum.objects.visible_to(user))


def _sessions_managed_by(user: User) -> QuerySet[EventSession]:
    return EventSession.objects.filter(event__in=Event.objects.managed_by(user))


def _event_manage_url(user: User, session: EventSession) -> str:
    return reverse("forums:event_manage", kwargs={"slug": session.event.slug})


register_target(Forum, Forum.objects.visible_to)
register_target(Speech, _speeches_visible_to)
register_target(EventSession, _sessions_managed_by, url=_event_manage_url)
