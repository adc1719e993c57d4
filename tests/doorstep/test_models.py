import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from doorstep import hours
from doorstep.models import (
    ExceptionKind,
    OpeningPeriod,
    Station,
    validate_landline,
    validate_no_mobile,
)
from tests import factories

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")
T = datetime.time.fromisoformat


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=SH)


@pytest.mark.parametrize(
    "number",
    ["021-5888 1234", "58881234", "(021) 5888-1234", "021-58881234-802", "+86 21 5888 1234"],
)
def test_office_landlines_are_accepted(number):
    validate_landline(number)


@pytest.mark.parametrize(
    "number", ["13812345678", "138 1234 5678", "+86 139-1234-5678", "8613912345678"]
)
def test_mobile_numbers_are_refused_with_their_own_code(number):
    with pytest.raises(ValidationError) as error:
        validate_landline(number)
    assert error.value.code == "mobile_number"


def test_something_that_is_no_phone_number_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_landline("call the office")
    assert error.value.code == "invalid_landline"


@pytest.mark.parametrize(
    "text",
    [
        "有事请联系王老师13812345678",
        "联系电话 138 1234 5678",
        "call +86 139-1234-5678 in the evening",
        "电话:8613912345678。",
    ],
)
def test_free_text_with_a_mobile_number_is_refused(text):
    with pytest.raises(ValidationError) as error:
        validate_no_mobile(text)
    assert error.value.code == "mobile_number"


@pytest.mark.parametrize(
    "text",
    [
        "乘 81 路、630 路到东昌路站,2 号门进,电梯到 3 楼",
        "办公室电话 021-5888 1234,2026-12-11 13:00 起",
        "身份证、户口本;编号 202612111300",
    ],
)
def test_free_text_without_a_mobile_number_is_accepted(text):
    validate_no_mobile(text)


@pytest.mark.parametrize(
    ("model", "field"),
    [
        ("station", "directions"),
        ("service", "description"),
        ("service", "audience"),
        ("service", "place_address"),
        ("service", "what_to_bring"),
    ],
)
def test_the_free_text_of_stations_and_services_refuses_a_mobile_number(area, model, field):
    service = factories.ServiceFactory(station__area=area)
    record = service.station if model == "station" else service
    setattr(record, field, "请联系 13912345678")

    with pytest.raises(ValidationError) as error:
        record.full_clean()

    assert error.value.error_dict[field][0].code == "mobile_number"


def test_the_database_refuses_a_mobile_number_on_a_station(area):
    with pytest.raises(IntegrityError), transaction.atomic():
        Station.objects.create(area=area, name="站", address="路", phone="13912345678")


def test_a_period_must_close_after_it_opens_unless_it_runs_past_midnight(area):
    station = factories.StationFactory(area=area)
    with pytest.raises(IntegrityError), transaction.atomic():
        OpeningPeriod.objects.create(
            station=station, weekday=0, opens=T("20:00"), closes=T("02:00")
        )
    OpeningPeriod.objects.create(
        station=station, weekday=0, opens=T("20:00"), closes=T("02:00"), crosses_midnight=True
    )


def test_a_period_belongs_to_a_station_or_a_service_not_both(area):
    service = factories.ServiceFactory(station__area=area)
    with pytest.raises(IntegrityError), transaction.atomic():
        OpeningPeriod.objects.create(
            station=service.station, service=service, weekday=0, opens=T("09:00"), closes=T("10:00")
        )


def test_one_exception_per_date(area):
    station = factories.StationFactory(area=area)
    factories.day_exception(station, "2026-10-01", ExceptionKind.CLOSED)
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.day_exception(station, "2026-10-01", ExceptionKind.WORKS_LIKE, works_like=0)


def test_an_adjusted_working_day_names_its_weekday(area):
    station = factories.StationFactory(area=area)
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.day_exception(station, "2026-10-10", ExceptionKind.WORKS_LIKE)


def test_special_hours_need_both_times_in_order(area):
    station = factories.StationFactory(area=area)
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.day_exception(
            station, "2026-12-04", ExceptionKind.SPECIAL_HOURS, opens=T("19:00"), closes=T("13:00")
        )


def test_a_provider_from_another_area_is_refused(area, other_area):
    service = factories.ServiceFactory.build(
        station=factories.StationFactory(area=area),
        provider=factories.OrganizationFactory(area=other_area),
    )
    with pytest.raises(ValidationError) as error:
        service.full_clean()
    assert error.value.error_dict["provider"][0].code == "provider_outside_area"


def test_a_street_unit_may_provide_a_service_in_any_area(area):
    unit = factories.OrganizationFactory(area=None, street=area.street, partner=True)
    service = factories.ServiceFactory.build(
        station=factories.StationFactory(area=area), provider=unit
    )
    service.full_clean()


def test_a_service_without_own_hours_keeps_the_station_hours(area):
    service = factories.ServiceFactory(station__area=area)
    factories.opening(service.station, 1, "09:00", "17:00")

    assert service.schedule().periods == service.station.schedule().periods
    assert len(service.schedule().periods) == 1


def test_a_service_at_the_station_closes_on_the_station_holiday(area):
    service = factories.ServiceFactory(station__area=area)
    factories.opening(service, 3, "14:00", "16:00")  # Thursdays
    factories.day_exception(service.station, "2026-10-01", ExceptionKind.CLOSED)

    assert not hours.status_at(service.schedule(), at("2026-10-01 15:00")).is_open
    assert hours.status_at(service.schedule(), at("2026-10-08 15:00")).is_open


def test_a_service_elsewhere_keeps_its_own_hours_on_the_station_holiday(area):
    service = factories.ServiceFactory(
        station__area=area, at_station=False, place_name="小区南门岗亭"
    )
    factories.opening(service, 3, "20:00", "02:00")
    factories.day_exception(service.station, "2026-10-01", ExceptionKind.CLOSED)

    assert hours.status_at(service.schedule(), at("2026-10-01 21:00")).is_open


def test_a_service_with_its_own_hours_keeps_them_on_the_station_s_special_hours(area):
    service = factories.ServiceFactory(station__area=area)
    factories.opening(service, 1, "14:00", "16:30")  # Tuesdays
    factories.day_exception(
        service.station,
        "2026-12-11",
        ExceptionKind.SPECIAL_HOURS,
        opens=T("13:00"),
        closes=T("19:00"),
    )  # a Friday

    schedule = service.schedule()

    assert hours.intervals_on(schedule, datetime.date(2026, 12, 11)) == ()
    assert not hours.status_at(schedule, at("2026-12-11 15:00")).is_open
    assert hours.status_at(schedule, at("2026-12-15 15:00")).is_open


def test_a_service_with_its_own_hours_works_on_the_station_s_adjusted_working_day(area):
    service = factories.ServiceFactory(station__area=area)
    factories.opening(service, 0, "14:00", "16:00")  # Mondays
    factories.day_exception(service.station, "2026-10-10", ExceptionKind.WORKS_LIKE, works_like=0)

    assert hours.status_at(service.schedule(), at("2026-10-10 15:00")).is_open  # a Saturday


def test_a_service_s_own_exception_wins_over_the_station_s(area):
    service = factories.ServiceFactory(station__area=area)
    factories.opening(service, 3, "14:00", "16:00")  # Thursdays
    factories.day_exception(service.station, "2026-10-01", ExceptionKind.CLOSED)
    factories.day_exception(
        service, "2026-10-01", ExceptionKind.SPECIAL_HOURS, opens=T("09:00"), closes=T("11:00")
    )

    assert hours.status_at(service.schedule(), at("2026-10-01 10:00")).is_open


def test_a_service_keeping_the_station_hours_keeps_its_own_closure(area):
    service = factories.ServiceFactory(station__area=area)
    factories.opening(service.station, 1, "09:00", "17:00")  # Tuesdays
    factories.day_exception(service, "2026-12-01", ExceptionKind.CLOSED)
    factories.day_exception(service.station, "2026-12-08", ExceptionKind.CLOSED)

    schedule = service.schedule()

    assert not hours.status_at(schedule, at("2026-12-01 10:00")).is_open
    assert not hours.status_at(schedule, at("2026-12-08 10:00")).is_open
    assert hours.status_at(schedule, at("2026-12-15 10:00")).is_open


def test_a_service_keeping_the_station_hours_keeps_its_special_hours(area):
    service = factories.ServiceFactory(station__area=area)
    factories.opening(service.station, 1, "09:00", "17:00")  # Tuesdays
    factories.day_exception(
        service, "2026-12-01", ExceptionKind.SPECIAL_HOURS, opens=T("09:00"), closes=T("11:00")
    )

    assert not hours.status_at(service.schedule(), at("2026-12-01 15:00")).is_open


def test_a_service_elsewhere_with_one_off_sessions_only_is_not_by_arrangement(area):
    service = factories.ServiceFactory(station__area=area, at_station=False, place_name="小区广场")
    factories.day_exception(
        service, "2026-12-05", ExceptionKind.SPECIAL_HOURS, opens=T("09:00"), closes=T("11:00")
    )

    status = hours.status_or_none(service.schedule(), at("2026-12-01 10:00"))

    assert status == hours.Status(is_open=False, opens_at=at("2026-12-05 09:00"))


def test_a_service_elsewhere_names_its_place(area):
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.ServiceFactory(station__area=area, at_station=False, place_name="")


def test_stale_stations_are_those_not_updated_for_90_days(area, other_area):
    fresh = factories.StationFactory(area=area)
    old = factories.StationFactory(area=other_area)
    Station.objects.filter(pk=old.pk).update(
        updated_at=old.updated_at - datetime.timedelta(days=91)
    )

    assert list(Station.objects.stale()) == [old]
    assert fresh not in Station.objects.stale()
