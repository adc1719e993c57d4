"""No staff page reads a big table from end to end (PostgreSQL).

The case tables are filled as the benchmark fills them (bench/cases.py: INSERT ... SELECT FROM
generate_series), wishes, bookings, people and notifications by copying a few rows made through
the services, each past 10,000 rows and spread over the street's thirty areas; after ANALYZE,
every main staff page is requested as street staff and as an area secretary, and each of its
queries is EXPLAINed: no plan may hold a sequential scan of a table of more than 10,000 rows.
"""

import datetime
import io
import json
from contextlib import redirect_stdout

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Max
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from forums.models import Booking
from governance.models import Case
from inbox.models import Delivery, Kind, Notification
from residents.models import Person
from tests import factories
from wishes.models import Wish

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="query plans are PostgreSQL's; SQLite has no planner statistics to speak of",
    ),
]

BIG = 10_000
CASES = 12_000
COPIES = 12_000
PLANNER_AVOIDS = ("enable_seqscan", "enable_hashjoin", "enable_mergejoin")
# Plan nodes that pass rows on as they come: below a LIMIT, they stop reading when it is met.
STREAMING = {
    "Gather",
    "Gather Merge",
    "Nested Loop",
    "Result",
    "Subquery Scan",
    "Append",
    "Merge Append",
    "Memoize",
}
SKIPPED_STATEMENTS = ("SAVEPOINT", "RELEASE", "ROLLBACK", "SET ", "BEGIN", "COMMIT")


def seq_scans_of_big_tables(sql: str, params=None) -> list[str]:
    """The big tables (or indexes) the plan of this statement reads from end to end.

    At ten thousand rows a sequential scan, or a hash join over a whole table, is often cheaper
    than an index and chosen for that; at a million rows it is not. So the planner is told to
    avoid them (PLANNER_AVOIDS): a sequential scan that remains is one no index can replace, and
    so is a walk along a whole big index with a filter (what the planner does instead when an
    index gives the rows in the wanted order), unless a LIMIT stops it early, as on a list's
    first page."""
    with connection.cursor() as cursor:
        for setting in PLANNER_AVOIDS:
            cursor.execute(f"SET {setting} = off")
        try:
            cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
            plan = cursor.fetchone()[0]
        finally:
            for setting in PLANNER_AVOIDS:
                cursor.execute(f"RESET {setting}")
        plan = json.loads(plan) if isinstance(plan, str) else plan
        scanned = {}  # relation or index read whole: the table it reads
        nodes = [(plan[0]["Plan"], False)]
        while nodes:
            node, limited = nodes.pop()
            kind = node["Node Type"]
            if kind == "Seq Scan":
                scanned[node["Relation Name"]] = node["Relation Name"]
            elif kind in ("Index Scan", "Index Only Scan") and "Index Cond" not in node:
                scanned.update({} if limited else {node["Index Name"]: node["Relation Name"]})
            limited = kind == "Limit" or (limited and kind in STREAMING)
            nodes.extend((child, limited) for child in node.get("Plans", []))
        if not scanned:
            return []
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relname = ANY(%s) AND reltuples > %s",
            [sorted(scanned), BIG],
        )
        return sorted({scanned[row[0]] for row in cursor.fetchall()})


def copy_rows(model, template_pk: int, count: int, **columns: str) -> None:
    """Copy one row ``count`` times in one INSERT ... SELECT; ``columns`` give SQL expressions
    (of ``i``, 1 to count) for the columns that must differ."""
    names = [f.column for f in model._meta.concrete_fields if not f.primary_key]
    values = [columns.get(name, f"t.{name}") for name in names]
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(names)}) "  # noqa: S608 - names from the model
            f"SELECT {', '.join(values)} FROM {table} AS t, generate_series(1, %s) AS i "
            "WHERE t.id = %s",
            [count, template_pk],
        )


def spread(ids: list[int]) -> str:
    """An SQL expression picking one of the ids by ``i``, in turn."""
    return f"(ARRAY[{', '.join(str(pk) for pk in ids)}]::bigint[])[1 + i %% {len(ids)}]"


@pytest.fixture
def big_street(monkeypatch):
    """The benchmark's street, with big case tables and big wish, booking, people and
    notification tables; statistics up to date."""
    from bench import cases as bench

    def case_numbers(world) -> None:  # instead of the benchmark's VACUUM, not in a test
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)",
                [Case._meta.db_table, Case.objects.aggregate(last=Max("pk"))["last"]],
            )

    monkeypatch.setattr(bench, "finish_fill", case_numbers)
    with redirect_stdout(io.StringIO()):
        world = bench.create_world()
        bench.fill(world, CASES)
    area_ids = [area.pk for area in world.areas]
    home = world.areas[bench.SECRETARY_AREA]

    # Wishes in each state, copied across the areas.
    unit = factories.OrganizationFactory(area=None, street=world.street, partner=True)
    for status in ("submitted", "published", "claimed", "withdrawn"):
        wish = factories.wish(home, world.secretary, status=status, unit=unit)
        copy_rows(Wish, wish.pk, COPIES // 4, area_id=spread(area_ids), title="t.title || i")

    # Events of the areas, their slots, and bookings spread over the slots.
    events = [factories.EventFactory(street=world.street, area=area) for area in world.areas[:10]]
    sessions = [
        factories.SessionFactory(event=event, capacity=1000, starts_at=start)
        for event in events
        for start in (
            timezone.now() + datetime.timedelta(days=day, hours=hour)
            for day in range(1, 6)
            for hour in range(4)
        )
    ]
    booking = factories.book(sessions[0])
    copy_rows(
        Booking,
        booking.pk,
        COPIES,
        session_id=spread([s.pk for s in sessions]),
        code="lpad(i::text, 9, '0')",
        phone="'138' || lpad(i::text, 8, '0')",
    )

    # People of every area.
    person = factories.PersonFactory(street=world.street, area=home)
    copy_rows(Person, person.pk, COPIES, area_id=spread(area_ids), name="'居民' || i")

    # Notifications, most of them to other people than the two measured.
    others = [factories.UserFactory(street=world.street).pk for _ in range(28)]
    recipients = [world.street_staff.pk, world.secretary.pk, *others]
    notification = Notification.objects.create(
        recipient=world.street_staff,
        kind=Kind.CASE_UPDATED,
        content_type=ContentType.objects.get_for_model(Case),
        object_id=Case.objects.order_by("pk").first().pk,
        delivery=Delivery.INBOX,
    )
    copy_rows(
        Notification,
        notification.pk,
        COPIES,
        recipient_id=spread(recipients),
        created_at="t.created_at - make_interval(mins => i)",
    )

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return world, events, sessions


def staff_pages(world, events, sessions, user) -> list[tuple[str, str, dict]]:
    cases = reverse("governance:case_list")
    case = Case.objects.visible_to(user).order_by("-pk").first()
    month = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    event = events[0]
    pages = [
        ("workbench", cases, {}),
        ("workbench, filtered", cases, {"status": "in_progress"}),
        ("workbench, text search", cases, {"q": "钢瓶"}),
        ("workbench, sorted by due date", cases, {"sort": "due"}),
        ("workbench, page 5", cases, {"page": "5"}),
        ("case detail", case.get_absolute_url(), {}),
        ("efficiency", reverse("reports:case_efficiency"), {}),
        ("dashboard", reverse("reports:dashboard"), {}),
        (
            "monthly report",
            reverse("reports:dashboard_report", args=[month.year, month.month]),
            {},
        ),
        ("people", reverse("governance:person_list"), {}),
        ("wishes to manage", reverse("wishes:wish_manage_list"), {}),
        ("event management", reverse("forums:event_manage", args=[event.slug]), {}),
        (
            "attendees",
            reverse("forums:session_attendees", args=[event.slug, sessions[0].pk]),
            {},
        ),
        ("inbox", reverse("inbox:inbox"), {}),
    ]
    if user.is_staff:
        pages.append(("admin case list", reverse("admin:governance_case_changelist"), {}))
    return pages


def test_no_staff_page_reads_a_big_table_from_end_to_end(client, big_street):
    """Street staff and an area secretary open every main staff page: none of the queries of
    those pages scans a table of more than 10,000 rows sequentially."""
    world, events, sessions = big_street
    for model in (Case, Wish, Booking, Person, Notification, Case.history.model):
        assert model.objects.count() > BIG, model
    found = []
    for user in (world.street_staff, world.secretary):
        client.force_login(user)
        for label, path, data in staff_pages(world, events, sessions, user):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path, data)
            assert response.status_code == 200, (user.username, label, response.status_code)
            for query in queries.captured_queries:
                sql = query["sql"]
                if sql.lstrip().upper().startswith(SKIPPED_STATEMENTS):
                    continue
                for table in seq_scans_of_big_tables(sql):
                    found.append(f"{user.username}, {label}: reads all of {table}: {sql[:300]}")
    assert not found, "\n".join(found)


def test_the_plan_check_reports_a_scan_on_an_unindexed_column(big_street):
    """A query filtering a big table on a column without an index is reported; the same table
    read by its primary key is not."""
    unindexed = Case.objects.filter(location="不存在的位置").query.sql_with_params()
    by_key = Case.objects.filter(pk=1).query.sql_with_params()

    assert seq_scans_of_big_tables(*unindexed) == [Case._meta.db_table]
    assert seq_scans_of_big_tables(*by_key) == []
