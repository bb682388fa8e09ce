"""Issue 13: the disclosure administrator corrects the redacted draft before approval — unmasks a
wrongly masked span, masks a missed one, or sends the draft back — each through a service, each
recorded (who, which span, why); the approved text is what the public sees."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from zhifa.core.errors import DomainError, InvalidInput
from zhifa.disclosure import services
from zhifa.disclosure.models import DraftEdit, DraftEditAction
from zhifa.disclosure.tests.factories import approve, make_decided_case
from zhifa.testing import unchanged_db

pytestmark = pytest.mark.django_db

# 高峰 is the informant's name, so the engine masks it everywhere — also in 用电高峰时段, where it is
# an ordinary word; 高志 is a customer the engine does not recognise (高志 is also a word).
FACTS = "经查，当事人在用电高峰时段超负荷运行。顾客高志称其购买的商品已过期。"


@pytest.fixture
def draft(world):
    case = make_decided_case(world, report_facts=FACTS, informant_name="高峰")
    return services.decision_prepare(actor=world.admin, case=case)


def public_page(publication) -> str:
    return Client().get(reverse("portal:decision", args=[publication.pk])).content.decode()


def test_unmask_shows_the_words_and_is_recorded(world, draft):
    assert "用电高*时段" in draft.content["facts"]
    index = next(
        i for i, m in enumerate(draft.marks["facts"]) if draft.content["facts"][m[0] : m[1]] == "高*"
    )
    start, end, _ = draft.marks["facts"][index]
    services.draft_unmask(
        actor=world.admin, version=draft, field="facts", index=index, reason="系普通词语“用电高峰”"
    )
    draft.refresh_from_db()
    assert "用电高峰时段" in draft.content["facts"]
    edit = DraftEdit.objects.get(version=draft)
    assert (edit.action, edit.actor, edit.field, edit.start, edit.end, edit.words) == (
        DraftEditAction.UNMASK,
        world.admin,
        "facts",
        start,
        end,
        "高峰",
    )
    assert edit.reason == "系普通词语“用电高峰”"
    publication = approve(world.admin, draft)
    assert "用电高峰时段" in public_page(publication)


def test_mask_hides_missed_words_everywhere_and_the_public_never_sees_them(world, draft):
    assert "顾客高志称" in draft.content["facts"]
    services.draft_mask(actor=world.admin, version=draft, words="高志", reason="顾客姓名")
    draft.refresh_from_db()
    assert "高志" not in draft.content["facts"] and "顾客高*称" in draft.content["facts"]
    assert any(m[2] == "manual" for m in draft.marks["facts"])
    edit = DraftEdit.objects.get(version=draft)
    assert (edit.action, edit.words, edit.field, edit.reason) == (
        DraftEditAction.MASK,
        "高志",
        "facts",
        "顾客姓名",
    )
    publication = approve(world.admin, draft)
    assert "高志" not in public_page(publication)
    assert "高志" not in Client().get(f"/api/disclosure/publications/{publication.pk}").content.decode()


def test_corrections_survive_when_the_draft_is_made_again(world, draft):
    services.draft_mask(actor=world.admin, version=draft, words="高志", reason="顾客姓名")
    again = services.decision_prepare(actor=world.admin, case=draft.publication.case)
    assert again.pk == draft.pk and "高志" not in again.content["facts"]


def test_words_not_in_the_draft_or_public_facts_cannot_be_masked(world, draft):
    before = dict(draft.content)
    with pytest.raises(InvalidInput, match="公示稿中没有"):
        services.draft_mask(actor=world.admin, version=draft, words="李小龙", reason="姓名")
    number = draft.content["document_number"]
    with pytest.raises(DomainError, match="不能遮蔽"):
        services.draft_mask(actor=world.admin, version=draft, words=number[-4:], reason="误操作")
    draft.refresh_from_db()
    assert draft.content == before and not DraftEdit.objects.filter(version=draft).exists()


def test_every_edit_needs_a_reason(world, draft):
    for call in (
        lambda: services.draft_mask(actor=world.admin, version=draft, words="高志", reason=" "),
        lambda: services.draft_unmask(actor=world.admin, version=draft, field="facts", index=0, reason=""),
        lambda: services.draft_send_back(actor=world.admin, version=draft, reason=""),
    ):
        with pytest.raises(InvalidInput, match="须说明理由"):
            call()


def test_a_sent_back_draft_is_not_published_until_made_again(world, draft):
    services.draft_send_back(actor=world.admin, version=draft, reason="事实部分遗漏从业人员姓名，请核对")
    with pytest.raises(DomainError, match="退回"):
        services.publication_approve(actor=world.admin, version=draft)
    again = services.decision_prepare(actor=world.admin, case=draft.publication.case)
    assert services.draft_returned(again) is None
    assert approve(world.admin, again).published_at is not None


def test_an_approved_version_cannot_be_edited(world, draft):
    approve(world.admin, draft)
    draft.refresh_from_db()
    with pytest.raises(DomainError, match="已经发布"):
        services.draft_mask(actor=world.admin, version=draft, words="高志", reason="顾客姓名")


class TestPage:
    def url(self, draft) -> str:
        return reverse("disclosure:draft_edit", args=[draft.publication_id])

    def test_the_review_page_offers_the_corrections(self, world, draft):
        client = Client()
        client.force_login(world.admin)
        page = client.get(reverse("disclosure:review", args=[draft.publication_id])).content.decode()
        assert "取消遮蔽" in page and "补充遮蔽" in page and "退回" in page and "审核通过并发布" in page
        assert "style=" not in page.split("<main", 1)[-1] and " onclick" not in page

    def test_the_administrator_masks_and_sends_back_through_the_page(self, world, draft):
        client = Client()
        client.force_login(world.admin)
        response = client.post(self.url(draft), {"action": "mask", "words": "高志", "reason": "顾客姓名"})
        assert response.status_code == 302
        draft.refresh_from_db()
        assert "高志" not in draft.content["facts"]
        response = client.post(self.url(draft), {"action": "send_back", "reason": "请核对事实"}, follow=True)
        page = response.content.decode()
        assert "公示稿已退回" in page and "请核对事实" in page and "审核通过并发布" not in page
        queue = client.get(reverse("disclosure:queue")).content.decode()
        assert "已退回，待重新生成" in queue

    def test_a_missing_reason_is_a_sentence(self, world, draft):
        client = Client()
        client.force_login(world.admin)
        with unchanged_db():
            page = client.post(
                self.url(draft), {"action": "mask", "words": "高志"}, follow=True
            ).content.decode()
        assert "请填写理由后再提交。" in page

    def test_refused_access(self, world, draft):
        data = {"action": "mask", "words": "高志", "reason": "顾客姓名"}
        clients = {}
        for user in (world.officer, world.supervisor, world.other_admin, world.admin):
            clients[user] = Client()
            clients[user].force_login(user)
        with unchanged_db():
            response = Client().post(self.url(draft), data)
            assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
            for user, status in ((world.officer, 403), (world.supervisor, 403), (world.other_admin, 404)):
                assert clients[user].post(self.url(draft), data).status_code == status, user
            assert clients[world.admin].get(self.url(draft)).status_code == 405
        draft.refresh_from_db()
        assert "高志" in draft.content["facts"]
