"""Template tags of the forums app: Markdown bodies, and the practices shown on a case's page
(so that governance's Python never imports forums)."""

from django import template
from django.db.models import Min
from django.utils import timezone
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
    overview. Only the columns the list shows: the rest of each row costs CPU to read."""
    return {
        "forums": Forum.objects.published()
        .order_by("-starts_at")
        .only("title", "slug", "starts_at")[:LATEST_SHOWN],
        "practices": Practice.objects.published()
        .order_by("-published_at")
        .only("title", "slug")[:LATEST_SHOWN],
        "news": NewsItem.objects.published()
        .order_by("-dated")
        .only("title", "slug", "dated")[:LATEST_SHOWN],
        # The next session of each public event with one still to come; without the figures
        # of ``with_list_data()``, which the list does not show.
        "events": Event.objects.public()
        .filter(sessions__starts_at__gt=timezone.now())
        .only("title", "slug")
        .annotate(next_start=Min("sessions__starts_at"))
        .order_by("next_start")[:LATEST_SHOWN],
    }
