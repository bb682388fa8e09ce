"""The admin writes matters, benchmarks, the four lists and the inspection list only through
zhifa.catalog.services; versions stored are history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from zhifa.catalog.models import Benchmark, DiscretionAction, DiscretionFactor, InspectionItem
from zhifa.catalog.services.benchmarks import FactorInput, TierInput, benchmark_amend, benchmark_create
from zhifa.catalog.services.inspections import inspection_item_create
from zhifa.ledger.integrity import verify_log
from zhifa.ledger.models import LedgerLeaf
from zhifa.testing import unchanged_db
from zhifa.testing.admin import errors, form_data, sysadmin_client
from zhifa.testing.factories import AgencyFactory, first_version, make_matter

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return sysadmin_client()[0]


@pytest.fixture
def matter():
    return make_matter(effective_from=dt.date(2024, 1, 1))


def url(model: str, view: str, *args: int) -> str:
    return reverse(f"admin:catalog_{model}_{view}", args=args)


# ── matters ─────────────────────────────────────────────────────────────────────────────


def test_matter_admin_cannot_set_repealed_on_past_matter_repeal(client, matter):
    change = url("matter", "change", matter.pk)
    page = client.get(change)
    assert set(page.context["adminform"].form.fields) == {"repealed_on", "repeal_reason"}
    # matter_repeal's rules: a reason, and a day after the version in force began.
    with unchanged_db():
        response = client.post(change, form_data(page, repealed_on="2024-06-01", repeal_reason=""))
    assert response.status_code == 200 and "须写明理由" in errors(response)
    with unchanged_db():
        response = client.post(change, form_data(page, repealed_on="2023-12-31", repeal_reason="法律废止"))
    assert response.status_code == 200 and "须晚于现行版本的施行日期" in errors(response)
    response = client.post(change, form_data(page, repealed_on="2024-06-01", repeal_reason="法律废止"))
    assert response.status_code == 302
    matter.refresh_from_db()
    assert matter.repealed_on == dt.date(2024, 6, 1)
    assert first_version(matter).effective_to == dt.date(2024, 5, 31)  # the service ended the version
    assert client.post(change, form_data(page, repeal_reason="再次")).status_code == 403  # history now


def test_matters_and_versions_are_not_added_or_deleted_here(client, matter):
    assert client.get(url("matter", "add")).status_code == 403
    assert client.get(url("matterversion", "add")).status_code == 403
    assert client.post(url("matter", "delete", matter.pk), {"post": "yes"}).status_code == 403
    version = first_version(matter)
    change = url("matterversion", "change", version.pk)
    assert client.get(change).status_code == 200
    assert client.post(change, {"name": "改名"}).status_code == 403


def test_law_library_is_read_only(client):
    assert client.get(url("law", "add")).status_code == 403


# ── benchmarks ──────────────────────────────────────────────────────────────────────────

TIER = {
    "tiers-TOTAL_FORMS": "1",
    "tiers-0-circumstance": "general",
    "tiers-0-conditions": "一般情形",
    "tiers-0-kinds": '["warning", "fine"]',
    "tiers-0-fine_min": "2000",
    "tiers-0-fine_max": "10000",
    "tiers-0-multiple_of": "",
    "tiers-0-clause": "处二千元以上一万元以下罚款。",
}


def benchmark_post(client, matter, **changes):
    fields = {
        "matter": matter.pk,
        "title": "测试裁量基准",
        "document_ref": "测规〔2025〕1号",
        "effective_from": "2025-01-01",
        "change_note": "首次制定。",
    }
    data = form_data(client.get(url("benchmark", "add")), **(fields | TIER | changes))
    return client.post(url("benchmark", "add"), data)


def test_benchmark_admin_creates_through_the_service_with_a_ledger_leaf(client, matter):
    response = benchmark_post(client, matter)
    assert response.status_code == 302, errors(response)
    benchmark = Benchmark.objects.get(matter=matter)
    assert benchmark.version == 1 and benchmark.tiers.get().kinds == ["warning", "fine"]
    event = benchmark.events.get()
    assert event.action == DiscretionAction.CREATE and event.actor is not None
    kinds = set(LedgerLeaf.objects.values_list("kind", flat=True))
    assert {"benchmark", "discretion_event"} <= kinds
    verify_log()


def test_benchmark_admin_second_version_ends_the_current(client, matter):
    assert benchmark_post(client, matter).status_code == 302
    response = benchmark_post(client, matter, effective_from="2026-07-01", change_note="调整幅度。")
    assert response.status_code == 302, errors(response)
    v1, v2 = Benchmark.objects.filter(matter=matter).order_by("version")
    assert v1.effective_to == dt.date(2026, 6, 30) and v2.effective_from == dt.date(2026, 7, 1)


def test_benchmark_admin_shows_the_services_refusals(client, matter):
    with unchanged_db():
        response = benchmark_post(client, matter, **{"tiers-TOTAL_FORMS": "0"})
    assert response.status_code == 200 and "至少规定一个情节档次" in errors(response)
    with unchanged_db():
        response = benchmark_post(client, matter, **{"tiers-0-kinds": '["caning"]'})
    assert response.status_code == 200 and "第九条" in errors(response)
    assert benchmark_post(client, matter).status_code == 302
    with unchanged_db():
        response = benchmark_post(client, matter, effective_from="2024-12-31", change_note="改写")
    assert response.status_code == 200 and "同一日只能有一个施行的裁量基准版本" in errors(response)
    with unchanged_db():
        response = benchmark_post(client, matter, document_ref="")
    assert response.status_code == 200 and "document_ref" in errors(response)


def test_benchmark_admin_repeals_the_current_version_and_keeps_history(client, matter):
    benchmark = benchmark_create(
        actor=None,
        matter=matter,
        title="基准",
        document_ref="测规〔2025〕1号",
        effective_from=dt.date(2025, 1, 1),
        tiers=[TierInput("minor", "轻微", ["warning"], "给予警告。")],
    )
    change = url("benchmark", "change", benchmark.pk)
    page = client.get(change)
    assert set(page.context["adminform"].form.fields) == {"repeal_on", "repeal_reason"}
    with unchanged_db():
        response = client.post(change, form_data(page, repeal_on="2026-01-01", repeal_reason=""))
    assert response.status_code == 200 and "写明理由" in errors(response)
    response = client.post(change, form_data(page, repeal_on="2026-01-01", repeal_reason="上位法修改"))
    assert response.status_code == 302
    benchmark.refresh_from_db()
    assert benchmark.effective_to == dt.date(2025, 12, 31)
    assert benchmark.events.filter(action=DiscretionAction.REPEAL).exists()
    # Ended: history, read-only, never deleted.
    assert client.post(change, form_data(page, repeal_on="2027-01-01", repeal_reason="再")).status_code == 403
    assert client.post(url("benchmark", "delete", benchmark.pk), {"post": "yes"}).status_code == 403
    verify_log()


def test_agency_list_entry_through_the_service_and_matter_entries_read_only(client, matter):
    add = url("discretionfactor", "add")
    data = form_data(
        client.get(add),
        agency=matter.agency.pk,
        effect="lenient",
        code="c1",
        label="主动退赔",
        basis="第三十二条",
    )
    assert client.post(add, data).status_code == 302
    factor = DiscretionFactor.objects.get(code="c1")
    assert LedgerLeaf.objects.filter(kind="discretion_factor").count() == 1
    with unchanged_db():
        response = client.post(add, data)
    assert response.status_code == 200 and "已有该编码" in errors(response)
    change = url("discretionfactor", "change", factor.pk)
    assert client.post(change, form_data(client.get(change), label="主动退赔损失")).status_code == 302
    factor.refresh_from_db()
    assert factor.label == "主动退赔损失" and factor.events.count() == 2
    # A matter's own entries come with a benchmark version: read-only here.
    benchmark = benchmark_create(
        actor=None,
        matter=matter,
        title="基准",
        document_ref="文号",
        effective_from=dt.date(2025, 1, 1),
        tiers=[TierInput("minor", "轻微", ["warning"], "给予警告。")],
        factors=[],
    )
    v2 = benchmark_amend(
        actor=None,
        benchmark=benchmark,
        effective_from=dt.date(2026, 1, 1),
        change_note="增加情节",
        factors=[FactorInput("exempt", "m1", "首违", "第三十三条")],
    )
    matter_entry = v2.factors.get()
    change = url("discretionfactor", "change", matter_entry.pk)
    assert client.post(change, {"label": "改"}).status_code == 403
    assert client.post(url("discretionfactor", "delete", factor.pk), {"post": "yes"}).status_code == 403


# ── the inspection list ─────────────────────────────────────────────────────────────────

ITEM = {
    "code": "CC-01",
    "name": "劳动用工检查",
    "subject_type": "用人单位",
    "basis": "《劳动保障监察条例》第十五条",
    "content": "工资支付、工作时间",
    "method": "现场检查",
    "ratio": "每年不低于5%",
    "effective_from": "2025-01-01",
    "change_note": "首次制定。",
}


def test_inspection_item_admin_versions_through_the_services(client):
    agency = AgencyFactory()
    add = url("inspectionitem", "add")
    assert client.post(add, form_data(client.get(add), agency=agency.pk, **ITEM)).status_code == 302
    with unchanged_db():
        response = client.post(add, form_data(client.get(add), agency=agency.pk, **ITEM))
    assert response.status_code == 200 and "同一抽查事项同一日只能有一个施行的版本" in errors(response)
    data = form_data(
        client.get(add), agency=agency.pk, **(ITEM | {"effective_from": "2026-01-01", "ratio": "10%"})
    )
    assert client.post(add, data).status_code == 302
    v1, v2 = InspectionItem.objects.filter(agency=agency, code="CC-01").order_by("version")
    assert v1.effective_to == dt.date(2025, 12, 31) and v2.ratio == "10%"
    assert client.post(url("inspectionitem", "change", v1.pk), {}).status_code == 403  # history


def test_inspection_item_admin_repeal_and_matter_of_another_agency(client):
    agency = AgencyFactory()
    add = url("inspectionitem", "add")
    foreign = make_matter()
    with unchanged_db():
        response = client.post(add, form_data(client.get(add), agency=agency.pk, matter=foreign.pk, **ITEM))
    assert response.status_code == 200 and "不属于" in errors(response)
    item = inspection_item_create(
        actor=None,
        agency=agency,
        code="CC-02",
        effective_from=dt.date(2025, 1, 1),
        **{k: ITEM[k] for k in ("name", "subject_type", "basis", "content", "method", "ratio")},
    )
    change = url("inspectionitem", "change", item.pk)
    response = client.post(change, form_data(client.get(change), repeal_on="2026-01-01"))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.effective_to == dt.date(2025, 12, 31)
