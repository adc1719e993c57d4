from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WishesConfig(AppConfig):
    name = "wishes"
    verbose_name = _("micro-wishes")

    def ready(self) -> None:
        from wishes import notifications  # noqa: F401  (registers what inbox tells about)
