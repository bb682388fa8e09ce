"""Photos and video of a visit: stored once by hash, with a ledger leaf; only the inspectors."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone

from zhifa.core.errors import DomainError, NotPermitted
from zhifa.evidence.storage import stage_stream
from zhifa.inspections.models import TaskStatus
from zhifa.inspections.task_services import AttachmentMeta, task_attachment_add
from zhifa.inspections.task_workflow import take
from zhifa.inspections.tests.task_world import tw_fixture  # noqa: F401
from zhifa.ledger.models import LedgerLeaf as Leaf

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def attach_photo(tw, task, user=None, data=PNG):
    return task_attachment_add(
        actor=user or tw.inspector,
        task=task,
        staged=stage_stream(io.BytesIO(data)),
        meta=AttachmentMeta(kind="photo", title="工资台账", collected_at=timezone.now()),
        original_name="ledger.png",
        content_type="image/png",
    )


def test_a_photo_is_kept_with_its_hash_and_leaf(tw):
    task = tw.task()
    take("start", actor=tw.inspector, task=task, code_shown=True, place="现场")
    item = attach_photo(tw, task)
    assert item.blob.size == len(PNG) and len(item.blob.sha256) == 64
    assert Leaf.objects.filter(ref=item.ref).exists()
    assert task.events.filter(action="attach").exists()


def test_only_the_inspectors_attach_and_only_during_the_visit(tw):
    task = tw.task()
    with pytest.raises(DomainError, match="不能再上传"):
        attach_photo(tw, task)
    take("start", actor=tw.inspector, task=task, code_shown=True, place="现场")
    with pytest.raises(NotPermitted):
        attach_photo(tw, task, user=tw.outsider)
    with pytest.raises(NotPermitted):
        attach_photo(tw, task, user=tw.head)
    assert task.status == TaskStatus.ON_SITE and not task.attachments.exists()
