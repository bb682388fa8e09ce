"""Every read of the registries, plans and draws: for a user (staff pages) or for the public.

"Not found" and "not yours" look the same (Http404). The public reads (published plans, draws)
carry no personal data: credit codes, agency names and certificate numbers only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from zhifa.accounts.models import Role
from zhifa.core.errors import DomainError
from zhifa.inspections import policies
from zhifa.inspections.drawing import ratio_text
from zhifa.inspections.models import (
    Draw,
    DrawAssignment,
    DrawInspector,
    InspectorStatus,
    Plan,
    PlanStatus,
    Recusal,
    RegistryImport,
    Subject,
)
from zhifa.org.models import Agency, Certificate, EnforcementDomain, Officer, Region
from zhifa.org.policies import agency_of, readable_agencies

if TYPE_CHECKING:
    from zhifa.accounts.models import User

PUBLIC_STATUSES = (PlanStatus.PUBLISHED, PlanStatus.LOCKED, PlanStatus.DRAWN)


# ── 检查对象名录库 ─────────────────────────────────────────────────────────────────────────


def subject_list_visible_to(
    *, user: User, q: str = "", region: str = "", risk_class: str = "", industry: str = ""
) -> QuerySet[Subject]:
    if not policies.can_read_registry(user):
        return Subject.objects.none()
    qs = Subject.objects.select_related("region")
    if q:
        qs = qs.filter(Q(uscc__icontains=q) | Q(name__icontains=q) | Q(address__icontains=q))
    if region:
        qs = qs.filter(region__code=region)
    if risk_class:
        qs = qs.filter(risk_class=risk_class)
    if industry:
        qs = qs.filter(industry=industry)
    return qs.order_by("uscc")


def subject_get_for(*, user: User, pk: int) -> Subject:
    subject = subject_list_visible_to(user=user).filter(pk=pk).first()
    if subject is None:
        raise Http404("未找到该检查对象，或您无权查看。")
    return subject


def recusals_visible_to(*, user: User, subject: Subject) -> QuerySet[Recusal]:
    """The recusals on a shared registry subject that the user's own agencies declared: the
    reasons (often a family or business tie) are not for other agencies' staff."""
    return subject.recusals.filter(officer__agency__in=readable_agencies(user)).select_related(
        "officer__agency"
    )


def recusal_roster_for(*, user: User) -> QuerySet[Officer]:
    """The active officers of the user's agency (whom a recusal may name)."""
    own = agency_of(user)
    return Officer.objects.filter(agency=own, is_active=True) if own is not None else Officer.objects.none()


def recusal_officers_for(*, user: User) -> QuerySet[Officer]:
    """Whom the recusal picker offers: oneself, or the whole roster for the head (the service decides)."""
    roster = recusal_roster_for(user=user)
    return roster if user.role == Role.HEAD else roster.filter(user=user)


def registry_import_get_for(*, user: User, pk: int) -> RegistryImport:
    imp = RegistryImport.objects.filter(pk=pk).first() if policies.can_import_registry(user) else None
    if imp is None or (user.role != "sysadmin" and imp.started_by_id != user.pk):
        raise Http404("未找到该导入记录，或您无权查看。")
    return imp


def registry_imports_of(*, user: User) -> QuerySet[RegistryImport]:
    if not policies.can_import_registry(user):
        return RegistryImport.objects.none()
    qs = RegistryImport.objects.defer("content")
    return qs if user.role == "sysadmin" else qs.filter(started_by=user)


# ── 执法检查人员名录库 ─────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Inspector:
    officer: Officer
    certificate: Certificate


def inspector_domains(*, agency: Agency) -> list[EnforcementDomain]:
    """The enforcement domains the agency's officers hold certificates for (the pools it has)."""
    return list(EnforcementDomain.objects.filter(certificates__officer__agency=agency).distinct())


def inspector_pool(*, agency: Agency, domain: EnforcementDomain, on: dt.date) -> list[Inspector]:
    """执法检查人员名录库 of an agency for a domain on a day: active officers whose certificate
    is valid that day for the domain and the agency's area (org.services.officer_ensure_can_enforce),
    ordered by certificate number."""
    from zhifa.org.services import officer_ensure_can_enforce

    officers = (
        Officer.objects.filter(agency=agency, is_active=True)
        .select_related("agency__region")
        .prefetch_related(
            Prefetch(
                "certificates",
                queryset=Certificate.objects.prefetch_related("domains", "annual_reviews").select_related(
                    "area"
                ),
            )
        )
    )
    pool = []
    for officer in officers:
        try:
            certificate = officer_ensure_can_enforce(officer=officer, domain=domain, on=on)
        except DomainError:
            continue
        pool.append(Inspector(officer, certificate))
    return sorted(pool, key=lambda i: i.certificate.number)


# ── 抽查计划 ──────────────────────────────────────────────────────────────────────────────


def _plans() -> QuerySet[Plan]:
    return Plan.objects.select_related("agency").prefetch_related(
        "plan_agencies__agency", "plan_agencies__domain", "plan_items__item", "plan_items__agency", "ratios"
    )


def plan_list_visible_to(*, user: User) -> QuerySet[Plan]:
    return _plans().filter(policies.readable_plan_filter(user)).distinct()


def plan_get_for(*, user: User, pk: int) -> Plan:
    plan = plan_list_visible_to(user=user).filter(pk=pk).first()
    if plan is None:
        raise Http404("未找到该抽查计划，或您无权查看。")
    return plan


def plans_published() -> QuerySet[Plan]:
    """The plans on the portal: published before their draw, and kept there after it."""
    return _plans().filter(status__in=PUBLIC_STATUSES).order_by("-draw_at", "-pk")


def plan_published_get(*, pk: int) -> Plan:
    plan = plans_published().filter(pk=pk).first()
    if plan is None:
        raise Http404("未找到该抽查计划。")
    return plan


def region_paths(codes: Sequence[str]) -> list[str]:
    return list(Region.objects.filter(code__in=codes).values_list("path", flat=True))


def population_of(plan: Plan) -> QuerySet[Subject]:
    """The registry rows the plan's filter selects now, in the classes the plan has ratios for."""
    rule = plan.population or {}
    qs = Subject.objects.filter(is_active=True, risk_class__in=[r.risk_class for r in plan.ratios.all()])
    regions = rule.get("regions") or []
    if regions:
        paths = region_paths(regions)
        condition = Q(pk__in=[])
        for path in paths:
            condition |= Q(region__path__startswith=path)
        qs = qs.filter(condition)
    if rule.get("industries"):
        qs = qs.filter(industry__in=rule["industries"])
    if rule.get("risk_classes"):
        qs = qs.filter(risk_class__in=rule["risk_classes"])
    return qs


def population_description(plan: Plan) -> str:
    """The filter in words, for the plan pages and the portal."""
    rule = plan.population or {}
    parts = []
    regions = rule.get("regions") or []
    if regions:
        names = dict(Region.objects.filter(code__in=regions).values_list("code", "name"))
        parts.append("区划：" + "、".join(names.get(c, c) for c in regions) + "（含下级）")
    if rule.get("industries"):
        parts.append("行业：" + "、".join(rule["industries"]))
    if rule.get("risk_classes"):
        parts.append("信用风险分类：" + "、".join(rule["risk_classes"]))
    return "；".join(parts) or "检查对象名录库中全部存续主体"


# ── 抽取（公开） ───────────────────────────────────────────────────────────────────────────


def draws_public() -> QuerySet[Draw]:
    return Draw.objects.select_related("plan").order_by("-drawn_at", "-pk")


def draw_public_get(*, pk: int) -> Draw:
    draw = draws_public().select_related("plan__snapshot").filter(pk=pk).first()
    if draw is None:
        raise Http404("未找到该抽取记录。")
    return draw


def draw_inputs(draw: Draw) -> dict[str, Any]:
    return {
        "snapshot_sha256": draw.plan.snapshot.sha256,
        "checkpoint": {"size": draw.checkpoint_size, "root": draw.checkpoint_root},
        "witness": draw.witness_value,
    }


def draw_document(draw: Draw) -> dict[str, Any]:
    """The public JSON of a draw (GET /api/inspections/draws/{id}; docs/inspections.md).

    Everything `zhifa inspections verify-draw` and the stdlib snippet need to redo it: the
    population of each stratum, the eligible certificate numbers of each agency, and per task
    the certificates passed over for a recusal (at the draw or after it). No names, no reasons.
    """
    snapshot = draw.plan.snapshot
    codes = snapshot.codes.split("\n") if snapshot.count else []
    classes = snapshot.classes.split("\n") if snapshot.count else []
    by_class: dict[str, list[str]] = {}
    for code, cls in zip(codes, classes, strict=True):
        by_class.setdefault(cls, []).append(code)
    pool_position = {p["agency_id"]: i for i, p in enumerate(draw.pools)}
    slots: dict[int, list[DrawInspector]] = {}
    for slot in DrawInspector.objects.filter(assignment__draw=draw).order_by("assignment_id", "rank"):
        slots.setdefault(slot.assignment_id, []).append(slot)
    tasks = []
    for assignment in DrawAssignment.objects.filter(draw=draw).order_by("position"):
        mine = sorted(slots.get(assignment.pk, []), key=lambda s: (pool_position.get(s.agency_id, 0), s.rank))
        tasks.append(
            {
                "subject": assignment.uscc,
                "inspectors": [s.certificate_number for s in mine if s.status == InspectorStatus.ASSIGNED],
                "skipped": [
                    {"certificate": s.certificate_number, "after_draw": s.status == InspectorStatus.REPLACED}
                    for s in mine
                    if s.status != InspectorStatus.ASSIGNED
                ],
            }
        )
    return {
        "id": draw.pk,
        "version": "zhifa-draw-v1",
        "plan": draw.plan.number,
        "seed": draw.seed,
        "inputs": draw_inputs(draw),
        "strata": [
            {
                "class": s["class"],
                "ratio": s["ratio"],
                "population": by_class.get(s["class"], []),
                "selected": s["selected"],
            }
            for s in draw.strata
        ],
        "pools": [{"agency": p["agency"], "eligible": p["eligible"]} for p in draw.pools],
        "tasks": tasks,
        "drawn_at": draw.drawn_at.isoformat(),
    }


def draw_public_document(*, pk: int) -> dict[str, Any]:
    """draw_document of a draw, answered from the cache until the draw changes (draw_cache)."""
    from zhifa.inspections import draw_cache

    return draw_cache.document(pk, lambda: draw_document(draw_public_get(pk=pk)))


def plan_ratios_text(plan: Plan) -> list[tuple[str, str]]:
    return [(r.risk_class, ratio_text(r.ratio)) for r in plan.ratios.all()]
