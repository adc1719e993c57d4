"""Published records: the versions and status changes of forums, practices and news, and the
public pages of practices and news.

Every record is fetched through ``visible_to(request.user)``: a draft is a 404 to the public and a
marked preview to the staff who work on it. Every change goes through ``forums.services``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from caching.pages import cache_public_page
from forums import services
from forums.filters import NewsFilter, PracticeFilter
from forums.forms import PublicationTransitionForm
from forums.models import Forum, NewsItem, Practice, PublicationStatus, Version
from forums.models.publishing import SECTION_LABELS
from forums.permissions import can_manage_publication
from governance.models import Case
from lujiazui.public import PUBLIC_CONTENT

PAGE_SIZE = 12
PUBLISHABLE_MODELS = {"forum": Forum, "practice": Practice, "news": NewsItem}


def readable_versions(request: HttpRequest, item) -> list[Version]:
    """The published versions the user may read: staff all, the public those never withdrawn."""
    versions = Version.objects.of(item)
    if not can_manage_publication(request.user, item):
        versions = versions.filter(is_public=True)
    return list(versions)


def publishing_controls(request: HttpRequest, item) -> dict:
    manage = can_manage_publication(request.user, item)
    return {"manage": manage, "transitions": item.allowed_transitions() if manage else []}


def version_detail(request: HttpRequest, kind: str, slug: str, number: int) -> HttpResponse:
    item = get_object_or_404(PUBLISHABLE_MODELS[kind].objects.visible_to(request.user), slug=slug)
    versions = readable_versions(request, item)
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
            "versions": readable_versions(request, practice),
            **publishing_controls(request, practice),
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
            "versions": readable_versions(request, item),
            **publishing_controls(request, item),
        },
    )
