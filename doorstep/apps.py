from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DoorstepConfig(AppConfig):
    name = "doorstep"
    verbose_name = _("doorstep services")
