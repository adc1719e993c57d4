"""Telling people: ``notify`` and the one-line hooks the case, wish, forum and booking services
call, inside their own transaction. E-mails go out after the commit, through a task."""

import datetime
import logging
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import F, Model
from django.utils import timezone

from inbox import audiences
from inbox.models import Delivery, Kind, Notification, Preference
from residents.models import User

logger = logging.getLogger(__name__)


def notify(
    *,
    kind: Kind | str,
    about: Model,
    recipients: Iterable[User],
    params: dict,
    actor: User | None = None,
    key: str = "",
    at: datetime.datetime | None = None,
) -> list[Notification]:
    """Tell each recipient (never the actor) about an object, once per key for reminders.

    Each notification takes the delivery the recipient chose for its kind; e-mails to be sent
    at once are enqueued when the transaction commits."""
    users = {user.pk: user for user in recipients if actor is None or user.pk != actor.pk}
    if not users:
        return []
    content_type = ContentType.objects.get_for_model(about)
    if key:
        told = Notification.objects.filter(
            recipient__in=list(users),
            kind=kind,
            content_type=content_type,
            object_id=about.pk,
            key=key,
        ).values_list("recipient_id", flat=True)
        for user_id in set(told):
            users.pop(user_id)
    chosen = dict(
        Preference.objects.filter(user__in=list(users), kind=kind).values_list(
            "user_id", "delivery"
        )
    )
    created = []
    for user_id in sorted(users):
        notification = Notification(
            recipient_id=user_id,
            kind=kind,
            content_type=content_type,
            object_id=about.pk,
            params=params,
            key=key,
            delivery=chosen.get(user_id, Delivery.INBOX),
            created_at=at or timezone.now(),
        )
        if key:
            try:
                with transaction.atomic():  # a reminder raced by another run is told once
                    notification.save()
            except IntegrityError:
                continue
        else:
            notification.save()
        created.append(notification)
    emailed = [n.pk for n in created if n.delivery == Delivery.EMAIL]
    if emailed:
        transaction.on_commit(lambda: _enqueue_emails(emailed))
    return created


def _enqueue_emails(notification_ids: list[int]) -> None:
    """After the commit: a queue that fails never breaks the request that told someone."""
    from inbox.tasks import send_notification_email

    for pk in notification_ids:
        try:
            send_notification_email.enqueue(notification_id=pk)
        except Exception:
            logger.exception("Could not enqueue the e-mail of notification %s", pk)


def mark_read(*, user: User, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all unread ones when no ids are given)."""
    unread = Notification.objects.for_user(user).unread()
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    return unread.update(read_at=timezone.now())


# Hooks: each is one line in the service whose change it tells.


def _case_params(case) -> dict:
    return {"number": case.number, "area": case.area.name}


def case_party_set(*, case, organization_id: int, role: str, actor: User, at=None) -> None:
    """An organisation was made lead or assisting party: its people are told."""
    from governance.models import Organization

    organization = Organization.objects.only("name").get(pk=organization_id)
    notify(
        kind=Kind.CASE_PARTY_ADDED,
        about=case,
        recipients=audiences.organization_people([organization_id]),
        params={**_case_params(case), "organization": organization.name, "role": role},
        actor=actor,
        at=at,
    )


def case_updated(*, update) -> None:
    """Another party reported on a case: every other party's people are told. An update that
    names no party counts as one by the author's own organisation among the parties, if any."""
    from governance.permissions import user_organizations

    case = update.case
    party = update.party
    if party is None:
        held = case.parties.filter(organization__in=user_organizations(update.author))
        party = next((p.organization for p in held.select_related("organization")[:1]), None)
    notify(
        kind=Kind.CASE_UPDATED,
        about=case,
        recipients=audiences.case_people(case, exclude_organization_id=party and party.pk),
        params={**_case_params(case), "party": party.name if party else ""},
        actor=update.author,
        at=update.created_at,
    )


def case_transitioned(*, case, to: str, actor: User, at=None) -> None:
    """A case was resolved or reopened: its parties' people are told."""
    kind = {"resolved": Kind.CASE_RESOLVED, "reopened": Kind.CASE_REOPENED}.get(str(to))
    if kind is not None:
        notify(
            kind=kind,
            about=case,
            recipients=audiences.case_people(case),
            params=_case_params(case),
            actor=actor,
            at=at,
        )


def case_logged(*, case, actor: User) -> None:
    """A case was logged in an area by someone else: the area's secretaries are told."""
    notify(
        kind=Kind.CASE_LOGGED,
        about=case,
        recipients=audiences.area_secretaries(case.area_id),
        params={**_case_params(case), "channel": case.channel},
        actor=actor,
        at=case.created_at,
    )


def wish_moved(*, wish, actor: User, at=None) -> None:
    """A wish of the area was claimed or fulfilled: the area's secretaries are told."""
    kind = {"claimed": Kind.WISH_CLAIMED, "fulfilled": Kind.WISH_FULFILLED}[wish.status]
    notify(
        kind=kind,
        about=wish,
        recipients=audiences.area_secretaries(wish.area_id),
        params={"title": wish.title, "area": wish.area.name},
        actor=actor,
        at=at,
    )


def speech_to_review(*, speech, actor: User) -> None:
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


def forum_in_review(*, forum, actor: User) -> None:
    """A forum went to review: each speaker is asked, or street staff may approve at once."""
    for speech in forum.speeches.all():
        speech_to_review(speech=speech, actor=actor)
    forum_may_be_approved(forum=forum, actor=actor)


def forum_may_be_approved(*, forum, actor: User) -> None:
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


def booking_made(*, booking) -> None:
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


@transaction.atomic
def preferences_save(*, user: User, deliveries: dict[str, str], language: str) -> None:
    """Store how the user hears about each kind, and the language of their e-mails."""
    from inbox.models import MailSettings

    for kind, delivery in deliveries.items():
        Preference.objects.update_or_create(user=user, kind=kind, defaults={"delivery": delivery})
    MailSettings.objects.update_or_create(user=user, defaults={"language": language})
