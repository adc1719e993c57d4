"""The monthly case sums: every case service moves them in its own transaction, exactly as
computing them again from the cases would."""

import datetime
import threading

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from governance import services
from governance.models import (
    Case,
    CaseMonth,
    CasePartyMonth,
    CaseStatus,
    ClosureReason,
    PartyRole,
    Satisfaction,
    UpdateKind,
)
from governance.models.case_sums import (
    MONTH_FIELDS,
    PARTY_FIELDS,
    Seconds,
    case_month_rows,
    case_party_month_rows,
    seconds_between,
)
from tests import factories

pytestmark = pytest.mark.django_db

MARCH, APRIL, MAY = datetime.date(2026, 3, 1), datetime.date(2026, 4, 1), datetime.date(2026, 5, 1)
DAY = 86400


def at(month: int, day: int, hour: int = 9, microsecond: int = 0) -> datetime.datetime:
    moment = datetime.datetime(2026, month, day, hour, 0, 0, microsecond)  # noqa: DTZ001
    return timezone.make_aware(moment)


def _nonzero(rows, dimensions, fields) -> dict:
    kept = {}
    for row in rows:
        counts = {name: getattr(row, name) for name in fields if getattr(row, name)}
        if counts:
            kept[tuple(getattr(row, d) for d in dimensions)] = counts
    return kept


MONTH_KEY = ("month", "area_id", "category_id")
PARTY_KEY = ("month", "area_id", "organization_id", "role")


def kept() -> tuple[dict, dict]:
    """The sums the services kept (rows that count nothing left out)."""
    return (
        _nonzero(CaseMonth.objects.all(), MONTH_KEY, MONTH_FIELDS),
        _nonzero(CasePartyMonth.objects.all(), PARTY_KEY, PARTY_FIELDS),
    )


def rebuilt() -> tuple[dict, dict]:
    """The sums computed from the cases, as ``rebuild_case_sums`` writes them."""
    return (
        _nonzero(case_month_rows(), MONTH_KEY, MONTH_FIELDS),
        _nonzero(case_party_month_rows(), PARTY_KEY, PARTY_FIELDS),
    )


def month_sums(month: datetime.date, area, category) -> dict:
    return kept()[0].get((month, area.pk, category.pk), {})


def party_sums(month: datetime.date, area, organization, role: str) -> dict:
    return kept()[1].get((month, area.pk, organization.pk, role), {})


@pytest.fixture
def world(area, other_area, secretary, street_staff):
    return {
        "area": area,
        "other_area": other_area,
        "secretary": secretary,
        "staff": street_staff,
        "x": factories.CategoryFactory(name="楼道堆物", target_days=5),
        "y": factories.CategoryFactory(name="设施维修", target_days=10),
        "lead": factories.OrganizationFactory(area=area, residents_committee=True, name="居委会"),
        "helper": factories.OrganizationFactory(area=area, property_company=True, name="物业"),
    }


def log(world, day: datetime.datetime, category: str = "x", area: str = "area") -> Case:
    case = factories.case(world[area], world["staff"], category=world[category], created_at=day)
    return (
        services.case_set_parties(
            case=case, actor=world["staff"], lead=world["lead"], assisting=[world["helper"]]
        )
        if area == "area"
        else case
    )


def move(case: Case, actor, *steps: tuple[str, datetime.datetime], **kwargs) -> Case:
    for status, moment in steps:
        note = "再次处理" if status in (CaseStatus.REOPENED, CaseStatus.REJECTED) else ""
        case = services.case_transition(
            case=case, to=status, actor=actor, at=moment, note=note, **kwargs
        )
    return case


def resolved(world, logged: datetime.datetime, resolved_at: datetime.datetime) -> Case:
    case = log(world, logged)
    return move(
        case,
        world["secretary"],
        (CaseStatus.ACCEPTED, logged + datetime.timedelta(hours=5)),
        (CaseStatus.IN_PROGRESS, logged + datetime.timedelta(hours=6)),
        (CaseStatus.RESOLVED, resolved_at),
    )


# One rule at a time -----------------------------------------------------------------------------


def test_logging_a_case_counts_it_in_the_month_it_was_logged(world):
    log(world, at(3, 31, 23))  # 23:00 in Shanghai, 15:00 UTC: still March

    assert month_sums(MARCH, world["area"], world["x"]) == {"logged": 1}
    assert kept() == rebuilt()


def test_accepting_counts_the_time_to_accept_in_the_month_logged(world):
    case = log(world, at(3, 30))

    move(case, world["secretary"], (CaseStatus.ACCEPTED, at(4, 1, 21)))

    assert month_sums(MARCH, world["area"], world["x"]) == {
        "logged": 1,
        "accepted": 1,
        "seconds_to_accept": 2 * DAY + 12 * 3600,
    }
    assert month_sums(APRIL, world["area"], world["x"]) == {}
    assert kept() == rebuilt()


def test_resolving_counts_in_the_month_resolved_on_time_by_the_due_date(world):
    on_time = resolved(world, at(3, 10), at(3, 15, 23))  # due 03-15
    late = resolved(world, at(3, 30), at(4, 9))  # due 04-04

    march, april = (month_sums(m, world["area"], world["x"]) for m in (MARCH, APRIL))

    assert (on_time.due_date, late.due_date) == (
        datetime.date(2026, 3, 15),
        datetime.date(2026, 4, 4),
    )
    assert (march["logged_resolved"], march["seconds_to_resolve"]) == (
        2,
        5 * DAY + 14 * 3600 + 10 * DAY,
    )
    assert (march["resolved"], march["resolved_on_time"]) == (1, 1)
    assert (april["resolved"], april.get("resolved_on_time", 0)) == (1, 0)
    assert kept() == rebuilt()


def test_closing_counts_in_the_month_closed_and_a_rejection_counts_no_closure(world):
    case = resolved(world, at(3, 10), at(3, 14))
    rejected = log(world, at(3, 11))

    move(case, world["secretary"], (CaseStatus.CLOSED, at(4, 2)))
    move(
        rejected,
        world["secretary"],
        (CaseStatus.REJECTED, at(4, 3)),
        closure_reason=ClosureReason.NO_FURTHER_ACTION,
    )

    assert month_sums(APRIL, world["area"], world["x"]) == {"closed": 1}
    assert kept() == rebuilt()


def test_reopening_takes_the_resolution_and_closure_back_and_counts_the_case_once(world):
    case = resolved(world, at(3, 10), at(3, 14))
    case = move(case, world["secretary"], (CaseStatus.CLOSED, at(3, 20)))

    case = move(case, world["secretary"], (CaseStatus.REOPENED, at(4, 1)))
    march = month_sums(MARCH, world["area"], world["x"])
    assert (march["logged"], march["reopened"]) == (1, 1)
    assert {"resolved", "closed", "logged_resolved", "seconds_to_resolve"}.isdisjoint(march)
    assert kept() == rebuilt()

    case = move(
        case, world["secretary"], (CaseStatus.RESOLVED, at(4, 5)), (CaseStatus.REOPENED, at(4, 6))
    )
    assert month_sums(MARCH, world["area"], world["x"])["reopened"] == 1  # a case, not a count
    assert kept() == rebuilt()


def test_a_follow_up_counts_its_answer_in_its_month_and_an_unsatisfied_one_reopens(world):
    first = resolved(world, at(3, 10), at(3, 14))
    second = resolved(world, at(3, 11), at(3, 15))

    services.case_follow_up(
        case=first, actor=world["secretary"], satisfaction=Satisfaction.SATISFIED, at=at(4, 1)
    )
    services.case_follow_up(
        case=second, actor=world["secretary"], satisfaction=Satisfaction.UNSATISFIED, at=at(4, 2)
    )

    assert month_sums(APRIL, world["area"], world["x"]) == {"satisfied": 1, "unsatisfied": 1}
    march = month_sums(MARCH, world["area"], world["x"])
    assert (march["resolved"], march["reopened"]) == (1, 1)
    assert Case.objects.get(pk=second.pk).status == CaseStatus.REOPENED
    assert kept() == rebuilt()


def test_parties_count_per_role_and_move_with_a_new_lead(world):
    case = resolved(world, at(3, 10), at(3, 12))
    area, lead, helper = world["area"], world["lead"], world["helper"]
    assert party_sums(MARCH, area, lead, PartyRole.LEAD) == {
        "cases": 1,
        "resolved": 1,
        "seconds_to_resolve": 2 * DAY,
    }
    assert party_sums(MARCH, area, helper, PartyRole.ASSISTING)["cases"] == 1

    services.case_set_parties(case=case, actor=world["secretary"], lead=helper, assisting=[])

    assert party_sums(MARCH, area, lead, PartyRole.LEAD) == {}
    assert party_sums(MARCH, area, helper, PartyRole.ASSISTING) == {}
    assert party_sums(MARCH, area, helper, PartyRole.LEAD)["cases"] == 1
    assert kept() == rebuilt()


def test_a_new_due_date_makes_a_resolution_on_time_or_late(world):
    case = resolved(world, at(3, 10), at(3, 20))  # due 03-15: late

    services.case_change_due_date(
        case=case, actor=world["staff"], due_date=datetime.date(2026, 3, 25), reason="延期"
    )

    assert month_sums(MARCH, world["area"], world["x"])["resolved_on_time"] == 1
    assert kept() == rebuilt()


def test_a_new_category_moves_every_count_of_the_case(world):
    case = resolved(world, at(3, 10), at(4, 2))
    services.case_follow_up(
        case=case, actor=world["secretary"], satisfaction=Satisfaction.SATISFIED, at=at(4, 3)
    )
    before = {m: month_sums(m, world["area"], world["x"]) for m in (MARCH, APRIL)}
    case = Case.objects.get(pk=case.pk)

    services.case_edit(
        case=case, actor=world["secretary"], version=case.version, category=world["y"]
    )

    assert {m: month_sums(m, world["area"], world["y"]) for m in (MARCH, APRIL)} == before
    assert month_sums(MARCH, world["area"], world["x"]) == {}
    assert month_sums(APRIL, world["area"], world["x"]) == {}
    assert kept() == rebuilt()


def test_notes_meetings_and_other_edits_change_no_sum(world):
    case = resolved(world, at(3, 10), at(3, 12))
    before = kept()

    services.case_add_update(case=case, actor=world["secretary"], text="已电话回复居民。")
    services.case_add_update(
        case=case,
        actor=world["secretary"],
        kind=UpdateKind.MEETING,
        text="三方协调会",
        attendees="书记、物业",
    )
    case = Case.objects.get(pk=case.pk)
    services.case_edit(case=case, actor=world["secretary"], version=case.version, title="新标题")

    assert kept() == before


def test_the_kept_sums_equal_a_rebuild_after_a_life_of_cases(world):
    """Many cases, in two areas and two categories, across three months, every service."""
    secretary, staff = world["secretary"], world["staff"]
    # Three and a half days apart, with odd and even microseconds: from March into June.
    moments = iter(
        at(3, 1, 8, (n * 370_001) % 1_000_000) + datetime.timedelta(hours=85 * n)
        for n in range(1, 100)
    )
    cases = [log(world, next(moments), category="xy"[n % 2]) for n in range(6)]
    cases.append(log(world, next(moments), area="other_area"))
    steps = [
        lambda: move(cases[0], secretary, (CaseStatus.ACCEPTED, next(moments))),
        lambda: move(cases[0], secretary, (CaseStatus.IN_PROGRESS, next(moments))),
        lambda: move(cases[0], secretary, (CaseStatus.RESOLVED, next(moments))),
        lambda: services.case_follow_up(
            case=cases[0],
            actor=secretary,
            satisfaction=Satisfaction.BASICALLY_SATISFIED,
            at=next(moments),
        ),
        lambda: move(cases[0], secretary, (CaseStatus.CLOSED, next(moments))),
        lambda: move(cases[0], secretary, (CaseStatus.REOPENED, next(moments))),
        lambda: move(cases[0], secretary, (CaseStatus.IN_PROGRESS, next(moments))),
        lambda: move(cases[0], secretary, (CaseStatus.RESOLVED, next(moments))),
        lambda: move(
            cases[1],
            secretary,
            (CaseStatus.REJECTED, next(moments)),
            closure_reason=ClosureReason.DUPLICATE,
            duplicate_of=cases[0],
        ),
        lambda: move(
            cases[2],
            secretary,
            (CaseStatus.ACCEPTED, next(moments)),
            (CaseStatus.IN_PROGRESS, next(moments)),
            (CaseStatus.RESOLVED, next(moments)),
        ),
        lambda: services.case_follow_up(
            case=cases[2],
            actor=secretary,
            satisfaction=Satisfaction.UNSATISFIED,
            at=next(moments),
        ),
        lambda: services.case_change_due_date(
            case=cases[0], actor=staff, due_date=datetime.date(2026, 2, 1), reason="核对"
        ),
        lambda: services.case_set_parties(
            case=cases[2], actor=secretary, lead=world["helper"], assisting=[world["lead"]]
        ),
        lambda: services.case_set_parties(case=cases[3], actor=secretary, lead=None, assisting=[]),
        lambda: services.case_edit(
            case=cases[2],
            actor=secretary,
            version=Case.objects.get(pk=cases[2].pk).version,
            category=world["y"],
        ),
        lambda: move(cases[6], staff, (CaseStatus.ACCEPTED, next(moments))),
    ]
    assert kept() == rebuilt()
    for number, step in enumerate(steps):
        step()
        assert kept() == rebuilt(), f"after step {number}"
    assert {MARCH, APRIL, MAY} <= {key[0] for key in kept()[0]}


# Transactions -----------------------------------------------------------------------------------


def test_a_change_rolled_back_leaves_the_sums_as_they_were(world):
    case = log(world, at(3, 10))
    before = kept()

    with pytest.raises(RuntimeError), transaction.atomic():
        move(case, world["secretary"], (CaseStatus.ACCEPTED, at(3, 11)))
        raise RuntimeError

    assert kept() == before


def test_a_service_that_fails_after_counting_leaves_the_sums_as_they_were(world, monkeypatch):
    """The sums are written in the service's transaction: a failure later in it (here the
    notification) takes them back with the change."""
    case = log(world, at(3, 10))
    before = kept()

    def fail(**kwargs):
        raise RuntimeError

    monkeypatch.setattr(
        "governance.services.cases.transitions.notifications.case_transitioned", fail
    )
    with pytest.raises(RuntimeError):
        move(case, world["secretary"], (CaseStatus.ACCEPTED, at(3, 11)))

    assert kept() == before
    assert Case.objects.get(pk=case.pk).status == CaseStatus.NEW


# Rebuilding --------------------------------------------------------------------------------------


def test_seconds_in_sql_are_the_seconds_the_services_count(world):
    """Whole seconds cut toward zero, in the database as in Python, whatever the microseconds."""
    case = log(world, at(3, 10, 9, 900_000))
    pairs = [
        at(3, 10, 9, 900_000),
        at(3, 10, 9, 100_000) + datetime.timedelta(seconds=1),  # 0.2 s later
        at(3, 10, 10, 899_999),  # 3599.999999 s later
        at(3, 12, 10),
        at(3, 10, 8, 950_000),  # before: -0.95 s
    ]
    for moment in pairs:
        Case.objects.filter(pk=case.pk).update(accepted_at=moment)
        in_sql = (
            Case.objects.filter(pk=case.pk)
            .annotate(s=Seconds("accepted_at", "created_at"))
            .values_list("s", flat=True)
            .get()
        )
        assert in_sql == seconds_between(moment, case.created_at), moment
    assert [seconds_between(m, case.created_at) for m in pairs] == [
        0,
        0,
        3599,
        2 * DAY + 3599,
        -3599,
    ]


# Concurrency (PostgreSQL: SQLite lets one writer at a time) ------------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_cases_logged_at_once_in_one_month_are_all_counted(area, street_staff):
    """Eight cases of one area, category and month logged at the same moment: the first creates
    the sums' row while the others wait on its unique key, and each adds one."""
    category = factories.CategoryFactory()
    barrier = threading.Barrier(8)
    errors = []

    def log_one() -> None:
        try:
            barrier.wait(timeout=10)
            factories.case(area, street_staff, category=category)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=log_one) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    month = timezone.localdate().replace(day=1)
    assert CaseMonth.objects.get(area=area, category=category, month=month).logged == 8
    assert kept() == rebuilt()
