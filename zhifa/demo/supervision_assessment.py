"""演示年度考核: the county 司法局's assessment of this year, published with its signed 通报,
taken through the services and the step runner as the bureau would.

- the supervisor drafts it: the scores of every agency in the county from this year's figures
  (the 年报's, with the 案卷评查 just 通报ed) beside last year's, computed the same way;
- the bureau's head (局长) 审定s it, and the supervisor publishes the 考核通报.

Every step runs at the present clock: the evaluation's 通报 it counts is issued today and the
bureau's demo certificate is valid from now. Built once: a second run finds it and adds nothing.
"""

from __future__ import annotations

from zhifa.accounts.models import Role, User
from zhifa.core.calendar import today
from zhifa.documents.services import demo_credential_ensure, documents_render_pending
from zhifa.org.models import Agency, Officer
from zhifa.supervision.assessment_services import assessment_create
from zhifa.supervision.assessment_workflow import take
from zhifa.supervision.models_assessment import Assessment


def _user(bureau: Agency, role: str) -> User | None:
    officer = (
        Officer.objects.filter(agency=bureau, user__role=role, user__isnull=False, is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return officer.user if officer is not None else None


def load(agencies: dict[str, Agency]) -> str:
    """Create what is missing; returns the line the demo prints."""
    bureau = agencies["justice"]
    year = today().year
    existing = Assessment.objects.filter(bureau=bureau, year=year).first()
    if existing is not None:
        return f"年度考核：{existing.number}（已存在）。"
    supervisor = _user(bureau, Role.SUPERVISOR)
    if supervisor is None:
        return "年度考核：未载入（没有司法局监督人员）。"
    head = _user(bureau, Role.HEAD) or supervisor
    demo_credential_ensure(bureau)
    assessment = assessment_create(actor=supervisor, year=year)
    take("approve", actor=head, assessment=assessment, opinion="经局务会研究，同意考核结果。")
    document = take("publish", actor=supervisor, assessment=assessment, opinion="")
    documents_render_pending()
    rows = assessment.snapshot["rows"]
    first = rows[0] if rows else None
    lead = f"第一名 {first['name']} {first['total']} 分" if first and first["total"] is not None else "无数据"
    return f"年度考核：{assessment.number} 考核 {len(rows)} 个执法主体，{lead}，通报 {document.number}。"
