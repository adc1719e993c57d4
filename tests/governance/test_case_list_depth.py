"""The workbench pages through the first pages of an order only: a deep page is an OFFSET that
reads and skips every case before it. Past the cap it shows the last page listed and says to
narrow the filters."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.views.cases import workbench
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def seven_cases(area, street_staff, monkeypatch):
    """Seven cases, listed two a page, at most three pages (six cases) deep."""
    monkeypatch.setattr(workbench, "PAGE_SIZE", 2)
    monkeypatch.setattr(workbench, "MAX_PAGES", 3)
    category = factories.CategoryFactory()
    return [factories.case(area, actor=street_staff, category=category) for _ in range(7)]


def _offsets(queries) -> list[int]:
    return [int(n) for q in queries for n in re.findall(r"OFFSET (\d+)", q["sql"])]


def test_a_page_past_the_cap_shows_the_last_page_listed_and_says_to_narrow_the_filters(
    client, street_staff, seven_cases
):
    client.force_login(street_staff)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("governance:case_list"), {"page": "2000"})

    assert response.status_code == 200
    assert response.context["page_obj"].number == 3
    assert response.context["beyond_cap"]
    assert max(_offsets(queries), default=0) <= 4  # never deeper than the third page
    # Both notes: the page asked for is beyond, and more cases lie past the last page.
    assert response.content.decode().count('class="message" role="status"') == 2
    assert response.context["total"] == 7


def test_the_last_page_listed_says_more_cases_lie_beyond(client, street_staff, seven_cases):
    client.force_login(street_staff)

    response = client.get(reverse("governance:case_list"), {"page": "3"})

    assert not response.context["beyond_cap"]
    assert response.context["page_obj"].paginator.capped
    assert not response.context["page_obj"].has_next()
    assert response.content.decode().count('class="message" role="status"') == 1


def test_the_count_line_gives_every_matching_case_not_only_those_listed(
    client, street_staff, seven_cases
):
    client.force_login(street_staff)

    response = client.get(reverse("governance:case_list"))

    assert response.context["total"] == 7
    assert response.context["page_obj"].paginator.count == 6


def test_a_list_within_the_cap_says_nothing_about_it(client, street_staff, area, monkeypatch):
    monkeypatch.setattr(workbench, "PAGE_SIZE", 2)
    monkeypatch.setattr(workbench, "MAX_PAGES", 3)
    category = factories.CategoryFactory()
    for _ in range(3):
        factories.case(area, actor=street_staff, category=category)
    client.force_login(street_staff)

    response = client.get(reverse("governance:case_list"), {"page": "9"})

    assert response.context["page_obj"].number == 2
    assert not response.context["beyond_cap"]
    assert 'class="message" role="status"' not in response.content.decode()


def test_each_page_lists_its_own_cases_newest_first(client, street_staff, seven_cases):
    """The page's ids are found first, then their rows: the order and the slices still hold."""
    client.force_login(street_staff)
    newest_first = [c.number for c in reversed(seven_cases)]

    pages = [
        [
            c.number
            for c in client.get(reverse("governance:case_list"), {"page": n}).context["page_obj"]
        ]
        for n in (1, 2, 3)
    ]

    assert pages == [newest_first[0:2], newest_first[2:4], newest_first[4:6]]
