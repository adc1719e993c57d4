"""Public pages of forums, practices, news and search, and the staff pages that prepare a forum.

Every record is fetched through ``visible_to(request.user)``: a draft is a 404 to the public and a
marked preview to the staff who work on it. Every change goes through ``forums.services``.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Min
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from caching.pages import cache_public_page
from forums import services
from forums.filters import ForumFilter, NewsFilter, PracticeFilter
from forums.forms import (
    ForumCorrectionForm,
    PublicationTransitionForm,
    SpeechCorrectionForm,
    SpeechForm,
    SpeechReviewForm,
)
from forums.models import (
    EventSession,
    Forum,
    NewsItem,
    Practice,
    PublicationStatus,
    SearchEntry,
    SearchKind,
    Speech,
    SpeechKind,
    Version,
)
from forums.models.publishing import SECTION_LABELS
from forums.permissions import (
    can_add_speech,
    can_edit_speech,
    can_manage_publication,
    can_review_speech,
    forum_rights,
)
from forums.search import Hit, hits, normalise
from governance.models import Case
from governance.pagination import CountedPaginator
from lujiazui.public import PUBLIC_CONTENT

PAGE_SIZE = 12
SEARCH_PAGE_SIZE = 20
SEARCH_COUNT_CAP = 1000
PUBLISHABLE_MODELS = {"forum": Forum, "practice": Practice, "news": NewsItem}


def _versions(request: HttpRequest, item) -> list[Version]:
    """The published versions the user may read: staff all, the public those never withdrawn."""
    versions = Version.objects.of(item)
    if not can_manage_publication(request.user, item):
        versions = versions.filter(is_public=True)
    return list(versions)


def _publishing(request: HttpRequest, item) -> dict:
    manage = can_manage_publication(request.user, item)
    return {"manage": manage, "transitions": item.allowed_transitions() if manage else []}


@cache_public_page(depends_on=PUBLIC_CONTENT, params=("page", *ForumFilter.base_filters))
def forum_list(request: HttpRequest) -> HttpResponse:
    forum_filter = ForumFilter(
        request.GET, queryset=Forum.objects.published().with_list_data(), request=request
    )
    page = Paginator(forum_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    unpublished = []
    if request.user.is_authenticated:
        unpublished = (
            Forum.objects.visible_to(request.user)
            .exclude(status=PublicationStatus.PUBLISHED)
            .order_by("-updated_at")[:20]
        )
    return render(
        request,
        "forums/forum_list.html",
        {
            "filter": forum_filter,
            "page_obj": page,
            "unpublished": unpublished,
        },
    )


def _forum_or_404(request: HttpRequest, slug: str) -> Forum:
    return get_object_or_404(Forum.objects.visible_to(request.user).with_page_data(), slug=slug)


def _last(items):
    items = list(items)
    return items[-1] if items else None


@cache_public_page(depends_on=PUBLIC_CONTENT)
def forum_detail(request: HttpRequest, slug: str) -> HttpResponse:
    # A visitor who is not signed in edits no speech, so reads no review.
    forum = get_object_or_404(
        Forum.objects.visible_to(request.user).with_page_data(
            reviews=request.user.is_authenticated
        ),
        slug=slug,
    )
    rights = forum_rights(request.user, forum)
    rows = [
        {
            "speech": speech,
            "edit": rights.edit(speech),
            "review_form": (
                SpeechReviewForm(prefix=f"review-{speech.pk}") if rights.review(speech) else None
            ),
            "last_review": _last(speech.reviews.all()) if rights.edit(speech) else None,
            "correct": rights.correct,
        }
        for speech in forum.speeches.all()
        if rights.sees(speech)
    ]
    return render(
        request,
        "forums/forum_detail.html",
        {
            "forum": forum,
            "speeches": [row for row in rows if row["speech"].kind != SpeechKind.CLOSING],
            "closing": next((r for r in rows if r["speech"].kind == SpeechKind.CLOSING), None),
            "speaker_only": rights.speaker_only,
            "manage": rights.manage,
            "add_speech": rights.add_speech,
            "versions": _versions(request, forum),
            "transitions": forum.allowed_transitions() if rights.manage else [],
        },
    )


def forum_cover(request: HttpRequest, slug: str) -> FileResponse:
    forum = get_object_or_404(Forum.objects.visible_to(request.user), slug=slug)
    if not forum.cover:
        raise Http404
    response = FileResponse(forum.cover.open("rb"))
    # Revalidated on every view, so that a withdrawn forum's cover disappears from caches too.
    response["Cache-Control"] = "public, no-cache" if forum.is_public else "private, no-store"
    return response


def version_detail(request: HttpRequest, kind: str, slug: str, number: int) -> HttpResponse:
    item = get_object_or_404(PUBLISHABLE_MODELS[kind].objects.visible_to(request.user), slug=slug)
    versions = _versions(request, item)
    version = next((v for v in versions if v.number == number), None)
    if version is None:
        raise Http404
    sections = [
        {
            "heading": SECTION_LABELS.get(section.get("key", ""), section.get("heading", "")),
            "body": section["body"],
        }
        for section in version.snapshot["sections"]
    ]
    return render(
        request,
        "forums/version_detail.html",
        {"item": item, "version": version, "versions": versions, "sections": sections},
    )


@login_required
@require_POST
def publication_transition(request: HttpRequest, kind: str, slug: str) -> HttpResponse:
    item = get_object_or_404(PUBLISHABLE_MODELS[kind].objects.visible_to(request.user), slug=slug)
    if not can_manage_publication(request.user, item):
        raise Http404  # whatever is sent: a published record is not another's to change
    form = PublicationTransitionForm(request.POST)
    if not form.is_valid() or form.cleaned_data["to"] not in PublicationStatus.values:
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, text)
        if not form.errors:
            messages.error(request, _("That change is not possible."))
        return redirect(item)
    to = form.cleaned_data["to"]
    try:
        item = services.publication_transition(
            item=item, to=to, actor=request.user, note=form.cleaned_data["note"]
        )
    except PermissionDenied as error:
        raise Http404 from error
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(
            request,
            _("Status changed to: %(status)s.") % {"status": PublicationStatus(to).label},
        )
    return redirect(item)


def _speech_or_404(request: HttpRequest, forum: Forum, pk: int) -> Speech:
    return get_object_or_404(forum.speeches.select_related("forum", "area"), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def speech_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    forum = _forum_or_404(request, slug)
    speech = _speech_or_404(request, forum, pk) if pk else None
    allowed = (
        can_edit_speech(request.user, speech) if speech else can_add_speech(request.user, forum)
    )
    if not allowed:
        raise Http404
    form = SpeechForm(request.POST or None, instance=speech, forum=forum, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if speech is None:
                services.speech_create(forum=forum, actor=request.user, **fields)
            else:
                services.speech_update(speech=speech, actor=request.user, **fields)
        except PermissionDenied as error:
            raise Http404 from error
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Speech saved."))
            return redirect(forum)
    return render(
        request, "forums/speech_form.html", {"forum": forum, "speech": speech, "form": form}
    )


@login_required
@require_POST
def speech_review(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    forum = _forum_or_404(request, slug)
    speech = _speech_or_404(request, forum, pk)
    if not can_review_speech(request.user, speech):
        raise Http404
    form = SpeechReviewForm(request.POST, prefix=f"review-{speech.pk}")
    if not form.is_valid():
        messages.error(request, _("Choose whether to confirm the text or ask for changes."))
        return redirect(speech.get_absolute_url())
    try:
        services.speech_review(speech=speech, actor=request.user, **form.cleaned_data)
    except PermissionDenied as error:
        raise Http404 from error
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("Thank you: your answer was sent to the street office."))
    return redirect(speech.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def forum_correct(request: HttpRequest, slug: str) -> HttpResponse:
    forum = _forum_or_404(request, slug)
    if not (can_manage_publication(request.user, forum) and forum.is_public):
        raise Http404
    form = ForumCorrectionForm(request.POST or None, instance=Forum.objects.get(pk=forum.pk))
    return _correct(request, forum, None, form)


@login_required
@require_http_methods(["GET", "POST"])
def speech_correct(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    forum = _forum_or_404(request, slug)
    speech = _speech_or_404(request, forum, pk)
    if not (can_manage_publication(request.user, forum) and forum.is_public):
        raise Http404
    form = SpeechCorrectionForm(request.POST or None, instance=Speech.objects.get(pk=speech.pk))
    return _correct(request, forum, speech, form)


def _correct(request: HttpRequest, forum: Forum, speech: Speech | None, form) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        note = form.cleaned_data["note"]
        try:
            if speech is None:
                services.forum_correct(forum=forum, actor=request.user, note=note, **fields)
            else:
                services.speech_correct(speech=speech, actor=request.user, note=note, **fields)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Correction published as a new version."))
            return redirect(forum)
    return render(
        request, "forums/correction_form.html", {"forum": forum, "speech": speech, "form": form}
    )


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@cache_public_page(depends_on=PUBLIC_CONTENT, params=("page", *PracticeFilter.base_filters))
def practice_list(request: HttpRequest) -> HttpResponse:
    practice_filter = PracticeFilter(
        request.GET, queryset=Practice.objects.published().with_list_data(), request=request
    )
    page = Paginator(practice_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "forums/practice_list.html",
        {"filter": practice_filter, "page_obj": page},
    )


@cache_public_page(depends_on=PUBLIC_CONTENT)
def practice_detail(request: HttpRequest, slug: str) -> HttpResponse:
    practice = get_object_or_404(
        Practice.objects.visible_to(request.user).with_list_data(), slug=slug
    )
    speeches = practice.speeches.filter(
        forum__in=Forum.objects.visible_to(request.user)
    ).select_related("forum")
    source_cases = practice.cases.all()
    visible_cases = source_cases.filter(pk__in=Case.objects.visible_to(request.user).values("pk"))
    return render(
        request,
        "forums/practice_detail.html",
        {
            "practice": practice,
            "speeches": speeches,
            "cases": visible_cases.select_related("area", "category"),
            "case_count": source_cases.count(),
            "versions": _versions(request, practice),
            **_publishing(request, practice),
        },
    )


@cache_public_page(depends_on=PUBLIC_CONTENT, params=("page", *NewsFilter.base_filters))
def news_list(request: HttpRequest) -> HttpResponse:
    news_filter = NewsFilter(request.GET, queryset=NewsItem.objects.published(), request=request)
    page = Paginator(news_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "forums/news_list.html",
        {"filter": news_filter, "page_obj": page},
    )


@cache_public_page(depends_on=PUBLIC_CONTENT)
def news_detail(request: HttpRequest, slug: str) -> HttpResponse:
    item = get_object_or_404(NewsItem.objects.visible_to(request.user), slug=slug)
    return render(
        request,
        "forums/news_detail.html",
        {
            "item": item,
            "versions": _versions(request, item),
            **_publishing(request, item),
        },
    )


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
