"""Public pages of the doorstep services, and the staff pages that keep them current.

Public pages read every service and station (they are public) with their hours prefetched,
and compute "open now" from ``doorstep.hours``; staff pages fetch through ``managed_by(user)``,
so another area's station or service is a 404.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from caching.pages import cache_public_page
from doorstep import hours, services
from doorstep.filters import OPEN_NOW, OPEN_THIS_WEEK, ServiceFilter
from doorstep.forms import (
    HOURS_HELP,
    ExceptionFormSet,
    PeriodFormSet,
    ServiceExceptionFormSet,
    ServiceForm,
    ServicePeriodFormSet,
    StationForm,
    hours_from,
)
from doorstep.models import Service, Station
from doorstep.permissions import can_manage_doorstep, can_manage_service, can_manage_station
from lujiazui.public import OPENING_HOURS_SECONDS, PUBLIC_CONTENT
from residents.models import ResidentialArea

PAGE_SIZE = 20


def _now() -> datetime.datetime:
    return timezone.now()


def _with_status(services_: list[Service], now: datetime.datetime) -> list[Service]:
    for service in services_:
        service.hours_status = hours.status_or_none(service.schedule(), now)
    return services_


def _filtered(request: HttpRequest) -> bool:
    return any(key != "page" and value for key, value in request.GET.items())


@cache_public_page(
    depends_on=PUBLIC_CONTENT,
    params=("page", *ServiceFilter.base_filters),
    seconds=OPENING_HOURS_SECONDS,
)
def service_list(request: HttpRequest) -> HttpResponse:
    """Every service, filtered by area and category in the database and by "when" from the
    hours; one query per prefetched relation, whatever the number of services."""
    now = _now()
    today = timezone.localtime(now).date()
    services_ = (
        Service.objects.visible_to(request.user)
        .with_list_data(today)
        .order_by("station__area", "category", "title", "pk")
    )
    service_filter = ServiceFilter(request.GET, queryset=services_, request=request)
    when = service_filter.form.cleaned_data.get("when") if service_filter.is_valid() else ""
    if when == OPEN_NOW:
        rows = [s for s in service_filter.qs if hours.status_at(s.schedule(), now).is_open]
    elif when == OPEN_THIS_WEEK:
        rows = [s for s in service_filter.qs if hours.is_open_in_next_days(s.schedule(), now)]
    else:
        rows = service_filter.qs
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    _with_status(list(page.object_list), now)
    # Nothing open now: say what opens next, among the services the other filters kept.
    opening_next = (
        hours.next_openings(((s, s.schedule()) for s in service_filter.qs), now)
        if when == OPEN_NOW and not rows
        else []
    )
    return render(
        request,
        "doorstep/service_list.html",
        {
            "filter": service_filter,
            "page_obj": page,
            "filtered": _filtered(request),
            "now": now,
            "when": when,
            "opening_next": opening_next,
            "area": service_filter.form.cleaned_data.get("area")
            if service_filter.is_valid()
            else None,
        },
    )


@cache_public_page(depends_on=PUBLIC_CONTENT, seconds=OPENING_HOURS_SECONDS)
def station_detail(request: HttpRequest, pk: int) -> HttpResponse:
    now = _now()
    today = timezone.localtime(now).date()
    station = get_object_or_404(
        Station.objects.visible_to(request.user).with_schedule_data(today), pk=pk
    )
    schedule = station.schedule()
    station_services = _with_status(
        list(station.services.with_list_data(today).order_by("category", "title")),
        now,
    )
    return render(
        request,
        "doorstep/station_detail.html",
        {
            "station": station,
            "status": hours.status_at(schedule, now),
            "week": hours.week(schedule, today),
            "weekly": schedule.regular_week,
            "services": station_services,
            "now": now,
            "can_manage": can_manage_station(request.user, station),
        },
    )


@cache_public_page(depends_on=PUBLIC_CONTENT, seconds=OPENING_HOURS_SECONDS)
def service_detail(request: HttpRequest, pk: int) -> HttpResponse:
    now = _now()
    today = timezone.localtime(now).date()
    service = get_object_or_404(
        Service.objects.visible_to(request.user).with_list_data(today), pk=pk
    )
    schedule = service.schedule()
    return render(
        request,
        "doorstep/service_detail.html",
        {
            "service": service,
            "status": hours.status_or_none(schedule, now),
            "week": hours.week(schedule, today),
            "weekly": schedule.regular_week,
            "now": now,
            "can_manage": can_manage_service(request.user, service),
        },
    )


@cache_public_page(depends_on=PUBLIC_CONTENT, seconds=OPENING_HOURS_SECONDS)
def area_print(request: HttpRequest, slug: str) -> HttpResponse:
    """One plain page per area, in large type, to print and pin up in the stairwell."""
    now = _now()
    today = timezone.localtime(now).date()
    area = get_object_or_404(
        ResidentialArea.objects.visible_to(request.user).select_related("street"), slug=slug
    )
    stations = list(Station.objects.filter(area=area).with_schedule_data(today))
    for station in stations:
        station.weekly = hours.grouped_week(station.schedule().periods)
    area_services = list(
        Service.objects.filter(station__area=area)
        .with_list_data(today)
        .order_by("category", "title", "pk")
    )
    for service in area_services:
        service.weekly = service.schedule().regular_week
    return render(
        request,
        "doorstep/area_print.html",
        {"area": area, "stations": stations, "services": area_services, "today": today},
    )


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    """The stations and services the user keeps (the services a page at a time); street staff
    also see which stations of their street have not been updated for 90 days."""
    if not can_manage_doorstep(request.user):
        return redirect("doorstep:service_list")
    stations = (
        Station.objects.managed_by(request.user)
        .select_related("area")
        .annotate(service_count=Count("services"))
        .order_by("area", "name")
    )
    managed_services = (
        Service.objects.managed_by(request.user)
        .select_related("station__area", "provider")
        .order_by("station__area", "station", "category", "title", "pk")
    )
    page = Paginator(managed_services, PAGE_SIZE).get_page(request.GET.get("page"))
    stale = stations.stale().order_by("updated_at") if request.user.is_street_staff else None
    return render(
        request,
        "doorstep/manage.html",
        {"stations": stations, "page_obj": page, "stale": stale},
    )


@login_required
@require_http_methods(["GET", "POST"])
def station_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if not can_manage_doorstep(request.user):
        return redirect("doorstep:service_list")
    station = (
        get_object_or_404(Station.objects.managed_by(request.user), pk=pk) if pk else Station()
    )
    data = request.POST if request.method == "POST" else None
    form = StationForm(data, instance=station, user=request.user)
    periods = PeriodFormSet(data, instance=station, prefix="periods")
    exceptions = ExceptionFormSet(data, instance=station, prefix="exceptions")
    if data is not None and form.is_valid() and periods.is_valid() and exceptions.is_valid():
        cleaned = form.cleaned_data
        fields = {
            "area": cleaned["area"],
            "name": cleaned["name"],
            "address": cleaned["address"],
            "directions": cleaned["directions"],
            "phone": cleaned["phone"],
            "hours": hours_from(periods, exceptions),
        }
        try:
            if pk:
                station = services.station_update(station=station, actor=request.user, **fields)
            else:
                station = services.station_create(actor=request.user, **fields)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved %(name)s.") % {"name": station.name})
            return redirect(station)
    return render(
        request,
        "doorstep/station_form.html",
        {"form": form, "periods": periods, "exceptions": exceptions, "station": station},
    )


@login_required
@require_http_methods(["GET", "POST"])
def service_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if not can_manage_doorstep(request.user):
        return redirect("doorstep:service_list")
    service = (
        get_object_or_404(Service.objects.managed_by(request.user), pk=pk) if pk else Service()
    )
    data = request.POST if request.method == "POST" else None
    initial = {"station": request.GET.get("station")} if not pk else None
    form = ServiceForm(data, instance=service, user=request.user, initial=initial)
    periods = ServicePeriodFormSet(data, instance=service, prefix="periods")
    exceptions = ServiceExceptionFormSet(data, instance=service, prefix="exceptions")
    if data is not None and form.is_valid() and periods.is_valid() and exceptions.is_valid():
        cleaned = form.cleaned_data
        fields = {
            "station": cleaned["station"],
            "title": cleaned["title"],
            "category": cleaned["category"],
            "description": cleaned["description"],
            "audience": cleaned["audience"],
            "provider": cleaned["provider"],
            "at_station": cleaned["at_station"],
            "place_name": cleaned["place_name"],
            "place_address": cleaned["place_address"],
            "access": cleaned["access"],
            "what_to_bring": cleaned["what_to_bring"],
            "hours": hours_from(periods, exceptions),
        }
        try:
            if pk:
                service = services.service_update(service=service, actor=request.user, **fields)
            else:
                service = services.service_create(actor=request.user, **fields)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved %(name)s.") % {"name": service.title})
            return redirect(service)
    return render(
        request,
        "doorstep/service_form.html",
        {
            "form": form,
            "periods": periods,
            "exceptions": exceptions,
            "service": service,
            "hours_help": HOURS_HELP,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def service_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove a service no longer offered, after a confirmation page."""
    service = get_object_or_404(
        Service.objects.managed_by(request.user).select_related("station"), pk=pk
    )
    if request.method == "POST":
        services.service_delete(actor=request.user, service=service)
        messages.success(request, _("Removed %(name)s.") % {"name": service.title})
        return redirect(service.station)
    return render(request, "doorstep/service_confirm_delete.html", {"service": service})
