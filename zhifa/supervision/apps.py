from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "zhifa.supervision"
    label = "supervision"
    verbose_name = "行政执法监督"

    def ready(self) -> None:
        from zhifa.supervision import assessment_ledger, clue_workflow, evaluation_figures, evaluation_ledger

        clue_workflow.register()  # 监督线索: the steps and the ledger kind
        evaluation_ledger.register()
        evaluation_figures.register()  # 案卷评查 in the 年报
        assessment_ledger.register()  # 年度考核: the steps' events
