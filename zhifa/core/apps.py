from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class CoreConfig(AppConfig):
    name = "zhifa.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        from zhifa.core import process_cache
        from zhifa.core.models import CalendarOverride, JurisdictionSetting

        # Not a business rule: the per-process copy of these rows is dropped when they change.
        for model in (JurisdictionSetting, CalendarOverride):
            post_save.connect(
                process_cache.on_change, sender=model, dispatch_uid=f"process_cache_{model.__name__}"
            )
            post_delete.connect(
                process_cache.on_change, sender=model, dispatch_uid=f"process_cache_del_{model.__name__}"
            )
