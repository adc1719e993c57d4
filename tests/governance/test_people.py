"""People's records: created and changed by those who manage their area or street."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from governance import services
from residents.models import Person
from tests import factories

pytestmark = pytest.mark.django_db


def test_person_create_saves_what_it_is_given(secretary, area):
    person = services.person_create(
        actor=secretary,
        name="王阿姨",
        area=area,
        phone="13900000000",
        address="3号楼201室",
        note="楼组长",
    )

    person.refresh_from_db()
    assert (person.name, person.area, person.street) == ("王阿姨", area, area.street)
    assert (person.phone, person.address, person.note) == ("13900000000", "3号楼201室", "楼组长")


def test_person_create_refuses_an_area_the_actor_does_not_manage(secretary, other_area):
    with pytest.raises(PermissionDenied):
        services.person_create(actor=secretary, name="王阿姨", area=other_area)
    assert not Person.objects.filter(name="王阿姨").exists()


def test_person_create_without_an_area_needs_a_street_office(area):
    outsider = factories.UserFactory(street=None)

    with pytest.raises(ValidationError) as error:
        services.person_create(actor=outsider, name="王阿姨")

    assert error.value.error_dict["area"][0].code == "area_required"


def test_person_create_puts_a_person_without_an_area_in_the_staff_street(street_staff, street):
    person = services.person_create(actor=street_staff, name="街道联络员")
    assert (person.area, person.street) == (None, street)


def test_person_update_saves_what_it_is_given_and_keeps_the_rest(secretary, area):
    person = factories.PersonFactory(area=area, phone="13900000000", note="楼组长")

    services.person_update(person=person, actor=secretary, name="王阿姨", address="5号楼101室")

    person.refresh_from_db()
    assert (person.name, person.address) == ("王阿姨", "5号楼101室")
    assert (person.area, person.phone, person.note) == (area, "13900000000", "楼组长")


def test_person_update_refuses_a_secretary_of_another_area(other_secretary, area):
    person = factories.PersonFactory(area=area, name="王阿姨")

    with pytest.raises(PermissionDenied):
        services.person_update(person=person, actor=other_secretary, name="李阿姨")

    person.refresh_from_db()
    assert person.name == "王阿姨"


def test_person_update_refuses_a_move_to_an_area_the_actor_does_not_manage(
    secretary, area, other_area
):
    person = factories.PersonFactory(area=area)

    with pytest.raises(PermissionDenied):
        services.person_update(person=person, actor=secretary, area=other_area)

    person.refresh_from_db()
    assert person.area == area


def test_person_update_moves_a_person_to_another_street_area_with_its_street(street_staff, area):
    person = factories.PersonFactory(area=None, street=area.street)

    services.person_update(person=person, actor=street_staff, area=area)

    person.refresh_from_db()
    assert (person.area, person.street) == (area, area.street)


def test_the_person_page_saves_the_changes(client, secretary, area):
    person = factories.PersonFactory(area=area, name="王阿姨")
    client.force_login(secretary)

    response = client.post(
        reverse("governance:person_update", args=[person.pk]),
        {"name": "李阿姨", "area": area.pk, "phone": "13900000001"},
    )

    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.name, person.phone) == ("李阿姨", "13900000001")
