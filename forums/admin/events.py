"""Street staff keep events and their time slots here (changed slots and the search index go
through ``forums.services``); bookings are made on the portal's pages and only read here."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext

from forums import services
from forums.models import Booking, Event, EventSession
from forums.permissions import can_see_booking_contacts
from residents.admin import ReadOnlyAdminMixin, ScopedAdmin
from residents.models import Street


class EventSessionInline(admin.TabularInline):
    model = EventSession
    extra = 1
    fields = ["starts_at", "ends_at", "capacity", "seats_taken"]
    readonly_fields = ["seats_taken"]


@admin.register(Event)
class EventAdmin(ScopedAdmin):
    list_display = ["title", "area", "venue", "booking_opens_at", "is_public"]
    list_filter = ["is_public", ("area", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["area"]
    search_fields = ["title", "venue", "address"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [EventSessionInline]

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        street = Street.objects.managed_by(request.user).first()
        if street:
            initial.setdefault("street", street.pk)
        return initial

    def save_related(self, request, form, formsets, change):
        """Events are written here only: once the slots are saved too, the search index has the
        event (with its date) while it is public, and loses it when it is not."""
        super().save_related(request, form, formsets, change)
        services.event_reindex(event_ids=[form.instance.pk])

    def delete_model(self, request, obj):
        event_id = obj.pk
        super().delete_model(request, obj)
        services.event_reindex(event_ids=[event_id])

    def delete_queryset(self, request, queryset):
        event_ids = list(queryset.values_list("pk", flat=True))
        super().delete_queryset(request, queryset)
        services.event_reindex(event_ids=event_ids)

    def save_formset(self, request, form, formset, change):
        """Slots are changed through the service, which never writes the seats taken (a booking
        may have come in meanwhile) and offers new seats to the waitlist straight away."""
        if formset.model is not EventSession:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)
        for session in formset.deleted_objects:
            session.delete()
        for session in formset.new_objects:
            session.save()
        for session, _changed in formset.changed_objects:
            try:
                promoted = services.session_update(
                    session=session,
                    starts_at=session.starts_at,
                    ends_at=session.ends_at,
                    capacity=session.capacity,
                )
            except ValidationError as error:
                for message in error.messages:
                    self.message_user(request, f"{session}: {message}", messages.ERROR)
                continue
            if promoted:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)s waiting booking of %(session)s was confirmed.",
                        "%(count)s waiting bookings of %(session)s were confirmed.",
                        len(promoted),
                    )
                    % {"count": len(promoted), "session": session},
                )


@admin.register(Booking)
class BookingAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Bookings are made, cancelled and checked in on the portal's pages; here they are read."""

    list_display = ["code", "session", "party_size", "status", "created_at", "checked_in_at"]
    list_filter = ["status"]
    list_select_related = ["session__event"]
    search_fields = ["code"]
    show_full_result_count = False
    readonly_fields = [
        "session",
        "code",
        "name",
        "phone",
        "party_size",
        "status",
        "created_at",
        "promoted_at",
        "cancelled_at",
        "checked_in_at",
        "checked_in_by",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).managed_by(request.user)

    def get_readonly_fields(self, request, obj=None):
        if obj and not can_see_booking_contacts(request.user, obj.session.event):
            return [f for f in self.readonly_fields if f not in ("name", "phone")]
        return self.readonly_fields

    def get_fields(self, request, obj=None):
        return self.get_readonly_fields(request, obj)
