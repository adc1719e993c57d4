import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from governance.models import (
    Organization,
    OrganizationKind,
    Post,
    PostTitle,
    TermState,
    Tier,
    with_structure_figures,
)
from residents.models import ResidentialArea
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


@pytest.mark.parametrize(
    ("kind", "tier"),
    [
        (OrganizationKind.PARTY, Tier.CORE),
        (OrganizationKind.RESIDENTS_COMMITTEE, Tier.THREE),
        (OrganizationKind.OWNERS_COMMITTEE, Tier.THREE),
        (OrganizationKind.PROPERTY_COMPANY, Tier.THREE),
        (OrganizationKind.REGIONAL_UNIT, Tier.N),
        (OrganizationKind.SOCIAL_ORGANIZATION, Tier.N),
        (OrganizationKind.MASS_ORGANIZATION, Tier.N),
        (OrganizationKind.VOLUNTEER_TEAM, Tier.N),
    ],
)
def test_tier_follows_from_kind(kind, tier):
    assert Organization(kind=kind).tier == tier


def test_in_tier_selects_by_kind(area):
    party = factories.OrganizationFactory(area=area)
    committee = factories.OrganizationFactory(area=area, owners_committee=True)
    partner = factories.OrganizationFactory(area=area, partner=True)
    assert list(Organization.objects.in_tier(Tier.CORE)) == [party]
    assert list(Organization.objects.in_tier(Tier.THREE)) == [committee]
    assert list(Organization.objects.in_tier(Tier.N)) == [partner]


def test_post_ending_before_it_starts_is_refused_by_validation():
    post = factories.PostFactory.build(
        organization=factories.OrganizationFactory(),
        start_date=TODAY,
        end_date=TODAY - DAY,
    )
    post.person = factories.PersonFactory(area=post.organization.area)
    with pytest.raises(ValidationError) as error:
        post.full_clean()
    assert error.value.error_dict["end_date"][0].code == "post_ends_before_start"


def test_post_ending_before_it_starts_is_refused_by_the_database():
    post = factories.PostFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Post.objects.filter(pk=post.pk).update(end_date=post.start_date - DAY)


@pytest.mark.parametrize(
    ("start", "end", "current"),
    [
        (TODAY, None, True),
        (TODAY + DAY, None, False),
        (TODAY - 10 * DAY, TODAY, True),
        (TODAY - 10 * DAY, TODAY - DAY, False),
        (TODAY - 10 * DAY, TODAY + DAY, True),
    ],
)
def test_current_post_has_started_and_not_ended(start, end, current):
    post = factories.PostFactory(start_date=start, end_date=end)
    assert Post.objects.current().filter(pk=post.pk).exists() is current
    assert post.is_current() is current


def _post(person, organization, **kwargs):
    return factories.PostFactory(person=person, organization=organization, **kwargs)


def test_cross_appointment_needs_current_posts_in_party_and_one_of_the_three(area):
    party = factories.OrganizationFactory(area=area)
    committee = factories.OrganizationFactory(area=area, owners_committee=True)
    partner = factories.OrganizationFactory(area=area, partner=True)
    both = factories.PersonFactory(area=area)
    _post(both, party)
    _post(both, committee)
    party_and_partner = factories.PersonFactory(area=area)
    _post(party_and_partner, party)
    _post(party_and_partner, partner)
    party_only = factories.PersonFactory(area=area)
    _post(party_only, party)
    ended = factories.PersonFactory(area=area)
    _post(ended, party)
    _post(ended, committee, start_date=TODAY - 100 * DAY, end_date=TODAY - DAY)

    people = set(Post.objects.cross_appointments().values_list("person", flat=True))

    assert people == {both.pk}


def test_cross_appointment_is_within_one_area(area, other_area):
    person = factories.PersonFactory(area=area)
    _post(person, factories.OrganizationFactory(area=area))
    _post(person, factories.OrganizationFactory(area=other_area, residents_committee=True))

    assert not Post.objects.cross_appointments().exists()


def test_structure_figures_count_cross_appointed_people_and_agreement_partners(area, other_area):
    party = factories.OrganizationFactory(area=area)
    committee = factories.OrganizationFactory(area=area, residents_committee=True)
    person = factories.PersonFactory(area=area)
    _post(person, party, title=PostTitle.SECRETARY)
    _post(person, committee, title=PostTitle.DIRECTOR)
    street_unit = factories.OrganizationFactory(area=None, street=area.street, partner=True)
    factories.AgreementFactory(partner=street_unit, area=area)
    factories.AgreementFactory(
        partner=street_unit, area=other_area, start_date=TODAY - 400 * DAY, end_date=TODAY - DAY
    )

    figures = {a.pk: a for a in with_structure_figures(ResidentialArea.objects.all())}

    assert figures[area.pk].cross_appointment_count == 1
    assert (figures[area.pk].core_count, figures[area.pk].three_count) == (1, 1)
    assert figures[area.pk].n_count == 1
    assert figures[other_area.pk].cross_appointment_count == 0
    assert figures[other_area.pk].n_count == 0


@pytest.mark.parametrize(
    ("days_left", "state"),
    [
        (None, TermState.NONE),
        (-1, TermState.EXPIRED),
        (0, TermState.EXPIRING),
        (90, TermState.EXPIRING),
        (91, TermState.VALID),
    ],
)
def test_term_state(days_left, state):
    organization = factories.OrganizationFactory(owners_committee=True)
    if days_left is not None:
        organization.term_start = TODAY - 5 * 365 * DAY
        organization.term_end = TODAY + days_left * DAY
        organization.save()
    assert organization.term_state() == state
    expiring = Organization.objects.term_expiring().filter(pk=organization.pk).exists()
    expired = Organization.objects.term_expired().filter(pk=organization.pk).exists()
    assert expiring is (state == TermState.EXPIRING)
    assert expired is (state == TermState.EXPIRED)


def test_only_owners_committee_and_property_company_have_a_term():
    party = factories.OrganizationFactory()
    party.term_start, party.term_end = TODAY, TODAY + 365 * DAY
    with pytest.raises(ValidationError) as error:
        party.full_clean()
    assert error.value.error_dict["term_end"][0].code == "term_not_allowed"
    with pytest.raises(IntegrityError), transaction.atomic():
        party.save()


def test_term_must_end_after_it_starts():
    committee = factories.OrganizationFactory(owners_committee=True)
    committee.term_start, committee.term_end = TODAY, TODAY - DAY
    with pytest.raises(ValidationError) as error:
        committee.full_clean()
    assert error.value.error_dict["term_end"][0].code == "term_ends_before_start"
    with pytest.raises(IntegrityError), transaction.atomic():
        committee.save()


def test_owners_committee_serves_a_compound():
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.OrganizationFactory(kind=OrganizationKind.OWNERS_COMMITTEE, compound=None)


def test_core_and_three_belong_to_an_area(street):
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.OrganizationFactory(area=None, street=street, residents_committee=True)
    unit = factories.OrganizationFactory(area=None, street=street, partner=True)
    assert unit.area is None


def test_compound_must_belong_to_the_organisations_area(area, other_area):
    committee = factories.OrganizationFactory.build(
        area=area,
        street=area.street,
        kind=OrganizationKind.OWNERS_COMMITTEE,
        compound=factories.CompoundFactory(area=other_area),
    )
    with pytest.raises(ValidationError) as error:
        committee.full_clean()
    assert error.value.error_dict["compound"][0].code == "compound_outside_area"


def test_only_party_organisations_nest(area):
    general_branch = factories.OrganizationFactory(area=area)
    branch = factories.OrganizationFactory(area=area, parent=general_branch)
    assert list(general_branch.children.all()) == [branch]
    committee = factories.OrganizationFactory.build(
        area=area,
        street=area.street,
        kind=OrganizationKind.RESIDENTS_COMMITTEE,
        parent=general_branch,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        committee.save()


def test_parent_must_be_a_party_organisation_of_the_same_area(area, other_area):
    elsewhere = factories.OrganizationFactory(area=other_area)
    branch = factories.OrganizationFactory.build(area=area, street=area.street, parent=elsewhere)
    with pytest.raises(ValidationError) as error:
        branch.full_clean()
    assert error.value.error_dict["parent"][0].code == "parent_outside_area"


def test_agreement_partner_must_be_a_partner_unit(area):
    agreement = factories.AgreementFactory.build(
        partner=factories.OrganizationFactory(area=area), area=area
    )
    with pytest.raises(ValidationError) as error:
        agreement.full_clean()
    assert error.value.error_dict["partner"][0].code == "partner_not_n"


def test_serving_includes_partners_with_a_current_agreement(area, other_area):
    own = factories.OrganizationFactory(area=area)
    signed = factories.OrganizationFactory(area=None, street=area.street, partner=True)
    factories.AgreementFactory(partner=signed, area=area)
    lapsed = factories.OrganizationFactory(area=None, street=area.street, partner=True)
    factories.AgreementFactory(
        partner=lapsed, area=area, start_date=TODAY - 400 * DAY, end_date=TODAY - DAY
    )
    factories.OrganizationFactory(area=other_area)

    assert set(Organization.objects.serving(area)) == {own, signed}


@pytest.mark.parametrize(
    ("baseline", "goal", "value", "progress", "reached"),
    [
        (86, 0, 86, 0, False),
        (86, 0, 43, 50, False),
        (86, 0, 0, 100, True),
        (10, 20, 15, 50, False),
        (10, 20, 25, 100, True),
        (86, 0, None, 0, False),
    ],
)
def test_indicator_progress_from_baseline_to_goal(baseline, goal, value, progress, reached):
    from governance.models import Indicator

    indicator = Indicator(baseline=baseline, goal=goal)
    assert indicator.progress(value) == progress
    assert indicator.reached(value) is reached


def test_latest_reading_is_annotated(area):
    from governance.models import Indicator, IndicatorReading

    indicator = Indicator.objects.create(area=area, name="钢瓶", unit="只", baseline=86, goal=0)
    IndicatorReading.objects.create(indicator=indicator, date=TODAY - 30 * DAY, value=40)
    IndicatorReading.objects.create(indicator=indicator, date=TODAY, value=0)
    annotated = Indicator.objects.with_latest_reading().get()
    assert (annotated.latest_value, annotated.latest_date) == (0, TODAY)
    assert annotated.is_reached
