from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "zhifa.supervision"
    label = "supervision"
    verbose_name = "行政执法监督"

    def ready(self) -> None:
        from zhifa.supervision import clue_workflow

        clue_workflow.register()  # 监督线索: the steps and the ledger kind
        # The cockpit's periodic refresh (huey finds only modules named tasks.py by itself).
        from zhifa.supervision import cockpit_tasks  # noqa: F401
