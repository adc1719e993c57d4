"""The header's links, whose addresses come from ``lujiazui.context_processors.site_links``."""

import pytest
from django.urls import resolve
from django.urls.exceptions import Resolver404

from tests.markup import elements

pytestmark = pytest.mark.django_db


def _addresses(html: str) -> list[str]:
    """Every address the page's frame names: links, feeds and the forms' actions."""
    header = html.split("<main", 1)[0]
    found = [e.attrs.get("href") for e in elements(header, "a") + elements(header, "link")]
    found += [e.attrs.get("action") for e in elements(header, "form")]
    return [address.split("?")[0] for address in found if address is not None]


def _leads_nowhere(address: str) -> bool:
    if address == "#main" or address.startswith("/static/"):
        return False
    try:
        resolve(address)
    except Resolver404:
        return True
    return False


def test_every_link_of_a_staff_users_header_leads_to_a_page(client, street_staff):
    street_staff.is_staff = True
    street_staff.save()
    client.force_login(street_staff)

    addresses = _addresses(client.get("/").content.decode())

    # Feeds, the menu (with the dashboard, inbox and administration), search, both switches
    # and the logout form.
    assert len(addresses) >= 20
    assert [a for a in addresses if _leads_nowhere(a)] == []
    assert {"/", "/admin/", "/cases/", "/dashboard/"} <= set(addresses)


def test_an_error_page_keeps_the_headers_links(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    addresses = _addresses(response.content.decode())
    assert len(addresses) >= 15
    assert [a for a in addresses if _leads_nowhere(a)] == []
