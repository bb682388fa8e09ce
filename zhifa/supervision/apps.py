from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "zhifa.supervision"
    label = "supervision"
    verbose_name = "行政执法监督"

    def ready(self) -> None:
        from zhifa.supervision import clue_workflow

        clue_workflow.register()  # 监督线索: the steps and the ledger kind

        from zhifa.supervision import (
            filing_ledger,
            filing_settings,
            filing_workflow,
            warning_tasks,  # noqa: F401  (its periodic task, for the worker)
        )

        filing_settings.register()
        filing_ledger.register()
        filing_workflow.register()
