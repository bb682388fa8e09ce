"""/api/inspections/tasks/: the officer's phone takes the same steps through the runner."""

from __future__ import annotations

import json

import pytest

from zhifa.inspections.models import TaskStatus
from zhifa.inspections.tests.task_world import tw_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def post(client, url, body, **headers):
    return client.post(url, json.dumps(body), content_type="application/json", headers=headers)


def test_my_tasks_one_task_and_a_step(tw, client):
    task = tw.task()
    client.force_login(tw.inspector)
    rows = client.get("/api/inspections/tasks/").json()
    assert [r["id"] for r in rows] == [task.pk] and rows[0]["subject_uscc"] == tw.subject.uscc
    detail = client.get(f"/api/inspections/tasks/{task.pk}").json()
    assert detail["code_url"].endswith(f"/public/inspections/code/{task.code}/")
    assert [s["code"] for s in detail["available_steps"]] == ["start"]
    assert {i["id"] for i in detail["items"]} == {tw.item.pk, tw.item2.pk}
    url = f"/api/inspections/tasks/{task.pk}/steps/start"
    first = post(client, url, {"code_shown": True, "place": "现场"}, **{"Idempotency-Key": "p1"})
    assert first.status_code == 200 and first.json()["status"] == TaskStatus.ON_SITE
    again = post(client, url, {"code_shown": True, "place": "现场"}, **{"Idempotency-Key": "p1"})
    assert again.json()["replayed"] is True
    moved = post(client, url, {"code_shown": True, "place": "现场"})
    assert moved.status_code == 409
    checklist = post(
        client,
        f"/api/inspections/tasks/{task.pk}/steps/checklist",
        {f"answer_{tw.item.pk}": "pass", f"answer_{tw.item2.pk}": "fail", f"note_{tw.item2.pk}": "未签合同"},
    )
    assert checklist.status_code == 200
    assert task.checks.filter(answer="fail").get().note == "未签合同"


def test_refusals(tw, client):
    task = tw.task()
    url = f"/api/inspections/tasks/{task.pk}"
    assert client.get(url).status_code == 401
    client.force_login(tw.outsider)
    assert client.get(url).status_code == 404
    assert post(client, url + "/steps/start", {"code_shown": True, "place": "x"}).status_code == 404
    client.force_login(tw.head)
    assert client.get(url).status_code == 200
    refused = post(client, url + "/steps/start", {"code_shown": True, "place": "x"})
    assert refused.status_code == 403 and "检查人员" in refused.json()["message"]
    client.force_login(tw.admin)
    assert client.get("/api/inspections/tasks/").status_code == 403
    client.force_login(tw.inspector)
    assert client.get(url + "/steps/nothing").status_code in (404, 405)
    assert post(client, url + "/steps/nothing", {}).status_code == 404
    assert client.get("/api/inspections/tasks/?status=bogus").status_code == 400
