from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo street (陆家嘴街道) in one place: what each app shows of it, and load_demo."""

    name = "demo"
    verbose_name = _("demo street")
