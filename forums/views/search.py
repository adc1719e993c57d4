"""The public search across what the portal publishes: forums, speeches, practices, news,
events, doorstep services and micro-wishes."""

import datetime

from django.db.models import Min
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format

from caching.pages import cache_public_page
from forums.models import EventSession, SearchEntry, SearchKind
from forums.search import Hit, hits, normalise
from governance.pagination import CountedPaginator
from lujiazui.public import PUBLIC_CONTENT

SEARCH_PAGE_SIZE = 20
SEARCH_COUNT_CAP = 1000


@cache_public_page(depends_on=PUBLIC_CONTENT, params=("q", "kind", "page"))
def search(request: HttpRequest) -> HttpResponse:
    query = normalise(request.GET.get("q", ""))
    kind = request.GET.get("kind", "")
    entries = SearchEntry.objects.matching(query)
    if kind in SearchKind.values:
        entries = entries.filter(kind=kind)
    # Counting every match of a common word costs more than the page itself: stop at the cap.
    count = entries.order_by()[: SEARCH_COUNT_CAP + 1].count() if query else 0
    paginator = CountedPaginator(entries, SEARCH_PAGE_SIZE, count=min(count, SEARCH_COUNT_CAP))
    page = paginator.get_page(request.GET.get("page"))
    found = list(page.object_list) if query else []
    # Each kind's label looked up once: get_kind_display() translates every choice at each call.
    labels = dict(SearchKind.choices)
    for entry in found:
        entry.kind_label = labels.get(entry.kind, entry.kind)
    page_hits = hits(found, query, dates=_next_sessions(found))
    return render(
        request,
        "forums/search.html",
        {
            "count": count,
            "capped": count > SEARCH_COUNT_CAP,
            "q": query,
            "kind": kind if kind in SearchKind.values else "",
            "kinds": SearchKind.choices,
            "page_obj": page,
            "hits": page_hits,
            # What each result shows, its date formatted here rather than by two filters each.
            "results": [_search_result(hit) for hit in page_hits],
        },
    )


def _search_result(hit: Hit) -> dict:
    dated = hit.dated
    if isinstance(dated, datetime.datetime) and timezone.is_aware(dated):
        dated = timezone.localtime(dated)
    return {
        "kind": hit.entry.kind,
        "kind_label": hit.entry.kind_label,
        "url": hit.entry.url,
        "title": hit.title,
        "excerpt": hit.excerpt,
        # The `date` filter's "c" is isoformat().
        "iso": dated.isoformat() if dated else "",
        "day": date_format(dated, "Y-m-d") if dated else "",
    }


def _next_sessions(entries: list[SearchEntry]) -> dict[tuple[str, int], datetime.datetime]:
    """An event found is dated by its next time slot (the index knows its first): one query
    for the page, none when no event is on it."""
    event_ids = [e.object_id for e in entries if e.kind == SearchKind.EVENT]
    if not event_ids:
        return {}
    upcoming = (
        EventSession.objects.upcoming()
        .filter(event_id__in=event_ids)
        .values("event_id")
        .annotate(next_start=Min("starts_at"))
    )
    return {(SearchKind.EVENT, row["event_id"]): row["next_start"] for row in upcoming}
