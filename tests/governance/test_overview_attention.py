"""The street overview's terms and contracts needing attention: read with the figures, and the
organisations themselves only when one is due."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from governance.structure import street_overviews
from residents.models import Street
from tests import factories

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
pytestmark = pytest.mark.django_db


def test_the_overview_lists_expired_and_expiring_terms_and_not_the_others(area):
    start = TODAY - 1000 * DAY
    expired = factories.OrganizationFactory(
        area=area, owners_committee=True, term_start=start, term_end=TODAY - DAY
    )
    expiring = factories.OrganizationFactory(
        area=area, owners_committee=True, term_start=start, term_end=TODAY + 10 * DAY
    )
    factories.OrganizationFactory(
        area=area, owners_committee=True, term_start=start, term_end=TODAY + 400 * DAY
    )
    factories.OrganizationFactory(area=area, owners_committee=True)

    (overview,) = street_overviews(Street.objects.filter(pk=area.street_id), TODAY)

    assert overview.expired == [expired]
    assert overview.expiring == [expiring]


def test_the_overview_reads_no_organisation_when_no_term_is_due(area):
    factories.OrganizationFactory(
        area=area,
        owners_committee=True,
        term_start=TODAY - 100 * DAY,
        term_end=TODAY + 400 * DAY,
    )
    streets = Street.objects.filter(pk=area.street_id)
    # The streets, their areas with their compounds counted, organisations, agreements and posts.
    with CaptureQueriesContext(connection) as queries:
        (overview,) = street_overviews(streets, TODAY)
    assert len(queries) == 5
    assert overview.expired == overview.expiring == []
