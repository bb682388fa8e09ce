"""The cockpit page, its drill-down links and chart data, the home card, the command, and who is
refused."""

from __future__ import annotations

import json
import re

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client

from zhifa.supervision.models_cockpit import CaseFact, CockpitCursor
from zhifa.supervision.tests.cockpit_world import NOW, cw_fixture  # noqa: F401

pytestmark = pytest.mark.django_db

URL = "/supervision/cockpit/"


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def chart_data(page) -> dict:
    match = re.search(
        r'<script id="cockpit-data" type="application/json">(.*?)</script>', page.content.decode(), re.S
    )
    assert match, "the chart data block is missing"
    return json.loads(match.group(1))


def test_the_first_view_with_its_charts_and_links(cw):
    page = client_for(cw.j.supervisor).get(URL, {"year": 2026})
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-figure="cases">5<' in text and 'data-figure="overdue">1<' in text
    assert 'data-figure="correction-rate">66.7<' in text
    assert 'data-figure="clues">0<' in text
    assert f'href="?year=2026&amp;agency={cw.j.agency.pk}"' in text
    assert cw.j.outside.name not in text
    assert "vendor/echarts/echarts.common.min.js" in text and "supervision/cockpit.js" in text
    assert " style=" not in text and "<script>" not in text  # CSP: no inline style or script
    data = chart_data(page)
    assert dict(zip(data["rows"]["labels"], data["rows"]["cases"], strict=True)) == {
        cw.j.agency.region.name: 4,
        cw.j.other.region.name: 1,
    }
    assert {s["name"]: s["value"] for s in data["statuses"]} == {"已结案": 3, "调查取证": 1, "案源待处理": 1}
    assert "劳动保障监察" in data["remedies"]["labels"]


def test_drilling_down_to_the_case_list(cw):
    client = client_for(cw.j.supervisor)
    agency = client.get(URL, {"year": 2026, "agency": cw.j.agency.pk}).content.decode()
    assert f"?year=2026&amp;agency={cw.j.agency.pk}&amp;domain=LDBZJC" in agency
    domain = client.get(URL, {"year": 2026, "agency": cw.j.agency.pk, "domain": "LDBZJC"}).content.decode()
    assert f"domain=LDBZJC&amp;matter={cw.matter.pk}" in domain
    page = client.get(
        URL, {"year": 2026, "agency": cw.j.agency.pk, "domain": "LDBZJC", "matter": cw.matter.pk}
    )
    text = page.content.decode()
    for key in ("c1", "c2", "c3"):
        assert f'href="/cases/{cw.cases[key].pk}/"' in text
    assert f'href="/cases/{cw.cases["c4"].pk}/"' not in text
    assert "badge-danger" in text  # c3 is past its decision deadline
    # The supervisor may open the case itself (read across the region).
    assert client.get(f"/cases/{cw.cases['c3'].pk}/").status_code == 200


def test_agency_staff_are_refused_and_the_anonymous_sent_to_log_in(cw):
    for user in (cw.j.head, cw.j.officer, cw.j.other_head):
        assert client_for(user).get(URL).status_code == 403
        assert client_for(user).get(URL, {"agency": cw.j.agency.pk}).status_code == 403
    page = Client().get(URL)
    assert page.status_code == 302 and "/accounts/login/" in page["Location"]


def test_another_countys_supervisor_sees_none_of_this_county(cw):
    client = client_for(cw.j.outside_supervisor)
    page = client.get(URL, {"year": 2026})
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-figure="cases">1<' in text
    assert cw.j.agency.name not in text and cw.j.other.name not in text
    assert client.get(URL, {"agency": cw.j.agency.pk}).status_code == 404
    assert (
        client.get(URL, {"agency": cw.j.agency.pk, "domain": "LDBZJC", "matter": cw.matter.pk}).status_code
        == 404
    )


def test_a_malformed_query_falls_back_to_the_first_view(cw):
    page = client_for(cw.j.supervisor).get(URL, {"year": "x", "agency": "1; drop"})
    assert page.status_code == 200
    assert "本辖区" in page.content.decode()


def test_only_get_is_served(cw):
    assert client_for(cw.j.supervisor).post(URL).status_code == 405


def test_the_home_card_links_to_the_cockpit_with_this_years_counts(cw):
    text = client_for(cw.j.supervisor).get("/supervision/").content.decode()
    assert 'href="/supervision/cockpit/"' in text
    assert "本年度案件 <strong>5</strong> 件" in text


def test_the_rebuild_command(cw, capsys):
    CaseFact.objects.all().delete()
    call_command("cockpit", "rebuild")
    assert "驾驶舱数据已重建：案件 6 件" in capsys.readouterr().out
    assert CaseFact.objects.count() == 6
    assert CockpitCursor.objects.get(name="cases").refreshed_at is not None
    call_command("cockpit", "refresh")
    assert "读取案件事件" in capsys.readouterr().out


def test_the_command_refuses_bad_input_with_exit_code_2(cw):
    with pytest.raises(CommandError) as refused:
        call_command("cockpit", "refresh", "--limit", "0")
    assert refused.value.returncode == 2
