"""Jurisdiction settings: values a province or city may set, with the default and its source.

Every use reads through `value(key)`, so an administrator's row in JurisdictionSetting
overrides the statutory or policy default in one place.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from zhifa.core import process_cache
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
        # ── 公示 (zhifa.disclosure) ──
        SettingDef(
            "disclosure_workdays_penalty_licensing",
            "行政处罚、行政许可决定公开时限（工作日）",
            Decimal(7),
            "南江县实施细则、石嘴山市人社局实施方案、浙江省统计局实施办法：行政许可、行政处罚的执法决定信息"
            "应当在执法决定作出之日起7个工作日内公开",
            minimum=Decimal(1),
        ),
        SettingDef(
            "disclosure_workdays_other",
            "其他行政执法决定公开时限（工作日）",
            Decimal(20),
            "同上：自行政执法决定作出之日起20个工作日内，向社会公布执法机关、执法对象、执法类别、执法结论等信息",
            minimum=Decimal(1),
        ),
        SettingDef(
            "withdrawal_workdays",
            "决定被变更、撤销或确认违法后撤回公示信息时限（工作日）",
            Decimal(3),
            "《行政处罚法》第四十八条第二款：应当在三日内撤回（第八十五条：工作日）；"
            "《市场监督管理行政处罚信息公示规定》第十一条：三个工作日内撤回并说明理由",
            minimum=Decimal(1),
        ),
        SettingDef(
            "display_months_minor",
            "警告、通报批评和较低数额罚款信息的公示期（月）",
            Decimal(3),
            "《市场监督管理行政处罚信息公示规定》第十三条第一款：仅受到通报批评或者较低数额罚款的"
            "行政处罚信息自公示之日起届满三个月的，停止公示",
            minimum=Decimal(1),
        ),
        SettingDef(
            "display_months_other",
            "其他行政执法决定信息的公示期（月）",
            Decimal(36),
            "《市场监督管理行政处罚信息公示规定》第十三条第一款：其他行政处罚信息自公示之日起届满三年的，停止公示",
            minimum=Decimal(1),
        ),
        SettingDef(
            "display_months_natural_person",
            "当事人为自然人时的公示期上限（月，0 表示不另行缩短）",
            Decimal(0),
            "《个人信息保护法》第六条、第十九条：处理个人信息限于实现处理目的的最小范围、最短期限；"
            "各地可对自然人的处罚信息规定更短的公示期",
        ),
        SettingDef(
            "minor_fine_threshold",
            "“较低数额罚款”上限（元）",
            Decimal(10000),
            "《市场监督管理行政处罚信息公示规定》第十三条第二款：较低数额罚款由省级以上市场监督管理部门"
            "结合工作实际规定（本平台默认一万元）",
        ),
        SettingDef(
            "credit_repair_min_months",
            "申请信用修复（提前停止公示）前的最短公示期（月）",
            Decimal(3),
            "《失信行为纠正后的信用信息修复管理办法（试行）》（国家发展改革委令2023年第58号）："
            "涉及一般失信行为的行政处罚信息最短公示期为三个月；"
            "《市场监督管理行政处罚信息公示规定》第十四条：公示达到规定时限要求的，可以申请提前停止公示",
            minimum=Decimal(1),
        ),
        SettingDef(
            "credit_repair_decision_workdays",
            "信用修复申请的办理期限（工作日）",
            Decimal(5),
            "平台默认；各地信用修复办法规定的办理时限不同，按本地规定设置",
            minimum=Decimal(1),
        ),
        SettingDef(
            "annual_report_due_day",
            "上年度行政执法统计年报公开截止日（1月的第几日）",
            Decimal(31),
            "浙江省统计局实施办法：各级统计局应于每年1月31日前公开本部门上年度行政执法总体情况有关数据",
            minimum=Decimal(1),
        ),
        SettingDef(
            "inspection_result_workdays",
            "行政检查结果公示时限（工作日）",
            Decimal(20),
            "《国务院关于在市场监管领域全面推行部门联合“双随机、一公开”监管的意见》（国发〔2019〕5号）"
            "及各地实施办法：抽查检查结果自作出之日起20个工作日内通过国家企业信用信息公示系统等向社会公示",
            minimum=Decimal(1),
        ),
        SettingDef(
            "inspection_yearly_limit",
            "同一检查对象年度行政检查次数上限（超过即预警）",
            Decimal(2),
            "“无事不扰”：对同一市场主体的检查应当合并进行、减少频次，避免重复检查、多头检查"
            "（《优化营商环境条例》第五十九条；本平台默认一年不超过2次，超过即向机关负责人和司法局预警）",
            minimum=Decimal(1),
        ),
        # ── 执法监督：监督线索 (zhifa.supervision) ──
        SettingDef(
            "clue_handling_workdays",
            "监督线索分办后的办理期限（工作日）",
            Decimal(15),
            "本平台默认15个工作日：参照《市场监督管理行政处罚程序规定》第十八条（自收到材料之日起十五个工作日内核查）；"
            "区司法局实施方案（四）4：对转办的行政执法问题线索要依法及时予以核查处理",
            minimum=Decimal(1),
        ),
        SettingDef(
            "clue_rectification_workdays",
            "督办通知书、监督意见书的整改报告期限（工作日）",
            Decimal(20),
            "本平台默认20个工作日：重大行政执法案事件督办制度由各地规定（区司法局实施方案（四）1），文书可另定期限",
            minimum=Decimal(1),
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
    stored = process_cache.remembered(
        "jurisdiction_settings", lambda: dict(JurisdictionSetting.objects.values_list("key", "value"))
    ).get(key)
    return definition.default if stored is None else parse(key, stored)
