"""Template tags of the forums app: Markdown bodies, and the practices shown on a case's page
(so that governance's Python never imports forums)."""

from django import template
from django.utils.safestring import SafeString

from forums.markdown import plain_text, render_markdown
from forums.models import Event, Forum, NewsItem, Practice

register = template.Library()

CASE_PRACTICES_SHOWN = 5


@register.filter
def markdown(text: str) -> SafeString:
    return render_markdown(text)


@register.filter
def plain(text: str, length: int = 160) -> str:
    return plain_text(text, length)


@register.inclusion_tag("forums/includes/category_practices.html", takes_context=True)
def practices_for_category(context, category) -> dict:
    """How other areas solved this: published practices for the category of a case."""
    practices = list(
        Practice.objects.published()
        .for_category(category)
        .select_related("area")
        .order_by("-published_at")[: CASE_PRACTICES_SHOWN + 1]
    )
    return {
        "category": category,
        "practices": practices[:CASE_PRACTICES_SHOWN],
        "more": len(practices) > CASE_PRACTICES_SHOWN,
    }


@register.simple_tag(takes_context=True)
def absolute_url(context, path: str) -> str:
    """The full address of a path, for Open Graph tags and feeds read outside the site."""
    return context["request"].build_absolute_uri(path)


LATEST_SHOWN = 3


@register.inclusion_tag("forums/includes/latest.html")
def latest_publications() -> dict:
    """The newest published forums, practices and news, and the events to book, for the street
    overview."""
    return {
        "forums": Forum.objects.published().order_by("-starts_at")[:LATEST_SHOWN],
        "practices": Practice.objects.published().order_by("-published_at")[:LATEST_SHOWN],
        "news": NewsItem.objects.published().order_by("-dated")[:LATEST_SHOWN],
        "events": Event.objects.public()
        .with_list_data()
        .filter(next_start__isnull=False)
        .order_by("next_start")[:LATEST_SHOWN],
    }
