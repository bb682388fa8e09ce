"""法制审核 of subjects other than cases (a monitoring device under 《行政处罚法》第四十一条):
the writes and reads the owning app calls. The same separation as for cases: whoever submits
never reviews, the reviewer is one of the agency's 法制审核人员, and a first-time reviewer holds
the legal-profession qualification (第五十八条第二款, applied here as the platform's rule).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from zhifa.cases.policies import is_reviewer_of, officer_of
from zhifa.core.errors import Conflict, DomainError, InvalidInput, NotPermitted
from zhifa.ledger.registry import ref_pk
from zhifa.ledger.services import ledger_append
from zhifa.review.models import Opinion, ReviewRound, SubjectReview

if TYPE_CHECKING:
    from zhifa.accounts.models import User
    from zhifa.org.models import Agency

KIND = "subject_review"


def latest(subject_ref: str) -> SubjectReview | None:
    return SubjectReview.objects.filter(subject_ref=subject_ref).order_by("-submitted_at", "-pk").first()


def cleared(subject_ref: str) -> bool:
    found = latest(subject_ref)
    return found is not None and found.opinion == Opinion.AGREE


def history(subject_ref: str) -> QuerySet[SubjectReview]:
    return SubjectReview.objects.filter(subject_ref=subject_ref).select_related("submitted_by", "reviewer")


def open_for(*, user: User) -> QuerySet[SubjectReview]:
    """Submissions waiting for an opinion that this user may give (the reviewer's queue)."""
    officer = officer_of(user)
    if officer is None or not is_reviewer_of(user, officer.agency):
        return SubjectReview.objects.none()
    return SubjectReview.objects.filter(agency=officer.agency, opinion="").exclude(submitted_by=user)


@transaction.atomic
def subject_review_submit(
    *, actor: User, agency: Agency, subject_ref: str, label: str, basis: str, materials: str
) -> SubjectReview:
    """Submit a subject for review; the owning app checks who may submit before calling."""
    before = latest(subject_ref)
    if before is not None and not before.opinion:
        raise Conflict(f"“{label}”已提交法制审核，尚未审核完毕。")
    if before is not None and before.opinion == Opinion.AGREE:
        raise Conflict(f"“{label}”已经法制审核同意。")
    if not materials.strip():
        raise InvalidInput("请填写送审材料摘要。")
    review = SubjectReview.objects.create(
        agency=agency,
        subject_ref=subject_ref,
        subject_label=label[:200],
        basis=basis[:200],
        materials=materials.strip(),
        submitted_by=actor,
        submitted_at=timezone.now(),
    )
    ledger_append(kind=KIND, ref=review.ref, payload=payload(review))
    return review


def ensure_may_review(user: User, review: SubjectReview) -> None:
    if not is_reviewer_of(user, review.agency):
        raise NotPermitted(f"法制审核应由{review.agency.name}的法制审核人员办理。")
    if review.submitted_by_id == user.pk:
        raise DomainError("送审人不能审核自己送审的事项（三项制度：承办与审核分离）。")
    officer = officer_of(user)
    reviewed_before = (
        ReviewRound.objects.filter(reviewer=user).exclude(opinion="").exists()
        or SubjectReview.objects.filter(reviewer=user).exclude(opinion="").exists()
    )
    if not reviewed_before and (officer is None or not officer.has_legal_qualification):
        raise DomainError(
            f"{user.display_name}尚未从事过法制审核，且未登记法律职业资格；初次从事法制审核的人员，"
            "应当取得法律职业资格（《行政处罚法》第五十八条第二款）。"
        )


@transaction.atomic
def subject_review_record(*, actor: User, review: SubjectReview, opinion: str, reasons: str) -> SubjectReview:
    """The reviewer's opinion: 同意, or 存在问题 with what must change (then a new submission)."""
    review = SubjectReview.objects.select_for_update(of=("self",)).select_related("agency").get(pk=review.pk)
    ensure_may_review(actor, review)
    if review.opinion:
        raise Conflict("该事项本次送审已经审核完毕。")
    if opinion not in Opinion.values:
        raise InvalidInput("请选择审核意见：同意或者存在问题。")
    if opinion == Opinion.PROBLEMS and not reasons.strip():
        raise InvalidInput("审核意见为“存在问题”时，应当写明存在的问题及修改建议。")
    review.opinion, review.reasons = opinion, reasons.strip()
    review.reviewer, review.reviewed_at = actor, timezone.now()
    review.save()
    ledger_append(kind=KIND, ref=review.ref, payload=payload(review))
    return review


def payload(review: SubjectReview) -> dict[str, Any]:
    def at(value: dt.datetime | None) -> str | None:
        return value.astimezone(dt.UTC).isoformat() if value else None

    return {
        "agency": review.agency_id,
        "subject": review.subject_ref,
        "materials_sha256": hashlib.sha256(review.materials.encode()).hexdigest(),
        "submitted_by": review.submitted_by_id,
        "submitted_at": at(review.submitted_at),
        "opinion": review.opinion,
        "reasons_sha256": hashlib.sha256(review.reasons.encode()).hexdigest(),
        "reviewer": review.reviewer_id,
        "reviewed_at": at(review.reviewed_at),
    }


def payloads(refs: Sequence[str]) -> Mapping[str, dict[str, Any]]:
    pks = [ref_pk(r) for r in refs]
    return {r.ref: payload(r) for r in SubjectReview.objects.filter(pk__in=pks)}


def existing() -> Iterator[tuple[dt.datetime, str]]:
    for review in SubjectReview.objects.order_by("submitted_at", "pk"):
        yield review.submitted_at, review.ref
