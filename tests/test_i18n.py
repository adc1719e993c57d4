import gettext
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse

from governance.models import Organization, Post

# The page tests read the demo street, loaded once for the module.
pytestmark = pytest.mark.usefixtures("demo_once")

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES"


def test_chinese_catalogue_is_complete():
    po = polib.pofile(str(CATALOGUE / "django.po"))
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []


def test_compiled_catalogue_matches_the_source():
    """The .mo is committed so that a fresh machine needs no gettext tools; it must be current."""
    po = polib.pofile(str(CATALOGUE / "django.po"))
    with open(CATALOGUE / "django.mo", "rb") as compiled:
        mo = gettext.GNUTranslations(compiled)
    for entry in po.translated_entries():
        if entry.msgid_plural and entry.msgctxt:
            translated = mo.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, 1)
            assert translated == entry.msgstr_plural[0]
        elif entry.msgid_plural:
            assert mo.ngettext(entry.msgid, entry.msgid_plural, 1) == entry.msgstr_plural[0]
        elif entry.msgctxt:
            assert mo.pgettext(entry.msgctxt, entry.msgid) == entry.msgstr
        else:
            assert mo.gettext(entry.msgid) == entry.msgstr


def _pages():
    return [
        "/",
        reverse("governance:area_list"),
        "/areas/laosan/",
        "/areas/shixin/",
        reverse("login"),
        reverse("governance:person_list"),
        reverse("governance:person_create"),
        reverse("governance:case_list"),
        reverse("governance:case_create"),
        reverse("reports:case_efficiency"),
        "/cases/LJZ-{year}-0001/",
    ]


@pytest.mark.parametrize(
    ("language", "expected"),
    [("zh-hans", "街道概览"), ("en", "Street overview")],
)
def test_every_page_renders_in_both_languages(client, demo, language, expected):
    from residents.models import User

    client.force_login(User.objects.get(username="admin"))
    organization = Organization.objects.get(name="崂三居民区党总支")
    post = Post.objects.filter(organization=organization).first()
    person = post.person
    urls = [
        *_pages(),
        organization.get_absolute_url(),
        reverse("governance:post_create", args=[organization.pk]),
        reverse("governance:post_end", args=[post.pk]),
        person.get_absolute_url(),
        reverse("governance:person_update", args=[person.pk]),
    ]

    from governance.models import Case

    first = Case.objects.order_by("created_at").first()
    urls = [url.replace("/cases/LJZ-{year}-0001/", first.get_absolute_url()) for url in urls]
    for url in urls:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, url
        assert f'<html lang="{language}">' in response.text, url
        assert expected in response.text, url


def test_language_switcher_switches_to_english_and_back(client, demo):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "/areas/laosan/"}, follow=True
    )
    assert "The 1+3+N structure" in response.text
    response = client.post(
        reverse("set_language"), {"language": "zh-hans", "next": "/areas/laosan/"}, follow=True
    )
    assert "1+3+N" in response.text
    assert "The 1+3+N structure" not in response.text


def test_bad_login_is_explained_in_chinese(client, demo):
    response = client.post(reverse("login"), {"username": "laosan", "password": "wrong"})
    assert response.status_code == 200
    assert "请输入一个正确的" in response.text
