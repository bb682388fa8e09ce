"""zhifa demo [--laws PATH] [--no-cases]: load the demonstration data set (idempotent) and print the demo logins.

Every row is written through the owning app's services with actor=None, in one transaction;
rows that already exist (by natural key) are left alone, so a second run changes nothing.
The demo cases (zhifa.demo.cases) are replayed through the case services as the demo officers,
heads and reviewers; they are made once, when the case agencies have no case yet.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from django.contrib.auth.hashers import check_password
from django.core.management.base import CommandError, CommandParser
from django.db import transaction
from huey.contrib.djhuey import HUEY

from zhifa.accounts.models import Role, User
from zhifa.accounts.services import user_create
from zhifa.cases.models import Case, Status
from zhifa.catalog.models import Matter
from zhifa.catalog.services import law_files, law_import, matter_amend, matter_create, matter_repeal
from zhifa.core.calendar import today
from zhifa.core.commands import ZhifaCommand
from zhifa.core.errors import DomainError
from zhifa.demo import benchmarks as demo_benchmarks
from zhifa.demo import data
from zhifa.demo import devices as demo_devices
from zhifa.demo import evidence as demo_evidence
from zhifa.demo import inspections as demo_inspections
from zhifa.demo import party as demo_party
from zhifa.demo import payments as demo_payments
from zhifa.demo import supervision_assessment as demo_assessment
from zhifa.demo import supervision_clues as demo_supervision_clues
from zhifa.demo import supervision_cockpit as demo_supervision_cockpit
from zhifa.demo import supervision_evaluation as demo_evaluation
from zhifa.demo import supervision_filings as demo_supervision_filings
from zhifa.org.models import (
    Agency,
    Certificate,
    CertificateStatus,
    EnforcementDomain,
    Officer,
    Region,
    TrainingRecord,
    Unit,
)
from zhifa.org.services import (
    agency_create,
    annual_review_record,
    certificate_issue,
    certificate_set_status,
    domain_create,
    officer_create,
    region_create,
    training_record_add,
    unit_create,
)

T = TypeVar("T")
STAGES = 9


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def format_table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in [header, *rows]
    ]
    lines.insert(1, "  ".join("─" * w for w in widths))
    return lines


class Loader:
    """Creates what is missing, counting new and existing rows per kind for the progress lines."""

    def __init__(self, write: Callable[[str], None]) -> None:
        self.write = write
        self.today = today()
        self.created: Counter[str] = Counter()
        self.existing: Counter[str] = Counter()
        self.stage = 0
        self.new_usernames: set[str] = set()
        self.case_accounts: list[tuple[User, str]] = []

    def ensure(self, kind: str, existing: T | None, create: Callable[[], T]) -> T:
        if existing is not None:
            self.existing[kind] += 1
            return existing
        self.created[kind] += 1
        return create()

    def progress(self, *kinds: str, extra: str = "") -> None:
        self.stage += 1
        parts = [f"{k}新建 {self.created[k]}、已有 {self.existing[k]}" for k in kinds]
        self.write(f"[{self.stage}/{STAGES}] " + "；".join([*parts, extra] if extra else parts) + "。")

    # ── stages ──

    def laws(self, files: list[Path]) -> None:
        if not files:
            self.stage += 1
            self.write(
                f"[{self.stage}/{STAGES}] 未指定 --laws，跳过法律法规导入（执法事项的法律依据暂不关联条文）。"
            )
            return
        linked = 0
        for path in files:
            result = law_import(path=path)
            self.created["法律法规"] += result.created
            self.existing["法律法规"] += not result.created
            linked += result.linked_bases
        self.progress("法律法规", extra=f"关联法律依据 {linked} 条")

    def regions(self) -> dict[str, Region]:
        regions: dict[str, Region] = {}
        for spec in data.REGIONS:
            parent = regions[spec.parent] if spec.parent else None
            regions[spec.code] = self.ensure(
                "行政区划",
                Region.objects.filter(code=spec.code).first(),
                partial(region_create, code=spec.code, name=spec.name, level=spec.level, parent=parent),
            )
        self.progress("行政区划")
        return regions

    def domains(self) -> dict[str, EnforcementDomain]:
        domains: dict[str, EnforcementDomain] = {}
        for code, name in data.DOMAINS:
            domains[code] = self.ensure(
                "执法类别",
                EnforcementDomain.objects.filter(code=code).first(),
                partial(domain_create, actor=None, code=code, name=name),
            )
        self.progress("执法类别")
        return domains

    def agencies(self, regions: dict[str, Region]) -> tuple[dict[str, Agency], dict[tuple[str, str], Unit]]:
        agencies: dict[str, Agency] = {}
        units: dict[tuple[str, str], Unit] = {}
        for spec in data.AGENCIES:
            fields = {
                "name": spec.name,
                "short_name": spec.short_name,
                "region": regions[spec.region],
                "kind": spec.kind,
                "is_justice_bureau": spec.is_justice_bureau,
                "parent": agencies[spec.parent] if spec.parent else None,
                "entrusted_by": agencies[spec.entrusted_by] if spec.entrusted_by else None,
                "uscc": spec.uscc,
                "address": spec.address,
                "phone": spec.phone,
                "duties": spec.duties,
                "supervision_channel": spec.supervision_channel,
                "complaint_channel": spec.complaint_channel,
                "remedies": spec.remedies,
                "reconsideration_body": spec.reconsideration_body,
                "litigation_court": spec.litigation_court,
                "document_abbr": spec.document_abbr,
            }
            agency = self.ensure(
                "执法主体",
                Agency.objects.filter(uscc=spec.uscc).first(),
                partial(agency_create, actor=None, **fields),
            )
            agencies[spec.key] = agency
            for name, is_review_body in spec.units:
                units[spec.key, name] = self.ensure(
                    "内设机构",
                    Unit.objects.filter(agency=agency, name=name).first(),
                    partial(
                        unit_create, actor=None, agency=agency, name=name, is_legal_review_body=is_review_body
                    ),
                )
        self.progress("执法主体", "内设机构")
        return agencies, units

    def people(
        self,
        agencies: dict[str, Agency],
        units: dict[tuple[str, str], Unit],
        domains: dict[str, EnforcementDomain],
    ) -> tuple[list[tuple[User, str]], dict[str, Officer]]:
        accounts: list[tuple[User, str]] = []
        officers: dict[str, Officer] = {}
        for seed, spec in enumerate(data.OFFICERS):
            agency = agencies[spec.agency]
            user = None
            if spec.username:
                user = self._user(spec.username, spec.role, spec.name, spec.phone)
                accounts.append((user, agency.name))
            elif spec.login:
                user = self._user(spec.login, data.case_login_role(spec), spec.name, "")
                self.case_accounts.append((user, agency.name))
            officer = self.ensure(
                "执法人员",
                Officer.objects.filter(agency=agency, name=spec.name).first(),
                partial(
                    officer_create,
                    actor=None,
                    agency=agency,
                    unit=units[spec.agency, spec.unit],
                    user=user,
                    name=spec.name,
                    gender=spec.gender,
                    title=spec.title,
                    post=spec.post,
                    legal_qualification_no=spec.qualification,
                    legal_qualification_date=spec.qualified_on,
                ),
            )
            officers[spec.certificate] = officer
            self.ensure(
                "执法证",
                Certificate.objects.filter(number=spec.certificate).first(),
                partial(self._certificate, officer, spec, seed, domains=domains),
            )
        accounts.append((self._user(*data.ADMIN_ACCOUNT, phone=""), "（无）"))
        self.progress("执法人员", "执法证", "登录账号")
        order = {name: i for i, name in enumerate(data.ACCOUNT_ORDER)}
        return sorted(accounts, key=lambda a: order.get(a[0].username, len(order))), officers

    def training(self, officers: dict[str, Officer]) -> None:
        for spec in data.OFFICERS:
            officer = officers[spec.certificate]
            for day, course in data.training_plan(spec.training, spec.domains[0], today=self.today):
                # One record per course and year, so a rerun on a later day adds nothing either.
                self.ensure(
                    "培训记录",
                    TrainingRecord.objects.filter(
                        officer=officer, title=course.title, date__year=day.year
                    ).first(),
                    partial(
                        training_record_add,
                        actor=None,
                        officer=officer,
                        date=day,
                        title=course.title,
                        category=course.category,
                        hours=course.hours,
                        organizer=course.organizer,
                    ),
                )
        self.progress("培训记录")

    def matters(self, agencies: dict[str, Agency], domains: dict[str, EnforcementDomain]) -> None:
        for spec in data.MATTERS:
            agency = agencies[spec.agency]
            self.ensure(
                "执法事项",
                Matter.objects.filter(agency=agency, code=spec.code).first(),
                partial(self._matter, spec, agency, domains),
            )
        amended = sum(1 for m in data.MATTERS if m.amendments)
        repealed = sum(1 for m in data.MATTERS if m.repealed_on)
        self.progress("执法事项", extra=f"其中有修改沿革的 {amended} 项、已废止的 {repealed} 项")
        made, had = demo_benchmarks.load(agencies)
        self.write(f"    裁量基准新建 {made}、已有 {had}（含四张清单）。")

    def cases(self, agencies: dict[str, Agency], *, skip: bool) -> None:
        self.stage += 1
        prefix = f"[{self.stage}/{STAGES}] "
        if skip:
            self.write(prefix + "按 --no-cases 跳过演示案件。")
            return
        try:
            from zhifa.demo.cases import CASE_AGENCIES, missing_logins, status_label
            from zhifa.demo.party_stories import PartyDemoCases
        except ModuleNotFoundError as exc:  # time-machine replays the cases on a travelling clock
            raise CommandError(
                f"生成演示案件需要 Python 包“{exc.name}”（运行 make setup 安装），或者加 --no-cases 跳过演示案件。"
            ) from exc
        builder = PartyDemoCases(agencies)  # the demo cases and the party page's stories (zhifa.demo.party)
        existing = builder.existing()
        if existing:
            self.write(prefix + f"演示案件新建 0、已有 {existing}（案件只在首次加载时生成）。")
            return
        missing = missing_logins(agencies)
        if missing:
            self.write(
                prefix + f"{'、'.join(missing)}没有登录账号（早期版本的演示数据），跳过演示案件；"
                "删除 var 目录后重新运行 zhifa demo 即可生成。"
            )
            return
        self.write(prefix + "正在按时间顺序办理演示案件，每份文书都要签章，约需一两分钟……")
        result = builder.build()
        photos = demo_evidence.attach_documents(list(Case.objects.filter(agency__in=builder.case_agencies())))
        assessed = demo_benchmarks.attach_assessments({key: agencies[key] for key in CASE_AGENCIES})
        total = sum(result.cases.values())
        self.write(
            f"    演示案件新建 {total}、已有 0；签发执法文书 {result.documents} 份，用时 {result.seconds:.0f} 秒；"
            f"{assessed} 件记录了裁量基准适用情况；另附现场照片和书证 {photos} 件。"
        )
        by_agency: dict[str, Counter[str]] = {}
        for (agency, status), count in result.cases.items():
            by_agency.setdefault(agency, Counter())[status] += count
        order = {status: i for i, status in enumerate(Status.values)}
        for agency, statuses in by_agency.items():
            parts = [
                f"{status_label(status)} {count}"
                for status, count in sorted(statuses.items(), key=lambda item: order[item[0]])
            ]
            self.write(f"    {agency} {sum(statuses.values())} 件：{'、'.join(parts)}")

    # ── single rows ──

    def _user(self, username: str, role: str, full_name: str, phone: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            self.new_usernames.add(username)
        return self.ensure(
            "登录账号",
            user,
            partial(
                user_create,
                username=username,
                password=data.DEMO_PASSWORD,
                role=role,
                full_name=full_name,
                phone=phone,
                validate=True,
            ),
        )

    def _certificate(
        self,
        officer: Officer,
        spec: data.OfficerSpec,
        seed: int,
        *,
        domains: dict[str, EnforcementDomain],
    ) -> Certificate:
        plan = data.certificate_plan(spec.standing, today=self.today, seed=seed)
        certificate = certificate_issue(
            actor=None,
            officer=officer,
            number=spec.certificate,
            issuer=data.CERTIFICATE_ISSUER,
            issued_on=plan.issued_on,
            valid_until=plan.valid_until,
            domains=[domains[code] for code in spec.domains],
            area=officer.agency.region,
        )
        for day in reversed(plan.reviews):
            annual_review_record(
                actor=None,
                certificate=certificate,
                year=day.year,
                reviewed_on=day,
                passed=True,
                note="年度审验合格",
            )
        if plan.suspended_reason:
            certificate_set_status(
                actor=None,
                certificate=certificate,
                status=CertificateStatus.SUSPENDED,
                reason=plan.suspended_reason,
            )
        return certificate

    def _matter(self, spec: data.MatterSpec, agency: Agency, domains: dict[str, EnforcementDomain]) -> Matter:
        fields: dict[str, Any] = {
            "name": spec.name,
            "kind": spec.kind,
            "domain": domains[spec.domain],
            "description": spec.description,
            "review_always_required": spec.review_always_required,
        }
        if spec.av_levels:
            fields["av_levels"] = dict(spec.av_levels)
        matter = matter_create(
            actor=None,
            agency=agency,
            code=spec.code,
            effective_from=spec.effective_from,
            bases=spec.bases,
            **fields,
        )
        for amendment in spec.amendments:
            changes: dict[str, Any] = {}
            if amendment.description is not None:
                changes["description"] = amendment.description
            matter_amend(
                actor=None,
                matter=matter,
                effective_from=amendment.effective_from,
                change_note=amendment.change_note,
                bases=amendment.bases,
                **changes,
            )
        if spec.repealed_on is not None:
            matter = matter_repeal(
                actor=None, matter=matter, effective_on=spec.repealed_on, reason=spec.repeal_reason
            )
        return matter


class Command(ZhifaCommand):
    help = (
        "加载演示数据（示例省示例县的执法主体、执法人员、执法事项、各阶段的演示案件和各角色演示账号）；"
        "可重复运行，已有数据不变。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-cases",
            action="store_true",
            help="不生成演示案件（生成时每份执法文书都要签章，需一两分钟）",
        )
        parser.add_argument(
            "--laws",
            metavar="PATH",
            help="先导入该目录（含子目录）下的法律法规文本（*.md，跳过模版），使执法事项的法律依据关联到条文",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        files: list[Path] = []
        if options["laws"]:
            path = Path(options["laws"])
            if not path.exists():
                raise CommandError(f"路径“{path}”不存在。", returncode=2)
            files = law_files(path)
            if not files:
                raise CommandError(f"“{path}”下没有找到可导入的 .md 文件。", returncode=2)
        loader = Loader(self.stdout.write)
        # The demo replays its history on a travelling clock: documents are signed as issued,
        # at their date, rather than later by the worker at today's.
        HUEY.immediate = True
        try:
            with transaction.atomic():
                loader.laws(files)
                regions = loader.regions()
                domains = loader.domains()
                agencies, units = loader.agencies(regions)
                accounts, officers = loader.people(agencies, units, domains)
                loader.training(officers)
                loader.matters(agencies, domains)
                self.stdout.write(demo_inspections.load(agencies))
                loader.cases(agencies, skip=options["no_cases"])
                from zhifa.demo import inspection_tasks  # after the registry and plans (issue 14)

                loader.write(inspection_tasks.summary(inspection_tasks.load(agencies)))
                loader.write(
                    "    "
                    + demo_payments.load()
                    + " "
                    + demo_devices.load(agencies["hrss"], cases=not options["no_cases"])
                )
                loader.write("    " + demo_supervision_clues.load(agencies))
                loader.write("    " + demo_evaluation.load(agencies))
                loader.write("    " + demo_supervision_cockpit.load(agencies))
                loader.write("    " + demo_supervision_filings.load(agencies))
                loader.write("    " + demo_assessment.load(agencies))
        except DomainError as exc:
            raise CommandError(f"演示数据加载失败，已全部撤销：{exc.message}") from exc
        self._print_accounts(loader, accounts)

    def _print_accounts(self, loader: Loader, accounts: list[tuple[User, str]]) -> None:
        loader.stage += 1
        self.stdout.write(f"[{loader.stage}/{STAGES}] 演示账号（统一密码 {data.DEMO_PASSWORD}）：")
        rows = []
        for user, agency in accounts:
            # hashers.check_password, not user.check_password: it must not re-hash and save.
            unchanged = user.username in loader.new_usernames or check_password(
                data.DEMO_PASSWORD, user.password
            )
            password = data.DEMO_PASSWORD if unchanged else "（已修改，未重置）"
            rows.append([user.username, Role(user.role).label, user.full_name, agency, password])
        self.stdout.write("")
        for line in format_table(["用户名", "角色", "姓名", "执法主体", "密码"], rows):
            self.stdout.write("  " + line)
        self.stdout.write("")
        if loader.case_accounts:
            self.stdout.write(
                "办案演示账号（密码同上）：各执法主体的承办人、负责人和法制审核人员，用于办理本机关的演示案件："
            )
            self.stdout.write("")
            rows = [
                [user.username, Role(user.role).label, user.full_name, agency]
                for user, agency in loader.case_accounts
            ]
            for line in format_table(["用户名", "角色", "姓名", "执法主体"], rows):
                self.stdout.write("  " + line)
            self.stdout.write("")
        demo_party.print_codes(self.stdout.write, format_table)
        self.stdout.write(f"访问地址：{data.DEMO_URL}")
        self.stdout.write(
            self.style.WARNING(
                "注意：以上账号和数据仅供演示，密码公开；请勿在生产环境加载演示数据或使用这些账号。"
            )
        )
