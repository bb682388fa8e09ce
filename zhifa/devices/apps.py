from django.apps import AppConfig


class DevicesConfig(AppConfig):
    name = "zhifa.devices"
    label = "devices"
    verbose_name = "非现场执法"

    def ready(self) -> None:
        from zhifa.devices import ledger
        from zhifa.ledger.registry import register

        register(ledger.DEVICE, ledger.device_payloads, existing=ledger.existing_devices)
        register(ledger.EVENT, ledger.event_payloads, existing=ledger.existing_events)
