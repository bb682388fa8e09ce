"""The public page a 检查码 opens (mounted at /public/inspections/code/, namespace "inspection_code")."""

from django.urls import path

from zhifa.inspections import task_views as v

app_name = "inspection_code"

urlpatterns = [path("<str:code>/", v.code_detail, name="detail")]
