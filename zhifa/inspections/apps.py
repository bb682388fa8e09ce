from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "zhifa.inspections"
    label = "inspections"
    verbose_name = "行政检查与双随机一公开"

    def ready(self) -> None:
        from zhifa.inspections import ledger, task_workflow

        ledger.register()
        task_workflow.register()
