"""事前公开: the list builders, publishing and refreshing them, the law-change flag, the command."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from zhifa.catalog.models import Law, LawArticle, MatterKind
from zhifa.catalog.models_public import InspectionItem, ServiceGuide
from zhifa.core.errors import DomainError, InvalidInput, NotPermitted
from zhifa.disclosure import prior
from zhifa.disclosure.models import PRIOR_KINDS, Kind, Publication, State
from zhifa.disclosure.prior.builders import build_matters, build_officers
from zhifa.disclosure.services import publication_approve
from zhifa.org.models import CertificateStatus, Gender
from zhifa.testing import unchanged_db
from zhifa.testing.factories import (
    AnnualReviewFactory,
    CertificateFactory,
    OfficerFactory,
    first_version,
    make_matter,
)

DAY = dt.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC), tick=False):
        yield


def certified(world, name, **cert):
    officer = OfficerFactory(
        agency=world.agency, name=name, gender=Gender.FEMALE, is_active=cert.pop("active", True)
    )
    c = CertificateFactory(officer=officer, domains=[world.domain], **cert)
    AnnualReviewFactory(certificate=c, year=2025, reviewed_on=dt.date(2025, 12, 1))
    return c


# ── builders ────────────────────────────────────────────────────────────────────────────────


def test_officer_list_has_only_those_entitled_to_enforce_today(world):
    ok = certified(world, "李有效", number="ZF-OK")
    certified(world, "王过期", number="ZF-EXPIRED", valid_until=dt.date(2026, 2, 1))
    certified(world, "赵暂扣", number="ZF-SUSPENDED", status=CertificateStatus.SUSPENDED)
    certified(world, "钱吊销", number="ZF-REVOKED", status=CertificateStatus.REVOKED)
    certified(world, "孙离岗", number="ZF-INACTIVE", active=False)
    # Never reviewed: 年审 was due 2026-01-01.
    CertificateFactory(officer=OfficerFactory(agency=world.agency, name="周逾期"), number="ZF-OVERDUE")
    items = build_officers(world.agency, DAY).content["items"]
    assert items == [
        {
            "name": "李有效",
            "gender": "女",
            "domains": "劳动保障监察",
            "area": ok.area.name,
            "number": "ZF-OK",
            "valid_until": "2030-01-01",
        }
    ]
    json.dumps(items)


def test_matter_list_has_the_matters_in_force_with_bases_and_flow_charts(world):
    make_matter(agency=world.agency, domain=world.domain, code="FUTURE", effective_from=dt.date(2027, 1, 1))
    repealed = make_matter(agency=world.agency, domain=world.domain, code="GONE")
    repealed.repealed_on = dt.date(2026, 1, 1)
    repealed.save()
    make_matter(
        agency=world.agency,
        domain=world.domain,
        code="LIC",
        kind=MatterKind.LICENSING,
        name="劳务派遣行政许可",
    )
    items = build_matters(world.agency, DAY).content["items"]
    assert [i["code"] for i in items] == sorted([world.matter.code, "LIC"])
    penalty, licensing = items[1], items[0]
    assert penalty["bases"][0]["citation"] == "《劳动保障监察条例》第二十六条"
    assert [f["procedure"] for f in penalty["flowcharts"]] == ["general", "on_the_spot"]
    assert licensing["flowcharts"] == []


def test_free_text_is_redacted_and_officer_names_are_not(world):
    version = first_version(world.matter)
    version.description = "举报人张三丰，身份证号11010519491231002X。"
    version.save()
    built = build_matters(world.agency, DAY)
    assert "11010519491231002X" not in json.dumps(built.content, ensure_ascii=False)
    assert built.marks
    certified(world, "欧阳明", number="ZF-NAME")
    assert build_officers(world.agency, DAY).content["items"][0]["name"] == "欧阳明"


def test_inspection_items_and_guides_in_force(world):
    InspectionItem.objects.create(
        agency=world.agency,
        code="CC-1",
        version=1,
        name="工资支付情况抽查",
        subject_type="用人单位",
        basis="《劳动保障监察条例》第十一条",
        content="工资按时足额支付情况",
        method="现场检查",
        ratio="每年不低于5%",
        effective_from=dt.date(2025, 1, 1),
        effective_to=dt.date(2025, 12, 31),
        change_note="制定",
    )
    InspectionItem.objects.create(
        agency=world.agency,
        code="CC-1",
        version=2,
        name="工资支付情况抽查",
        subject_type="用人单位",
        basis="《劳动保障监察条例》第十一条",
        content="工资按时足额支付情况",
        method="书面检查",
        ratio="每年不低于3%",
        effective_from=dt.date(2026, 1, 1),
        change_note="调整比例",
    )
    items = prior.build(world.agency, Kind.INSPECTIONS, DAY).content["items"]
    assert [(i["code"], i["version"], i["ratio"]) for i in items] == [("CC-1", 2, "每年不低于3%")]
    ServiceGuide.objects.create(
        version=first_version(world.matter),
        process="受理—审查—决定",
        materials="申请书",
        time_limit="20个工作日",
        contacts="咨询电话 020-12345678",
    )
    guides = prior.build(world.agency, Kind.GUIDES, DAY).content["items"]
    assert guides[0]["time_limit"] == "20个工作日"


# ── law changes ─────────────────────────────────────────────────────────────────────────────


def _law(version_date: dt.date) -> LawArticle:
    law = Law.objects.create(
        title="劳动保障监察条例",
        short_title="劳动保障监察条例",
        version_date=version_date,
        source_name="x.md",
    )
    return LawArticle.objects.create(
        law=law, position=1, number=26, label="第二十六条", text="用人单位有下列行为之一的……"
    )


def test_law_change_flags_the_matter_catalog(world):
    old = _law(dt.date(2004, 11, 1))
    first_version(world.matter).bases.update(article=old)
    assert prior.law_changes(world.agency, DAY) == []
    _law(dt.date(2026, 1, 15))  # imported; the basis still cites the 2004 text
    (change,) = prior.law_changes(world.agency, DAY)
    assert "引用的是 2004-11-01 版本" in change.message and "2026-01-15 修改" in change.message
    stale = {s.kind: s for s in prior.prior_changed(world.agency, DAY)}
    assert any("请核对法律依据" in r for r in stale[Kind.MATTERS].reasons)


def test_law_amended_after_the_matter_took_effect(world):
    new = _law(dt.date(2026, 1, 15))
    first_version(world.matter).bases.update(article=new)  # relinked on import; matter from 2024
    (change,) = prior.law_changes(world.agency, DAY)
    assert "晚于本事项现行版本的施行日期 2024-01-01" in change.message


# ── publishing ──────────────────────────────────────────────────────────────────────────────


def test_prior_publish_drafts_for_approval_then_nothing_is_out_of_date(world):
    certified(world, "李有效", number="ZF-OK")
    assert {s.kind for s in prior.prior_changed(world.agency, DAY)} >= {
        Kind.AGENCY,
        Kind.OFFICERS,
        Kind.MATTERS,
    }
    version = prior.prior_publish(actor=world.admin, agency=world.agency, kind=Kind.OFFICERS)
    assert version.approved_at is None and version.publication.state == State.DRAFT
    assert version.effective_from == DAY
    publication_approve(actor=world.admin, version=version)
    assert Kind.OFFICERS not in {s.kind for s in prior.prior_changed(world.agency, DAY)}
    with unchanged_db(), pytest.raises(DomainError, match="内容相同"):
        prior.prior_publish(actor=world.admin, agency=world.agency, kind=Kind.OFFICERS)


def test_prior_publish_refused(world):
    with unchanged_db():
        for user in (world.officer, world.supervisor, world.other_admin):
            with pytest.raises(NotPermitted):
                prior.prior_publish(actor=user, agency=world.agency, kind=Kind.AGENCY)
        with pytest.raises(InvalidInput):
            prior.prior_publish(actor=world.admin, agency=world.agency, kind=Kind.DECISION)
        with pytest.raises(DomainError, match="没有可公开的条目"):
            prior.prior_publish(actor=world.admin, agency=world.agency, kind=Kind.INSPECTIONS)


def test_refresh_drafts_only_what_changed(world):
    certified(world, "李有效", number="ZF-OK")
    drafts = prior.prior_refresh(actor=world.head, agency=world.agency)
    assert {d.publication.kind for d in drafts} == {Kind.AGENCY, Kind.OFFICERS, Kind.MATTERS}
    for d in drafts:
        publication_approve(actor=world.head, version=d)
    assert prior.prior_refresh(actor=world.head, agency=world.agency) == []
    world.agency.phone = "020-88886666"
    world.agency.save()
    (again,) = prior.prior_refresh(actor=world.head, agency=world.agency)
    assert again.publication.kind == Kind.AGENCY and again.number == 2
    assert again.content["phone"] == "020-88886666"  # the agency's own public number is not masked


def test_command_reports_drafts_and_publishes(world):
    out = StringIO()
    call_command(
        "disclosure", "refresh-lists", "--agency", str(world.agency.pk), stdout=out, stderr=StringIO()
    )
    assert "执法主体信息：尚未公开" in out.getvalue()
    assert not Publication.objects.exists()
    out = StringIO()
    call_command(
        "disclosure",
        "refresh-lists",
        "--agency",
        str(world.agency.pk),
        "--approve-as",
        world.admin.username,
        stdout=out,
        stderr=StringIO(),
    )
    assert "已发布 2 项" in out.getvalue()  # 主体信息 and 事项清单 (no officer is certified)
    assert set(Publication.objects.filter(state=State.PUBLISHED).values_list("kind", flat=True)) == {
        Kind.AGENCY,
        Kind.MATTERS,
    }
    assert set(Publication.objects.values_list("kind", flat=True)) <= set(PRIOR_KINDS)


def test_command_refuses_bad_input(world):
    with unchanged_db():
        with pytest.raises(CommandError, match="不存在") as missing:
            call_command(
                "disclosure", "refresh-lists", "--as", "nobody", stdout=StringIO(), stderr=StringIO()
            )
        assert missing.value.returncode == 2
        with pytest.raises(CommandError, match="不能更新"):
            call_command(
                "disclosure",
                "refresh-lists",
                "--agency",
                str(world.agency.pk),
                "--as",
                world.other_admin.username,
                stdout=StringIO(),
                stderr=StringIO(),
            )


# ── the staff page of every kind ────────────────────────────────────────────────────────────


@pytest.mark.parametrize("kind", Kind.values)
def test_the_staff_page_shows_every_kind_as_a_draft_and_in_its_history(world, kind, client):
    from django.urls import reverse

    from zhifa.disclosure.prior.builders import BUILDERS
    from zhifa.disclosure.services import publication_prepare

    certified(world, "李有效", number="ZF-OK")
    built = BUILDERS[kind](world.agency, DAY).content if kind in BUILDERS else {}
    if not built or built.get("items") == []:
        # A row shaped like the builders' (plain fields and a nested list), for the lists this
        # world has nothing for, and the nested figures of a 年报.
        built = {
            "items": [
                {
                    "name": "工资支付情况",
                    "code": "RS-JC-001",
                    "bases": [{"citation": "《劳动保障监察条例》第十一条"}],
                }
            ]
        }
    if kind == Kind.DECISION:
        built = {"party": "某某公司", "facts": "经查，拖欠工资。"}
    version = publication_prepare(
        actor=world.admin,
        agency=world.agency,
        kind=kind,
        subject=f"test:{kind}",
        title="测试公示",
        content=built,
    )
    client.force_login(world.admin)
    url = reverse("disclosure:review", args=[version.publication.pk])
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "{&#x27;" not in text and "[{" not in text  # rows in words, never a Python repr
    publication_approve(actor=world.admin, version=version)
    page = client.get(url)
    assert page.status_code == 200 and "版本历史" in page.content.decode()
    if "items" in built:
        assert "1. " in page.content.decode() and "条目" in page.content.decode()
