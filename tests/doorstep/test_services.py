"""The doorstep services: a station or service saved with its hours, whole or not at all."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from doorstep import services
from doorstep.hours import CLOSED, SPECIAL_HOURS, DayRule, Period, Schedule
from doorstep.models import OpeningPeriod, ScheduleException, Service, Station
from tests import factories

pytestmark = pytest.mark.django_db

T = datetime.time.fromisoformat
NATIONAL_DAY = datetime.date(2026, 10, 1)
# Special hours that close before they open: the database refuses them.
WRONG_DAY = {NATIONAL_DAY: DayRule(SPECIAL_HOURS, opens=T("14:00"), closes=T("10:00"))}


def _make_stale(station: Station) -> None:
    Station.objects.filter(pk=station.pk).update(
        updated_at=station.updated_at - datetime.timedelta(days=200)
    )


def test_station_create_opens_a_station_with_its_hours(area, secretary):
    hours = Schedule(
        periods=(Period(0, T("09:00"), T("17:00")), Period(4, T("20:00"), T("02:00"))),
        exceptions={NATIONAL_DAY: DayRule(CLOSED, note="国庆节")},
    )

    station = services.station_create(
        actor=secretary,
        area=area,
        name="新站",
        address="服务路 1 号",
        phone="021-5888 1234",
        hours=hours,
    )

    assert Station.objects.get(pk=station.pk).schedule() == hours
    assert OpeningPeriod.objects.get(station=station, weekday=4).crosses_midnight


def test_station_update_keeps_what_it_is_not_given(area, secretary):
    station = factories.StationFactory(area=area, address="服务路 9 号", directions="二楼")
    period = factories.opening(station, 0, "09:00", "17:00")

    services.station_update(station=station, actor=secretary, name="改名站")

    station.refresh_from_db()
    assert (station.name, station.address, station.directions, station.phone) == (
        "改名站",
        "服务路 9 号",
        "二楼",
        "021-5888 1234",
    )
    assert list(OpeningPeriod.objects.filter(station=station)) == [period]


def test_station_update_with_hours_replaces_the_stored_ones(area, secretary):
    station = factories.StationFactory(area=area)
    factories.opening(station, 0, "09:00", "17:00")
    factories.day_exception(station, "2026-10-02", CLOSED)
    hours = Schedule(periods=(Period(2, T("14:00"), T("16:00")),))

    services.station_update(station=station, actor=secretary, hours=hours)

    assert Station.objects.get(pk=station.pk).schedule() == hours


def test_saving_a_station_unchanged_counts_as_keeping_it_current(area, secretary):
    station = factories.StationFactory(area=area)
    _make_stale(station)

    services.station_update(station=station, actor=secretary)

    assert not Station.objects.stale().exists()


def test_a_station_with_wrong_hours_is_not_saved_at_all(area, secretary):
    station = factories.StationFactory(area=area, name="原名站")
    period = factories.opening(station, 0, "09:00", "17:00")

    with pytest.raises(ValidationError):
        services.station_update(
            station=station, actor=secretary, name="新名站", hours=Schedule(exceptions=WRONG_DAY)
        )

    station.refresh_from_db()
    assert station.name == "原名站"
    assert list(OpeningPeriod.objects.filter(station=station)) == [period]
    assert not ScheduleException.objects.exists()


def test_a_new_station_with_wrong_hours_is_not_created(area, secretary):
    with pytest.raises(ValidationError):
        services.station_create(
            actor=secretary,
            area=area,
            name="新站",
            address="服务路 1 号",
            phone="021-5888 1234",
            hours=Schedule(exceptions=WRONG_DAY),
        )

    assert not Station.objects.exists()


def test_a_secretary_cannot_move_their_station_to_another_area(area, other_area, secretary):
    station = factories.StationFactory(area=area)

    with pytest.raises(PermissionDenied):
        services.station_update(station=station, actor=secretary, area=other_area)

    station.refresh_from_db()
    assert station.area == area


def test_service_create_offers_a_service_at_a_station_with_its_hours(area, secretary):
    station = factories.StationFactory(area=area)
    _make_stale(station)
    provider = factories.OrganizationFactory(area=area)
    hours = Schedule(periods=(Period(1, T("14:00"), T("16:30")),))

    service = services.service_create(
        actor=secretary,
        station=station,
        title="法律咨询",
        category="legal",
        provider=provider,
        access="walk_in",
        hours=hours,
    )

    assert [(p.weekday, p.opens, p.closes) for p in service.periods.all()] == [
        (1, T("14:00"), T("16:30"))
    ]
    assert not Station.objects.stale().exists()


def test_a_service_is_offered_only_at_a_station_the_actor_manages(area, other_area, secretary):
    station = factories.StationFactory(area=other_area)
    provider = factories.OrganizationFactory(area=other_area)

    with pytest.raises(PermissionDenied):
        services.service_create(
            actor=secretary,
            station=station,
            title="法律咨询",
            category="legal",
            provider=provider,
            access="walk_in",
        )

    assert not Service.objects.exists()


def test_service_update_keeps_what_it_is_not_given(area, secretary):
    service = factories.ServiceFactory(
        station__area=area, description="律师坐班", what_to_bring="身份证"
    )
    period = factories.opening(service, 1, "14:00", "16:00")

    services.service_update(service=service, actor=secretary, title="新标题")

    service.refresh_from_db()
    assert (service.title, service.description, service.what_to_bring) == (
        "新标题",
        "律师坐班",
        "身份证",
    )
    assert list(service.periods.all()) == [period]


def test_a_service_with_wrong_hours_is_not_saved_at_all(area, secretary):
    service = factories.ServiceFactory(station__area=area, title="原标题")
    _make_stale(service.station)

    with pytest.raises(ValidationError):
        services.service_update(
            service=service, actor=secretary, title="新标题", hours=Schedule(exceptions=WRONG_DAY)
        )

    service.refresh_from_db()
    assert service.title == "原标题"
    assert not ScheduleException.objects.exists()
    assert Station.objects.stale().exists()
