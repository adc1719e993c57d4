"""The speeches of a forum: written while the forum is drafted or reviewed, confirmed by their
speakers, corrected once it is published (a new version of the forum)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.history import audited
from forums import notifications
from forums.models import (
    Forum,
    ReviewState,
    Speech,
    SpeechKind,
    SpeechReview,
    Verdict,
)
from forums.permissions import (
    can_add_speech,
    can_edit_speech,
    can_manage_publication,
    can_review_speech,
    managed_forum_areas,
)
from forums.services.publishing import (
    check_correctable,
    locked,
    new_version,
    normalised,
    reindex,
)
from governance.services.edits import KEEP, Keep, given
from residents.models import Person, ResidentialArea, User

# What the speaker confirms: a change to any of these sends the speech back to them.
SPEECH_TEXT_FIELDS = ["speaker_name", "speaker_post", "title", "subtitle", "body"]


@audited
@transaction.atomic
def speech_create(
    *,
    forum: Forum,
    actor: User,
    speaker_name: str,
    speaker_post: str,
    title: str,
    body: str,
    subtitle: str = "",
    kind: str = SpeechKind.SPEECH,
    area: ResidentialArea | None = None,
    speaker: Person | None = None,
    order: int | None = None,
) -> Speech:
    """Add a speech to a forum while it is drafted or reviewed; with no ``order``, after the
    last one. A secretary adds speeches of their own area only."""
    forum = locked(forum)
    if not can_add_speech(actor, forum):
        raise PermissionDenied
    _check_speech_place(forum, actor, area=area, kind=kind)
    if not order:
        last = forum.speeches.order_by("-order").values_list("order", flat=True).first()
        order = (last or 0) + 1
    text = normalised(
        {
            "speaker_name": speaker_name,
            "speaker_post": speaker_post,
            "title": title,
            "subtitle": subtitle,
            "body": body,
        }
    )
    speech = Speech(forum=forum, order=order, kind=kind, speaker=speaker, area=area, **text)
    speech.full_clean()
    speech.save()
    notifications.speech_to_review(speech=speech, actor=actor)
    return speech


@audited
@transaction.atomic
def speech_update(
    *,
    speech: Speech,
    actor: User,
    order: int | Keep = KEEP,
    kind: str | Keep = KEEP,
    area: ResidentialArea | Keep | None = KEEP,
    speaker: Person | Keep | None = KEEP,
    speaker_name: str | Keep = KEEP,
    speaker_post: str | Keep = KEEP,
    title: str | Keep = KEEP,
    subtitle: str | Keep = KEEP,
    body: str | Keep = KEEP,
) -> Speech:
    """Change a speech while its forum is drafted or reviewed; a field left at ``KEEP`` keeps
    its value. A secretary changes the speeches of their own area only, and a text changed in
    review goes back to the speaker for confirmation."""
    forum = Forum.objects.select_for_update().get(pk=speech.forum_id)
    speech = Speech.objects.select_for_update().get(pk=speech.pk, forum=forum)
    speech.forum = forum
    if not can_edit_speech(actor, speech):
        raise PermissionDenied
    _check_speech_place(
        forum,
        actor,
        area=speech.area if area is KEEP else area,
        kind=speech.kind if kind is KEEP else kind,
    )
    changes = normalised(
        given(
            order=order,
            kind=kind,
            area=area,
            speaker=speaker,
            speaker_name=speaker_name,
            speaker_post=speaker_post,
            title=title,
            subtitle=subtitle,
            body=body,
        )
    )
    text_changed = any(
        getattr(speech, name) != changes[name] for name in SPEECH_TEXT_FIELDS if name in changes
    )
    for name, value in changes.items():
        setattr(speech, name, value)
    if text_changed:
        speech.review_state = ReviewState.PENDING
    speech.full_clean()
    speech.save()
    notifications.speech_to_review(speech=speech, actor=actor)
    return speech


def _check_speech_place(
    forum: Forum, actor: User, *, area: ResidentialArea | None, kind: str
) -> None:
    """A secretary writes speeches (not closing remarks or presentations) of their own area;
    whoever writes, a speech is given by an area taking part in the forum."""
    if not can_manage_publication(actor, forum):
        if area is None or area.pk not in managed_forum_areas(actor, forum):
            raise PermissionDenied
        if kind != SpeechKind.SPEECH:
            raise PermissionDenied
    if area is not None and not forum.areas.filter(pk=area.pk).exists():
        raise ValidationError(
            {
                "area": ValidationError(
                    _("Only the areas taking part in the forum speak at it."),
                    code="area_not_taking_part",
                )
            }
        )


@audited
@transaction.atomic
def speech_review(*, speech: Speech, actor: User, verdict: str, comment: str = "") -> SpeechReview:
    """The speaker confirms the text of their speech, or asks for changes with a comment."""
    speech = Speech.objects.select_for_update().select_related("forum").get(pk=speech.pk)
    if not can_review_speech(actor, speech):
        raise PermissionDenied
    comment = comment.strip()
    if verdict == Verdict.REQUEST_CHANGES and not comment:
        raise ValidationError(_("Say what should change."), code="comment_required")
    review = SpeechReview.objects.create(
        speech=speech, verdict=verdict, comment=comment, reviewer=actor
    )
    speech.review_state = (
        ReviewState.CONFIRMED if verdict == Verdict.CONFIRM else ReviewState.CHANGES_REQUESTED
    )
    speech.save(update_fields=["review_state"])
    notifications.forum_may_be_approved(forum=speech.forum, actor=actor)
    return review


@audited
@transaction.atomic
def speech_correct(
    *,
    speech: Speech,
    actor: User,
    note: str,
    speaker_name: str | Keep = KEEP,
    speaker_post: str | Keep = KEEP,
    title: str | Keep = KEEP,
    subtitle: str | Keep = KEEP,
    body: str | Keep = KEEP,
) -> Speech:
    """Correct a speech of a published forum: the forum gets a new version with the note. A
    field left at ``KEEP`` keeps its value."""
    forum = speech.forum
    if not can_manage_publication(actor, forum):
        raise PermissionDenied
    forum = locked(forum)
    check_correctable(forum, note)
    speech = Speech.objects.select_for_update().get(pk=speech.pk, forum=forum)
    changes = normalised(
        given(
            speaker_name=speaker_name,
            speaker_post=speaker_post,
            title=title,
            subtitle=subtitle,
            body=body,
        )
    )
    changed = [name for name, value in changes.items() if getattr(speech, name) != value]
    if not changed:
        raise ValidationError(_("Nothing was changed."), code="no_change")
    for name in changed:
        setattr(speech, name, changes[name])
    speech.full_clean()
    speech.save(update_fields=changed)
    forum.corrected_at = timezone.now()
    new_version(forum, actor, note.strip())
    forum.save(update_fields=["corrected_at", "version", "updated_at"])
    reindex(forum)
    return speech
