"""文号: the agency's pattern, its validation, and the per agency, kind and year sequences."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from zhifa.core.errors import DomainError, InvalidInput
from zhifa.documents import services
from zhifa.documents.kinds import KINDS
from zhifa.documents.numbering import agency_abbr, format_number
from zhifa.org.models import DEFAULT_DOCUMENT_NUMBER_PATTERN, Agency, validate_document_number_pattern
from zhifa.org.services import agency_create
from zhifa.testing.factories import AgencyFactory, RegionFactory, make_uscc

PENALTY = KINDS["penalty_decision"]


def agency(**fields) -> Agency:
    defaults = {"name": "测试局", "short_name": "测局", "document_abbr": ""}
    return Agency(**{**defaults, **fields})


class TestFormat:
    def test_default_pattern(self):
        assert DEFAULT_DOCUMENT_NUMBER_PATTERN == "{abbr}{kind}〔{year}〕{number}号"
        assert format_number(agency(document_abbr="南人社监"), PENALTY, 2026, 12) == "南人社监罚〔2026〕12号"

    def test_abbreviation_falls_back_to_short_name_then_name(self):
        assert agency_abbr(agency(document_abbr="测监")) == "测监"
        assert agency_abbr(agency()) == "测局"
        assert agency_abbr(agency(short_name="")) == "测试局"

    def test_custom_pattern(self):
        custom = agency(
            document_abbr="示县统", document_number_pattern="{abbr}{kind}字〔{year}〕第{number}号"
        )
        assert format_number(custom, KINDS["prior_notice"], 2026, 3) == "示县统告字〔2026〕第3号"

    def test_an_invalid_stored_pattern_is_a_domain_error(self):
        with pytest.raises(DomainError, match="文号格式无效"):
            format_number(agency(document_number_pattern="{abbr}{number}号"), PENALTY, 2026, 1)


class TestPatternValidation:
    @pytest.mark.parametrize(
        "pattern",
        [
            "{abbr}{kind}〔{year}〕{number}号",
            "{year}-{number}",
            "{abbr}{kind}字（{year}）第{number}号",
            "{{{year}}}{number}",
        ],
    )
    def test_accepted(self, pattern):
        validate_document_number_pattern(pattern)

    @pytest.mark.parametrize(
        ("pattern", "message"),
        [
            ("{abbr}{kind}〔{year}〕号", "须包含 {number}"),
            ("{abbr}{kind}{number}号", "须包含 {year}"),
            ("{abbr}{number}", "须包含 {year}"),
            ("{agency}{year}{number}", "“{agency}”不是可用的占位符"),
            ("{abbr.upper}{year}{number}", "不是可用的占位符"),
            ("{year}{number:03d}", "“{number:03d}”不是可用的占位符"),
            ("{year!r}{number}", "“{year!r}”不是可用的占位符"),
            ("{year}{number}{", "花括号不成对"),
            ("{}{year}{number}", "不是可用的占位符"),
        ],
    )
    def test_refused(self, pattern, message):
        with pytest.raises(ValidationError) as exc:
            validate_document_number_pattern(pattern)
        assert message in exc.value.messages[0]

    @pytest.mark.django_db
    def test_agency_services_validate_the_pattern(self):
        with pytest.raises(InvalidInput, match="文号格式"):
            agency_create(
                actor=None,
                name="测试局",
                region=RegionFactory(),
                uscc=make_uscc(777),
                address="测试路",
                phone="1",
                duties="执法",
                supervision_channel="司法局",
                complaint_channel="12345",
                remedies="复议",
                document_abbr="测",
                document_number_pattern="{abbr}{number}",
            )


@pytest.mark.django_db
class TestSequences:
    def reserve(self, agency, kind="on_the_spot_decision"):
        return services.document_reserve(actor=None, agency=agency, kind=kind)

    def test_per_agency_and_kind(self):
        first, second = AgencyFactory(document_abbr="甲"), AgencyFactory(document_abbr="乙")
        assert [self.reserve(first).sequence for _ in range(3)] == [1, 2, 3]
        assert self.reserve(first, "reminder").sequence == 1
        assert self.reserve(second).sequence == 1

    def test_a_new_year_starts_again_at_one(self, monkeypatch):
        agency = AgencyFactory(document_abbr="甲")
        monkeypatch.setattr(services, "today", lambda: dt.date(2026, 12, 31))
        assert self.reserve(agency).number == "甲当罚〔2026〕1号"
        assert self.reserve(agency).number == "甲当罚〔2026〕2号"
        monkeypatch.setattr(services, "today", lambda: dt.date(2027, 1, 1))
        assert self.reserve(agency).number == "甲当罚〔2027〕1号"
