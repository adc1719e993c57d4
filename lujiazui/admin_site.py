"""The portal's admin site: its own sections first, then those of Django and third-party apps."""

from django.apps import apps
from django.contrib import admin

PORTAL_APPS = {
    "residents",
    "governance",
    "wishes",
    "brands",
    "forums",
    "doorstep",
    "inbox",
    "accounts",
    "lujiazui",
}


class PortalAdminSite(admin.AdminSite):
    def get_app_list(self, request, app_label=None):
        """The portal's sections first, then the others, each group in INSTALLED_APPS order."""
        installed = [config.label for config in apps.get_app_configs()]
        app_list = super().get_app_list(request, app_label)
        app_list.sort(
            key=lambda app: (
                app["app_label"] not in PORTAL_APPS,
                installed.index(app["app_label"]),
            )
        )
        return app_list
