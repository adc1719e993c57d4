"""The demo street that tests get (tests/snapshot.py) is the one ``load_demo`` builds."""

import io
from collections import Counter

from django.core.management import call_command
from django.db.models import Count

from governance.models import Case
from residents.models import Person, User
from tests import factories, snapshot


def _counts() -> dict[str, int]:
    return {
        "people": Person.objects.count(),
        "logins": User.objects.count(),
        "cases": Case.objects.count(),
        "statuses": dict(Case.objects.values_list("status").annotate(n=Count("pk"))),
    }


def _rows(table: snapshot.Table) -> Counter:
    """The table's rows in any order (PostgreSQL's COPY gives them in the order stored)."""
    if isinstance(table.rows, bytes):
        return Counter(table.rows.splitlines())
    return Counter(table.rows)


def test_a_copy_of_the_street_holds_every_row_as_taken(demo, demo_snapshot, settings, tmp_path):
    copied = snapshot.take(tmp_path)
    assert [(t.name, t.columns, _rows(t)) for t in copied.tables] == [
        (t.name, t.columns, _rows(t)) for t in demo_snapshot.tables
    ]
    assert sum(len(t.rows) > 0 for t in copied.tables) > 40
    # The demo's photos are in this test's own media folder.
    photos = [path for path in settings.PRIVATE_MEDIA_ROOT.rglob("*") if path.is_file()]
    assert photos


def test_the_copy_is_what_load_demo_builds(demo):
    copied = _counts()
    assert copied["cases"] > 0
    # load_demo is idempotent: on the street it built, it changes no row count.
    call_command("load_demo", force=True, stdout=io.StringIO())
    assert _counts() == copied


def test_a_copy_replaces_what_the_tables_hold(demo, demo_snapshot, tmp_path):
    person = Person.objects.order_by("pk").first()
    Person.objects.filter(pk=person.pk).update(name="改过的名字")
    added = factories.PersonFactory(area=person.area)

    demo_snapshot.restore(tmp_path)

    assert Person.objects.get(pk=person.pk).name == person.name
    assert not Person.objects.filter(pk=added.pk).exists()
    # New rows take ids after the copied ones (PostgreSQL's sequences are set again).
    assert factories.PersonFactory(area=person.area).pk > Person.objects.order_by("-pk")[1].pk
