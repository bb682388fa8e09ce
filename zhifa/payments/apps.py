from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "zhifa.payments"
    label = "payments"
    verbose_name = "罚没款收缴"

    def ready(self) -> None:
        from zhifa.ledger.registry import register
        from zhifa.payments import ledger

        register(ledger.KIND, ledger.payloads, existing=ledger.existing_imports)
        register(ledger.LINE_KIND, ledger.payloads, existing=ledger.existing_lines)
