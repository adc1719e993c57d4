"""Kept values: renewed by any write to a model they depend on, by an eviction of a version
however often it is then bumped, by their own time limit, and never kept with the cache off."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from caching import versions
from caching.values import cached
from governance.models import Category
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300


def _value(compute, **kwargs):
    return cached("test", parts=["a"], depends_on=[Category], compute=compute, **kwargs)


def test_a_value_is_computed_once_until_a_model_it_depends_on_is_written_to():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    first, again = _value(compute), _value(compute)
    factories.CategoryFactory()
    after_a_save = _value(compute)

    assert (first, again, after_a_save) == (1, 1, 2)


@pytest.mark.parametrize(
    "write",
    [
        lambda category: Category.objects.filter(pk=category.pk).update(name="新名称"),
        lambda category: Category.objects.bulk_update([category], ["name"]),
        lambda category: Category.objects.bulk_create([factories.CategoryFactory.build()]),
        lambda category: Category.objects.filter(pk=category.pk).delete(),
        lambda category: category.delete(),
    ],
    ids=["update", "bulk_update", "bulk_create", "queryset delete", "delete"],
)
def test_bulk_writes_and_deletes_invalidate_too(write):
    category = factories.CategoryFactory()
    kept = _value(lambda: "before")

    write(category)

    assert kept == "before"
    assert _value(lambda: "after") == "after"


def test_an_evicted_version_bumped_as_often_as_before_never_brings_an_old_value_back():
    _value(lambda: "first")
    versions.invalidate(Category)
    versions.invalidate(Category)
    assert _value(lambda: "second") == "second"

    cache.delete("version:governance.Category")  # evicted, or the cache restarted
    versions.invalidate(Category)
    versions.invalidate(Category)

    assert _value(lambda: "third") == "third"


def test_a_version_started_after_an_eviction_is_new():
    _found, (before,) = versions.read([], ["governance.Category"])
    cache.delete("version:governance.Category")

    _found, (after,) = versions.read([], ["governance.Category"])

    assert after != before


def test_each_set_of_parts_is_kept_apart():
    first = cached("test", parts=["zh-hans"], depends_on=[Category], compute=lambda: "中文")
    second = cached("test", parts=["en"], depends_on=[Category], compute=lambda: "English")

    assert (first, second) == ("中文", "English")


def test_a_value_is_never_kept_past_the_moment_it_stops_being_true(monkeypatch):
    timeouts = []
    real_set = cache.set
    monkeypatch.setattr(
        "caching.values.cache.set",
        lambda key, value, timeout=None: timeouts.append(timeout) or real_set(key, value, timeout),
    )
    soon = timezone.now() + datetime.timedelta(seconds=30)

    _value(lambda: "x", valid_until=soon)
    cached("past", parts=[], depends_on=[], compute=lambda: "y", valid_until=timezone.now())

    assert len(timeouts) == 1 and 28 <= timeouts[0] <= 30  # the past one is not kept at all


def test_nothing_is_kept_with_the_cache_off(settings):
    settings.PAGE_CACHE_SECONDS = 0
    calls = []

    _value(lambda: calls.append(1))
    _value(lambda: calls.append(1))

    assert len(calls) == 2


def test_a_many_to_many_change_invalidates_both_sides(area, street):
    forum = factories.ForumFactory(street=street)
    _found, before = versions.read([], ["forums.Forum", "residents.ResidentialArea"])

    forum.areas.add(area)

    _found, after = versions.read([], ["forums.Forum", "residents.ResidentialArea"])
    assert after[0] != before[0] and after[1] != before[1]


def test_a_write_invalidates_again_when_its_transaction_commits(
    street, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        factories.NewsFactory(street=street)
        _found, (at_the_write,) = versions.read([], ["forums.NewsItem"])

    for callback in callbacks:
        callback()

    _found, (at_the_commit,) = versions.read([], ["forums.NewsItem"])
    assert callbacks and at_the_commit != at_the_write


def test_a_write_to_volatile_fields_alone_renews_only_what_shows_them(street):
    from forums.models import EventSession

    session = factories.SessionFactory(event=factories.EventFactory(street=street))
    labels = ["forums.EventSession", "forums.EventSession.seats_taken"]
    _found, before = versions.read([], labels)

    EventSession.objects.filter(pk=session.pk).update(seats_taken=2)
    _found, after_seats = versions.read([], labels)
    EventSession.objects.filter(pk=session.pk).update(capacity=50)
    _found, after_capacity = versions.read([], labels)

    assert after_seats[0] == before[0] and after_seats[1] != before[1]
    assert after_capacity[0] != after_seats[0]
