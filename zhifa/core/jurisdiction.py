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
            "review_period_workdays",
            "法制审核期限（工作日）",
            Decimal(10),
            "多地重大执法决定法制审核办法：法制审核机构自收到完整送审材料之日起10个工作日内完成审核"
            "（如《浙江省重大行政执法决定法制审核办法》），本平台默认10个工作日",
            minimum=Decimal(1),
        ),
        SettingDef(
            "certificate_warning_days",
            "执法证年审、到期预警提前天数",
            Decimal(61),
            "年审到期前两个月预警（本平台默认，约两个月）",
        ),
        SettingDef(
            "deadline_warning_days",
            "办案期限预警提前天数",
            Decimal(3),
            "本平台默认：期限届满前3日黄色预警",
        ),
        SettingDef(
            "statement_period_workdays",
            "陈述、申辩期限（工作日）",
            Decimal(5),
            "《市场监督管理行政处罚程序规定》第五十九条：五个工作日内未行使陈述、申辩权的，视为放弃",
            minimum=Decimal(1),
        ),
        SettingDef(
            "on_the_spot_filing_workdays",
            "当场处罚决定报所属行政机关备案期限（工作日）",
            Decimal(2),
            "《行政处罚法》第五十二条第二款（期限由各地规定；本平台默认两个工作日）",
            minimum=Decimal(1),
        ),
        SettingDef(
            "hearing_fine_citizen",
            "听证“较大数额罚款”标准：自然人（元）",
            Decimal(10000),
            "《市场监督管理行政处罚听证办法》第五条：对自然人处一万元以上罚款（各地可另行规定）",
        ),
        SettingDef(
            "hearing_fine_organisation",
            "听证“较大数额罚款”标准：法人或者其他组织（元）",
            Decimal(100000),
            "《市场监督管理行政处罚听证办法》第五条：对法人或者其他组织处十万元以上罚款（各地可另行规定）",
        ),
        SettingDef(
            "hearing_confiscation_citizen",
            "听证“没收较大数额”标准：自然人（元）",
            Decimal(10000),
            "《市场监督管理行政处罚听证办法》第五条：对自然人没收违法所得和非法财物价值总额一万元以上（各地可另行规定）",
        ),
        SettingDef(
            "hearing_confiscation_organisation",
            "听证“没收较大数额”标准：法人或者其他组织（元）",
            Decimal(100000),
            "《市场监督管理行政处罚听证办法》第五条：对法人或者其他组织没收违法所得和非法财物价值总额十万元以上（各地可另行规定）",
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
