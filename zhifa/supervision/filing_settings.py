"""The jurisdiction settings of filing review, with their defaults and sources.

They join zhifa.core.jurisdiction.DEFINITIONS when the app is ready, so an administrator sets
them like every other local value and every use reads them through `jurisdiction.value`.
"""

from __future__ import annotations

from decimal import Decimal

from zhifa.core import jurisdiction
from zhifa.core.jurisdiction import SettingDef

FILING_WORKDAYS = "filing_review_submit_workdays"
REVIEW_WORKDAYS = "filing_review_review_workdays"
CORRECTION_WORKDAYS = "filing_review_correction_workdays"
MAJOR_FINE_CITIZEN = "filing_review_fine_citizen"
MAJOR_FINE_ORGANISATION = "filing_review_fine_organisation"

DEFINITIONS = [
    SettingDef(
        FILING_WORKDAYS,
        "重大行政执法决定报司法局备案期限（工作日）",
        Decimal(15),
        "004（四）3 重大行政执法决定备案审查；多地重大行政执法决定备案办法规定自作出决定之日起15个工作日内"
        "报送本级司法行政部门备案（如《浙江省重大行政执法决定法制审核办法》相关规定），本平台默认15个工作日",
        minimum=Decimal(1),
    ),
    SettingDef(
        REVIEW_WORKDAYS,
        "司法局备案审查期限（工作日）",
        Decimal(30),
        "004（四）3；参照《法规规章备案条例》第十五条“自收到备案之日起30日内”完成审查，本平台默认30个工作日",
        minimum=Decimal(1),
    ),
    SettingDef(
        CORRECTION_WORKDAYS,
        "收到纠错意见后报告整改情况期限（工作日）",
        Decimal(30),
        "004（四）1、3：对发现的问题督促整改；本平台默认30个工作日内书面报告整改情况",
        minimum=Decimal(1),
    ),
    SettingDef(
        MAJOR_FINE_CITIZEN,
        "应当备案的重大罚款数额：自然人（元，0 表示以法制审核目录为准）",
        Decimal(0),
        "各地重大行政执法决定目录可另定备案数额标准；默认以本机关重大执法决定法制审核目录为准",
    ),
    SettingDef(
        MAJOR_FINE_ORGANISATION,
        "应当备案的重大罚款数额：法人或者其他组织（元，0 表示以法制审核目录为准）",
        Decimal(0),
        "同上",
    ),
]


def register() -> None:
    for definition in DEFINITIONS:
        jurisdiction.DEFINITIONS.setdefault(definition.key, definition)


def workdays(key: str) -> int:
    return int(jurisdiction.value(key))
