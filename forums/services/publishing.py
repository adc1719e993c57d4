"""Writes of record for forums, practices and news: their status, versions and corrections, one
transaction each, the changed row locked, the rules checked here so that staff pages, the admin
and the demo behave the same. The speeches of a forum are in ``forums.services.speeches``."""

import datetime
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from pypinyin import lazy_pinyin
from simple_history.utils import bulk_update_with_history

from audit.history import audited, current_actor
from forums import notifications
from forums.models import (
    PUBLICATION_TRANSITIONS,
    Forum,
    NewsItem,
    Practice,
    PublicationStatus,
    ReviewState,
    SearchEntry,
    SearchKind,
    Speech,
    Version,
)
from forums.models.publishing import Publishable
from forums.permissions import (
    can_manage_publication,
)
from forums.services.search import search_entries_store
from governance.services.edits import KEEP, Keep, given
from residents.models import User

P = TypeVar("P", bound=Publishable)


def pinyin_slug(model: type[Model], title: str, max_length: int = 60) -> str:
    """A readable, unique page address from a Chinese title: 书记论坛 -> shu-ji-lun-tan."""
    base = slugify(" ".join(lazy_pinyin(title)))[:max_length].strip("-") or "item"
    slug, number = base, 2
    while slug in ("feed", "new") or model._default_manager.filter(slug=slug).exists():
        slug = f"{base}-{number}"
        number += 1
    return slug


def normalised(changes: dict[str, Any]) -> dict[str, Any]:
    """Browsers send CRLF line ends: compare and store text as the page shows it."""
    return {
        name: value.replace("\r\n", "\n") if isinstance(value, str) else value
        for name, value in changes.items()
    }


def locked(item: P) -> P:
    return type(item)._default_manager.select_for_update().get(pk=item.pk)


def reindex(item: Publishable) -> None:
    """Put the item's published text (and a forum's speeches) into the search index."""
    _unindex(item)
    search_entries_store(item.search_entries())


def _unindex(item: Publishable) -> None:
    if isinstance(item, Forum):
        SearchEntry.objects.filter(
            kind=SearchKind.SPEECH, object_id__in=item.speeches.values("pk")
        ).delete()
        SearchEntry.objects.filter(kind=SearchKind.FORUM, object_id=item.pk).delete()
    else:
        SearchEntry.objects.filter(kind=item.search_entries()[0].kind, object_id=item.pk).delete()


def new_version(item: Publishable, actor: User, note: str) -> None:
    item.version += 1
    Version.objects.create(
        content_type=ContentType.objects.get_for_model(item),
        object_id=item.pk,
        number=item.version,
        snapshot=item.snapshot(),
        note=note,
        created_by=actor,
    )


@audited
@transaction.atomic
def publication_transition(*, item: P, to: str, actor: User, note: str = "") -> P:
    """Move a forum, practice or news item through draft, review, approval and publication.

    Publishing freezes the text as a new version and puts it in the search index; withdrawing
    takes it out of both the public pages and the index, with a reason."""
    if not can_manage_publication(actor, item):
        raise PermissionDenied
    item = locked(item)
    if to not in PUBLICATION_TRANSITIONS[item.status]:
        raise ValidationError(
            _("A record cannot go from %(old)s to %(new)s."),
            code="invalid_transition",
            params={
                "old": PublicationStatus(item.status).label,
                "new": PublicationStatus(to).label,
            },
        )
    note = note.strip()
    now = timezone.now()
    if isinstance(item, Forum):
        _check_forum_transition(item, to)
    if to == PublicationStatus.WITHDRAWN and not note:
        raise ValidationError(_("Say why it is withdrawn."), code="reason_required")
    fields = ["status", "updated_at"]
    if to == PublicationStatus.PUBLISHED:
        if item.published_at is None:
            item.published_at = now
        else:
            # Back after a withdrawal: residents see it was corrected, and when.
            item.corrected_at = now
        item.withdrawal_reason = ""
        item.status = to
        new_version(item, actor, note)
        fields += ["published_at", "corrected_at", "withdrawal_reason", "version"]
    elif to == PublicationStatus.WITHDRAWN:
        item.withdrawal_reason = note
        fields.append("withdrawal_reason")
    item.status = to
    item.save(update_fields=fields)
    if to == PublicationStatus.PUBLISHED:
        reindex(item)
    elif to == PublicationStatus.IN_REVIEW and isinstance(item, Forum):
        notifications.forum_in_review(forum=item, actor=actor)
    elif to == PublicationStatus.WITHDRAWN:
        _unindex(item)
        # What was withdrawn stays withdrawn: its versions are no longer public, even after
        # the record returns corrected.
        versions = list(Version.objects.of(item).filter(is_public=True))
        for version in versions:
            version.is_public = False
        bulk_update_with_history(versions, Version, ["is_public"], default_user=actor)
    return item


def _check_forum_transition(forum: Forum, to: str) -> None:
    speeches = forum.speeches.all()
    if to == PublicationStatus.IN_REVIEW:
        if not speeches.exists():
            raise ValidationError(
                _("Add at least one speech before sending the forum for review."),
                code="no_speeches",
            )
        # A new round of review: every speaker looks at the text as it is now.
        reviewed = list(speeches.exclude(review_state=ReviewState.PENDING))
        for speech in reviewed:
            speech.review_state = ReviewState.PENDING
        bulk_update_with_history(reviewed, Speech, ["review_state"], default_user=current_actor())
    if to == PublicationStatus.APPROVED:
        # Speakers who can log in confirm their text; for the others staff answer for it.
        waiting = speeches.filter(speaker__user__is_active=True).exclude(
            review_state=ReviewState.CONFIRMED
        )
        if waiting.exists():
            raise ValidationError(
                ngettext(
                    "%(count)d speaker has not confirmed their speech yet.",
                    "%(count)d speakers have not confirmed their speech yet.",
                    count := waiting.count(),
                ),
                code="speakers_not_confirmed",
                params={"count": count},
            )


@audited
@transaction.atomic
def forum_correct(
    *,
    forum: Forum,
    actor: User,
    note: str,
    title: str | Keep = KEEP,
    theme: str | Keep = KEEP,
    starts_at: datetime.datetime | Keep = KEEP,
    venue: str | Keep = KEEP,
    organiser: str | Keep = KEEP,
    summary: str | Keep = KEEP,
) -> Forum:
    """Correct the details of a published forum (its speeches: ``speech_correct``); a field
    left at ``KEEP`` keeps its value."""
    changes = given(
        title=title,
        theme=theme,
        starts_at=starts_at,
        venue=venue,
        organiser=organiser,
        summary=summary,
    )
    return _correct(forum, actor=actor, note=note, changes=changes)


@audited
@transaction.atomic
def practice_correct(
    *,
    practice: Practice,
    actor: User,
    note: str,
    title: str | Keep = KEEP,
    summary: str | Keep = KEEP,
    problem: str | Keep = KEEP,
    actions: str | Keep = KEEP,
    results: str | Keep = KEEP,
) -> Practice:
    """Correct a published practice; a field left at ``KEEP`` keeps its value."""
    changes = given(title=title, summary=summary, problem=problem, actions=actions, results=results)
    return _correct(practice, actor=actor, note=note, changes=changes)


@audited
@transaction.atomic
def news_item_correct(
    *,
    news_item: NewsItem,
    actor: User,
    note: str,
    title: str | Keep = KEEP,
    source: str | Keep = KEEP,
    dated: datetime.datetime | Keep = KEEP,
    summary: str | Keep = KEEP,
    body: str | Keep = KEEP,
) -> NewsItem:
    """Correct a published news item; a field left at ``KEEP`` keeps its value."""
    changes = given(title=title, source=source, dated=dated, summary=summary, body=body)
    return _correct(news_item, actor=actor, note=note, changes=changes)


def _correct(item: P, *, actor: User, note: str, changes: dict[str, Any]) -> P:
    """The changes make a new version with the note, and the public page says the record was
    corrected and when."""
    if not can_manage_publication(actor, item):
        raise PermissionDenied
    item = locked(item)
    check_correctable(item, note)
    changes = normalised(changes)
    changed = [name for name, value in changes.items() if getattr(item, name) != value]
    if not changed:
        raise ValidationError(_("Nothing was changed."), code="no_change")
    for name in changed:
        setattr(item, name, changes[name])
    item.full_clean()
    item.corrected_at = timezone.now()
    new_version(item, actor, note.strip())
    item.save(update_fields=[*changed, "corrected_at", "version", "updated_at"])
    reindex(item)
    return item


def check_correctable(item: Publishable, note: str) -> None:
    if item.status != PublicationStatus.PUBLISHED:
        raise ValidationError(
            _("Only published text is corrected; until then it is edited."), code="not_published"
        )
    if not note.strip():
        raise ValidationError(_("Say what was corrected."), code="note_required")
