"""The task queue: eager in the suite, and a real worker process taking a task from Redis."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection, transaction
from huey.contrib.djhuey import HUEY
from huey.storage import RedisStorage

from zhifa.core.tasks import after_commit
from zhifa.documents import services
from zhifa.documents.models import Document
from zhifa.documents.tests.samples import PENALTY, sample_content
from zhifa.ledger.integrity import verify_log
from zhifa.testing.factories import AgencyFactory
from zhifa.testing.signing import install_test_credential

REDIS = os.environ.get("ZHIFA_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_up() -> bool:
    host, port = "127.0.0.1", 6379
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def test_a_task_is_queued_at_the_commit_and_runs_at_once_in_the_suite(db, django_capture_on_commit_callbacks):
    assert HUEY.immediate
    seen = []
    with django_capture_on_commit_callbacks(execute=True):
        after_commit(seen.append, 1)
        assert seen == []  # nothing before the commit
    assert seen == [1]


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = quote(db["USER"] or "")
    password = f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    return f"postgresql://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_a_worker_process_on_redis_signs_the_issued_document(settings, tmp_path):
    if not _redis_up():
        if os.environ.get("CI"):
            pytest.fail("Redis is not running at 127.0.0.1:6379; CI needs it for the worker test.")
        pytest.skip("Redis is not running at 127.0.0.1:6379")
    var = tmp_path / "var"
    var.mkdir()
    settings.VAR_DIR, settings.MEDIA_ROOT = var, var / "media"
    agency = AgencyFactory()
    install_test_credential(agency)
    queue = f"zhifa-test-{uuid.uuid4().hex[:8]}"
    storage = RedisStorage(queue, url=REDIS)
    previous = HUEY.storage
    HUEY.immediate = False
    HUEY.storage = storage
    worker = None
    try:
        with transaction.atomic():
            document = services.document_issue(
                actor=None,
                agency=agency,
                kind="penalty_decision",
                content=sample_content(**PENALTY),
                subject_ref="case:1",
                subject_label="测试案",
            )
        # Issued and committed, queued in Redis, not yet signed by anyone.
        assert document.rendered_at is None and HUEY.pending_count() >= 1  # with the checkpoint
        env = {
            **os.environ,
            "ZHIFA_TASKS_IMMEDIATE": "0",
            "ZHIFA_TASKS_URL": REDIS,
            "ZHIFA_TASKS_NAME": queue,
            "ZHIFA_VAR_DIR": str(var),
            "DATABASE_URL": _database_url(),
        }
        worker = subprocess.Popen(
            [sys.executable, "-m", "zhifa", "run_huey", "--workers", "1", "--no-periodic"],
            env=env,
            cwd=settings.CHECKOUT_DIR,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            document.refresh_from_db()
            if document.rendered_at is not None or worker.poll() is not None:
                break
            time.sleep(0.3)
        assert document.rendered_at is not None, "the worker did not sign the document"
        assert document.pdf and document.sha256 and HUEY.pending_count() == 0
        verify_log()
    finally:
        if worker is not None:
            worker.send_signal(signal.SIGINT)
            try:
                output, _ = worker.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                output, _ = worker.communicate()
            if document_unsigned():
                print(output.decode(errors="replace"))
        storage.flush_all()
        HUEY.storage = previous
        HUEY.immediate = True


def document_unsigned() -> bool:
    return Document.objects.filter(rendered_at__isnull=True).exists()


def test_settings_choose_sqlite_on_one_machine_and_redis_beyond():
    assert settings.HUEY["huey_class"] in ("huey.SqliteHuey", "huey.RedisHuey")
    if not settings.ZHIFA_TASKS_URL:
        assert settings.HUEY["filename"].endswith("tasks.sqlite3")


@pytest.mark.django_db
def test_old_idempotency_receipts_are_purged(settings):
    import datetime as dt

    from django.utils import timezone

    from zhifa.core.models import StepReceipt
    from zhifa.core.tasks import step_receipts_purge
    from zhifa.testing.factories import make_user

    user = make_user("head")
    old = StepReceipt.objects.create(
        actor=user, key="a", workflow="cases", subject_id=1, step="x", status="y"
    )
    StepReceipt.objects.create(actor=user, key="b", workflow="cases", subject_id=1, step="x", status="y")
    StepReceipt.objects.filter(pk=old.pk).update(at=timezone.now() - dt.timedelta(hours=49))
    assert step_receipts_purge.call_local() == 1
    assert list(StepReceipt.objects.values_list("key", flat=True)) == ["b"]
