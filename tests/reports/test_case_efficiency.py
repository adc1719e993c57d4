"""How fast each area works on its cases (处置效率): the figures per area and who sees which."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from governance import services
from governance.models import CaseStatus
from tests import factories

pytestmark = pytest.mark.django_db


def test_efficiency_figures_per_area(client, area, other_area, secretary, street_staff):
    lead = factories.OrganizationFactory(area=area, residents_committee=True)
    category = factories.CategoryFactory(target_days=5)
    start = timezone.now() - datetime.timedelta(days=20)
    on_time = factories.case(area, secretary, category=category, created_at=start)
    late = factories.case(area, secretary, category=category, created_at=start)
    factories.case(area, secretary, category=category, created_at=start)  # still new: overdue
    for case, hours, days in ((on_time, 2, 3), (late, 4, 9)):
        services.case_set_parties(case=case, actor=secretary, lead=lead, assisting=[])
        services.case_transition(
            case=case,
            to=CaseStatus.ACCEPTED,
            actor=secretary,
            at=start + datetime.timedelta(hours=hours),
        )
        services.case_transition(
            case=case,
            to=CaseStatus.IN_PROGRESS,
            actor=secretary,
            at=start + datetime.timedelta(days=1),
        )
        services.case_transition(
            case=case,
            to=CaseStatus.RESOLVED,
            actor=secretary,
            at=start + datetime.timedelta(days=days),
        )
    client.force_login(street_staff)
    rows = {row.area: row for row in client.get(reverse("reports:case_efficiency")).context["rows"]}

    mine = rows[area]
    assert (mine.logged, mine.accepted, mine.resolved, mine.resolved_on_time) == (3, 2, 2, 1)
    assert mine.hours_to_accept == 3.0
    assert mine.days_to_resolve == 6.0
    assert mine.on_time_share == 50
    assert (mine.still_open, mine.overdue) == (1, 1)
    assert rows[other_area].logged == 0
    assert rows[other_area].on_time_share is None


def test_a_secretary_sees_the_figures_of_their_own_area_only(client, area, secretary):
    client.force_login(secretary)
    rows = client.get(reverse("reports:case_efficiency")).context["rows"]
    assert [row.area for row in rows] == [area]
