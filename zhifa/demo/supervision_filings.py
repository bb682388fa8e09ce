"""演示备案审查和执法监督预警, through the services and the step runner:

- the demo's major decisions and township 立案 open their filings from the case events; one is
  filed late and ends with a signed 备案审查纠错意见书 and the agency's correction report due,
  another is filed on time and recorded;
- a revised 裁量基准 filed on time, and a document format declared five weeks ago and never
  filed (备案逾期);
- three days ago the 市场监管局 suspended 罗斌's certificate (暂扣, pending an investigation) while he
  still handles the open 查封扣押 case: the certificate change feeds the warning run, which warns
  that case (invalid_certificate) until a new handler is put on it;
- the warning rules run over the demo at their default thresholds; every rule finds its own fact
  (the 统计局's unpaid fine near the end of its court window, the 人社局's decision revoked by
  the court: 败诉率 above 5%).

Built once: a second run finds the filings and adds nothing.
"""

from __future__ import annotations

import datetime as dt

import time_machine
from django.utils import timezone

from zhifa.accounts.models import Role, User
from zhifa.core.calendar import today
from zhifa.documents.services import demo_credential_ensure, documents_render_pending
from zhifa.org.models import Agency, CertificateStatus
from zhifa.org.services import certificate_set_status
from zhifa.supervision import filing_services
from zhifa.supervision.filing_workflow import take
from zhifa.supervision.models_filings import Filing, FilingKind, FilingStatus
from zhifa.supervision.models_warnings import HitStatus, WarningHit
from zhifa.supervision.warning_rules import RULES
from zhifa.supervision.warning_services import warnings_run

MARK = "演示："


def _user(agency: Agency, role: str) -> User | None:
    return (
        User.objects.filter(role=role, is_active=True, officer__agency=agency, officer__is_active=True)
        .order_by("pk")
        .first()
    )


def load(agencies: dict[str, Agency]) -> str:
    """The sentence the demo prints."""
    if Filing.objects.filter(title__startswith=MARK).exists():
        return "演示备案审查和预警已存在（只在首次加载时生成）。"
    bureau, agency = agencies["justice"], agencies["hrss"]
    supervisor = User.objects.filter(username="supervisor").first() or _user(bureau, Role.SUPERVISOR)
    head = _user(agency, Role.HEAD)
    if supervisor is None or head is None:
        return "缺少司法局监督人员或县人社局负责人账号，未生成演示备案审查。"
    now = timezone.now()
    with time_machine.travel(now - dt.timedelta(days=36), tick=True):
        demo_credential_ensure(bureau)
        filing_services.filing_declare(
            actor=head,
            kind=FilingKind.DOCUMENT_FORMAT,
            title=f"{MARK}行政处罚决定书格式（增加信用修复告知内容）",
            changed_on=today(),
            description="决定书增加信用修复告知段落（双书同达）。",
        )
    with time_machine.travel(now - dt.timedelta(days=12), tick=True):
        benchmark = filing_services.filing_declare(
            actor=head,
            kind=FilingKind.DISCRETION,
            title=f"{MARK}劳动保障监察行政处罚裁量基准（修订）",
            changed_on=today() - dt.timedelta(days=2),
            description="修订拖欠工资类违法行为的裁量阶次。",
        )
        take("submit", actor=head, filing=benchmark, note="随修订文本报送")

    # The demo cases' own filings, opened from their events as the scheduled task does.
    with time_machine.travel(now - dt.timedelta(days=5), tick=True):
        opened = filing_services.filings_sync(batch=100000)
        majors = list(
            Filing.objects.filter(kind=FilingKind.MAJOR_DECISION, status=FilingStatus.DUE, agency=agency)
            .select_related("case")
            .order_by("basis_on")
        )
        with_document = [f for f in majors if filing_services.decision_document(f) is not None]
        corrected: Filing = benchmark
        if with_document:
            corrected = with_document[0]
            take("submit", actor=head, filing=corrected, note="补报重大行政处罚决定")
        take(
            "correct",
            actor=supervisor,
            filing=corrected,
            opinion="经审查，决定书对从轻处罚情节的认定未说明证据，裁量理由不充分；"
            "请依照《行政处罚法》第三十四条和本机关裁量基准补充说明，必要时依法自行纠正。",
        )
        documents_render_pending()  # signed at its date, as the worker would
        for filing in with_document[1:2]:
            take("submit", actor=head, filing=filing)
            take("record", actor=supervisor, filing=filing, opinion="材料齐全，予以备案。")

    suspended = _suspend_a_handler(agencies["samr"], now - dt.timedelta(days=3))
    warnings_run(batch=100000)
    warnings_run(batch=100000)  # the watches set by the first run, and the agencies' daily rules
    open_hits = WarningHit.objects.filter(status=HitStatus.OPEN)
    by_rule = {code: open_hits.filter(rule__code=code).count() for code in (r.code for r in RULES)}
    missing = [code for code, n in by_rule.items() if n == 0]
    return (
        f"演示备案审查：案件生成待报备 {opened} 件，纠错意见 1 件；"
        f"预警 {open_hits.count()} 条（{'、'.join(f'{c} {n}' for c, n in by_rule.items())}）"
        + (f"；无命中：{'、'.join(missing)}" if missing else "")
        + (f"；{suspended}" if suspended else "")
    )


def _suspend_a_handler(agency: Agency, moment: dt.datetime) -> str:
    """The agency head suspends the certificate of an officer who still handles an open case (what
    an agency sees when a complaint against an officer is being investigated)."""
    from zhifa.cases.models import TERMINAL, CaseHandler

    handler = (
        CaseHandler.objects.filter(case__agency=agency, active=True, officer__name="罗斌")
        .exclude(case__status__in=TERMINAL)
        .select_related("officer", "case")
        .first()
    )
    head = _user(agency, Role.HEAD)
    certificate = (
        handler.officer.certificates.filter(status=CertificateStatus.ACTIVE).first() if handler else None
    )
    if handler is None or head is None or certificate is None:
        return ""
    with time_machine.travel(moment, tick=True):
        certificate_set_status(
            actor=head,
            certificate=certificate,
            status=CertificateStatus.SUSPENDED,
            reason="群众投诉其在检查中未出示执法证件，暂扣执法证件，待调查处理",
        )
    return f"{handler.officer.name}的执法证已暂扣，仍为案件 {handler.case.number} 的承办人"
