"""The navigation bar per role (zhifa.workbench.context_processors)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory
from django.urls import reverse

from zhifa.accounts.models import Role
from zhifa.testing.factories import AgencyFactory, make_user
from zhifa.workbench.context_processors import navigation

pytestmark = pytest.mark.django_db


def _labels(user, path="/") -> list[str]:
    request = RequestFactory().get(path)
    request.user = user
    return [item["label"] for item in navigation(request)["nav_items"]]


def test_anonymous_sees_no_staff_navigation():
    assert _labels(AnonymousUser()) == []


def test_disclosure_queue_only_for_its_roles_and_admin_only_for_sysadmin():
    agency = AgencyFactory()
    assert "公示管理" in _labels(make_user(Role.DISCLOSURE_ADMIN, agency=agency))
    officer = _labels(make_user(Role.OFFICER, agency=agency))
    assert "公示管理" not in officer and "系统配置" not in officer and "案件" in officer
    assert "系统配置" in _labels(make_user(Role.SYSADMIN))


def test_payments_and_devices_for_the_agency_s_staff_only():
    agency = AgencyFactory()
    for role, payments, devices in (
        (Role.HEAD, True, True),
        (Role.OFFICER, True, True),
        (Role.REVIEWER, False, True),
        (Role.DISCLOSURE_ADMIN, False, True),
        (Role.SUPERVISOR, False, False),
    ):
        labels = _labels(make_user(role, agency=agency))
        assert ("罚款收缴" in labels, "非现场执法" in labels) == (payments, devices), role


def test_the_section_of_an_inner_page_is_marked():
    user = make_user(Role.OFFICER, agency=AgencyFactory())
    request = RequestFactory().get(reverse("cases:list") + "12/")
    request.user = user
    active = [i["label"] for i in navigation(request)["nav_items"] if i["active"]]
    assert active == ["案件"]


def test_pages_render_the_navigation_from_the_workbench_processor():
    client = Client()
    client.force_login(make_user(Role.OFFICER, agency=AgencyFactory()))
    page = client.get(reverse("workbench:calendar")).content.decode()
    assert "工作日历" in page and 'aria-current="page"' in page
