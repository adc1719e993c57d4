from django.apps import AppConfig, apps
from django.db.models.signals import m2m_changed, post_delete, post_save


class LujiazuiConfig(AppConfig):
    """The project package: wires the apps together (pages across apps, the demo loader)."""

    name = "lujiazui"
    verbose_name = "Lujiazui"

    def ready(self) -> None:
        from lujiazui import page_cache

        # A change to anything public pages show renews the page cache when it commits.
        for label in page_cache.PUBLIC_MODELS:
            model = apps.get_model(label)
            post_save.connect(page_cache.public_model_changed, sender=model)
            post_delete.connect(page_cache.public_model_changed, sender=model)
        m2m_changed.connect(page_cache.public_relation_changed)
