from django.contrib import admin

from inbox.models import Notification
from residents.admin import ReadOnlyAdminMixin, ScopedAdmin


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, ScopedAdmin):
    """A user's own notifications (the installation's superuser: everyone's), read only."""

    list_display = ["created_at", "kind", "recipient", "read_at", "delivery", "emailed_at"]
    list_filter = ["kind", "delivery", ("read_at", admin.EmptyFieldListFilter)]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"
    fields = [
        "recipient",
        "kind",
        "text",
        "content_type",
        "object_id",
        "key",
        "delivery",
        "created_at",
        "read_at",
        "emailed_at",
        "email_attempts",
        "digest",
    ]
    readonly_fields = fields
