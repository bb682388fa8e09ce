"""Every write to 公示: prepare a draft, approve (publish) it, correct, withdraw.

Each service checks the policy and the rule, writes, and appends its ledger leaf in the same
transaction (DESIGN §3.7). Content handed to these services is already the redacted projection.
Every public change takes the next open-data revision (a gap-free, ever-growing cursor).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Field, QuerySet
from django.utils import timezone

from zhifa.cases.models import WITHDRAWING_RESULTS, Case
from zhifa.core.errors import DomainError, InvalidInput
from zhifa.core.numbering import MIN_YEAR, next_number
from zhifa.core.tasks import after_commit
from zhifa.disclosure import ledger, periods, policies, projection, tasks
from zhifa.disclosure.models import Kind, Publication, PublicationVersion, State
from zhifa.disclosure.search import tokens_for
from zhifa.ledger import tasks as ledger_tasks
from zhifa.ledger.services import ledger_append

if TYPE_CHECKING:
    from zhifa.accounts.models import User
    from zhifa.org.models import Agency

# One sequence for all time: the revision is a cursor, not a per-year serial number.
REVISION_SCOPE = "disclosure.revision"
REVISION_YEAR = MIN_YEAR
FACET_FIELDS = (
    "document_number",
    "decided_on",
    "category",
    "matter_kind",
    "outcome",
    "fine",
    "penalty_kinds",
    "display_class",
    "party_is_natural_person",
)
ARTICLE_48 = "《行政处罚法》第四十八条第二款"


def _next_revision() -> int:
    return next_number(REVISION_SCOPE, REVISION_YEAR)


def _apply_facets(publication: Publication, facets: dict[str, Any]) -> None:
    unknown = set(facets) - set(FACET_FIELDS)
    if unknown:
        raise InvalidInput(f"公示信息没有检索字段“{'、'.join(sorted(unknown))}”。")
    for key, value in facets.items():
        field = Publication._meta.get_field(key)
        assert isinstance(field, Field)
        if value is None and not field.null:
            value = field.get_default()
        elif value is not None:
            value = field.to_python(value)
        setattr(publication, key, value)


def _check_content(content: Any, title: str) -> None:
    if not isinstance(content, dict) or not content:
        raise InvalidInput("公示内容不能为空。")
    if not title.strip():
        raise InvalidInput("公示信息须有标题。")


def pending_withdrawing_remedy(case: Case | None) -> Any:
    """The first remedy that changed, revoked or voided the decision (it starts the 3 days), if any."""
    if case is None:
        return None
    return (
        case.remedies.filter(result__in=WITHDRAWING_RESULTS, concluded_on__isnull=False)
        .order_by("concluded_on", "pk")
        .first()
    )


@transaction.atomic
def publication_prepare(
    *,
    actor: User,
    agency: Agency,
    kind: str,
    subject: str,
    title: str,
    content: dict[str, Any],
    marks: dict[str, Any] | None = None,
    effective_from: dt.date | None = None,
    note: str = "",
    case: Case | None = None,
    due_on: dt.date | None = None,
    facets: dict[str, Any] | None = None,
) -> PublicationVersion:
    """A draft version awaiting approval; an existing draft of the same publication is replaced."""
    policies.ensure_can_manage(actor, agency)
    if kind not in Kind.values:
        raise InvalidInput(f"公示类别“{kind}”不存在。")
    _check_content(content, title)
    if case is not None and case.agency_id != agency.pk:
        raise InvalidInput("公示的案件不属于该执法主体。")
    publication, _ = Publication.objects.select_for_update().get_or_create(
        agency=agency,
        kind=kind,
        subject=subject[:80],
        defaults={"title": title.strip()[:200], "case": case, "due_on": due_on},
    )
    if publication.state == State.WITHDRAWN:
        raise DomainError(
            f"“{publication.title}”已撤回，不能再修改或重新发布；变更后的决定应作为新的公示信息发布（{ARTICLE_48}）。"
        )
    if publication.state == State.DRAFT:
        # Not public yet: the filter fields and the title follow the latest draft.
        publication.title = title.strip()[:200]
        publication.due_on = due_on if due_on is not None else publication.due_on
        publication.case = case or publication.case
        if facets:
            _apply_facets(publication, facets)
        publication.save()
    digest = ledger.content_sha256(content)
    draft = publication.versions.filter(approved_at__isnull=True).first()
    if draft is not None:
        draft.content, draft.marks, draft.content_sha256 = content, marks or {}, digest
        draft.effective_from, draft.note, draft.prepared_by = effective_from, note[:300], actor
        draft.prepared_at = timezone.now()
        draft.save()
        return draft
    last = publication.versions.order_by("-number").values_list("number", flat=True).first() or 0
    return PublicationVersion.objects.create(
        publication=publication,
        number=last + 1,
        content=content,
        marks=marks or {},
        content_sha256=digest,
        effective_from=effective_from,
        note=note[:300],
        prepared_by=actor,
    )


@transaction.atomic
def publication_correct(
    *,
    actor: User,
    publication: Publication,
    content: dict[str, Any],
    marks: dict[str, Any] | None = None,
    note: str,
) -> PublicationVersion:
    """更正 (《市场监督管理行政处罚信息公示规定》第十二条): a new version replacing the current
    one once approved; the earlier versions stay and are shown as the history."""
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    policies.ensure_can_manage(actor, publication.agency)
    if publication.state != State.PUBLISHED:
        raise DomainError("只能更正已公开的公示信息；尚未公开的请直接修改草稿，已撤回的不能更正。")
    if not note.strip():
        raise InvalidInput(
            "更正公示信息须说明更正内容和理由（《市场监督管理行政处罚信息公示规定》第十二条）。"
        )
    return publication_prepare(
        actor=actor,
        agency=publication.agency,
        kind=publication.kind,
        subject=publication.subject,
        title=publication.title,
        content=content,
        marks=marks,
        note=note.strip(),
        case=publication.case,
    )


@transaction.atomic
def publication_approve(*, actor: User, version: PublicationVersion) -> Publication:
    """审核发布: the draft becomes the current text on the portal."""
    version = PublicationVersion.objects.select_for_update().select_related("publication").get(pk=version.pk)
    publication = Publication.objects.select_for_update().get(pk=version.publication_id)
    policies.ensure_can_manage(actor, publication.agency)
    if version.approved_at is not None:
        raise DomainError(f"“{publication.title}”第{version.number}版已经发布，不能重复发布。")
    if publication.state == State.WITHDRAWN:
        raise DomainError(f"“{publication.title}”已撤回，不能再发布（{ARTICLE_48}）。")
    if publication.kind == Kind.DECISION:
        remedy = pending_withdrawing_remedy(publication.case)
        if remedy is not None:
            raise DomainError(
                f"该决定已于{remedy.concluded_on:%Y-%m-%d}经{remedy.get_kind_display()}"
                f"{remedy.get_result_display()}，不得再公开，已公开的应当撤回（{ARTICLE_48}）。"
            )
    now = timezone.now()
    version.approved_by, version.approved_at = actor, now
    version.save(update_fields=["approved_by", "approved_at"])
    if publication.kind == Kind.DECISION and publication.case is not None:
        # The filter fields follow the case the approved text is about.
        case = publication.case
        document = projection.decision_document(case)
        facets = projection.decision_facets(case, document=document, fine=_fine_of(case))
        _apply_facets(publication, facets)
        publication.title = projection.decision_title(case, document)
    publication.state = State.PUBLISHED
    publication.published_at = publication.published_at or now
    # The full-text index is filled by a task (jieba segmentation), right after the commit.
    publication.search_text = ""
    publication.revision = _next_revision()
    publication.save()
    ledger_append(
        kind=ledger.PUBLICATION, ref=ledger.version_ref(version.pk), payload=ledger.version_payload(version)
    )
    ledger_append(
        kind=ledger.STATE,
        ref=ledger.publication_ref(publication.pk),
        payload=ledger.state_payload(publication),
    )
    after_commit(tasks.publication_index, publication.pk)
    # A checkpoint soon covers what was just published (a task after the commit).
    after_commit(ledger_tasks.checkpoint, "publication", False)
    return publication


def _fine_of(case: Case) -> Decimal | None:
    return case.final_fine if case.outcome == "penalty" and case.final_fine > 0 else None


@transaction.atomic
def publication_withdraw(*, actor: User, publication: Publication, reason: str) -> Publication:
    """撤回 (第四十八条第二款): the reason is shown on the portal in place of the content."""
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    policies.ensure_can_manage(actor, publication.agency)
    if not reason.strip():
        raise InvalidInput(f"撤回公示信息须说明理由（{ARTICLE_48}）。")
    if publication.state != State.PUBLISHED:
        raise DomainError(f"“{publication.title}”尚未公开或已撤回，不能撤回。")
    remedy = pending_withdrawing_remedy(publication.case)
    if remedy is not None:
        publication.withdrawal_due_on = periods.withdrawal_due_on(remedy.concluded_on)
        publication.withdrawal_cause = (
            f"{remedy.get_kind_display()}{remedy.get_result_display()}"
            f"{'（' + remedy.document_ref + '）' if remedy.document_ref else ''}"
        )[:200]
    publication.state = State.WITHDRAWN
    publication.withdrawn_at = timezone.now()
    publication.withdrawn_by = actor
    publication.withdrawal_reason = reason.strip()
    publication.revision = _next_revision()
    publication.save()
    # A draft of a withdrawn publication can never be approved.
    publication.versions.filter(approved_at__isnull=True).delete()
    ledger_append(
        kind=ledger.STATE,
        ref=ledger.publication_ref(publication.pk),
        payload=ledger.state_payload(publication),
    )
    after_commit(ledger_tasks.checkpoint, "withdrawal", False)
    return publication


@transaction.atomic
def decision_prepare(*, actor: User, case: Case) -> PublicationVersion:
    """The redacted projection of a decided case as a draft for the administrator to approve."""
    policies.ensure_can_manage(actor, case.agency)
    if not projection.is_publishable(case):
        raise DomainError(
            f"案件 {case.number} 尚未作出行政处罚或不予行政处罚决定，没有可公开的执法决定（《行政处罚法》第四十八条）。"
        )
    existing = Publication.objects.filter(
        agency=case.agency, kind=Kind.DECISION, subject=projection.subject_of(case)
    ).first()
    if existing is not None and existing.state != State.DRAFT:
        raise DomainError(f"案件 {case.number} 的决定已经公开或已撤回；内容有误的请使用“更正”。")
    view = projection.decision_projection(case)
    return publication_prepare(
        actor=actor,
        agency=case.agency,
        kind=Kind.DECISION,
        subject=projection.subject_of(case),
        title=view.title,
        content=view.content,
        marks=view.marks,
        case=case,
        due_on=periods.publication_due_on(case),
        facets=view.facets,
    )


def publication_index(*, pk: int) -> None:
    """Fill the full-text index of a published publication from its current text (a task)."""
    with transaction.atomic():
        publication = Publication.objects.select_for_update().filter(pk=pk, state=State.PUBLISHED).first()
        if publication is None:
            return
        current = publication.versions.filter(approved_at__isnull=False).order_by("-number").first()
        text = tokens_for(current.content) if current else ""
        if publication.search_text != text:
            publication.search_text = text
            publication.save(update_fields=["search_text"])


def publication_unindex_expired(*, on: dt.date) -> int:
    """Take out of the full-text index what is no longer on display (a daily job); the pages
    already hide it by the display rule, this keeps the index to what can be found."""
    expired = (
        Publication.objects.filter(state=State.PUBLISHED)
        .exclude(search_text="")
        .exclude(periods.on_display(on))
    )
    return expired.update(search_text="")


@dataclass(frozen=True)
class DraftsPrepared:
    due: int
    drafted: int
    late: int
    skipped: list[str]


def decision_drafts_prepare(
    *, agencies: QuerySet[Agency], on: dt.date, actor: User | None = None, progress: Any = iter
) -> DraftsPrepared:
    """Draft the 公示稿 of every decision due for publication and not drafted yet (the hourly job
    and `zhifa disclosure prepare-due`), as `actor` or as the agency's own 公示管理员 (else its
    head). Nothing is published: a person approves every draft."""
    from zhifa.disclosure import selectors

    items = selectors.decisions_due(agencies=agencies, on=on)
    pending = [i for i in items if i.publication is None]
    drafted, skipped = 0, []
    for item in progress(pending):
        case = item.case
        preparer = actor or policies.drafter_for(case.agency)
        if preparer is None:
            skipped.append(f"{case.number}：{case.agency.name}没有在岗的公示管理员或机关负责人")
            continue
        try:
            decision_prepare(actor=preparer, case=case)
        except DomainError as exc:
            skipped.append(f"{case.number}：{exc.message}")
            continue
        drafted += 1
    late = sum(1 for i in pending if i.urgency == "late")
    return DraftsPrepared(len(items), drafted, late, skipped)
