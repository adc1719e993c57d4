"""The pages of forums and their speeches: the public list and page, and the staff pages that
prepare a forum's speeches and correct a published forum.

Every record is fetched through ``visible_to(request.user)``: a draft is a 404 to the public and a
marked preview to the staff who work on it. Every change goes through ``forums.services``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from caching.pages import cache_public_page
from forums import services
from forums.filters import ForumFilter
from forums.forms import ForumCorrectionForm, SpeechCorrectionForm, SpeechForm, SpeechReviewForm
from forums.models import Forum, PublicationStatus, Speech, SpeechKind
from forums.permissions import (
    can_add_speech,
    can_edit_speech,
    can_manage_publication,
    can_review_speech,
    forum_rights,
)
from forums.views.publishing import PAGE_SIZE, readable_versions
from lujiazui.public import PUBLIC_CONTENT


def _forum_or_404(request: HttpRequest, slug: str) -> Forum:
    return get_object_or_404(Forum.objects.visible_to(request.user).with_page_data(), slug=slug)


def _last(items):
    items = list(items)
    return items[-1] if items else None


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
            "versions": readable_versions(request, forum),
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
