"""The site search index beyond forums' own publishing: events, doorstep services and public
micro-wishes, and the rebuild of the whole index.

The index lives in forums, which reads down into doorstep and wishes; those apps never import
forums. Their services announce changes through ``doorstep.signals.services_changed`` and
``wishes.signals.wish_changed``, connected in ``ForumsConfig.ready`` to the receivers below.
A wish entry holds only what the public wish wall shows: never the resident's name, phone or
address, nor the claimer's contact.
"""

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import Min

from doorstep.models import Service
from forums.markdown import markdown_to_text
from forums.models import Event, Forum, NewsItem, Practice, SearchEntry, SearchKind
from forums.search import pinyin_of
from wishes.models import Wish


def search_entries_store(entries: list[SearchEntry]) -> None:
    """Save new index entries, each with the pinyin and initials of its text."""
    for entry in entries:
        entry.pinyin, entry.initials = pinyin_of(entry.text)
    SearchEntry.objects.bulk_create(entries)


def _lines(*parts: str) -> str:
    return "\n".join(part for part in parts if part)


def _event_entries(events: Iterable[Event]) -> list[SearchEntry]:
    return [
        SearchEntry(
            street_id=event.street_id,
            kind=SearchKind.EVENT,
            object_id=event.pk,
            area_id=event.area_id,
            url=event.get_absolute_url(),
            title=event.title,
            text=_lines(
                event.title,
                event.summary,
                markdown_to_text(event.description),
                event.venue,
                event.address,
                event.organiser,
            ),
            published_at=event.created_at,
            # The first time slot; the results page shows the next one when there is one.
            dated=event.first_start,
        )
        for event in events
    ]


def _service_entries(services: Iterable[Service]) -> list[SearchEntry]:
    return [
        SearchEntry(
            street_id=service.station.area.street_id,
            kind=SearchKind.SERVICE,
            object_id=service.pk,
            area_id=service.station.area_id,
            url=service.get_absolute_url(),
            title=service.title,
            text=_lines(
                service.title,
                service.description,
                service.audience,
                service.station.name,
                service.place_name,
                service.provider.name,
                service.what_to_bring,
            ),
            published_at=service.created_at,
            dated=None,
        )
        for service in services
    ]


def _wish_entries(wishes: Iterable[Wish]) -> list[SearchEntry]:
    # Only the public title, text and thanks: the wall's words, nothing about the resident.
    return [
        SearchEntry(
            street_id=wish.street_id,
            kind=SearchKind.WISH,
            object_id=wish.pk,
            area_id=wish.area_id,
            url=wish.get_absolute_url(),
            title=wish.title,
            text=_lines(wish.title, wish.text, wish.thanks_note),
            published_at=wish.published_at,
            dated=wish.published_at,
        )
        for wish in wishes
    ]


def _public_events():
    return Event.objects.public().annotate(first_start=Min("sessions__starts_at"))


def _public_services():
    return Service.objects.visible_to(AnonymousUser()).select_related("station__area", "provider")


def _public_wishes():
    return Wish.objects.public().only(
        "pk", "street_id", "area_id", "title", "text", "thanks_note", "published_at"
    )


@transaction.atomic
def event_reindex(*, event_ids: Iterable[int]) -> None:
    """Put public events in the index as they are now; take out those no longer public."""
    event_ids = list(event_ids)
    SearchEntry.objects.filter(kind=SearchKind.EVENT, object_id__in=event_ids).delete()
    search_entries_store(_event_entries(_public_events().filter(pk__in=event_ids)))


@transaction.atomic
def service_reindex(*, service_ids: Iterable[int]) -> None:
    """Put doorstep services in the index as the public list shows them; removed ones leave."""
    service_ids = list(service_ids)
    SearchEntry.objects.filter(kind=SearchKind.SERVICE, object_id__in=service_ids).delete()
    search_entries_store(_service_entries(_public_services().filter(pk__in=service_ids)))


@transaction.atomic
def wish_reindex(*, wish_ids: Iterable[int]) -> None:
    """Put wishes in the index while the wall shows them; withdrawn ones leave it."""
    wish_ids = list(wish_ids)
    SearchEntry.objects.filter(kind=SearchKind.WISH, object_id__in=wish_ids).delete()
    search_entries_store(_wish_entries(_public_wishes().filter(pk__in=wish_ids)))


def services_changed(sender, *, service_ids: Iterable[int], **kwargs) -> None:
    service_reindex(service_ids=service_ids)


def wish_changed(sender, *, wish: Wish, **kwargs) -> None:
    wish_reindex(wish_ids=[wish.pk])


@transaction.atomic
def search_index_rebuild() -> int:
    """Fill the whole index again from what is public now; returns the number of entries.
    For a new kind of entry, or text indexed before Markdown was stripped from it."""
    SearchEntry.objects.all().delete()
    entries: list[SearchEntry] = []
    forums = Forum.objects.published().prefetch_related("speeches")
    for model_items in (
        forums,
        Practice.objects.published(),
        NewsItem.objects.published(),
    ):
        for item in model_items:
            entries += item.search_entries()
    entries += _event_entries(_public_events())
    entries += _service_entries(_public_services())
    entries += _wish_entries(_public_wishes())
    search_entries_store(entries)
    return len(entries)
