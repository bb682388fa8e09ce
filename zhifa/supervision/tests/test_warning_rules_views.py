"""预警规则 page: supervisors see every rule with its thresholds and their region's hits; a 司法局
supervisor changes a threshold or disables a rule with a reason; everyone else is refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from zhifa.accounts.models import Role
from zhifa.core.calendar import today
from zhifa.ledger.models import LedgerLeaf
from zhifa.supervision import warning_services as ws
from zhifa.supervision.models_warnings import WarningHit, WarningRule, WarningRuleEvent
from zhifa.supervision.tests.filing_world import a_case
from zhifa.testing.factories import AgencyFactory, make_user

pytestmark = pytest.mark.django_db
RULES = "/supervision/warnings/rules/"
EDIT = "/supervision/warnings/rules/surcharge_court_window/"


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def j(jurisdiction):
    for days in (120, 130):
        a_case(jurisdiction.agency, status="investigation", filed_on=today() - dt.timedelta(days=days))
    a_case(jurisdiction.outside, status="investigation", filed_on=today() - dt.timedelta(days=120))
    ws.warnings_run()
    first = WarningHit.objects.filter(rule__code="case_overdue", agency=jurisdiction.agency).first()
    ws.warning_dismiss(actor=jurisdiction.supervisor, hit=first, reason="已批准延长办案期限")
    township_bureau = AgencyFactory(
        region=jurisdiction.other.region, is_justice_bureau=True, name="测试镇司法所"
    )
    jurisdiction.township = make_user(Role.SUPERVISOR, agency=township_bureau)
    return jurisdiction


def test_the_page_lists_every_rule_with_its_thresholds_and_the_regions_hits(j):
    page = client_for(j.supervisor).get(RULES).content.decode()
    for rule in WarningRule.objects.all():
        assert rule.code in page and rule.name in page
    assert "届满前提前预警天数：15" in page and "纠错率阈值（%）：10" in page
    # case_overdue: the region has one open and one dismissed (the other county's is not counted).
    assert '?rule=case_overdue&amp;status=open">1</a>' in page
    assert '?rule=case_overdue&amp;status=dismissed">1</a>' in page
    assert f'href="{EDIT}"' in page
    assert "/supervision/warnings/rules/" in client_for(j.supervisor).get("/supervision/").content.decode()


def test_a_bureau_supervisor_changes_a_threshold_with_a_reason(j):
    client = client_for(j.supervisor)
    assert "修改理由" in client.get(EDIT).content.decode()
    refused = client.post(EDIT, {"enabled": "on", "param_warn_days": "20", "reason": ""})
    assert refused.status_code == 400 and "修改预警规则应写明理由。" in refused.content.decode()
    negative = client.post(EDIT, {"enabled": "on", "param_warn_days": "-1", "reason": "试"})
    assert negative.status_code == 400 and "阈值不能为负数。" in negative.content.decode()
    done = client.post(
        EDIT, {"enabled": "on", "param_warn_days": "30", "reason": "法院受理需时较长，提前一个月提醒"}
    )
    assert done.status_code == 302 and done.url == RULES
    rule = WarningRule.objects.get(code="surcharge_court_window")
    assert rule.enabled and rule.params == {"warn_days": 30}
    event = WarningRuleEvent.objects.get()
    assert event.before == {"enabled": True, "params": {"warn_days": 15}} and event.actor == j.supervisor
    assert LedgerLeaf.objects.filter(ref=f"supervision.warningruleevent:{event.pk}").exists()
    page = client.get(EDIT).content.decode()
    assert "法院受理需时较长" in page  # the change is listed under the form
    unchanged = client.post(EDIT, {"enabled": "on", "param_warn_days": "30", "reason": "再次"})
    assert unchanged.status_code == 400 and "没有变化" in unchanged.content.decode()


def test_disabling_a_rule_from_the_page_stops_its_new_hits(j):
    done = client_for(j.supervisor).post(
        "/supervision/warnings/rules/case_overdue/", {"param": "", "reason": "系统迁移期间暂停"}
    )
    assert done.status_code == 302 and not WarningRule.objects.get(code="case_overdue").enabled
    new = a_case(j.agency, status="investigation", filed_on=today() - dt.timedelta(days=150))
    ws.warnings_run()
    assert not WarningHit.objects.filter(rule__code="case_overdue", object_id=new.pk).exists()
    assert "停用" in client_for(j.supervisor).get(RULES).content.decode()


def test_everyone_else_is_refused(j):
    for user in (j.head, j.officer, j.other_head):
        assert client_for(user).get(RULES).status_code == 403
        assert client_for(user).get(EDIT).status_code == 403
        assert client_for(user).post(EDIT, {"param_warn_days": "1", "reason": "x"}).status_code == 403
    # A township 司法所 sees the rules and its hits, but the thresholds are the county's to set.
    township = client_for(j.township)
    page = township.get(RULES)
    assert page.status_code == 200 and f'href="{EDIT}"' not in page.content.decode()
    assert township.get(EDIT).status_code == 403
    assert township.post(EDIT, {"param_warn_days": "1", "reason": "x"}).status_code == 403
    assert client_for(j.supervisor).get("/supervision/warnings/rules/nonsense/").status_code == 404
    anonymous = client_for(None)
    assert anonymous.get(RULES).status_code == 302 and anonymous.post(EDIT, {}).status_code == 302
    assert WarningRule.objects.get(code="surcharge_court_window").params == {"warn_days": 15}
    assert not WarningRuleEvent.objects.exists()
