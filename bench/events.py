"""Benchmark of event booking: the booking services under concurrent clients, and the event pages
(run it by hand, not a test).

It fills a PostgreSQL database whose name ends in ``_bench`` with one street's events over a
year: 200 events, among them an exhibition of 300 sessions (capacity 40 to 200), about 100,000
bookings with seats_taken consistent with them, cancellations, check-ins and some waitlists.
Names and numbers of slots that ended over 30 days ago are blanked by ``bookings_forget``, as
the daily ``forget_bookings`` leaves them. Then it measures:

1. ``services.booking_create`` from 1, 2, 8 and 32 threads of this process and from 3 and 8
   forked processes (gunicorn's sync workers), one database connection each: for the last seats
   of one session, for different sessions of the same event (serialised by the row lock on the
   event) and for sessions of different events, interleaved and repeated ``--rounds`` times;
   after every run it checks that every session's seats_taken equals the people of its
   confirmed bookings and fits its capacity, and that no phone holds more than 2 bookings;
2. ``booking_cancel`` with a waitlist of 50 (and the promotion it triggers), cancelling a place
   on the waitlist, ``waitlist_promote`` after a capacity raise that lets all 50 in, and
   ``booking_check_in``;
3. the pages with ``django.test.Client``: /events/, the exhibition's page, the booking form, the
   staff manage and attendees pages and the CSV export of the exhibition (time and rows/s).

Run from the project root::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lujiazui_events_bench DJANGO_DEBUG=false \\
    DJANGO_SECRET_KEY=bench-only-key DJANGO_ALLOWED_HOSTS=testserver \\
    .venv/bin/python bench/events.py [--requests 30] [--rounds 3] [--refill] [--drop]

The database is kept (a complete fill is measured again without refilling) unless ``--drop``.
Sessions, events and bookings the measurement makes are removed at the end. The results are
printed and written into bench/README.md between the event markers.
"""

import argparse
import datetime
import itertools
import multiprocessing
import os
import random
import statistics
import sys
import threading
import time
from pathlib import Path

# bench/ for cases.py, then the project before it: bench/forums.py would shadow the forums app.
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# Importing cases sets Django up; its *_bench guard and database helpers are reused.
from cases import (
    WARMUP,
    create_database,
    database_name,
    drop_database,
    fill_note,
    migrate,
    percentile,
    remember_fill,
)
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from forums import services
from forums.models import Booking, BookingStatus, Event, EventSession
from governance.models import Organization, OrganizationKind
from residents.models import ResidentialArea, Role, Street, User

README = Path(__file__).resolve().parent / "README.md"
START, END = "<!-- events-results:start -->", "<!-- events-results:end -->"
# Pages slower than this at p95, or whose slowest query is, get that query EXPLAINed (printed).
SLOW_MS, SLOW_QUERY_MS = 200.0, 10.0
EVENTS, BIG_SESSIONS = 200, 300
# Clients: threads of one process (one connection each), or forked processes like the three
# sync workers of gunicorn in the project's README.
CLIENTS = [(1, "thread"), (2, "threads"), (8, "threads"), (32, "threads"), (3, "processes"),
           (8, "processes")]  # fmt: skip
SPREAD_BOOKINGS = 240  # bookings per run of the "different sessions / events" scenarios
LAST_SEATS = 200  # capacity of the session whose last seats the clients race for
WAITLIST = 50
CSV_REQUESTS = 5
S = BookingStatus
STREET = {"code": "EVB", "name": "活动基准街道", "slug": "events-bench", "district": "浦东新区"}
AREAS = ["崂山", "乳山", "市新", "梅园", "东昌", "福山", "源深", "浦城", "东园", "潍坊", "泰东",
         "崂山东", "张家浜", "松山", "南泉", "竹园", "仁恒", "滨江", "银杏", "金杨", "荣成",
         "栖山", "牡丹", "紫薇", "梅花", "海防", "桃林", "文登", "招远", "陆家嘴"]  # fmt: skip
BIG = {
    "slug": "bench-exhibition",
    "title": "“守初心 担使命”——“四史”学习教育展（基准）",
    "summary": "黄浦江畔旧码头改建的展馆里，"
    "按时间线走一遍党史、新中国史、改革开放史和社会主义发展史。",
    "description": "展览以“四扇门”为线索串起四个历史阶段，分设七个展区。\n\n"
    "- 参观实行分时段预约，每个时段人数有限；\n- 每个手机号码最多保留两笔预约，每笔 1 至 5 人；\n"
    "- 时段约满后可以登记候补，有人取消时按登记先后自动递补。",
    "venue": "东岸·民生艺术码头",
    "address": "浦东新区民生路 3 号",
    "organiser": "中共上海市浦东新区委员会、中共上海市委党校、中共上海市委党史研究室",
    "floor_area": 4000,
}
ACTIVITIES = ["安全用气讲座", "楼道微更新开放日", "楼组邻里节", "联勤联动站开放日",
              "国际邻里文化节", "垃圾分类体验课", "老年人智能手机课堂", "社区健康义诊",
              "亲子阅读会", "社区党课", "消防安全演练", "书法兴趣班", "非遗手作体验",
              "社区电影放映", "加装电梯说明会"]  # fmt: skip
SLOTS = [(9, 30), (10, 0), (14, 0), (14, 30), (15, 0), (19, 0)]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["建国", "秀英", "伟", "敏", "静", "丽华", "志强", "桂兰", "军", "海燕", "婷", "明"]
CODE_LETTERS = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
PARTY_SIZES = [1] * 45 + [2] * 32 + [3] * 12 + [4] * 7 + [5] * 4  # mean 1.9
VISITORS = [1] * 60 + [2] * 28 + [3] * 7 + [4] * 3 + [5] * 2  # the exhibition's: mean 1.6
# Sessions the measurement makes start this far ahead (the fill's end within 400 days): easy to
# find and remove.
FAR = datetime.timedelta(days=800)


# Progress ------------------------------------------------------------------------------------


class Progress:
    """A bar on a terminal; a line every 10 % when the output goes to a file."""

    def __init__(self, label: str, total: int) -> None:
        self.label, self.total, self.done = label, max(total, 1), 0
        self.started, self.tty, self.shown = time.perf_counter(), sys.stdout.isatty(), -1

    def step(self, n: int = 1) -> None:
        self.done += n
        share = min(self.done / self.total, 1.0)
        elapsed = time.perf_counter() - self.started
        if self.tty:
            bar = "#" * int(share * 30)
            print(
                f"\r  {self.label:<28} [{bar:<30}] {share:4.0%} {self.done:,}/{self.total:,} "
                f"{elapsed:5.1f} s",
                end="",
                flush=True,
            )
            if self.done >= self.total:
                print(flush=True)
        elif int(share * 10) > self.shown:
            self.shown = int(share * 10)
            print(
                f"  {self.label}: {share:.0%} ({self.done:,}/{self.total:,}, {elapsed:.1f} s)",
                flush=True,
            )


# Fill ----------------------------------------------------------------------------------------


def _at(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


class Codes:
    """Unique booking codes like the service's (8 letters, XXXX-XXXX), reproducible."""

    def __init__(self, rng: random.Random, prefix: str = "") -> None:
        self.rng, self.prefix, self.seen = rng, prefix, set()

    def __call__(self) -> str:
        while True:
            tail = "".join(self.rng.choice(CODE_LETTERS) for _ in range(8 - len(self.prefix)))
            letters = self.prefix + tail
            if letters[:2] != "Z9" or self.prefix:  # Z9…: codes the measurement makes
                code = f"{letters[:4]}-{letters[4:]}"
                if code not in self.seen:
                    self.seen.add(code)
                    return code


def fill() -> tuple[float, str]:
    started, rng = time.perf_counter(), random.Random(2026)  # noqa: S311
    now, today = timezone.now(), timezone.localdate()
    street = Street.objects.create(**STREET)
    areas = ResidentialArea.objects.bulk_create(
        ResidentialArea(street=street, name=f"{a}居民区", short_name=a, slug=f"ev-{i:02d}")
        for i, a in enumerate(AREAS)
    )
    committees = [
        Organization.objects.create(
            street=street,
            area=a,
            kind=OrganizationKind.RESIDENTS_COMMITTEE,
            name=f"{a.name}居民委员会",
        )
        for a in areas
    ]
    door = User.objects.create(username="bench-events-door", role=Role.STREET_STAFF, street=street)

    # The exhibition: two sessions a day, closed on Mondays, from 70 days ago, 300 sessions.
    big = Event.objects.create(
        street=street, booking_opens_at=now - datetime.timedelta(days=90), is_public=True, **BIG
    )
    sessions, day = [], today - datetime.timedelta(days=70)
    while len(sessions) < BIG_SESSIONS:
        if day.weekday() != 0:
            for hour, minute in [(9, 30), (14, 0)]:
                begins = _at(day, hour, minute)
                sessions.append(
                    EventSession(
                        event=big,
                        starts_at=begins,
                        capacity=rng.randint(4, 20) * 10,
                        ends_at=begins + datetime.timedelta(minutes=90),
                    )
                )
        day += datetime.timedelta(days=1)
    # 199 other events, their first sessions spread over a year (200 days ago to 165 ahead).
    events = [big]
    for i in range(1, EVENTS):
        first = today + datetime.timedelta(days=-200 + 365 * i // EVENTS + rng.randint(0, 2))
        step = rng.choice([1, 1, 1, 7])  # daily sessions, or a weekly series of at most 12
        n = rng.choice([1, 2, 2, 3, 4, 6, 8, 10, 12, 15, 20, 24, 30, 40])
        n = min(n, 12) if step == 7 else n
        hour, minute = rng.choice(SLOTS)
        starts = [_at(first + datetime.timedelta(days=k * step), hour, minute) for k in range(n)]
        area_index = rng.randrange(len(areas)) if rng.random() < 0.75 else None
        area = areas[area_index] if area_index is not None else None
        activity = rng.choice(ACTIVITIES)
        opens = _at(first - datetime.timedelta(days=rng.randint(7, 30)), 9, 0)
        event = Event.objects.create(
            street=street,
            area=area,
            slug=f"ev-{i:03d}",
            title=f"{area.short_name + '居民区' if area else '街道'}{activity}（{first:%m}月）",
            summary=f"{activity}，欢迎居民预约参加。",
            description=f"{activity}。\n\n请按预约时段入场。",
            venue=f"{area.name}党群服务站" if area else "社区党群服务中心",
            address="浦东新区某路 1 号",
            organiser=committees[area_index].name if area else "陆家嘴街道",
            organising_unit=committees[area_index] if area else None,
            booking_opens_at=opens,
            booking_closes_at=starts[-1] - datetime.timedelta(hours=2)
            if rng.random() < 0.4
            else None,
            is_public=not (first > today and rng.random() < 0.05),
        )
        events.append(event)
        capacity = rng.choice([40, 50, 60, 80, 100, 120, 150, 200, 240])
        sessions += [
            EventSession(
                event=event,
                starts_at=s,
                ends_at=s + datetime.timedelta(minutes=90),
                capacity=capacity,
            )
            for s in starts
        ]
    EventSession.objects.bulk_create(sessions, batch_size=1000)
    print(
        f"{len(events)} events, {len(sessions)} sessions "
        f"({sum(s.event_id == big.pk for s in sessions)} of the exhibition)",
        flush=True,
    )

    bookings = make_bookings(rng, sessions, now, door)
    progress = Progress("bookings written", len(bookings))
    for i in range(0, len(bookings), 5000):
        Booking.objects.bulk_create(bookings[i : i + 5000])
        progress.step(len(bookings[i : i + 5000]))
    EventSession.objects.bulk_update(sessions, ["seats_taken"], batch_size=1000)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    forget_note = forget(now)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return time.perf_counter() - started, forget_note


def forget(now: datetime.datetime) -> str:
    """What the daily forget_bookings leaves: no names or numbers 30 days after the slot. Run
    here once over the whole backlog, through the service, and timed."""
    ended_before = now - datetime.timedelta(days=settings.BOOKING_RETENTION_DAYS)
    total = Booking.objects.filter(session__ends_at__lt=ended_before).exclude(phone="").count()
    progress, done, started = Progress("forget_bookings", total), 0, time.perf_counter()
    for running in services.bookings_forget(ended_before=ended_before):
        progress.step(running - done)
        done = running
    seconds = time.perf_counter() - started
    print(f"bookings_forget blanked {done:,} bookings in {seconds:.1f} s", flush=True)
    return (
        f"`bookings_forget` (the daily `forget_bookings`), run once over the fill's backlog, "
        f"blanked the names and numbers of {done:,} bookings in {seconds:.1f} s."
    )


class BookingMaker:
    """Bookings for each session up to a demand that falls with the days left before it."""

    def __init__(self, rng: random.Random, now: datetime.datetime, door: User) -> None:
        self.rng, self.now, self.door, self.code = rng, now, door, Codes(rng)
        self.phones = [f"1{rng.choice('35789')}{rng.randrange(10**9):09d}" for _ in range(60_000)]
        self.held: dict[tuple[int, str], int] = {}  # (event, phone): active bookings, at most 2

    def phone_for(self, event_id: int, active: bool) -> str:
        while True:
            phone = self.rng.choice(self.phones)
            if self.held.get((event_id, phone), 0) < 2:
                if active:
                    self.held[(event_id, phone)] = self.held.get((event_id, phone), 0) + 1
                return phone

    def booking(self, session: EventSession, status: str, party: int, at: float) -> Booking:
        """A booking made at ``at`` (0 to 1) of the session's booking window."""
        rng, event = self.rng, session.event
        end = min(self.now, session.starts_at, event.booking_closes_at or session.starts_at)
        created = event.booking_opens_at + (end - event.booking_opens_at) * at
        b = Booking(
            session=session,
            code=self.code(),
            party_size=party,
            status=status,
            name=rng.choice(SURNAMES) + rng.choice(GIVEN),
            phone=self.phone_for(event.pk, status != S.CANCELLED),
            created_at=created,
        )
        if status == S.CANCELLED:
            b.cancelled_at = min(end, created + datetime.timedelta(hours=rng.randint(1, 72)))
        elif status == S.CONFIRMED and session.starts_at <= self.now and rng.random() < 0.85:
            b.checked_in_at = session.starts_at + datetime.timedelta(minutes=rng.randint(-15, 40))
            b.checked_in_by = self.door
        return b

    def for_session(self, session: EventSession) -> list[Booking]:
        rng, event = self.rng, session.event
        end = min(self.now, session.starts_at, event.booking_closes_at or session.starts_at)
        if end <= event.booking_opens_at:  # booking not open yet
            return []
        days_left = (session.starts_at - self.now).total_seconds() / 86400
        # The exhibition is booked further ahead, mostly by people coming alone, who cancel more.
        popular = event.slug == BIG["slug"]
        sizes, cancel = (VISITORS, 0.2) if popular else (PARTY_SIZES, 0.12)
        if days_left <= 0:
            demand = rng.uniform(0.7, 1.4)
        else:
            demand = rng.uniform(0.5, 1.4) * max(0.1, 1 - days_left / (150 if popular else 45))
        target = min(session.capacity, round(session.capacity * demand))
        waiting = min(25, int((demand - 1) * 40)) if demand > 1 else 0
        stamps = sorted(rng.random() * 0.9 for _ in range(target))
        out, taken = [], 0
        for stamp in stamps:
            if taken >= target:
                break
            party = min(rng.choice(sizes), target - taken)
            out.append(self.booking(session, S.CONFIRMED, party, stamp))
            taken += party
            if rng.random() < cancel:  # bookings cancelled later
                out.append(self.booking(session, S.CANCELLED, rng.choice(sizes), rng.random()))
        session.seats_taken = taken
        for w in range(waiting):  # the waitlist, joined once the session was full
            out.append(
                self.booking(session, S.WAITLISTED, rng.choice(sizes), 0.9 + w / 10 / waiting)
            )
        return out


def make_bookings(rng: random.Random, sessions: list, now, door: User) -> list[Booking]:
    maker, out = BookingMaker(rng, now, door), []
    progress = Progress("bookings generated", len(sessions))
    for session in sessions:
        out += maker.for_session(session)
        progress.step()
    return out


# Measurement: the services -------------------------------------------------------------------


class World:
    """The exhibition, the staff user and what the measurement creates (removed at the end)."""

    def __init__(self) -> None:
        self.street = Street.objects.get(code=STREET["code"])
        self.big = Event.objects.get(slug=BIG["slug"])
        self.now = timezone.now()
        self.far = timezone.localtime(self.now + FAR).replace(
            hour=8, minute=0, second=0, microsecond=0
        )
        self.slot = itertools.count()
        self.phone = itertools.count()
        self.phone_lock = threading.Lock()
        self.codes = Codes(random.Random(), prefix="Z9")  # noqa: S311
        self.events: list[Event] = []

    def session(self, event: Event, capacity: int) -> EventSession:
        begins = self.far + datetime.timedelta(hours=next(self.slot))
        return EventSession.objects.create(
            event=event,
            starts_at=begins,
            capacity=capacity,
            ends_at=begins + datetime.timedelta(minutes=90),
        )

    def new_phone(self) -> str:
        with self.phone_lock:  # 19x…: numbers the fill never uses
            return f"19{next(self.phone):09d}"

    def other_events(self, n: int) -> list[Event]:
        while len(self.events) < n:
            i = len(self.events)
            self.events.append(
                Event.objects.create(
                    street=self.street,
                    slug=f"contention-{i:02d}",
                    title=f"并发测试活动{i}",
                    summary="基准测试",
                    description="基准测试",
                    venue="基准",
                    address="基准",
                    organiser="基准",
                    booking_opens_at=self.now - datetime.timedelta(days=1),
                    is_public=True,
                )
            )
        return self.events[:n]

    def cleanup(self) -> None:
        """Remove what the measurement made (also what an interrupted run left)."""
        far = Booking.objects.filter(session__starts_at__gte=self.now + FAR / 2)
        removed = far._raw_delete(far.db)
        sessions = EventSession.objects.filter(starts_at__gte=self.now + FAR / 2)
        removed_sessions, _ = sessions.delete()
        removed_events, _ = Event.objects.filter(slug__startswith="contention-").delete()
        if removed or removed_sessions or removed_events:
            print(
                f"removed what the measurement made: {removed} bookings, {removed_sessions} "
                f"sessions, {removed_events} events",
                flush=True,
            )


def check_invariant() -> tuple[int, int, int]:
    """Sessions checked, sessions whose seats_taken is wrong or over capacity, phones over 2."""
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT count(*), count(*) FILTER (WHERE s.seats_taken <> coalesce(c.people, 0)
                                              OR s.seats_taken > s.capacity)
            FROM forums_eventsession s
            LEFT JOIN (SELECT session_id, sum(party_size) AS people FROM forums_booking
                       WHERE status = 'confirmed' GROUP BY session_id) c ON c.session_id = s.id
        """)
        sessions, wrong = cursor.fetchone()
        cursor.execute("""
            SELECT count(*) FROM (
                SELECT 1 FROM forums_booking b JOIN forums_eventsession s ON s.id = b.session_id
                WHERE b.status IN ('confirmed', 'waitlisted') AND b.phone <> ''
                GROUP BY s.event_id, b.phone HAVING count(*) > 2) t
        """)
        over = cursor.fetchone()[0]
    return sessions, wrong, over


def client(jobs: list[dict], stop_when_full: bool, barrier) -> dict:
    """One client: its booking_create calls in turn, timed, with the time of the event lock."""
    times, waits, ok, full, errors = [], [], 0, 0, []

    def timed_lock(execute, sql, params, many, context):
        if "FOR UPDATE" not in sql and "FOR NO KEY UPDATE" not in sql:
            return execute(sql, params, many, context)
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            waits.append((time.perf_counter() - started) * 1000)

    try:
        connection.ensure_connection()  # connected before the start
        with connection.execute_wrapper(timed_lock):
            barrier.wait()
            for kwargs in jobs:
                started = time.perf_counter()
                try:
                    services.booking_create(**kwargs, name="基准")
                    ok += 1
                except ValidationError as error:
                    if error.code not in ("session_full", "waitlist_first"):
                        errors.append(error.code)
                    full += 1
                    if stop_when_full:
                        times.append((time.perf_counter() - started) * 1000)
                        break
                except Exception as error:  # a deadlock or a lost connection would land here
                    errors.append(type(error).__name__ + ": " + str(error).splitlines()[0])
                times.append((time.perf_counter() - started) * 1000)
    finally:
        connections.close_all()
    return {"times": times, "waits": waits, "ok": ok, "full": full, "errors": errors}


def run_clients(jobs: list[list[dict]], stop_when_full: bool, processes: bool) -> dict:
    """One client per list of calls, all released at once: threads of this process, or forked
    processes (as gunicorn's workers), each with its own database connection."""
    n = len(jobs)
    if processes:
        connections.close_all()  # a forked child must not share the parent's connection
        context = multiprocessing.get_context("fork")
        barrier, queue = context.Barrier(n + 1), context.Queue()

        def target(i: int) -> None:
            queue.put(client(jobs[i], stop_when_full, barrier))

        workers = [context.Process(target=target, args=(i,)) for i in range(n)]
    else:
        barrier, outcomes = threading.Barrier(n + 1), []

        def target(i: int) -> None:  # list.append is atomic under the GIL
            outcomes.append(client(jobs[i], stop_when_full, barrier))

        workers = [threading.Thread(target=target, args=(i,)) for i in range(n)]
    for worker in workers:
        worker.start()
    barrier.wait()
    started = time.perf_counter()
    if processes:
        outcomes = [queue.get() for _ in workers]
    for worker in workers:
        worker.join()
    wall = time.perf_counter() - started
    times = [t for o in outcomes for t in o["times"]]
    waits = [w for o in outcomes for w in o["waits"]]
    ok = sum(o["ok"] for o in outcomes)
    return {
        "clients": n,
        "ok": ok,
        "refused": sum(o["full"] for o in outcomes),
        "errors": [e for o in outcomes for e in o["errors"]],
        "wall": wall,
        "times": times,
        "waits": waits,
        "per_s": ok / wall,
        "p50": statistics.median(times),
        "p95": percentile(times, 95),
        "lock_p50": statistics.median(waits),
        "lock_p95": percentile(waits, 95),
    }


SCENARIOS = [
    ("one session, 200 seats, until full", "one"),
    ("same event, a session per client", "same"),
    ("different events, one each", "spread"),
]


def contention_run(world: World, kind: str, n: int, mode: str, rng: random.Random) -> dict:
    """One run: n clients booking at once; then the invariant over every session."""
    if kind == "one":  # every client books 1 or 2 seats until it is refused
        session = world.session(world.big, LAST_SEATS)
        sessions = [session]
        jobs = [
            [
                {"session": session, "party_size": rng.choice([1, 2]), "phone": world.new_phone()}
                for _ in range(LAST_SEATS)
            ]
            for _ in range(n)
        ]
    else:  # SPREAD_BOOKINGS bookings of 1 to 3 people shared by the clients, never refused
        per_client = max(8, SPREAD_BOOKINGS // n)
        events = [world.big] * n if kind == "same" else world.other_events(n)
        sessions = [world.session(e, 4 * per_client) for e in events]
        jobs = [
            [
                {"session": s, "party_size": rng.randint(1, 3), "phone": world.new_phone()}
                for _ in range(per_client)
            ]
            for s in sessions
        ]
    r = run_clients(jobs, stop_when_full=kind == "one", processes=mode == "processes")
    r["checked"], r["wrong"], r["over"] = check_invariant()
    r["taken"] = sum(
        EventSession.objects.filter(pk__in=[s.pk for s in sessions]).values_list(
            "seats_taken", flat=True
        )
    )
    r["capacity"] = sum(s.capacity for s in sessions)
    return r


def measure_contention(world: World, rounds: int) -> list[dict]:
    """Every scenario and number of clients, interleaved and repeated: the load of this shared
    machine drifts, and should weigh on all of them alike."""
    runs: dict[tuple[str, int, str], list[dict]] = {}
    rng = random.Random(7)  # noqa: S311
    for round_ in range(1, rounds + 1):
        for n, mode in CLIENTS:
            for label, kind in SCENARIOS:
                r = contention_run(world, kind, n, mode, rng)
                runs.setdefault((label, n, mode), []).append(r)
                print(
                    f"  round {round_} {label:<35} {n:>2} {mode:<9}: {r['ok']:>3} booked, "
                    f"{r['refused']:>2} refused, {r['per_s']:5.0f}/s, p50 {r['p50']:6.1f} p95 "
                    f"{r['p95']:6.1f} ms, lock wait p50 {r['lock_p50']:6.1f} ms; seats "
                    f"{r['taken']}/{r['capacity']}; invariant: {r['checked']:,} sessions, "
                    f"{r['wrong']} wrong, {r['over']} phones over 2"
                    + (f"; ERRORS {r['errors'][:3]}" if r["errors"] else ""),
                    flush=True,
                )
    rows = []
    for label, _kind in SCENARIOS:
        for n, mode in CLIENTS:
            rs = runs[(label, n, mode)]
            times = [t for r in rs for t in r["times"]]
            waits = [w for r in rs for w in r["waits"]]
            ok, wall = sum(r["ok"] for r in rs), sum(r["wall"] for r in rs)
            rows.append(
                {
                    "scenario": label,
                    "clients": f"{n} {mode}",
                    "runs": len(rs),
                    "ok": ok,
                    "refused": sum(r["refused"] for r in rs),
                    "per_s": ok / wall,
                    "p50": statistics.median(times),
                    "p95": percentile(times, 95),
                    "lock_p50": statistics.median(waits),
                    "lock_p95": percentile(waits, 95),
                    "seats": ", ".join(f"{r['taken']}/{r['capacity']}" for r in rs),
                    "wrong": max(r["wrong"] for r in rs),
                    "over": max(r["over"] for r in rs),
                    "checked": rs[-1]["checked"],
                    "errors": [e for r in rs for e in r["errors"]],
                }
            )
    return rows


def _bulk_session(world: World, confirmed: int, waiting: int) -> tuple[EventSession, list]:
    """A session of the exhibition full with parties of 2, and a waitlist of 1 to 3 people."""
    session = world.session(world.big, 2 * confirmed)
    base = timezone.now() - datetime.timedelta(days=1)
    rows = [
        Booking(
            session=session,
            code=world.codes(),
            name="基准",
            phone=world.new_phone(),
            party_size=2,
            status=S.CONFIRMED,
            created_at=base,
        )
        for _ in range(confirmed)
    ]
    rows += waitlisted(world, session, waiting, start=0)
    Booking.objects.bulk_create(rows)
    EventSession.objects.filter(pk=session.pk).update(seats_taken=2 * confirmed)
    session.refresh_from_db()
    return session, rows[:confirmed]


def waitlisted(world: World, session: EventSession, n: int, start: int) -> list[Booking]:
    base = timezone.now() - datetime.timedelta(hours=12)
    return [
        Booking(
            session=session,
            code=world.codes(),
            name="基准",
            phone=world.new_phone(),
            party_size=1 + (start + i) % 3,
            status=S.WAITLISTED,
            created_at=base + datetime.timedelta(seconds=start + i),
        )
        for i in range(n)
    ]


def timed(fn, repeat: int) -> tuple[list[float], list[int], list]:
    times, counts, results = [], [], []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            results.append(fn())
            times.append((time.perf_counter() - started) * 1000)
        counts.append(len(queries.captured_queries))
    return times, counts, results


def measure_services(world: World, staff: User) -> list[dict]:
    rows = []

    def row(label: str, times: list, counts: list, note: str) -> None:
        r = {
            "label": label,
            "n": len(times),
            "p50": statistics.median(times),
            "p95": percentile(times, 95),
            "queries": _span(counts),
            "note": note,
        }
        print(
            f"  {label:<52} p50 {r['p50']:6.1f} p95 {r['p95']:6.1f} ms, queries "
            f"{r['queries']}  {note}",
            flush=True,
        )
        rows.append(r)

    # One booking at a time, for reference: the queries of booking_create.
    session = world.session(world.big, 200)
    times, counts, _ = timed(
        lambda: services.booking_create(
            session=session, name="基准", phone=world.new_phone(), party_size=1
        ),
        30,
    )
    row("booking_create, 1 client", times, counts, "")

    # Cancelling a confirmed party of 2 in a full session with 50 parties waiting (1-3 people).
    session, confirmed = _bulk_session(world, confirmed=50, waiting=WAITLIST)
    added, promoted, times, counts = WAITLIST, [], [], []
    for booking in confirmed[:30]:
        t, c, (result,) = timed(
            lambda b=booking: services.booking_cancel(code=b.code, phone=b.phone), 1
        )
        times += t
        counts += c
        promoted.append(len(result[1]))
        short = WAITLIST - Booking.objects.waiting().filter(session=session).count()
        Booking.objects.bulk_create(waitlisted(world, session, short, start=added))  # back to 50
        added += short
    row(
        f"booking_cancel + promotion, waitlist of {WAITLIST}",
        times,
        counts,
        f"promoted {sum(promoted)} parties in {len(promoted)} cancellations "
        f"(0 to {max(promoted)} each)",
    )

    # Cancelling a place on the waitlist: no promotion.
    queue = list(Booking.objects.waiting().filter(session=session)[:30])
    times, counts, _ = [], [], None
    for booking in queue:
        t, c, _ = timed(lambda b=booking: services.booking_cancel(code=b.code, phone=b.phone), 1)
        times, counts = times + t, counts + c
    row("booking_cancel of a waitlisted party", times, counts, "")

    # Staff raise the capacity so that the whole waitlist of 50 fits: promote all 50.
    times, counts, promoted = [], [], []
    for _ in range(5):
        session, _ = _bulk_session(world, confirmed=50, waiting=WAITLIST)
        EventSession.objects.filter(pk=session.pk).update(capacity=session.capacity + 150)
        session.refresh_from_db()
        t, c, (result,) = timed(lambda s=session: services.waitlist_promote(session=s), 1)
        times, counts = times + t, counts + c
        promoted.append(len(result))
    row(
        f"waitlist_promote, all {WAITLIST} fit",
        times,
        counts,
        f"promoted {min(promoted)} to {max(promoted)} parties each",
    )

    # Check-in at the door of confirmed bookings of the exhibition.
    _, confirmed = _bulk_session(world, confirmed=50, waiting=0)
    times, counts, _ = [], [], None
    for booking in confirmed:
        t, c, _ = timed(
            # At the door on the slot's day: check-in takes only that day's bookings.
            lambda b=booking, at=booking.session.starts_at: services.booking_check_in(
                event=world.big, code=b.code, actor=staff, now=at
            ),
            1,
        )
        times, counts = times + t, counts + c
    row("booking_check_in", times, counts, "")
    checked, wrong, over = check_invariant()
    print(
        f"  invariant after the services: {checked:,} sessions, {wrong} wrong, {over} phones "
        "over 2",
        flush=True,
    )
    rows[-1]["invariant"] = (checked, wrong, over)
    return rows


def _span(counts: list[int]) -> str:
    return str(min(counts)) + ("" if min(counts) == max(counts) else f" to {max(counts)}")


# Measurement: the pages ----------------------------------------------------------------------


def pages(world: World) -> list[tuple[str, str, str]]:
    now = timezone.now()
    upcoming = world.big.sessions.upcoming(now)
    first = upcoming.first()
    busiest = (
        EventSession.objects.filter(pk__in=upcoming.values("pk"))
        .annotate(n=Count("bookings"))
        .order_by("-n", "starts_at")
        .first()
    )
    slug = world.big.slug
    return [
        ("/events/", "anonymous", reverse("forums:event_list")),
        ("/events/", "street staff", reverse("forums:event_list")),
        (
            f"exhibition page ({upcoming.count()} sessions to come)",
            "anonymous",
            reverse("forums:event_detail", args=[slug]),
        ),
        ("booking form (GET)", "anonymous", reverse("forums:session_book", args=[slug, first.pk])),
        (
            f"manage page ({world.big.sessions.count()} sessions)",
            "street staff",
            reverse("forums:event_manage", args=[slug]),
        ),
        (
            f"attendees, page 1 ({busiest.n} bookings)",
            "street staff",
            reverse("forums:session_attendees", args=[slug, busiest.pk]),
        ),
    ]


def time_page(client: Client, path: str, requests: int) -> dict:
    times, counts, sql_ms, per_query, size = [], [], [], {}, 0
    for n in range(WARMUP + requests):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(path)
            elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            sys.exit(f"bench: {path} answered {response.status_code}")
        if n >= WARMUP:
            times.append(elapsed)
            counts.append(len(queries.captured_queries))
            sql_ms.append(sum(float(q["time"]) * 1000 for q in queries.captured_queries))
            for i, q in enumerate(queries.captured_queries):
                per_query.setdefault(i, []).append(float(q["time"]) * 1000)
            size = len(response.content)
    slowest = max(per_query, key=lambda i: statistics.median(per_query[i]))
    return {
        "p50": statistics.median(times),
        "p95": percentile(times, 95),
        "queries": _span(counts),
        "sql_ms": statistics.median(sql_ms),
        "slowest_ms": statistics.median(per_query[slowest]),
        "slowest": queries.captured_queries[slowest]["sql"],
        "kb": size / 1024,
        "per_s": len(times) / (sum(times) / 1000),
    }


def measure_pages(world: World, staff: User, requests: int) -> tuple[list[dict], dict]:
    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    anonymous, logged_in = Client(), Client()
    logged_in.force_login(staff)
    results = []
    # The manifest storage of DEBUG=false needs collectstatic; the pages are timed without it.
    with override_settings(STORAGES={**settings.STORAGES, "staticfiles": static}):
        for label, user, path in pages(world):
            r = time_page(logged_in if user == "street staff" else anonymous, path, requests)
            r.update(page=label, user=user)
            print(
                f"  {label:<40} {user:<12} p50 {r['p50']:7.1f}  p95 {r['p95']:7.1f}  queries "
                f"{r['queries']}  SQL {r['sql_ms']:.1f}  slowest {r['slowest_ms']:.1f} ms  "
                f"{r['kb']:.0f} KB",
                flush=True,
            )
            results.append(r)
        path = reverse("forums:event_export", args=[world.big.slug])
        times, counts, rows, size = [], [], 0, 0
        progress = Progress("CSV export requests", 1 + CSV_REQUESTS)
        for n in range(1 + CSV_REQUESTS):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = logged_in.get(path)
                body = b"".join(response.streaming_content)  # the rows are written as it streams
                elapsed = (time.perf_counter() - started) * 1000
            progress.step()
            if response.status_code != 200:
                sys.exit(f"bench: {path} answered {response.status_code}")
            if n:
                times.append(elapsed)
                counts.append(len(queries.captured_queries))
                rows, size = body.count(b"\n") - 1, len(body)
    csv = {
        "page": "CSV export of the exhibition",
        "user": "street staff",
        "rows": rows,
        "mb": size / 1024 / 1024,
        "p50": statistics.median(times),
        "p95": max(times),
        "queries": _span(counts),
        "rows_s": rows / (statistics.median(times) / 1000),
    }
    print(
        f"  CSV export: {rows:,} rows, {csv['mb']:.1f} MB, p50 {csv['p50']:.0f} ms, slowest "
        f"{csv['p95']:.0f} ms, {csv['rows_s']:,.0f} rows/s, queries {csv['queries']}",
        flush=True,
    )
    for r in results:  # EXPLAIN ANALYZE the slowest query of the slow pages
        if r["p95"] > SLOW_MS or r["slowest_ms"] > SLOW_QUERY_MS:
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + r["slowest"])
                plan = "\n".join(row[0] for row in cursor.fetchall())
            print(f"\n### {r['page']}: p95 {r['p95']:.1f} ms\n{r['slowest']}\n{plan}", flush=True)
    return results, csv


# Report --------------------------------------------------------------------------------------


def report(
    contention: list[dict],
    service_rows: list[dict],
    page_rows: list[dict],
    csv: dict,
    args: argparse.Namespace,
    note: str,
) -> str:
    requests = args.requests
    with connection.cursor() as cursor:
        cursor.execute("SELECT split_part(version(), ' ', 2)")
        postgres = cursor.fetchone()[0]
    big = Event.objects.get(slug=BIG["slug"])
    counts = dict(Booking.objects.order_by().values_list("status").annotate(n=Count("pk")))
    lines = [
        f"Run of {timezone.localtime():%Y-%m-%d %H:%M} (Asia/Shanghai): "
        f"{Event.objects.exclude(slug__startswith='contention-').count()} events with "
        f"{EventSession.objects.count():,} sessions, "
        f"{sum(counts.values()):,} bookings ({counts[S.CONFIRMED]:,} confirmed, "
        f"{counts[S.CANCELLED]:,} cancelled, {counts[S.WAITLISTED]:,} waiting); the exhibition "
        f"has {big.sessions.count()} sessions and {Booking.objects.for_event(big).count():,} "
        f"bookings. PostgreSQL {postgres}, {os.cpu_count()} cores. {note}",
        "",
        f"**Booking under contention** (`booking_create`, {args.rounds} runs of each case, "
        "interleaved; latency of each call, refusals included; lock wait = the time of the "
        "`SELECT … FOR NO KEY UPDATE` of the event; the invariant is checked over every session "
        "after every run). Clients are threads of one Python process (they share its interpreter "
        "lock) or forked processes like gunicorn's sync workers, one database connection each:",
        "",
        "| Scenario | Clients | Booked | Refused | Bookings/s | p50 ms | p95 ms "
        "| Lock wait p50 ms | Lock wait p95 ms | Seats taken / capacity, per run | Invariant |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|:---:|",
    ]
    for r in contention:
        ok = r["wrong"] == 0 and r["over"] == 0 and not r["errors"]
        verdict = (
            "holds" if ok else f"**{r['wrong']} wrong, {r['over']} over 2, {r['errors'][:2]}**"
        )
        lines.append(
            f"| {r['scenario']} | {r['clients']} | {r['ok']} | {r['refused']} | {r['per_s']:.0f} "
            f"| {r['p50']:.1f} | {r['p95']:.1f} | {r['lock_p50']:.1f} | {r['lock_p95']:.1f} "
            f"| {r['seats']} | {verdict} |"
        )
    lines += [
        "",
        "**Cancel, waitlist, check-in** (one client; the queries include BEGIN and COMMIT):",
        "",
        "| Operation | Calls | p50 ms | p95 ms | Queries | Note |",
        "|---|---:|---:|---:|---:|---|",
    ]
    lines += [
        f"| {r['label']} | {r['n']} | {r['p50']:.1f} | {r['p95']:.1f} | {r['queries']} "
        f"| {r['note']} |"
        for r in service_rows
    ]
    checked, wrong, over = service_rows[-1]["invariant"]
    lines += [
        "",
        f"Invariant after these: {checked:,} sessions checked, {wrong} with seats_taken different "
        f"from their confirmed people or over capacity, {over} phones holding more than 2.",
        "",
        f"**Pages** ({WARMUP} warm-up and {requests} timed requests each; the CSV {CSV_REQUESTS} "
        "after one warm-up):",
        "",
        "| Page | User | p50 ms | p95 ms | Req/s (1 client) | Queries | SQL ms "
        "| Slowest query ms | Size |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in page_rows:
        lines.append(
            f"| {r['page']} | {r['user']} | {r['p50']:.1f} | {r['p95']:.1f} | {r['per_s']:.0f} "
            f"| {r['queries']} | {r['sql_ms']:.1f} | {r['slowest_ms']:.1f} | {r['kb']:.0f} KB |"
        )
    lines.append(
        f"| {csv['page']} ({csv['rows']:,} rows, {csv['rows_s']:,.0f} rows/s) | {csv['user']} "
        f"| {csv['p50']:.1f} | {csv['p95']:.1f} (slowest) | | {csv['queries']} | | "
        f"| {csv['mb']:.1f} MB |"
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each contention case")
    parser.add_argument("--refill", action="store_true", help="drop and fill again")
    parser.add_argument("--drop", action="store_true", help="drop the database afterwards")
    args = parser.parse_args()
    started = time.perf_counter()
    name = database_name()
    create_database(name, drop=args.refill)
    migrate()
    note = fill_note(name)
    if not note or not Event.objects.filter(slug=BIG["slug"]).exists():
        if Street.objects.exists():  # an incomplete fill: start again
            create_database(name, drop=True)
            migrate()
        seconds, forgot = fill()
        note = f"Filled on {timezone.localdate():%Y-%m-%d} in {seconds / 60:.1f} min; {forgot}"
        remember_fill(name, note)
        print(note, flush=True)
    else:
        print(f"{name} is filled ({note}): measuring without refilling", flush=True)
    world = World()
    world.cleanup()
    checked, wrong, over = check_invariant()
    print(f"invariant of the fill: {checked:,} sessions, {wrong} wrong, {over} phones over 2")
    from tests.factories import street_staff  # factory_boy: only needed here

    staff = User.objects.filter(username="bench-events-staff").first() or street_staff(
        world.street, username="bench-events-staff"
    )
    loads = [os.getloadavg()[0]]
    try:
        print("pages:", flush=True)
        page_rows, csv = measure_pages(world, staff, args.requests)
        loads.append(os.getloadavg()[0])
        print("booking under contention:", flush=True)
        contention = measure_contention(world, args.rounds)
        print("cancel, waitlist, check-in:", flush=True)
        service_rows = measure_services(world, staff)
        loads.append(os.getloadavg()[0])
    finally:
        world.cleanup()
    note += (
        " Load average (1 min) of the machine, which other work shares and which counts this "
        f"script's own clients: {loads[0]:.1f} before the pages, {loads[1]:.1f} after them, "
        f"{loads[2]:.1f} at the end."
    )
    block = report(contention, service_rows, page_rows, csv, args, note)
    print("\n" + block)
    readme, new = README.read_text(), f"{START}\n{block}\n{END}"
    if START in readme and END in readme:
        readme = readme.split(START, 1)[0] + new + readme.split(END, 1)[1]
    else:
        readme = readme.rstrip("\n") + f"\n\n## Event bookings: results\n\n{new}\n"
    README.write_text(readme)
    print(f"\ntook {(time.perf_counter() - started) / 60:.1f} min")
    if args.drop:
        drop_database(name)


if __name__ == "__main__":
    main()
