"""Who may do what with forums, speeches, practices and news: used by templates, views and
services alike."""

from forums.models import (
    EDITABLE_STATUSES,
    Forum,
    PublicationStatus,
    Speech,
)
from forums.models.publishing import Publishable
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


def can_add_speech(user: User, forum: Forum) -> bool:
    """While a forum is drafted or reviewed: street staff, and secretaries of taking-part areas."""
    if forum.status not in EDITABLE_STATUSES:
        return False
    return can_manage_publication(user, forum) or bool(managed_forum_areas(user, forum))


def can_edit_speech(user: User, speech: Speech) -> bool:
    """Street staff any speech; a secretary the speeches of their own area."""
    if speech.forum.status not in EDITABLE_STATUSES:
        return False
    if can_manage_publication(user, speech.forum):
        return True
    return speech.area_id is not None and speech.area_id in managed_forum_areas(user, speech.forum)


def can_review_speech(user: User, speech: Speech) -> bool:
    """The speaker, while the forum is in review."""
    return bool(
        speech.forum.status == PublicationStatus.IN_REVIEW
        and user.is_authenticated
        and user.person_id
        and user.person_id == speech.speaker_id
    )
