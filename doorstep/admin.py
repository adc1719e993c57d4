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
        services.station_save(actor=request.user, station=obj)


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
        services.service_save(actor=request.user, service=obj)

    def delete_model(self, request, obj):
        services.service_delete(actor=request.user, service=obj)

    def delete_queryset(self, request, queryset):
        for service in queryset:
            services.service_delete(actor=request.user, service=service)
