from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "zhifa.catalog"
    label = "catalog"
    verbose_name = "执法事项与法律法规库"

    def ready(self) -> None:
        from zhifa.catalog import ledger

        ledger.register()
