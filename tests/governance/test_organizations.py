"""Organisations and co-construction agreements: created and changed by those who manage their
area or street, through services that keep their posts and agreements valid."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from governance import services
from governance.models import Agreement, Organization, OrganizationKind
from tests import factories

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def _codes(error: ValidationError, field: str) -> list[str]:
    return [e.code for e in error.error_dict[field]]


def test_organization_create_saves_what_it_is_given_and_names_the_actor(secretary, area):
    compound = factories.CompoundFactory(area=area)
    group = factories.BuildingGroupFactory(compound=compound)
    general_branch = factories.OrganizationFactory(area=area)

    organization = services.organization_create(
        actor=secretary,
        street=area.street,
        kind=OrganizationKind.PARTY,
        name="3号楼党小组",
        area=area,
        compound=compound,
        building_group=group,
        parent=general_branch,
        description="每月第一个周三学习",
    )

    organization.refresh_from_db()
    assert (organization.compound, organization.building_group) == (compound, group)
    assert (organization.parent, organization.description) == (general_branch, "每月第一个周三学习")
    row = organization.history.get()
    assert (row.history_type, row.history_user) == ("+", secretary)


def test_organization_create_refuses_an_area_the_actor_does_not_manage(secretary, other_area):
    with pytest.raises(PermissionDenied):
        services.organization_create(
            actor=secretary,
            street=other_area.street,
            kind="party",
            name="某党支部",
            area=other_area,
        )
    assert not Organization.objects.filter(name="某党支部").exists()


def test_only_street_staff_register_a_partner_unit_serving_the_whole_street(
    secretary, street_staff, street
):
    with pytest.raises(PermissionDenied):
        services.organization_create(
            actor=secretary, street=street, kind="regional_unit", name="陆家嘴派出所"
        )

    unit = services.organization_create(
        actor=street_staff, street=street, kind="regional_unit", name="陆家嘴派出所"
    )

    assert (unit.area, unit.street) == (None, street)


def test_organization_update_saves_what_it_is_given_and_keeps_the_rest(secretary, area):
    organization = factories.OrganizationFactory(area=area, name="东昌居民区党总支")

    services.organization_update(
        organization=organization, actor=secretary, description="每月第一个周三开放接待"
    )

    organization.refresh_from_db()
    assert organization.description == "每月第一个周三开放接待"
    assert (organization.name, organization.kind, organization.area) == (
        "东昌居民区党总支",
        OrganizationKind.PARTY,
        area,
    )
    row = organization.history.latest()
    assert (row.history_type, row.history_user) == ("~", secretary)


def test_organization_update_refuses_a_secretary_of_another_area(other_secretary, area):
    organization = factories.OrganizationFactory(area=area, name="东昌居民区党总支")

    with pytest.raises(PermissionDenied):
        services.organization_update(organization=organization, actor=other_secretary, name="改名")

    organization.refresh_from_db()
    assert organization.name == "东昌居民区党总支"


@pytest.mark.parametrize("move", ["other_area", "whole_street"])
def test_organization_update_refuses_a_move_out_of_what_the_actor_manages(
    secretary, area, other_area, move
):
    organization = factories.OrganizationFactory(area=area, partner=True)

    with pytest.raises(PermissionDenied):
        services.organization_update(
            organization=organization,
            actor=secretary,
            area=other_area if move == "other_area" else None,
        )

    organization.refresh_from_db()
    assert organization.area == area


def test_organization_update_validates_the_organisation_as_a_whole(secretary, area):
    committee = factories.OrganizationFactory(area=area, owners_committee=True)

    with pytest.raises(ValidationError) as error:
        services.organization_update(
            organization=committee,
            actor=secretary,
            term_start=datetime.date(2026, 3, 1),
            term_end=datetime.date(2026, 2, 1),
        )

    assert _codes(error.value, "term_end") == ["term_ends_before_start"]


def test_a_partner_unit_with_agreements_stays_a_partner_unit(street_staff, area, other_area):
    partner = factories.AgreementFactory(partner__area=area, area=other_area).partner

    services.organization_update(organization=partner, actor=street_staff, kind="volunteer_team")
    with pytest.raises(ValidationError) as error:
        services.organization_update(organization=partner, actor=street_staff, kind="party")

    assert _codes(error.value, "kind") == ["partner_has_agreements"]
    partner.refresh_from_db()
    assert partner.kind == "volunteer_team"


def test_a_unit_without_agreements_may_become_another_kind(street_staff, area):
    unit = factories.OrganizationFactory(area=area, partner=True)

    services.organization_update(organization=unit, actor=street_staff, kind="party")

    unit.refresh_from_db()
    assert unit.kind == "party"


def test_an_organisation_with_posts_stays_in_its_street(street):
    superuser = factories.street_staff(street, is_superuser=True)
    held, empty = (
        factories.OrganizationFactory(area=None, street=street, partner=True) for _ in "ab"
    )
    factories.PostFactory(organization=held, person__area=None, person__street=street)
    elsewhere = factories.StreetFactory()

    services.organization_update(organization=empty, actor=superuser, street=elsewhere)
    with pytest.raises(ValidationError) as error:
        services.organization_update(organization=held, actor=superuser, street=elsewhere)

    assert _codes(error.value, "street") == ["street_has_records"]
    held.refresh_from_db()
    empty.refresh_from_db()
    assert (held.street, empty.street) == (street, elsewhere)


def _agreement_kwargs(area, partner, start, end=None) -> dict:
    return {
        "partner": partner,
        "area": area,
        "title": "共建协议",
        "partner_offers": "法治讲座",
        "start_date": start,
        "end_date": end,
    }


@pytest.fixture
def partner(area):
    return factories.OrganizationFactory(area=None, street=area.street, partner=True)


def test_agreement_create_saves_what_it_is_given_and_names_the_actor(secretary, area, partner):
    agreement = services.agreement_create(
        actor=secretary,
        area_offers="活动场地",
        **_agreement_kwargs(area, partner, datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)),
    )

    agreement.refresh_from_db()
    assert (agreement.partner, agreement.area, agreement.area_offers) == (partner, area, "活动场地")
    assert agreement.end_date == datetime.date(2026, 12, 31)
    row = agreement.history.get()
    assert (row.history_type, row.history_user) == ("+", secretary)


def test_agreement_create_refuses_an_area_the_actor_does_not_manage(secretary, other_area, partner):
    with pytest.raises(PermissionDenied):
        services.agreement_create(
            actor=secretary, **_agreement_kwargs(other_area, partner, datetime.date(2026, 1, 1))
        )
    assert not Agreement.objects.exists()


def test_agreement_create_refuses_a_second_agreement_of_the_pair_at_the_same_time(
    secretary, area, partner
):
    services.agreement_create(
        actor=secretary,
        **_agreement_kwargs(area, partner, datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)),
    )

    with pytest.raises(ValidationError) as error:
        services.agreement_create(
            actor=secretary, **_agreement_kwargs(area, partner, datetime.date(2025, 12, 31))
        )
    renewal = services.agreement_create(
        actor=secretary, **_agreement_kwargs(area, partner, datetime.date(2026, 1, 1))
    )

    assert error.value.code == "agreement_overlaps"
    assert error.value.params["start"] == "2025-01-01"
    assert Agreement.objects.count() == 2 and renewal.pk


def test_agreement_update_saves_what_it_is_given_and_keeps_the_rest(secretary, area, partner):
    agreement = factories.AgreementFactory(partner=partner, area=area, title="共建协议")

    services.agreement_update(agreement=agreement, actor=secretary, area_offers="党群服务站场地")

    agreement.refresh_from_db()
    assert (agreement.area_offers, agreement.title, agreement.partner) == (
        "党群服务站场地",
        "共建协议",
        partner,
    )
    row = agreement.history.latest()
    assert (row.history_type, row.history_user) == ("~", secretary)


def test_agreement_update_refuses_a_secretary_of_another_area(other_secretary, area, partner):
    agreement = factories.AgreementFactory(partner=partner, area=area, title="共建协议")

    with pytest.raises(PermissionDenied):
        services.agreement_update(agreement=agreement, actor=other_secretary, title="改名")

    agreement.refresh_from_db()
    assert agreement.title == "共建协议"


def test_agreement_update_refuses_a_move_to_an_area_the_actor_does_not_manage(
    secretary, area, other_area, partner
):
    agreement = factories.AgreementFactory(partner=partner, area=area)

    with pytest.raises(PermissionDenied):
        services.agreement_update(agreement=agreement, actor=secretary, area=other_area)

    agreement.refresh_from_db()
    assert agreement.area == area


def test_agreement_update_refuses_an_end_that_runs_into_the_renewal(secretary, area, partner):
    first = factories.AgreementFactory(
        partner=partner,
        area=area,
        start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2025, 12, 31),
    )
    factories.AgreementFactory(partner=partner, area=area, start_date=datetime.date(2026, 1, 1))

    with pytest.raises(ValidationError) as error:
        services.agreement_update(agreement=first, actor=secretary, end_date=None)

    assert error.value.code == "agreement_overlaps"
    first.refresh_from_db()
    assert first.end_date == datetime.date(2025, 12, 31)
