"""演示双随机一公开: the item lists, a registry of about 2,000 subjects, and four plans.

- 随机抽查事项清单 of 示例县市场监督管理局 and 示例县人力资源和社会保障局;
- the 检查对象名录库: 2,000 generated market subjects (enterprises "91…" and 个体工商户 "92…")
  in 城关镇, 河西乡 and 东山县, imported through the registry import (one import, the first time);
- plans, taken through their steps on a travelling clock so every date is a real one:
  a yearly plan of the market regulator, published and drawn with a witness; a 跨部门联合抽查
  of the market regulator and the labour inspectorate, drawn, then one inspector recused after
  the draw and replaced by the next in rank; a plan published and waiting for its draw; a plan
  submitted and waiting for the head's approval.

Idempotent: items by code, subjects by credit code (imported only when the registry is empty),
plans by title.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random

import time_machine
from django.utils import timezone

from zhifa.accounts.models import User
from zhifa.catalog.models_public import InspectionItem
from zhifa.catalog.services.inspections import inspection_item_create
from zhifa.demo.data import make_uscc
from zhifa.inspections import services, workflow
from zhifa.inspections.models import InspectorStatus, Plan, PlanStatus, Subject
from zhifa.inspections.registry import HEADER
from zhifa.ledger.services import checkpoint_make
from zhifa.org.models import Agency, EnforcementDomain, Officer

SUBJECTS = 2000
_ITEMS = {
    "samr": [
        (
            "SJ-SP-001",
            "食品经营者经营条件和食品安全管理制度检查",
            "食品经营者",
            "《中华人民共和国食品安全法》第一百一十条",
            "经营许可证照、从业人员健康证明、进货查验记录、贮存条件、过期食品处置",
            "现场检查",
            "每年抽查比例不低于 5%",
        ),
        (
            "SJ-SC-002",
            "营业执照（登记事项）和公示信息检查",
            "各类市场主体",
            "《企业信息公示暂行条例》第十四条",
            "登记的住所（经营场所）、公示的年度报告信息的真实性",
            "现场检查、书面检查",
            "每年抽查比例不低于 3%",
        ),
    ],
    "hrss": [
        (
            "SJ-LD-001",
            "用人单位遵守劳动保障法律法规情况检查",
            "用人单位",
            "《劳动保障监察条例》第十一条",
            "劳动合同订立、工资支付、工作时间、社会保险登记和缴纳",
            "现场检查、书面审查",
            "每年抽查比例不低于 3%",
        ),
    ],
}
_PLACES = [("990121001", "示例县城关镇"), ("990121002", "示例县河西乡"), ("990122", "东山县")]
_WORDS = [
    "福来",
    "兴旺",
    "惠民",
    "金源",
    "鑫达",
    "百味",
    "好运",
    "嘉和",
    "顺发",
    "永盛",
    "宏图",
    "春风",
    "明珠",
    "新城",
    "祥瑞",
    "同心",
    "众诚",
    "华美",
    "荣昌",
    "万家",
]
_KINDS = [
    ("餐饮", "餐饮店", "食品经营许可证"),
    ("食品销售", "副食品商店", "食品经营许可证"),
    ("零售", "日用百货商行", ""),
    ("制造业", "农产品加工厂", "食品生产许可证"),
    ("住宿", "宾馆", "特种行业许可证"),
    ("建筑业", "建筑劳务有限公司", "建筑业企业资质证书"),
]
_CLASSES = ["A"] * 40 + ["B"] * 35 + ["C"] * 18 + ["D"] * 7


def _registry_csv() -> bytes:
    rng = random.Random(14)  # the same registry on every machine
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for n in range(SUBJECTS):
        region, place = _PLACES[n % len(_PLACES)]
        industry, suffix, licence = _KINDS[rng.randrange(len(_KINDS))]
        individual = industry in ("餐饮", "食品销售", "零售") and rng.random() < 0.6
        category = "92" if individual else "91"  # 92: 个体工商户 (工商登记, 个体)
        code = make_uscc(category, region[:6], f"{(n + 1) * 37 % 10**8:08d}")
        name = f"{place}{rng.choice(_WORDS)}{suffix}" + (f"（{n + 1}号）" if n >= 60 else "")
        licences = f"{licence} JY{region}{n:05d}" if licence else ""
        writer.writerow(
            [
                code,
                name,
                f"{place}{rng.choice(_WORDS)}路{n % 200 + 1}号",
                region,
                industry,
                licences,
                rng.choice(_CLASSES),
                "注销" if n % 97 == 0 else "",
            ]
        )
    return out.getvalue().encode("utf-8")


def _head(agency: Agency) -> User:
    officer = (
        Officer.objects.filter(agency=agency, user__role="head", user__isnull=False)
        .select_related("user")
        .first()
    )
    assert officer is not None and officer.user is not None, f"{agency.name} has no head login"
    return officer.user


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _plan(
    title: str,
    *,
    lead: Agency,
    domain: EnforcementDomain,
    created: dt.date,
    draw_at: dt.datetime,
    window: tuple[dt.date, dt.date],
    ratios: dict[str, str],
    items: list[InspectionItem],
    partners: list[tuple[Agency, EnforcementDomain]] | None = None,
    upto: str,
    witness: str = "",
    kind: str = "yearly",
    population: dict | None = None,
) -> Plan:
    head = _head(lead)
    with time_machine.travel(_at(created, 9), tick=False):
        plan = services.plan_create(
            actor=head,
            agency=lead,
            title=title,
            year=created.year,
            kind=kind,
            domain=domain,
            items=items,
            ratios=ratios,
            population=population or {},
            window_start=window[0],
            window_end=window[1],
            draw_at=draw_at,
            witness_rule="抽取日（以北京时间 15:00 为准）上证综合指数收盘点位，保留两位小数，由见证人当场查询并录入",
            partners=partners or [],
        )
        steps = ["submit", "approve", "publish", "lock"]
        for code in steps[: steps.index(upto) + 1] if upto in steps else steps:
            workflow.take(code, actor=head, plan=plan)
        if upto in ("lock", "draw"):
            checkpoint_make(reason=f"抽查计划{plan.number}锁定")
    if upto == "draw":
        with time_machine.travel(draw_at + dt.timedelta(minutes=3), tick=False):
            workflow.take(
                "draw",
                actor=head,
                plan=plan,
                witness_name="示例县公证处公证员（现场见证）",
                witness_value=witness,
            )
    plan.refresh_from_db()
    return plan


def load(agencies: dict[str, Agency]) -> str:
    """Create what is missing; returns the line the demo prints."""
    samr, hrss = agencies["samr"], agencies["hrss"]
    today = timezone.localdate()
    start = dt.date(today.year, 1, 1)
    items: dict[str, InspectionItem] = {}
    for key, specs in _ITEMS.items():
        for code, name, subject_type, basis, content, method, ratio in specs:
            item = InspectionItem.objects.filter(agency=agencies[key], code=code).order_by("-version").first()
            if item is None:
                item = inspection_item_create(
                    actor=None,
                    agency=agencies[key],
                    code=code,
                    effective_from=start,
                    name=name,
                    subject_type=subject_type,
                    basis=basis,
                    content=content,
                    method=method,
                    ratio=ratio,
                )
            items[code] = item

    if not Subject.objects.exists():
        imp, _ = services.registry_import_preview(
            actor=None, filename="示例县检查对象名录库.csv", content=_registry_csv()
        )
        services.registry_import_run(import_id=imp.pk)

    food = EnforcementDomain.objects.get(code="SPAQ")
    labour = EnforcementDomain.objects.get(code="LDBZJC")
    have = set(Plan.objects.values_list("title", flat=True))
    made = 0
    yearly = f"{today.year}年度食品经营者“双随机、一公开”抽查计划"
    if yearly not in have:
        day = today - dt.timedelta(days=60)
        _plan(
            yearly,
            lead=samr,
            domain=food,
            created=day,
            draw_at=_at(day + dt.timedelta(days=7), 10),
            window=(day + dt.timedelta(days=8), today + dt.timedelta(days=30)),
            ratios={"A": "0.03", "B": "0.05", "C": "0.1", "D": "0.2"},
            items=[items["SJ-SP-001"]],
            population={"industries": ["餐饮", "食品销售", "制造业"]},
            upto="draw",
            witness="3287.45",
        )
        made += 1
    joint = f"{today.year}年用人单位跨部门联合抽查（综合查一次）"
    if joint not in have:
        day = today - dt.timedelta(days=30)
        plan = _plan(
            joint,
            lead=samr,
            domain=food,
            created=day,
            draw_at=_at(day + dt.timedelta(days=5), 10),
            window=(day + dt.timedelta(days=6), today + dt.timedelta(days=45)),
            ratios={"A": "0.01", "B": "0.02", "C": "0.04", "D": "0.08"},
            items=[items["SJ-SC-002"], items["SJ-LD-001"]],
            partners=[(hrss, labour)],
            population={"regions": ["990121"]},
            upto="draw",
            witness="3301.92",
            kind="ad_hoc",
        )
        # A recusal after the draw: the first subject's first inspector declares a conflict and
        # the next in rank takes the place (recorded with its reason, in the ledger).
        assignment = plan.draw.assignments.order_by("position")[0]
        slot = assignment.inspectors.filter(status=InspectorStatus.ASSIGNED).order_by("rank")[0]
        with time_machine.travel(plan.draw.drawn_at + dt.timedelta(days=1), tick=False):
            services.recusal_declare(
                actor=None,
                officer=slot.officer,
                subject=assignment.subject,
                reason="其近亲属在该单位担任负责人",
            )
        made += 1
    pending = f"{today.year}年下半年食品标签和公示信息专项抽查"
    if pending not in have:
        _plan(
            pending,
            lead=samr,
            domain=food,
            created=today - dt.timedelta(days=3),
            draw_at=_at(today + dt.timedelta(days=7), 10),
            window=(today + dt.timedelta(days=8), today + dt.timedelta(days=60)),
            ratios={"A": "0.02", "B": "0.04", "C": "0.08", "D": "0.15"},
            items=[items["SJ-SP-001"], items["SJ-SC-002"]],
            upto="publish",
            kind="ad_hoc",
        )
        made += 1
    labour_plan = f"{today.year}年度劳动保障“双随机”抽查计划"
    if labour_plan not in have:
        _plan(
            labour_plan,
            lead=hrss,
            domain=labour,
            created=today - dt.timedelta(days=2),
            draw_at=_at(today + dt.timedelta(days=14), 10),
            window=(today + dt.timedelta(days=15), today + dt.timedelta(days=90)),
            ratios={"A": "0.02", "B": "0.03", "C": "0.05", "D": "0.1"},
            items=[items["SJ-LD-001"]],
            population={"industries": ["建筑业", "制造业", "住宿"]},
            upto="submit",
        )
        made += 1
    drawn = Plan.objects.filter(status=PlanStatus.DRAWN).count()
    return (
        f"    双随机一公开：检查对象名录库 {Subject.objects.count()} 户，"
        f"抽查计划新建 {made}、共 {Plan.objects.count()} 个（已抽取 {drawn} 个，可用 zhifa inspections verify-draw 复算）。"
    )
