from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumsConfig(AppConfig):
    name = "forums"
    verbose_name = _("Forums and publishing")

    def ready(self) -> None:
        from doorstep.signals import services_changed
        from forums import notifications  # noqa: F401  (registers what inbox tells about)
        from forums.services import search
        from wishes.signals import wish_changed

        # The site search keeps the public doorstep services and wishes findable; those apps
        # announce their changes and never import forums.
        services_changed.connect(search.services_changed, dispatch_uid="forums_search_services")
        wish_changed.connect(search.wish_changed, dispatch_uid="forums_search_wishes")
