"""Every write of the registries, plans and draws.

The plan's steps (submit, approve, publish, lock, draw) are taken by the step runner
(zhifa.inspections.workflow); their `perform` functions call `plan_lock` and `plan_draw` here.
The draw is computed by zhifa.inspections.drawing, the same pure functions the public verifier
uses (docs/inspections.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from zhifa.catalog.models_public import InspectionItem
from zhifa.core import bulk
from zhifa.core.errors import Conflict, DomainError, InvalidInput
from zhifa.core.numbering import next_number
from zhifa.core.tasks import after_commit
from zhifa.inspections import draw_cache, drawing, ledger, policies, registry, selectors
from zhifa.inspections.models import (
    Draw,
    DrawAssignment,
    DrawInspector,
    ImportStatus,
    InspectorStatus,
    Plan,
    PlanAgency,
    PlanEvent,
    PlanItem,
    PlanKind,
    PlanRatio,
    PlanSnapshot,
    Recusal,
    RegistryImport,
    Subject,
)
from zhifa.ledger.models import Checkpoint
from zhifa.ledger.services import ledger_append
from zhifa.org.models import Agency, Certificate, EnforcementDomain, Officer, Region

if TYPE_CHECKING:
    from zhifa.accounts.models import User


# ── 检查对象名录库: import ─────────────────────────────────────────────────────────────────


PREVIEW_ROWS = 20


@transaction.atomic
def registry_import_preview(
    *, actor: User | None, filename: str, content: bytes
) -> tuple[RegistryImport, registry.Parsed]:
    """Keep the file and check every row; nothing is written to the registry until confirmed."""
    if actor is not None:
        policies.ensure_can_import_registry(actor)
    try:
        parsed = registry.parse(filename, content)
    except registry.FileError as exc:
        raise InvalidInput(str(exc)) from None
    first = list(parsed.rows)[:PREVIEW_ROWS]
    existing = set(Subject.objects.filter(uscc__in=first).values_list("uscc", flat=True))
    imp = RegistryImport.objects.create(
        filename=filename[:200],
        content=content,
        started_by=actor,
        total=parsed.total,
        errors=parsed.errors,
        error_count=parsed.error_count,
        preview={
            "valid": len(parsed.rows),
            "rows": [[code, parsed.rows[code], code in existing] for code in first],
        },
    )
    return imp, parsed


@transaction.atomic
def registry_import_confirm(*, actor: User | None, registry_import: RegistryImport) -> RegistryImport:
    """Queue the import (a background task with progress); a second click changes nothing."""
    if actor is not None:
        policies.ensure_can_import_registry(actor)
    imp = RegistryImport.objects.select_for_update().get(pk=registry_import.pk)
    if imp.status != ImportStatus.PREVIEWED:
        raise Conflict(f"该导入已{imp.get_status_display()}，不能再次确认。")
    imp.status = ImportStatus.QUEUED
    imp.save(update_fields=["status", "updated_at"])
    from zhifa.inspections import tasks

    after_commit(tasks.registry_import, imp.pk)
    return imp


def registry_import_run(*, import_id: int, progress: Any = None) -> RegistryImport:
    """The task: write the rows in batches, keeping the counts for the progress bar."""
    with transaction.atomic():
        imp = RegistryImport.objects.select_for_update().get(pk=import_id)
        if imp.status not in (ImportStatus.QUEUED, ImportStatus.PREVIEWED):
            return imp  # already run (a retried message)
        imp.status = ImportStatus.RUNNING
        imp.save(update_fields=["status", "updated_at"])
    try:
        parsed = registry.parse(imp.filename, bytes(imp.content))

        def report(done: int, counts: registry.Counts) -> None:
            RegistryImport.objects.filter(pk=import_id).update(
                processed=done + parsed.error_count if done == len(parsed.rows) else done,
                created=counts.created,
                updated=counts.updated,
                unchanged=counts.unchanged,
                updated_at=timezone.now(),
            )
            if progress is not None:
                progress(done, len(parsed.rows))

        counts = registry.write(parsed.rows, import_id=import_id, progress=report)
    except Exception as exc:
        RegistryImport.objects.filter(pk=import_id).update(
            status=ImportStatus.FAILED, message=f"导入失败：{exc}"[:300], finished_at=timezone.now()
        )
        raise
    RegistryImport.objects.filter(pk=import_id).update(
        status=ImportStatus.DONE,
        total=parsed.total,
        processed=parsed.total,
        created=counts.created,
        updated=counts.updated,
        unchanged=counts.unchanged,
        errors=parsed.errors,
        error_count=parsed.error_count,
        message=f"新增 {counts.created} 户，更新 {counts.updated} 户，未变 {counts.unchanged} 户，错误 {parsed.error_count} 行。",
        finished_at=timezone.now(),
    )
    imp.refresh_from_db()
    return imp


# ── 回避声明 ──────────────────────────────────────────────────────────────────────────────


@transaction.atomic
def recusal_declare(*, actor: User | None, officer: Officer, subject: Subject, reason: str) -> Recusal:
    """回避声明 (《行政处罚法》第四十三条). An officer already drawn for the subject is replaced by
    the next in rank of the draw's pool, and the change is recorded with its reason."""
    if actor is not None:
        policies.ensure_can_declare_recusal(actor, officer)
    reason = reason.strip()
    if not reason:
        raise InvalidInput("请填写回避理由（《行政处罚法》第四十三条）。")
    try:
        with transaction.atomic():  # a savepoint: the same declaration twice at once is refused, not a 500
            recusal = Recusal.objects.create(
                officer=officer,
                subject=subject,
                reason=reason[:300],
                declared_at=timezone.now(),
                declared_by=actor,
            )
    except IntegrityError:
        raise Conflict(f"{officer.name}已对{subject.name}作出回避声明。") from None
    slots = DrawInspector.objects.select_for_update(of=("self",)) if _pg() else DrawInspector.objects
    for slot in slots.filter(
        officer=officer, assignment__subject=subject, status=InspectorStatus.ASSIGNED
    ).select_related("assignment__draw"):
        _replace(slot, reason=f"抽取后回避：{reason}"[:300])
    return recusal


def _pg() -> bool:
    return transaction.get_connection().vendor == "postgresql"


def _replace(slot: DrawInspector, *, reason: str) -> DrawInspector:
    """Take the next in rank of the agency's pool who is neither recused nor already inspecting."""
    assignment = slot.assignment
    draw = assignment.draw
    pool = next((p for p in draw.pools if p["agency_id"] == slot.agency_id), None)
    if pool is None:  # pragma: no cover - the slot came from this pool
        raise Conflict("抽取记录中没有该检查人员所属机关的人员名录。")
    met = {s.certificate_number: s for s in assignment.inspectors.filter(agency_id=slot.agency_id)}
    recused_officers = set(
        Recusal.objects.filter(subject_id=assignment.subject_id).values_list("officer_id", flat=True)
    )
    seed = bytes.fromhex(draw.seed)
    for number, key in drawing.rank(seed, assignment.uscc, pool["eligible"]):
        if number in met:
            continue
        certificate = Certificate.objects.select_related("officer").filter(number=number).first()
        if certificate is None or certificate.officer_id in recused_officers:
            continue
        rank = [c for c, _ in drawing.rank(seed, assignment.uscc, pool["eligible"])].index(number)
        successor = DrawInspector.objects.create(
            assignment=assignment,
            agency_id=slot.agency_id,
            officer=certificate.officer,
            certificate=certificate,
            certificate_number=number,
            rank=rank,
            key=key.hex(),
        )
        break
    else:
        raise DomainError(
            f"{pool['agency']}的检查人员名录中已无其他未回避的人员，不能替换"
            "（《行政处罚法》第四十二条：执法人员不得少于两人），请调整抽查计划。"
        )
    slot.status = InspectorStatus.REPLACED
    slot.reason = reason
    slot.replaced_by = successor
    slot.changed_at = timezone.now()
    slot.save(update_fields=["status", "reason", "replaced_by", "changed_at"])
    ledger_append(kind=ledger.CHANGE, ref=ledger.change_ref(slot.pk), payload=ledger.change_payload(slot))
    draw_cache.changed_at_commit(draw.pk)  # the public document lists the replacement
    from zhifa.inspections.task_services import task_inspectors_follow

    task_inspectors_follow(assignment=assignment)  # a task not begun takes the next in rank
    return successor


# ── 抽查计划 ──────────────────────────────────────────────────────────────────────────────


def plan_event(
    plan: Plan, actor: User | None, action: str, summary: str, *, reason: str = "", **data: Any
) -> PlanEvent:
    """One event of a plan, with its ledger leaf (the runner's write_event)."""
    created = PlanEvent.objects.create(
        plan=plan, actor=actor, action=action, summary=summary[:300], reason=reason, data=_jsonable(data)
    )
    ledger_append(kind=ledger.EVENT, ref=ledger.event_ref(created.pk), payload=ledger.event_payload(created))
    return created


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return drawing.ratio_text(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    return value


def risk_scale() -> list[str]:
    return registry.risk_classes()


def _ratios(ratios: dict[str, Any]) -> dict[str, Decimal]:
    scale = risk_scale()
    result: dict[str, Decimal] = {}
    for cls, raw in ratios.items():
        if cls not in scale:
            raise InvalidInput(f"信用风险分类“{cls}”不在本地分类（{'、'.join(scale)}）中。")
        try:
            value = Decimal(str(raw))
        except InvalidOperation:
            raise InvalidInput(f"{cls}类的抽查比例“{raw}”不是数字。") from None
        if (
            not value.is_finite()
            or not Decimal(0) <= value <= Decimal(1)
            or value != value.quantize(Decimal("0.000001"))
        ):
            raise InvalidInput(f"{cls}类的抽查比例应在 0 到 1 之间，最多六位小数（如 0.05 表示 5%）。")
        result[cls] = value
    if not result:
        raise InvalidInput("请至少为一个信用风险分类设定抽查比例。")
    return dict(sorted(result.items(), key=lambda kv: scale.index(kv[0])))


def plan_number(agency: Agency, year: int) -> str:
    abbr = agency.document_abbr or agency.short_name or agency.name
    return f"{abbr}抽查〔{year}〕{next_number(f'inspection_plan:{agency.pk}', year)}号"


@transaction.atomic
def plan_create(
    *,
    actor: User | None,
    agency: Agency,
    title: str,
    year: int,
    domain: EnforcementDomain,
    items: Sequence[InspectionItem],
    ratios: dict[str, Any],
    window_start: dt.date,
    window_end: dt.date,
    draw_at: dt.datetime,
    witness_rule: str,
    kind: str = PlanKind.YEARLY,
    population: dict[str, Any] | None = None,
    partners: Iterable[tuple[Agency, EnforcementDomain]] = (),
) -> Plan:
    """A plan in draft. `partners` makes it a 跨部门联合抽查: each partner contributes inspectors
    certified for its domain, for its own items (the items name their agency)."""
    if actor is not None:
        policies.ensure_can_draft_plan(actor, agency)
    title, witness_rule = title.strip(), witness_rule.strip()
    if not title:
        raise InvalidInput("请填写抽查计划名称。")
    if not witness_rule:
        raise InvalidInput(
            "请写明见证值规则：抽取时由见证人录入、事先可知来源的公开数值（如某指数当日收盘点位）。"
        )
    if window_end < window_start:
        raise InvalidInput("检查截止日期不能早于开始日期。")
    if timezone.localtime(draw_at).date() > window_start:
        raise InvalidInput("抽取时间应在检查开始日期之前（或当日）。")
    if kind not in PlanKind.values:
        raise InvalidInput("计划类别应为年度抽查计划或专项抽查计划。")
    clean_ratios = _ratios(ratios)
    members = [(agency, domain), *partners]
    member_ids = [a.pk for a, _ in members]
    if len(set(member_ids)) != len(member_ids):
        raise InvalidInput("同一机关在计划中只能出现一次。")
    if not items:
        raise InvalidInput("请从随机抽查事项清单中选择至少一个抽查事项。")
    on = timezone.localtime(draw_at).date()
    for item in items:
        if item.agency_id not in member_ids:
            raise InvalidInput(f"抽查事项“{item.name}”的实施主体不是本计划的参与机关。")
        if item.effective_from > on or (item.effective_to is not None and item.effective_to < on):
            raise InvalidInput(f"抽查事项“{item.name}”（第{item.version}版）在抽取日不在施行期内。")
    for member, _ in members[1:]:
        if not any(i.agency_id == member.pk for i in items):
            raise InvalidInput(f"参与机关{member.name}须承担至少一个本机关的抽查事项（综合查一次）。")
    rule = _population(population or {})
    plan = Plan.objects.create(
        number=plan_number(agency, year),
        title=title[:200],
        kind=kind,
        year=year,
        agency=agency,
        population=rule,
        window_start=window_start,
        window_end=window_end,
        draw_at=draw_at,
        witness_rule=witness_rule[:300],
        created_by=actor,
    )
    PlanAgency.objects.bulk_create(
        [
            PlanAgency(plan=plan, agency=a, domain=d, is_lead=i == 0, position=i)
            for i, (a, d) in enumerate(members)
        ]
    )
    PlanItem.objects.bulk_create([PlanItem(plan=plan, item=i, agency_id=i.agency_id) for i in items])
    PlanRatio.objects.bulk_create(
        [PlanRatio(plan=plan, risk_class=c, ratio=r) for c, r in clean_ratios.items()]
    )
    plan_event(plan, actor, "create", "拟定抽查计划", **plan_public_fields(plan))
    return plan


def _population(rule: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for key in ("regions", "industries", "risk_classes"):
        values = [str(v).strip() for v in rule.get(key) or [] if str(v).strip()]
        if values:
            clean[key] = values
    unknown = set(rule) - {"regions", "industries", "risk_classes"}
    if unknown:
        raise InvalidInput(
            f"抽查对象范围只能按区划、行业、信用风险分类筛选，不认识“{'、'.join(sorted(unknown))}”。"
        )
    if clean.get("regions"):
        known = set(Region.objects.filter(code__in=clean["regions"]).values_list("code", flat=True))
        missing = [c for c in clean["regions"] if c not in known]
        if missing:
            raise InvalidInput(f"区划代码“{'、'.join(missing)}”不在本平台的行政区划中。")
    if clean.get("risk_classes"):
        bad = [c for c in clean["risk_classes"] if c not in risk_scale()]
        if bad:
            raise InvalidInput(f"信用风险分类“{'、'.join(bad)}”不在本地分类中。")
    return clean


def plan_public_fields(plan: Plan) -> dict[str, Any]:
    """What the portal publishes of a plan before its draw; also in the ledger at each step."""
    return {
        "number": plan.number,
        "title": plan.title,
        "agencies": [
            {"agency": pa.agency.name, "domain": pa.domain.code, "lead": pa.is_lead}
            for pa in plan.plan_agencies.all()
        ],
        "items": [
            {"code": pi.item.code, "version": pi.item.version, "name": pi.item.name, "agency": pi.agency.name}
            for pi in plan.plan_items.all()
        ],
        "population": plan.population,
        "ratios": {r.risk_class: drawing.ratio_text(r.ratio) for r in plan.ratios.all()},
        "window": [plan.window_start.isoformat(), plan.window_end.isoformat()],
        "draw_at": plan.draw_at.isoformat(),
        "witness_rule": plan.witness_rule,
    }


def plan_lock(*, plan: Plan, actor: User | None) -> PlanSnapshot:
    """Freeze the population (the lock step's perform): sorted codes, SHA-256, the ledger leaf.

    A checkpoint is signed once the lock commits: the draw's seed needs the first signed
    checkpoint that includes this leaf.
    """
    rows = list(selectors.population_of(plan).values_list("uscc", "risk_class").iterator(chunk_size=20000))
    if not rows:
        raise DomainError("按计划的抽查对象范围，名录库中没有可抽取的检查对象，不能锁定。")
    rows.sort()  # Python's order of ASCII codes is their byte order, whatever the database's collation
    codes = [c for c, _ in rows]
    snapshot = PlanSnapshot(
        plan=plan,
        codes="\n".join(codes),
        classes="\n".join(c for _, c in rows),
        count=len(codes),
        sha256=drawing.snapshot_sha256(codes),
        leaf_index=-1,
        locked_at=timezone.now(),
        locked_by=actor,
    )
    snapshot.save()
    leaf = ledger_append(
        kind=ledger.LOCK, ref=ledger.lock_ref(snapshot.pk), payload=ledger.lock_payload(snapshot)
    )
    snapshot.leaf_index = leaf.index
    snapshot.save(update_fields=["leaf_index"])
    from zhifa.ledger import tasks as ledger_tasks

    after_commit(ledger_tasks.checkpoint, f"抽查计划{plan.number}锁定", False)
    return snapshot


def lock_checkpoint(plan: Plan) -> Checkpoint | None:
    """The first signed checkpoint that includes the plan's lock leaf, if there is one yet."""
    snapshot = getattr(plan, "snapshot", None)
    if snapshot is None:
        return None
    return Checkpoint.objects.filter(size__gt=snapshot.leaf_index).order_by("size", "pk").first()


def ensure_checkpoint(plan: Plan) -> Checkpoint:
    checkpoint = lock_checkpoint(plan)
    if checkpoint is None:
        raise DomainError(
            "锁定记录尚未进入已签名的账本检查点，暂不能抽取：种子须包含首个包含锁定记录的检查点根哈希，"
            "请待检查点签署后再抽取。"
        )
    return checkpoint


def plan_draw(*, plan: Plan, actor: User | None, witness_value: str, witness_name: str) -> Draw:
    """The draw (the draw step's perform): seed, strata, inspectors, ledger leaf, hook."""
    witness_value, witness_name = witness_value.strip(), witness_name.strip()
    if not witness_value or "|" in witness_value or len(witness_value) > 100:
        raise InvalidInput("请由见证人录入见证值（不超过 100 个字符，不含“|”）。")
    if not witness_name:
        raise InvalidInput("请填写见证人。")
    checkpoint = ensure_checkpoint(plan)
    snapshot = plan.snapshot
    now = timezone.now()
    on = timezone.localtime(now).date()
    seed = drawing.seed_of(
        plan=plan.number, snapshot=snapshot.sha256, root=checkpoint.root, witness=witness_value
    )

    codes = snapshot.codes.split("\n")
    classes = snapshot.classes.split("\n")
    strata: list[dict[str, Any]] = []
    order: list[tuple[str, str, bytes]] = []  # code, class, key
    for ratio in plan.ratios.all():
        population = [c for c, k in zip(codes, classes, strict=True) if k == ratio.risk_class]
        chosen = drawing.select(seed, population, ratio.ratio)
        strata.append(
            {
                "class": ratio.risk_class,
                "ratio": drawing.ratio_text(ratio.ratio),
                "population": len(population),
                "selected": [c for c, _ in chosen],
            }
        )
        order.extend((c, ratio.risk_class, key) for c, key in chosen)
    del codes, classes

    pools = []
    for member in plan.plan_agencies.all():
        pool = selectors.inspector_pool(agency=member.agency, domain=member.domain, on=on)
        if len(pool) < drawing.INSPECTORS_PER_AGENCY:
            raise DomainError(
                f"{member.agency.name}在{on:%Y-%m-%d}持有“{member.domain.name}”类有效执法证的检查人员不足两名，不能抽取"
                "（《行政处罚法》第四十二条：执法人员不得少于两人）。"
            )
        pools.append((member, {i.certificate.number: i for i in pool}))

    subject_ids: dict[str, int] = {}
    selected_codes = [c for c, _, _ in order]
    for start in range(0, len(selected_codes), 5000):
        chunk = selected_codes[start : start + 5000]
        subject_ids.update(Subject.objects.filter(uscc__in=chunk).values_list("uscc", "pk"))
    # Recusals are declared subject by subject and are few beside the drawn subjects: read those
    # of the pools' inspectors and keep the drawn subjects'.
    drawn_ids = set(subject_ids.values())
    officer_ids = {i.officer.pk for _, by_number in pools for i in by_number.values()}
    reasons: dict[tuple[int, int], str] = {
        (subject_id, officer_id): reason
        for subject_id, officer_id, reason in Recusal.objects.filter(officer_id__in=officer_ids).values_list(
            "subject_id", "officer_id", "reason"
        )
        if subject_id in drawn_ids
    }
    recused = set(reasons)

    draw = Draw.objects.create(
        plan=plan,
        seed=seed.hex(),
        witness_value=witness_value,
        witness_name=witness_name[:100],
        checkpoint=checkpoint,
        checkpoint_size=checkpoint.size,
        checkpoint_root=checkpoint.root,
        strata=strata,
        pools=[
            {
                "agency_id": member.agency_id,
                "agency": member.agency.name,
                "domain": member.domain.code,
                "eligible": sorted(by_number),
            }
            for member, by_number in pools
        ],
        drawn_at=now,
        drawn_by=actor,
    )
    # Tens of thousands of rows at a large draw: plain tuples through executemany (zhifa.core.bulk).
    bulk.insert_rows(
        DrawAssignment,
        ("draw", "subject", "uscc", "risk_class", "position", "key"),
        [(draw.pk, subject_ids[code], code, cls, i, key.hex()) for i, (code, cls, key) in enumerate(order)],
    )
    assignment_ids = dict(DrawAssignment.objects.filter(draw=draw).values_list("position", "pk"))
    slots: list[tuple[Any, ...]] = []
    outputs: list[dict[str, Any]] = []
    skipped_status, assigned_status = str(InspectorStatus.SKIPPED), str(InspectorStatus.ASSIGNED)
    key_of = drawing.keyer(seed)
    for position, (code, _cls, _key) in enumerate(order):
        assignment_id, subject_id = assignment_ids[position], subject_ids[code]
        chosen_all: list[str] = []
        skipped: list[dict[str, Any]] = []
        for member, by_number in pools:
            taken = 0
            for rank, (number, key) in enumerate(drawing.rank(seed, code, by_number, key_of)):
                inspector = by_number[number]
                pair = (subject_id, inspector.officer.pk)
                is_recused = pair in recused
                slots.append(
                    (
                        assignment_id,
                        member.agency_id,
                        inspector.officer.pk,
                        inspector.certificate.pk,
                        number,
                        rank,
                        key.hex(),
                        skipped_status if is_recused else assigned_status,
                        f"抽取前回避：{reasons[pair]}"[:300] if is_recused else "",
                    )
                )
                if is_recused:
                    skipped.append({"certificate": number, "after_draw": False})
                    continue
                chosen_all.append(number)
                taken += 1
                if taken == drawing.INSPECTORS_PER_AGENCY:
                    break
            if taken < drawing.INSPECTORS_PER_AGENCY:
                raise DomainError(
                    f"{member.agency.name}的检查人员因回避不足两名，不能检查{code}"
                    "（《行政处罚法》第四十二条、第四十三条），请调整检查人员名录后再抽取。"
                )
        outputs.append({"subject": code, "inspectors": chosen_all, "skipped": skipped})
    bulk.insert_rows(
        DrawInspector,
        (
            "assignment",
            "agency",
            "officer",
            "certificate",
            "certificate_number",
            "rank",
            "key",
            "status",
            "reason",
        ),
        slots,
    )
    draw.outputs = outputs
    draw.save(update_fields=["outputs"])
    ledger_append(kind=ledger.DRAW, ref=ledger.draw_ref(draw.pk), payload=ledger.draw_payload(draw))
    draw_cache.changed_at_commit(draw.pk)  # nothing of a number used before (SQLite reuses a rolled-back pk)
    on_draw_done(draw)
    return draw


def on_draw_done(draw: Draw) -> None:
    """The inspection tasks of a draw: one per DrawAssignment (idempotent), in the draw's transaction."""
    from zhifa.inspections.task_services import tasks_open_for_draw

    tasks_open_for_draw(draw=draw, actor=draw.drawn_by)


def settings_scale_labels() -> dict[str, str]:
    return dict(settings.ZHIFA_CREDIT_RISK_CLASSES)
