"""zhifa disclosure prepare-due [--agency ID] [--as USERNAME]
   zhifa disclosure refresh-lists [--agency ID] [--as USERNAME | --approve-as USERNAME]

prepare-due drafts the redacted 公示稿 of every decided case whose publication is due and not yet drafted
(for a timer), so the disclosure administrator only has to check and approve. The draft is
prepared as `--as` or, without it, as the agency's first active 公示管理员 (else its head);
nothing is published without a person's approval.

refresh-lists checks every agency's 事前公开 lists against what the org and catalog apps hold
today. Without a user it only reports what is out of date (and why, e.g. a cited law was
amended); `--as` drafts the changed lists for approval; `--approve-as` drafts and publishes them.
Exit 0 ok, 2 bad input.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import CommandError, CommandParser
from tqdm import tqdm

from zhifa.accounts.models import User
from zhifa.core.calendar import today
from zhifa.core.commands import ZhifaCommand
from zhifa.core.errors import DomainError
from zhifa.disclosure import policies, prior, services
from zhifa.disclosure.services import publication_approve
from zhifa.org.models import Agency


class Command(ZhifaCommand):
    help = "公示：为待公开的执法决定生成脱敏公示稿；检查并更新事前公开的清单。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        due = sub.add_parser("prepare-due", help="为待公开的执法决定生成公示稿（待审核发布）")
        due.add_argument("--agency", type=int, help="只处理该执法主体（编号）")
        due.add_argument("--as", dest="actor", help="以该用户（公示管理员或机关负责人）拟稿")
        lists = sub.add_parser(
            "refresh-lists", help="检查并更新事前公开的清单（主体、人员、事项、抽查事项、裁量基准、服务指南）"
        )
        lists.add_argument("--agency", type=int, help="只处理该执法主体（编号）")
        who = lists.add_mutually_exclusive_group()
        who.add_argument("--as", dest="actor", help="以该用户（公示管理员或机关负责人）拟稿，待审核发布")
        who.add_argument("--approve-as", dest="approver", help="以该用户拟稿并审核发布")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "refresh-lists":
            self.refresh_lists(**options)
        else:
            self.prepare_due(**options)

    def prepare_due(self, **options: Any) -> None:
        agencies = Agency.objects.order_by("pk")
        if options["agency"] is not None:
            agencies = agencies.filter(pk=options["agency"])
            if not agencies.exists():
                raise CommandError(f"执法主体 {options['agency']} 不存在。", returncode=2)
        actor = None
        if options["actor"]:
            actor = User.objects.filter(username=options["actor"], is_active=True).first()
            if actor is None:
                raise CommandError(f"用户“{options['actor']}”不存在或已停用。", returncode=2)
        done = services.decision_drafts_prepare(
            agencies=agencies,
            on=today(),
            actor=actor,
            progress=lambda rows: tqdm(rows, unit="件", disable=len(rows) < 50 or not sys.stderr.isatty()),
        )
        self.stdout.write(
            f"待公开 {done.due} 件，新拟稿 {done.drafted} 件（其中已逾期 {done.late} 件），未拟稿 {len(done.skipped)} 件。"
        )
        for line in done.skipped:
            self.stderr.write(line)

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"用户“{username}”不存在或已停用。", returncode=2)
        return user

    def refresh_lists(self, **options: Any) -> None:
        username = options["approver"] or options["actor"]
        user = self._user(username) if username else None
        agencies = Agency.objects.filter(is_active=True).order_by("pk")
        if options["agency"] is not None:
            agencies = agencies.filter(pk=options["agency"])
            if not agencies.exists():
                raise CommandError(f"执法主体 {options['agency']} 不存在或已停用。", returncode=2)
            if user is not None and not policies.can_manage(user, agencies[0]):
                raise CommandError(
                    f"用户“{user.username}”不是“{agencies[0].name}”的公示管理员或机关负责人，不能更新其公示清单。",
                    returncode=2,
                )
        elif user is not None:
            agencies = agencies.filter(pk__in=[a.pk for a in agencies if policies.can_manage(user, a)])
        lines: list[str] = []
        drafted = published = 0
        for agency in tqdm(
            list(agencies), desc="公示清单", unit="个主体", file=sys.stderr, leave=False, disable=None
        ):
            stale = prior.prior_changed(agency)
            for entry in stale:
                lines.append(f"{agency.name}·{entry.label}：{'；'.join(entry.reasons)}")
            if user is None or not stale:
                continue
            try:
                drafts = prior.prior_refresh(actor=user, agency=agency)
            except DomainError as refusal:
                raise CommandError(refusal.message, returncode=2) from refusal
            drafted += len(drafts)
            if options["approver"]:
                for version in drafts:
                    publication_approve(actor=user, version=version)
                    published += 1
        for line in lines:
            self.stdout.write(line)
        if user is None:
            self.stdout.write(f"共 {len(lines)} 项清单需要更新。" if lines else "各清单均为最新。")
        else:
            self.stdout.write(f"已拟稿 {drafted} 项，已发布 {published} 项。")
