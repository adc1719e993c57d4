"""What the apps register with inbox: a sentence for every kind, and a target page that is a
404 for a model nobody registered."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404
from django.utils import translation

from governance.models import Case
from inbox import registry
from inbox.models import Kind, Notification
from inbox.targets import target_url
from inbox.texts import render
from residents.models import Street


def test_every_kind_has_a_registered_sentence():
    assert set(registry.texts) == set(Kind.values)


def test_an_update_naming_no_party_reads_as_from_the_areas_staff():
    params = {"number": "LJZ-2026-0001", "area": "崂山三村", "party": ""}
    with translation.override("en"):
        text = render(Kind.CASE_UPDATED, params)
    assert text == "Case LJZ-2026-0001 (崂山三村) has a new update from the area's staff."


def test_a_kind_nobody_registered_reads_as_its_code_and_missing_values_as_the_bare_sentence():
    assert render("retired_kind", {"number": "LJZ-2026-0001"}) == "retired_kind"
    with translation.override("en"):
        assert render(Kind.CASE_RESOLVED, {}) == "Case %(number)s (%(area)s) was resolved."


@pytest.mark.django_db
def test_a_notification_about_a_model_without_a_target_is_a_404(street, street_staff):
    notification = Notification(
        recipient=street_staff,
        kind=Kind.FORUM_APPROVAL,
        content_type=ContentType.objects.get_for_model(Street),
        object_id=street.pk,
    )
    with pytest.raises(Http404):
        target_url(street_staff, notification)


def test_a_kind_or_a_model_is_registered_once():
    with pytest.raises(ImproperlyConfigured):
        registry.register_text(Kind.CASE_RESOLVED, registry.texts[Kind.CASE_RESOLVED].message)
    with pytest.raises(ImproperlyConfigured):
        registry.register_target(Case, Case.objects.visible_to)
