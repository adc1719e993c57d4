"""The error and maintenance pages in Chromium: WCAG 2.1 AA, no CSP violation, both languages."""

import pytest

from tests.e2e.axe import axe_run
from tests.faults import database_gone

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fault_urls(settings):
    settings.ROOT_URLCONF = "tests.faults_urls"


# The browser logs every 4xx and 5xx answer to a page load as a console error.
@pytest.mark.allow_console_errors("Failed to load resource")
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_error_pages_meet_wcag_21_aa_without_csp_violations(
    live_server, page, csp_violations, language
):
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    found = []
    for path, status in (
        ("/no-such-page/", 404),
        ("/faults/403/", 403),
        ("/faults/400/", 400),
        ("/faults/429/", 429),
        ("/faults/500/", 500),
    ):
        response = page.goto(live_server.url + path)
        assert response.status == status
        assert page.locator("html").get_attribute("lang") == language
        violations = axe_run(page)["violations"]
        found += [f"{path}: {v['id']} ({v['impact']})" for v in violations]
    assert found == []
    assert csp_violations == []


@pytest.mark.allow_console_errors("Failed to load resource")
def test_maintenance_page_in_the_browser(live_server, page, csp_violations):
    with database_gone():
        response = page.goto(live_server.url + "/")
        assert response.status == 503
        assert response.headers["retry-after"]
        assert page.locator("h1").is_visible()
        assert axe_run(page)["violations"] == []
    assert csp_violations == []
    assert page.goto(live_server.url + "/").status == 200
