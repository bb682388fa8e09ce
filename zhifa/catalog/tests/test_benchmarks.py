"""Benchmarks in the database: the demo benchmarks' ranges, versions by date, and the pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.test import Client
from django.urls import reverse

from zhifa.accounts.models import Role
from zhifa.catalog import benchmarks, discretion
from zhifa.catalog.models import Benchmark, DiscretionFactor
from zhifa.demo import benchmarks as demo
from zhifa.testing.factories import AgencyFactory, make_matter, make_user

pytestmark = pytest.mark.django_db


def spec(matter_code: str, version: int = 1) -> demo.BenchmarkSpec:
    return next(s for s in demo.BENCHMARKS if s.matter == matter_code and s.version == version)


@pytest.fixture
def agency():
    agency = AgencyFactory()
    for f in demo.COMMON_FACTORS:
        demo._factor(f, agency=agency)
    return agency


def installed(agency, code: str, *versions: int):
    matter = make_matter(agency=agency, code=code, effective_from=dt.date(2024, 1, 1))
    return matter, [demo._benchmark(spec(code, v), matter) for v in versions or (1,)]


def calc(benchmark: Benchmark, tier: str, codes=(), **amounts) -> discretion.Range:
    factors = [benchmarks.factor_terms(f) for f in benchmarks.factors_of(benchmark) if f.code in codes]
    return discretion.calculate(benchmarks.rules_of(benchmark), tier, factors, **amounts)


# ── acceptance: the demo benchmarks' ranges and factors ───────────────────────────────


def test_labour_overtime_is_per_worker(agency):
    _, [b] = installed(agency, "990121-RS-CF-001")
    general = calc(b, "general", persons=36)
    assert (general.fine_min, general.fine_max) == (D(7200), D(10800))
    assert "按受侵害 36 人、每人 200–300 元计罚" in general.clauses
    severe = calc(b, "severe", ("repeat",), persons=220)
    assert (severe.fine_min, severe.fine_max) == (D(99000), D(110000))
    assert calc(b, "minor", ("overtime-first",), persons=3).exempt


def test_labour_obstruction_fixed_amounts(agency):
    _, [b] = installed(agency, "990121-RS-CF-002")
    assert [(t.fine_min, t.fine_max) for t in benchmarks.rules_of(b).tiers] == [
        (D(2000), D(5000)),
        (D(5000), D(10000)),
        (D(10000), D(15000)),
        (D(15000), D(20000)),
    ]
    mitigated = calc(b, "serious", ("coerced",))
    assert (mitigated.fine_min, mitigated.fine_max) == (D(0), D(2000))


def test_statistics_tiers_and_lists(agency):
    _, (v1, v2) = installed(agency, "990121-TJ-CF-001", 1, 2)
    minor = calc(v1, "minor")
    assert not minor.has_fine and minor.kinds == {"warning", "criticism"}
    lenient = calc(v2, "general", ("remedied",))
    assert (lenient.fine_min, lenient.fine_max) == (D(5000), D(17500))
    severe = calc(v2, "severe", ("repeat",))
    assert (severe.fine_min, severe.fine_max) == (D(300000), D(500000))
    codes = {f.code for f in benchmarks.factors_of(v2)}
    assert "stats-late-first" in codes and "first-minor" in codes
    assert "stats-late-first" not in {f.code for f in benchmarks.factors_of(v1)}


def test_archives_warning_and_fine(agency):
    _, [b] = installed(agency, "990121-DA-CF-001")
    rng = calc(b, "general", ("remedied", "repeat"))  # offset: the whole tier
    assert (rng.fine_min, rng.fine_max, rng.kinds) == (D(50000), D(100000), {"warning", "fine"})


def test_food_safety_goods_value(agency):
    _, [b] = installed(agency, "990121-SJ-CF-001")
    small = calc(b, "general", goods_value=D(3000))
    assert (small.fine_min, small.fine_max) == (D(50000), D(75000))
    large = calc(b, "serious", goods_value=D(20000))
    assert (large.fine_min, large.fine_max) == (D(300000), D(400000))
    assert "revoke_licence" in calc(b, "severe").kinds


# ── versions ──────────────────────────────────────────────────────────────────────────


def test_version_in_force_by_date(agency):
    matter, (v1, v2) = installed(agency, "990121-TJ-CF-001", 1, 2)
    assert benchmarks.benchmark_on(matter, dt.date(2026, 6, 30)) == v1
    assert benchmarks.benchmark_on(matter, dt.date(2026, 7, 1)) == v2
    assert benchmarks.benchmark_on(matter, dt.date(2024, 9, 12)) is None


def test_old_version_unless_the_new_is_lighter(agency):
    matter, (v1, v2) = installed(agency, "990121-TJ-CF-001", 1, 2)
    args = {
        "factor_codes": frozenset(),
        "illegal_gains": D(0),
        "goods_value": D(0),
        "on": dt.date(2026, 8, 1),
    }
    lighter = benchmarks.benchmark_for_case(
        matter, violation_on=dt.date(2026, 5, 1), circumstance="general", **args
    )
    assert lighter is not None and lighter.benchmark == v2 and "第三十七条" in lighter.note
    same = benchmarks.benchmark_for_case(
        matter, violation_on=dt.date(2026, 5, 1), circumstance="severe", **args
    )
    assert same is not None and same.benchmark == v1


def test_overlapping_versions_are_refused(agency):
    matter, [v1] = installed(agency, "990121-DA-CF-001")
    assert "重叠" in benchmarks.benchmark_overlap(matter, dt.date(2025, 1, 1), None)
    v1.effective_to = dt.date(2025, 12, 31)
    v1.save()
    assert benchmarks.benchmark_overlap(matter, dt.date(2026, 1, 1), None) == ""


def test_factor_has_one_owner(agency):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        DiscretionFactor(effect="lenient", code="x", label="x", basis="x").full_clean()


# ── pages ─────────────────────────────────────────────────────────────────────────────


def test_public_page_needs_no_login_and_shows_benchmarks(agency):
    installed(agency, "990121-DA-CF-001")
    response = Client().get(reverse("catalog:benchmarks_public"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "二万元以上二十万元以下" in text and "不予处罚清单" in text and "第三十四条" in text


def test_public_page_only_in_force_versions(agency):
    installed(agency, "990121-TJ-CF-001", 1, 2)
    text = Client().get(reverse("catalog:benchmarks_public")).content.decode()
    assert "示统规〔2026〕1号" in text and "示统规〔2024〕1号" not in text


def test_matter_page_for_readers_only(agency):
    matter, _ = installed(agency, "990121-DA-CF-001")
    url = reverse("catalog:matter_benchmarks", args=[matter.pk])
    assert Client().get(url).status_code == 302  # anonymous → login
    outsider = Client()
    outsider.force_login(make_user(Role.OFFICER))
    assert outsider.get(url).status_code == 404  # another agency's matter
    insider = Client()
    insider.force_login(make_user(Role.OFFICER, agency=agency))
    response = insider.get(url)
    assert response.status_code == 200 and "第1版" in response.content.decode()


def test_public_page_refuses_post():
    assert (
        Client(enforce_csrf_checks=True).post(reverse("catalog:benchmarks_public")).status_code == 403
    )  # CSRF
    assert Client().post(reverse("catalog:benchmarks_public")).status_code == 405
