"""zhifa disclosure prepare-due: drafts what is due, never publishes; bad input exits 2."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import CommandError, call_command

from zhifa.disclosure.models import Publication, State
from zhifa.disclosure.tests.factories import make_decided_case, publish

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("disclosure", *args, stdout=out, stderr=err)
    except CommandError as error:
        return error.returncode, str(error)
    return 0, out.getvalue() + err.getvalue()


def test_prepare_due_drafts_what_is_due(world):
    due = make_decided_case(world, decided_on=dt.date(2025, 9, 26))
    publish(world, make_decided_case(world))
    other = make_decided_case(world, agency=world.other_agency)
    with time_machine.travel(dt.datetime(2025, 10, 16, 10, tzinfo=dt.UTC), tick=False):
        code, out = run("prepare-due")
    assert code == 0 and "新拟稿 2 件" in out and "已逾期 2 件" in out
    drafts = Publication.objects.filter(state=State.DRAFT)
    assert {p.case for p in drafts} == {due, other}
    assert drafts.get(case=due).versions.get().prepared_by == world.admin
    code, out = run("prepare-due")
    assert code == 0 and "新拟稿 0 件" in out


def test_prepare_due_as_a_user_who_may_not(world):
    make_decided_case(world)
    code, out = run("prepare-due", "--as", world.officer.username)
    assert code == 0 and "未拟稿 1 件" in out
    assert not Publication.objects.exists()


@pytest.mark.parametrize("args", [("--agency", "999999"), ("--as", "nobody")])
def test_prepare_due_bad_input_exits_2(world, args):
    code, message = run("prepare-due", *args)
    assert code == 2 and message
