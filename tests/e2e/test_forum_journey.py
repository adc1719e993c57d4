"""A forum printed as a clean summary. (Reading a forum, a practice and a search on a phone
and a desktop is the resident's journey in test_role_journeys.py.)"""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_forum_prints_as_a_clean_summary(live_server, page, demo_street):
    page.goto(live_server.url + "/forums/secretary-forum-1-3-n/")
    page.emulate_media(media="print")
    for chrome in (".site-header", ".site-footer", ".breadcrumbs", ".site-search"):
        expect(page.locator(chrome).first).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("article.speech")).to_have_count(6)
    expect(page.locator("article.speech").first).to_be_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
