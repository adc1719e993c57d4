"""The street overview's figures: grouped queries that must agree with the annotated ones."""

import datetime

import pytest
from django.utils import timezone

from governance.models import Post, PostTitle, with_structure_figures
from governance.structure import area_structure, areas_with_figures, street_overviews
from residents.models import ResidentialArea, Street
from tests import factories

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_once")]

FIGURES = ("compound_count", "core_count", "three_count", "n_count", "cross_appointment_count")


def _figures(areas) -> dict[int, tuple[int, ...]]:
    return {area.pk: tuple(getattr(area, name) for name in FIGURES) for area in areas}


def _grouped() -> dict[int, tuple[int, ...]]:
    return _figures(areas_with_figures(ResidentialArea.objects.with_compound_count(), TODAY))


def test_grouped_figures_agree_with_the_annotated_ones(area, other_area):
    party = factories.OrganizationFactory(area=area)
    branch = factories.OrganizationFactory(area=area, parent=party)
    committee = factories.OrganizationFactory(area=area, residents_committee=True)
    owners = factories.OrganizationFactory(area=area, owners_committee=True)
    factories.CompoundFactory(area=area)
    # Cross-appointed: a current post in the party organisation and one in the three carriages.
    both = factories.PersonFactory(area=area)
    factories.PostFactory(person=both, organization=party, title=PostTitle.SECRETARY)
    factories.PostFactory(person=both, organization=committee, title=PostTitle.DIRECTOR)
    factories.PostFactory(person=both, organization=owners)
    # Not cross-appointed: the committee post ended yesterday.
    former = factories.PersonFactory(area=area)
    factories.PostFactory(person=former, organization=branch)
    factories.PostFactory(
        person=former, organization=committee, start_date=TODAY - 30 * DAY, end_date=TODAY - DAY
    )
    # A partner of the area, one counted through a current agreement, one with an ended one.
    factories.OrganizationFactory(area=area, partner=True)
    unit = factories.OrganizationFactory(area=None, street=area.street, partner=True)
    factories.AgreementFactory(partner=unit, area=area)
    factories.AgreementFactory(partner=unit, area=area, start_date=TODAY - 10 * DAY)
    factories.AgreementFactory(
        partner=unit, area=other_area, start_date=TODAY - 400 * DAY, end_date=TODAY - DAY
    )
    annotated = _figures(with_structure_figures(ResidentialArea.objects.all(), TODAY))

    assert _grouped() == annotated
    assert annotated[area.pk][1:] == (2, 2, 2, 1)
    assert annotated[other_area.pk][3:] == (0, 0)


def test_grouped_figures_agree_on_the_demo_street(demo):
    annotated = _figures(with_structure_figures(ResidentialArea.objects.all(), TODAY))

    assert _grouped() == annotated
    assert any(figures[4] for figures in annotated.values())


def test_street_overview_totals_add_up_the_areas(area, other_area):
    factories.CompoundFactory(area=area)
    factories.CompoundFactory(area=other_area)
    factories.OrganizationFactory(area=area)

    [overview] = [o for o in street_overviews(Street.objects.all()) if o.street == area.street]

    assert overview.totals["compound_count"] == sum(a.compound_count for a in overview.areas)
    assert overview.totals["core_count"] == 1
    assert area in overview.areas_without_cross_appointment


@pytest.mark.parametrize("areas", [2, 20])
def test_street_overview_queries_do_not_grow_with_areas(
    street, areas, django_assert_max_num_queries
):
    for _ in range(areas):
        area = factories.AreaFactory(street=street)
        factories.CompoundFactory(area=area)
        factories.PostFactory(organization=factories.OrganizationFactory(area=area))
    # The streets, their areas, compounds, organisations, agreements, posts, the terms needing
    # attention.
    with django_assert_max_num_queries(7):
        street_overviews(Street.objects.all())


def test_area_structure_finds_the_same_cross_appointments_as_the_queryset(demo):
    for area in ResidentialArea.objects.all():
        structure = area_structure(area, TODAY)
        expected = (
            Post.objects.filter(organization__area=area)
            .cross_appointments(TODAY)
            .order_by("person__name", "organization__kind", "pk")
        )

        assert [post.pk for post in structure.cross_appointed_posts] == [p.pk for p in expected]
        assert structure.cross_appointment_count == len({p.person_id for p in expected})


def test_area_page_makes_a_fixed_number_of_queries(client, area, django_assert_num_queries):
    party = factories.OrganizationFactory(area=area)
    committee = factories.OrganizationFactory(area=area, residents_committee=True)
    person = factories.PersonFactory(area=area)
    factories.PostFactory(person=person, organization=party)
    factories.PostFactory(person=person, organization=committee)
    factories.AgreementFactory(area=area)
    # The area, its organisations, their posts, agreements, the doorstep station, brands,
    # indicators and compounds (no building groups to fetch for none).
    with django_assert_num_queries(8):
        response = client.get(area.get_absolute_url())
    assert response.status_code == 200
