"""Jurisdiction settings: values a province or city may set, with the default and its source.

Every use reads through `value(key)`, so an administrator's row in JurisdictionSetting
overrides the statutory or policy default in one place.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from zhifa.core.errors import InvalidInput


@dataclass(frozen=True)
class SettingDef:
    key: str
    label: str
    default: Decimal
    source: str
    # Values below this make no sense for the rule (a negative number of hours or reviewers).
    minimum: Decimal = Decimal(0)


DEFINITIONS: dict[str, SettingDef] = {
    d.key: d
    for d in [
        SettingDef(
            "training_hours_per_year",
            "执法人员每年培训学时下限",
            Decimal(60),
            "三湖政办〔2024〕3号：每人每年接受不少于60学时的公共法律知识、业务知识和行政执法技能培训",
        ),
        SettingDef(
            "reviewer_ratio_percent",
            "法制审核人员占执法人员比例下限（%）",
            Decimal(5),
            "三湖政办〔2024〕3号：法制审核人员不少于本单位行政执法人员总数的5%，且不少于1人",
        ),
        SettingDef(
            "reviewer_minimum",
            "法制审核人员最少人数",
            Decimal(1),
            "三湖政办〔2024〕3号：且不少于1人",
        ),
        SettingDef(
            "certificate_warning_days",
            "执法证年审、到期预警提前天数",
            Decimal(61),
            "年审到期前两个月预警（本平台默认，约两个月）",
        ),
    ]
}


def parse(key: str, raw: str) -> Decimal:
    """The value an administrator typed, or InvalidInput saying what is wrong with it."""
    definition = DEFINITIONS.get(key)
    if definition is None:
        raise InvalidInput(f"本地参数“{key}”不存在，可设置的参数为：{'、'.join(DEFINITIONS)}。")
    try:
        number = Decimal(raw.strip())
    except InvalidOperation:
        number = Decimal("NaN")
    # "NaN" and "Infinity" parse as Decimal but break every comparison and int() later.
    if not number.is_finite() or number < definition.minimum:
        raise InvalidInput(
            f"本地参数“{definition.label}”的取值“{raw}”不是数字或小于 {definition.minimum}，请在系统配置中更正。"
        )
    return number


def value(key: str) -> Decimal:
    from zhifa.core.models import JurisdictionSetting

    definition = DEFINITIONS[key]
    stored = JurisdictionSetting.objects.filter(key=key).values_list("value", flat=True).first()
    return definition.default if stored is None else parse(key, stored)
