from django.apps import AppConfig


class WorkbenchConfig(AppConfig):
    """The signed-in user's home pages: what needs my attention, gathered from the other apps."""

    name = "zhifa.workbench"
    label = "workbench"
    verbose_name = "工作台"
