"""The markup the phone layout stands on: the header's menu works without JavaScript, tables a
resident needs stack into cards and stay tables to screen readers, and every table that scrolls
sideways does so in a labelled region a keyboard can reach. How the pages look at 320 to 640
pixels is checked in Chromium (tests/e2e/test_accessibility.py)."""

import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from tests.markup import elements

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def test_the_header_menu_is_a_disclosure_holding_the_navigation_and_switches(client, db):
    html = client.get(reverse("home")).content

    menu = next(e for e in elements(html, "details") if "site-menu" in e.classes)
    assert "open" not in menu.attrs  # closed on a phone until asked
    summary = next(e for e in elements(html, "summary") if "site-menu__button" in e.classes)
    assert summary.inside("details") is not None
    for name, css in [("nav", "site-nav"), ("form", "lang-switch"), ("form", "text-size-switch")]:
        found = next(e for e in elements(html, name) if css in e.classes)
        assert found.inside("details") is not None, css
    search = next(e for e in elements(html, "a") if "site-header__search-link" in e.classes)
    assert search.attrs["href"] == reverse("forums:search")
    assert search.inside("details") is None  # in the row, beside the menu button


def test_the_street_table_stacks_on_a_phone_and_keeps_its_table_roles(client, db, area):
    html = client.get(reverse("home")).content.decode()

    table = re.search(r'<table class="table table--stack" role="table">.*?</table>', html, re.S)
    assert table
    cells = re.findall(r"<td [^>]*>", table[0])
    assert cells
    assert all('role="cell"' in cell and "data-label=" in cell for cell in cells)
    assert 'role="rowheader"' in table[0] and 'role="columnheader"' in table[0]


def test_every_table_that_scrolls_is_a_labelled_region_a_keyboard_can_reach():
    """A new table-wrap without a name or a tab stop fails here."""
    found = []
    for template in TEMPLATES.rglob("*.html"):
        for tag in re.findall(r'<div class="table-wrap"[^>]*>', template.read_text()):
            if not (
                'role="region"' in tag
                and 'tabindex="0"' in tag
                and re.search(r"aria-label(ledby)?=\"[^\"]+\"", tag)
            ):
                found.append(f"{template.relative_to(TEMPLATES)}: {tag}")
    assert found == []
