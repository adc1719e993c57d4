"""Races through real HTTP, on SQLite and on PostgreSQL alike.

Each request goes to pytest-django's live server (a threaded WSGI server) from a browser of its
own (its own cookies, session and CSRF token). The connections are opened before a barrier and
the requests sent the moment every client is ready, so the server handles them at once; on SQLite
the test database is a file (see settings), so each server thread has a connection of its own.

The rules: the last seat is booked once, whatever the crowd; of two edits of one case made from
the same version, the second is refused with the "changed meanwhile" form and nothing is
silently overwritten; a wish is claimed once, and the other party is told it is already claimed.
Each checker is also run against a planted fault (the careless way of doing it) to show it fails.
"""

import contextlib
import datetime
import html
import re
import threading
from dataclasses import dataclass, field
from http.client import HTTPConnection
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import Sum
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from forums.models import Booking, BookingStatus, EventSession
from forums.services import bookings
from governance.forms.cases import CaseEditForm
from governance.models import Case
from tests import factories
from wishes.models import Wish, WishStatus

pytestmark = pytest.mark.django_db(transaction=True)

BOOKING_TRIALS = 20
BOOKING_CLIENTS = 20
EDIT_ROUNDS = 10
CLAIM_ROUNDS = 10
TIMEOUT = 60

FULL = "Not enough seats are left in this session"
CONFIRMED = "Your booking is confirmed."
EDIT_CONFLICT = "Someone else changed this case while you were editing it."
CLAIMED = "Wish claimed. Thank you!"
ALREADY_CLAIMED = "Someone has already claimed this wish."
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION_INPUT = re.compile(r'name="version" value="(\d+)"')


@dataclass
class Answer:
    status: int
    location: str = ""
    body: str = ""

    def says(self, text: str) -> bool:
        return text in html.unescape(self.body)


@dataclass
class Browser:
    """One person's browser: its own cookies, English pages, a new connection per request."""

    server: str
    cookies: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.cookies.setdefault("django_language", "en")

    @classmethod
    def logged_in(cls, server: str, user) -> "Browser":
        """A browser holding a session of the user, made as a login makes one."""
        client = Client()
        client.force_login(user)
        name = settings.SESSION_COOKIE_NAME
        return cls(server, {name: client.cookies[name].value})

    def connect(self) -> HTTPConnection:
        parts = urlsplit(self.server)
        connection = HTTPConnection(parts.hostname, parts.port, timeout=TIMEOUT)
        connection.connect()
        return connection

    def get(self, path: str) -> Answer:
        return self.send("GET", path)

    def post(self, path: str, data: dict, connection: HTTPConnection | None = None) -> Answer:
        return self.send("POST", path, urlencode(data, doseq=True), connection)

    def form_token(self, path: str) -> str:
        """Open the form's page, as a person does before filling it in; its CSRF token."""
        answer = self.get(path)
        assert answer.status == 200, (path, answer.status)
        return CSRF_INPUT.search(answer.body).group(1)

    def send(self, method: str, path: str, body: str | None = None, connection=None) -> Answer:
        connection = connection or self.connect()
        headers = {
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "Connection": "close",
        }
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read().decode()
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    if morsel["max-age"] == "0" or not morsel.value:
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.coded_value
            return Answer(response.status, response.headers.get("Location", ""), content)
        finally:
            connection.close()

    def follow(self, answer: Answer) -> Answer:
        """The page a redirect leads to, with the messages it carries."""
        assert answer.status == 302, answer.status
        return self.get(answer.location)


def at_once(attempts: list) -> list:
    """Run each attempt in a thread of its own; each first connects, then waits for the others,
    then sends. The answers come back in the order of the attempts."""
    barrier = threading.Barrier(len(attempts))
    answers: list = [None] * len(attempts)

    def run(index: int) -> None:
        browser, send = attempts[index]
        try:
            connection = browser.connect()
            barrier.wait(timeout=TIMEOUT)
            answers[index] = send(connection)
        except Exception as error:  # reported by the test, not lost in a thread
            answers[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(attempts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def meet(barrier: threading.Barrier) -> None:
    """A planted fault waits here for the other requests, if they are in the server at the same
    time; requests that came one after another would pass alone, and the fault not show."""
    with contextlib.suppress(threading.BrokenBarrierError):
        barrier.wait(timeout=5)


# The last seat ------------------------------------------------------------------------------


@pytest.fixture
def generous_rate_limit(settings):
    """Every client here is 127.0.0.1: the per-address booking limit would refuse them."""
    settings.BOOKING_RATE_LIMIT = "100000/m"


def last_seat_trial(server: str, trial: int) -> list[str]:
    """Twenty people book the one seat left of a session at the same moment; what went wrong."""
    session = factories.SessionFactory(capacity=5)
    for taken in range(4):
        bookings.booking_create(
            session=session, name="张三", phone=f"1390000{trial:02d}{taken:02d}", party_size=1
        )
    path = reverse("forums:session_book", args=[session.event.slug, session.pk])
    browsers = [Browser(server) for _ in range(BOOKING_CLIENTS)]
    tokens = [browser.form_token(path) for browser in browsers]

    def attempt(number: int):
        def send(connection):
            data = {
                "csrfmiddlewaretoken": tokens[number],
                "name": f"居民{number}",
                "phone": f"1380{trial:03d}{number:04d}",
                "party_size": "1",
            }
            return browsers[number].post(path, data, connection)

        return browsers[number], send

    answers = at_once([attempt(n) for n in range(BOOKING_CLIENTS)])
    problems = [f"trial {trial}: {a!r}" for a in answers if isinstance(a, Exception)]
    answers = [a for a in answers if isinstance(a, Answer)]
    problems += [f"trial {trial}: server error {a.status}" for a in answers if a.status >= 500]
    booked = [a for a in answers if a.status == 302]
    full = [a for a in answers if a.status == 200 and a.says(FULL)]
    if len(booked) != 1:
        problems.append(f"trial {trial}: {len(booked)} clients were told they booked")
    if len(full) != BOOKING_CLIENTS - 1:
        problems.append(f"trial {trial}: {len(full)} clients were told the session is full")
    session.refresh_from_db()
    confirmed = Booking.objects.filter(session=session, status=BookingStatus.CONFIRMED)
    seats = confirmed.aggregate(seats=Sum("party_size"))["seats"]
    if seats != 5 or session.seats_taken != 5:
        problems.append(f"trial {trial}: {seats} seats booked, {session.seats_taken} counted of 5")
    for browser, answer in zip(browsers, answers, strict=False):
        if answer.status == 302 and not browser.follow(answer).says(CONFIRMED):
            problems.append(f"trial {trial}: the booking's page does not confirm it")
    return problems


def test_twenty_people_booking_the_last_seat_at_once_get_it_once(live_server, generous_rate_limit):
    """Twenty trials of twenty simultaneous requests for one seat: exactly one booking every
    time; everyone else is told the session is full; no server error."""
    problems = []
    for trial in range(BOOKING_TRIALS):
        problems += last_seat_trial(live_server.url, trial)
    assert not problems, "\n".join(problems)


def test_the_last_seat_checker_catches_an_overbooking_check_then_insert(
    live_server, generous_rate_limit, monkeypatch
):
    """Booking by counting the seats, then inserting, in two steps: simultaneous requests all
    see the free seat. The trial reports it, which also shows the requests really overlap."""

    def careless_booking(*, session: EventSession, name, phone, party_size, waitlist=False):
        taken = (
            Booking.objects.filter(session=session, status=BookingStatus.CONFIRMED).aggregate(
                seats=Sum("party_size")
            )["seats"]
            or 0
        )
        if taken + party_size > session.capacity:
            raise ValidationError(
                "Not enough seats are left in this session (%(left)s left for %(asked)s people).",
                code="session_full",
                params={"left": session.capacity - taken, "asked": party_size},
            )
        meet(everyone)
        return Booking.objects.create(
            session=session,
            code=bookings._new_code(),
            name=name,
            phone=phone,
            party_size=party_size,
            status=BookingStatus.CONFIRMED,
        )

    everyone = threading.Barrier(BOOKING_CLIENTS)
    monkeypatch.setattr("forums.services.booking_create", careless_booking)

    problems = last_seat_trial(live_server.url, 0)

    assert any("clients were told they booked" in problem for problem in problems), problems


# Two edits of one case ----------------------------------------------------------------------


def edit_data(case: Case, token: str, version: str, **changes) -> dict:
    """What the edit form posts: every field as loaded, with the person's changes."""
    form = CaseEditForm(instance=case)
    data = {
        name: "" if form[name].value() is None else form[name].value()
        for name in form.fields
        if name != "version"
    }
    return {**data, **changes, "version": version, "csrfmiddlewaretoken": token}


def edit_round(server: str, case: Case, editors: list, round_: int) -> list[str]:
    """Two people open the case's edit form, then save different changes at the same moment."""
    path = reverse("governance:case_edit", args=[case.number])
    case.refresh_from_db()
    last_record = case.history.latest("history_id").history_id
    browsers = [Browser.logged_in(server, editor) for editor in editors]
    changes = [{"title": f"楼道堆物（第{round_}轮修改）"}, {"location": f"{round_}号楼三楼"}]
    posts = []
    for browser, change in zip(browsers, changes, strict=True):
        page = browser.get(path)
        assert page.status == 200, page.status
        token = CSRF_INPUT.search(page.body).group(1)
        version = VERSION_INPUT.search(page.body).group(1)
        posts.append(edit_data(case, token, version, **change))

    def attempt(index: int):
        return browsers[index], lambda conn: browsers[index].post(path, posts[index], conn)

    answers = at_once([attempt(0), attempt(1)])
    problems = [f"round {round_}: {a!r}" for a in answers if isinstance(a, Exception)]
    if problems:
        return problems
    case.refresh_from_db()
    saved = [i for i, answer in enumerate(answers) if answer.status == 302]
    refused = [i for i, answer in enumerate(answers) if answer.status == 200]
    problems += [
        f"round {round_}: answer {a.status}" for a in answers if a.status not in (200, 302)
    ]
    for index in saved:
        for name, value in changes[index].items():
            if getattr(case, name) != value:
                problems.append(f"round {round_}: a saved {name} was overwritten")
    for index in refused:
        if not answers[index].says(EDIT_CONFLICT):
            problems.append(f"round {round_}: a refusal without the changed-meanwhile message")
        for name, value in changes[index].items():
            if getattr(case, name) == value:
                problems.append(f"round {round_}: a refused {name} was saved")
    if len(saved) != 1:
        problems.append(f"round {round_}: {len(saved)} of two edits of one version were saved")
    records = list(case.history.filter(history_id__gt=last_record).order_by("history_id"))
    if sorted(r.history_user_id for r in records) != sorted(editors[i].pk for i in saved):
        problems.append(f"round {round_}: {len(records)} history records, {len(saved)} saved")
    elif records and (records[-1].title, records[-1].location) != (case.title, case.location):
        problems.append(f"round {round_}: the history does not end with what is saved")
    if problems or len(refused) != 1:
        return problems
    # The refused person sends the form again, as it came back to them: now both changes stand.
    loser = refused[0]
    version = VERSION_INPUT.search(answers[loser].body).group(1)
    if int(version) != case.version:
        return [f"round {round_}: the conflict form is at version {version}, not {case.version}"]
    for value in changes[loser].values():
        if not answers[loser].says(value):
            return [f"round {round_}: the changed-meanwhile form lost the person's {value}"]
    token = CSRF_INPUT.search(answers[loser].body).group(1)
    again = browsers[loser].post(path, edit_data(case, token, version, **changes[loser]))
    case.refresh_from_db()
    if again.status != 302:
        problems.append(f"round {round_}: saving the merged form answered {again.status}")
    for change in changes:
        for name, value in change.items():
            if getattr(case, name) != value:
                problems.append(f"round {round_}: after saving again, {name} is lost")
    records = case.history.filter(history_id__gt=last_record)
    if sorted(records.values_list("history_user_id", flat=True)) != sorted(e.pk for e in editors):
        problems.append(f"round {round_}: the history does not hold both saves")
    return problems


@pytest.fixture
def editors(area, secretary, street_staff):
    """Two secretaries of the area, and the street's staff."""
    return [secretary, factories.secretary(area), street_staff]


def test_two_people_saving_one_case_at_once_lose_no_update(live_server, area, editors):
    """Two secretaries (or a secretary and street staff) save different changes of one case from
    the same version at the same moment: one is saved, the other is refused with the "changed
    meanwhile" form and saved from it afterwards; the history holds exactly the accepted
    changes; no server error."""
    case = factories.case(area, editors[0])
    problems = []
    for round_ in range(EDIT_ROUNDS):
        pair = [editors[0], editors[1] if round_ % 2 == 0 else editors[2]]
        if round_ % 4 >= 2:
            pair.reverse()
        problems += edit_round(live_server.url, case, pair, round_)
    assert not problems, "\n".join(problems)


def test_the_edit_checker_catches_a_plain_save_that_loses_an_update(
    live_server, area, editors, monkeypatch
):
    """Saving whatever the form holds, without its version, overwrites the first change with
    the value the second form was loaded with: the round reports it."""

    def careless_edit(*, case: Case, actor, version: int, **changes) -> Case:
        case = Case.objects.get(pk=case.pk)
        meet(both)
        for name, value in changes.items():
            setattr(case, name, value)
        case.version += 1
        case.save()
        return case

    both = threading.Barrier(2)
    monkeypatch.setattr("governance.services.case_edit", careless_edit)
    case = factories.case(area, editors[0])

    problems = edit_round(live_server.url, case, editors[:2], 0)

    assert any("was overwritten" in problem for problem in problems), problems


# Two claims of one wish ---------------------------------------------------------------------


@pytest.fixture
def claimers(area, secretary):
    """The liaisons of two partner units of the street, the area's secretary, and the units."""
    units = [
        factories.OrganizationFactory(area=None, street=area.street, partner=True) for _ in range(2)
    ]
    return {"units": units, "liaisons": [factories.liaison(unit) for unit in units]}


def claim_round(server: str, area, secretary, claimers: dict, round_: int) -> list[str]:
    """Two parties open a published wish's page and claim it at the same moment."""
    wish = factories.wish(area, secretary, status="published")
    units, liaisons = claimers["units"], claimers["liaisons"]
    if round_ % 2 == 0:
        parties = [(liaisons[0], {"organization": units[0].pk})]
        parties.append((liaisons[1], {"organization": units[1].pk}))
    else:  # staff record a claim by a person, a liaison claims for their unit
        parties = [(secretary, {"person_name": "热心居民丙"})]
        parties.append((liaisons[round_ % 4 // 2], {"organization": units[round_ % 4 // 2].pk}))
    browsers = [Browser.logged_in(server, user) for user, _claim in parties]
    page = reverse("wishes:wish_manage_detail", args=[wish.pk])
    path = reverse("wishes:wish_claim", args=[wish.pk])
    posts = [
        {
            **claim,
            "contact": f"1395555{round_:02d}{i:02d}",
            "csrfmiddlewaretoken": browser.form_token(page),
        }
        for i, (browser, (_user, claim)) in enumerate(zip(browsers, parties, strict=True))
    ]

    def attempt(index: int):
        return browsers[index], lambda conn: browsers[index].post(path, posts[index], conn)

    answers = at_once([attempt(0), attempt(1)])
    problems = [f"round {round_}: {a!r}" for a in answers if isinstance(a, Exception)]
    if problems:
        return problems
    told = []
    for browser, answer in zip(browsers, answers, strict=True):
        if answer.status != 302:
            problems.append(f"round {round_}: the claim answered {answer.status}")
            continue
        shown = browser.follow(answer)
        if shown.status != 200:
            problems.append(f"round {round_}: the page after the claim answered {shown.status}")
        told.append(
            "claimed" if shown.says(CLAIMED) else "refused" if shown.says(ALREADY_CLAIMED) else "?"
        )
    if sorted(told) != ["claimed", "refused"]:
        problems.append(f"round {round_}: the two parties were told {told}")
    wish.refresh_from_db()
    if wish.status != WishStatus.CLAIMED:
        problems.append(f"round {round_}: the wish is {wish.status}")
    if "claimed" in told:
        winner = parties[told.index("claimed")][0]
        if wish.claimed_by_user != winner:
            problems.append(f"round {round_}: the wish is claimed by someone not told so")
    return problems


def test_two_parties_claiming_one_wish_at_once_claim_it_once(
    live_server, area, secretary, claimers
):
    """Two partner units' liaisons (or a liaison and the secretary recording a claim) claim one
    published wish at the same moment: one claim; the other party is told it is already
    claimed, on a page they may see; no server error."""
    problems = []
    for round_ in range(CLAIM_ROUNDS):
        problems += claim_round(live_server.url, area, secretary, claimers, round_)
    assert not problems, "\n".join(problems)


def test_the_claim_checker_catches_a_claim_without_a_lock(
    live_server, area, secretary, claimers, monkeypatch
):
    """Claiming by reading the status, then writing the claim, without a lock: both parties see
    a published wish and both are told they claimed it. The round reports it."""

    def careless_claim(*, wish: Wish, actor, contact, organization=None, person_name=""):
        wish = Wish.objects.get(pk=wish.pk)
        if wish.status != WishStatus.PUBLISHED:
            raise ValidationError(ALREADY_CLAIMED, code="already_claimed")
        meet(both)
        Wish.objects.filter(pk=wish.pk).update(
            status=WishStatus.CLAIMED,
            claimed_by_organization=organization,
            claimed_by_name=person_name,
            claimer_contact=contact,
            claimed_by_user=actor,
            claimed_at=max(timezone.now(), wish.published_at + datetime.timedelta(seconds=1)),
        )
        return wish

    both = threading.Barrier(2)
    monkeypatch.setattr("wishes.services.wish_claim", careless_claim)

    problems = claim_round(live_server.url, area, secretary, claimers, 0)

    assert any("the two parties were told" in problem for problem in problems), problems
