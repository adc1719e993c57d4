"""The large-text switch: a cookie set by a POST, read on every page without a query."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db

SWITCH = reverse("large_text")


def test_turning_large_text_on_sets_a_lax_cookie_for_a_year_and_goes_back(client):
    response = client.post(SWITCH, {"large_text": "on", "next": "/areas/?page=2"})

    assert response.status_code == 302
    assert response["Location"] == "/areas/?page=2"
    cookie = response.cookies["large_text"]
    assert cookie.value == "on"
    assert cookie["max-age"] == 365 * 24 * 60 * 60
    assert cookie["samesite"] == "Lax"
    assert cookie["httponly"]


def test_turning_large_text_off_clears_the_cookie(client):
    client.cookies["large_text"] = "on"

    response = client.post(SWITCH, {"large_text": "off", "next": "/forums/"})

    assert response["Location"] == "/forums/"
    cookie = response.cookies["large_text"]
    assert cookie.value == ""
    assert cookie["max-age"] == 0


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/",
        "http://evil.example/areas/",
        "javascript:alert(1)",
        "",
    ],
)
def test_the_switch_never_sends_anyone_to_another_site(client, next_url):
    response = client.post(SWITCH, {"large_text": "on", "next": next_url})

    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_the_switch_refuses_a_get(client):
    assert client.get(SWITCH, {"large_text": "on"}).status_code == 405


def test_the_display_switches_take_no_csrf_token_so_public_pages_hold_none(street):
    """The text size and language switches only set a display preference, so they take no
    token: a public page is then the same for every visitor and may be cached whole. Any other
    form still needs its token."""
    client = Client(enforce_csrf_checks=True)

    page = client.get(reverse("home"))
    size = client.post(SWITCH, {"large_text": "on"})
    language = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    login = client.post(reverse("login"), {"username": "x", "password": "y"})

    assert "csrfmiddlewaretoken" not in page.content.decode()
    assert "csrftoken" not in page.cookies
    assert size.status_code == 302 and size.cookies["large_text"].value == "on"
    assert language.status_code == 302 and language.cookies["django_language"].value == "en"
    assert login.status_code == 403


def test_pages_carry_the_class_and_the_pressed_switch_when_the_cookie_is_set(client, street):
    client.cookies["large_text"] = "on"

    html = client.get(reverse("home")).content.decode()

    assert '<html lang="zh-hans" class="large-text">' in html
    assert 'name="large_text" value="off"' in html
    assert 'aria-pressed="true">' in html.split('class="text-size-switch')[1].split("</form>")[0]


def test_pages_have_no_class_and_an_unpressed_switch_without_the_cookie(client, street):
    html = client.get(reverse("governance:area_list")).content.decode()

    assert 'class="large-text"' not in html
    switch = html.split('class="text-size-switch')[1].split("</form>")[0]
    assert 'value="on"' in switch
    assert 'aria-pressed="false"' in switch


def test_a_cookie_with_another_value_leaves_the_text_as_it_is(client, street):
    client.cookies["large_text"] = "<script>"

    assert 'class="large-text"' not in client.get(reverse("home")).content.decode()


def test_large_text_costs_no_query(client, area, django_assert_num_queries):
    with CaptureQueriesContext(connection) as plain:
        client.get(reverse("home"))
    client.cookies["large_text"] = "on"

    with django_assert_num_queries(len(plain.captured_queries)):
        response = client.get(reverse("home"))

    assert b'class="large-text"' in response.content
