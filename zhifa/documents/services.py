"""Every write of documents and signing credentials. Each checks its guard and runs in one transaction.

Issuing a document numbers it and fixes its content in the caller's transaction; a task renders
and signs it right after the commit (at once in the tests and the demo). The PDF and DOCX are
written to storage before the row that refers to them; if that transaction rolls back, the files
stay behind unreferenced. Such an orphan is harmless: no record points to it, it is never
served, and it is never overwritten (the storage gives the next file of the same name a fresh
one).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from zhifa.core.calendar import today
from zhifa.core.errors import DomainError, InvalidInput
from zhifa.core.tasks import after_commit
from zhifa.core.validation import clean_or_raise
from zhifa.documents import ledger, numbering, policies
from zhifa.documents.demo_ca import demo_agency_certificate
from zhifa.documents.docx_writer import docx_from_html
from zhifa.documents.kinds import DocumentKind, kind_get
from zhifa.documents.models import Document, DocumentStatus, SigningCredential
from zhifa.documents.rendering import (
    Stamp,
    full_content,
    qr_png,
    render_html,
    render_pdf,
    verification_url,
)
from zhifa.documents.signing import (
    KeyMaterial,
    keys_dir,
    load_credential,
    read_pkcs12,
    serialize_pkcs12,
    sign_pdf,
    write_private,
)
from zhifa.documents.verification import new_code
from zhifa.ledger.services import ledger_append
from zhifa.org.models import Agency
from zhifa.org.seal import seal_png_for

if TYPE_CHECKING:
    from zhifa.accounts.models import User

MAX_PKCS12_BYTES = 1024 * 1024
ENV_NAME = re.compile(r"[A-Z_][A-Z0-9_]{0,99}")


# ── documents ──


def _unused_code() -> str:
    while True:
        code = new_code()
        if not Document.objects.filter(verification_code=code).exists():
            return code


def _signing_material(agency: Agency) -> KeyMaterial:
    credential = SigningCredential.objects.filter(agency=agency).first()
    if credential is None:
        raise DomainError(
            f"“{agency.name}”尚未安装签章证书，不能签发执法文书；"
            "请系统管理员运行 zhifa documents install-cert 安装本机关的签章证书。"
        )
    path = (Path(settings.VAR_DIR) / credential.pkcs12_path).resolve()
    if not path.is_relative_to(keys_dir().resolve()):
        raise DomainError(
            f"“{agency.name}”的签章证书路径不在密钥目录内，拒绝使用；请系统管理员重新安装证书。"
        )
    return load_credential(path, credential.passphrase_env)


def _ensure_agency_active(agency: Agency) -> None:
    if not agency.is_active:
        raise DomainError(f"“{agency.name}”已不是有效的执法主体，不能以其名义制发执法文书。")


def _files_name(document: Document, ext: str) -> str:
    return f"{document.kind}-{document.year}-{document.sequence:05d}.{ext}"


@transaction.atomic
def document_reserve(
    *, actor: User | None, agency: Agency, kind: str, subject_ref: str = "", subject_label: str = ""
) -> Document:
    """Take the next number for a pre-numbered form (当场处罚决定书); fill it with document_issue."""
    kind_obj = kind_get(kind)
    policies.ensure_can_act_for(actor, agency)
    _ensure_agency_active(agency)
    year = today().year
    sequence, number = numbering.allocate(agency, kind_obj, year)
    document = Document(
        agency=agency,
        kind=kind_obj.code,
        number=number,
        year=year,
        sequence=sequence,
        title=kind_obj.title,
        status=DocumentStatus.RESERVED,
        subject_ref=subject_ref.strip(),
        subject_label=subject_label.strip(),
        verification_code=_unused_code(),
    )
    clean_or_raise(document)
    document.save()
    return document


# subject_ref of a number reserved to a person rather than to a subject, e.g. "holder:officer:7".
HOLDER_PREFIX = "holder:"


def _take_reserved(reserved: Document, agency: Agency, kind: DocumentKind, subject_ref: str) -> Document:
    document = Document.objects.select_for_update().get(pk=reserved.pk)
    if document.status != DocumentStatus.RESERVED:
        raise DomainError(
            f"文号 {document.number} 的文书{document.get_status_display()}，不能再填写签发；"
            "已签发的文书不得更改，作废的文号不得重复使用。"
        )
    if document.agency_id != agency.pk or document.kind != kind.code:
        raise DomainError(
            f"预留文号 {document.number} 属于{document.agency}的{document.title}，不能用于本文书。"
        )
    # A number held by a person (a book of pre-numbered forms) is filled for any subject.
    held = document.subject_ref.startswith(HOLDER_PREFIX)
    if document.subject_ref and not held and document.subject_ref != subject_ref:
        raise DomainError(
            f"预留文号 {document.number} 已预留给{document.subject_label or '其他案件'}，不能用于本案。"
        )
    return document


@transaction.atomic
def document_issue(
    *,
    actor: User | None,
    agency: Agency,
    kind: str,
    content: dict[str, Any],
    subject_ref: str,
    subject_label: str,
    reserved: Document | None = None,
) -> Document:
    """Number (or fill the reserved number) and issue the document with its content, in the
    caller's transaction; it is rendered and signed right after the commit (`document_render`).

    The caller guards the procedure; this checks that the actor acts for the agency and that the
    agency can sign. `content` follows the contract in docs/documents.md; the agency block and
    the issue date are filled in here. The content is what the ledger leaf fixes: the PDF and
    DOCX are rendered from it, and their hashes join the document's leaf once signed.
    """
    kind_obj = kind_get(kind)
    policies.ensure_can_act_for(actor, agency)
    _ensure_agency_active(agency)
    _signing_material(agency)  # refused now, in the step, if the agency cannot sign
    issued_on = today()
    stored_content = full_content(agency, content, issued_on)
    subject_ref, subject_label = subject_ref.strip(), subject_label.strip()

    if reserved is not None:
        document = _take_reserved(reserved, agency, kind_obj, subject_ref)
    else:
        year = issued_on.year
        sequence, number = numbering.allocate(agency, kind_obj, year)
        document = Document(
            agency=agency,
            kind=kind_obj.code,
            number=number,
            year=year,
            sequence=sequence,
            title=kind_obj.title,
            verification_code=_unused_code(),
        )
    document.content = stored_content
    document.subject_ref = subject_ref
    document.subject_label = subject_label
    document.status = DocumentStatus.ISSUED
    document.issued_at = timezone.now()
    document.issued_by = actor
    clean_or_raise(document)
    document.save()
    ledger_append(
        kind=ledger.KIND, ref=ledger.document_ref(document.pk), payload=ledger.document_payload(document)
    )
    from zhifa.documents import tasks

    after_commit(tasks.document_render, document.pk)
    return document


def document_signed(document: Document) -> Document:
    """The document with its signed files: rendered now if the worker has not got to it yet
    (it is served, downloaded or exported before the task ran)."""
    if document.rendered_at is not None or document.status != DocumentStatus.ISSUED:
        return document
    try:
        signed = document_render(pk=document.pk)
    except DomainError as error:
        document_render_failed(pk=document.pk, error=error.message)
        raise
    except Exception as error:  # a broken key or renderer: kept for the administrator, said to the user
        document_render_failed(pk=document.pk, error=f"{type(error).__name__}: {error}")
        raise DomainError(f"{document.title} {document.number}签章失败，请联系系统管理员。") from error
    if signed is None or signed.rendered_at is None:
        raise DomainError(f"{document.title} {document.number}尚未完成签章，请稍后再试。")
    return signed


def documents_render_pending(*, issued_before: dt.datetime | None = None) -> int:
    """Render every issued document still unsigned (issued before `issued_before`, if given)."""
    pending = Document.objects.filter(status=DocumentStatus.ISSUED, rendered_at__isnull=True)
    if issued_before is not None:
        pending = pending.filter(issued_at__lt=issued_before)
    count = 0
    for pk in pending.order_by("pk").values_list("pk", flat=True):
        document_render(pk=pk)
        count += 1
    return count


def document_render(*, pk: int) -> Document | None:
    """Render and sign an issued document, store its PDF and DOCX, and append their hashes to its
    leaf. Idempotent: a document already rendered (by another worker) is left as it is.

    The rendering (most of a second) happens outside any transaction, so it holds no lock; the
    files are stored and the row updated in one short transaction under the row lock.
    """
    document = Document.objects.select_related("agency").filter(pk=pk, status=DocumentStatus.ISSUED).first()
    if document is None or document.rendered_at is not None:
        return document
    kind_obj = kind_get(document.kind)
    agency = document.agency
    material = _signing_material(agency)
    html = render_html(
        kind=kind_obj,
        content=document.content,
        stamp=Stamp(
            number=document.number,
            verification_code=document.verification_code,
            seal_png=seal_png_for(name=agency.name, uploaded=agency.seal_png),
        ),
    )
    signed = sign_pdf(
        render_pdf(html),
        material,
        signer_name=agency.name,
        reason=f"{kind_obj.title} {document.number}",
        location=agency.address,
    )
    word = docx_from_html(
        html,
        footer=f"{kind_obj.title} {document.number} · 核验码 {document.verification_code} · "
        f"核验网址 {verification_url(document.verification_code)} · "
        "本文件为可编辑副本，以电子签章的 PDF 为准。",
        qr_png=qr_png(verification_url(document.verification_code)),
    )
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=pk)
        if document.rendered_at is not None:
            return document
        # Files first, then the row (an orphan after a rollback is harmless, see the module docstring).
        document.pdf.save(_files_name(document, "pdf"), ContentFile(signed), save=False)
        document.docx.save(_files_name(document, "docx"), ContentFile(word), save=False)
        document.sha256 = hashlib.sha256(signed).hexdigest()
        document.signer_subject = material.subject[:300]
        document.rendered_at = timezone.now()
        document.render_error = ""
        clean_or_raise(document)
        document.save()
        ledger_append(
            kind=ledger.KIND, ref=ledger.document_ref(document.pk), payload=ledger.document_payload(document)
        )
    return document


def document_render_failed(*, pk: int, error: str) -> None:
    """Keep why signing failed, for the page and the administrator; the sweep retries it."""
    Document.objects.filter(pk=pk, rendered_at__isnull=True).update(render_error=error[:300])


@transaction.atomic
def document_void(*, actor: User | None, document: Document, reason: str) -> Document:
    """Void a reserved number (a spoilt or unused pre-numbered form). It stays on record, never reused."""
    policies.ensure_can_act_for(actor, document.agency)
    reason = reason.strip()
    if not reason:
        raise InvalidInput("作废预留文号须写明原因（如填写错误、表单损毁）。")
    locked = Document.objects.select_for_update().get(pk=document.pk)
    if locked.status == DocumentStatus.ISSUED:
        raise DomainError(
            f"文号 {locked.number} 的文书已签发，不得作废或者修改；"
            "确有错误的，应当依法另行作出决定予以更正或者撤销。"
        )
    if locked.status == DocumentStatus.VOID:
        raise DomainError(f"文号 {locked.number} 已经作废。")
    locked.status = DocumentStatus.VOID
    locked.void_reason = reason
    locked.voided_at = timezone.now()
    clean_or_raise(locked)
    locked.save()
    ledger_append(
        kind=ledger.KIND, ref=ledger.document_ref(locked.pk), payload=ledger.document_payload(locked)
    )
    return locked


def document_preview_html(*, agency: Agency, kind: str, content: dict[str, Any]) -> str:
    """The document as it will read, before it is numbered: no 文号, no verification code or QR."""
    return render_html(kind=kind_get(kind), content=full_content(agency, content, today()), stamp=None)


# ── signing credentials ──


@transaction.atomic
def credential_install(
    *,
    actor: User | None,
    agency: Agency,
    pkcs12_bytes: bytes,
    passphrase: str | None,
    passphrase_env: str = "",
) -> SigningCredential:
    """Check and install the agency's PKCS#12 (key + certificate, valid now), replacing the old one.

    With `passphrase_env`, the file keeps `passphrase` and the service reads it from that
    environment variable when signing; without, the file is stored unencrypted with mode 0600.
    """
    policies.ensure_can_manage_credentials(actor)
    if len(pkcs12_bytes) > MAX_PKCS12_BYTES:
        raise InvalidInput("PKCS#12 文件过大（超过 1 MB），请确认选择的是签章证书文件。")
    if passphrase_env and not ENV_NAME.fullmatch(passphrase_env):
        raise InvalidInput(f"“{passphrase_env}”不是有效的环境变量名（大写字母、数字和下划线）。")
    if passphrase_env and not passphrase:
        raise InvalidInput("指定了口令环境变量时，PKCS#12 文件须设置口令。")
    material = read_pkcs12(pkcs12_bytes, passphrase)
    path = keys_dir() / f"agency-{agency.pk}-{secrets.token_hex(6)}.p12"
    write_private(
        path, serialize_pkcs12(material, name=agency.name, passphrase=passphrase if passphrase_env else None)
    )
    relative = path.relative_to(Path(settings.VAR_DIR)).as_posix()
    credential = SigningCredential.objects.select_for_update().filter(agency=agency).first()
    old_path = credential.pkcs12_path if credential else ""
    if credential is None:
        credential = SigningCredential(agency=agency)
    credential.pkcs12_path = relative
    credential.passphrase_env = passphrase_env
    credential.subject = material.subject[:300]
    credential.issuer = material.issuer[:300]
    credential.serial_number = format(material.certificate.serial_number, "x")[:64]
    credential.not_after = material.certificate.not_valid_after_utc
    credential.installed_at = timezone.now()
    clean_or_raise(credential)
    credential.save()
    if old_path and old_path != relative:
        old = Path(settings.VAR_DIR) / old_path
        transaction.on_commit(lambda: old.unlink(missing_ok=True))
    return credential


def demo_credential_ensure(agency: Agency) -> SigningCredential:
    """For the demo: the agency's credential, or a new one from the local demo CA (仅供演示)."""
    existing = SigningCredential.objects.filter(agency=agency).first()
    if (
        existing is not None
        and existing.not_after > timezone.now() + dt.timedelta(days=1)
        and (Path(settings.VAR_DIR) / existing.pkcs12_path).is_file()
    ):
        return existing
    material = demo_agency_certificate(agency.name)
    return credential_install(
        actor=None,
        agency=agency,
        pkcs12_bytes=serialize_pkcs12(material, name=agency.name, passphrase=None),
        passphrase=None,
    )
