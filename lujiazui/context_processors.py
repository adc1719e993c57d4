"""What every page's frame reads: display preferences kept in the browser, and the addresses
of the header's links. Neither touches the database."""

import functools

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse

# Not personal: it says only how big this browser wants the text, and no account is involved.
LARGE_TEXT_COOKIE = "large_text"

# The pages base.html links to on every page, by the name it uses for each.
SITE_LINKS = {
    "home": "home",
    "search": "forums:search",
    "area_list": "governance:area_list",
    "forum_list": "forums:forum_list",
    "practice_list": "forums:practice_list",
    "news_list": "forums:news_list",
    "event_list": "forums:event_list",
    "service_list": "doorstep:service_list",
    "wish_wall": "wishes:wish_wall",
    "brand_list": "brands:brand_list",
    "case_list": "governance:case_list",
    "dashboard": "reports:dashboard",
    "person_list": "governance:person_list",
    "inbox": "inbox:inbox",
    "admin": "admin:index",
    "forum_feed": "forums:forum_feed",
    "news_feed": "forums:news_feed",
    "calendar_feed": "forums:calendar_feed",
    "large_text": "large_text",
    "set_language": "set_language",
    "login": "login",
    "logout": "logout",
    "two_step": "two_step",
}


def large_text(request: HttpRequest) -> dict:
    return {"large_text": request.COOKIES.get(LARGE_TEXT_COOKIE) == "on"}


@functools.cache
def _reversed(root_urlconf, urlconf, prefix: str, name: str) -> str:
    return reverse(name, urlconf=urlconf)


class SiteLinks:
    """``links.<name>`` in a template: the address of one of SITE_LINKS, reversed once per
    URLconf and script prefix rather than by a ``{% url %}`` tag on every page (25 of them
    cost a signed-in page about 0.5 ms of CPU). A name missing from SITE_LINKS would render
    empty, as any unknown variable does: a test follows every link of the header."""

    def __getitem__(self, key: str) -> str:
        name = SITE_LINKS[key]
        return _reversed(settings.ROOT_URLCONF, get_urlconf(), get_script_prefix(), name)


_LINKS = SiteLinks()


def site_links(request: HttpRequest) -> dict:
    return {"links": _LINKS}
