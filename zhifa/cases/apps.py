from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "zhifa.cases"
    label = "cases"
    verbose_name = "案件办理"

    def ready(self) -> None:
        from zhifa.cases import ledger, steps
        from zhifa.ledger.registry import register

        register(ledger.KIND, ledger.event_payloads, existing=ledger.existing_events)
        register(ledger.CASE_KIND, ledger.case_payloads, existing=ledger.existing_cases)
        steps.register()
