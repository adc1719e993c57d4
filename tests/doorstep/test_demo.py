import datetime
import io

import pytest
from django.apps import apps
from django.core.management import call_command

from demo.doorstep import LAW_FIRM
from doorstep.models import Category, ExceptionKind, ScheduleException, Service, Station
from governance.models import Tier

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_once")]


def _row_counts() -> dict[str, int]:
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_app_config("doorstep").get_models()
    }


def test_the_demo_loads_a_station_in_each_area_with_six_services_or_more(demo):
    stations = Station.objects.select_related("area")
    assert sorted(s.area.short_name for s in stations) == sorted(
        ["崂三", "市新", "乳五", "东一", "仁恒"]
    )
    for station in stations:
        assert station.services.count() >= 6, station
        assert station.periods.exists()


def test_several_demo_services_come_from_partner_units(demo):
    by_partners = Service.objects.filter(
        provider__kind__in=[
            "regional_unit",
            "social_organization",
            "mass_organization",
            "volunteer_team",
        ]
    )
    assert by_partners.count() >= 10
    assert all(service.provider.tier == Tier.N for service in by_partners)
    legal = Service.objects.filter(provider__name=LAW_FIRM, category=Category.LEGAL)
    assert legal.count() == 5
    assert all(service.periods.count() == 1 for service in legal)  # weekly


def test_the_demo_stations_keep_the_2026_holidays_and_adjusted_working_days(demo):
    laosan = Station.objects.get(area__slug="laosan")
    assert laosan.exceptions.get(date=datetime.date(2026, 10, 1)).kind == ExceptionKind.CLOSED
    adjusted = laosan.exceptions.get(date=datetime.date(2026, 10, 10))
    assert adjusted.kind == ExceptionKind.WORKS_LIKE and adjusted.works_like == 0
    assert ScheduleException.objects.filter(kind=ExceptionKind.SPECIAL_HOURS).count() == 5


def test_the_demo_has_a_service_across_midnight_and_a_stale_station(demo):
    night = Service.objects.get(title="夜间平安值守")
    assert not night.at_station
    assert night.periods.filter(crosses_midnight=True).count() == 7
    assert list(Station.objects.stale().values_list("area__slug", flat=True)) == ["renheng"]


def test_loading_the_demo_again_changes_no_doorstep_row_count(demo):
    first = _row_counts()
    call_command("load_demo", force=True, stdout=io.StringIO())
    assert _row_counts() == first
    assert first["doorstep.Service"] >= 30
