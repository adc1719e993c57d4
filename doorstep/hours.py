"""Opening hours: whether a schedule is open at a moment, and when it next opens or closes.

Pure functions over plain values, no database: a weekly schedule of periods (a period whose
closing time is not after its opening time runs past midnight into the next day) and
exceptions by date (closed, works like another weekday, or special hours). Every moment is read
in Asia/Shanghai time, whatever the server's zone; ``now`` is always given by the caller.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
CLOSED = "closed"
WORKS_LIKE = "works_like"
SPECIAL_HOURS = "special_hours"
# How far ahead "opens at ..." looks: three weeks cover the longest holiday (Spring Festival).
LOOKAHEAD_DAYS = 21

T = TypeVar("T")


@dataclass(frozen=True)
class Period:
    """Open on ``weekday`` (0 = Monday) from ``opens`` to ``closes``; past midnight if
    ``closes <= opens``."""

    weekday: int
    opens: datetime.time
    closes: datetime.time


@dataclass(frozen=True)
class DayRule:
    """An exception for one date: closed, works like ``weekday``, or open ``opens``-``closes``."""

    kind: str
    weekday: int | None = None
    opens: datetime.time | None = None
    closes: datetime.time | None = None
    note: str = ""


@dataclass(frozen=True)
class Schedule:
    periods: tuple[Period, ...] = ()
    exceptions: Mapping[datetime.date, DayRule] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not self.periods and not any(
            rule.kind == SPECIAL_HOURS for rule in self.exceptions.values()
        )

    @property
    def regular_week(self) -> list["DayGroup"]:
        """The weekly hours grouped for display; empty when there are none (by arrangement)."""
        return grouped_week(self.periods) if self.periods else []


@dataclass(frozen=True)
class Interval:
    start: datetime.datetime
    end: datetime.datetime


@dataclass(frozen=True)
class Status:
    """Open now (and until when), or closed (and when it opens next, if within the lookahead)."""

    is_open: bool
    closes_at: datetime.datetime | None = None
    opens_at: datetime.datetime | None = None


@dataclass(frozen=True)
class Day:
    date: datetime.date
    intervals: tuple[Interval, ...]
    rule: DayRule | None


def _span(day: datetime.date, opens: datetime.time, closes: datetime.time) -> Interval:
    start = datetime.datetime.combine(day, opens, tzinfo=SHANGHAI)
    end_day = day + datetime.timedelta(days=1) if closes <= opens else day
    return Interval(start, datetime.datetime.combine(end_day, closes, tzinfo=SHANGHAI))


def intervals_on(schedule: Schedule, day: datetime.date) -> tuple[Interval, ...]:
    """The periods that start on ``day`` (one may end the next day), exceptions applied."""
    rule = schedule.exceptions.get(day)
    weekday = day.weekday()
    if rule is not None:
        if rule.kind == CLOSED:
            return ()
        if rule.kind == SPECIAL_HOURS and rule.opens and rule.closes:
            return (_span(day, rule.opens, rule.closes),)
        if rule.kind == WORKS_LIKE and rule.weekday is not None:
            weekday = rule.weekday
    spans = [_span(day, p.opens, p.closes) for p in schedule.periods if p.weekday == weekday]
    return tuple(sorted(spans, key=lambda interval: interval.start))


def _intervals(schedule: Schedule, first: datetime.date, days: int) -> list[Interval]:
    """Intervals starting from ``first`` for ``days`` days, overlapping ones merged."""
    spans = [
        interval
        for offset in range(days)
        for interval in intervals_on(schedule, first + datetime.timedelta(days=offset))
    ]
    spans.sort(key=lambda interval: interval.start)
    merged: list[Interval] = []
    for interval in spans:
        if merged and interval.start <= merged[-1].end:
            if interval.end > merged[-1].end:
                merged[-1] = Interval(merged[-1].start, interval.end)
        else:
            merged.append(interval)
    return merged


def _local(now: datetime.datetime) -> datetime.datetime:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be an aware datetime")
    return now.astimezone(SHANGHAI)


def status_at(schedule: Schedule, now: datetime.datetime) -> Status:
    """Whether the schedule is open at ``now``; when it closes, or when it opens next."""
    now = _local(now)
    # Yesterday's periods may run past midnight into today.
    first = now.date() - datetime.timedelta(days=1)
    for interval in _intervals(schedule, first, LOOKAHEAD_DAYS + 1):
        if interval.start <= now < interval.end:
            return Status(is_open=True, closes_at=interval.end)
        if interval.start > now:
            return Status(is_open=False, opens_at=interval.start)
    return Status(is_open=False)


def status_or_none(schedule: Schedule, now: datetime.datetime) -> Status | None:
    """The status, or None for a schedule without any hours (a service by arrangement)."""
    return None if schedule.is_empty else status_at(schedule, now)


def is_open_between(schedule: Schedule, start: datetime.datetime, end: datetime.datetime) -> bool:
    """Whether the schedule is open at any moment from ``start`` to ``end``."""
    start, end = _local(start), _local(end)
    first = start.date() - datetime.timedelta(days=1)
    days = (end.date() - first).days + 1
    return any(i.start < end and i.end > start for i in _intervals(schedule, first, days))


def is_open_in_next_days(schedule: Schedule, now: datetime.datetime, days: int = 7) -> bool:
    return is_open_between(schedule, now, now + datetime.timedelta(days=days))


def week(schedule: Schedule, first: datetime.date) -> list[Day]:
    """Seven days from ``first``: each day's periods (exceptions applied) and its exception."""
    days = []
    for offset in range(7):
        day = first + datetime.timedelta(days=offset)
        days.append(Day(day, intervals_on(schedule, day), schedule.exceptions.get(day)))
    return days


def weekly_hours(periods: Iterable[Period]) -> list[tuple[int, list[Period]]]:
    """The regular week, Monday to Sunday, each day's periods in order."""
    periods = list(periods)
    return [
        (weekday, sorted((p for p in periods if p.weekday == weekday), key=lambda p: p.opens))
        for weekday in range(7)
    ]


@dataclass(frozen=True)
class DayGroup:
    """Consecutive weekdays with the same periods, e.g. Monday to Friday 08:30-17:00."""

    first: int
    last: int
    periods: tuple[Period, ...]

    @property
    def is_closed(self) -> bool:
        return not self.periods


def grouped_week(periods: Iterable[Period]) -> list[DayGroup]:
    """The regular week in as few lines as possible, for a notice in the stairwell."""
    groups: list[DayGroup] = []
    for weekday, day_periods in weekly_hours(periods):
        times = tuple(Period(0, p.opens, p.closes) for p in day_periods)
        if groups and tuple(Period(0, p.opens, p.closes) for p in groups[-1].periods) == times:
            groups[-1] = DayGroup(groups[-1].first, weekday, groups[-1].periods)
        else:
            groups.append(DayGroup(weekday, weekday, tuple(day_periods)))
    return groups


def next_openings(
    items: Iterable[tuple[T, Schedule]], now: datetime.datetime, limit: int = 3
) -> list[tuple[T, datetime.datetime]]:
    """Of ``items`` closed at ``now``, the ``limit`` that open soonest (within the lookahead),
    each with its opening moment; items open now or without hours are left out."""
    found = []
    for item, schedule in items:
        status = status_at(schedule, now)
        if not status.is_open and status.opens_at is not None:
            found.append((item, status.opens_at))
    found.sort(key=lambda pair: pair[1])
    return found[:limit]
