"""Every write of 案卷评查: the campaign, its lock and draw, the scores, the 通报, the rectifications.

The steps (approve, lock, draw, finish; assign, score; report, accept, return) are taken by the
step runner (zhifa.supervision.evaluation_workflow); their `perform` functions call the services
here. The sample is drawn with the 双随机 draw's functions (zhifa.inspections.drawing) from
public values, and `sample_verify` recomputes it (docs/supervision-evaluation.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from zhifa.cases.models import Case, Status
from zhifa.core.calendar import add_workdays, today
from zhifa.core.errors import DomainError, InvalidInput, NotPermitted
from zhifa.core.numbering import next_number
from zhifa.core.tasks import after_commit
from zhifa.core.workflow import event_data
from zhifa.inspections import drawing
from zhifa.inspections.models import InspectionTask, TaskStatus
from zhifa.ledger.models import Checkpoint
from zhifa.ledger.services import ledger_append
from zhifa.org.models import Agency, EnforcementDomain
from zhifa.org.policies import agency_of
from zhifa.supervision import evaluation_checks, evaluation_ledger, policies
from zhifa.supervision.evaluation_standard import current_standard
from zhifa.supervision.models_evaluation import (
    Campaign,
    EvaluationEvent,
    EvaluationFile,
    FileCheck,
    FileKind,
    Grade,
    Rectification,
    Standard,
)

if TYPE_CHECKING:
    from zhifa.accounts.models import User

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


# ── events ────────────────────────────────────────────────────────────────────────────────


def event_write(
    campaign: Campaign,
    actor: User | None,
    action: str,
    summary: str,
    *,
    file: EvaluationFile | None = None,
    reason: str = "",
    **data: Any,
) -> EvaluationEvent:
    """One event of a campaign (or of one of its files), with its ledger leaf."""
    created = EvaluationEvent.objects.create(
        campaign=campaign,
        file=file,
        actor=actor,
        action=action,
        summary=summary[:300],
        reason=reason,
        data=event_data(data),
    )
    ledger_append(
        kind=evaluation_ledger.EVENT,
        ref=evaluation_ledger.event_ref(created.pk),
        payload=evaluation_ledger.event_payload(created),
    )
    return created


def campaign_event(campaign: Campaign, actor: User | None, action: str, summary: str, **kw: Any) -> Any:
    return event_write(campaign, actor, action, summary, **kw)


def file_event(file: EvaluationFile, actor: User | None, action: str, summary: str, **kw: Any) -> Any:
    return event_write(file.campaign, actor, action, summary, file=file, **kw)


def rectification_event(rect: Rectification, actor: User | None, action: str, summary: str, **kw: Any) -> Any:
    return event_write(rect.file.campaign, actor, action, summary, file=rect.file, **kw)


# ── the campaign ──────────────────────────────────────────────────────────────────────────


def campaign_number(bureau: Agency, year: int) -> str:
    abbr = bureau.document_abbr or bureau.short_name or bureau.name
    return f"{abbr}评查〔{year}〕{next_number(f'evaluation_campaign:{bureau.pk}', year)}号"


@transaction.atomic
def campaign_create(
    *,
    actor: User,
    title: str,
    agencies: Iterable[Agency],
    period_start: dt.date,
    period_end: dt.date,
    witness_rule: str,
    domains: Iterable[EnforcementDomain] = (),
    include_cases: bool = True,
    include_inspections: bool = False,
    ratio: Decimal | None = None,
    count: int | None = None,
    standard: Standard | None = None,
    rectification_workdays: int = 20,
) -> Campaign:
    """A draft campaign of the actor's 司法局 over agencies of its region."""
    bureau = policies.ensure_supervisor(actor)
    title, witness_rule = title.strip(), witness_rule.strip()
    if not title:
        raise InvalidInput("请填写评查名称。")
    if not witness_rule:
        raise InvalidInput("请写明见证值规则：抽取前公布，由见证人在抽取时录入（与双随机抽取相同）。")
    agencies = list(agencies)
    if not agencies:
        raise InvalidInput("请选择被评查的执法主体。")
    for agency in agencies:
        policies.ensure_supervisor_of(actor, agency)
        if agency.is_justice_bureau:
            raise InvalidInput(f"“{agency.name}”是司法行政部门，不作为案卷评查对象。")
    if period_end < period_start:
        raise InvalidInput("结案日期范围的结束日期早于开始日期。")
    if not include_cases and not include_inspections:
        raise InvalidInput("请至少选择行政处罚案卷或行政检查案卷之一。")
    if (ratio is None) == (count is None):
        raise InvalidInput("请按比例或者按件数（二者之一）确定每个执法主体的抽取数量。")
    if ratio is not None and not Decimal(0) < ratio <= Decimal(1):
        raise InvalidInput("抽取比例应大于 0 且不超过 100%。")
    if count is not None and count < 1:
        raise InvalidInput("抽取件数应至少为 1 件。")
    if not 1 <= rectification_workdays <= 90:
        raise InvalidInput("整改期限应为 1 至 90 个工作日。")
    campaign = Campaign.objects.create(
        bureau=bureau,
        number=campaign_number(bureau, today().year),
        title=title[:200],
        standard=standard or current_standard(),
        period_start=period_start,
        period_end=period_end,
        include_cases=include_cases,
        include_inspections=include_inspections,
        ratio=ratio,
        count=count,
        witness_rule=witness_rule[:300],
        rectification_workdays=rectification_workdays,
        created_by=actor,
    )
    campaign.agencies.set(agencies)
    campaign.domains.set(list(domains))
    campaign_event(
        campaign,
        actor,
        "create",
        f"拟定案卷评查 {campaign.number}",
        agencies=sorted(a.pk for a in agencies),
        period=[period_start, period_end],
        ratio=ratio,
        count=count,
        standard=f"{campaign.standard.code} v{campaign.standard.version}",
    )
    return campaign


def population(campaign: Campaign) -> list[tuple[str, int]]:
    """The files in the scope now, as (file number, agency pk): closed cases and closed inspection
    tasks of the campaign's agencies, closed within its period, of its domains (all when none)."""
    agency_ids = list(campaign.agencies.values_list("pk", flat=True))
    domain_ids = list(campaign.domains.values_list("pk", flat=True))
    rows: list[tuple[str, int]] = []
    if campaign.include_cases:
        cases = Case.objects.filter(
            agency_id__in=agency_ids,
            status=Status.CLOSED,
            closed_on__gte=campaign.period_start,
            closed_on__lte=campaign.period_end,
        )
        if domain_ids:
            cases = cases.filter(matter__domain_id__in=domain_ids)
        rows += list(cases.values_list("number", "agency_id"))
    if campaign.include_inspections:
        tasks = InspectionTask.objects.filter(
            agency_id__in=agency_ids,
            status=TaskStatus.CLOSED,
            concluded_on__gte=campaign.period_start,
            concluded_on__lte=campaign.period_end,
        )
        if domain_ids:
            tasks = tasks.filter(items__matter__domain_id__in=domain_ids).distinct()
        rows += list(tasks.values_list("number", "agency_id"))
    return rows


def campaign_lock(*, campaign: Campaign, actor: User | None) -> Campaign:
    """Freeze the population (the lock step's perform): sorted numbers, SHA-256, the ledger leaf
    first; a checkpoint is signed once the lock commits (the draw's seed needs its root)."""
    rows = sorted(population(campaign))  # Python's order of the numbers' code points
    if not rows:
        raise DomainError("按评查范围，没有已结案（已办结）的案卷可供抽取，不能锁定。")
    numbers = [n for n, _ in rows]
    if len(set(numbers)) != len(numbers):
        raise DomainError("评查范围内的案卷编号重复，不能锁定；请核对案件和检查任务编号。")
    campaign.snapshot_numbers = "\n".join(numbers)
    campaign.snapshot_agencies = "\n".join(str(a) for _, a in rows)
    campaign.snapshot_count = len(numbers)
    campaign.snapshot_sha256 = drawing.snapshot_sha256(numbers)
    campaign.locked_at = timezone.now()
    campaign.save()
    leaf = ledger_append(
        kind=evaluation_ledger.SNAPSHOT,
        ref=evaluation_ledger.snapshot_ref(campaign.pk),
        payload=evaluation_ledger.snapshot_payload(campaign),
    )
    campaign.snapshot_leaf_index = leaf.index
    campaign.save(update_fields=["snapshot_leaf_index", "updated_at"])
    from zhifa.ledger import tasks as ledger_tasks

    after_commit(ledger_tasks.checkpoint, f"案卷评查{campaign.number}锁定", False)
    return campaign


def lock_checkpoint(campaign: Campaign) -> Checkpoint | None:
    if campaign.snapshot_leaf_index is None:
        return None
    return Checkpoint.objects.filter(size__gt=campaign.snapshot_leaf_index).order_by("size", "pk").first()


def ensure_checkpoint(campaign: Campaign) -> Checkpoint:
    checkpoint = lock_checkpoint(campaign)
    if checkpoint is None:
        raise DomainError(
            "锁定记录尚未进入已签名的账本检查点，暂不能抽取：种子须包含首个包含锁定记录的检查点根哈希。"
        )
    return checkpoint


def sample(
    seed: bytes, numbers: Sequence[str], agencies: Sequence[str], *, ratio: Decimal | None, count: int | None
) -> list[tuple[str, str, bytes]]:
    """The drawn files, as (agency, number, key): in each agency's stratum the numbers ranked by
    HMAC-SHA256(seed, number), the first ceil(n × ratio) or the first `count` (all when fewer)."""
    strata: dict[str, list[str]] = {}
    for number, agency in zip(numbers, agencies, strict=True):
        strata.setdefault(agency, []).append(number)
    key = drawing.keyer(seed)
    result = []
    for agency in sorted(strata, key=int):
        codes = strata[agency]
        k = drawing.quota(len(codes), ratio) if ratio is not None else min(count or 0, len(codes))
        ranked = sorted((key(c.encode("utf-8")), c) for c in codes)[:k]
        result += [(agency, c, h) for h, c in ranked]
    return result


def _prefill(file: EvaluationFile, standard: Standard) -> list[FileCheck]:
    checks = []
    for item in standard.items.all():
        if item.applies_to and item.applies_to != file.kind:
            continue
        found = evaluation_checks.finding(item.auto_check, case=file.case, task=file.task)
        met = True if found.met is None else found.met
        checks.append(
            FileCheck(
                file=file,
                item=item,
                auto_met=found.met,
                evidence=found.evidence,
                met=met,
                points=item.points if met else Decimal(0),
            )
        )
    return checks


def campaign_draw(*, campaign: Campaign, actor: User | None, witness_name: str, witness_value: str) -> int:
    """The draw (the draw step's perform): seed, sample per agency, files pre-filled, ledger leaf."""
    witness_value, witness_name = witness_value.strip(), witness_name.strip()
    if not witness_value or "|" in witness_value or len(witness_value) > 100:
        raise InvalidInput("请由见证人录入见证值（不超过 100 个字符，不含“|”）。")
    if not witness_name:
        raise InvalidInput("请填写见证人。")
    checkpoint = ensure_checkpoint(campaign)
    seed = drawing.seed_of(
        plan=campaign.number, snapshot=campaign.snapshot_sha256, root=checkpoint.root, witness=witness_value
    )
    numbers = campaign.snapshot_numbers.split("\n")
    agencies = campaign.snapshot_agencies.split("\n")
    drawn = sample(seed, numbers, agencies, ratio=campaign.ratio, count=campaign.count)
    cases = {
        c.number: c
        for c in Case.objects.filter(number__in=[n for _, n, _ in drawn]).select_related(
            "agency", "matter", "matter_version"
        )
    }
    tasks = {t.number: t for t in InspectionTask.objects.filter(number__in=[n for _, n, _ in drawn])}
    standard = campaign.standard
    checks: list[FileCheck] = []
    for agency, number, key in drawn:
        case = cases.get(number)
        file = EvaluationFile.objects.create(
            campaign=campaign,
            agency_id=int(agency),
            kind=FileKind.CASE if case is not None else FileKind.INSPECTION,
            number=number,
            case=case,
            task=None if case is not None else tasks.get(number),
            draw_key=key.hex(),
        )
        checks += _prefill(file, standard)
    FileCheck.objects.bulk_create(checks)
    campaign.witness_name = witness_name[:100]
    campaign.witness_value = witness_value
    campaign.checkpoint_size = checkpoint.size
    campaign.checkpoint_root = checkpoint.root
    campaign.seed = seed.hex()
    campaign.drawn_at = timezone.now()
    campaign.save()
    ledger_append(
        kind=evaluation_ledger.DRAW,
        ref=evaluation_ledger.draw_ref(campaign.pk),
        payload=evaluation_ledger.draw_payload(campaign),
    )
    return len(drawn)


def sample_verify(campaign: Campaign) -> tuple[bool, str]:
    """Recompute the sample from its public inputs (the snapshot, the checkpoint root, the
    witness value, the ratio or count) and compare it with the files drawn."""
    if campaign.drawn_at is None:
        return False, "尚未抽取。"
    numbers = campaign.snapshot_numbers.split("\n")
    if drawing.snapshot_sha256(numbers) != campaign.snapshot_sha256:
        return False, "案卷快照与其哈希不符。"
    checkpoint = Checkpoint.objects.filter(
        size=campaign.checkpoint_size or 0, root=campaign.checkpoint_root
    ).first()
    if checkpoint is None:
        return False, "种子所用的账本检查点不存在。"
    seed = drawing.seed_of(
        plan=campaign.number,
        snapshot=campaign.snapshot_sha256,
        root=campaign.checkpoint_root,
        witness=campaign.witness_value,
    )
    if seed.hex() != campaign.seed:
        return False, "种子与其公开输入不符。"
    expected = [
        {"agency": int(a), "number": n, "key": k.hex()}
        for a, n, k in sample(
            seed, numbers, campaign.snapshot_agencies.split("\n"), ratio=campaign.ratio, count=campaign.count
        )
    ]
    actual = evaluation_ledger.sample_of(campaign)
    if sorted(expected, key=lambda r: (r["agency"], r["key"])) != actual:
        return False, "抽中的案卷与按公开输入重新计算的结果不一致。"
    return True, f"按公开输入重新计算，抽中的 {len(actual)} 件案卷一致。"


# ── evaluators and scores ─────────────────────────────────────────────────────────────────


def ensure_independent(file: EvaluationFile, evaluator: User) -> None:
    """The evaluator works for another agency than the file's, within the bureau's region."""
    agency = agency_of(evaluator)
    if agency is None or not evaluator.is_active:
        raise InvalidInput("评查人员应为在岗的执法人员或者法制审核人员。")
    if agency.pk == file.agency_id or agency.entrusted_by_id == file.agency_id:
        raise DomainError(
            f"评查人员不得评查本机关的案卷：{evaluator.display_name}是“{file.agency.name}”的工作人员，"
            "应由其他执法部门的人员评查（回避原则；004 (四)3 行政执法案卷评查）。"
        )
    bureau = file.campaign.bureau
    if not Agency.objects.filter(pk=agency.pk, region__path__startswith=bureau.region.path).exists():
        raise InvalidInput(f"{evaluator.display_name}不在“{bureau.name}”的监督范围内，不能担任评查人员。")
    if file.case_id and file.case is not None and file.case.handlers.filter(officer__user=evaluator).exists():
        raise DomainError(f"{evaluator.display_name}是本案承办人员，应当回避（《行政处罚法》第四十三条）。")


def file_assign(*, file: EvaluationFile, evaluator: User) -> None:
    ensure_independent(file, evaluator)
    file.evaluator = evaluator
    file.save(update_fields=["evaluator", "updated_at"])


def grade_of(standard: Standard, score: Decimal, vetoed: bool) -> str:
    """A veto item forces 不合格 whatever the score; otherwise the standard's thresholds."""
    if vetoed:
        return Grade.FAIL
    if score >= standard.excellent_min:
        return Grade.EXCELLENT
    if score >= standard.pass_min:
        return Grade.PASS
    return Grade.FAIL


def _decimal(value: Any, label: str) -> Decimal:
    try:
        return Decimal(str(value)).quantize(CENT)
    except ArithmeticError:
        raise InvalidInput(f"“{label}”的得分不是数字。") from None


def file_score(
    *, file: EvaluationFile, scores: dict[Any, dict[str, Any]], comment: str = ""
) -> dict[str, Any]:
    """The evaluator's scores (the score step's perform). `scores` by item pk: met (veto items)
    or points (scored items), and the reason, required wherever the value departs from what
    zhifa found. Returns what the event records."""
    checks = list(file.checks.select_related("item"))
    given = {str(k): v for k, v in scores.items()}
    record = []
    for check in checks:
        item = check.item
        entry = given.get(str(item.pk), {})
        reason = str(entry.get("reason", "") or "").strip()[:300]
        if item.is_veto:
            met = entry.get("met", check.met)
            met = met if isinstance(met, bool) else str(met) in ("1", "true", "True", "on", "yes")
            points = Decimal(0)
            prefill = True if check.auto_met is None else check.auto_met
            departs = check.auto_met is not None and met != prefill
        else:
            points = _decimal(entry.get("points", check.points), item.label)
            if not Decimal(0) <= points <= item.points:
                raise InvalidInput(f"“{item.code} {item.label}”的得分应在 0 至 {item.points} 分之间。")
            met = points == item.points
            prefill_points = item.points if check.auto_met in (None, True) else Decimal(0)
            departs = check.auto_met is not None and points != prefill_points
        if departs and not reason:
            raise InvalidInput(
                f"“{item.code} {item.label}”与系统核查结果（{check.evidence}）不一致，请写明理由。"
            )
        check.met, check.points, check.overridden, check.reason = met, points, departs, reason
        record.append(
            {"item": item.code, "met": met, "points": points, "overridden": departs, "reason": reason}
        )
    FileCheck.objects.bulk_update(checks, ["met", "points", "overridden", "reason"])
    applicable = sum((c.item.points for c in checks), Decimal(0))
    earned = sum((c.points for c in checks), Decimal(0))
    score = (earned * HUNDRED / applicable).quantize(CENT, rounding=ROUND_HALF_UP) if applicable else HUNDRED
    vetoed = any(c.item.is_veto and not c.met for c in checks)
    file.score, file.vetoed = score, vetoed
    file.grade = grade_of(file.campaign.standard, score, vetoed)
    file.comment = comment.strip()[:2000]
    file.scored_at = timezone.now()
    file.save()
    return {"score": score, "grade": file.grade, "vetoed": vetoed, "checks": record}


# ── the 通报 and the rectifications ────────────────────────────────────────────────────────


def results_by_agency(files: Iterable[EvaluationFile]) -> list[dict[str, Any]]:
    rows: dict[int, dict[str, Any]] = {}
    for f in files:
        row = rows.setdefault(
            f.agency_id,
            {
                "agency": f.agency.name,
                "files": 0,
                "total": Decimal(0),
                Grade.EXCELLENT: 0,
                Grade.PASS: 0,
                Grade.FAIL: 0,
            },
        )
        row["files"] += 1
        row["total"] += f.score or Decimal(0)
        row[f.grade] += 1
    for row in rows.values():
        row["average"] = (row["total"] / row["files"]).quantize(CENT) if row["files"] else None
    return sorted(rows.values(), key=lambda r: (-(r["average"] or 0), r["agency"]))


def _problems(file: EvaluationFile) -> str:
    lines = [
        f"{c.item.code} {c.item.label}" + (f"（{c.reason}）" if c.reason else "")
        for c in file.checks.select_related("item")
        if not c.met
    ]
    return "；".join(lines) or file.comment or "评查不合格。"


def notice_content(campaign: Campaign, files: list[EvaluationFile]) -> dict[str, Any]:
    grades = dict(Grade.choices)
    return {
        "title": f"关于{campaign.title}情况的通报",
        "campaign": {
            "number": campaign.number,
            "title": campaign.title,
            "period": f"{campaign.period_start:%Y-%m-%d} 至 {campaign.period_end:%Y-%m-%d}",
            "standard": str(campaign.standard),
            "population": campaign.snapshot_count,
            "drawn": len(files),
            "seed": campaign.seed,
            "witness": campaign.witness_value,
        },
        "agencies": [
            {
                "name": r["agency"],
                "files": r["files"],
                "average": str(r["average"]),
                "excellent": r[Grade.EXCELLENT],
                "pass": r[Grade.PASS],
                "fail": r[Grade.FAIL],
            }
            for r in results_by_agency(files)
        ],
        "failed": [
            {
                "number": f.number,
                "agency": f.agency.name,
                "score": str(f.score),
                "grade": grades[f.grade],
                "vetoed": f.vetoed,
                "problems": _problems(f),
            }
            for f in files
            if f.grade == Grade.FAIL
        ],
        "rectification_workdays": campaign.rectification_workdays,
    }


def campaign_finish(*, campaign: Campaign, actor: User | None) -> Any:
    """The 通报 (the finish step's perform): the signed document in the bureau's name and a
    rectification for each 不合格 file, due in the campaign's working days."""
    from zhifa.documents.services import document_issue

    files = list(campaign.files.select_related("agency").order_by("agency__name", "number"))
    document = document_issue(
        actor=actor,
        agency=campaign.bureau,
        kind="evaluation_notice",
        content=notice_content(campaign, files),
        subject_ref=campaign.subject_ref,
        subject_label=campaign.number,
    )
    due = add_workdays(today(), campaign.rectification_workdays).date
    rects = [
        Rectification(file=f, agency_id=f.agency_id, problems=_problems(f), due_on=due)
        for f in files
        if f.grade == Grade.FAIL
    ]
    Rectification.objects.bulk_create(rects)
    campaign.notice = document
    campaign.finished_at = timezone.now()
    campaign.save(update_fields=["notice", "finished_at", "updated_at"])
    return document, len(rects), due


def rectification_report(*, rect: Rectification, actor: User, report: str) -> None:
    report = report.strip()
    if not report:
        raise InvalidInput("请写明整改情况（整改了哪些问题、如何防止再次发生）。")
    rect.report = report[:4000]
    rect.reported_at = timezone.now()
    rect.reported_by = actor
    rect.save(update_fields=["report", "reported_at", "reported_by", "updated_at"])


def ensure_scored(campaign: Campaign) -> None:
    left = campaign.files.exclude(score__isnull=False).count()
    if left:
        raise DomainError(f"尚有 {left} 件案卷未评分，不能通报评查结果。")


def refuse_unless(condition: bool, message: str) -> None:
    if not condition:
        raise NotPermitted(message)
