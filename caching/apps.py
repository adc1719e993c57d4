from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CachingConfig(AppConfig):
    name = "caching"
    verbose_name = _("cache")

    def ready(self) -> None:
        from caching import checks, versions  # noqa: F401  (registers the deploy checks)

        versions.connect_signals()
