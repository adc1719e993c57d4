from django.apps import AppConfig


class LujiazuiConfig(AppConfig):
    """The project package: wires the apps together (pages across apps, the demo loader)."""

    name = "lujiazui"
    verbose_name = "Lujiazui"
