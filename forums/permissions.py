"""Who may do what with forums, speeches, practices and news: used by templates, views and
services alike."""

from dataclasses import dataclass

from forums.models import Event, Forum, PublicationStatus, Speech, SpeechKind
from forums.models.publishing import Publishable
from governance.permissions import user_organizations
from residents.models import ResidentialArea, Street, User


def can_manage_publication(user: User, item: Publishable) -> bool:
    """Street staff of the record's street: they edit, submit, approve, publish and withdraw."""
    return Street.objects.managed_by(user).filter(pk=item.street_id).exists()


def managed_forum_areas(user: User, forum: Forum) -> set[int]:
    """The forum's participating areas the user manages (an area secretary: their own)."""
    return set(
        forum.areas.filter(pk__in=ResidentialArea.objects.managed_by(user)).values_list(
            "pk", flat=True
        )
    )


@dataclass(frozen=True)
class ForumRights:
    """What one user may do on one forum and its speeches, worked out once for a page."""

    forum: Forum
    manage: bool
    own_areas: frozenset[int]
    person_id: int | None

    @property
    def speaker_only(self) -> bool:
        """A speaker without other rights previews their own speech only, not the others'."""
        return not (self.forum.is_public or self.manage or self.own_areas)

    @property
    def add_speech(self) -> bool:
        """While a forum is drafted or reviewed: street staff, and secretaries of taking-part
        areas."""
        return self.forum.is_editable and (self.manage or bool(self.own_areas))

    @property
    def correct(self) -> bool:
        return self.manage and self.forum.is_public

    def sees(self, speech: Speech) -> bool:
        return not self.speaker_only or speech.speaker_id == self.person_id

    def edit(self, speech: Speech) -> bool:
        """Street staff any speech; a secretary the speeches (not the closing remarks or a
        presentation) of their own area."""
        if not self.forum.is_editable:
            return False
        own = speech.area_id in self.own_areas and speech.kind == SpeechKind.SPEECH
        return self.manage or own

    def review(self, speech: Speech) -> bool:
        """The speaker, while the forum is in review."""
        return (
            self.forum.status == PublicationStatus.IN_REVIEW
            and self.person_id is not None
            and speech.speaker_id == self.person_id
        )


def forum_rights(user: User, forum: Forum) -> ForumRights:
    working = user.is_authenticated
    return ForumRights(
        forum=forum,
        manage=can_manage_publication(user, forum),
        own_areas=frozenset(managed_forum_areas(user, forum)) if working else frozenset(),
        person_id=user.person_id if working else None,
    )


def can_add_speech(user: User, forum: Forum) -> bool:
    return forum_rights(user, forum).add_speech


def can_edit_speech(user: User, speech: Speech) -> bool:
    return forum_rights(user, speech.forum).edit(speech)


def can_review_speech(user: User, speech: Speech) -> bool:
    return forum_rights(user, speech.forum).review(speech)


def can_manage_event(user: User, event: Event) -> bool:
    """See the attendee lists and check people in: whoever runs the event (see `managed_by`)."""
    return Event.objects.managed_by(user).filter(pk=event.pk).exists()


def can_see_booking_contacts(user: User, event: Event) -> bool:
    """Names and phone numbers: the people holding a current post in the organising unit; the
    street office's staff when no unit is named. Nobody else, street staff included."""
    if not (user.is_authenticated and user.is_active):
        return False
    if event.organising_unit_id is None:
        return Street.objects.managed_by(user).filter(pk=event.street_id).exists()
    return user_organizations(user).filter(pk=event.organising_unit_id).exists()
