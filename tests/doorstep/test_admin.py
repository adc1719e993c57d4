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
