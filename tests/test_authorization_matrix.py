"""The authorisation matrix: every named route of the URLconf, asked by every role about an
object inside area A's reach and one outside it, answers as tests/authorization_routes.py
declares; a route without a declaration, or a declaration without a route, fails."""

from dataclasses import replace
from urllib.parse import urlencode

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import get_resolver, reverse

from governance.models.cases import CaseQuerySet
from tests.authorization_routes import (
    OK,
    ROLES,
    ROUTES,
    Answer,
    build_world,
    classify,
    grid,
    named_routes,
    routes_in_matrix,
)

pytestmark = pytest.mark.django_db

# The objects out of each role's own reach: a 200 on one of these is a leak unless the public
# gets a 200 there too, whatever the declaration says. Street staff and the superuser reach all.
OUT_OF_REACH = {
    "anonymous": (),
    "resident": ("inside", "outside"),
    "street_staff": (),
    "secretary": ("outside",),
    "other_secretary": ("inside",),
    "liaison": ("outside",),
    "stranger": ("inside", "outside"),
    "far_staff": ("inside", "outside"),
    "superuser": (),
}
# By rule, not by declaration: every partner unit's liaison of the street sees the published
# wishes of every area, to claim them for their unit.
STREET_PARTNERS_SEE = {"wishes:wish_manage_detail"}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module, in a transaction rolled back at its end; each test runs in a
    savepoint inside it."""
    media = tmp_path_factory.mktemp("private-media")
    with (
        override_settings(
            PRIVATE_MEDIA_ROOT=media,
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
        ),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        world = build_world()
        world.media = media
        yield world
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _private_media_in_tmp(settings, world):
    """The world's photos and files stay where it stored them."""
    settings.PRIVATE_MEDIA_ROOT = world.media


def _urls(name: str, world) -> list[tuple[str, str]]:
    """``[(which, url)]``: the inside and outside object's URL, or the route's one URL."""
    route = ROUTES[name]
    if not route.takes_object:
        return [("", reverse(name, kwargs=route.kwargs))]
    objects = route.objects(world) if route.objects else ({}, {})
    queries = route.queries(world) if route.queries else ({}, {})
    return [
        (
            which,
            reverse(name, kwargs={**route.kwargs, **kwargs}) + (f"?{urlencode(q)}" if q else ""),
        )
        for which, kwargs, q in zip(("inside", "outside"), objects, queries, strict=True)
    ]


def _expected(answers: dict, role: str, which: str) -> Answer:
    answer = answers[role]
    if isinstance(answer, Answer):
        return answer
    return answer[0] if which == "inside" else answer[1]


def _name(answer: Answer | int) -> str:
    return answer.name if isinstance(answer, Answer) else str(answer)


def _ask(client: Client, method: str, url: str):
    return client.get(url) if method == "GET" else client.post(url)


def _problems(client: Client, world, name: str, role: str) -> list[str]:
    route = ROUTES[name]
    problems = []
    for method, answers in (("GET", route.get), ("POST", route.post)):
        if answers is None:
            continue
        for which, url in _urls(name, world):
            actual = classify(_ask(client, method, url))
            expected = _expected(answers, role, which)
            where = f"{method} {name} as {role}" + (f" on the {which} object" if which else "")
            if actual != expected:
                problems.append(f"{where} ({url}): expected {expected.name}, got {_name(actual)}")
            if actual == OK and which in _out_of_reach(name, role):
                public = classify(_ask(Client(), method, url))
                if public != OK:
                    problems.append(
                        f"{where} ({url}): 200 out of reach, the public gets {_name(public)}"
                    )
    return problems


def _out_of_reach(name: str, role: str) -> tuple[str, ...]:
    if name in STREET_PARTNERS_SEE and role in ("liaison", "stranger"):
        return ()
    return OUT_OF_REACH[role]


def _login(client: Client, world, role: str) -> None:
    if world.users[role] is not None:
        client.force_login(world.users[role])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(ROUTES))
def test_route_answers_each_role_as_declared(client, world, name, role):
    _login(client, world, role)
    problems = _problems(client, world, name, role)
    assert not problems, "\n".join(problems)


def test_every_named_route_has_a_declaration():
    undeclared = sorted(routes_in_matrix(get_resolver()) - set(ROUTES))
    assert not undeclared, f"routes without a declaration: {undeclared}"


def test_every_declaration_names_a_route_that_exists():
    stale = sorted(set(ROUTES) - routes_in_matrix(get_resolver()))
    assert not stale, f"declarations of routes that no longer exist: {stale}"


def test_every_declaration_has_an_answer_for_every_role():
    incomplete = [
        name
        for name, route in ROUTES.items()
        for answers in (route.get, route.post)
        if answers is not None and set(answers) != set(ROLES)
    ]
    assert not incomplete


def test_the_safety_net_knows_every_role():
    assert set(OUT_OF_REACH) == set(ROLES)


@override_settings(ROOT_URLCONF="tests.authorization_extra_urls")
def test_a_route_added_without_a_declaration_is_reported():
    undeclared = routes_in_matrix(get_resolver()) - set(ROUTES)
    assert undeclared == {"extra:undeclared_page"}


@override_settings(ROOT_URLCONF="tests.authorization_extra_urls")
def test_a_route_taken_away_leaves_its_declaration_reported():
    stale = set(ROUTES) - routes_in_matrix(get_resolver())
    assert stale == {"healthz"}


def test_the_admin_and_the_language_switch_stay_out_of_the_matrix():
    names = set(named_routes(get_resolver()))
    assert {"admin:index", "set_language"} <= names
    assert not {"admin:index", "set_language"} & routes_in_matrix(get_resolver())


def test_a_case_shown_beyond_its_area_fails_the_declaration_and_the_safety_net(
    client, world, monkeypatch
):
    """A planted fault: cases visible to everyone signed in. The matrix reports area B's
    secretary opening area A's case, and the safety net does even where the declaration was
    changed to allow it."""
    monkeypatch.setattr(CaseQuerySet, "visible_to", lambda self, user: self.all())
    _login(client, world, "other_secretary")

    problems = _problems(client, world, "governance:case_detail", "other_secretary")
    assert any("on the inside object" in p and "expected NOT_FOUND, got OK" in p for p in problems)

    lenient = replace(ROUTES["governance:case_detail"], get=grid(" ".join(["OK/OK"] * len(ROLES))))
    monkeypatch.setitem(ROUTES, "governance:case_detail", lenient)
    problems = _problems(client, world, "governance:case_detail", "other_secretary")
    assert problems == [
        f"GET governance:case_detail as other_secretary on the inside object "
        f"(/cases/{world.case_a.number}/): 200 out of reach, the public gets LOGIN"
    ]
