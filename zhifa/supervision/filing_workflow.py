"""备案审查 on the step runner (zhifa.core.workflow): 待报备 → 待审查 → 已备案, or → 纠错整改中 →
已报告整改.

- submit (报备): the filing agency's head, with the decision document attached from the case;
  a submission after the due day is recorded as late (and raises the 备案逾期 warning);
- record (备案): a supervisor of the bureau the filing is lodged with;
- correct (纠错意见): the same, with a signed 备案审查纠错意见书 and the correction report due;
- report (报告整改): the agency's head reports how the fault was corrected.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms

from zhifa.core import workflow as runner
from zhifa.core.calendar import add_workdays
from zhifa.core.errors import DomainError, InvalidInput
from zhifa.supervision import filing_policies as policies
from zhifa.supervision import filing_services as services
from zhifa.supervision import filing_settings
from zhifa.supervision.models_filings import Filing, FilingKind, FilingStatus

if TYPE_CHECKING:
    from zhifa.accounts.models import User

S = FilingStatus
BASIS = "004（四）3：重大执法决定备案审查，发现问题的依法纠正；《行政处罚法》第七十五条"

FILINGS: runner.Workflow[Filing] = runner.Workflow(
    name="supervision_filings",
    model=Filing,
    noun="备案事项",
    ensure_participant=policies.ensure_may_see,
    write_event=services.filing_event,
)

HEAD: runner.Who[Filing] = runner.Who("报备机关负责人", policies.is_head_of)
REVIEWER: runner.Who[Filing] = runner.Who("备案机关（司法局）监督人员", policies.is_reviewer_of)


class NoteForm(runner.StepForm):
    note = forms.CharField(
        label="说明", max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class OpinionForm(runner.StepForm):
    opinion = forms.CharField(label="审查意见", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))


class RecordForm(runner.StepForm):
    opinion = forms.CharField(
        label="审查意见", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReportForm(runner.StepForm):
    report = forms.CharField(label="整改情况", max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))


def _has_document(filing: Filing, on: object) -> None:
    if filing.kind == FilingKind.MAJOR_DECISION and services.decision_document(filing) is None:
        raise DomainError(
            "报备重大行政处罚决定应附已签发的行政处罚决定书，本案尚无已签发的决定书（004（四）3）。"
        )


def _submit(run: runner.Run[Filing], note: str = "") -> None:
    filing = run.subject
    document = services.decision_document(filing)
    filing.document = document
    filing.submitted_on = run.on
    filing.submitted_late = run.on > filing.due_on
    filing.review_due_on = add_workdays(
        run.on, filing_settings.workdays(filing_settings.REVIEW_WORKDAYS)
    ).date
    filing.save()
    late = f"，已超过报备期限（{filing.due_on:%Y-%m-%d}）" if filing.submitted_late else ""
    run.record(
        f"报{filing.bureau.name}备案{late}",
        reason=note,
        document=document.number if document else "",
        late=filing.submitted_late,
        review_due_on=filing.review_due_on,
    )


def _record(run: runner.Run[Filing], opinion: str = "") -> None:
    filing = run.subject
    filing.reviewed_on = run.on
    filing.opinion = opinion
    filing.save()
    run.record("审查通过，予以备案", reason=opinion)


def _correct(run: runner.Run[Filing], opinion: str) -> Any:
    from zhifa.documents.services import document_issue

    if not opinion.strip():
        raise InvalidInput("出具纠错意见应写明发现的问题和纠正要求。")
    filing = run.subject
    filing.reviewed_on = run.on
    filing.opinion = opinion.strip()
    filing.correction_due_on = add_workdays(
        run.on, filing_settings.workdays(filing_settings.CORRECTION_WORKDAYS)
    ).date
    document = document_issue(
        actor=run.actor,
        agency=filing.bureau,
        kind="filing_correction_opinion",
        content={
            "filing": {
                "agency": filing.agency.name,
                "kind_label": filing.get_kind_display(),
                "title": filing.title,
                "submitted_on": f"{filing.submitted_on:%Y-%m-%d}" if filing.submitted_on else "",
                "document_number": filing.document.number if filing.document else "",
            },
            "opinion": filing.opinion,
            "correction_due_on": f"{filing.correction_due_on:%Y-%m-%d}",
            "basis": BASIS,
        },
        subject_ref=filing.subject_ref,
        subject_label=str(filing),
    )
    filing.correction_document = document
    filing.save()
    run.record(
        f"出具备案审查纠错意见书 {document.number}，整改报告期限 {filing.correction_due_on:%Y-%m-%d}",
        reason=filing.opinion,
        document=document.pk,
        correction_due_on=filing.correction_due_on,
    )
    return document


def _report(run: runner.Run[Filing], report: str) -> None:
    if not report.strip():
        raise InvalidInput("请写明整改情况。")
    filing = run.subject
    filing.correction_report = report.strip()
    filing.corrected_on = run.on
    filing.save()
    late = run.on > filing.correction_due_on if filing.correction_due_on else False
    run.record("报告整改情况" + ("（逾期）" if late else ""), reason=filing.correction_report, late=late)


STEPS: list[runner.Step[Filing]] = [
    runner.Step(
        "submit",
        "报备",
        HEAD,
        frozenset({S.DUE}),
        _submit,
        form=NoteForm,
        leads_to=(S.SUBMITTED,),
        guard=_has_document,
    ),
    runner.Step(
        "record",
        "予以备案",
        REVIEWER,
        frozenset({S.SUBMITTED}),
        _record,
        form=RecordForm,
        leads_to=(S.RECORDED,),
    ),
    runner.Step(
        "correct",
        "出具纠错意见",
        REVIEWER,
        frozenset({S.SUBMITTED}),
        _correct,
        form=OpinionForm,
        leads_to=(S.CORRECTING,),
    ),
    runner.Step(
        "report",
        "报告整改",
        HEAD,
        frozenset({S.CORRECTING}),
        _report,
        form=ReportForm,
        leads_to=(S.CORRECTED,),
    ),
]


def register() -> None:
    if not FILINGS.steps:
        FILINGS.add(STEPS)


def take(code: str, *, actor: User | None, filing: Filing, **data: Any) -> Any:
    """Take step `code` on the filing (the pages, the demo and the tests all come through here)."""
    return FILINGS.take(code, filing, actor=actor, **data)


next_steps = FILINGS.next_steps
