"""Every public page answers HEAD as it answers GET, without a body (RFC 9110 §9.3.2): link
checkers, monitors and caches ask with HEAD before they fetch."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from zhifa.disclosure import credentials, flowchart, prior
from zhifa.disclosure.models import Kind
from zhifa.disclosure.services import publication_approve
from zhifa.disclosure.tests.factories import make_decided_case, make_decision_document, make_world, publish
from zhifa.ledger import services as ledger_services
from zhifa.testing.factories import AnnualReviewFactory, CertificateFactory, OfficerFactory


@pytest.fixture
def public_urls(db, settings, tmp_path) -> list[str]:
    settings.VAR_DIR = tmp_path  # the ledger's checkpoint key
    settings.MEDIA_ROOT = tmp_path / "media"
    world = make_world()
    for kind in (Kind.AGENCY, Kind.MATTERS):
        publication_approve(
            actor=world.admin, version=prior.prior_publish(actor=world.admin, agency=world.agency, kind=kind)
        )
    case = make_decided_case(world)
    decision = publish(world, case)
    document = make_decision_document(case)
    officer = OfficerFactory(agency=world.agency, name="王执法")
    certificate = CertificateFactory(officer=officer, number="ZF20250001", domains=[world.domain])
    AnnualReviewFactory(certificate=certificate, year=2025)
    checkpoint = ledger_services.checkpoint_make(reason="测试")
    token = credentials.credential_token(certificate)
    return [
        reverse("accounts:login"),
        reverse("portal:home"),
        reverse("portal:agency_list"),
        reverse("portal:agency", args=[world.agency.pk]),
        reverse("portal:prior_version", args=[world.agency.pk, Kind.AGENCY, 1]),
        reverse("portal:matter", args=[world.agency.pk, world.matter.code]),
        reverse("portal:flowchart", args=[flowchart.PROCEDURES[0]]),
        reverse("portal:decision", args=[decision.pk]),
        reverse("portal:decisions"),
        reverse("portal:opendata"),
        reverse("portal:feed"),
        reverse("portal:export_csv"),
        reverse("portal:annual_list"),
        reverse("portal:credential_lookup"),
        reverse("portal:credential", args=[token]),
        reverse("portal:feedback", args=[token]),
        reverse("catalog:benchmarks_public"),
        reverse("verify:lookup"),
        reverse("verify:detail", args=[document.verification_code]),
        reverse("ledger:index"),
        reverse("ledger:checkpoint"),
        reverse("ledger:checkpoint_at", args=[checkpoint.size]),
        reverse("ledger:key"),
        reverse("ledger:verifier"),
    ]


def test_head_on_every_public_page_is_200_without_a_body(public_urls):
    client = Client()
    for url in public_urls:
        get = client.get(url)
        assert get.status_code == 200, (url, get.status_code)
        head = client.head(url)
        assert head.status_code == 200, (url, head.status_code)
        assert head.getvalue() == b"", url
        assert head["Content-Type"] == get["Content-Type"], url


def test_other_methods_are_still_refused(public_urls):
    client = Client()
    for url in public_urls:
        if "/feedback/" in url or "/verify/" in url or url == reverse("accounts:login"):
            continue  # these pages take a form
        assert client.put(url).status_code == 405, url
        assert client.delete(url).status_code == 405, url
