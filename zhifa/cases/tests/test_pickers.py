"""Pickers of the step forms: matters by code and name, officers only when they may take that
part (a usable 执法证 covering the matter), each with the state of the certificate."""

from __future__ import annotations

import datetime as dt

import pytest

from zhifa.accounts.models import Role
from zhifa.cases.steps.filing import ClueForm, ReplaceHandlerForm, RequestFilingForm
from zhifa.cases.steps.notice import ScheduleHearingForm
from zhifa.cases.steps.on_the_spot import OnTheSpotForm
from zhifa.cases.tests.steps import START_DAY, clue, filed_case, travel
from zhifa.cases.workflow import take
from zhifa.core.calendar import today
from zhifa.core.errors import DomainError
from zhifa.testing.factories import CertificateFactory, EnforcementDomainFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock():
    with travel(START_DAY, 9):
        yield


def labels(form, name: str) -> dict[int, str]:
    return {int(pk): str(label) for pk, label in form.fields[name].widget.choices if pk}


@pytest.fixture
def roster(world):
    """Beside the world's three certified officers: roles with no 执法证, an expired one and one of
    another domain."""
    w = world
    archivist = make_user(Role.ARCHIVIST, agency=w.agency, full_name="档案员甲")
    publisher = make_user(Role.DISCLOSURE_ADMIN, agency=w.agency, full_name="公示员甲")
    expired = make_user(Role.OFFICER, agency=w.agency, full_name="过期执法员")
    CertificateFactory(
        officer=expired.officer,
        domains=[w.domain],
        issued_on=today() - dt.timedelta(days=2000),
        valid_until=today() - dt.timedelta(days=1),
    )
    elsewhere = make_user(Role.OFFICER, agency=w.agency, full_name="市场执法员")
    CertificateFactory(
        officer=elsewhere.officer,
        domains=[EnforcementDomainFactory(name="市场监管")],
        issued_on=today() - dt.timedelta(days=30),
        valid_until=today() + dt.timedelta(days=1000),
    )
    return {"archivist": archivist, "publisher": publisher, "expired": expired, "elsewhere": elsewhere}


def test_filing_offers_only_certified_officers_of_the_matter_with_their_certificate(world, roster):
    w = world
    case = clue(w, matter=w.matter)
    form = RequestFilingForm(subject=case, user=w.officer)
    for name in ("lead", "assistants"):
        offered = labels(form, name)
        assert offered == {
            u.officer.pk: f"{u.officer.name}（执法证有效）" for u in (w.officer, w.colleague, w.bystander)
        }
    # The picker hides; the step still refuses an id sent anyway, with the article (the API).
    with pytest.raises(DomainError, match=r"执法证已过有效期.*第四十二条"):
        take(
            "request_filing",
            actor=w.officer,
            case=case,
            matter=w.matter,
            handlers=[w.officer.officer, roster["expired"].officer],
            opinion="符合立案条件。",
            is_major=False,
            major_reason="",
        )


def test_without_a_matter_any_usable_certificate_is_offered(world, roster):
    w = world
    case = clue(w)
    offered = labels(RequestFilingForm(subject=case, user=w.officer), "lead")
    assert roster["elsewhere"].officer.pk in offered
    assert roster["expired"].officer.pk not in offered and roster["archivist"].officer.pk not in offered


def test_replacing_a_handler_and_presiding_a_hearing_offer_certified_officers_only(world, roster):
    w = world
    case = filed_case(w)
    new = labels(ReplaceHandlerForm(subject=case, user=w.head), "new")
    assert new == {w.bystander.officer.pk: f"{w.bystander.officer.name}（执法证有效）"}
    presiding = labels(ScheduleHearingForm(subject=case, user=w.head), "presiding")
    assert w.bystander.officer.pk in presiding and w.officer.officer.pk not in presiding
    for user in (roster["archivist"], roster["publisher"], roster["expired"], w.reviewer, w.head):
        assert user.officer.pk not in presiding


def test_the_on_the_spot_partner_needs_a_usable_certificate(world, roster):
    w = world
    form = OnTheSpotForm(officer=w.officer.officer, user=w.officer)
    offered = labels(form, "co_officer")
    assert set(offered) == {w.colleague.officer.pk, w.bystander.officer.pk, roster["elsewhere"].officer.pk}


def test_matter_pickers_show_the_name_beside_the_code(world):
    w = world
    expected = f"{w.matter.code} 用人单位未按时足额支付劳动报酬"
    clue_form = ClueForm(agency=w.agency, user=w.officer)
    assert (str(w.matter.pk), expected) in [
        (str(v), str(label)) for v, label in clue_form.fields["matter"].choices
    ]
    filing = RequestFilingForm(subject=clue(w), user=w.officer)
    assert expected in [str(label) for _, label in filing.fields["matter"].choices]
    on_the_spot = OnTheSpotForm(officer=w.officer.officer, user=w.officer)
    assert expected in [str(label) for _, label in on_the_spot.fields["matter"].choices]


def test_the_case_page_names_the_matter_before_filing(world, client):
    w = world
    case = clue(w, matter=w.matter)
    client.force_login(w.officer)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert f"{w.matter.code} 用人单位未按时足额支付劳动报酬" in page


def test_a_record_offers_the_handlers_who_may_act_with_their_certificate(world):
    from zhifa.cases.steps.investigation import AddRecordForm

    w = world
    case = filed_case(w)
    form = AddRecordForm(subject=case, user=w.officer)
    assert labels(form, "officers") == {
        u.officer.pk: f"{u.officer.name}（执法证有效）" for u in (w.officer, w.colleague)
    }
    assert set(form.fields["officers"].initial) == {w.officer.officer.pk, w.colleague.officer.pk}
