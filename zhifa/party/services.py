"""Every write of the party page and of the staff's decisions on what the party sent.

The party's steps on the case (陈述申辩, 听证申请, 同意电子送达, 电子送达 at first opening) run on
the cases' step runner (zhifa.party.steps) with a `PartyActor`; requests that need a decision
(延期、分期缴纳, 信用修复) wait as `Submission` rows; each write records the case's event with
its ledger leaf (zhifa.cases.timeline.event) in its transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from zhifa.cases.models import Case, PaymentArrangement
from zhifa.cases.party_actor import PartyActor
from zhifa.cases.timeline import event
from zhifa.cases.workflow import take
from zhifa.core import jurisdiction
from zhifa.core.calendar import add_workdays, today
from zhifa.core.errors import Conflict, DomainError, InvalidInput, NotPermitted
from zhifa.disclosure.feedback import complaint_submit as feedback_complaint_submit
from zhifa.disclosure.services import publication_end_display
from zhifa.party import policies, windows
from zhifa.party.access import revoked_reason
from zhifa.party.models import Attachment, PartyAccess, Submission, SubmissionKind, SubmissionStatus

if TYPE_CHECKING:
    from zhifa.accounts.models import User
    from zhifa.documents.models import Document

MAX_FILES = 5
MAX_FILE_BYTES = 10 * 1024 * 1024
FILE_TYPES = (".pdf", ".jpg", ".jpeg", ".png")


@dataclass(frozen=True)
class Upload:
    name: str
    content: bytes


def actor_for(access: PartyAccess) -> PartyActor:
    return PartyActor(case_id=access.case_id, access_id=access.pk)


def _valid(access: PartyAccess) -> PartyAccess:
    """The access as stored now, refused when it lapsed. The case row is locked first, so two
    submissions at once (a double click, two tabs) are taken one after the other and the second
    finds the first's pending request."""
    Case.objects.select_for_update().filter(pk=access.case_id).first()
    access = PartyAccess.objects.select_related("case", "case__agency").get(pk=access.pk)
    refusal = revoked_reason(access)
    if refusal:
        raise NotPermitted(refusal)
    return access


def _replayed(access: PartyAccess, nonce: str) -> Submission | None:
    return Submission.objects.filter(access=access, nonce=nonce).first() if nonce else None


def _check_files(files: Sequence[Upload]) -> None:
    if len(files) > MAX_FILES:
        raise InvalidInput(f"附件最多 {MAX_FILES} 个。")
    for upload in files:
        if not upload.name.lower().endswith(FILE_TYPES):
            raise InvalidInput(f"附件“{upload.name[:60]}”的格式不支持，请上传 PDF、JPG 或 PNG 文件。")
        if not upload.content or len(upload.content) > MAX_FILE_BYTES:
            raise InvalidInput(f"附件“{upload.name[:60]}”为空或超过 10 MB。")


def _attach(submission: Submission, files: Sequence[Upload]) -> list[dict[str, Any]]:
    saved = []
    for upload in files:
        digest = hashlib.sha256(upload.content).hexdigest()
        row = Attachment(
            submission=submission, name=upload.name[-200:], sha256=digest, size=len(upload.content)
        )
        row.file.save(
            f"{digest[:16]}{upload.name[upload.name.rfind('.') :].lower()}",
            ContentFile(upload.content),
            save=False,
        )
        row.save()
        saved.append({"name": row.name, "sha256": digest, "size": row.size})
    return saved


# ── the party ─────────────────────────────────────────────────────────────────────────


@transaction.atomic
def statement_submit(
    *, access: PartyAccess, statement: str, files: Sequence[Upload] = (), nonce: str = ""
) -> Submission:
    """陈述申辩 within its window: a record of the case, taken by the party's step."""
    access = _valid(access)
    if (done := _replayed(access, nonce)) is not None:
        return done
    _check_files(files)
    refusal = windows.statement(access.case, today())
    if refusal:
        raise DomainError(refusal)
    submission = Submission.objects.create(
        case=access.case,
        access=access,
        kind=SubmissionKind.STATEMENT,
        status=SubmissionStatus.RECORDED,
        content=statement.strip(),
        nonce=nonce,
    )
    attachments = _attach(submission, files)
    record = take(
        "party_statement",
        actor=actor_for(access),
        case=access.case,
        statement=statement,
        attachments=attachments,
    )
    submission.record = record
    submission.save()
    return submission


@transaction.atomic
def hearing_request_submit(*, access: PartyAccess, nonce: str = "") -> Submission:
    access = _valid(access)
    if (done := _replayed(access, nonce)) is not None:
        return done
    refusal = windows.hearing(access.case, today())
    if refusal:
        raise DomainError(refusal)
    take("party_request_hearing", actor=actor_for(access), case=access.case)
    return Submission.objects.create(
        case=access.case,
        access=access,
        kind=SubmissionKind.HEARING,
        status=SubmissionStatus.RECORDED,
        content="申请举行听证",
        nonce=nonce,
    )


@transaction.atomic
def consent_submit(*, access: PartyAccess, address: str, nonce: str = "") -> Submission:
    access = _valid(access)
    if (done := _replayed(access, nonce)) is not None:
        return done
    refusal = windows.consent(access.case, today())
    if refusal:
        raise DomainError(refusal)
    take("party_consent_service", actor=actor_for(access), case=access.case, address=address)
    return Submission.objects.create(
        case=access.case,
        access=access,
        kind=SubmissionKind.CONSENT,
        status=SubmissionStatus.RECORDED,
        address=access.case.electronic_service_consent,
        nonce=nonce,
    )


def _pair(document: Document, pending: Sequence[Document]) -> list[Document]:
    """双书同达: the penalty decision and its credit-repair notice are served together."""
    pair = {"penalty_decision", "credit_repair_notice"}
    if document.kind in pair:
        return [d for d in pending if d.kind in pair]
    return [document]


@transaction.atomic
def document_open(*, access: PartyAccess, document: Document) -> Document:
    """The party opens a document. One not yet served is served electronically now, when the
    party consented (第六十一条第二款); the service records the time and the access."""
    from zhifa.cases.selectors import unserved_documents

    access = _valid(access)
    case = access.case
    pending = unserved_documents(case)
    if document.pk in {d.pk for d in pending}:
        refusal = windows.electronic_service(case)
        if refusal:
            raise NotPermitted(refusal)
        take("party_receive", actor=actor_for(access), case=case, documents=_pair(document, pending))
    document.refresh_from_db()
    return document


def _schedule(rows: Sequence[tuple[str, str]]) -> list[dict[str, str]]:
    result = []
    for day, amount in rows:
        try:
            due = dt.date.fromisoformat(day.strip())
            money = Decimal(amount.strip()).quantize(Decimal("0.01"))
        except (ValueError, InvalidOperation):
            raise InvalidInput(f"“{day}，{amount}”格式不正确，应为“YYYY-MM-DD，金额”。") from None
        if money <= 0:
            raise InvalidInput("每期金额应大于零。")
        result.append({"due_on": due.isoformat(), "amount": f"{money:.2f}"})
    return sorted(result, key=lambda r: r["due_on"])


@transaction.atomic
def payment_plan_request(
    *,
    access: PartyAccess,
    arrangement: str,
    schedule: Sequence[tuple[str, str]],
    reason: str,
    nonce: str = "",
) -> Submission:
    """延期或者分期缴纳罚款的申请 (第六十六条第二款): to the head, who decides on the queue page."""
    access = _valid(access)
    if (done := _replayed(access, nonce)) is not None:
        return done
    case = access.case
    pending = Submission.objects.filter(
        case=case,
        kind__in=[SubmissionKind.DEFERRAL, SubmissionKind.INSTALMENT],
        status=SubmissionStatus.PENDING,
    ).exists()
    refusal = windows.payment_plan(case, today(), pending=pending)
    if refusal:
        raise DomainError(refusal)
    if arrangement not in PaymentArrangement.values:
        raise InvalidInput("请选择延期缴纳或者分期缴纳。")
    rows = _schedule(schedule)
    if arrangement == PaymentArrangement.DEFERRED and len(rows) != 1:
        raise InvalidInput("延期缴纳只有一个缴纳期限；多个期限请选择分期缴纳。")
    if arrangement == PaymentArrangement.INSTALMENT and len(rows) < 2:
        raise InvalidInput("分期缴纳应当至少分为两期。")
    if sum(Decimal(r["amount"]) for r in rows) != case.final_fine:
        raise InvalidInput(f"各期金额之和应当等于罚款金额 {case.final_fine} 元。")
    if not reason.strip():
        raise InvalidInput("请说明确有经济困难的情况（《行政处罚法》第六十六条第二款）。")
    kind = (
        SubmissionKind.DEFERRAL if arrangement == PaymentArrangement.DEFERRED else SubmissionKind.INSTALMENT
    )
    submission = Submission.objects.create(
        case=case,
        access=access,
        kind=kind,
        status=SubmissionStatus.PENDING,
        content=reason.strip(),
        schedule=rows,
        nonce=nonce,
    )
    event(
        case,
        actor_for(access),
        "party_payment_plan_requested",
        f"当事人申请{submission.get_kind_display()[:4]}罚款",
        reason=reason.strip(),
        schedule=rows,
    )
    return submission


@transaction.atomic
def complaint_submit(
    *,
    access: PartyAccess,
    content: str,
    contact_name: str = "",
    contact_phone: str = "",
    address: str | None = None,
    nonce: str = "",
) -> Submission:
    """投诉: kept with the agency's complaints (disclosure Feedback) for the supervision inbox."""
    access = _valid(access)
    if (done := _replayed(access, nonce)) is not None:
        return done
    case = access.case
    feedback_complaint_submit(
        agency=case.agency,
        content=f"【当事人页面·案件 {case.number}】{content.strip()}",
        contact_name=contact_name or case.party_name,
        contact_phone=contact_phone,
        address=address,
    )
    submission = Submission.objects.create(
        case=case,
        access=access,
        kind=SubmissionKind.COMPLAINT,
        status=SubmissionStatus.RECORDED,
        content=content.strip(),
        nonce=nonce,
    )
    event(case, actor_for(access), "party_complaint", "当事人通过当事人页面提出投诉")
    return submission


def repair_due_on(submission: Submission) -> dt.date:
    """The day the agency must decide a credit-repair application by (a jurisdiction setting)."""
    days = int(jurisdiction.value("credit_repair_decision_workdays"))
    return add_workdays(timezone.localdate(submission.created_at), days).date


@transaction.atomic
def credit_repair_apply(
    *, access: PartyAccess, statement: str, files: Sequence[Upload], nonce: str = ""
) -> Submission:
    """信用修复申请 (提前停止公示) with proof of performance, after the shortest display period."""
    access = _valid(access)
    if (done := _replayed(access, nonce)) is not None:
        return done
    case = access.case
    pending = Submission.objects.filter(
        case=case, kind=SubmissionKind.CREDIT_REPAIR, status=SubmissionStatus.PENDING
    ).exists()
    window = windows.credit_repair(case, today(), pending=pending)
    if window.refusal:
        raise DomainError(window.refusal)
    if not files:
        raise InvalidInput("请上传已经履行行政处罚决定的证明材料（如缴款凭证、整改情况说明）。")
    _check_files(files)
    if not statement.strip():
        raise InvalidInput("请说明履行义务、消除不良影响的情况并作出信用承诺。")
    submission = Submission.objects.create(
        case=case,
        access=access,
        kind=SubmissionKind.CREDIT_REPAIR,
        status=SubmissionStatus.PENDING,
        content=statement.strip(),
        publication=window.publication,
        nonce=nonce,
    )
    attachments = _attach(submission, files)
    event(
        case,
        actor_for(access),
        "credit_repair_applied",
        "当事人申请信用修复（提前停止公示行政处罚信息）",
        attachments=[{"name": a["name"], "sha256": a["sha256"]} for a in attachments],
        due_on=repair_due_on(submission),
    )
    return submission


# ── the agency ────────────────────────────────────────────────────────────────────────


def _locked_pending(actor: User, submission: Submission) -> Submission:
    submission = (
        Submission.objects.select_for_update().select_related("case", "case__agency").get(pk=submission.pk)
    )
    policies.ensure_can_decide(actor, submission)
    if submission.status != SubmissionStatus.PENDING:
        raise Conflict(f"该{submission.get_kind_display()}已经办理（{submission.get_status_display()}）。")
    return submission


@transaction.atomic
def payment_plan_decide(*, actor: User, submission: Submission, approve: bool, reason: str) -> Submission:
    """The head approves (the cases' step `plan_payment`, which issues the 批准书) or refuses with reasons."""
    submission = _locked_pending(actor, submission)
    case = submission.case
    if approve:
        arrangement = (
            PaymentArrangement.DEFERRED
            if submission.kind == SubmissionKind.DEFERRAL
            else PaymentArrangement.INSTALMENT
        )
        take(
            "plan_payment",
            actor=actor,
            case=case,
            arrangement=arrangement,
            schedule=[
                (dt.date.fromisoformat(r["due_on"]), Decimal(r["amount"])) for r in submission.schedule
            ],
            reason=submission.content[:300],
        )
    else:
        if not reason.strip():
            raise InvalidInput("不予批准应当说明理由。")
        event(
            case,
            actor,
            "party_payment_plan_refused",
            f"不予批准当事人的{submission.get_kind_display()}",
            reason=reason.strip(),
        )
    submission.status = SubmissionStatus.APPROVED if approve else SubmissionStatus.REFUSED
    submission.decided_at = timezone.now()
    submission.decided_by = actor
    submission.decision_reason = reason.strip()
    submission.save()
    return submission


@transaction.atomic
def credit_repair_decide(*, actor: User, submission: Submission, approve: bool, reason: str) -> Submission:
    """Approve: the publication's display ends today, through the disclosure lifecycle (its
    ledger leaf and revision). Refuse: with reasons, which the party sees."""
    submission = _locked_pending(actor, submission)
    case = submission.case
    if not reason.strip():
        raise InvalidInput("请填写办理意见：批准的依据或者不予批准的理由。")
    late = timezone.localdate() > repair_due_on(submission)
    if approve:
        if submission.publication is None:
            raise DomainError("该申请没有对应的公示信息。")
        publication_end_display(
            actor=actor,
            publication=submission.publication,
            reason=f"信用修复：{reason.strip()}（{windows.RULE_REPAIR}）",
        )
    event(
        case,
        actor,
        "credit_repair_decided",
        ("批准信用修复，提前停止公示行政处罚信息" if approve else "不予批准信用修复申请")
        + ("（超过办理期限）" if late else ""),
        reason=reason.strip(),
        approved=approve,
    )
    submission.status = SubmissionStatus.APPROVED if approve else SubmissionStatus.REFUSED
    submission.decided_at = timezone.now()
    submission.decided_by = actor
    submission.decision_reason = reason.strip()
    submission.save()
    return submission
