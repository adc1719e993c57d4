"""Events that residents book in time slots: sessions with a capacity, bookings and a waitlist."""

import datetime
import re
from typing import Self

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Exists, F, Min, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from audit.history import HistoricalTrail
from caching.versions import InvalidatingQuerySet
from governance.models import Organization, SubqueryCount
from governance.permissions import user_organizations
from residents.models import ResidentialArea, Street, User

# One phone holds at most this many bookings (confirmed or waiting) for one event.
MAX_BOOKINGS_PER_PHONE = 2
MAX_PARTY_SIZE = 5
# Mainland mobile numbers: 11 digits starting 13-19; "+86", spaces and hyphens are dropped.
_MOBILE = re.compile(r"1[3-9]\d{9}")
_PHONE_NOISE = re.compile(r"[\s\-()]")
# Booking codes avoid letters and digits read alike (0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def normalise_mobile(value: str) -> str:
    """The eleven digits of a mainland mobile number, or ValidationError(code="invalid_phone")."""
    digits = _PHONE_NOISE.sub("", value or "")
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    if not _MOBILE.fullmatch(digits):
        raise ValidationError(
            _("Enter a mainland mobile number of 11 digits, such as 13812345678."),
            code="invalid_phone",
        )
    return digits


def normalise_code(value: str) -> str:
    """Booking codes are read out and typed: ignore case, spaces and the hyphen."""
    letters = re.sub(r"[^0-9A-Za-z]", "", value or "").upper()
    return f"{letters[:4]}-{letters[4:]}" if len(letters) == 8 else letters


class EventQuerySet(InvalidatingQuerySet["Event"]):
    def public(self) -> Self:
        return self.filter(is_public=True)

    def managed_by(self, user: User) -> Self:
        """The street's staff, the area's secretaries and the people of the organising unit."""
        if not (user.is_authenticated and user.is_active):
            return self.none()
        return self.filter(
            Q(street__in=Street.objects.managed_by(user))
            | Q(area__in=ResidentialArea.objects.managed_by(user))
            | Q(organising_unit__in=user_organizations(user))
        )

    def visible_to(self, user: User) -> Self:
        """Public events for everyone; events not yet public only to those who run them."""
        if not (user.is_authenticated and user.is_active):
            return self.public()
        return self.filter(Q(is_public=True) | Q(pk__in=self.managed_by(user).values("pk")))

    def next_change(self, now: datetime.datetime) -> datetime.datetime | None:
        """When a list of these events stops being true: the first booking to open or close,
        or the first slot to start, after ``now``. One query."""
        moments = self.order_by().aggregate(
            opens=Min("booking_opens_at", filter=Q(booking_opens_at__gt=now)),
            closes=Min("booking_closes_at", filter=Q(booking_closes_at__gt=now)),
            starts=Min("sessions__starts_at", filter=Q(sessions__starts_at__gt=now)),
        )
        return min(filter(None, moments.values()), default=None)

    def with_list_data(self, now: datetime.datetime | None = None) -> Self:
        """The next session's start and the seats left in sessions still to come."""
        upcoming = Q(sessions__starts_at__gt=now or timezone.now())
        return self.select_related("area").annotate(
            next_start=Min("sessions__starts_at", filter=upcoming),
            seats_left=Sum(F("sessions__capacity") - F("sessions__seats_taken"), filter=upcoming),
            upcoming_sessions=Count("sessions", filter=upcoming),
        )


class Event(models.Model):
    """An event residents book: the exhibition, a lecture, an area's open day."""

    street = models.ForeignKey(
        Street, on_delete=models.PROTECT, related_name="events", verbose_name=_("street")
    )
    area = models.ForeignKey(
        ResidentialArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("residential area"),
        help_text=_("Empty for an event of the whole street."),
    )
    title = models.CharField(_("title"), max_length=120)
    slug = models.SlugField(
        _("slug"), max_length=80, unique=True, help_text=_("Used in the page address.")
    )
    summary = models.CharField(_("in one sentence"), max_length=200)
    description = models.TextField(_("description"), help_text=_("Markdown."))
    venue = models.CharField(_("venue"), max_length=120)
    address = models.CharField(_("address"), max_length=200)
    organiser = models.CharField(
        _("organiser"), max_length=200, help_text=_("As shown to the public.")
    )
    organising_unit = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("organising unit"),
        help_text=_(
            "The unit whose people see the names and phone numbers of those who booked. "
            "Empty: the street office."
        ),
    )
    floor_area = models.PositiveIntegerField(
        _("floor area (m²)"), null=True, blank=True, help_text=_("Optional.")
    )
    booking_opens_at = models.DateTimeField(_("booking opens"))
    booking_closes_at = models.DateTimeField(
        _("booking closes"),
        null=True,
        blank=True,
        help_text=_("Empty: each session can be booked until it starts."),
    )
    is_public = models.BooleanField(
        _("shown to the public"), default=False, help_text=_("Residents see it and may book.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = EventQuerySet.as_manager()
    history = HistoricalTrail()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-booking_opens_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(booking_closes_at__isnull=True)
                | Q(booking_closes_at__gt=F("booking_opens_at")),
                name="event_booking_window_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("forums:event_detail", args=[self.slug])

    def clean(self) -> None:
        if self.area_id and self.street_id and self.area.street_id != self.street_id:
            raise ValidationError({"area": _("The area must be in the event's street.")})
        if (
            self.organising_unit_id
            and self.street_id
            and self.organising_unit.street_id != self.street_id
        ):
            raise ValidationError({"organising_unit": _("The unit must be in the event's street.")})

    def next_change(
        self, now: datetime.datetime, sessions: list["EventSession"]
    ) -> datetime.datetime | None:
        """When a page about the event stops being true: its booking opens or closes, or one of
        the slots it shows starts (and leaves the list)."""
        moments = [self.booking_opens_at, self.booking_closes_at, *(s.starts_at for s in sessions)]
        return min((moment for moment in moments if moment and moment > now), default=None)

    def booking_state(self, now: datetime.datetime) -> str:
        """'not_open', 'open' or 'closed': the event's booking window at a moment."""
        if now < self.booking_opens_at:
            return "not_open"
        if self.booking_closes_at and now >= self.booking_closes_at:
            return "closed"
        return "open"


class SessionQuerySet(InvalidatingQuerySet["EventSession"]):
    def upcoming(self, now: datetime.datetime | None = None) -> Self:
        return self.filter(starts_at__gt=now or timezone.now())

    def with_waiting(self) -> Self:
        """Whether people wait for each slot's seats; one index lookup per slot."""
        waiting = Booking.objects.filter(session=OuterRef("pk"), status=BookingStatus.WAITLISTED)
        return self.annotate(waiting=Exists(waiting))

    def with_booking_data(self) -> Self:
        """Counts for the staff pages: parties waiting and people checked in, per slot (subqueries
        on the slot's own bookings, so the cost follows the event, not the whole table)."""
        bookings = Booking.objects.filter(session=OuterRef("pk"))
        checked_in = (
            bookings.filter(status=BookingStatus.CONFIRMED, checked_in_at__isnull=False)
            .values("session")
            .annotate(people=Sum("party_size"))
            .values("people")
        )
        return self.annotate(
            waiting=SubqueryCount(bookings.filter(status=BookingStatus.WAITLISTED).values("pk")),
            checked_in=Coalesce(Subquery(checked_in), 0, output_field=models.IntegerField()),
        )


class EventSession(models.Model):
    """One time slot of an event. `seats_taken` only moves by conditional updates in services."""

    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("event")
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(_("capacity"), help_text=_("People, not bookings."))
    seats_taken = models.PositiveIntegerField(_("seats taken"), default=0, editable=False)

    objects = SessionQuerySet.as_manager()
    history = HistoricalTrail(excluded_fields=["seats_taken"])
    # Moved by every booking: only the pages showing the seats left are renewed by it (caching).
    cache_volatile_fields = frozenset({"seats_taken"})

    class Meta:
        verbose_name = _("time slot")
        verbose_name_plural = _("time slots")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="session_capacity_positive"),
            # The last line of defence against overbooking, whatever the code above it does.
            models.CheckConstraint(
                condition=Q(seats_taken__lte=F("capacity")), name="session_not_overbooked"
            ),
        ]
        indexes = [models.Index(fields=["event", "starts_at"], name="session_event_start")]

    def __str__(self) -> str:
        start = timezone.localtime(self.starts_at)
        end = timezone.localtime(self.ends_at)
        return f"{start:%Y-%m-%d %H:%M}-{end:%H:%M}"

    def clean(self) -> None:
        if self.capacity is not None and self.capacity < self.seats_taken:
            raise ValidationError(
                {
                    "capacity": ValidationError(
                        ngettext(
                            "%(taken)s seat is already booked: the capacity cannot be lower.",
                            "%(taken)s seats are already booked: the capacity cannot be lower.",
                            self.seats_taken,
                        ),
                        code="capacity_below_booked",
                        params={"taken": self.seats_taken},
                    )
                }
            )

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.seats_taken, 0)

    def is_past(self, now: datetime.datetime) -> bool:
        return self.starts_at <= now

    def only_waitlist(self) -> bool:
        """A new booking can only join the waitlist: no seat is left, or people are waiting
        already (seats that come free are theirs first). Uses the `waiting` count if annotated."""
        waiting = getattr(self, "waiting", None)
        if waiting is None:
            waiting = self.bookings.waiting().exists()
        return self.seats_left == 0 or bool(waiting)


class BookingStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("confirmed")
    WAITLISTED = "waitlisted", _("on the waitlist")
    CANCELLED = "cancelled", _("cancelled")


ACTIVE_STATUSES = [BookingStatus.CONFIRMED, BookingStatus.WAITLISTED]


class BookingQuerySet(InvalidatingQuerySet["Booking"]):
    def active(self) -> Self:
        return self.filter(status__in=ACTIVE_STATUSES)

    def waiting(self) -> Self:
        """The waitlist, in the order it is served."""
        return self.filter(status=BookingStatus.WAITLISTED).order_by("created_at", "pk")

    def for_event(self, event: Event) -> Self:
        return self.filter(session__event=event)

    def managed_by(self, user: User) -> Self:
        return self.filter(session__event__in=Event.objects.managed_by(user))


class Booking(models.Model):
    """A party of one to five people in one session, confirmed or waiting for seats."""

    session = models.ForeignKey(
        EventSession, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("time slot")
    )
    code = models.CharField(_("booking code"), max_length=9, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=40)
    phone = models.CharField(_("mobile number"), max_length=11)
    party_size = models.PositiveSmallIntegerField(_("people"))
    status = models.CharField(
        _("status"), max_length=20, choices=BookingStatus, default=BookingStatus.CONFIRMED
    )
    created_at = models.DateTimeField(_("booked at"), default=timezone.now, editable=False)
    promoted_at = models.DateTimeField(_("moved off the waitlist"), null=True, editable=False)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, editable=False)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, editable=False)
    checked_in_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        editable=False,
        related_name="+",
        verbose_name=_("checked in by"),
    )

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(party_size__gte=1, party_size__lte=MAX_PARTY_SIZE),
                name="booking_party_size_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(checked_in_at__isnull=True) | Q(status=BookingStatus.CONFIRMED),
                name="booking_checked_in_only_when_confirmed",
            ),
            models.CheckConstraint(
                condition=Q(cancelled_at__isnull=True) | Q(status=BookingStatus.CANCELLED),
                name="booking_cancelled_at_only_when_cancelled",
            ),
        ]
        indexes = [
            models.Index(fields=["session", "status", "created_at"], name="booking_session_queue"),
            models.Index(fields=["phone", "status"], name="booking_phone_status"),
        ]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("forums:booking_detail", args=[self.code])

    @property
    def masked_phone(self) -> str:
        return f"{self.phone[:3]}****{self.phone[-4:]}"

    @property
    def masked_name(self) -> str:
        return self.name[:1] + "*" * max(len(self.name) - 1, 1)

    def waitlist_position(self) -> int | None:
        """1 for the next party to be offered seats; None when not waiting."""
        if self.status != BookingStatus.WAITLISTED:
            return None
        earlier = Q(created_at__lt=self.created_at) | Q(created_at=self.created_at, pk__lt=self.pk)
        ahead = Booking.objects.waiting().filter(earlier, session_id=self.session_id)
        return ahead.count() + 1
