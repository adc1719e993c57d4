"""What forums tell people about: the one-line hooks the publishing and booking services call
inside their own transaction, and, registered with inbox, the sentence each kind reads as and
where a notification about a forum, a speech or an event's session leads."""

from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forums.models import Booking, Event, EventSession, Forum, Speech
from governance import audiences
from inbox.models import Kind, Notification
from inbox.registry import register_target, register_text
from inbox.services import notify
from residents.models import User

# Hooks: each is one line in the service whose change it tells.


def speech_to_review(*, speech: Speech, actor: User) -> None:
    """A speech waits for its speaker (if the speaker can log in) while its forum is reviewed."""
    forum = speech.forum
    if forum.status != "in_review" or speech.review_state != "pending" or not speech.speaker_id:
        return
    notify(
        kind=Kind.SPEECH_REVIEW,
        about=speech,
        recipients=User.objects.filter(is_active=True, person_id=speech.speaker_id).exclude(
            pk__in=Notification.objects.unread()
            .filter(kind=Kind.SPEECH_REVIEW, object_id=speech.pk)
            .values("recipient_id")
        ),
        params={"title": speech.title, "forum": forum.title},
        actor=actor,
    )


def forum_in_review(*, forum: Forum, actor: User) -> None:
    """A forum went to review: each speaker is asked, or street staff may approve at once."""
    for speech in forum.speeches.all():
        speech_to_review(speech=speech, actor=actor)
    forum_may_be_approved(forum=forum, actor=actor)


def forum_may_be_approved(*, forum: Forum, actor: User) -> None:
    """Once no speaker with a login is waiting, the forum's street staff are told."""
    waiting = forum.speeches.filter(speaker__user__is_active=True).exclude(review_state="confirmed")
    if forum.status == "in_review" and not waiting.exists():
        notify(
            kind=Kind.FORUM_APPROVAL,
            about=forum,
            # Told once while it waits: a speaker confirming again adds nothing.
            recipients=audiences.street_staff(forum.street_id).exclude(
                pk__in=Notification.objects.unread()
                .filter(kind=Kind.FORUM_APPROVAL, object_id=forum.pk)
                .values("recipient_id")
            ),
            params={"forum": forum.title},
            actor=actor,
        )


def booking_made(*, booking: Booking) -> None:
    """A booking filled its session or joined the waitlist: the event's organisers are told."""
    session = booking.session
    event = session.event
    if event.organising_unit_id:
        organisers = audiences.organization_people([event.organising_unit_id])
    else:
        organisers = audiences.street_staff(event.street_id)
    params = {
        "event": event.title,
        "start": timezone.localtime(session.starts_at).strftime("%Y-%m-%d %H:%M"),
    }
    if booking.status == "waitlisted":
        notify(
            kind=Kind.WAITLIST_GREW,
            about=session,
            recipients=organisers,
            params=params,
            at=booking.created_at,
        )
    elif type(session).objects.filter(pk=session.pk, seats_taken__gte=F("capacity")).exists():
        notify(
            kind=Kind.SESSION_FULL,
            about=session,
            recipients=organisers,
            params=params,
            key=timezone.localdate(booking.created_at).isoformat(),
            at=booking.created_at,
        )


# What the inbox shows: each kind's sentence, and the page a notification leads to.

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
