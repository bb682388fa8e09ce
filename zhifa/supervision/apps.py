from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "zhifa.supervision"
    label = "supervision"
    verbose_name = "行政执法监督"

    def ready(self) -> None:
        # The cockpit's periodic refresh (huey finds only modules named tasks.py by itself).
        from zhifa.supervision import cockpit_tasks  # noqa: F401
