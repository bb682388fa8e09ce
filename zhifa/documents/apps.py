from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "zhifa.documents"
    label = "documents"
    verbose_name = "执法文书"

    def ready(self) -> None:
        from zhifa.documents import checks  # noqa: F401 (registers the deploy checks)
        from zhifa.documents.ledger import KIND, document_payloads, existing_documents
        from zhifa.ledger.registry import register

        register(KIND, document_payloads, existing=existing_documents)
