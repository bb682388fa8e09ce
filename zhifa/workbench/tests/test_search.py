"""The staff's global search finds only what the user may read; supervisors' lists name the agency."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from zhifa.accounts.models import Role
from zhifa.disclosure.tests.factories import make_decided_case
from zhifa.testing.factories import CertificateFactory, UserFactory, make_user
from zhifa.workbench.tests.conftest import client_for

pytestmark = pytest.mark.django_db


def found(user, text: str) -> dict[str, list[str]]:
    response = client_for(user).get(reverse("workbench:search"), {"q": text})
    assert response.status_code == 200
    return {g.label: [h.title for h in g.hits] for g in response.context["groups"]}


@pytest.fixture
def two_cases(world):
    own = make_decided_case(world, party_name="甲某商贸有限公司")
    other = make_decided_case(world, agency=world.other_agency, party_name="乙某商贸有限公司")
    return own, other


def test_agency_user_never_finds_another_agencys_case(world, two_cases):
    own, other = two_cases
    hits = found(world.officer, "商贸有限公司")["案件"]
    assert hits == [own.number]
    assert found(world.officer, other.number)["案件"] == []
    assert found(world.other_admin, "商贸有限公司")["案件"] == [other.number]
    body = client_for(world.officer).get(reverse("workbench:search"), {"q": "商贸有限公司"}).content.decode()
    assert "在您可查阅的范围内共找到 1 条" in body
    assert "执法文书、执法人员和执法证、证据：没有找到。" in body


def test_supervisor_finds_cases_of_supervised_agencies_only(world, two_cases):
    own, _other = two_cases  # the other agency lies outside the bureau's region
    assert found(world.supervisor, "商贸有限公司")["案件"] == [own.number]


def test_search_by_matter_document_number_and_certificate(world, two_cases):
    own, other = two_cases
    assert found(world.officer, "未按时足额支付劳动报酬")["案件"] == [own.number]  # the matter's name
    own_number = own.agency.documents.get(subject_ref=own.subject_ref).number
    other_number = other.agency.documents.get(subject_ref=other.subject_ref).number
    assert found(world.officer, own_number)["执法文书"] == [own_number]
    assert found(world.officer, other_number)["执法文书"] == []
    CertificateFactory(officer=world.head.officer, number="ZF-SEARCH-01")
    outsider = make_user(Role.OFFICER, agency=world.other_agency, full_name="外单位人员")
    CertificateFactory(officer=outsider.officer, number="ZF-SEARCH-02")
    assert found(world.officer, "ZF-SEARCH")["执法人员和执法证"] == [world.head.officer.name]
    assert found(world.supervisor, "ZF-SEARCH")["执法人员和执法证"] == [world.head.officer.name]


def test_search_box_is_in_the_menu_for_staff(world):
    body = client_for(world.officer).get(reverse("workbench:calendar")).content.decode()
    assert 'action="/search/"' in body


def test_refused_access_to_search():
    response = Client().get(reverse("workbench:search"), {"q": "案"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    # A login without an officer record reads nothing, so it may not search.
    stranger = UserFactory(role=Role.OFFICER)
    client = client_for(stranger)
    assert client.get(reverse("workbench:search"), {"q": "案"}).status_code == 403
    assert 'action="/search/"' not in client.get(reverse("workbench:calendar")).content.decode()


def test_supervisor_case_list_has_the_agency_column_and_filter(world, two_cases):
    own, _other = two_cases
    second = make_decided_case(world, agency=make_world_agency(world), party_name="丙某")
    client = client_for(world.supervisor)
    body = client.get(reverse("cases:list")).content.decode()
    assert "<th>执法主体</th>" in body
    assert f'<option value="{second.agency.pk}"' in body
    response = client.get(reverse("cases:list"), {"agency": second.agency.pk})
    assert [r["case"].number for r in response.context["rows"]] == [second.number]
    # An agency outside the user's reading is ignored, never shown.
    response = client.get(reverse("cases:list"), {"agency": world.other_agency.pk})
    assert {r["case"].agency_id for r in response.context["rows"]} <= {own.agency_id, second.agency_id}
    # One agency's staff see no agency column.
    assert "<th>执法主体</th>" not in client_for(world.officer).get(reverse("cases:list")).content.decode()


def make_world_agency(world):
    """A second agency under the bureau's region."""
    from zhifa.testing.factories import AgencyFactory, RegionFactory

    return AgencyFactory(name="测试市市场监督管理局", region=RegionFactory(parent=world.bureau.region))


def test_supervisor_annual_report_opens_on_the_jurisdiction(world):
    client = client_for(world.supervisor)
    response = client.get(reverse("disclosure:annual"))
    assert response.status_code == 200
    assert response.context["agency"] == world.bureau
    assert response.context["scope"].aggregate
    # The form sent without the box ticked shows the bureau's own figures.
    response = client.get(reverse("disclosure:annual"), {"agency": world.bureau.pk, "year": 2025})
    assert not response.context["scope"].aggregate
    # Others still open on their own agency.
    assert not client_for(world.head).get(reverse("disclosure:annual")).context["scope"].aggregate


def test_evidence_is_found_only_by_those_who_read_its_case(world):
    from zhifa.cases.models import CaseHandler, Status
    from zhifa.evidence.tests.helpers import add_item

    case = make_decided_case(world, status=Status.INVESTIGATION, document=False)
    CaseHandler.objects.create(case=case, officer=world.officer.officer, is_lead=True)
    CertificateFactory(officer=world.officer.officer, domains=[world.domain])
    item = add_item(case, actor=world.officer, title="仓库现场照片")
    assert found(world.officer, "仓库现场")["证据"] == [item.title]
    assert found(world.supervisor, "仓库现场")["证据"] == [item.title]
    assert found(world.other_admin, "仓库现场")["证据"] == []
