import pytest

from governance import services
from governance.models import OrganizationKind
from tests import factories


@pytest.fixture
def lead_unit(street):
    return factories.OrganizationFactory(
        street=street, area=None, kind=OrganizationKind.REGIONAL_UNIT
    )


@pytest.fixture
def assisting_unit(area):
    return factories.OrganizationFactory(area=area, kind=OrganizationKind.RESIDENTS_COMMITTEE)


@pytest.fixture
def unrelated_unit(street):
    return factories.OrganizationFactory(
        street=street, area=None, kind=OrganizationKind.SOCIAL_ORGANIZATION
    )


@pytest.fixture
def lead_liaison(lead_unit):
    return factories.liaison(lead_unit, email="lead@example.org")


@pytest.fixture
def assisting_liaison(assisting_unit):
    return factories.liaison(assisting_unit)


@pytest.fixture
def unrelated_liaison(unrelated_unit):
    return factories.liaison(unrelated_unit)


@pytest.fixture
def case(area, secretary, lead_unit, assisting_unit, lead_liaison, assisting_liaison):
    """A case of the area, logged by its secretary, with a lead and an assisting party."""
    case = factories.case(
        area,
        actor=secretary,
        reporter_name="王秀英",
        reporter_phone="13912345678",
        location="崂山三村12号楼302室",
    )
    services.case_set_parties(
        case=case, actor=secretary, lead=lead_unit, assisting=[assisting_unit]
    )
    return case
