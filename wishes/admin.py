from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from governance.admin import ManagedAreaFilter
from residents.admin import ScopedAdmin
from wishes import services
from wishes.models import Wish, WishStatus
from wishes.services import EDITABLE_FIELDS


@admin.register(Wish)
class WishAdmin(ScopedAdmin):
    """Lists and filters wishes; edits and steps go through the wish services, which keep the
    rules (the status itself is never edited here)."""

    list_display = ["title", "area", "category", "status", "wanted_by", "claimed_by_organization"]
    list_filter = [ManagedAreaFilter, "status", "category"]
    list_select_related = ["area", "claimed_by_organization"]
    search_fields = ["title", "text"]
    ordering = ["-created_at", "-pk"]
    fields = [
        "area",
        "status",
        *EDITABLE_FIELDS,
        "claimed_by_organization",
        "claimed_by_name",
        "claimer_contact",
        "fulfilment_note",
        "thanks_note",
        "withdrawal_reason",
        "created_at",
        "published_at",
        "claimed_at",
        "fulfilled_at",
        "thanked_at",
        "withdrawn_at",
    ]
    actions = ["publish_wishes"]

    def get_readonly_fields(self, request, obj=None):
        editable = EDITABLE_FIELDS if obj is not None and obj.is_editable else []
        return [name for name in self.fields if name not in editable]

    def has_add_permission(self, request):
        return False  # wishes are recorded on the staff pages, through wish_record

    def has_delete_permission(self, request, obj=None):
        return False  # a wish is withdrawn with a reason, never deleted

    def save_model(self, request, obj, form, change):
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        if changes:
            services.wish_edit(wish=obj, actor=request.user, **changes)

    @admin.action(description=_("Publish the selected wishes on the wall"))
    def publish_wishes(self, request, queryset):
        published = 0
        for wish in queryset.filter(status=WishStatus.SUBMITTED):
            try:
                services.wish_publish(wish=wish, actor=request.user)
            except (ValidationError, PermissionDenied):
                continue
            published += 1
        self.message_user(
            request,
            ngettext("%(count)d wish published.", "%(count)d wishes published.", published)
            % {"count": published},
        )
