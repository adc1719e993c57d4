import datetime

import pytest
from django.urls import reverse

from doorstep.models import Service, Station
from residents.models import Street
from tests import factories

pytestmark = pytest.mark.django_db


def _url(model, action, *args):
    return reverse(f"admin:doorstep_{model._meta.model_name}_{action}", args=args)


@pytest.mark.parametrize("model", [Station, Service], ids=lambda m: m.__name__)
def test_street_staff_keep_their_street_s_stations_and_services_in_the_admin(client, demo, model):
    client.force_login(factories.street_staff(Street.objects.get(slug="lujiazui")))

    changelist = client.get(_url(model, "changelist"))

    assert changelist.status_code == 200
    assert len(changelist.context["cl"].result_list) == model.objects.count()
    assert client.get(_url(model, "add")).status_code == 200
    assert client.get(_url(model, "change", model.objects.first().pk)).status_code == 200


def test_another_street_s_staff_see_none_of_them(client, demo):
    client.force_login(factories.street_staff(factories.StreetFactory()))

    response = client.get(_url(Station, "changelist"))

    assert list(response.context["cl"].result_list) == []
    station = Station.objects.first()
    assert client.get(_url(Station, "change", station.pk)).status_code == 302  # not found


def test_the_admin_lists_stations_not_updated_for_90_days(client, demo):
    client.force_login(factories.street_staff(Street.objects.get(slug="lujiazui")))

    response = client.get(_url(Station, "changelist"), {"stale": "yes"})

    assert [s.area.slug for s in response.context["cl"].result_list] == ["renheng"]


def _service_change_data(service: Service, **fields) -> dict:
    data = {
        "station": service.station_id,
        "title": service.title,
        "category": service.category,
        "description": service.description,
        "audience": service.audience,
        "provider": service.provider_id,
        "at_station": "on",
        "place_name": "",
        "place_address": "",
        "access": service.access,
        "what_to_bring": "",
    }
    for prefix in ("periods", "exceptions"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    data.update(fields)
    return data


def _make_stale(station: Station) -> None:
    Station.objects.filter(pk=station.pk).update(
        updated_at=station.updated_at - datetime.timedelta(days=200)
    )
    assert Station.objects.stale().filter(pk=station.pk).exists()


def test_saving_a_service_in_the_admin_counts_as_updating_its_station(client, area, street_staff):
    service = factories.ServiceFactory(station__area=area)
    _make_stale(service.station)
    client.force_login(street_staff)

    response = client.post(
        _url(Service, "change", service.pk), _service_change_data(service, title="新标题")
    )

    assert response.status_code == 302
    service.refresh_from_db()
    assert service.title == "新标题"
    assert not Station.objects.stale().exists()


def test_removing_a_service_in_the_admin_counts_as_updating_its_station(client, area, street_staff):
    service = factories.ServiceFactory(station__area=area)
    _make_stale(service.station)
    client.force_login(street_staff)

    response = client.post(_url(Service, "delete", service.pk), {"post": "yes"})

    assert response.status_code == 302
    assert not Service.objects.filter(pk=service.pk).exists()
    assert not Station.objects.stale().exists()


def test_removing_services_in_bulk_in_the_admin_counts_as_updating_their_station(
    client, area, street_staff
):
    service = factories.ServiceFactory(station__area=area)
    _make_stale(service.station)
    client.force_login(street_staff)

    response = client.post(
        _url(Service, "changelist"),
        {"action": "delete_selected", "_selected_action": [service.pk], "post": "yes"},
    )

    assert response.status_code == 302
    assert not Service.objects.filter(pk=service.pk).exists()
    assert not Station.objects.stale().exists()


def test_renaming_a_station_in_the_admin_renames_its_services_in_the_search(
    client, area, street_staff
):
    service = factories.ServiceFactory(station__area=area, title="助餐服务")
    station = service.station
    client.force_login(street_staff)
    data = {
        "area": area.pk,
        "name": "崂三钢瓶回收站",
        "address": station.address,
        "directions": "",
        "phone": station.phone,
    }
    for prefix in ("periods", "exceptions"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}

    response = client.post(_url(Station, "change", station.pk), data)

    assert response.status_code == 302, response.context["adminform"].errors
    found = client.get(reverse("forums:search"), {"q": "钢瓶"}).context["page_obj"]
    assert [(entry.kind, entry.object_id) for entry in found] == [("service", service.pk)]


def test_a_station_added_in_the_admin_is_saved_with_its_hours(client, area, street_staff):
    client.force_login(street_staff)
    data = {
        "area": area.pk,
        "name": "新站",
        "address": "服务路 1 号",
        "directions": "",
        "phone": "021-5888 1234",
        "periods-TOTAL_FORMS": "1",
        "periods-INITIAL_FORMS": "0",
        "periods-0-weekday": "2",
        "periods-0-opens": "09:00",
        "periods-0-closes": "11:00",
        "exceptions-TOTAL_FORMS": "0",
        "exceptions-INITIAL_FORMS": "0",
    }

    response = client.post(_url(Station, "add"), data)

    assert response.status_code == 302, response.context["adminform"].errors
    station = Station.objects.get(name="新站")
    assert [(p.weekday, p.closes) for p in station.periods.all()] == [(2, datetime.time(11, 0))]


def test_a_service_added_in_the_admin_counts_as_updating_its_station(client, area, street_staff):
    station = factories.StationFactory(area=area)
    _make_stale(station)
    provider = factories.OrganizationFactory(area=area)
    client.force_login(street_staff)
    draft = factories.ServiceFactory.build(station=station, provider=provider, title="新服务")

    response = client.post(_url(Service, "add"), _service_change_data(draft))

    assert response.status_code == 302, response.context["adminform"].errors
    assert Service.objects.get(title="新服务").station == station
    assert not Station.objects.stale().exists()
