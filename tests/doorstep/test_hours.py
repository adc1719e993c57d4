"""The opening-hours computation on a fixed clock: holidays, adjusted working days, periods past
midnight, and when a closed schedule opens next."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from doorstep import hours
from doorstep.hours import CLOSED, SPECIAL_HOURS, WORKS_LIKE, DayRule, Period, Schedule

SH = ZoneInfo("Asia/Shanghai")
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
T = datetime.time.fromisoformat


def at(text: str) -> datetime.datetime:
    """A moment in Shanghai, e.g. ``at("2026-12-01 10:00")`` (a Tuesday)."""
    return datetime.datetime.fromisoformat(text).replace(tzinfo=SH)


def station(**exceptions: DayRule) -> Schedule:
    """Weekdays 08:30-11:30 and 13:00-17:00, Saturday 09:00-12:00."""
    periods = [Period(day, T("08:30"), T("11:30")) for day in range(5)]
    periods += [Period(day, T("13:00"), T("17:00")) for day in range(5)]
    periods += [Period(SAT, T("09:00"), T("12:00"))]
    return Schedule(
        tuple(periods), {datetime.date.fromisoformat(k[1:]): v for k, v in exceptions.items()}
    )


def test_open_on_a_weekday_morning_until_the_lunch_break():
    status = hours.status_at(station(), at("2026-12-01 10:00"))

    assert status == hours.Status(is_open=True, closes_at=at("2026-12-01 11:30"))


def test_closed_at_lunch_opens_again_the_same_afternoon():
    status = hours.status_at(station(), at("2026-12-01 12:15"))

    assert not status.is_open
    assert status.opens_at == at("2026-12-01 13:00")


def test_the_closing_minute_is_already_closed():
    assert not hours.status_at(station(), at("2026-12-01 17:00")).is_open
    assert hours.status_at(station(), at("2026-12-01 16:59")).is_open


def test_a_public_holiday_closes_a_working_day_and_opens_after_it():
    national_day = {f"d2026-10-0{day}": DayRule(CLOSED, note="国庆节") for day in range(1, 8)}
    schedule = station(**national_day)

    status = hours.status_at(schedule, at("2026-10-01 10:00"))  # a Thursday

    assert not status.is_open
    assert status.opens_at == at("2026-10-08 08:30")  # the Thursday after the holiday


def test_an_adjusted_working_day_works_like_its_weekday():
    saturday = "2026-10-10 15:00"
    assert not hours.status_at(station(), at(saturday)).is_open  # Saturdays close at noon

    adjusted = station(**{"d2026-10-10": DayRule(WORKS_LIKE, weekday=MON)})
    status = hours.status_at(adjusted, at(saturday))

    assert status == hours.Status(is_open=True, closes_at=at("2026-10-10 17:00"))


def test_on_the_evening_before_an_adjusted_working_day_it_opens_that_morning():
    adjusted = station(**{"d2026-10-11": DayRule(WORKS_LIKE, weekday=MON)})  # a Sunday

    status = hours.status_at(adjusted, at("2026-10-10 18:00"))

    assert status.opens_at == at("2026-10-11 08:30")


def test_special_hours_replace_the_day():
    schedule = station(
        **{"d2026-12-04": DayRule(SPECIAL_HOURS, opens=T("13:00"), closes=T("19:00"))}
    )

    assert not hours.status_at(schedule, at("2026-12-04 09:00")).is_open
    assert hours.status_at(schedule, at("2026-12-04 18:30")).closes_at == at("2026-12-04 19:00")


def test_a_service_across_midnight_is_open_after_midnight_until_it_closes():
    night_duty = Schedule((Period(FRI, T("20:00"), T("02:00")),))

    after_midnight = hours.status_at(night_duty, at("2026-12-05 01:00"))  # Saturday
    later = hours.status_at(night_duty, at("2026-12-05 03:00"))

    assert after_midnight == hours.Status(is_open=True, closes_at=at("2026-12-05 02:00"))
    assert not later.is_open
    assert later.opens_at == at("2026-12-11 20:00")  # next week's Friday


def test_a_holiday_on_the_next_day_does_not_cut_short_the_night_before():
    night_duty = Schedule(
        (Period(WED, T("20:00"), T("02:00")), Period(THU, T("20:00"), T("02:00"))),
        {datetime.date(2026, 10, 1): DayRule(CLOSED)},  # a Thursday
    )

    assert hours.status_at(night_duty, at("2026-10-01 01:30")).is_open  # Wednesday's night
    assert not hours.status_at(night_duty, at("2026-10-01 21:00")).is_open


def test_nightly_periods_are_one_stretch_when_they_meet():
    nightly = Schedule((Period(MON, T("20:00"), T("00:00")), Period(TUE, T("00:00"), T("06:00"))))

    status = hours.status_at(nightly, at("2026-11-30 23:00"))  # a Monday

    assert status.closes_at == at("2026-12-01 06:00")


def test_opens_the_next_day_after_closing_time():
    status = hours.status_at(station(), at("2026-12-01 18:00"))  # Tuesday evening

    assert status.opens_at == at("2026-12-02 08:30")


def test_opens_next_week_after_the_weekend():
    weekdays_only = Schedule(tuple(Period(day, T("09:00"), T("17:00")) for day in range(5)))

    status = hours.status_at(weekdays_only, at("2026-12-05 10:00"))  # Saturday

    assert status.opens_at == at("2026-12-07 09:00")  # Monday


def test_now_is_read_in_shanghai_time_whatever_its_zone():
    utc = datetime.datetime(2026, 12, 1, 2, 0, tzinfo=datetime.UTC)  # 10:00 in Shanghai

    assert hours.status_at(station(), utc).is_open
    assert not hours.status_at(station(), utc + datetime.timedelta(hours=8)).is_open


def test_a_naive_now_is_refused():
    with pytest.raises(ValueError, match="aware"):
        hours.status_at(station(), datetime.datetime(2026, 12, 1, 10, 0))  # noqa: DTZ001


def test_no_hours_never_opens():
    assert hours.status_at(Schedule(), at("2026-12-01 10:00")) == hours.Status(is_open=False)


def test_open_this_week_looks_seven_days_ahead():
    legal_advice = Schedule((Period(TUE, T("14:00"), T("16:30")),))
    wednesday = at("2026-12-02 10:00")

    assert hours.is_open_in_next_days(legal_advice, wednesday)
    closed_next_tuesday = Schedule(
        legal_advice.periods, {datetime.date(2026, 12, 8): DayRule(CLOSED)}
    )
    assert not hours.is_open_in_next_days(closed_next_tuesday, wednesday)


def test_open_between_counts_a_period_already_running():
    assert hours.is_open_between(station(), at("2026-12-01 11:00"), at("2026-12-01 11:10"))
    assert not hours.is_open_between(station(), at("2026-12-01 11:30"), at("2026-12-01 13:00"))


def test_the_week_shows_each_day_with_its_exception():
    schedule = station(**{"d2026-10-01": DayRule(CLOSED, note="国庆节")})

    days = hours.week(schedule, datetime.date(2026, 9, 28))

    assert [day.date.day for day in days] == [28, 29, 30, 1, 2, 3, 4]
    assert days[3].intervals == () and days[3].rule.note == "国庆节"
    assert days[0].intervals[0].start == at("2026-09-28 08:30")
    assert days[6].intervals == ()  # Sunday


def test_the_week_groups_days_with_the_same_hours():
    groups = hours.grouped_week(station().periods)

    assert [(g.first, g.last, len(g.periods)) for g in groups] == [
        (MON, FRI, 2),
        (SAT, SAT, 1),
        (SUN, SUN, 0),
    ]
    assert groups[2].is_closed


def test_a_schedule_without_hours_has_no_status():
    assert hours.status_or_none(Schedule(), at("2026-12-01 10:00")) is None
    assert hours.status_or_none(station(), at("2026-12-01 10:00")).is_open
