from django.contrib import admin

from accounts.models import LoginEvent
from residents.admin import ReadOnlyAdminMixin, ScopedAdmin


@admin.register(LoginEvent)
class LoginEventAdmin(ReadOnlyAdminMixin, ScopedAdmin):
    """The login audit, read only: street staff see their street's logins, a superuser all."""

    list_display = ["at", "username", "user", "ip_address", "outcome"]
    list_filter = ["outcome"]
    list_select_related = ["user"]
    search_fields = ["username", "ip_address"]
    date_hierarchy = "at"
    fields = ["at", "username", "user", "ip_address", "outcome"]
    readonly_fields = fields
