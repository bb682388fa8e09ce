"""The demonstration data set: a fictitious province (示例省) with a city, two counties and their agencies.

Everything here is invented: names, codes (区划代码 99xxxx is unassigned), telephone numbers and
people. The shapes follow the seed policy documents: 人社局 with a 劳动保障监察大队 and a 法规股 as its
法制审核机构, 统计局, 档案局, 市场监督管理局, a township government exercising county powers
(《行政处罚法》第二十四条), a 受委托组织 (第二十条), and the 司法局 that supervise them.

Dates that decide a certificate's state or the year's training hours are computed from `today`,
so a fresh demo always shows the same mix (valid, review due, overdue, expiring, expired, suspended).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from stdnum.cn import ric, uscc

from zhifa.accounts.models import Role
from zhifa.catalog.models import AVLevel, BasisRole, MatterKind, Stage
from zhifa.catalog.services import BasisInput
from zhifa.org.models import AgencyKind, Gender, Post, RegionLevel, TrainingCategory

DEMO_PASSWORD = "zhifa-demo-2026"
DEMO_URL = "http://127.0.0.1:8000/"
CERTIFICATE_ISSUER = "示例省人民政府"
CERTIFICATE_YEARS = 5

# ── 行政区划 ────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class RegionSpec:
    code: str
    name: str
    level: str
    parent: str | None


REGIONS = (
    RegionSpec("990000", "示例省", RegionLevel.PROVINCE, None),
    RegionSpec("990100", "示例市", RegionLevel.CITY, "990000"),
    RegionSpec("990121", "示例县", RegionLevel.COUNTY, "990100"),
    RegionSpec("990121001", "城关镇", RegionLevel.TOWNSHIP, "990121"),
    RegionSpec("990121002", "河西乡", RegionLevel.TOWNSHIP, "990121"),
    RegionSpec("990122", "东山县", RegionLevel.COUNTY, "990100"),
)

# ── 统一社会信用代码 (GB 32100-2015) ─────────────────────────────────────────────────────

_ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def _org_code(body: str) -> str:
    """The 9-character 组织机构代码: 8 characters and the GB 11714 check character."""
    total = sum(int(c, 36) * w for c, w in zip(body, _ORG_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def make_uscc(category: str, region: str, body: str) -> str:
    """`category` "11" is 机关 and "12" 事业单位 (登记管理部门 1 = 机构编制)."""
    base = category + region + _org_code(body)
    return base + uscc.calc_check_digit(base)


# ── 执法类别 ────────────────────────────────────────────────────────────────────────────

DOMAINS = (
    ("LDBZJC", "劳动保障监察"),
    ("TJZF", "统计执法"),
    ("DAZF", "档案执法"),
    ("SPAQ", "食品安全"),
    ("SCJG", "市场监管综合执法"),
    ("XZZFJD", "行政执法监督"),
)

# ── 执法主体 ────────────────────────────────────────────────────────────────────────────

_COUNTY_SUPERVISION = (
    "示例县司法局（行政执法协调监督股），监督电话：0999-6012348，"
    "地址：示例县城关镇人民路88号县行政中心3楼，工作日 8:30—12:00、14:30—17:30 受理。"
)
_CITY_SUPERVISION = (
    "示例市司法局（行政执法协调监督科），监督电话：0999-2016348，地址：示例市政通路1号市民中心B座5楼。"
)
_DONGSHAN_SUPERVISION = (
    "东山县司法局（行政执法协调监督股），监督电话：0999-6212348，地址：东山县东山镇府前街6号。"
)


def _complaint(phone: str, *hotlines: str) -> str:
    return "；".join([f"本机关投诉举报电话：{phone}", *hotlines, "12345 政务服务便民热线"]) + "。"


def _remedies(reconsideration: str, court: str, *, prefix: str = "") -> str:
    return (
        f"{prefix}对行政执法决定不服的，可以自知道或者应当知道该行政行为之日起六十日内向{reconsideration}"
        "申请行政复议（《中华人民共和国行政复议法》第二十条、第二十四条）；也可以自知道或者应当知道作出"
        f"行政行为之日起六个月内依法向{court}提起行政诉讼（《中华人民共和国行政诉讼法》第四十六条）。"
    )


_COUNTY_GOVERNMENT, _COUNTY_COURT = "示例县人民政府", "示例县人民法院"


@dataclass(frozen=True)
class AgencySpec:
    key: str
    name: str
    short_name: str
    region: str
    uscc: str
    address: str
    phone: str
    duties: str
    supervision_channel: str
    complaint_channel: str
    reconsideration_body: str  # 行政复议机关
    litigation_court: str  # 行政诉讼管辖法院
    document_abbr: str  # 文书机关代字 in the 文号, e.g. 示县人社监罚〔2026〕1号
    units: tuple[tuple[str, bool], ...] = ()  # (name, is the 法制审核机构)
    kind: str = AgencyKind.STATUTORY
    is_justice_bureau: bool = False
    parent: str | None = None
    entrusted_by: str | None = None
    remedies_prefix: str = ""

    @property
    def remedies(self) -> str:
        """The 救济途径 text published for the agency, naming its two remedy bodies."""
        return _remedies(self.reconsideration_body, self.litigation_court, prefix=self.remedies_prefix)


AGENCIES = (
    AgencySpec(
        key="city_justice",
        name="示例市司法局",
        short_name="市司法局",
        region="990100",
        uscc=make_uscc("11", "990100", "00990101"),
        address="示例市政通路1号市民中心B座",
        phone="0999-2016300",
        duties="负责全市行政执法协调监督工作，指导、监督各县（区）行政执法工作；组织行政执法人员资格管理和执法证件年度审验；"
        "组织行政执法案卷评查；受理对行政执法行为的投诉举报。",
        supervision_channel="示例省司法厅行政执法协调监督处，监督电话：0999-8806348。",
        complaint_channel=_complaint("0999-2016348"),
        reconsideration_body="示例市人民政府",
        litigation_court="示例市城区人民法院",
        document_abbr="示市司",
        units=(("行政执法协调监督科", False), ("法律事务科", True)),
        is_justice_bureau=True,
    ),
    AgencySpec(
        key="city_samr",
        name="示例市市场监督管理局",
        short_name="市市场监管局",
        region="990100",
        uscc=make_uscc("11", "990100", "00990102"),
        address="示例市建设路36号",
        phone="0999-2023100",
        duties="负责全市市场综合监督管理，统一登记市场主体；负责食品安全监督管理综合协调和生产、销售、餐饮服务环节的"
        "食品安全监督管理；查处市场主体准入、生产经营行为中的违法行为；指导各县（区）市场监管综合执法工作。",
        supervision_channel=_CITY_SUPERVISION,
        complaint_channel=_complaint("0999-2023115", "12315 市场监管投诉举报热线"),
        reconsideration_body="示例市人民政府",
        litigation_court="示例市城区人民法院",
        document_abbr="示市市监",
        units=(("执法稽查支队", False), ("食品生产安全监督管理科", False), ("法规科", True)),
    ),
    AgencySpec(
        key="justice",
        name="示例县司法局",
        short_name="县司法局",
        region="990121",
        uscc=make_uscc("11", "990121", "00990121"),
        address="示例县城关镇人民路88号县行政中心3楼",
        phone="0999-6012300",
        duties="承担县人民政府行政执法协调监督职责；负责全县行政执法主体资格和行政执法人员资格管理、执法证件年度审验；"
        "组织行政执法案卷评查和重大行政执法决定法制审核工作的指导；受理对行政执法行为的投诉举报；"
        "对律师、公证、基层法律服务等实施监督管理和行政处罚。",
        supervision_channel="示例市司法局（行政执法协调监督科），监督电话：0999-2016348。",
        complaint_channel=_complaint("0999-6012348", "12348 公共法律服务热线"),
        reconsideration_body=_COUNTY_GOVERNMENT,
        litigation_court=_COUNTY_COURT,
        document_abbr="示县司",
        units=(("行政执法协调监督股", False), ("法律事务股", True), ("办公室", False)),
        is_justice_bureau=True,
        parent="city_justice",
    ),
    AgencySpec(
        key="hrss",
        name="示例县人力资源和社会保障局",
        short_name="县人社局",
        region="990121",
        uscc=make_uscc("11", "990121", "00990122"),
        address="示例县城关镇人民路90号",
        phone="0999-6013300",
        duties="负责全县劳动保障监察工作：检查用人单位遵守劳动合同、工作时间和休息休假、工资支付、最低工资、"
        "女职工和未成年工特殊劳动保护、禁止使用童工、参加社会保险和缴纳社会保险费等劳动保障法律法规的情况；"
        "受理对违反劳动保障法律法规行为的举报、投诉；依法纠正和查处劳动保障违法行为（《劳动保障监察条例》第十条、第十一条）。",
        supervision_channel=_COUNTY_SUPERVISION,
        complaint_channel=_complaint("0999-6013333", "12333 人力资源和社会保障服务热线"),
        reconsideration_body=_COUNTY_GOVERNMENT,
        litigation_court=_COUNTY_COURT,
        document_abbr="示县人社监",
        units=(("劳动保障监察大队", False), ("法规股", True), ("办公室", False)),
    ),
    AgencySpec(
        key="stats",
        name="示例县统计局",
        short_name="县统计局",
        region="990121",
        uscc=make_uscc("11", "990121", "00990123"),
        address="示例县城关镇人民路88号县行政中心5楼",
        phone="0999-6014300",
        duties="负责全县统计监督检查，依法查处统计违法行为；对统计调查对象提供统计资料、设置原始记录和统计台账的情况"
        "进行检查（《统计法》第三十八条、第三十九条；《统计法实施条例》第三十九条）。",
        supervision_channel=_COUNTY_SUPERVISION,
        complaint_channel=_complaint("0999-6014312"),
        reconsideration_body=_COUNTY_GOVERNMENT,
        litigation_court=_COUNTY_COURT,
        document_abbr="示县统",
        units=(("统计执法监督股", False), ("综合法规股", True)),
    ),
    AgencySpec(
        key="archives",
        name="示例县档案局",
        short_name="县档案局",
        region="990121",
        uscc=make_uscc("11", "990121", "00990124"),
        address="示例县城关镇文化路12号",
        phone="0999-6015300",
        duties="负责全县档案工作的监督和指导，对机关、团体、企业事业单位和其他组织的档案工作责任制、档案收集整理保管"
        "和提供利用、档案安全等情况进行检查，依法查处档案违法行为（《档案法》第四十二条、第四十三条）。",
        supervision_channel=_COUNTY_SUPERVISION,
        complaint_channel=_complaint("0999-6015312"),
        reconsideration_body=_COUNTY_GOVERNMENT,
        litigation_court=_COUNTY_COURT,
        document_abbr="示县档",
        units=(("业务监督指导股", False), ("政策法规股", True)),
    ),
    AgencySpec(
        key="samr",
        name="示例县市场监督管理局",
        short_name="县市场监管局",
        region="990121",
        uscc=make_uscc("11", "990121", "00990125"),
        address="示例县城关镇建设路20号",
        phone="0999-6016300",
        duties="负责全县市场综合监督管理和食品安全监督管理；对食品生产经营者遵守《食品安全法》的情况进行监督检查，"
        "依法查封、扣押不符合食品安全标准的食品，查处食品安全、价格、不正当竞争等违法行为。",
        supervision_channel=_COUNTY_SUPERVISION,
        complaint_channel=_complaint("0999-6016315", "12315 市场监管投诉举报热线"),
        reconsideration_body=_COUNTY_GOVERNMENT,
        litigation_court=_COUNTY_COURT,
        document_abbr="示县市监",
        units=(("食品安全监督管理股", False), ("价格监督检查和反不正当竞争股", False), ("法规股", True)),
        parent="city_samr",
    ),
    AgencySpec(
        key="samr_squad",
        name="示例县市场监管综合执法大队",
        short_name="县市场监管执法大队",
        region="990121",
        uscc=make_uscc("12", "990121", "40990126"),
        address="示例县城关镇建设路22号",
        phone="0999-6016310",
        duties="受示例县市场监督管理局委托（示市监委〔2023〕1号），以委托机关名义在城关镇、河西乡范围内实施食品安全"
        "日常监督检查和简易程序行政处罚，不得再委托其他组织或者个人（《行政处罚法》第二十条）。",
        supervision_channel="委托机关示例县市场监督管理局，电话：0999-6016300；" + _COUNTY_SUPERVISION,
        complaint_channel=_complaint("0999-6016310", "12315 市场监管投诉举报热线"),
        reconsideration_body=_COUNTY_GOVERNMENT,
        litigation_court=_COUNTY_COURT,
        remedies_prefix="本大队以委托机关名义执法，法律后果由示例县市场监督管理局承担，复议被申请人、诉讼被告为该局。",
        document_abbr="示县市监执",
        units=(("城关中队", False), ("法制室", True)),
        kind=AgencyKind.ENTRUSTED,
        entrusted_by="samr",
    ),
    AgencySpec(
        key="chengguan",
        name="示例县城关镇人民政府",
        short_name="城关镇政府",
        region="990121001",
        uscc=make_uscc("11", "990121", "00990127"),
        address="示例县城关镇府前街1号",
        phone="0999-6017300",
        duties="依据《示例省赋予乡镇（街道）县级行政处罚权事项目录》（《行政处罚法》第二十四条），自2023年1月1日起"
        "在本镇范围内实施对食品摊贩违法行为的行政处罚等事项，并接受县有关部门的业务指导和监督。",
        supervision_channel=_COUNTY_SUPERVISION,
        complaint_channel=_complaint("0999-6017312"),
        reconsideration_body=_COUNTY_GOVERNMENT,
        litigation_court=_COUNTY_COURT,
        document_abbr="示城关镇",
        units=(("综合行政执法办公室", False), ("党政综合办公室", True)),
    ),
    AgencySpec(
        key="dongshan_samr",
        name="东山县市场监督管理局",
        short_name="东山县市场监管局",
        region="990122",
        uscc=make_uscc("11", "990122", "00990221"),
        address="东山县东山镇府前街18号",
        phone="0999-6216300",
        duties="负责东山县市场综合监督管理和食品安全监督管理，依法查处食品安全等市场违法行为。",
        supervision_channel=_DONGSHAN_SUPERVISION,
        complaint_channel=_complaint("0999-6216315", "12315 市场监管投诉举报热线"),
        reconsideration_body="东山县人民政府",
        litigation_court="东山县人民法院",
        document_abbr="东县市监",
        units=(("执法大队", False), ("法规股", True)),
        parent="city_samr",
    ),
)

# ── 执法人员 ────────────────────────────────────────────────────────────────────────────

# Certificate standings the demo shows; `certificate_plan` turns each into dates around today.
VALID, NEW, REVIEW_DUE, REVIEW_OVERDUE, EXPIRING, EXPIRED, SUSPENDED = (
    "valid",
    "new",
    "review_due",
    "review_overdue",
    "expiring",
    "expired",
    "suspended",
)
# Training profiles: this year's hours above, near or far below the 60-hour requirement.
HIGH, MID, LOW = "high", "mid", "low"


@dataclass(frozen=True)
class OfficerSpec:
    agency: str
    name: str
    gender: str
    title: str
    post: str
    unit: str
    certificate: str
    standing: str
    domains: tuple[str, ...]
    training: str
    qualification: str = ""  # 法律职业资格证书编号
    qualified_on: dt.date | None = None
    username: str = ""
    role: str = ""
    phone: str = ""
    # A login for the demo cases (承办人, 负责人, 法制审核人员 of the other agencies); listed apart
    # from the role accounts above. Its role follows the post (see case_login_role).
    login: str = ""


M, F = Gender.MALE, Gender.FEMALE
ENF, REV, LEAD, SUP, SUPPORT = (
    Post.ENFORCEMENT,
    Post.LEGAL_REVIEW,
    Post.LEADERSHIP,
    Post.SUPERVISION,
    Post.SUPPORT,
)
_LD, _TJ, _DA, _SP, _SC, _JD = ("LDBZJC",), ("TJZF",), ("DAZF",), ("SPAQ", "SCJG"), ("SCJG",), ("XZZFJD",)

OFFICERS = (
    # 示例县人力资源和社会保障局: the agency every demo login except the supervisor belongs to.
    OfficerSpec("hrss", "赵建国", M, "局长", LEAD, "办公室", "99012100101", VALID, _LD, HIGH,
                username="head", role=Role.HEAD, phone="0999-6013301"),
    OfficerSpec("hrss", "王立新", M, "劳动保障监察大队大队长", ENF, "劳动保障监察大队", "99012100102", VALID, _LD, HIGH,
                login="wanglixin"),
    OfficerSpec("hrss", "李明", M, "一级科员", ENF, "劳动保障监察大队", "99012100103", VALID, _LD, MID,
                username="officer", role=Role.OFFICER, phone="0999-6013303"),
    OfficerSpec("hrss", "张红梅", F, "四级主任科员", ENF, "劳动保障监察大队", "99012100104", REVIEW_DUE, _LD, MID,
                login="zhanghongmei"),
    OfficerSpec("hrss", "孙伟", M, "一级科员", ENF, "劳动保障监察大队", "99012100105", EXPIRED, _LD, LOW),
    OfficerSpec("hrss", "陈静", F, "法规股股长", REV, "法规股", "99012100106", VALID, _LD, HIGH,
                qualification="A20199901210015", qualified_on=dt.date(2019, 12, 27),
                username="reviewer", role=Role.REVIEWER, phone="0999-6013306"),
    OfficerSpec("hrss", "杨帆", M, "一级科员", REV, "法规股", "99012100107", NEW, _LD, MID),
    OfficerSpec("hrss", "周敏", F, "办公室副主任（公示管理员）", SUPPORT, "办公室", "99012100108", VALID, _LD, MID,
                username="disclosure", role=Role.DISCLOSURE_ADMIN, phone="0999-6013308"),
    OfficerSpec("hrss", "吴芳", F, "档案管理员", SUPPORT, "办公室", "99012100109", VALID, _LD, LOW,
                username="archivist", role=Role.ARCHIVIST, phone="0999-6013309"),
    # 示例县统计局
    OfficerSpec("stats", "郑海", M, "局长", LEAD, "统计执法监督股", "99012100201", VALID, _TJ, HIGH, login="zhenghai"),
    OfficerSpec("stats", "冯雪", F, "统计执法监督股股长", ENF, "统计执法监督股", "99012100202", VALID, _TJ, MID,
                login="fengxue"),
    OfficerSpec("stats", "何涛", M, "一级科员", ENF, "统计执法监督股", "99012100203", REVIEW_OVERDUE, _TJ, LOW),
    OfficerSpec("stats", "许文", F, "综合法规股股长", REV, "综合法规股", "99012100204", VALID, _TJ, HIGH,
                qualification="A20209901210208", qualified_on=dt.date(2020, 12, 30), login="xuwen"),
    OfficerSpec("stats", "韦东", M, "一级科员", ENF, "统计执法监督股", "99012100205", VALID, _TJ, MID, login="weidong"),
    # 示例县档案局
    OfficerSpec("archives", "钱坤", M, "局长", LEAD, "业务监督指导股", "99012100304", VALID, _DA, HIGH, login="qiankun"),
    OfficerSpec("archives", "朱强", M, "业务监督指导股股长", ENF, "业务监督指导股", "99012100301", VALID, _DA, MID,
                login="zhuqiang"),
    OfficerSpec("archives", "胡静", F, "四级主任科员", ENF, "业务监督指导股", "99012100302", EXPIRING, _DA, LOW,
                login="hujing"),
    OfficerSpec("archives", "郭峰", M, "政策法规股股长", REV, "政策法规股", "99012100303", VALID, _DA, MID,
                login="guofeng"),
    # 示例县市场监督管理局: its 法规股 is designated but unstaffed (the reviewer shortfall).
    OfficerSpec("samr", "林涛", M, "局长", LEAD, "食品安全监督管理股", "99012100401", VALID, _SP, HIGH, login="lintao"),
    OfficerSpec("samr", "高峰", M, "食品安全监督管理股股长", ENF, "食品安全监督管理股", "99012100402", VALID, _SP, HIGH,
                login="gaofeng"),
    OfficerSpec("samr", "罗斌", M, "一级科员", ENF, "食品安全监督管理股", "99012100403", VALID, _SP, MID,
                login="luobin"),
    OfficerSpec("samr", "梁燕", F, "一级科员", ENF, "食品安全监督管理股", "99012100404", SUSPENDED, _SP, LOW),
    OfficerSpec("samr", "宋佳", F, "价格监督检查和反不正当竞争股股长", ENF, "价格监督检查和反不正当竞争股",
                "99012100405", VALID, _SC, MID),
    OfficerSpec("samr", "谢军", M, "四级主任科员", ENF, "价格监督检查和反不正当竞争股", "99012100406", REVIEW_DUE,
                _SC, LOW),
    # 示例县市场监管综合执法大队 (受委托组织)
    OfficerSpec("samr_squad", "韩磊", M, "城关中队中队长", ENF, "城关中队", "99012100501", VALID, _SP, MID),
    OfficerSpec("samr_squad", "秦岚", F, "法制员", REV, "法制室", "99012100503", VALID, _SP, MID),
    # 示例县城关镇人民政府
    OfficerSpec("chengguan", "唐明", M, "综合行政执法办公室主任", ENF, "综合行政执法办公室", "99012100601", VALID,
                _SP, MID),
    OfficerSpec("chengguan", "苏婷", F, "法制审核员", REV, "党政综合办公室", "99012100602", VALID, _SP, MID,
                qualification="A20219901210031", qualified_on=dt.date(2021, 12, 24)),
    # 示例县司法局
    OfficerSpec("justice", "蒋文", M, "局长", LEAD, "办公室", "99012100701", VALID, _JD, HIGH),
    OfficerSpec("justice", "沈洁", F, "行政执法协调监督股股长", SUP, "行政执法协调监督股", "99012100702", VALID, _JD,
                HIGH, qualification="A20189901210007", qualified_on=dt.date(2018, 12, 28),
                username="supervisor", role=Role.SUPERVISOR, phone="0999-6012349"),
    OfficerSpec("justice", "田甜", F, "法律事务股股长", REV, "法律事务股", "99012100704", VALID, _JD, HIGH,
                qualification="A20179901210022", qualified_on=dt.date(2017, 12, 29)),
    # 示例市司法局, 示例市市场监督管理局, 东山县市场监督管理局: outside the county supervisor's view.
    OfficerSpec("city_justice", "江涛", M, "行政执法协调监督科科长", SUP, "行政执法协调监督科", "99010000101", VALID,
                _JD, HIGH),
    OfficerSpec("city_justice", "范敏", F, "法律事务科科长", REV, "法律事务科", "99010000102", VALID, _JD, MID,
                qualification="A20169901000011", qualified_on=dt.date(2016, 12, 30)),
    OfficerSpec("city_samr", "邓超", M, "执法稽查支队副支队长", ENF, "执法稽查支队", "99010000201", VALID, _SP, HIGH),
    OfficerSpec("city_samr", "曹丽", F, "法规科科长", REV, "法规科", "99010000202", VALID, _SP, MID,
                qualification="A20189901000046", qualified_on=dt.date(2018, 12, 28)),
    OfficerSpec("dongshan_samr", "彭辉", M, "执法大队大队长", ENF, "执法大队", "99012200101", VALID, _SP, MID),
    OfficerSpec("dongshan_samr", "袁媛", F, "法规股股长", REV, "法规股", "99012200102", VALID, _SP, LOW,
                qualification="A20209901220013", qualified_on=dt.date(2020, 12, 30)),
)  # fmt: skip

# The role of a case login (OfficerSpec.login) follows the officer's post.
CASE_LOGIN_ROLES: dict[str, str] = {LEAD: Role.HEAD, ENF: Role.OFFICER, REV: Role.REVIEWER}


def case_login_role(spec: OfficerSpec) -> str:
    return CASE_LOGIN_ROLES[spec.post]


# The system administrator has a login but no place on an agency's roster.
ADMIN_ACCOUNT = ("admin", Role.SYSADMIN, "系统管理员")
ACCOUNT_ORDER = ("officer", "reviewer", "head", "disclosure", "archivist", "supervisor", "admin")


# ── 执法证 dates, relative to today ─────────────────────────────────────────────────────


def shift_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class CertificatePlan:
    issued_on: dt.date
    valid_until: dt.date
    reviews: tuple[dt.date, ...]  # passed annual reviews, newest first
    suspended_reason: str = ""


def certificate_plan(standing: str, *, today: dt.date, seed: int) -> CertificatePlan:
    """Issue date, expiry and passed annual reviews that put a certificate in `standing` today.

    The next review falls due a year after the issue date or the last passed review; the
    platform warns 61 days ahead (jurisdiction setting certificate_warning_days).
    """
    days = dt.timedelta
    spread = seed * 37 % 200  # vary the dates between officers, deterministically
    if standing == NEW:
        issued, last = today - days(90 + spread % 60), None
    elif standing == REVIEW_DUE:
        issued, last = shift_years(today, -2) - days(60 + spread), today - days(320)
    elif standing == REVIEW_OVERDUE:
        issued, last = shift_years(today, -3) - days(20 + spread), today - days(400)
    elif standing == EXPIRING:
        issued, last = shift_years(today, -CERTIFICATE_YEARS) + days(40), today - days(120)
    elif standing == EXPIRED:
        issued, last = shift_years(today, -CERTIFICATE_YEARS) - days(20), today - days(200)
    elif standing in (VALID, SUSPENDED):
        issued, last = shift_years(today, -3) - days(40 + spread), today - days(45 + spread)
    else:
        raise ValueError(f"unknown certificate standing {standing!r}")
    reviews: list[dt.date] = []
    while last is not None and last >= issued + days(300):
        reviews.append(last)
        last = shift_years(last, -1)
    reason = "因群众投诉执法不规范，暂扣执法证件，待调查处理" if standing == SUSPENDED else ""
    return CertificatePlan(issued, shift_years(issued, CERTIFICATE_YEARS), tuple(reviews), reason)


# ── 培训学时 ────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Course:
    title: str
    category: str
    hours: Decimal
    organizer: str


_PUBLIC_LAW, _BUSINESS, _SKILLS = (
    TrainingCategory.PUBLIC_LAW,
    TrainingCategory.BUSINESS,
    TrainingCategory.SKILLS,
)

_DOMAIN_COURSES = {
    "LDBZJC": Course("劳动保障监察业务能力提升培训班", _BUSINESS, Decimal(24), "示例省人力资源和社会保障厅"),
    "TJZF": Course("统计执法检查业务培训班", _BUSINESS, Decimal(16), "示例省统计局"),
    "DAZF": Course("档案行政执法业务培训班", _BUSINESS, Decimal(16), "示例省档案局"),
    "SPAQ": Course("食品安全监督抽检与案件查办培训", _BUSINESS, Decimal(24), "示例市市场监督管理局"),
    "SCJG": Course("市场监管综合执法业务培训", _BUSINESS, Decimal(16), "示例市市场监督管理局"),
    "XZZFJD": Course("行政执法监督与案卷评查业务培训", _BUSINESS, Decimal(24), "示例省司法厅"),
}
_COMMON_COURSES = (
    Course("《中华人民共和国行政处罚法》专题培训", _PUBLIC_LAW, Decimal(12), "示例县司法局"),
    Course("习近平法治思想专题学习", _PUBLIC_LAW, Decimal(8), "示例县委全面依法治县委员会办公室"),
    Course("行政执法文书制作与案卷评查实务", _SKILLS, Decimal(8), "示例市司法局"),
    Course("行政执法三项制度专题培训", _BUSINESS, Decimal(8), "示例县司法局"),
    Course("《中华人民共和国行政复议法》修订解读", _PUBLIC_LAW, Decimal(6), "示例市司法局"),
    Course("执法记录仪使用与音像记录规范", _SKILLS, Decimal(4), "示例县司法局"),
    Course("行政执法和行政执法监督一体化平台操作培训", _SKILLS, Decimal(4), "示例县司法局"),
)


def training_plan(profile: str, domain: str, *, today: dt.date) -> list[tuple[dt.date, Course]]:
    """This year's courses for an officer, dated evenly between 1 January and today.

    HIGH reaches 66–74 hours, MID 36–44 and LOW 18, against the 60-hour requirement.
    """
    domain_course = _DOMAIN_COURSES[domain]
    if profile == HIGH:
        courses = [domain_course, *_COMMON_COURSES]
    elif profile == MID:
        courses = [domain_course, *_COMMON_COURSES[:2], _COMMON_COURSES[5]]
    elif profile == LOW:
        courses = [_COMMON_COURSES[1], _COMMON_COURSES[4], _COMMON_COURSES[5]]
    else:
        raise ValueError(f"unknown training profile {profile!r}")
    start = today.replace(month=1, day=1)
    span = (today - start).days
    return [
        (start + dt.timedelta(days=span * (i + 1) // (len(courses) + 1)), course)
        for i, course in enumerate(courses)
    ]


# ── 执法事项 ────────────────────────────────────────────────────────────────────────────
# Codes: 区划代码-部门-类别-序号 (CF 行政处罚, QZ 行政强制, JC 行政检查).

_V, _P, _A, _PR = BasisRole.VIOLATED, BasisRole.PENALTY, BasisRole.AUTHORITY, BasisRole.PROCEDURE
LDBZ = "劳动保障监察条例"
TJF = "中华人民共和国统计法"
TJTL = "中华人民共和国统计法实施条例"
DAF = "中华人民共和国档案法"
DATL = "中华人民共和国档案法实施条例"
SPF = "中华人民共和国食品安全法"
CFF = "中华人民共和国行政处罚法"
QZF = "中华人民共和国行政强制法"


def _b(role: str, law: str, label: str) -> BasisInput:
    return BasisInput(role, law, label)


@dataclass(frozen=True)
class AmendmentSpec:
    effective_from: dt.date
    change_note: str
    bases: tuple[BasisInput, ...] | None = None  # None keeps the previous version's
    description: str | None = None


@dataclass(frozen=True)
class MatterSpec:
    agency: str
    code: str
    name: str
    kind: str
    domain: str
    effective_from: dt.date
    bases: tuple[BasisInput, ...]
    description: str = ""
    review_always_required: bool = False
    av_levels: tuple[tuple[str, str], ...] = ()
    amendments: tuple[AmendmentSpec, ...] = ()
    repealed_on: dt.date | None = None
    repeal_reason: str = ""


_FOOD_STANDARD_BASES = (
    _b(_V, SPF, "第三十四条"),
    _b(_P, SPF, "第一百二十四条第一款"),
    _b(_PR, CFF, "第五十八条第一款"),
)
_FOOD_STANDARD_DESCRIPTION = (
    "生产经营致病性微生物、农药残留等污染物质含量超过食品安全标准限量，或者腐败变质、超过保质期等不符合食品安全"
    "标准的食品的，没收违法所得和违法生产经营的食品，并处罚款；情节严重的，吊销许可证。罚款数额较大，一律经法制审核。"
)
_ARCHIVES_BASES = (
    _b(_V, DAF, "第四十八条第（一）项、第（二）项、第（四）项"),
    _b(_P, DAF, "第四十九条第二款"),
)
_STALL_BASES = (_b(_V, SPF, "第三十六条"), _b(_P, SPF, "第一百二十七条"))

MATTERS = (
    MatterSpec(
        "hrss",
        "990121-RS-CF-001",
        "对用人单位违反劳动保障法律、法规或者规章延长劳动者工作时间的行政处罚",
        MatterKind.PENALTY,
        "LDBZJC",
        dt.date(2019, 10, 1),
        (
            _b(_A, LDBZ, "第十一条第（五）项"),
            _b(_P, LDBZ, "第二十五条"),
            _b(_PR, LDBZ, "第十七条"),
            _b(_PR, LDBZ, "第十九条"),
        ),
        description="给予警告，责令限期改正，并可以按照受侵害的劳动者每人100元以上500元以下的标准计算，处以罚款。"
        "调查应当自立案之日起60个工作日内完成，情况复杂的经负责人批准可延长30个工作日。",
    ),
    MatterSpec(
        "hrss",
        "990121-RS-CF-002",
        "对无理抗拒、阻挠劳动保障行政部门实施劳动保障监察的行政处罚",
        MatterKind.PENALTY,
        "LDBZJC",
        dt.date(2019, 10, 1),
        (_b(_V, LDBZ, "第三十条第一款第（一）项"), _b(_P, LDBZ, "第三十条第一款")),
        description="责令改正，处2000元以上2万元以下的罚款。",
    ),
    MatterSpec(
        "hrss",
        "990121-RS-JC-001",
        "对用人单位遵守劳动保障法律、法规和规章情况的行政检查",
        MatterKind.INSPECTION,
        "LDBZJC",
        dt.date(2019, 10, 1),
        (
            _b(_A, LDBZ, "第十条"),
            _b(_A, LDBZ, "第十一条"),
            _b(_A, LDBZ, "第十五条"),
            _b(_PR, LDBZ, "第十六条"),
        ),
        description="进入劳动场所检查、询问有关人员、要求提供文件资料；检查人员不得少于2人，并出示劳动保障监察证件。",
    ),
    MatterSpec(
        "stats",
        "990121-TJ-CF-001",
        "对统计调查对象拒绝提供统计资料、提供不真实或者不完整统计资料等行为的行政处罚",
        MatterKind.PENALTY,
        "TJZF",
        dt.date(2024, 9, 13),
        (
            _b(_V, TJF, "第八条"),
            _b(_P, TJF, "第四十四条"),
            _b(_P, TJTL, "第五十条"),
        ),
        description="责令改正，给予警告，可以予以通报；企业事业单位或者其他组织可以并处十万元以下的罚款，情节严重的，"
        "并处十万元以上五十万元以下的罚款；个体工商户可以并处一万元以下的罚款。",
    ),
    MatterSpec(
        "stats",
        "990121-TJ-JC-001",
        "统计执法检查",
        MatterKind.INSPECTION,
        "TJZF",
        dt.date(2019, 10, 1),
        (_b(_A, TJF, "第三十八条"), _b(_A, TJF, "第三十九条"), _b(_A, TJTL, "第三十九条")),
        description="发出统计检查查询书，查阅原始记录、统计台账和统计调查表，询问有关人员；经负责人批准可以登记保存有关资料。",
    ),
    MatterSpec(
        "archives",
        "990121-DA-CF-001",
        "对档案服务企业在服务过程中丢失、擅自提供或者篡改、损毁、伪造、擅自销毁档案的行政处罚",
        MatterKind.PENALTY,
        "DAZF",
        dt.date(2021, 1, 1),
        _ARCHIVES_BASES,
        description="给予警告，并处二万元以上二十万元以下的罚款。",
        amendments=(
            AmendmentSpec(
                dt.date(2024, 3, 1),
                "《中华人民共和国档案法实施条例》自2024年3月1日起施行，增加调查处理的程序依据（第四十六条）。",
                bases=(*_ARCHIVES_BASES, _b(_PR, DATL, "第四十六条")),
                description="给予警告，并处二万元以上二十万元以下的罚款。对投诉、举报、监督检查中发现或者有关部门移送的"
                "涉嫌档案违法线索，及时依法组织调查。",
            ),
        ),
    ),
    MatterSpec(
        "archives",
        "990121-DA-JC-001",
        "对机关、团体、企业事业单位和其他组织档案工作的行政检查",
        MatterKind.INSPECTION,
        "DAZF",
        dt.date(2021, 1, 1),
        (_b(_A, DAF, "第四十二条"), _b(_A, DAF, "第四十三条"), _b(_PR, DAF, "第四十七条")),
        description="检查档案工作责任制、库房设施设备、档案收集整理保管和提供利用、档案信息化与信息安全等情况。",
    ),
    MatterSpec(
        "samr",
        "990121-SJ-CF-001",
        "对生产经营不符合食品安全标准的食品的行政处罚",
        MatterKind.PENALTY,
        "SPAQ",
        dt.date(2021, 4, 29),
        _FOOD_STANDARD_BASES,
        description=_FOOD_STANDARD_DESCRIPTION,
        review_always_required=True,
    ),
    MatterSpec(
        "samr",
        "990121-SJ-QZ-001",
        "查封、扣押不符合食品安全标准或者存在安全隐患的食品以及查封违法从事生产经营活动的场所",
        MatterKind.COERCION,
        "SPAQ",
        dt.date(2021, 4, 29),
        (
            _b(_A, SPF, "第一百一十条第（四）项、第（五）项"),
            _b(_PR, QZF, "第十八条"),
            _b(_PR, QZF, "第二十四条"),
            _b(_PR, QZF, "第二十五条"),
        ),
        description="实施前须向机关负责人报告并经批准，当场交付查封、扣押决定书和清单；期限不得超过三十日，"
        "情况复杂的经负责人批准可以延长，延长不得超过三十日。现场执法和查封扣押全程音像记录。",
        av_levels=((Stage.ON_SITE, AVLevel.FULL),),
    ),
    MatterSpec(
        "samr",
        "990121-SJ-CF-002",
        "对食品摊贩违反食品安全管理规定的行政处罚",
        MatterKind.PENALTY,
        "SPAQ",
        dt.date(2019, 10, 1),
        _STALL_BASES,
        description="依照《示例省食品小作坊小餐饮和食品摊贩管理条例》处罚。",
        repealed_on=dt.date(2023, 1, 1),
        repeal_reason="依据《示例省赋予乡镇（街道）县级行政处罚权事项目录》，自2023年1月1日起由乡镇人民政府实施"
        "（《行政处罚法》第二十四条）。",
    ),
    MatterSpec(
        "chengguan",
        "990121001-XZ-CF-001",
        "对食品摊贩违反食品安全管理规定的行政处罚",
        MatterKind.PENALTY,
        "SPAQ",
        dt.date(2023, 1, 1),
        (*_STALL_BASES, _b(_A, CFF, "第二十四条第一款")),
        description="由示例县市场监督管理局交由城关镇人民政府实施，依照《示例省食品小作坊小餐饮和食品摊贩管理条例》处罚。",
    ),
    MatterSpec(
        "city_samr",
        "990100-SJ-CF-001",
        "对未取得食品生产经营许可从事食品生产经营活动的行政处罚",
        MatterKind.PENALTY,
        "SPAQ",
        dt.date(2021, 4, 29),
        (
            _b(_V, SPF, "第三十五条第一款"),
            _b(_P, SPF, "第一百二十二条第一款"),
            _b(_PR, CFF, "第五十八条第一款"),
        ),
        description="没收违法所得和违法生产经营的食品以及用于违法生产经营的工具、设备、原料等物品，并处罚款。",
        review_always_required=True,
    ),
    MatterSpec(
        "dongshan_samr",
        "990122-SJ-CF-001",
        "对生产经营不符合食品安全标准的食品的行政处罚",
        MatterKind.PENALTY,
        "SPAQ",
        dt.date(2021, 4, 29),
        _FOOD_STANDARD_BASES,
        description=_FOOD_STANDARD_DESCRIPTION,
        review_always_required=True,
    ),
)


# ── 当事人证件号码 ──────────────────────────────────────────────────────────────────────


def make_ric(birth: str, sequence: int) -> str:
    """A 居民身份证号码 of the fictitious 示例县 (990121) with its GB 11643 check digit.

    `birth` is YYYYMMDD; the demo uses 1 January of a year, so the numbers read as made up.
    The sequence's last digit is odd for men and even for women.
    """
    body = f"990121{birth}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")
