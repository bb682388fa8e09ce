"""Inspection tasks for staff (mounted at /inspections/tasks/, namespace "inspection_tasks")."""

from django.urls import path

from zhifa.inspections import task_views as v

app_name = "inspection_tasks"

urlpatterns = [
    path("", v.task_list, name="list"),
    path("warnings/", v.warning_list, name="warnings"),
    path("results-due/", v.results_due, name="results_due"),
    path("figures/", v.figures, name="figures"),
    path("<int:pk>/", v.task_detail, name="detail"),
    path("<int:pk>/qr.svg", v.task_qr, name="qr"),
    path("<int:pk>/attach/", v.task_attach, name="attach"),
    path("<int:pk>/step/<str:code>/", v.task_step, name="step"),
]
