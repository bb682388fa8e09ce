"""The state of a certificate on a given day, derived from stored dates (never stored)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from zhifa.org.models import Certificate, CertificateStatus


class Level:
    OK = "ok"
    WARNING = "warning"
    DANGER = "danger"


@dataclass(frozen=True)
class CertificateState:
    code: str
    label: str
    level: str
    can_act: bool
    next_review_due: dt.date
    days_to_review: int
    days_to_expiry: int

    @property
    def message(self) -> str:
        return _MESSAGES[self.code].format(s=self)


_MESSAGES = {
    "valid": "执法证有效。",
    "review_due": "执法证将于 {s.next_review_due:%Y-%m-%d} 年审到期（剩余 {s.days_to_review} 天），请及时参加年审。",
    "expiring": "执法证将在 {s.days_to_expiry} 天后到期，请及时换证。",
    "review_overdue": "执法证年审已逾期（应于 {s.next_review_due:%Y-%m-%d} 前年审），暂不得从事行政执法活动。",
    "expired": "执法证已过有效期，不得从事行政执法活动。",
    "not_yet_valid": "执法证尚未生效。",
    "suspended": "执法证已暂扣，不得从事行政执法活动。",
    "revoked": "执法证已吊销，不得从事行政执法活动。",
    "cancelled": "执法证已注销，不得从事行政执法活动。",
}


def _add_year(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def next_review_due(certificate: Certificate) -> dt.date:
    """One year after the issue date or the last passed annual review, whichever is later.

    Reads `annual_reviews.all()` so a prefetch serves whole lists without extra queries.
    """
    passed = [r.reviewed_on for r in certificate.annual_reviews.all() if r.passed]
    return _add_year(max([certificate.issued_on, *passed]))


def certificate_state(certificate: Certificate, *, on: dt.date, warning_days: int) -> CertificateState:
    due = next_review_due(certificate)
    days_to_review = (due - on).days
    days_to_expiry = (certificate.valid_until - on).days

    def state(code: str, label: str, level: str, can_act: bool) -> CertificateState:
        return CertificateState(code, label, level, can_act, due, days_to_review, days_to_expiry)

    if certificate.status != CertificateStatus.ACTIVE:
        return state(certificate.status, CertificateStatus(certificate.status).label, Level.DANGER, False)
    if on < certificate.issued_on:
        return state("not_yet_valid", "未生效", Level.DANGER, False)
    if days_to_expiry < 0:
        return state("expired", "已过期", Level.DANGER, False)
    if days_to_review < 0:
        return state("review_overdue", "年审逾期", Level.DANGER, False)
    if days_to_review <= warning_days:
        return state("review_due", "年审将到期", Level.WARNING, True)
    if days_to_expiry <= warning_days:
        return state("expiring", "即将到期", Level.WARNING, True)
    return state("valid", "有效", Level.OK, True)
