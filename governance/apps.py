from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("1+3+N co-governance")

    def ready(self) -> None:
        from governance import notifications  # noqa: F401  (registers what inbox tells about)
