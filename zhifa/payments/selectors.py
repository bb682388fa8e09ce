"""Every read of the receipts for a user; another agency's import or line is simply not found."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from zhifa.cases import selectors as case_selectors
from zhifa.cases.money import Payment, surcharge
from zhifa.payments import policies
from zhifa.payments.models import OPEN_STATES, ReceiptImport, ReceiptLine

if TYPE_CHECKING:
    from zhifa.accounts.models import User
    from zhifa.cases.models import Case


def imports_visible_to(*, user: User) -> QuerySet[ReceiptImport]:
    agency = policies.home_agency(user)
    if agency is None:
        return ReceiptImport.objects.none()
    return ReceiptImport.objects.filter(agency=agency).defer("content").select_related("imported_by")


def import_get_for(*, user: User, pk: int) -> ReceiptImport:
    found = imports_visible_to(user=user).filter(pk=pk).first()
    if found is None:
        raise Http404("没有找到该缴款文件导入。")
    return found


def import_open_lines(*, source: ReceiptImport, limit: int = 200) -> list[ReceiptLine]:
    """The lines of an import (already read through import_get_for) still waiting in the queue."""
    return list(source.lines.filter(state__in=OPEN_STATES).select_related("case")[:limit])


def queue_for(*, user: User) -> QuerySet[ReceiptLine]:
    agency = policies.home_agency(user)
    if agency is None:
        return ReceiptLine.objects.none()
    return (
        ReceiptLine.objects.filter(agency=agency, state__in=OPEN_STATES)
        .select_related("case", "source")
        .order_by("paid_on", "pk")
    )


def line_get_for(*, user: User, pk: int) -> ReceiptLine:
    agency = policies.home_agency(user)
    found = (
        ReceiptLine.objects.filter(agency=agency, pk=pk).select_related("case", "source").first()
        if agency is not None
        else None
    )
    if found is None:
        raise Http404("没有找到该缴款流水。")
    return found


@dataclass(frozen=True)
class Owed:
    """What a party must pay on `paid_on` to be paid up: the fine still unpaid and the surcharge
    accrued to that day (第七十二条), the paid part accruing nothing on the day itself."""

    principal: Decimal
    surcharge: Decimal

    @property
    def total(self) -> Decimal:
        return self.principal + self.surcharge


def owed_on(case: Case, paid_on: dt.date) -> Owed:
    """Reuses the cases' computation (zhifa.cases.money.surcharge) with the day's payment in."""
    status = case_selectors.payment_status(case, paid_on)
    result = status.surcharge
    if status.outstanding > 0:
        earlier = [
            Payment(p.paid_on, p.amount)
            for p in case.payments.all()
            if not p.is_surcharge and p.paid_on <= paid_on
        ]
        result = surcharge(
            fine=case.final_fine,
            schedule=status.schedule,
            payments=[*earlier, Payment(paid_on, status.outstanding)],
            as_of=paid_on,
        )
    return Owed(status.outstanding, max(result.amount - status.surcharge_paid, Decimal("0.00")))
