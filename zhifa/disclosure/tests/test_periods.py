"""Deadlines and display periods on the working-day calendar and the jurisdiction settings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from zhifa.catalog.models import MatterKind
from zhifa.core.models import JurisdictionSetting
from zhifa.disclosure import periods
from zhifa.disclosure.models import DisplayClass, Kind, Publication, State
from zhifa.disclosure.tests.factories import make_decided_case
from zhifa.testing.factories import make_matter

pytestmark = pytest.mark.django_db


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def setting(key: str, value: str) -> None:
    JurisdictionSetting.objects.update_or_create(key=key, defaults={"value": value})


# ── publication due ──────────────────────────────────────────────────────────────────────────


def test_penalty_due_in_seven_working_days_across_national_day(world):
    # 9-28 (Sun) and 10-11 (Sat) are 调休 working days; 10-01..08 国庆+中秋.
    case = make_decided_case(world, decided_on=dt.date(2025, 9, 26))
    assert periods.publication_due_on(case) == dt.date(2025, 10, 13)


def test_other_kinds_take_twenty_working_days(world):
    matter = make_matter(
        agency=world.agency, domain=world.domain, kind=MatterKind.INSPECTION, disclosure_workdays=30
    )
    case = make_decided_case(world, matter=matter, decided_on=dt.date(2025, 9, 26))
    assert periods.publication_due_on(case) == dt.date(2025, 10, 30)


def test_licensing_is_short_like_penalty(world):
    matter = make_matter(
        agency=world.agency, domain=world.domain, kind=MatterKind.LICENSING, disclosure_workdays=20
    )
    assert periods.disclosure_workdays(matter.versions.get()) == 7


def test_matter_period_shorter_than_the_setting_wins(world):
    matter = make_matter(
        agency=world.agency, domain=world.domain, kind=MatterKind.PENALTY, disclosure_workdays=2
    )
    case = make_decided_case(world, matter=matter, decided_on=dt.date(2025, 9, 26))
    assert periods.publication_due_on(case) == dt.date(2025, 9, 29)


def test_matter_not_actively_disclosed_is_never_due(world):
    matter = make_matter(
        agency=world.agency, domain=world.domain, kind=MatterKind.PENALTY, disclosure_workdays=None
    )
    case = make_decided_case(world, matter=matter)
    assert periods.publication_due_on(case) is None


def test_case_without_matter_is_a_penalty(world):
    case = make_decided_case(world, no_matter=True, decided_on=dt.date(2025, 9, 26))
    assert periods.publication_due_on(case) == dt.date(2025, 10, 13)


def test_setting_changes_the_period(world):
    setting("disclosure_workdays_penalty_licensing", "5")
    case = make_decided_case(world, no_matter=True, decided_on=dt.date(2025, 9, 26))
    assert periods.publication_due_on(case) == dt.date(2025, 10, 10)


def test_undecided_case_is_not_due(world):
    case = make_decided_case(world, decided_on=dt.date(2025, 9, 26))
    case.decided_on = None
    assert periods.publication_due_on(case) is None


# ── withdrawal due ──────────────────────────────────────────────────────────────────────────


def test_withdrawal_due_across_new_year():
    # 2026-01-01..03 元旦, 2026-01-04 (Sun) 调休 working day.
    assert periods.withdrawal_due_on(dt.date(2025, 12, 31)) == dt.date(2026, 1, 6)


def test_withdrawal_due_across_spring_festival():
    # 2026-02-14 (Sat) 调休 working day, 02-15..23 春节.
    assert periods.withdrawal_due_on(dt.date(2026, 2, 12)) == dt.date(2026, 2, 24)


def test_withdrawal_setting_is_used():
    setting("withdrawal_workdays", "1")
    assert periods.withdrawal_due_on(dt.date(2026, 2, 13)) == dt.date(2026, 2, 14)


def test_urgency_colours():
    on = dt.date(2025, 9, 29)
    assert periods.urgency(dt.date(2025, 9, 26), on=on) == "late"
    assert periods.urgency(dt.date(2025, 10, 9), on=on) == "soon"  # 9-30, 10-9: two working days
    assert periods.urgency(dt.date(2025, 10, 10), on=on) == ""
    assert periods.urgency(dt.date(2025, 9, 26), on=on, done=True) == ""


# ── display class and period ────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("outcome", "kinds", "fine", "expected"),
    [
        ("penalty", ["warning"], None, DisplayClass.MINOR),
        ("penalty", ["criticism"], None, DisplayClass.MINOR),
        ("penalty", ["fine"], Decimal(10000), DisplayClass.MINOR),
        ("penalty", ["warning", "fine"], Decimal(200), DisplayClass.MINOR),
        ("penalty", ["fine"], Decimal("10000.01"), DisplayClass.STANDARD),
        ("penalty", ["fine", "confiscate_gains"], Decimal(100), DisplayClass.STANDARD),
        ("penalty", ["revoke_licence"], None, DisplayClass.STANDARD),
        ("no_penalty", [], None, DisplayClass.MINOR),
    ],
)
def test_display_class(outcome, kinds, fine, expected):
    assert periods.display_class_for(outcome=outcome, penalty_kinds=kinds, fine=fine) == expected


def test_minor_fine_threshold_is_a_setting():
    setting("minor_fine_threshold", "500")
    assert (
        periods.display_class_for(outcome="penalty", penalty_kinds=["fine"], fine=Decimal(600)) == "standard"
    )


def test_add_months_clamps_to_month_end():
    assert periods.add_months(dt.date(2025, 8, 31), 6) == dt.date(2026, 2, 28)
    assert periods.add_months(dt.date(2025, 11, 30), 3) == dt.date(2026, 2, 28)
    assert periods.add_months(dt.date(2025, 3, 15), 36) == dt.date(2028, 3, 15)
    assert periods.add_months(dt.date(2026, 3, 31), -1) == dt.date(2026, 2, 28)


def _publication(world, *, published: dt.date, display_class: str, natural_person: bool = False, n: int = 0):
    return Publication.objects.create(
        agency=world.agency,
        kind=Kind.DECISION,
        subject=f"test:{published}:{display_class}:{natural_person}:{n}",
        title="测试",
        state=State.PUBLISHED,
        published_at=at(published),
        display_class=display_class,
        party_is_natural_person=natural_person,
    )


def on_display(day: dt.date) -> set[int]:
    return set(Publication.objects.filter(periods.on_display(day)).values_list("pk", flat=True))


def test_minor_display_ends_after_three_months(world):
    p = _publication(world, published=dt.date(2025, 10, 13), display_class=DisplayClass.MINOR)
    assert periods.display_ends_on(p) == dt.date(2026, 1, 13)
    assert p.pk in on_display(dt.date(2026, 1, 12))
    assert p.pk not in on_display(dt.date(2026, 1, 13))


def test_standard_display_ends_after_three_years(world):
    p = _publication(world, published=dt.date(2025, 10, 13), display_class=DisplayClass.STANDARD)
    assert p.pk in on_display(dt.date(2028, 10, 12))
    assert p.pk not in on_display(dt.date(2028, 10, 13))


def test_current_lists_never_end(world):
    p = _publication(world, published=dt.date(2000, 1, 1), display_class=DisplayClass.CURRENT)
    assert periods.display_ends_on(p) is None
    assert p.pk in on_display(dt.date(2099, 1, 1))


def test_month_end_publications_end_with_the_short_month(world):
    rows = [
        _publication(world, published=dt.date(2025, 11, day), display_class=DisplayClass.MINOR, n=day)
        for day in (27, 28, 29, 30)
    ]
    # 11-28, 11-29 and 11-30 + 3 months are all 2026-02-28.
    assert on_display(dt.date(2026, 2, 27)) == {p.pk for p in rows[1:]}
    assert on_display(dt.date(2026, 2, 28)) == set()
    for p in rows:
        day = dt.date(2026, 2, 27) if p == rows[0] else dt.date(2026, 2, 28)
        assert periods.display_ends_on(p) == day


def test_natural_person_cap_when_configured(world):
    person = _publication(
        world, published=dt.date(2025, 10, 13), display_class=DisplayClass.STANDARD, natural_person=True
    )
    firm = _publication(world, published=dt.date(2025, 10, 13), display_class=DisplayClass.STANDARD)
    assert on_display(dt.date(2026, 6, 1)) == {person.pk, firm.pk}  # off by default
    setting("display_months_natural_person", "6")
    assert periods.display_ends_on(person) == dt.date(2026, 4, 13)
    assert on_display(dt.date(2026, 4, 12)) == {person.pk, firm.pk}
    assert on_display(dt.date(2026, 4, 13)) == {firm.pk}


def test_natural_person_cap_never_lengthens(world):
    setting("display_months_natural_person", "12")
    p = _publication(
        world, published=dt.date(2025, 10, 13), display_class=DisplayClass.MINOR, natural_person=True
    )
    assert periods.display_ends_on(p) == dt.date(2026, 1, 13)
    assert p.pk not in on_display(dt.date(2026, 1, 13))


def test_publication_late_in_the_evening_counts_by_local_date(world):
    p = _publication(world, published=dt.date(2025, 10, 13), display_class=DisplayClass.MINOR)
    p.published_at = dt.datetime(2025, 10, 13, 23, 30, tzinfo=timezone.get_current_timezone())
    p.save()
    assert p.pk in on_display(dt.date(2026, 1, 12))
    assert p.pk not in on_display(dt.date(2026, 1, 13))


def test_never_published_is_not_on_display(world):
    p = Publication.objects.create(agency=world.agency, kind=Kind.DECISION, subject="draft", title="草稿")
    assert p.pk not in on_display(dt.date(2025, 10, 13))
    assert periods.display_ends_on(p) is None
