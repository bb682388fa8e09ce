from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "zhifa.cases"
    label = "cases"
    verbose_name = "案件办理"

    def ready(self) -> None:
        from zhifa.cases.ledger import KIND, event_payloads, existing_events
        from zhifa.ledger.registry import register

        register(KIND, event_payloads, existing=existing_events)
