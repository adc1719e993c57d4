"""Template tags of the forums app: Markdown bodies, and the practices shown on a case's page
(so that governance's Python never imports forums)."""

from django import template
from django.db.models import Min
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe

from forums.markdown import plain_text, render_markdown
from forums.models import Event, Forum, NewsItem, Practice
from governance.widgets import conditional_escape as escape

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


def _with_addresses(items: list, view_name: str, when: str = "", day_format: str = "") -> list:
    """Give each item its page's address as ``url`` from one ``reverse()`` (an ASCII slug needs
    no quoting in a path), and with ``when`` that date formatted as ``day``, as the ``date``
    filter would: in the current time zone and language."""
    head, tail = reverse(view_name, kwargs={"slug": "slug"}).rsplit("slug", 1)
    for item in items:
        item.url = (
            f"{head}{item.slug}{tail}"
            if item.slug.isascii()
            else reverse(view_name, kwargs={"slug": item.slug})
        )
        if when:
            item.day = date_format(timezone.localtime(getattr(item, when)), day_format)
    return items


@register.inclusion_tag("forums/includes/latest.html")
def latest_publications() -> dict:
    """The newest published forums, practices and news, and the events to book, for the street
    overview. Only the columns the list shows: the rest of each row costs CPU to read."""
    forums = Forum.objects.published().order_by("-starts_at").only("title", "slug", "starts_at")
    practices = Practice.objects.published().order_by("-published_at").only("title", "slug")
    news = NewsItem.objects.published().order_by("-dated").only("title", "slug", "dated")
    # The next session of each public event with one still to come; without the figures of
    # ``with_list_data()``, which the list does not show.
    events = (
        Event.objects.public()
        .filter(sessions__starts_at__gt=timezone.now())
        .only("title", "slug")
        .annotate(next_start=Min("sessions__starts_at"))
        .order_by("next_start")
    )
    return {
        "forums": _with_addresses(
            list(forums[:LATEST_SHOWN]), "forums:forum_detail", "starts_at", "Y-m-d"
        ),
        "practices": _with_addresses(list(practices[:LATEST_SHOWN]), "forums:practice_detail"),
        "news": _with_addresses(list(news[:LATEST_SHOWN]), "forums:news_detail", "dated", "Y-m-d"),
        "events": _with_addresses(
            list(events[:LATEST_SHOWN]), "forums:event_detail", "next_start", "Y-m-d H:i"
        ),
    }


_HIT = (
    '\n    <li class="card search-hit">'
    '\n      <p class="search-hit__kind"><span class="badge search-hit__label '
    'search-hit__label--{}">{}</span>{}</p>'
    '\n      <h2 class="card__title"><a href="{}">{}</a></h2>'
    '\n      <p class="search-hit__excerpt">{}</p>'
    "\n    </li>"
)
_TIME = ' <time datetime="{}">{}</time>'


@register.simple_tag
def search_hits(results: list[dict]) -> SafeString:
    """The search page's results, written in Python (twenty cards of a dozen tags each): what
    ``forums.views.search.search`` gives each, its excerpt already escaped and marked."""
    return mark_safe("".join(_hit_card(hit) for hit in results))  # noqa: S308 - escaped there


def _hit_card(hit: dict) -> str:
    """One result's card, each value escaped as format_html would, by the portal's
    conditional_escape: Django's checks each argument for lazy text first, which cost more than
    the escaping for the hundred and twenty values of a page."""
    day = _TIME.format(escape(hit["iso"]), escape(hit["day"])) if hit["day"] else ""
    return _HIT.format(
        escape(hit["kind"]),
        escape(hit["kind_label"]),
        day,
        escape(hit["url"]),
        escape(hit["title"]),
        escape(hit["excerpt"]),
    )
