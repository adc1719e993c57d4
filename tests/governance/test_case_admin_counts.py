"""The case admin's list counts the cases at most once per page, whatever the filters: at a
million cases every count is a scan (the stock changelist counts twice)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.admin import CaseAdmin
from tests import factories

pytestmark = pytest.mark.django_db

COUNT = re.compile(r"\bCOUNT\(", re.IGNORECASE)


@pytest.fixture
def cases(area, street_staff):
    category = factories.CategoryFactory()
    return [factories.case(area, actor=street_staff, category=category) for _ in range(3)]


def _count_queries(client, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("admin:governance_case_changelist"), params)
    assert response.status_code == 200
    assert response.context["cl"].result_count == 3 or params
    return sum(1 for query in queries if COUNT.search(query["sql"]))


@pytest.mark.parametrize(
    "params",
    [{}, {"status": "new"}, {"overdue": "yes"}, {"q": "楼道"}, {"p": "1"}],
    ids=["all", "status", "overdue", "search", "page"],
)
def test_the_case_changelist_runs_at_most_one_count_query(client, street_staff, cases, params):
    client.force_login(street_staff)

    assert _count_queries(client, **params) <= 1


def test_the_count_check_catches_the_stock_changelists_second_count(
    client, street_staff, cases, monkeypatch
):
    """Planted fault: with the full result count back on, the same check sees two counts."""
    monkeypatch.setattr(CaseAdmin, "show_full_result_count", True)
    client.force_login(street_staff)

    assert _count_queries(client, status="new") == 2
