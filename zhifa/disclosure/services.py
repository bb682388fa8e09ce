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
from zhifa.disclosure import ledger, periods, policies, portal_cache, projection, tasks
from zhifa.disclosure.models import DraftEdit, DraftEditAction, Kind, Publication, PublicationVersion, State
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
    returned = draft_returned(version)
    if returned is not None:
        raise DomainError(
            f"第{version.number}版已于{timezone.localtime(returned.at):%Y-%m-%d %H:%M}退回（{returned.reason}），"
            "须重新生成公示稿后才能发布。"
        )
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
    portal_cache.bump_at_commit()  # the portal pages show it from the commit on
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
    portal_cache.bump_at_commit()
    return publication


@transaction.atomic
def publication_end_display(
    *, actor: User, publication: Publication, reason: str, on: dt.date | None = None
) -> Publication:
    """提前停止公示: the display ends today, before its period, with the reason recorded (信用修复,
    《市场监督管理行政处罚信息公示规定》第十四条). The row stays; a new state leaf and revision."""
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    policies.ensure_can_manage(actor, publication.agency)
    on = on or timezone.localdate()
    if not reason.strip():
        raise InvalidInput("提前停止公示须说明理由（《市场监督管理行政处罚信息公示规定》第十四条）。")
    if publication.state != State.PUBLISHED:
        raise DomainError(f"“{publication.title}”尚未公开或已撤回，不能提前停止公示。")
    ends = periods.display_ends_on(publication)
    if ends is not None and ends <= on:
        raise DomainError(f"“{publication.title}”的公示期已于 {ends:%Y-%m-%d} 届满或已停止公示。")
    publication.display_ended_on = on
    publication.display_end_reason = reason.strip()
    publication.display_ended_by = actor
    publication.revision = _next_revision()
    publication.search_text = ""
    publication.save()
    ledger_append(
        kind=ledger.STATE,
        ref=ledger.publication_ref(publication.pk),
        payload=ledger.state_payload(publication),
    )
    portal_cache.bump_at_commit()  # off the portal's pages from the commit on
    after_commit(ledger_tasks.checkpoint, "display_ended", False)
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
    draft = existing.versions.filter(approved_at__isnull=True).first() if existing else None
    view = projection.decision_projection(case, **_corrections(draft))
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
            portal_cache.bump_at_commit()  # search results change


def publication_unindex_expired(*, on: dt.date) -> int:
    """Take out of the full-text index what is no longer on display (a daily job); the pages
    already hide it by the display rule, this keeps the index to what can be found."""
    expired = (
        Publication.objects.filter(state=State.PUBLISHED)
        .exclude(search_text="")
        .exclude(periods.on_display(on))
    )
    with transaction.atomic():
        count = expired.update(search_text="")
        if count:
            portal_cache.bump_at_commit()
    return count


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


# --- the administrator's corrections of a draft (issue 13) ---


def draft_returned(version: PublicationVersion) -> DraftEdit | None:
    """The send-back that stands: made after the draft was last prepared."""
    return (
        version.edits.filter(action=DraftEditAction.SEND_BACK, at__gte=version.prepared_at)
        .order_by("-at", "-pk")
        .first()
    )


def _corrections(draft: PublicationVersion | None) -> dict[str, list[str]]:
    """The words unmasked and masked in a draft, for the engine to apply when it makes it again."""
    if draft is None:
        return {"keep": [], "mask": []}
    edits = list(draft.edits.exclude(action=DraftEditAction.SEND_BACK).order_by("at", "pk"))
    # The later edit of the same words wins (masked, then unmasked again).
    last = {e.words: e.action for e in edits}
    return {
        "keep": [w for w, a in last.items() if a == DraftEditAction.UNMASK],
        "mask": [w for w, a in last.items() if a == DraftEditAction.MASK],
    }


def _locked_draft(actor: User, version: PublicationVersion, reason: str) -> PublicationVersion:
    version = PublicationVersion.objects.select_for_update().select_related("publication").get(pk=version.pk)
    Publication.objects.select_for_update().get(pk=version.publication_id)
    policies.ensure_can_manage(actor, version.publication.agency)
    if version.approved_at is not None:
        raise DomainError(f"第{version.number}版已经发布，不能再修改；内容有误的请使用“更正”。")
    if not reason.strip():
        raise InvalidInput("修改或退回公示稿须说明理由。")
    return version


def _remake(version: PublicationVersion, edit: DraftEdit) -> PublicationVersion:
    """Record the edit, then make the draft again from the case with every correction so far."""
    publication = version.publication
    case = publication.case
    if publication.kind != Kind.DECISION or case is None:
        raise DomainError("只有由案件生成的执法决定公示稿可以调整遮蔽；其他公示信息请重新拟稿。")
    edit.save()
    view = projection.decision_projection(case, **_corrections(version))
    version.content, version.marks = view.content, view.marks
    version.content_sha256 = ledger.content_sha256(view.content)
    version.save(update_fields=["content", "marks", "content_sha256"])
    return version


@transaction.atomic
def draft_unmask(
    *, actor: User, version: PublicationVersion, field: str, index: int, reason: str
) -> PublicationVersion:
    """取消遮蔽: the words behind the field's index-th mark are not personal data; they are shown
    wherever they occur."""
    version = _locked_draft(actor, version, reason)
    marks = version.marks.get(field) or []
    case = version.publication.case
    if not 0 <= index < len(marks) or case is None:
        raise InvalidInput("要取消的遮蔽不存在，请刷新页面后重试。")
    words = projection.decision_masked_words(case, **_corrections(version)).get(field, [])
    if len(words) != len(marks):
        raise DomainError("公示稿与案件内容已不一致，请先重新生成公示稿。")
    start, end, _ = marks[index]
    edit = DraftEdit(
        version=version,
        action=DraftEditAction.UNMASK,
        field=field,
        start=start,
        end=end,
        words=words[index][:100],
        reason=reason.strip()[:300],
        actor=actor,
    )
    return _remake(version, edit)


@transaction.atomic
def draft_mask(*, actor: User, version: PublicationVersion, words: str, reason: str) -> PublicationVersion:
    """补充遮蔽: words the engine missed (a person's name, a detail of an address) are masked
    wherever they occur."""
    version = _locked_draft(actor, version, reason)
    words = words.strip()
    where = [
        (k, v.find(words)) for k, v in version.content.items() if words and isinstance(v, str) and words in v
    ]
    if not 2 <= len(words) <= 100 or not where:
        raise InvalidInput(f"公示稿中没有“{words[:20]}”：请照公示稿原文输入要遮蔽的文字（2至100字）。")
    field, start = where[0]
    edit = DraftEdit(
        version=version,
        action=DraftEditAction.MASK,
        field=field,
        start=start,
        end=start + len(words),
        words=words,
        reason=reason.strip()[:300],
        actor=actor,
    )
    version = _remake(version, edit)
    if any(isinstance(v, str) and words in v for v in version.content.values()):
        # A public fact (a 文号, a citation) contains the words: masking it would change the law.
        raise DomainError(f"“{words[:20]}”属于文号、法律依据等应当公开的内容，不能遮蔽。")
    return version


@transaction.atomic
def draft_send_back(*, actor: User, version: PublicationVersion, reason: str) -> PublicationVersion:
    """退回: the draft is not approved as it is; it can be published only after it is prepared anew
    (e.g. once the case's facts are corrected)."""
    version = _locked_draft(actor, version, reason)
    DraftEdit.objects.create(
        version=version, action=DraftEditAction.SEND_BACK, reason=reason.strip()[:300], actor=actor
    )
    return version
