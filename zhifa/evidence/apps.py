from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "zhifa.evidence"
    label = "evidence"
    verbose_name = "证据与音像记录"

    def ready(self) -> None:
        from zhifa.cases import recording_gate
        from zhifa.evidence import payloads, recording
        from zhifa.ledger import registry

        recording_gate.install(recording.coverage)
        registry.register("evidence", payloads.payloads, existing=payloads.existing)
