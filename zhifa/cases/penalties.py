"""Kinds of administrative penalty (《行政处罚法》第九条) and the rules that depend on them.

Who may ask for a hearing (第六十三条), what may be decided on the spot (第五十一条), and why a
final penalty counts as heavier than the notified one (第四十五条).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db import models

from zhifa.cases.money import PenaltyTerms, penalty_not_heavier, yuan
from zhifa.core import jurisdiction
from zhifa.core.errors import InvalidInput


class PenaltyKind(models.TextChoices):
    """《行政处罚法》第九条, in the order of the article."""

    WARNING = "warning", "警告"
    CRITICISM = "criticism", "通报批评"
    FINE = "fine", "罚款"
    CONFISCATE_GAINS = "confiscate_gains", "没收违法所得"
    CONFISCATE_PROPERTY = "confiscate_property", "没收非法财物"
    SUSPEND_LICENCE = "suspend_licence", "暂扣许可证件"
    DOWNGRADE = "downgrade", "降低资质等级"
    REVOKE_LICENCE = "revoke_licence", "吊销许可证件"
    RESTRICT_ACTIVITY = "restrict_activity", "限制开展生产经营活动"
    SUSPEND_BUSINESS = "suspend_business", "责令停产停业"
    ORDER_CLOSURE = "order_closure", "责令关闭"
    RESTRICT_PRACTICE = "restrict_practice", "限制从业"
    DETENTION = "detention", "行政拘留"


# Kinds named in 第六十三条第一款第（三）、（四）项, with the item that names them.
STATUTORY_HEARING_KINDS: dict[str, str] = {
    PenaltyKind.DOWNGRADE: "（三）",
    PenaltyKind.REVOKE_LICENCE: "（三）",
    PenaltyKind.SUSPEND_BUSINESS: "（四）",
    PenaltyKind.ORDER_CLOSURE: "（四）",
    PenaltyKind.RESTRICT_PRACTICE: "（四）",
}
# The platform's reading of 第（五）项 "其他较重的行政处罚": 暂扣许可证件 and 限制开展生产经营活动
# sit in the same items of 第九条 as kinds listed above and take away the same rights for a
# time; 行政拘留 takes liberty. Offering a hearing that was not owed costs days; refusing one
# that was owed makes the decision unlawful, so the doubt goes to the party.
SERIOUS_HEARING_KINDS = frozenset(
    {PenaltyKind.SUSPEND_LICENCE, PenaltyKind.RESTRICT_ACTIVITY, PenaltyKind.DETENTION}
)
HEARING_KINDS = frozenset(STATUTORY_HEARING_KINDS) | SERIOUS_HEARING_KINDS

# 《行政处罚法》第五十一条: statutory, so not a jurisdiction setting. "法律另有规定的，从其规定"
# (e.g. a special law with its own on-the-spot limit) is for the caller to apply.
ON_THE_SPOT_FINE_CITIZEN = Decimal(200)
ON_THE_SPOT_FINE_ORGANISATION = Decimal(3000)
ON_THE_SPOT_KINDS = frozenset({PenaltyKind.WARNING, PenaltyKind.FINE})
CONFISCATION_KINDS = frozenset({PenaltyKind.CONFISCATE_GAINS, PenaltyKind.CONFISCATE_PROPERTY})


def _labels(kinds: Iterable[str]) -> str:
    """Chinese names in the order of 第九条, joined for a sentence."""
    wanted = set(kinds)
    return "、".join(kind.label for kind in PenaltyKind if kind in wanted)


def _party(party_is_organisation: bool) -> str:
    return "法人或者其他组织" if party_is_organisation else "自然人"


def _check_terms(kinds: frozenset[str], fine: Decimal, confiscation: Decimal) -> tuple[Decimal, Decimal]:
    """Known kinds and amounts that agree with them; a rule applied to muddled terms means nothing."""
    unknown = kinds - set(PenaltyKind.values)
    if unknown:
        raise InvalidInput(f"处罚种类“{'、'.join(sorted(unknown))}”不是《行政处罚法》第九条规定的种类。")
    fine = yuan(fine, what="罚款数额")
    confiscation = yuan(confiscation, what="没收金额")
    if (fine > 0) != (PenaltyKind.FINE in kinds):
        raise InvalidInput("处罚种类含“罚款”时应填写大于零的罚款数额，未含“罚款”时罚款数额应为零。")
    if confiscation > 0 and not kinds & CONFISCATION_KINDS:
        raise InvalidInput("填写了没收金额，但处罚种类未含“没收违法所得”或“没收非法财物”。")
    return fine, confiscation


def hearing_right(
    *, kinds: frozenset[str], fine: Decimal, confiscation: Decimal, party_is_organisation: bool
) -> tuple[bool, str]:
    """Whether the intended penalty gives the party the right to a hearing, and why (第六十三条).

    The 较大数额 thresholds are jurisdiction settings (《市场监督管理行政处罚听证办法》第五条
    lets provinces set their own); an amount at or above the threshold gives the right.
    """
    fine, confiscation = _check_terms(kinds, fine, confiscation)
    suffix = "organisation" if party_is_organisation else "citizen"
    fine_line = jurisdiction.value(f"hearing_fine_{suffix}")
    confiscation_line = jurisdiction.value(f"hearing_confiscation_{suffix}")
    party = _party(party_is_organisation)

    grounds = []
    for kind in PenaltyKind:
        if kind in kinds and kind in STATUTORY_HEARING_KINDS:
            item = STATUTORY_HEARING_KINDS[kind]
            grounds.append(f"拟{kind.label}（《行政处罚法》第六十三条第一款第{item}项）")
        elif kind in kinds and kind in SERIOUS_HEARING_KINDS:
            grounds.append(
                f"拟{kind.label}，属于其他较重的行政处罚（《行政处罚法》第六十三条第一款第（五）项）"
            )
    if fine > 0 and fine >= fine_line:
        grounds.append(
            f"拟罚款 {fine} 元，达到对{party} {fine_line} 元以上的较大数额标准"
            "（《行政处罚法》第六十三条第一款第（一）项）"
        )
    if confiscation > 0 and confiscation >= confiscation_line:
        grounds.append(
            f"拟没收违法所得和非法财物价值 {confiscation} 元，达到对{party} {confiscation_line} 元以上的"
            "较大数额标准（《行政处罚法》第六十三条第一款第（二）项）"
        )
    if grounds:
        return True, f"当事人有权要求听证：{'；'.join(grounds)}。"

    below = []
    if fine > 0:
        below.append(f"罚款 {fine} 元低于对{party} {fine_line} 元的较大数额标准")
    if confiscation > 0:
        below.append(f"没收金额 {confiscation} 元低于对{party} {confiscation_line} 元的较大数额标准")
    below.append(f"且不涉及{_labels(HEARING_KINDS)}")
    return False, f"拟作出的处罚不属于《行政处罚法》第六十三条规定的听证范围：{'，'.join(below)}。"


def on_the_spot_allowed(
    *, kinds: frozenset[str], fine: Decimal, party_is_organisation: bool
) -> tuple[bool, str]:
    """Whether the penalty may be decided on the spot (简易程序, 《行政处罚法》第五十一条).

    Only a warning and/or a fine within the limit qualify; whether the facts are certain and
    the basis is in law is for the officer, so the allowed message says so.
    """
    fine, _ = _check_terms(kinds, fine, Decimal(0))
    party = _party(party_is_organisation)
    limit = ON_THE_SPOT_FINE_ORGANISATION if party_is_organisation else ON_THE_SPOT_FINE_CITIZEN
    if not kinds:
        return False, "尚未确定处罚种类，不能当场作出行政处罚决定（《行政处罚法》第五十一条）。"
    other = kinds - ON_THE_SPOT_KINDS
    if other:
        return False, (
            f"当场作出的行政处罚仅限警告或者罚款，拟作出的{_labels(other)}应当适用普通程序"
            "（《行政处罚法》第五十一条）。"
        )
    if fine > limit:
        return False, (
            f"对{party}当场罚款不得超过 {limit} 元，拟罚款 {fine} 元，应当适用普通程序"
            "（《行政处罚法》第五十一条）。"
        )
    what = _labels(kinds) + (f" {fine} 元" if fine > 0 else "")
    return True, (
        f"对{party}处以{what}，在《行政处罚法》第五十一条规定的当场处罚种类和限额以内；"
        "违法事实确凿并有法定依据的，可以当场作出行政处罚决定。"
    )


def heavier_refusal(*, intended: PenaltyTerms, final: PenaltyTerms) -> str | None:
    """The sentence refusing a final penalty heavier than the notified one, or None if it is not.

    Agrees with zhifa.cases.money.penalty_not_heavier; this one says what is heavier.
    """
    if penalty_not_heavier(intended=intended, final=final):
        return None
    points = []
    added = final.kinds - intended.kinds
    if added:
        points.append(f"增加了告知书中没有的{_labels(added) or '、'.join(sorted(added))}")
    if final.fine > intended.fine:
        points.append(f"罚款由 {yuan(intended.fine)} 元提高到 {yuan(final.fine)} 元")
    if final.confiscation > intended.confiscation:
        points.append(f"没收金额由 {yuan(intended.confiscation)} 元提高到 {yuan(final.confiscation)} 元")
    return (
        f"处罚决定不得重于事先告知的处罚：{'；'.join(points)}。"
        "行政机关不得因当事人陈述、申辩而给予更重的处罚（《行政处罚法》第四十五条）。"
    )
