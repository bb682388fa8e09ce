"""Seeded generators of identities and of decisions with gold spans, for the property tests and the
evaluation (a second corpus beside the hand-written one, with identities the engine has never seen)."""

from __future__ import annotations

import random
import re
from datetime import date, timedelta
from pathlib import Path

from stdnum import luhn
from stdnum.cn import ric, uscc

REGIONS = ("110105", "310104", "330106", "330302", "440106", "510107", "320583", "420111", "370202")
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁沈姚卢"
)
COMPOUND = ("欧阳", "司马", "诸葛", "上官", "东方", "皇甫")
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红玉萍春晓海燕晨宇浩然欣怡子涵梓轩"
CITIES = (
    ("浙江省杭州市西湖区", "文新街道"),
    ("江苏省苏州市吴中区", "长桥街道"),
    ("浙江省温州市瓯海区", "娄桥街道"),
    ("广东省广州市天河区", "石牌街道"),
    ("浙江省湖州市长兴县", "洪桥镇"),
)
ROADS = ("文三路", "学院路", "解放北路", "人民大道", "建设二路", "中山东路")
ORG_WORDS = ("华美", "恒达", "永兴", "绿源", "锦程", "瑞丰", "鑫达", "宏图")
ORG_KINDS = (
    "贸易有限公司",
    "食品有限公司",
    "建筑劳务有限公司",
    "物流有限公司",
    "五金制品厂",
    "农业专业合作社",
)
PROVINCES = "京沪浙苏粤川鲁豫鄂湘"
PLATE_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"


def id_number(rng: random.Random) -> str:
    born = date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 55))
    body = rng.choice(REGIONS) + born.strftime("%Y%m%d") + f"{rng.randrange(1000):03d}"
    return body + ric.calc_check_digit(body + "0")


def mobile(rng: random.Random) -> str:
    return f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"


def landline(rng: random.Random) -> str:
    return rng.choice(("0571", "0574", "021", "010", "0577")) + f"-{rng.randrange(2 * 10**7, 9 * 10**7)}"


def bank_card(rng: random.Random) -> str:
    body = rng.choice(("622202", "621700", "622848", "623061", "621483")) + "".join(
        rng.choice("0123456789") for _ in range(rng.choice((9, 12)))
    )
    return body + luhn.calc_check_digit(body)


def plate(rng: random.Random) -> str:
    tail = "".join(rng.choice(PLATE_CHARS) for _ in range(5))
    if rng.random() < 0.3:
        tail = rng.choice("DF") + "".join(rng.choice("0123456789") for _ in range(5))
    return rng.choice(PROVINCES) + rng.choice("ABCDEFGH") + tail


def email(rng: random.Random) -> str:
    user = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randrange(3, 9)))
    return f"{user}{rng.randrange(100)}@{rng.choice(('163.com', 'qq.com', 'example.cn'))}"


def person_name(rng: random.Random) -> str:
    surname = rng.choice(COMPOUND) if rng.random() < 0.05 else rng.choice(SURNAMES)
    return surname + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def company(rng: random.Random) -> tuple[str, str]:
    city = rng.choice(CITIES)[0][3:6]
    name = city.rstrip("市") + rng.choice(ORG_WORDS) + rng.choice(ORG_KINDS)
    body = (
        "9133"
        + f"{rng.randrange(10**4):04d}"
        + "MA2"
        + "".join(rng.choice("0123456789ABCDEFGH") for _ in range(6))
    )
    return name, body + uscc.calc_check_digit(body)


class Builder:
    """Text with gold spans: add(text) for plain text, add(text, category) for an annotated span."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.spans: list[list[int | str]] = []
        self.length = 0

    def add(self, text: str, category: str | None = None) -> Builder:
        if category:
            self.spans.append([self.length, self.length + len(text), category])
        self.parts.append(text)
        self.length += len(text)
        return self

    @property
    def text(self) -> str:
        return "".join(self.parts)


def decision(rng: random.Random, number: int) -> dict:
    b = Builder()
    city, township = rng.choice(CITIES)
    agency = city[3:] + rng.choice(("市场监督管理局", "人力资源和社会保障局", "应急管理局", "交通运输局"))
    b.add(f"{agency}\n行政处罚决定书\n").add(f"{city[3:5]}罚〔2025〕{number}号", "public").add("\n\n")
    party, representative = person_name(rng), person_name(rng)
    witness = person_name(rng)
    names = [party, representative, witness]
    if rng.random() < 0.5:
        org, code = company(rng)
        b.add("当事人：").add(org, "public").add("，统一社会信用代码：").add(code, "public")
        b.add("，住所：" + city + township).add(f"{rng.choice(ROADS)}{rng.randrange(1, 999)}号", "address")
        b.add("，法定代表人：").add(representative, "name").add("，联系电话：").add(landline(rng), "phone")
        b.add("。\n")
        names.remove(party)
    else:
        b.add("当事人：").add(party, "name").add(f"，{rng.choice('男女')}，公民身份号码：").add(
            id_number(rng), "id_card"
        )
        b.add("，住址：" + city + township).add(
            f"{rng.choice(ROADS)}{rng.randrange(1, 999)}号{rng.randrange(1, 30)}幢{rng.randrange(101, 2999)}室",
            "address",
        )
        b.add("，联系电话：").add(mobile(rng), "phone").add("。\n")
        names.remove(representative)
    b.add("经查，当事人于2025年3月").add(f"{rng.randrange(1, 28)}日", None)
    b.add("驾驶").add(plate(rng), "plate").add("运输货物，违反了").add(
        "《中华人民共和国道路运输条例》第二十二条", "public"
    )
    b.add("的规定。证人").add(witness, "name").add("（电话").add(mobile(rng), "phone").add(
        "）证实上述事实。\n"
    )
    if rng.random() < 0.5:
        b.add("当事人通过本人银行卡").add(bank_card(rng), "bank_card").add("缴纳了部分款项，电子邮箱").add(
            email(rng), "email"
        ).add("。\n")
    fine = f"{rng.randrange(1, 200) * 500}元"
    b.add("依据").add("《中华人民共和国行政处罚法》第二十八条", "public").add("，决定罚款").add(
        fine, "public"
    ).add("。\n")
    b.add(f"{agency}\n").add("2025年4月1日", "public").add("\n")
    return {"id": f"generated-{number}", "names": names, "text": b.text, "spans": b.spans}


def generated_records(seed: int = 2025, count: int = 60) -> list[dict]:
    rng = random.Random(seed)
    return [decision(rng, number) for number in range(1, count + 1)]


# --- issue 13: prose that must come out unchanged, colliding identity numbers, third persons ---

PROSE_SAMPLE = Path(__file__).resolve().parent.parent / "tests" / "corpus" / "prose.txt"
_SENTENCE = re.compile(r"[^。；\n]{8,}[。；]")


def prose_sentences(laws_dir: Path | None = None) -> list[str]:
    """Ordinary legal prose with no personal data: the committed sample, and every sentence of the
    statute texts in laws_dir (read at run time, not copied into the repository)."""
    texts = [PROSE_SAMPLE.read_text(encoding="utf-8")]
    if laws_dir is not None:
        texts += [
            p.read_text(encoding="utf-8") for p in sorted(laws_dir.rglob("*.md")) if "模版" not in p.name
        ]
    return [m.group().strip() for text in texts for m in _SENTENCE.finditer(text)]


def colliding_id_number(rng: random.Random) -> str:
    """A 身份证号 with a valid GB 11643 check character that also passes the GB 32100 check (about 1
    in 31 do): drawn until one does."""
    while True:
        number = id_number(rng)
        if uscc.is_valid(number):
            return number


_ID_CONTEXTS = (
    ("当事人{name}，{sex}，公民身份号码：", "，住{city}。"),
    ("当事人：{name}（居民身份证号码{sex}", "）"),
    ("姓名：{name}\n身份证号：", "\n"),
    ("委托代理人{name}，身份证号码", "，系当事人之{rel}。"),
    ("经营者{name}（", "）于2025年3月开业。"),
    ("证件号码 ", " 的持有人未到场。"),
    ("被询问人：{name}，{sex}，", "，现住{city}。"),
)


def collision_records(seed: int = 31, count: int = 100) -> list[dict]:
    """Identity numbers that pass the credit-code check, in the contexts decisions write them."""
    rng = random.Random(seed)
    records = []
    for number in range(count):
        before, after = rng.choice(_ID_CONTEXTS)
        fill = {
            "name": person_name(rng),
            "sex": rng.choice("男女"),
            "city": rng.choice(CITIES)[0],
            "rel": rng.choice(("子", "女", "妻", "夫")),
        }
        value = colliding_id_number(rng)
        b = Builder().add(before.format(**fill)).add(value, "id_card").add(after.format(**fill))
        records.append(
            {"id": f"collision-{number}", "names": [fill["name"]], "text": b.text, "spans": b.spans}
        )
    return records


# A third person named by what they do or how they were hired, not by a listed marker.
_THIRD_PERSON = (
    "当事人经营的{shop}安排学徒{a}、{b}每天工作12小时。",
    "其经营的{shop}雇用{a}从事配送工作，未签订书面劳动合同。",
    "当事人聘用{a}为店长，聘请{b}负责收银。",
    "当事人招用{a}、{b}未依法缴纳社会保险费。",
    "经查，店员{a}向顾客{b}销售了过期食品。",
    "厨师{a}未取得健康证明即上岗。",
    "现场检查时，雇员{a}、{b}正在作业。",
    "驾驶员{a}驾驶该车辆运送危险货物。",
    "举报人{a}反映，{shop}超时营业。",
    "当事人指使员工{a}擅自拆除封条。",
    "当事人安排{a}在仓库分装食品。",
    "学徒{a}于2025年3月受伤后，当事人未报告。",
    "该{shop}派遣{a}到外地装卸货物。",
    "顾客{a}称，其在{shop}购买的商品无中文标签。",
    "当事人雇佣{a}、{b}和{c}三人从事生产。",
)
_SHOPS = ("理发店", "超市", "餐馆", "物流站", "汽修店", "加工作坊", "网吧", "便利店")


def third_person_records(seed: int = 13, count: int = 200) -> list[dict]:
    """Sentences naming third persons (employees, apprentices, customers, drivers) without the
    markers of the original list; the names are not passed, as `zhifa redact` runs."""
    rng = random.Random(seed)
    records = []
    for number in range(count):
        template = rng.choice(_THIRD_PERSON)
        names = {key: person_name(rng) for key in "abc"}
        b = Builder()
        for piece in re.split(r"(\{[a-z]+\})", template):
            key = piece.strip("{}")
            if key in names and piece.startswith("{"):
                b.add(names[key], "name")
            elif key == "shop" and piece.startswith("{"):
                b.add(rng.choice(_SHOPS))
            else:
                b.add(piece)
        used = [names[k] for k in "abc" if "{" + k + "}" in template]
        records.append({"id": f"third-{number}", "names": used, "text": b.text, "spans": b.spans})
    return records
