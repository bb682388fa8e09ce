"""The plan pages, the draw page with the witness's form, the registry and the portal's plan pages
fit a 390 px phone (no sideways scrolling: hashes, seeds and credit codes wrap)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from zhifa.inspections.tests.conftest import drawn, make_plan, to_locked
from zhifa.testing import chromium
from zhifa.tests.test_phone_widths import WIDTH, _wider_than_the_screen

pytestmark = chromium.MARKS


def test_inspections_pages_fit_a_phone(live_server, browser, world, time_machine):
    plan = drawn(world, time_machine, joint=True)
    waiting = to_locked(
        world, make_plan(world, title="待抽取计划", draw_at=plan.draw_at + dt.timedelta(hours=1))
    )
    time_machine.move_to(waiting.draw_at + dt.timedelta(minutes=1))
    phone = {"viewport": {"width": WIDTH, "height": 844}, "locale": "zh-CN"}
    too_wide = []
    context = browser.new_context(**phone)
    page = context.new_page()
    for path in (
        reverse("inspections_public:plan_list"),
        reverse("inspections_public:plan_detail", args=[plan.pk]),
    ):
        if width := _wider_than_the_screen(page, live_server.url, path):
            too_wide.append(f"公众 {width}")
    context.close()
    client = Client()
    client.force_login(world.head)
    context = browser.new_context(**phone)
    context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    for path in (
        reverse("inspections:plan_list"),
        reverse("inspections:plan_detail", args=[plan.pk]),
        reverse("inspections:plan_detail", args=[waiting.pk]),
        reverse("inspections:plan_step", args=[waiting.pk, "draw"]),
        reverse("inspections:plan_new"),
        reverse("inspections:subject_list"),
        reverse("inspections:subject_detail", args=[plan.draw.assignments.first().subject_id]),
        reverse("inspections:import_new"),
        reverse("inspections:inspector_list"),
    ):
        if width := _wider_than_the_screen(page, live_server.url, path):
            too_wide.append(f"负责人 {width}")
    context.close()
    assert not too_wide, "wider than a 390 px phone:\n" + "\n".join(too_wide)
