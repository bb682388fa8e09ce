"""Every read of 年度考核.

A supervisor sees the assessments of their bureau; an agency's staff see the published ones that
assess their agency, with only their own row (`rows_visible_to`); everyone else sees none, and an
assessment not visible is "not found" (404).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import Http404

from zhifa.accounts.models import Role
from zhifa.org.policies import agency_of
from zhifa.supervision import assessment_policies as rules
from zhifa.supervision.models_assessment import Assessment, AssessmentStatus
from zhifa.supervision.policies import bureau_of

if TYPE_CHECKING:
    from zhifa.accounts.models import User


def _own_agency(user: User) -> Any:
    if not user.is_authenticated or not user.is_active:
        return None
    return agency_of(user)


def assessments_visible_to(*, user: User) -> QuerySet[Assessment]:
    base = Assessment.objects.select_related("bureau", "indicator_set", "notice")
    bureau = bureau_of(user)
    if bureau is not None:
        return base.filter(bureau=bureau)
    agency = _own_agency(user)
    if agency is None:
        return base.none()
    if agency.is_justice_bureau:  # the bureau's head: its own assessments (审定); no one else there
        return base.filter(bureau=agency) if user.role == Role.HEAD else base.none()
    ids = [
        a.pk
        for a in base.filter(status=AssessmentStatus.PUBLISHED, bureau__region__in=_regions_above(agency))
        if any(r["agency"] == agency.pk for r in a.snapshot.get("rows", []))
    ]
    return base.filter(pk__in=ids)


def _regions_above(agency: Any) -> list[int]:
    region, out = agency.region, []
    while region is not None:
        out.append(region.pk)
        region = region.parent
    return out


def assessment_get_for(*, user: User, pk: int) -> Assessment:
    found = assessments_visible_to(user=user).filter(pk=pk).first()
    if found is None:
        raise Http404("没有这一年度考核，或者不在您的查看范围内。")
    return found


def rows_visible_to(assessment: Assessment, user: User) -> list[dict[str, Any]]:
    """The ranking rows this user may see: all for the bureau, the agency's own row otherwise."""
    rows = assessment.snapshot.get("rows", [])
    if rules.may_approve(user, assessment):
        return rows
    agency = _own_agency(user)
    return [r for r in rows if agency is not None and r["agency"] == agency.pk]


def home_counts(*, user: User) -> dict[str, Any]:
    mine = assessments_visible_to(user=user)
    return {
        "total": mine.count(),
        "draft": mine.filter(status=AssessmentStatus.DRAFT).count(),
        "approved": mine.filter(status=AssessmentStatus.APPROVED).count(),
        "published": mine.filter(status=AssessmentStatus.PUBLISHED).count(),
        "latest": mine.filter(status=AssessmentStatus.PUBLISHED).order_by("-year", "-pk").first(),
    }
