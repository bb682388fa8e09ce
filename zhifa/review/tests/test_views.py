"""The review pages: who may open them, and the flow through the forms (CSRF on)."""

from __future__ import annotations

from django.test import Client

from zhifa.accounts.models import Role
from zhifa.review.models import ReviewRound
from zhifa.review.tests.helpers import assigned, listed_case, submitted
from zhifa.testing.factories import make_user


def client_for(user) -> Client:
    client = Client(enforce_csrf_checks=False)
    client.force_login(user)
    return client


def body(response) -> str:
    return response.content.decode()


def test_anonymous_users_are_sent_to_log_in(world):
    case = listed_case(world)
    for url in ("/review/", "/review/catalog/", "/review/staffing/", f"/review/cases/{case.pk}/"):
        response = Client().get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Client().post(f"/review/cases/{case.pk}/submit/").status_code == 302


def test_the_review_page_is_the_agency_s_and_the_supervisor_reads_it(world):
    w = world
    case = listed_case(w)
    assert client_for(w.outsider).get(f"/review/cases/{case.pk}/").status_code == 404
    page = client_for(w.reviewer).get(f"/review/cases/{case.pk}/")
    text = body(page)
    assert page.status_code == 200 and "执法事项列入法制审核目录清单" in text and "须经法制审核" in text
    assert "调查终结报告" in text and "询问笔录" in text  # the file: documents and records
    officer = body(client_for(w.officer).get(f"/review/cases/{case.pk}/"))
    assert "提交法制审核" in officer
    # The case page shows the flag and the way to the review.
    assert f"/review/cases/{case.pk}/" in body(client_for(w.officer).get(f"/cases/{case.pk}/"))


def test_actions_refuse_the_wrong_people(world):
    w = world
    case = listed_case(w)
    assert client_for(w.outsider).post(f"/review/cases/{case.pk}/submit/").status_code == 404
    assert client_for(w.reviewer).post(f"/review/cases/{case.pk}/submit/").status_code == 403
    assert client_for(w.officer).get(f"/review/cases/{case.pk}/nonsense/").status_code == 404
    supervisor = make_user(Role.SUPERVISOR, agency=w.agency)
    assert client_for(supervisor).post(f"/review/cases/{case.pk}/submit/").status_code == 403
    assert not ReviewRound.objects.exists()


def test_submit_assign_and_record_through_the_forms(world):
    w = world
    case = listed_case(w)
    response = client_for(w.officer).post(f"/review/cases/{case.pk}/submit/", {"note": ""})
    assert response.status_code == 302
    round_ = ReviewRound.objects.get(case=case)
    refused = client_for(w.officer).post(f"/review/cases/{case.pk}/submit/", {"note": ""})
    assert refused.status_code == 409 and "尚未审核完毕" in body(refused)
    assert client_for(w.officer).post(f"/review/cases/{case.pk}/assign/", {}).status_code == 403
    head = client_for(w.head)
    assert w.reviewer.display_name in body(head.get(f"/review/cases/{case.pk}/assign/"))
    assert head.post(f"/review/cases/{case.pk}/assign/", {"reviewer": w.reviewer.pk}).status_code == 302
    data = {"opinion": "agree", "problems": ""}
    from zhifa.review.items import ITEMS

    for item in ITEMS:
        data[f"item_{item.code}"], data[f"note_{item.code}"] = "ok", ""
    bad = client_for(w.reviewer).post(f"/review/cases/{case.pk}/record/", {**data, "item_crime": ""})
    assert bad.status_code == 400
    assert client_for(w.reviewer).post(f"/review/cases/{case.pk}/record/", data).status_code == 302
    round_.refresh_from_db()
    assert round_.opinion == "agree" and round_.document_number
    assert "法制审核同意" in body(client_for(w.head).get(f"/cases/{case.pk}/"))


def test_queues_on_the_workbench_and_the_review_list(world):
    w = world
    case = listed_case(w)
    submitted(w, case)
    head_home = client_for(w.head).get("/")
    assert [r.round.case.pk for r in head_home.context["review_unassigned"]] == [case.pk]
    assert "法制审核待分配" in body(head_home)
    ReviewRound.objects.filter(case=case).update(reviewer=w.reviewer)
    mine = client_for(w.reviewer).get("/review/")
    assert [r.round.case.pk for r in mine.context["mine"]] == [case.pk]
    assert mine.context["unassigned"] is None
    assert client_for(w.officer).get("/review/").context["mine"] == []


def test_catalog_page_for_the_head_only(world):
    w = world
    assert client_for(w.officer).get("/review/catalog/").status_code == 403
    assert client_for(w.reviewer).post("/review/catalog/", {"all_general": "on"}).status_code == 403
    head = client_for(w.head)
    assert head.get("/review/catalog/").status_code == 200
    response = head.post(
        "/review/catalog/",
        {
            "agency": w.agency.pk,
            "public_interest": "on",
            "social_impact": "on",
            "major_rights": "on",
            "major_kinds": ["order_closure", "revoke_licence"],
            "after_hearing": "on",
            "complex_case": "on",
            "all_general": "on",
        },
    )
    assert response.status_code == 302
    from zhifa.review.catalog import catalog_for

    saved = catalog_for(w.agency)
    assert saved.all_general and saved.major_kinds == ["revoke_licence", "order_closure"]
    admin = make_user(Role.SYSADMIN)
    assert client_for(admin).get(f"/review/catalog/?agency={w.agency.pk}").status_code == 200
    assert (
        client_for(w.head).get(f"/review/catalog/?agency={w.outsider.officer.agency.pk}").status_code == 404
    )


def test_staffing_page(world):
    w = world
    case = listed_case(w)
    assigned(w, case)
    assert client_for(w.officer).get("/review/staffing/").status_code == 403
    assert client_for(w.reviewer).get("/review/staffing/").status_code == 403
    page = client_for(w.head).get("/review/staffing/")
    assert page.status_code == 200
    (row,) = page.context["rows"]
    assert row.staffing.agency == w.agency
    assert [(load.name, load.open) for load in row.loads] == [(w.reviewer.display_name, 1)]
    assert "在审 1" in body(page)
