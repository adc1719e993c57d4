"""send_reminders: due soon, overdue, follow-ups due and expiring terms, each told once."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from governance import services
from governance.models import Case, CaseStatus, OrganizationKind
from inbox.models import Kind, Notification
from tests import factories

pytestmark = pytest.mark.django_db


def run() -> str:
    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    return out.getvalue()


def reminded(kind) -> list[str]:
    return sorted(
        Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True)
    )


def set_due(case: Case, days: int) -> None:
    Case.objects.filter(pk=case.pk).update(due_date=timezone.localdate() + datetime.timedelta(days))


def test_cases_due_in_two_days_remind_their_parties_once(
    case, lead_liaison, assisting_liaison, other_secretary
):
    set_due(case, 2)
    output = run()
    assert reminded(Kind.CASE_DUE_SOON) == sorted(
        [lead_liaison.username, assisting_liaison.username]
    )
    assert "[1/5] due in two days: 2 notified" in output
    assert "[5/5]" in output
    run()
    assert Notification.objects.filter(kind=Kind.CASE_DUE_SOON).count() == 2


def test_a_case_due_later_is_not_reminded_yet(case):
    set_due(case, 3)
    run()
    assert reminded(Kind.CASE_DUE_SOON) == []


def test_overdue_cases_remind_once_per_due_date(case, lead_liaison, assisting_liaison):
    set_due(case, -1)
    run()
    run()
    assert reminded(Kind.CASE_OVERDUE) == sorted(
        [lead_liaison.username, assisting_liaison.username]
    )
    set_due(case, -3)  # street staff moved the due date: a new reminder
    run()
    assert Notification.objects.filter(kind=Kind.CASE_OVERDUE).count() == 4


def test_a_resolved_case_is_not_overdue(case, secretary, lead_liaison):
    set_due(case, -1)
    services.case_transition(case=case, to=CaseStatus.ACCEPTED, actor=secretary)
    services.case_transition(case=case, to=CaseStatus.IN_PROGRESS, actor=secretary)
    services.case_transition(case=case, to=CaseStatus.RESOLVED, actor=secretary, note="好了")
    run()
    assert reminded(Kind.CASE_OVERDUE) == []


def test_a_follow_up_due_after_resolution_reminds_the_areas_secretaries(
    case, secretary, other_secretary, street_staff, lead_liaison
):
    services.case_transition(case=case, to=CaseStatus.ACCEPTED, actor=secretary)
    services.case_transition(case=case, to=CaseStatus.IN_PROGRESS, actor=secretary)
    services.case_transition(case=case, to=CaseStatus.RESOLVED, actor=lead_liaison, note="好了")
    run()
    run()
    assert reminded(Kind.FOLLOW_UP_DUE) == [secretary.username]
    services.case_follow_up(case=case, actor=secretary, satisfaction="satisfied")
    Notification.objects.filter(kind=Kind.FOLLOW_UP_DUE).delete()
    run()
    assert reminded(Kind.FOLLOW_UP_DUE) == []


def test_a_case_closed_without_a_follow_up_still_reminds(case, secretary, lead_liaison):
    services.case_transition(case=case, to=CaseStatus.ACCEPTED, actor=secretary)
    services.case_transition(case=case, to=CaseStatus.IN_PROGRESS, actor=secretary)
    services.case_transition(case=case, to=CaseStatus.RESOLVED, actor=lead_liaison, note="好了")
    services.case_transition(case=case, to=CaseStatus.CLOSED, actor=secretary)
    run()
    assert reminded(Kind.FOLLOW_UP_DUE) == [secretary.username]


def test_a_second_resolution_on_the_same_day_reminds_again(case, secretary, lead_liaison):
    services.case_transition(case=case, to=CaseStatus.ACCEPTED, actor=secretary)
    services.case_transition(case=case, to=CaseStatus.IN_PROGRESS, actor=secretary)
    services.case_transition(case=case, to=CaseStatus.RESOLVED, actor=lead_liaison, note="好了")
    run()
    services.case_transition(case=case, to=CaseStatus.REOPENED, actor=secretary, note="又坏了")
    services.case_transition(case=case, to=CaseStatus.RESOLVED, actor=lead_liaison, note="修好")
    run()
    assert reminded(Kind.FOLLOW_UP_DUE) == [secretary.username, secretary.username]


def test_terms_expiring_within_90_days_remind_the_areas_secretaries(
    area, secretary, other_secretary
):
    today = timezone.localdate()
    compound = factories.CompoundFactory(area=area)
    soon = factories.OrganizationFactory(
        area=area,
        compound=compound,
        kind=OrganizationKind.OWNERS_COMMITTEE,
        term_start=today - datetime.timedelta(days=1000),
        term_end=today + datetime.timedelta(days=60),
    )
    factories.OrganizationFactory(
        area=area,
        compound=compound,
        kind=OrganizationKind.PROPERTY_COMPANY,
        term_start=today - datetime.timedelta(days=1000),
        term_end=today + datetime.timedelta(days=200),
    )
    run()
    run()
    notifications = Notification.objects.filter(kind=Kind.TERM_EXPIRING)
    assert [(n.recipient, n.object_id) for n in notifications] == [(secretary, soon.pk)]


def test_a_party_joining_an_overdue_case_is_reminded_too(
    case, secretary, lead_unit, assisting_unit, lead_liaison, unrelated_unit, unrelated_liaison
):
    set_due(case, -1)
    run()
    services.case_set_parties(
        case=case, actor=secretary, lead=lead_unit, assisting=[assisting_unit, unrelated_unit]
    )
    run()
    assert unrelated_liaison.username in reminded(Kind.CASE_OVERDUE)
    assert reminded(Kind.CASE_OVERDUE).count(lead_liaison.username) == 1


def test_a_second_run_reads_only_what_is_new(case, django_assert_max_num_queries):
    set_due(case, -1)
    for _other in range(5):
        other = factories.case(case.area)
        services.case_set_parties(
            case=other,
            actor=factories.street_staff(case.street),
            lead=case.parties.first().organization,
            assisting=[],
        )
        set_due(other, -2)
    run()
    with django_assert_max_num_queries(12):
        run()
