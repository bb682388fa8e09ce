from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.db import transaction
from django.utils import timezone

from zhifa.cases.models import Status
from zhifa.core.errors import Conflict, DomainError, InvalidInput, NotPermitted
from zhifa.devices import services
from zhifa.devices.models import DeviceEvent, EventReview
from zhifa.devices.tests.helpers import JPEG, entries, imported, published, registered, reviewed, rows
from zhifa.evidence.models import EvidenceKind
from zhifa.ledger.integrity import verify_log
from zhifa.review import subjects

pytestmark = pytest.mark.django_db


def test_register_is_the_heads_and_checks_what_the_law_asks(world):
    with pytest.raises(NotPermitted):
        services.device_register(
            actor=world.officer,
            agency=world.agency,
            code="X",
            name="x",
            kind="fixed",
            location="x",
            latitude=0,
            longitude=0,
            detects="x",
            legal_basis="x",
            check_body="x",
            check_report="x",
            checked_on=timezone.localdate(),
        )
    device = registered(world)
    assert device.published_at is None and services.refusal(device)
    with pytest.raises(InvalidInput, match="已登记编号"):
        registered(world)


def test_review_goes_through_the_review_app_and_keeps_submitter_and_reviewer_apart(world):
    device = registered(world)
    review = services.device_submit_review(actor=world.head, device=device)
    with pytest.raises(Conflict, match="尚未审核完毕"):
        services.device_submit_review(actor=world.head, device=device)
    with pytest.raises(NotPermitted, match="法制审核人员"):
        subjects.subject_review_record(actor=world.officer, review=review, opinion="agree", reasons="")
    with pytest.raises(InvalidInput, match="存在问题"):
        subjects.subject_review_record(actor=world.reviewer, review=review, opinion="problems", reasons="")
    subjects.subject_review_record(
        actor=world.reviewer, review=review, opinion="problems", reasons="缺少设置依据条款。"
    )
    assert not services.reviewed(device)
    again = services.device_submit_review(actor=world.head, device=device, materials="补充了设置依据。")
    subjects.subject_review_record(actor=world.reviewer, review=again, opinion="agree", reasons="")
    assert services.reviewed(device) and subjects.history(device.ref).count() == 2
    verify_log()


def test_publishing_needs_the_review_and_the_public_list_shows_only_published(world):
    device = registered(world)
    with pytest.raises(DomainError, match="第四十一条"):
        services.device_publish(actor=world.head, device=device)
    device = reviewed(world, "SZ-002")
    with pytest.raises(NotPermitted):
        services.device_publish(actor=world.officer, device=device)
    services.device_publish(actor=world.head, device=device)
    with pytest.raises(Conflict):
        services.device_publish(actor=world.head, device=device)
    from zhifa.devices.selectors import published_devices

    assert [d.code for d in published_devices()] == ["SZ-002"]


def test_records_of_an_unreviewed_device_are_refused_naming_article_41(world):
    device = registered(world)
    result = services.device_events_import(actor=world.officer, entries=entries(rows(device.code)))
    assert (
        not result.imported
        and "未经法制审核" in result.refused[0][1]
        and "第四十一条" in result.refused[0][1]
    )
    assert not DeviceEvent.objects.exists()


def test_records_of_an_unpublished_device_are_refused_naming_article_41(world):
    device = reviewed(world)
    result = services.device_events_import(actor=world.officer, entries=entries(rows(device.code)))
    assert (
        not result.imported
        and "尚未向社会公布" in result.refused[0][1]
        and "第四十一条" in result.refused[0][1]
    )


def test_a_record_made_before_the_location_was_published_is_refused(world):
    device = published(world)
    early = device.published_at - dt.timedelta(hours=1)
    result = services.device_events_import(actor=world.officer, entries=entries(rows(device.code, at=early)))
    assert "早于" in result.refused[0][1] and "第四十一条" in result.refused[0][1]


def test_import_stores_each_record_as_evidence_with_its_hashes_once(world):
    device = published(world)
    [record] = imported(world, device, "E1")
    content = JPEG + b"E1"
    assert record.blob.sha256 == hashlib.sha256(content).hexdigest()
    assert record.blob.sm3 == hashlib.new("sm3", content).hexdigest()
    assert record.review == EventReview.PENDING and record.content_type == "image/jpeg"
    again = services.device_events_import(actor=world.officer, entries=entries(rows(device.code, "E1")))
    assert (len(again.imported), again.duplicates) == (0, 1)
    unknown = services.device_events_import(actor=world.officer, entries=entries(rows("NOPE")))
    assert "没有登记编号" in unknown.refused[0][1]
    with pytest.raises(NotPermitted):
        services.device_events_import(actor=world.reviewer, entries=entries(rows(device.code, "E2")))
    verify_log()


def test_an_unreviewed_record_cannot_start_a_case_naming_article_41(world):
    device = published(world)
    [record] = imported(world, device)
    with pytest.raises(DomainError, match=r"尚未经审核.*第四十一条第二款"):
        services.device_event_case_start(actor=world.officer, record=record)
    services.device_event_review(
        actor=world.officer, record=record, usable=False, reason="图像模糊，车牌无法辨认。"
    )
    with pytest.raises(DomainError, match=r"经审核不能使用.*第四十一条第二款"):
        services.device_event_case_start(actor=world.officer, record=record)
    with pytest.raises(Conflict):
        services.device_event_review(actor=world.officer, record=record, usable=True, reason="再看一遍")


def test_a_record_of_a_device_whose_review_is_later_withdrawn_cannot_start_a_case(world):
    device = published(world)
    [record] = imported(world, device)
    services.device_event_review(actor=world.officer, record=record, usable=True, reason="图像清晰。")
    # The review of the device is superseded by a new submission that found problems.
    from zhifa.review.models import SubjectReview

    SubjectReview.objects.filter(subject_ref=device.ref).update(opinion="problems", reasons="检验过期")
    with pytest.raises(DomainError, match=r"未经法制审核.*第四十一条"):
        services.device_event_case_start(actor=world.officer, record=record)


def test_a_usable_record_starts_a_case_with_its_evidence_and_the_party_is_told(world):
    device = published(world)
    [record] = imported(world, device)
    with pytest.raises(InvalidInput, match="理由"):
        services.device_event_review(actor=world.officer, record=record, usable=True, reason=" ")
    services.device_event_review(
        actor=world.officer, record=record, usable=True, reason="图像清晰，违法行为可辨认。"
    )
    with pytest.raises(DomainError, match="尚未据以立案"):
        services.device_event_notify(actor=world.officer, record=record)
    case = services.device_event_case_start(actor=world.officer, record=record)
    record.refresh_from_db()
    assert record.case == case and case.status == Status.CLUE and "示A12345" in case.clue_summary
    [item] = case.evidence_items.all()
    assert (item.kind, item.blob_id, item.device) == (
        EvidenceKind.ELECTRONIC,
        record.blob_id,
        "SZ-001 人民路口电子监控",
    )
    assert "monitoring_record" in list(case.events.values_list("action", flat=True))
    with pytest.raises(Conflict, match="已经据以立案"):
        services.device_event_case_start(actor=world.officer, record=record)
    # The party identified (the vehicle's keeper), the notice carries the party page's code.
    # (As the investigation would record them; the ledger keeps the case as it is now.)
    from zhifa.cases.ledger import case_append

    case.__class__.objects.filter(pk=case.pk).update(
        party_name="张某某", party_id_number="110101199003078515"
    )
    with transaction.atomic():
        case.refresh_from_db()
        case_append(case)
    document = services.device_event_notify(actor=world.officer, record=record)
    record.refresh_from_db()
    assert document.kind == "monitoring_notice" and record.noticed_at is not None
    assert document.content["party_access"]["code"] and "/party/" in document.content["party_access"]["url"]
    with pytest.raises(Conflict):
        services.device_event_notify(actor=world.officer, record=record)
    verify_log()
