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

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_once")]

# Model fields that hold personal data. The names of people who hold posts, speak or host are
# public; the names stored here (a reporting resident, a booker) never are.
PRIVATE_FIELDS = {
    "residents.Person": ["phone", "address"],
    "governance.Case": ["reporter_name", "reporter_phone"],
    "forums.Booking": ["name", "phone"],
    "wishes.Wish": [
        "resident_name",
        "resident_phone",
        "resident_address",
        "claimed_by_name",
        "claimer_contact",
    ],
}
SKIPPED_PREFIXES = ("/admin/", "/accounts/", "/i18n/", "/static/", "/media/")
LINK = re.compile(r"""(?:href|src)="([^"#]+)""")  # pages, and the photos they show
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
        if (
            url.scheme not in ("", "http")  # tel:, mailto:, data:
            or url.netloc not in ("", "testserver")
            or url.path.startswith(SKIPPED_PREFIXES)
        ):
            continue
        found.append(url.path + (f"?{url.query}" if url.query else ""))
    return found


def _crawl(
    client,
    start: list[str],
    content_types: dict[str, str] | None = None,
    limit: int = MAX_PAGES,
) -> dict[str, str]:
    """Every page reachable from the start pages by following links, as the client's user (an
    anonymous visitor unless it logged in), up to ``limit`` pages; each answer's content type
    goes into ``content_types`` when given."""
    pages: dict[str, str] = {}
    queue = deque(start)
    while queue and len(pages) < limit:
        path = queue.popleft()
        if path in pages:
            continue
        response = client.get(path)
        content = b"".join(response.streaming_content) if response.streaming else response.content
        if content_types is not None:
            content_types[path] = response.get("Content-Type", "")
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            pages[path] = content.decode(errors="replace")
            continue
        html = content.decode()
        pages[path] = html
        queue.extend(link for link in _links(path, html) if link not in pages)
    return pages


def _digits(text: str) -> str:
    """Text with the spaces and dashes between digits taken out: 138 0000-1111 -> 13800001111."""
    return re.sub(r"(?<=[0-9])[\s\-\u2010-\u2015]+(?=[0-9])", "", text)


def _leaks(pages: dict[str, str], private: set[str]) -> list[tuple[str, str]]:
    """The stored private values found in the pages, as stored or, for phone numbers, as the
    same digits written with other spaces or dashes."""
    numbers = {_digits(value).replace(" ", ""): value for value in private}
    numbers = {
        digits: value for digits, value in numbers.items() if re.fullmatch(r"[0-9]{7,}", digits)
    }
    found = []
    for path, text in pages.items():
        found += [(path, value) for value in private if value in text]
        plain = _digits(text)
        found += [(path, value) for digits, value in numbers.items() if digits in plain]
    return sorted(set(found))


MASK = re.compile(r"[0-9][0-9*]{5,}[0-9]")


def _unmasked(pages: dict[str, str]) -> list[tuple[str, str]]:
    """Masked numbers that hide fewer than four digits (138****1234 hides four)."""
    return [
        (path, number)
        for path, text in pages.items()
        for number in MASK.findall(text)
        if "*" in number and number.count("*") < 4
    ]


def _public_starts() -> list[str]:
    """Public pages no link may lead to: feeds, calendars, Open311's answers with every filter,
    the health check, and the wish wall and services under each filter."""
    from governance.models import Case, Category
    from residents.models import ResidentialArea
    from wishes.models import PUBLIC_STATUSES, WishCategory

    areas = list(ResidentialArea.objects.values_list("slug", "pk"))
    codes = list(Category.objects.exclude(service_code="").values_list("service_code", flat=True))
    numbers = list(Case.objects.order_by("-pk").values_list("number", flat=True)[:5])
    resources = [
        ("discovery", ""),
        ("services", ""),
        *((f"services/{code}", "") for code in codes),
        ("requests", ""),
        ("requests", "status=open"),
        ("requests", "status=closed"),
        ("requests", "status=open,closed&start_date=2000-01-01&page_size=200"),
        ("requests", "start_date=2000-01-01&page=2"),
        ("requests", f"service_request_id={','.join(numbers)}"),
        *(("requests", f"service_code={code}&start_date=2000-01-01") for code in codes),
        *((f"requests/{number}", "") for number in numbers),
    ]
    open311 = [
        f"/open311/v2/{resource}.{fmt}" + (f"?{query}" if query else "")
        for fmt in ("json", "xml")
        for resource, query in resources
    ]
    walls = [
        *(f"/wishes/?area={pk}" for _slug, pk in areas),
        *(f"/wishes/?status={status}" for status in PUBLIC_STATUSES),
        *(f"/wishes/?category={category}" for category in WishCategory.values),
        *(
            f"/areas/{slug}/wishes/?status={status}"
            for slug, _pk in areas
            for status in PUBLIC_STATUSES
        ),
        *(f"/services/?area={slug}&when=week" for slug, _pk in areas),
    ]
    from forums.models import Forum, NewsItem, Practice

    versions = [
        f"{item.get_absolute_url()}versions/1/"
        for model in (Practice, NewsItem, Forum)
        for item in model.objects.published()[:3]
    ]
    return [
        "/",
        "/healthz/",
        "/favicon.ico",
        "/open311/v2/",
        "/search/?q=垃圾分类",
        *versions,
        "/forums/feed/",
        "/news/feed/",
        "/calendar.ics",
        *open311,
        *walls,
    ]


# Pages that need a login, or a booking's secret code, or that only take a post: no visitor
# reaches them, and the crawl does not try.
NOT_PUBLIC_ROUTES = {
    "login", "two_step", "logout", "set_language", "large_text",
    "governance:person_list", "governance:person_create", "governance:person_detail",
    "governance:person_update", "governance:post_create", "governance:post_end",
    "governance:person_history", "governance:organization_history",
    "governance:case_list", "governance:case_create",
    "governance:case_detail", "governance:case_edit", "governance:case_transition",
    "governance:case_parties", "governance:case_update", "governance:case_attachment_upload",
    "governance:case_attachment", "governance:case_follow_up", "governance:case_due_date",
    "brands:brand_activity_create", "brands:brand_activity_delete",
    "wishes:wish_manage_list", "wishes:wish_claim_list", "wishes:wish_create",
    "wishes:wish_manage_detail", "wishes:wish_edit", "wishes:wish_publish",
    "wishes:wish_claim", "wishes:wish_fulfil", "wishes:wish_thank",
    "wishes:wish_withdraw", "wishes:wish_photo", "governance:case_export",
    "governance:organization_export", "wishes:wish_export", "governance:roster_import",
    "governance:roster_import_detail", "governance:roster_template",
    "governance:open311_not_found",
    "reports:dashboard", "reports:dashboard_report", "reports:dashboard_report_xlsx",
    "reports:case_efficiency",
    "forums:forum_transition", "forums:forum_correct", "forums:speech_create",
    "forums:speech_edit", "forums:speech_review", "forums:speech_correct",
    "forums:practice_transition", "forums:news_transition", "forums:booking_detail",
    "forums:booking_ics", "forums:booking_cancel", "forums:event_manage",
    "forums:session_attendees", "forums:event_check_in", "forums:event_export",
    "forums:event_export_xlsx",
    "inbox:inbox", "inbox:preferences", "inbox:read_all", "inbox:open", "inbox:read",
    "doorstep:manage", "doorstep:service_create", "doorstep:service_edit",
    "doorstep:service_delete", "doorstep:station_create", "doorstep:station_edit",
}  # fmt: skip


# Public pages of records the demo does not have.
NOT_IN_THE_DEMO = {"forums:forum_cover"}  # no demo forum has a cover


def _route_names() -> set[str]:
    from django.urls import URLResolver, get_resolver

    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if str(pattern.pattern) not in ("admin/", "i18n/"):
                    yield from walk(pattern.url_patterns, pattern.namespace or namespace)
            elif pattern.name:
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name

    return set(walk(get_resolver().url_patterns))


def _reached_routes(paths) -> set[str]:
    from django.urls import Resolver404, resolve

    reached = set()
    for path in paths:
        try:
            reached.add(resolve(urlsplit(path).path).view_name)
        except Resolver404:
            continue
    return reached


def test_no_public_page_shows_a_stored_phone_number_address_or_residents_name(client, demo):
    private = _private_values()
    session = EventSession.objects.filter(seats_taken__gt=0).first()

    pages = _crawl(client, [*_public_starts(), f"/events/{session.event.slug}/"])

    assert len(pages) > 60, "the crawl reached the public pages"
    for section in ("/events/", "/wishes/", "/brands/", "/services/", "/stations/", "/open311/"):
        assert sum(path.startswith(section) for path in pages) > 3, section
    assert "/areas/laosan/services/print/" in pages
    assert any(path.startswith("/events/") and "/book/" in path for path in pages)
    unreached = _route_names() - NOT_PUBLIC_ROUTES - NOT_IN_THE_DEMO - _reached_routes(pages)
    assert unreached == set()
    assert _leaks(pages, private) == []
    assert _unmasked(pages) == []


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


def test_the_check_finds_a_phone_number_written_with_other_spaces_and_a_poor_mask():
    """The harness can fail: a stored number shown as 139-5555 0001, or masked too little."""
    pages = {"/a/": "<p>联系 139-5555 0001</p>", "/b/": "<p>139****0001 and 1395555**01</p>"}

    assert _leaks(pages, {"13955550001"}) == [("/a/", "13955550001")]
    assert _unmasked(pages) == [("/b/", "1395555**01")]


def test_the_check_finds_a_planted_phone_number(client, demo):
    """The harness can fail: a resident's number written into a public page is reported."""
    from forums.models import NewsItem

    person = Person.objects.exclude(phone="").first()
    item = NewsItem.objects.filter(status="published").first()
    NewsItem.objects.filter(pk=item.pk).update(summary=f"联系 {person.phone}")

    pages = _crawl(client, [item.get_absolute_url()])

    assert any(person.phone in html for html in pages.values())
    assert person.phone in _private_values()
