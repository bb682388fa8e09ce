from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "zhifa.supervision"
    label = "supervision"
    verbose_name = "行政执法监督"

    def ready(self) -> None:
        # The periodic tasks are imported for the worker: huey finds only modules named tasks.py.
        from zhifa.supervision import (
            assessment_ledger,
            clue_workflow,
            cockpit_tasks,  # noqa: F401  (the cockpit's refresh)
            evaluation_figures,
            evaluation_ledger,
            filing_ledger,
            filing_settings,
            filing_workflow,
            warning_tasks,  # noqa: F401  (the warning rules' run)
        )

        clue_workflow.register()  # 监督线索: the steps and the ledger kind
        evaluation_ledger.register()
        evaluation_figures.register()  # 案卷评查 in the 年报
        filing_settings.register()
        filing_ledger.register()
        filing_workflow.register()
        assessment_ledger.register()  # 年度考核: the steps' events
        from zhifa.catalog import benchmark_changes
        from zhifa.supervision.filing_services import filing_open_for_benchmark

        benchmark_changes.install(filing_open_for_benchmark)  # a changed 裁量基准 opens its 备案
