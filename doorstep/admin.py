from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from doorstep import services
from doorstep.models import OpeningPeriod, ScheduleException, Service, Station
from residents.admin import ScopedAdmin


class PeriodInline(admin.TabularInline):
    model = OpeningPeriod
    fk_name = "station"
    extra = 0
    fields = ["weekday", "opens", "closes", "crosses_midnight"]


class ExceptionInline(admin.TabularInline):
    model = ScheduleException
    fk_name = "station"
    extra = 0
    fields = ["date", "kind", "works_like", "opens", "closes", "note"]


class ServicePeriodInline(PeriodInline):
    fk_name = "service"


class ServiceExceptionInline(ExceptionInline):
    fk_name = "service"


def _fields(form, names: list[str]) -> dict:
    """The form's values of the fields it shows, by name: the service's keywords."""
    return {name: form.cleaned_data[name] for name in names if name in form.cleaned_data}


def _created(obj, saved) -> None:
    """The admin goes on with its own object (the hours' inlines, the log, the redirect): it
    becomes the row the service created."""
    for field in ["id", "created_at", "updated_at"]:
        setattr(obj, field, getattr(saved, field))
    obj._state.adding = False
    obj._state.db = saved._state.db


class StaleFilter(admin.SimpleListFilter):
    title = _("kept current")
    parameter_name = "stale"

    def lookups(self, request, model_admin):
        return [("yes", _("not updated for 90 days"))]

    def queryset(self, request, queryset):
        return queryset.stale() if self.value() == "yes" else queryset


@admin.register(Station)
class StationAdmin(ScopedAdmin):
    """Saves go through the doorstep service, as on the staff pages: a renamed station renames
    its services in the search index too."""

    list_display = ["name", "area", "phone", "updated_at"]
    list_filter = [StaleFilter, ("area", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["area"]
    search_fields = ["name", "address", "area__name"]
    inlines = [PeriodInline, ExceptionInline]

    def save_model(self, request, obj, form, change):
        """The hours are the inlines', saved after the station."""
        fields = _fields(form, ["area", "name", "address", "directions", "phone"])
        if change:
            services.station_update(station=obj, actor=request.user, **fields)
        else:
            _created(obj, services.station_create(actor=request.user, **fields))


@admin.register(Service)
class ServiceAdmin(ScopedAdmin):
    """Saves and removals go through the doorstep services, so that they count as updating the
    station, as on the staff pages."""

    list_display = ["title", "category", "station", "provider", "access"]
    list_filter = ["category", "access", ("station__area", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["station", "provider"]
    search_fields = ["title", "description", "provider__name"]
    inlines = [ServicePeriodInline, ServiceExceptionInline]

    def save_model(self, request, obj, form, change):
        """The hours are the inlines', saved after the service."""
        fields = _fields(
            form,
            [
                "station",
                "title",
                "category",
                "description",
                "audience",
                "provider",
                "at_station",
                "place_name",
                "place_address",
                "access",
                "what_to_bring",
            ],
        )
        if change:
            services.service_update(service=obj, actor=request.user, **fields)
        else:
            _created(obj, services.service_create(actor=request.user, **fields))

    def delete_model(self, request, obj):
        services.service_delete(actor=request.user, service=obj)

    def delete_queryset(self, request, queryset):
        for service in queryset:
            services.service_delete(actor=request.user, service=service)
