"""The review catalog (法制审核目录清单) against the stored facts of a case, and the marks."""

from __future__ import annotations

from decimal import Decimal

import pytest

from zhifa.cases.models import Case, Hearing, Outcome
from zhifa.cases.tests.steps import on_the_spot_case, refused, reported_case
from zhifa.core.calendar import today
from zhifa.core.errors import DomainError, InvalidInput, NotPermitted
from zhifa.core.models import JurisdictionSetting
from zhifa.review import services
from zhifa.review.catalog import catalog_for, matches
from zhifa.review.models import Criterion, ReviewMark


def codes(case: Case) -> list[str]:
    return [m.code for m in matches(Case.objects.get(pk=case.pk))]


def catalog(w, **changes):
    values = {
        "public_interest": True,
        "social_impact": True,
        "major_rights": True,
        "major_kinds": [],
        "fine_citizen": None,
        "fine_organisation": None,
        "after_hearing": True,
        "complex_case": True,
        "all_general": False,
        **changes,
    }
    return services.catalog_update(actor=w.head, agency=w.agency, **values)


def test_a_plain_case_needs_no_review_and_every_general_case_does_when_the_agency_says_so(world):
    w = world
    case = reported_case(w)  # a warning and 5000 yuan for a citizen
    assert codes(case) == []
    catalog(w, all_general=True)
    assert codes(case) == ["all_general"]
    # 简易程序 is not reviewed (第五十八条 sits in the general procedure's section).
    assert codes(on_the_spot_case(w)) == []


def test_amounts_over_the_threshold_and_heavy_kinds_are_major_rights(world):
    w = world
    case = reported_case(w, fine=Decimal(10000))  # the jurisdiction's 较大数额 for a citizen
    assert codes(case) == ["major_fine"]
    JurisdictionSetting.objects.create(key="hearing_fine_citizen", value="20000")
    assert codes(case) == []
    catalog(w, fine_citizen=Decimal(8000))
    assert codes(case) == ["major_fine"]
    Case.objects.filter(pk=case.pk).update(intended_kinds=["warning", "fine", "revoke_licence"])
    assert codes(case) == ["major_kinds", "major_fine"]
    catalog(w, major_rights=False)
    assert codes(case) == []


def test_hearing_held_and_complex_case(world):
    w = world
    case = reported_case(w, is_major=True, major_reason="涉及多个法律关系")
    assert codes(case) == ["major"]
    Hearing.objects.create(case=case, requested_on=today(), held_on=today())
    assert codes(case) == ["hearing", "major"]
    catalog(w, after_hearing=False, complex_case=False)
    assert codes(case) == []


def test_marks_put_a_case_in_review_and_nobody_takes_them_out(world):
    w = world
    case = reported_case(w, outcome=Outcome.NO_PENALTY)
    with refused(NotPermitted, "本案承办人或本机关负责人"):
        services.review_mark(actor=w.reviewer, case=case, criterion="public_interest", reason="x")
    with refused(NotPermitted, "负责人"):
        services.review_mark(actor=w.officer, case=case, criterion="head_added", reason="x")
    with refused(InvalidInput, "情形"):
        services.review_mark(actor=w.officer, case=case, criterion="whatever", reason="x")
    services.review_mark(actor=w.officer, case=case, criterion="public_interest", reason="涉及食品安全")
    with refused(DomainError, "已标记"):
        services.review_mark(actor=w.officer, case=case, criterion="public_interest", reason="再次")
    assert codes(case) == ["public_interest"]
    services.review_mark(actor=w.head, case=case, criterion="head_added", reason="群众关注度高")
    assert codes(case) == ["public_interest", "head_added"]
    # The agency dropping a criterion from its catalog drops the mark's effect, not the mark.
    catalog(w, public_interest=False, social_impact=False)
    assert codes(case) == ["head_added"]
    assert ReviewMark.objects.filter(case=case).count() == 2
    with refused(DomainError, "未列入"):
        services.review_mark(actor=w.officer, case=case, criterion="social_impact", reason="x")


def test_only_the_head_or_the_administrator_edits_the_catalog(world):
    w = world
    for user in (w.officer, w.reviewer, w.outsider):
        with pytest.raises(NotPermitted):
            services.catalog_update(
                actor=user,
                agency=w.agency,
                public_interest=True,
                social_impact=True,
                major_rights=True,
                major_kinds=[],
                fine_citizen=None,
                fine_organisation=None,
                after_hearing=True,
                complex_case=True,
                all_general=True,
            )
    with pytest.raises(InvalidInput, match="处罚种类"):
        catalog(w, major_kinds=["nonsense"])
    saved = catalog(w, major_kinds=["order_closure"], fine_organisation=Decimal(50000))
    assert catalog_for(w.agency).pk == saved.pk and saved.major_kinds == ["order_closure"]
    assert Criterion.HEAD_ADDED.label == "机关负责人决定进行法制审核"
