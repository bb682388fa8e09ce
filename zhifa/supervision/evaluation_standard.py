"""The default 评查标准 (data): loaded by `zhifa evaluation_standard_load`, the demo and the tests.

A jurisdiction that scores differently loads a new version (same code, version + 1); a campaign
keeps the version it was created with. Points of the scored items add up to 100 for a case file;
a file's score is its points over the points of the items that apply to its kind, out of 100.

Sources: 004 (四)1、(四)3 (案卷评查, 每年至少一次并通报); 000 三(一); the items follow 《行政处罚法》
(articles cited per item). The thresholds 优秀 ≥ 90、合格 ≥ 70 are this standard's policy defaults
(common provincial practice), kept as data on the standard, not in code.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from zhifa.supervision.models_evaluation import ItemCategory, Standard, StandardItem

C = ItemCategory
CODE = "zhifa-default"
TITLE = "行政执法案卷评查标准"
SOURCE = "《法治政府建设实施纲要》相关部署；004 (四)1、(四)3（行政执法案卷评查）；《行政处罚法》"

# (category, code, label, points, automatic check, applies to, basis)
ITEMS: tuple[tuple[str, str, str, str, str, str, str], ...] = (
    (C.VETO, "V1", "作出处罚无法定依据或者依据错误", "0", "", "case", "《行政处罚法》第四条、第三十八条"),
    (
        C.VETO,
        "V2",
        "应当法制审核而未经审核或者审核未通过即作出决定",
        "0",
        "legal_review",
        "case",
        "《行政处罚法》第五十八条",
    ),
    (C.VETO, "V3", "超越法定职权作出决定", "0", "authority", "case", "《行政处罚法》第十七条、第三十八条"),
    (C.VETO, "V4", "执法人员少于两人或者不具备执法资格", "0", "", "", "《行政处罚法》第四十二条"),
    (
        C.SUBJECT,
        "S1",
        "执法主体适格，执法人员持证并表明身份",
        "10",
        "",
        "",
        "《行政处罚法》第十七条、第四十二条、第五十五条",
    ),
    (C.FACTS, "F1", "事实清楚，证据确凿、充分，取证合法", "15", "", "", "《行政处罚法》第四十条、第四十六条"),
    (
        C.FACTS,
        "F2",
        "音像记录事项清单要求的环节有音像记录",
        "5",
        "av_recorded",
        "case",
        "《行政处罚法》第四十七条",
    ),
    (C.PROCEDURE, "P1", "在办案期限内作出决定", "10", "decision_deadline", "case", "《行政处罚法》第六十条"),
    (
        C.PROCEDURE,
        "P2",
        "依法告知并听取陈述申辩、听证",
        "10",
        "",
        "case",
        "《行政处罚法》第四十四条、第四十五条、第六十三条",
    ),
    (C.PROCEDURE, "P3", "决定书依法按期送达", "10", "served", "case", "《行政处罚法》第六十一条"),
    (C.PROCEDURE, "P4", "行政执法决定按期公示", "5", "published", "case", "《行政处罚法》第四十八条"),
    (
        C.PROCEDURE,
        "P5",
        "在检查期间内作出检查结果",
        "10",
        "task_deadline",
        "inspection",
        "004 (二)；双随机一公开抽查工作规则",
    ),
    (C.PROCEDURE, "P6", "检查时出示检查码", "5", "task_code", "inspection", "涉企行政检查“扫码入企”要求"),
    (C.LAW, "L1", "适用法律、法规、规章正确，引用条款准确", "15", "", "", "《行政处罚法》第五十九条"),
    (C.DOCUMENTS, "D1", "文书齐全、规范，案卷装订归档完整", "10", "", "", "001 §9(1)；执法文书制作规范"),
    (
        C.DISCRETION,
        "X1",
        "裁量适当，适用裁量基准并说明理由",
        "10",
        "discretion",
        "case",
        "《行政处罚法》第三十四条；001 (2)",
    ),
)


@transaction.atomic
def standard_load_default() -> Standard:
    """The default standard, version 1 (created once; the same row on every later call)."""
    standard, created = Standard.objects.get_or_create(
        code=CODE,
        version=1,
        defaults={
            "title": TITLE,
            "source": SOURCE,
            "excellent_min": Decimal(90),
            "pass_min": Decimal(70),
            "effective_from": dt.date(2024, 1, 1),
        },
    )
    if created:
        StandardItem.objects.bulk_create(
            StandardItem(
                standard=standard,
                category=category,
                code=code,
                label=label,
                points=Decimal(points),
                auto_check=check,
                applies_to=applies,
                basis=basis,
                order=n,
            )
            for n, (category, code, label, points, check, applies, basis) in enumerate(ITEMS, start=1)
        )
    return standard


def current_standard() -> Standard:
    return Standard.objects.filter(code=CODE).order_by("-version").first() or standard_load_default()
