"""zhifa documents: the operator's view of 执法文书 and their signing certificates.

  zhifa documents kinds                       one line per kind: code<TAB>title<TAB>文号 characters
  zhifa documents list [--kind CODE]          one line per issued document: 文号<TAB>kind<TAB>subject
  zhifa documents export 文号 -o FILE [--agency PK]   write the signed PDF of an issued document
  zhifa documents install-cert --agency PK --pkcs12 FILE [--passphrase-env NAME]
                                              install the agency's signing certificate; the
                                              passphrase comes from ZHIFA_PKCS12_PASSPHRASE or a prompt
Bad input exits 2 with a message on stderr.
"""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from zhifa.core.commands import ZhifaCommand
from zhifa.core.errors import DomainError
from zhifa.documents import selectors, services
from zhifa.documents.kinds import KINDS, kind_get
from zhifa.org.models import Agency

PASSPHRASE_ENV = "ZHIFA_PKCS12_PASSPHRASE"


class Command(ZhifaCommand):
    help = "执法文书：文书种类、已签发文书清单、导出签章 PDF、安装签章证书。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("kinds", help="列出文书种类：代码、名称、文号类别字")
        listing = sub.add_parser("list", help="列出已签发的文书：文号、种类代码、所属对象")
        listing.add_argument("--kind", help="只列出该种类（代码）")
        export = sub.add_parser("export", help="导出已签发文书的签章 PDF")
        export.add_argument("number", help="文号")
        export.add_argument("-o", "--output", required=True, help="输出文件路径")
        export.add_argument("--agency", help="制发机关编号（不同机关文号相同时必填）")
        install = sub.add_parser("install-cert", help="安装执法主体的签章证书（PKCS#12）")
        install.add_argument("--agency", required=True, help="执法主体编号")
        install.add_argument("--pkcs12", required=True, help="PKCS#12 文件（.p12 / .pfx）")
        install.add_argument(
            "--passphrase-env",
            default="",
            help="签章时从该环境变量读取口令（文件保持加密）；不指定则以 0600 权限保存未加密的文件",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actions = {
            "kinds": self._kinds,
            "list": self._list,
            "export": self._export,
            "install-cert": self._install_cert,
        }
        try:
            actions[options["action"]](options)
        except DomainError as exc:
            raise CommandError(exc.message, returncode=2) from exc

    def _kinds(self, options: dict[str, Any]) -> None:
        for kind in KINDS.values():
            self.stdout.write(f"{kind.code}\t{kind.title}\t{kind.abbr}")

    def _list(self, options: dict[str, Any]) -> None:
        kind = kind_get(options["kind"]).code if options["kind"] is not None else None
        for document in selectors.issued_documents(kind=kind):
            self.stdout.write(f"{document.number}\t{document.kind}\t{document.subject_label}")

    def _export(self, options: dict[str, Any]) -> None:
        agency_id = _agency_id(options["agency"]) if options["agency"] is not None else None
        found = selectors.issued_by_number(options["number"], agency_id=agency_id)
        if not found:
            raise DomainError(f"没有文号为“{options['number']}”的已签发文书。")
        if len(found) > 1:
            agencies = "、".join(f"{d.agency.pk}（{d.agency.name}）" for d in found)
            raise DomainError(f"多个机关有文号“{options['number']}”的文书，请用 --agency 指定：{agencies}。")
        document = services.document_signed(found[0])
        output = Path(options["output"])
        try:
            with document.pdf.open("rb") as source:
                data = source.read()
            output.write_bytes(data)
        except FileNotFoundError:
            raise DomainError(f"无法写入“{output}”：目录不存在。") from None
        except OSError as exc:
            raise DomainError(f"无法导出文书：{exc.strerror or exc}。") from None
        self.stdout.write(
            f"已导出 {document.title} {document.number} 至 {output}（SHA-256 {document.sha256}）"
        )

    def _install_cert(self, options: dict[str, Any]) -> None:
        agency = Agency.objects.filter(pk=_agency_id(options["agency"])).first()
        if agency is None:
            raise DomainError(f"没有编号为 {options['agency']} 的执法主体。")
        path = Path(options["pkcs12"])
        try:
            data = path.read_bytes()
        except OSError:
            raise DomainError(f"无法读取 PKCS#12 文件“{path}”。") from None
        passphrase = os.environ.get(PASSPHRASE_ENV)
        if passphrase is None and sys.stdin.isatty():
            passphrase = getpass.getpass("PKCS#12 口令（无口令直接回车）：")
        credential = services.credential_install(
            actor=None,
            agency=agency,
            pkcs12_bytes=data,
            passphrase=passphrase or None,
            passphrase_env=options["passphrase_env"],
        )
        self.stdout.write(
            f"已为{agency.name}安装签章证书：{credential.subject}，"
            f"有效期至 {credential.not_after:%Y-%m-%d}，签发者 {credential.issuer}。"
        )


def _agency_id(text: str) -> int:
    if not (text.isascii() and text.isdigit()):
        raise DomainError(f"执法主体编号“{text}”应为数字。")
    return int(text)
