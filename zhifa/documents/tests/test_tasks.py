"""Signing after the issue: the task, its sweep, its failures, and what waits for it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from zhifa.cases.tests.conftest import world  # noqa: F401 — the case procedure's world
from zhifa.documents import services, tasks
from zhifa.documents.models import Document
from zhifa.documents.tests.samples import PENALTY, sample_content
from zhifa.ledger.models import LedgerLeaf

pytestmark = pytest.mark.django_db


def issue(agency) -> Document:
    return services.document_issue(
        actor=None,
        agency=agency,
        kind="penalty_decision",
        content=sample_content(**PENALTY),
        subject_ref="case:7",
        subject_label="测监案〔2026〕7号",
    )


@pytest.fixture
def queued(monkeypatch):
    """The signing tasks queued (recorded here, not run): a worker not there yet."""
    calls: list[tuple] = []
    monkeypatch.setattr(tasks, "document_render", lambda *args: calls.append(args))
    return calls


def test_the_issue_fixes_the_content_and_the_signing_follows_the_commit(
    agency, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document = issue(agency)
        assert queued == []  # nothing is queued before the commit
    assert queued == [(document.pk,)]
    document.refresh_from_db()
    assert document.number and document.content and document.rendered_at is None and not document.pdf
    leaves = LedgerLeaf.objects.filter(ref=f"documents.document:{document.pk}")
    assert leaves.count() == 1 and '"pdf_sha256":""' in leaves.get().data

    signed = services.document_render(pk=document.pk)
    assert signed is not None and signed.rendered_at is not None and signed.pdf and signed.sha256
    assert leaves.count() == 2  # the signed files' hashes join the document's leaf
    again = services.document_render(pk=document.pk)
    assert again is not None and again.sha256 == signed.sha256 and leaves.count() == 2


def test_the_sweep_queues_what_is_still_unsigned_after_a_while(agency, queued):
    document = issue(agency)
    assert tasks.documents_render_pending.call_local() == 0  # just issued: its own task is coming
    Document.objects.filter(pk=document.pk).update(issued_at=timezone.now() - dt.timedelta(minutes=5))
    assert tasks.documents_render_pending.call_local() == 1
    assert queued == [(document.pk,)]


def test_a_failed_signing_is_kept_for_the_administrator(agency):
    from zhifa.documents.models import SigningCredential

    document = issue(agency)  # its task not run yet (no commit in the test)
    SigningCredential.objects.filter(agency=agency).update(pkcs12_path="keys/missing.p12")
    tasks.document_render.call_local(document.pk)
    document.refresh_from_db()
    assert document.rendered_at is None and "找不到签章证书文件" in document.render_error


def test_a_document_served_before_the_worker_signed_it_is_signed_first(world):  # noqa: F811
    from zhifa.cases.tests.steps import on_the_spot_case
    from zhifa.cases.workflow import take

    case = on_the_spot_case(world, fine=Decimal(200))
    take(
        "plan_payment",
        actor=world.head,
        case=case,
        arrangement="deferred",
        schedule=[(timezone.localdate() + dt.timedelta(days=30), Decimal(200))],
        reason="申请延期。",
    )
    approval = Document.objects.get(subject_ref=case.subject_ref, kind="payment_approval")
    assert approval.rendered_at is None  # the worker comes after the commit
    take(
        "serve",
        actor=world.officer,
        case=case,
        documents=[approval],
        method="direct",
        served_on=timezone.localdate(),
        place="当事人住所",
        recipient="张三",
    )
    approval.refresh_from_db()
    assert approval.rendered_at is not None and approval.pdf


def test_a_document_that_cannot_be_signed_is_refused_with_the_reason(agency):
    from zhifa.core.errors import DomainError
    from zhifa.documents.models import SigningCredential

    document = issue(agency)
    SigningCredential.objects.filter(agency=agency).update(pkcs12_path="keys/missing.p12")
    with pytest.raises(DomainError, match="找不到签章证书文件"):
        services.document_signed(document)
    document.refresh_from_db()
    assert document.rendered_at is None and "找不到签章证书文件" in document.render_error


def test_a_broken_renderer_is_refused_in_a_sentence_and_kept_for_the_administrator(agency, monkeypatch):
    from zhifa.core.errors import DomainError

    document = issue(agency)

    def broken(html):
        raise OSError("font cache unreadable")

    monkeypatch.setattr(services, "render_pdf", broken)
    with pytest.raises(DomainError, match="签章失败，请联系系统管理员"):
        services.document_signed(document)
    document.refresh_from_db()
    assert document.rendered_at is None and "font cache unreadable" in document.render_error
