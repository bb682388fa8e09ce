"""预警规则 pages (joined into zhifa.supervision.urls; names reverse as supervision:<name>)."""

from django.urls import path

from zhifa.supervision import warning_views as v

urlpatterns = [
    path("warnings/rules/", v.warning_rules, name="warning_rules"),
    path("warnings/rules/<slug:code>/", v.warning_rule_edit, name="warning_rule_edit"),
]
