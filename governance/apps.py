from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("1+3+N co-governance")

    def ready(self) -> None:
        from governance.dashboard import case_saved
        from governance.models import Case

        # Kept dashboard figures and workbench lists see every saved case, the admin's too.
        post_save.connect(case_saved, sender=Case, dispatch_uid="governance_case_saved")
        post_delete.connect(case_saved, sender=Case, dispatch_uid="governance_case_deleted")
