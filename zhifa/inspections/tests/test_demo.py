"""The demo's 双随机一公开: the registry, the four plans, and every demo draw verifies."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from zhifa.inspections.models import InspectorStatus, Plan, PlanStatus, Subject
from zhifa.inspections.selectors import draw_document
from zhifa.inspections.tests.test_verify import call_command_output, redo
from zhifa.inspections.verify import recompute

pytestmark = pytest.mark.django_db


def test_demo_registry_plans_and_draws(tmp_path):
    out = io.StringIO()
    call_command("demo", "--no-cases", stdout=out)
    assert "双随机一公开" in out.getvalue()
    assert Subject.objects.count() == 2000
    assert Subject.objects.filter(uscc__startswith="92").exists()  # 个体工商户 too
    statuses = dict(Plan.objects.values_list("title", "status"))
    assert sorted(statuses.values()) == sorted(
        [PlanStatus.DRAWN, PlanStatus.DRAWN, PlanStatus.PUBLISHED, PlanStatus.SUBMITTED]
    )
    joint = Plan.objects.get(title__contains="联合")
    assert joint.plan_agencies.count() == 2
    replaced = joint.draw.assignments.first().inspectors.filter(status=InspectorStatus.REPLACED)
    assert replaced.count() == 1 and replaced.get().reason.startswith("抽取后回避")
    for plan in Plan.objects.filter(status=PlanStatus.DRAWN):
        document = draw_document(plan.draw)
        assert document["tasks"], plan.title
        assert recompute(document) == []
        assert redo(document, tmp_path) == 0
        assert "一致" in call_command_output("verify-draw", str(plan.draw.pk))
    again = io.StringIO()
    call_command("demo", "--no-cases", stdout=again)
    assert "抽查计划新建 0" in again.getvalue()
    assert Plan.objects.count() == 4
