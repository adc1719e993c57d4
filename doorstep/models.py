"""Doorstep services (家门口服务): each area's service stations, the services the 1+3+N offer
there or nearby, and when they are open.

A station and a service each have their own weekly opening periods and exceptions by date; the
hours module computes "open now" and "opens at ..." from them. Only public office landlines are
stored: a mainland mobile number is refused by the form and by the database.
"""

import datetime
import re
from typing import Self

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.history import HistoricalTrail
from caching.versions import InvalidatingQuerySet
from doorstep import hours
from governance.models import Organization
from residents.models import ResidentialArea, User

STALE_AFTER_DAYS = 90
MOBILE_DIGITS = r"(\+?86)?1[3-9][0-9]{9}"
MOBILE = re.compile(rf"^{MOBILE_DIGITS}$")
MOBILE_IN_TEXT = re.compile(rf"(?<![0-9]){MOBILE_DIGITS}(?![0-9])")
LANDLINE = re.compile(r"^((\+?86-?)?0?[1-9][0-9]{1,2}-?)?[0-9]{7,8}(-[0-9]{1,6})?$")


def validate_landline(value: str) -> None:
    """A public office landline such as 021-5888 1234; never a personal mobile number."""
    compact = re.sub(r"[\s()]", "", value)
    if MOBILE.match(compact.replace("-", "")):
        raise ValidationError(
            _(
                "This is a mobile number. Only a public office landline may be shown to "
                "residents, e.g. 021-5888 1234."
            ),
            code="mobile_number",
        )
    if not LANDLINE.match(compact):
        raise ValidationError(
            _("Enter an office landline, e.g. 021-5888 1234 or 5888 1234."),
            code="invalid_landline",
        )


def validate_no_mobile(value: str) -> None:
    """Free text shown to residents names no mobile number, however its digits are spaced."""
    joined = re.sub(r"(?<=[0-9])[\s()-]+(?=[0-9])", "", value)
    if MOBILE_IN_TEXT.search(joined):
        raise ValidationError(
            _(
                "Remove the mobile number: the pages show residents only the station's public "
                "office landline."
            ),
            code="mobile_number",
        )


class Category(models.TextChoices):
    ADMINISTRATIVE = "administrative", _("administrative matters")
    DAILY_LIFE = "daily_life", _("daily life")
    LEGAL = "legal", _("legal advice")
    HEALTH = "health", _("health")
    CULTURE = "culture", _("culture and education")
    PARTY_AND_MASS = "party_and_mass", _("party and mass services")
    ELDERLY_AND_DISABLED = "elderly_and_disabled", _("help for the elderly and disabled")


class Access(models.TextChoices):
    WALK_IN = "walk_in", _("walk in")
    APPOINTMENT = "appointment", _("by appointment")
    PHONE = "phone", _("by phone")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class ExceptionKind(models.TextChoices):
    CLOSED = hours.CLOSED, _("closed (public holiday or closure)")
    WORKS_LIKE = hours.WORKS_LIKE, _("adjusted working day: works like another weekday")
    SPECIAL_HOURS = hours.SPECIAL_HOURS, _("special hours")


def _window(on: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The dates whose exceptions the public pages need: yesterday to the lookahead's end."""
    return (
        on - datetime.timedelta(days=1),
        on + datetime.timedelta(days=hours.LOOKAHEAD_DAYS + 7),
    )


def _schedule_prefetches(prefix: str, on: datetime.date) -> list:
    return [
        Prefetch(f"{prefix}periods", queryset=OpeningPeriod.objects.order_by("weekday", "opens")),
        Prefetch(
            f"{prefix}exceptions",
            queryset=ScheduleException.objects.filter(date__range=_window(on)).order_by("date"),
        ),
    ]


class StationQuerySet(InvalidatingQuerySet["Station"]):
    def visible_to(self, user: User) -> Self:
        """Stations, their hours and their office landlines are public."""
        return self.all()

    def managed_by(self, user: User) -> Self:
        """Stations of the areas the user works for (street staff: their street's)."""
        return self.filter(area__in=ResidentialArea.objects.managed_by(user))

    def stale(self, now: datetime.datetime | None = None) -> Self:
        """Stations not updated for ``STALE_AFTER_DAYS`` days."""
        since = (now or timezone.now()) - datetime.timedelta(days=STALE_AFTER_DAYS)
        return self.filter(updated_at__lt=since)

    def with_schedule_data(self, on: datetime.date | None = None) -> Self:
        on = on or timezone.localdate()
        return self.select_related("area").prefetch_related(*_schedule_prefetches("", on))

    def with_services_data(self, on: datetime.date | None = None) -> Self:
        """The hours of the stations and of their services, and the services' providers."""
        on = on or timezone.localdate()
        services = (
            Service.objects.select_related("provider")
            .prefetch_related(*_schedule_prefetches("", on))
            .order_by("category", "title", "pk")
        )
        return self.with_schedule_data(on).prefetch_related(Prefetch("services", queryset=services))


class Station(models.Model):
    """A service station (家门口服务站) of a residential area."""

    area = models.ForeignKey(
        ResidentialArea,
        on_delete=models.PROTECT,
        related_name="stations",
        verbose_name=_("residential area"),
    )
    name = models.CharField(_("name"), max_length=80)
    address = models.CharField(_("address"), max_length=160)
    directions = models.TextField(
        _("how to get there"),
        blank=True,
        validators=[validate_no_mobile],
        help_text=_("Entrance, floor, nearby bus stops."),
    )
    phone = models.CharField(
        _("office landline"),
        max_length=30,
        validators=[validate_landline],
        help_text=_("The station's public office landline. Never a personal mobile number."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = StationQuerySet.as_manager()
    history = HistoricalTrail(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("service station")
        verbose_name_plural = _("service stations")
        ordering = ["area", "name"]
        constraints = [
            models.UniqueConstraint(fields=["area", "name"], name="station_name_unique_in_area"),
            models.CheckConstraint(
                condition=~Q(phone__regex=r"^\+?(86)?1[3-9][0-9]{9}$"),
                name="station_phone_not_mobile",
                violation_error_message=_("Only a public office landline may be stored."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("doorstep:station_detail", kwargs={"pk": self.pk})

    def schedule(self) -> hours.Schedule:
        """The station's hours (from prefetched periods and exceptions when present)."""
        return _schedule(self.periods.all(), self.exceptions.all())


class ServiceQuerySet(InvalidatingQuerySet["Service"]):
    def visible_to(self, user: User) -> Self:
        """Services are public."""
        return self.all()

    def managed_by(self, user: User) -> Self:
        return self.filter(station__area__in=ResidentialArea.objects.managed_by(user))

    def in_street(self, street_id: int) -> Self:
        return self.filter(station__area__street_id=street_id)

    def with_list_data(self, on: datetime.date | None = None) -> Self:
        """Station, area and provider joined; both schedules prefetched for the hours."""
        on = on or timezone.localdate()
        return self.select_related("station__area", "provider").prefetch_related(
            *_schedule_prefetches("", on), *_schedule_prefetches("station__", on)
        )


class Service(models.Model):
    station = models.ForeignKey(
        Station, on_delete=models.PROTECT, related_name="services", verbose_name=_("station")
    )
    title = models.CharField(_("title"), max_length=100)
    category = models.CharField(_("category"), max_length=30, choices=Category)
    description = models.TextField(_("what it is"), blank=True, validators=[validate_no_mobile])
    audience = models.CharField(
        _("who it is for"), max_length=160, blank=True, validators=[validate_no_mobile]
    )
    provider = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="doorstep_services",
        verbose_name=_("provided by"),
        help_text=_("One of the area's 1+3+N or a unit serving the whole street."),
    )
    at_station = models.BooleanField(_("at the station"), default=True)
    place_name = models.CharField(
        _("other place"), max_length=100, blank=True, help_text=_("Where, if not at the station.")
    )
    place_address = models.CharField(
        _("address of the other place"),
        max_length=160,
        blank=True,
        validators=[validate_no_mobile],
    )
    access = models.CharField(_("how to get it"), max_length=20, choices=Access)
    what_to_bring = models.CharField(
        _("what to bring"), max_length=200, blank=True, validators=[validate_no_mobile]
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ServiceQuerySet.as_manager()
    history = HistoricalTrail(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["station", "category", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "title"], name="service_title_unique_at_station"
            ),
            models.CheckConstraint(
                condition=Q(at_station=True) | ~Q(place_name=""),
                name="service_elsewhere_names_place",
                violation_error_message=_("Name the place when the service is not at the station."),
            ),
        ]
        indexes = [models.Index(fields=["category"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("doorstep:service_detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        if self.station_id and self.provider_id:
            area = self.station.area
            if not Organization.objects.available_to(area).filter(pk=self.provider_id).exists():
                raise ValidationError(
                    {
                        "provider": ValidationError(
                            _("The provider must be one of the area's 1+3+N or a street unit."),
                            code="provider_outside_area",
                        )
                    }
                )

    @property
    def has_own_hours(self) -> bool:
        return bool(self.periods.all())

    def schedule(self) -> hours.Schedule:
        """The service's own weekly periods, or the station's when it has none and is at the
        station. At the station, the station's closures and adjusted working days apply too (its
        special hours only to a service keeping the station's hours); the service's own
        exceptions win."""
        own = _schedule(self.periods.all(), self.exceptions.all())
        if not self.at_station:
            return own
        station = self.station.schedule()
        if own.periods:
            inherited = {
                day: rule
                for day, rule in station.exceptions.items()
                if rule.kind != hours.SPECIAL_HOURS
            }
            return hours.Schedule(own.periods, {**inherited, **own.exceptions})
        return hours.Schedule(station.periods, {**station.exceptions, **own.exceptions})


def _schedule(periods, exceptions) -> hours.Schedule:
    return hours.Schedule(
        periods=tuple(hours.Period(p.weekday, p.opens, p.closes) for p in periods),
        exceptions={
            e.date: hours.DayRule(e.kind, e.works_like, e.opens, e.closes, e.note)
            for e in exceptions
        },
    )


ONE_OWNER = Q(station__isnull=False, service__isnull=True) | Q(
    station__isnull=True, service__isnull=False
)


class OpeningPeriod(models.Model):
    """A weekly opening period of a station or of a service."""

    station = models.ForeignKey(
        Station,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="periods",
        verbose_name=_("station"),
    )
    service = models.ForeignKey(
        Service,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="periods",
        verbose_name=_("service"),
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))
    crosses_midnight = models.BooleanField(
        _("runs past midnight"),
        default=False,
        help_text=_("Tick when it closes on the next day, e.g. 20:00 to 02:00."),
    )

    objects = InvalidatingQuerySet.as_manager()

    class Meta:
        verbose_name = _("opening period")
        verbose_name_plural = _("opening periods")
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(condition=ONE_OWNER, name="opening_period_one_owner"),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="opening_period_weekday"
            ),
            models.CheckConstraint(
                condition=Q(crosses_midnight=False, opens__lt=F("closes"))
                | Q(crosses_midnight=True, closes__lte=F("opens")),
                name="opening_period_order",
                violation_error_message=_(
                    "It must close after it opens; tick 'runs past midnight' if it closes on "
                    "the next day."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}-{self.closes:%H:%M}"


class ScheduleException(models.Model):
    """A date on which a station or service keeps other hours than its week."""

    station = models.ForeignKey(
        Station,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="exceptions",
        verbose_name=_("station"),
    )
    service = models.ForeignKey(
        Service,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="exceptions",
        verbose_name=_("service"),
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=ExceptionKind)
    works_like = models.PositiveSmallIntegerField(
        _("works like"),
        choices=Weekday,
        null=True,
        blank=True,
        help_text=_("For an adjusted working day: the weekday whose hours apply."),
    )
    opens = models.TimeField(_("opens"), null=True, blank=True)
    closes = models.TimeField(_("closes"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=60, blank=True, help_text=_("E.g. 国庆节."))

    objects = InvalidatingQuerySet.as_manager()

    class Meta:
        verbose_name = _("exception to the hours")
        verbose_name_plural = _("exceptions to the hours")
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(condition=ONE_OWNER, name="schedule_exception_one_owner"),
            models.UniqueConstraint(
                fields=["station", "date"],
                name="schedule_exception_one_per_station_date",
                violation_error_message=_("This date already has an exception."),
            ),
            models.UniqueConstraint(
                fields=["service", "date"],
                name="schedule_exception_one_per_service_date",
                violation_error_message=_("This date already has an exception."),
            ),
            models.CheckConstraint(
                condition=Q(
                    kind=ExceptionKind.CLOSED,
                    works_like__isnull=True,
                    opens__isnull=True,
                    closes__isnull=True,
                )
                | Q(
                    kind=ExceptionKind.WORKS_LIKE,
                    works_like__isnull=False,
                    works_like__gte=0,
                    works_like__lte=6,
                    opens__isnull=True,
                    closes__isnull=True,
                )
                | Q(
                    kind=ExceptionKind.SPECIAL_HOURS,
                    works_like__isnull=True,
                    opens__isnull=False,
                    closes__isnull=False,
                    opens__lt=F("closes"),
                ),
                name="schedule_exception_shape",
                violation_error_message=_(
                    "A closed day has no hours; an adjusted working day names a weekday only; "
                    "special hours need an opening time before the closing time."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}"
