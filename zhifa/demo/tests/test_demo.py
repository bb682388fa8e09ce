"""`zhifa demo`: idempotent, every printed account logs in, and the demo shows what it promises."""

import datetime as dt
import io
import re
from collections import Counter
from pathlib import Path
from unittest import mock

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db.models import Max
from django.test import Client
from django.utils import timezone

from zhifa.accounts.models import Role, User
from zhifa.catalog.models import LegalBasis, Matter
from zhifa.demo import data
from zhifa.org import policies
from zhifa.org.models import Agency, Officer
from zhifa.org.selectors import officer_standing, staffing_for, training_hours, training_requirement

pytestmark = pytest.mark.django_db

CERTIFICATE_STATES = {"valid", "review_due", "review_overdue", "expired", "suspended"}


def run_demo(*args: str) -> str:
    out = io.StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def printed_accounts(output: str) -> list[list[str]]:
    """The rows of the account table: the lines between the ── rule and the blank line after it."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith("──")) + 1
    rows = []
    for line in lines[start:]:
        if not line.strip():
            break
        rows.append(re.split(r"\s{2,}", line.strip()))
    return rows


def snapshot() -> dict[str, object]:
    """Row counts and last-change times of every zhifa model, and every password hash."""
    state: dict[str, object] = {}
    for model in apps.get_models():
        if not model.__module__.startswith("zhifa."):
            continue
        label = model._meta.label
        state[label] = model._default_manager.count()
        if any(f.name == "updated_at" for f in model._meta.fields):
            state[f"{label}.updated_at"] = model._default_manager.aggregate(m=Max("updated_at"))["m"]
    state["passwords"] = dict(User.objects.values_list("username", "password"))
    return state


def test_second_run_changes_nothing():
    first = run_demo()
    before = snapshot()
    second = run_demo()
    assert snapshot() == before
    assert "新建 0" in second and not re.search(r"新建 [1-9]", second)
    assert printed_accounts(first) == printed_accounts(second)


def test_every_printed_account_logs_in_with_the_printed_password():
    output = run_demo()
    rows = printed_accounts(output)
    assert [r[0] for r in rows] == list(data.ACCOUNT_ORDER)
    for username, _role, _name, _agency, password in rows:
        assert password == data.DEMO_PASSWORD
        assert Client().login(username=username, password=password), username
    assert "http://127.0.0.1:8000/" in output
    assert "仅供演示" in output


def test_one_account_per_role_linked_to_its_officer():
    output = run_demo()
    assert {User.objects.get(username=r[0]).role for r in printed_accounts(output)} == set(Role.values)
    assert {r[1] for r in printed_accounts(output)} == set(Role.labels)
    hrss = Agency.objects.get(name="示例县人力资源和社会保障局")
    for username in ("officer", "reviewer", "head", "disclosure", "archivist"):
        assert User.objects.get(username=username).officer.agency == hrss
    assert User.objects.get(username="reviewer").officer.has_legal_qualification
    assert User.objects.get(username="supervisor").officer.agency.is_justice_bureau
    assert not Officer.objects.filter(user__username="admin").exists()
    assert officer_standing(User.objects.get(username="officer").officer).state.code == "valid"


def test_demo_password_passes_the_validators():
    from django.contrib.auth.password_validation import validate_password

    validate_password(data.DEMO_PASSWORD, User(username="officer", full_name="李明"))


def test_changed_password_is_kept_and_not_printed():
    run_demo()
    user = User.objects.get(username="head")
    user.set_password("another-secret-2026")
    user.save()
    rows = {r[0]: r for r in printed_accounts(run_demo())}
    user.refresh_from_db()
    assert user.check_password("another-secret-2026")
    assert rows["head"][4] != "another-secret-2026" and "已修改" in rows["head"][4]


def _states(on: dt.date) -> Counter[str]:
    return Counter(
        s.state.code
        for s in (officer_standing(o, on=on) for o in Officer.objects.prefetch_related("certificates"))
        if s.state
    )


def test_every_certificate_state_is_shown():
    run_demo()
    states = _states(timezone.localdate())
    assert set(states) >= CERTIFICATE_STATES, states
    assert states["valid"] > sum(states.values()) / 2


@pytest.mark.parametrize("day", [dt.date(2024, 2, 29), dt.date(2025, 1, 1), dt.date(2025, 12, 31)])
def test_the_mix_holds_on_any_day(day):
    with (
        mock.patch("zhifa.demo.management.commands.demo.today", return_value=day),
        mock.patch("zhifa.org.services.today", return_value=day),
    ):
        run_demo()
    assert set(_states(day)) >= CERTIFICATE_STATES


def test_training_hours_above_and_below_the_requirement():
    run_demo()
    year = timezone.localdate().year
    hours = [training_hours(o, year=year) for o in Officer.objects.all()]
    required = training_requirement()
    assert any(h >= required for h in hours) and any(h < required for h in hours)
    assert all(h > 0 for h in hours)


def test_a_reviewer_shortfall_is_shown_for_one_agency_only():
    run_demo()
    short = [a.name for a in Agency.objects.all() if staffing_for(a).shortfall]
    assert short == ["示例县市场监督管理局"]


def test_supervisor_sees_the_county_but_not_the_neighbour():
    run_demo()
    visible = set(
        policies.readable_agencies(User.objects.get(username="supervisor")).values_list("name", flat=True)
    )
    assert {"示例县人力资源和社会保障局", "示例县城关镇人民政府", "示例县市场监管综合执法大队"} <= visible
    assert not visible & {"东山县市场监督管理局", "示例市市场监督管理局", "示例市司法局"}


def test_matter_history_amended_and_repealed():
    run_demo()
    assert Matter.objects.count() == len(data.MATTERS)
    amended = Matter.objects.get(code="990121-DA-CF-001")
    assert [v.version for v in amended.versions.order_by("version")] == [1, 2]
    assert amended.versions.get(version=1).effective_to == dt.date(2024, 2, 29)
    repealed = Matter.objects.get(code="990121-SJ-CF-002")
    assert repealed.repealed_on == dt.date(2023, 1, 1)


def test_without_laws_the_bases_stay_unlinked():
    output = run_demo()
    assert "跳过法律法规导入" in output
    assert LegalBasis.objects.exists()
    assert not LegalBasis.objects.filter(article__isnull=False).exists()


def test_with_laws_every_basis_is_linked(laws_dir: Path):
    run_demo("--laws", str(laws_dir))
    assert LegalBasis.objects.exists()
    unlinked = list(LegalBasis.objects.filter(article__isnull=True).values_list("law_title", "article_label"))
    assert unlinked == []
    before = snapshot()
    run_demo("--laws", str(laws_dir))
    assert snapshot() == before


def test_laws_imported_later_link_the_existing_bases(laws_dir: Path):
    run_demo()
    output = run_demo("--laws", str(laws_dir))
    assert re.search(r"关联法律依据 [1-9]\d* 条", output)
    assert not LegalBasis.objects.filter(article__isnull=True).exists()


def test_missing_laws_path_is_bad_input(tmp_path: Path):
    with pytest.raises(CommandError) as exc:
        call_command("demo", "--laws", str(tmp_path / "nowhere"), stdout=io.StringIO())
    assert exc.value.returncode == 2
    assert not Agency.objects.exists()
