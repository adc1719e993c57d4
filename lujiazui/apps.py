import axes.apps
import django_tasks_db.apps
from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp import apps as otp_totp_apps


class LujiazuiConfig(AppConfig):
    """The project package: wires the apps together (pages across apps, the demo loader)."""

    name = "lujiazui"
    verbose_name = "Lujiazui"


# The admin's sections of third-party apps, named in the reader's language. Each is listed in
# INSTALLED_APPS in place of the app's own config; `default = False` keeps them from being taken
# for this package's own config.


class PortalAdminConfig(admin_apps.AdminConfig):
    """The admin with the portal's site: the portal's own sections before third-party ones."""

    default = False
    default_site = "lujiazui.admin_site.PortalAdminSite"


class AxesConfig(axes.apps.AppConfig):
    default = False
    verbose_name = _("login lockouts")


class TasksDatabaseConfig(django_tasks_db.apps.TasksAppConfig):
    default = False
    verbose_name = _("background tasks")


class TOTPConfig(otp_totp_apps.DefaultConfig):
    default = False
    verbose_name = _("two-step login devices")
