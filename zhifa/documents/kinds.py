"""The kinds of 执法文书 zhifa issues: code, title and the kind characters in the 文号.

Each kind has a template `documents/kinds/<code>.html`. The content every kind receives is
described in docs/documents.md; the cases app builds it (zhifa/cases/documents.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from zhifa.core.errors import InvalidInput


@dataclass(frozen=True)
class DocumentKind:
    code: str
    title: str
    abbr: str  # 文号 kind characters, e.g. 罚 in 示县人社监罚〔2026〕3号

    @property
    def template(self) -> str:
        return f"documents/kinds/{self.code}.html"


_KINDS = (
    DocumentKind("filing_approval", "立案审批表", "立"),
    DocumentKind("inquiry_record", "询问笔录", "询"),
    DocumentKind("inspection_record", "现场检查(勘验)笔录", "检"),
    DocumentKind("rectification_order", "责令(限期)改正通知书", "责改"),
    DocumentKind("preservation_notice", "先行登记保存通知书", "先保"),
    DocumentKind("seizure_decision", "查封扣押决定书", "封扣"),
    DocumentKind("investigation_report", "调查终结报告", "终"),
    DocumentKind("collective_discussion_record", "集体讨论记录", "集"),
    DocumentKind("legal_review_opinion", "法制审核意见书", "法审"),
    DocumentKind("prior_notice", "行政处罚事先告知书", "告"),
    DocumentKind("hearing_rights_notice", "听证告知书", "听告"),
    DocumentKind("hearing_notice", "听证通知书", "听通"),
    DocumentKind("hearing_record", "听证笔录", "听录"),
    DocumentKind("statement_record", "陈述申辩笔录", "陈"),
    DocumentKind("penalty_decision", "行政处罚决定书", "罚"),
    DocumentKind("on_the_spot_decision", "当场行政处罚决定书", "当罚"),
    DocumentKind("no_penalty_decision", "不予行政处罚决定书", "不罚"),
    DocumentKind("service_receipt", "送达回证", "送"),
    DocumentKind("credit_repair_notice", "信用修复告知书", "信"),
    DocumentKind("payment_approval", "延期(分期)缴纳批准书", "缓"),
    DocumentKind("reminder", "催告书", "催"),
    DocumentKind("enforcement_application", "强制执行申请书", "执申"),
    DocumentKind("transfer_letter", "案件移送函", "移"),
    DocumentKind("closing_approval", "结案审批表", "结"),
    # 《行政处罚法》第四十一条第三款: the party is told of a monitoring device's record.
    DocumentKind("monitoring_notice", "电子技术监控记录告知书", "监告"),
    # 行政执法监督 (zhifa.supervision, 监督线索): issued by the 司法局 to a supervised agency.
    DocumentKind("supervision_notice", "行政执法督办通知书", "督"),
    DocumentKind("supervision_opinion", "行政执法监督意见书", "监意"),
    DocumentKind("supervision_suggestion", "行政执法监督建议书", "监建"),
    # 004 (四)3: 行政执法案卷评查, 并通报有关情况 (issued by the 司法局; zhifa.supervision).
    DocumentKind("evaluation_notice", "行政执法案卷评查情况通报", "评通"),
    # 004 (四)3: the 司法局's opinion ending a filing review that found a fault (zhifa.supervision).
    DocumentKind("filing_correction_opinion", "备案审查纠错意见书", "备纠"),
    # 000 三(一)/四13: 年度行政执法工作考核结果的通报 (issued by the 司法局; zhifa.supervision).
    DocumentKind("assessment_notice", "行政执法工作考核结果通报", "考通"),
)

KINDS: dict[str, DocumentKind] = {kind.code: kind for kind in _KINDS}

# The kinds whose content carries a "record" block (笔录 and 记录): fields, Q&A, paragraphs, signatures.
RECORD_KINDS = frozenset(
    {
        "inquiry_record",
        "inspection_record",
        "statement_record",
        "hearing_record",
        "collective_discussion_record",
    }
)


def kind_get(code: str) -> DocumentKind:
    try:
        return KINDS[code]
    except KeyError:
        raise InvalidInput(f"没有“{code}”这种执法文书；可用的文书类别见 `zhifa documents kinds`。") from None


def kind_choices() -> list[tuple[str, str]]:
    return [(kind.code, kind.title) for kind in _KINDS]
