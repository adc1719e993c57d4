"""``manage.py rebuild_case_sums``: the dashboard's monthly sums written again from the cases."""

import io

import pytest
from django.core.management import call_command

from governance.models import CaseMonth, CasePartyMonth
from tests.governance.test_case_sums import at, kept, log, resolved, world  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db


def test_the_rebuild_command_writes_the_sums_from_the_cases(world):  # noqa: F811  (the fixture)
    resolved(world, at(3, 10), at(4, 2))
    log(world, at(4, 3), category="y")
    expected = kept()
    CaseMonth.objects.update(logged=0, resolved=7)
    CasePartyMonth.objects.all().delete()
    output = io.StringIO()

    call_command("rebuild_case_sums", stdout=output)

    assert kept() == expected
    assert "Wrote 3 monthly sums and 4 monthly party sums" in output.getvalue()
