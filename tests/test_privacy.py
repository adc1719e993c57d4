"""No personal data on any public page: every page a visitor can reach from the street overview,
read with the demo loaded, holds none of the stored phone numbers, private addresses or
residents' names."""

import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.apps import apps

from forums.models import EventSession
from residents.models import Person

pytestmark = pytest.mark.django_db

# Model fields that hold personal data. The names of people who hold posts, speak or host are
# public; the names stored here (a reporting resident, a booker) never are.
PRIVATE_FIELDS = {
    "residents.Person": ["phone", "address"],
    "governance.Case": ["reporter_name", "reporter_phone"],
    "forums.Booking": ["name", "phone"],
    "governance.Wish": [
        "resident_name",
        "resident_phone",
        "resident_address",
        "claimed_by_name",
        "claimer_contact",
    ],
}
SKIPPED_PREFIXES = ("/admin/", "/accounts/", "/i18n/", "/static/", "/media/")
LINK = re.compile(r"""href="([^"#]+)""")
MAX_PAGES = 1500


def _private_values() -> set[str]:
    values: set[str] = set()
    for label, fields in PRIVATE_FIELDS.items():
        model = apps.get_model(label)
        for field in fields:
            values |= set(
                model._default_manager.exclude(**{field: ""}).values_list(field, flat=True)
            )
    return {value for value in values if value and len(value) >= 2}


def _links(base: str, html: str) -> list[str]:
    found = []
    for href in LINK.findall(html):
        url = urlsplit(urljoin(base, href.replace("&amp;", "&")))
        if url.netloc not in ("", "testserver") or url.path.startswith(SKIPPED_PREFIXES):
            continue
        found.append(url.path + (f"?{url.query}" if url.query else ""))
    return found


def _crawl(client, start: list[str]) -> dict[str, str]:
    """Every page reachable from the start pages by following links, as an anonymous visitor."""
    pages: dict[str, str] = {}
    queue = deque(start)
    while queue and len(pages) < MAX_PAGES:
        path = queue.popleft()
        if path in pages:
            continue
        response = client.get(path)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            pages[path] = response.content.decode(errors="replace")
            continue
        html = response.content.decode()
        pages[path] = html
        queue.extend(link for link in _links(path, html) if link not in pages)
    return pages


def test_no_public_page_shows_a_stored_phone_number_address_or_residents_name(client, demo):
    private = _private_values()
    session = EventSession.objects.filter(seats_taken__gt=0).first()

    pages = _crawl(client, ["/", f"/events/{session.event.slug}/"])

    assert len(pages) > 60, "the crawl reached the public pages"
    for section in ("/events/", "/wishes/", "/brands/", "/services/", "/stations/"):
        assert sum(path.startswith(section) for path in pages) > 3, section
    assert "/areas/laosan/services/print/" in pages
    assert any(path.startswith("/events/") and "/book/" in path for path in pages)
    leaks = [(path, value) for path, html in pages.items() for value in private if value in html]
    assert leaks == []


MOBILE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])|1[3-9][0-9] [0-9]{4} [0-9]{4}")


def test_doorstep_pages_show_no_mobile_number_only_office_landlines(client, demo):
    """Stations publish their office landline; no mobile number of anyone ever appears."""
    pages = _crawl(client, ["/services/", "/areas/laosan/services/print/"])
    doorstep = {
        path: html
        for path, html in pages.items()
        if path.startswith(("/services/", "/stations/")) or path.endswith("/services/print/")
    }

    assert len(doorstep) > 40
    assert "021-5887 0301" in doorstep["/areas/laosan/services/print/"]
    assert [
        (path, MOBILE.search(html)[0]) for path, html in doorstep.items() if MOBILE.search(html)
    ] == []


def test_searching_for_personal_data_finds_nothing(client, demo):
    """The search page repeats the query, so here it is the hits that must be empty."""
    for value in sorted(_private_values()):
        response = client.get("/search/", {"q": value})
        assert response.context["page_obj"].paginator.count == 0, value


def test_the_check_finds_a_planted_phone_number(client, demo):
    """The harness can fail: a resident's number written into a public page is reported."""
    from forums.models import NewsItem

    person = Person.objects.exclude(phone="").first()
    item = NewsItem.objects.filter(status="published").first()
    NewsItem.objects.filter(pk=item.pk).update(summary=f"联系 {person.phone}")

    pages = _crawl(client, [item.get_absolute_url()])

    assert any(person.phone in html for html in pages.values())
    assert person.phone in _private_values()
