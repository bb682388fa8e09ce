from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "zhifa.disclosure"
    label = "disclosure"
    verbose_name = "行政执法公示"

    def ready(self) -> None:
        from zhifa.disclosure.ledger import register

        register()

        from django.db.models.signals import post_migrate

        from zhifa.disclosure.search_index import after_migrate

        post_migrate.connect(after_migrate, sender=self, dispatch_uid="disclosure.search_index")
