import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def area_event(street, area):
    """An event of the area, run by its residents' committee, with one booking."""
    committee = factories.OrganizationFactory(street=street, area=area, kind="residents_committee")
    event = factories.EventFactory(street=street, area=area, organising_unit=committee)
    session = factories.SessionFactory(event=event)
    factories.book(session, name="李桂兰", phone="13800002222", party_size=2)
    factories.book(session, name="=HYPERLINK(1)", phone="13800003333")
    return event


@pytest.fixture
def committee_secretary(area, area_event):
    person = factories.PersonFactory(area=area)
    factories.PostFactory(person=person, organization=area_event.organising_unit)
    return factories.secretary(area, person=person)


def _sheet_rows(response) -> list[list]:
    data = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_xlsx_export_matches_the_csv_for_the_organisers(client, area_event, committee_secretary):
    client.force_login(committee_secretary)

    rows = _sheet_rows(client.get(reverse("forums:event_export_xlsx", args=[area_event.slug])))
    csv_text = b"".join(
        client.get(reverse("forums:event_export", args=[area_event.slug])).streaming_content
    ).decode("utf-8-sig")

    assert len(rows) == 3 and len(rows[0]) == 7
    assert ["李桂兰", "13800002222"] in [row[-2:] for row in rows]
    assert csv_text.splitlines()[0].split(",") == rows[0]
    assert "=HYPERLINK(1)" in [row[-2] for row in rows]  # as text: the cell is no formula


@pytest.mark.parametrize("who", ["street_staff", "secretary"])
def test_xlsx_export_leaves_out_contacts_for_those_outside_the_unit(
    client, area_event, who, request
):
    client.force_login(request.getfixturevalue(who))

    response = client.get(reverse("forums:event_export_xlsx", args=[area_event.slug]))

    rows = _sheet_rows(response)
    assert len(rows[0]) == 5
    assert not any("13800002222" in str(cell) or "李桂兰" in str(cell) for r in rows for cell in r)


def test_xlsx_export_is_not_found_for_another_area(client, area_event, other_secretary):
    client.force_login(other_secretary)

    response = client.get(reverse("forums:event_export_xlsx", args=[area_event.slug]))

    assert response.status_code == 404
