"""Events: the public list and page, booking, looking a booking up, cancelling; and the staff
pages of whoever runs the event (attendee lists, check-in at the door, the CSV export).

A booking's page is shown only in the browser session that made the booking or looked it up with
its code and mobile number; the name and number themselves are shown masked even there.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from caching.pages import cache_public_page, valid_until
from forums import services
from forums.forms import BookingCancelForm, BookingForm, BookingLookupForm, CheckInForm
from forums.ical import booking_calendar, public_calendar
from forums.models import Booking, BookingStatus, Event, normalise_code
from forums.permissions import can_manage_event, can_see_booking_contacts
from governance.exports import export_response
from lujiazui.public import PUBLIC_CONTENT, SEATS, SESSIONS

EVENT_PAGE_SIZE = 12
ATTENDEE_PAGE_SIZE = 50
SESSION_KEY = "booking_codes"
REMEMBERED_CODES = 20


def _remember(request: HttpRequest, code: str) -> None:
    """This browser may show the booking: it made it, or knew its code and number."""
    codes = [c for c in request.session.get(SESSION_KEY, []) if c != code]
    request.session[SESSION_KEY] = [*codes, code][-REMEMBERED_CODES:]


def _remembered_booking(request: HttpRequest, code: str) -> Booking:
    code = normalise_code(code)
    if code not in request.session.get(SESSION_KEY, []):
        raise Http404
    return get_object_or_404(Booking.objects.select_related("session__event"), code=code)


def _booking_rate(group: str, request: HttpRequest) -> str:
    """Read at each request, so that a changed setting applies at once."""
    return settings.BOOKING_RATE_LIMIT


def _throttled(request: HttpRequest) -> HttpResponse:
    return render(request, "forums/throttled.html", status=429)


@cache_public_page(depends_on=PUBLIC_CONTENT + SESSIONS + SEATS, params=("page",))
def event_list(request: HttpRequest) -> HttpResponse:
    events = (
        Event.objects.visible_to(request.user)
        .with_list_data()
        .order_by(F("next_start").asc(nulls_last=True), "-booking_opens_at", "pk")
    )
    page = Paginator(events, EVENT_PAGE_SIZE).get_page(request.GET.get("page"))
    valid_until(request, lambda: Event.objects.visible_to(request.user).next_change(timezone.now()))
    return render(request, "forums/event_list.html", {"page_obj": page})


@cache_public_page(depends_on=PUBLIC_CONTENT + SESSIONS + SEATS)
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_object_or_404(
        Event.objects.visible_to(request.user).select_related("area"), slug=slug
    )
    now = timezone.now()
    sessions = list(event.sessions.upcoming(now).with_waiting())
    valid_until(request, event.next_change(now, sessions))
    # Each session's times and seats worked out here, and its booking address from one
    # reverse(), rather than five `date` filters, a `{% blocktranslate %}` and a `{% url %}` per
    # session. The `date` filter's "c" is isoformat(); only the weekday needs translating.
    head, tail = reverse("forums:session_book", args=[event.slug, 0]).rsplit("/0/", 1)
    for session in sessions:
        starts, ends = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
        session.starts_iso, session.ends_iso = starts.isoformat(), ends.isoformat()
        session.starts_label = date_format(starts, "Y-m-d D H:i")
        session.starts_short = starts.strftime("%Y-%m-%d %H:%M")
        session.ends_label = ends.strftime("%H:%M")
        session.seats_label = ngettext(
            "%(seats)s seat left of %(capacity)s",
            "%(seats)s seats left of %(capacity)s",
            session.seats_left,
        ) % {"seats": session.seats_left, "capacity": session.capacity}
        session.book_url = f"{head}/{session.pk}/{tail}"
    return render(
        request,
        "forums/event_detail.html",
        {
            "event": event,
            "sessions": sessions,
            "booking_state": event.booking_state(now),
            "can_manage": can_manage_event(request.user, event),
        },
    )


@ratelimit(key="ip", rate=_booking_rate, method="POST", block=False)
@require_http_methods(["GET", "POST"])
def session_book(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = get_object_or_404(Event.objects.visible_to(request.user), slug=slug)
    session = get_object_or_404(event.sessions.all(), pk=pk)
    offer_waitlist = False
    if request.method == "POST":
        if getattr(request, "limited", False):
            return _throttled(request)
        form = BookingForm(request.POST)
        if form.is_valid():
            try:
                booking = services.booking_create(session=session, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
                if error.code in ("session_full", "waitlist_first"):
                    offer_waitlist = True
                    data = request.POST.copy()
                    data["waitlist"] = "on"
                    form = _with_errors(BookingForm(data), form)
            else:
                _remember(request, booking.code)
                if booking.status == BookingStatus.WAITLISTED:
                    messages.info(request, _("You are on the waitlist."))
                else:
                    messages.success(request, _("Your booking is confirmed."))
                return redirect(booking)
    else:
        offer_waitlist = session.only_waitlist()
        form = BookingForm(initial={"waitlist": offer_waitlist})
    now = timezone.now()
    return render(
        request,
        "forums/session_book.html",
        {
            "event": event,
            "session": session,
            "form": form,
            "offer_waitlist": offer_waitlist,
            "bookable": event.booking_state(now) == "open" and not session.is_past(now),
            "session_past": session.is_past(now),
        },
    )


def _with_errors(form: BookingForm, errors_from: BookingForm) -> BookingForm:
    """The same answers again, ready to join the waitlist, with the refusal kept on show."""
    form.is_valid()
    for error in errors_from.non_field_errors().as_data():
        form.add_error(None, error)
    return form


def booking_detail(request: HttpRequest, code: str) -> HttpResponse:
    booking = _remembered_booking(request, code)
    return render(
        request,
        "forums/booking_detail.html",
        {
            "booking": booking,
            "session": booking.session,
            "event": booking.session.event,
            "position": booking.waitlist_position(),
            "can_cancel": booking.status != BookingStatus.CANCELLED
            and not booking.checked_in_at
            and not booking.session.is_past(timezone.now()),
        },
    )


def booking_ics(request: HttpRequest, code: str) -> HttpResponse:
    booking = _remembered_booking(request, code)
    if booking.status != BookingStatus.CONFIRMED:
        raise Http404
    response = HttpResponse(
        booking_calendar(booking, page_url=request.build_absolute_uri(booking.get_absolute_url())),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="booking-{booking.code}.ics"'
    return response


@ratelimit(key="ip", rate=_booking_rate, method="POST", block=False)
@require_http_methods(["GET", "POST"])
def booking_lookup(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if getattr(request, "limited", False):
            return _throttled(request)
        form = BookingLookupForm(request.POST)
        if form.is_valid():
            booking = services.booking_find(**form.cleaned_data)
            if booking is not None:
                _remember(request, booking.code)
                return redirect(booking)
            form.add_error(
                None,
                ValidationError(
                    _("No booking has this code and mobile number."), code="booking_not_found"
                ),
            )
    else:
        form = BookingLookupForm(initial={"code": request.GET.get("code", "")})
    return render(request, "forums/booking_lookup.html", {"form": form})


@ratelimit(key="ip", rate=_booking_rate, method="POST", block=False)
@require_http_methods(["GET", "POST"])
def booking_cancel(request: HttpRequest, code: str) -> HttpResponse:
    booking = _remembered_booking(request, code)
    if request.method == "POST":
        if getattr(request, "limited", False):
            return _throttled(request)
        form = BookingCancelForm(request.POST)
        if form.is_valid():
            try:
                services.booking_cancel(code=booking.code, phone=form.cleaned_data["phone"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your booking is cancelled."))
                return redirect(booking)
    else:
        form = BookingCancelForm()
    return render(
        request,
        "forums/booking_cancel.html",
        {
            "booking": booking,
            "session": booking.session,
            "event": booking.session.event,
            "form": form,
        },
    )


def _managed_event(request: HttpRequest, slug: str) -> Event:
    return get_object_or_404(
        Event.objects.managed_by(request.user).select_related("area"), slug=slug
    )


@login_required
def event_manage(request: HttpRequest, slug: str) -> HttpResponse:
    event = _managed_event(request, slug)
    sessions = event.sessions.with_booking_data()
    return render(
        request,
        "forums/event_manage.html",
        {"event": event, "sessions": sessions, "check_in_form": CheckInForm()},
    )


@login_required
def session_attendees(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _managed_event(request, slug)
    session = get_object_or_404(event.sessions.with_booking_data(), pk=pk)
    bookings = session.bookings.order_by("status", "created_at", "pk")
    page = Paginator(bookings, ATTENDEE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "forums/session_attendees.html",
        {
            "event": event,
            "session": session,
            "page_obj": page,
            "contacts": can_see_booking_contacts(request.user, event),
            "check_in_form": CheckInForm(),
        },
    )


@login_required
@require_POST
def event_check_in(request: HttpRequest, slug: str) -> HttpResponse:
    event = _managed_event(request, slug)
    form = CheckInForm(request.POST)
    if form.is_valid():
        try:
            booking = services.booking_check_in(
                event=event, code=form.cleaned_data["code"], actor=request.user
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                ngettext(
                    "Checked in: %(code)s, %(people)s person, %(session)s.",
                    "Checked in: %(code)s, %(people)s people, %(session)s.",
                    booking.party_size,
                )
                % {"code": booking.code, "people": booking.party_size, "session": booking.session},
            )
    else:
        messages.error(request, _("Enter a booking code."))
    back = request.POST.get("session")
    if back and back.isdigit() and event.sessions.filter(pk=back).exists():
        return redirect("forums:session_attendees", slug=event.slug, pk=back)
    return redirect("forums:event_manage", slug=event.slug)


def _booking_table(request: HttpRequest, event: Event):
    """The header and rows of every booking of the event; names and numbers only for the
    organiser's people. Rows are read as plain values and labels worked out once: an exhibition
    has tens of thousands."""
    contacts = can_see_booking_contacts(request.user, event)
    slots = {session.pk: str(session) for session in event.sessions.all()}
    labels = {value: str(label) for value, label in BookingStatus.choices}
    fields = ["code", "session_id", "party_size", "status", "checked_in_at"]
    rows = (
        Booking.objects.for_event(event)
        .order_by("session__starts_at", "created_at", "pk")
        .values_list(*fields, *(["name", "phone"] if contacts else []))
    )
    header = [
        _("Booking code"),
        _("Session"),
        _("Number of people"),
        _("Status"),
        _("Checked in at"),
    ]
    if contacts:
        header += [_("Name"), _("Mobile number")]

    def lines():
        for code, slot, people, status, checked_in_at, *contact in rows.iterator(chunk_size=2000):
            checked = timezone.localtime(checked_in_at) if checked_in_at else None
            yield [
                code,
                slots[slot],
                people,
                labels[status],
                f"{checked:%Y-%m-%d %H:%M}" if checked else "",
                *contact,
            ]

    return header, lines()


@login_required
def event_export(request: HttpRequest, slug: str, fmt: str = "csv") -> HttpResponse:
    """Every booking of the event as CSV (streamed) or XLSX (written to a temporary file)."""
    event = _managed_event(request, slug)
    header, rows = _booking_table(request, event)
    stamp = timezone.localdate().isoformat()
    return export_response(fmt, header, rows, filename=f"{event.slug}-bookings-{stamp}")


def calendar_feed(request: HttpRequest) -> HttpResponse:
    """`/calendar.ics`: published forums and public events, for calendar apps to subscribe to."""
    site_url = request.build_absolute_uri("/").rstrip("/")
    response = HttpResponse(
        public_calendar(site_url=site_url), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="lujiazui.ics"'
    return response
