"""What forums tell people about, registered with inbox: the sentence each kind about a forum,
a speech or an event's session reads as, and where its notification leads."""

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from forums.models import Event, EventSession, Forum, Speech
from inbox.models import Kind
from inbox.registry import register_target, register_text
from residents.models import User

register_text(
    Kind.SPEECH_REVIEW, _("Your speech “%(title)s” at “%(forum)s” waits for your review.")
)
register_text(Kind.FORUM_APPROVAL, _("The forum “%(forum)s” waits for approval."))
register_text(Kind.SESSION_FULL, _("The session of %(start)s of “%(event)s” is full."))
register_text(
    Kind.WAITLIST_GREW,
    _("Someone joined the waitlist of the session of %(start)s of “%(event)s”."),
)


def _speeches_visible_to(user: User) -> QuerySet[Speech]:
    return Speech.objects.filter(forum__in=Forum.objects.visible_to(user))


def _sessions_managed_by(user: User) -> QuerySet[EventSession]:
    return EventSession.objects.filter(event__in=Event.objects.managed_by(user))


def _event_manage_url(user: User, session: EventSession) -> str:
    return reverse("forums:event_manage", kwargs={"slug": session.event.slug})


register_target(Forum, Forum.objects.visible_to)
register_target(Speech, _speeches_visible_to)
register_target(EventSession, _sessions_managed_by, url=_event_manage_url)
