"""Natural persons' names: the ones the case knows (parties, representatives, witnesses), the ones
written after a marker (当事人、法定代表人、证人、乘客…), before a gender (张三，男，) or an identity
number, and the next ones in a list (李四、王五), then every occurrence of each. Organisations after
a marker (公司、店、合作社…, or followed by a 统一社会信用代码) are public and kept."""

from __future__ import annotations

import re
from collections.abc import Iterable

from .board import Board
from .lexicon import BEFORE, FOLLOWERS, NEVER_LAST, NOT_NAMES
from .style import COMPOUND_SURNAMES, Style, mask_name
from .surnames import SINGLE_SURNAMES
from .words import common_word_at

_TAIL = r"(?:姓名|名称)?(?:\((?:签名|签字|自然人|个人)\))?[:\s]*"
MARKER = re.compile(
    r"(?:当事人|法定代表人|法人代表|主要负责人|负责人|委托代理人|代理人|委托人|见证人|证人|被询问人|被检查人|"
    r"被调查人|被处罚人|违法行为人|行为人|实际经营者|实际经营人|经营者|经营户|投资人|出资人|业主|户主|"
    r"实际控制人|执行事务合伙人|合伙人|联系人|股东|监护人|驾驶人|车主|所有人|举报人|投诉人|被申请人|申请人|"
    r"受害人|劳动者|姓名|签收人|受送达人|收件人|陪同人|在场人|翻译人员|翻译人|乘客|患者|消费者|顾客|邻居)"
    + _TAIL
)
# Roles written before a name: 收银员蒋丽、站长邬海龙、村委会主任施建林、其妻何翠娥、之子王小明.
ROLE = re.compile(
    r"(?:(?:人(?!员工)员|员工|员|学徒|徒工|雇员|小工|杂工|保姆|保洁|钟点工|农民工|民工|工人|司炉工|电工|焊工|职工|雇工|帮工|临时工|技工|普工|长|师|主任|会计|经理|老板|店主|司机|保安|医生|护士|律师|村民|居民)"
    r"|[其之](?:妻子|丈夫|母亲|父亲|儿子|女儿|妻|夫|母|父|子|女|兄|弟|姐|妹))" + _TAIL
)
# Hiring and instructing verbs name the person they act on: 雇用李小龙、安排学徒李小龙、指使员工张伟.
HIRES = re.compile(r"(?:雇用|雇佣|雇请|聘用|聘请|招用|招收|招聘|指使|指派|安排|派遣|委派|授意)")
ORGANISATION = re.compile(
    r"(?:(?![于在的被把已未])[\u4e00-\u9fffA-Za-z0-9()·]){1,40}?(?:有限责任公司|股份有限公司|有限公司|分公司|"
    r"公司|集团|厂|商行|商店|经营部|门市部|超市|便利店|店|中心|合作社|联合社|事务所|工作室|馆|医院|诊所|药房|"
    r"学校|幼儿园|酒店|宾馆|旅馆|饭店|餐厅|作坊|农场|养殖场|加工场|站|社|所|部|行|院|协会|商会|委员会|局|银行|"
    r"支行|分行|大队|车队)(?=$|[,。;\n()\s:、])"
)
USCC_NEAR = re.compile(r"[^。;\n,]{2,30}[,(\s]*(?:统一社会信用代码|社会信用代码|营业执照|注册号)")
# A labelled person whose surname is not in the list: 当事人：钦阿毛，男 / 姓名：钦阿毛（身份证号…
LABELLED = re.compile(r"[\u4e00-\u9fff]{2,4}(?=[,(\s]+(?:男|女|性别|身份|公民|居民|出生|\d{4}年))")
LATIN = re.compile(r"[A-Z][A-Za-z'\-]+(?: [A-Z][A-Za-z'\-]+){1,3}")
GENDER = re.compile(r"[,\s]{1,2}(?:性别[:\s]*)?[男女](?=[,、;。\s()]|族)")
ID_LABEL = re.compile(r"[\s,(:]*(?:(?:公民|居民)?身份证(?:号码|号)?|公民身份号码|身份号码)?[:\s]*$")
_MASKED = frozenset("某×*○〇")
# Particles that never begin a given name (审判长时的回避 is not 时的回).
_NEVER_FIRST = frozenset("的了在于被把将和与及")


def _cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def _is_name_char(char: str) -> bool:
    return _cjk(char) and char not in _MASKED


def _boundary(text: str, end: int) -> bool:
    return end >= len(text) or not _cjk(text[end]) or text[end] in FOLLOWERS


def _surname_at(text: str, pos: int) -> int:
    if text[pos : pos + 2] in COMPOUND_SURNAMES:
        return 2
    return 1 if text[pos : pos + 1] in SINGLE_SURNAMES else 0


def _ethnic_at(text: str, pos: int) -> tuple[int, int] | None:
    """买买提·艾力: parts joined by ·, the last part ending where the sentence goes on."""
    m = re.match(r"[\u4e00-\u9fff]{1,6}(?:·[\u4e00-\u9fff]{1,8})+", text[pos : pos + 40])
    if not m or any(c in _MASKED for c in m.group()):
        return None
    last_dot = m.group().rindex("·")
    head = pos + last_dot + 1
    for length in range(1, min(5, m.end() - last_dot - 1) + 1):
        if _boundary(text, head + length) and (length == 1 or text[head + length - 1] not in NEVER_LAST):
            return pos, head + length
    return pos, head + min(2, m.end() - last_dot - 1)


def name_at(
    text: str, pos: int, *, lenient: bool = False, marker: int | None = None
) -> tuple[int, int] | None:
    """The natural person's name starting at pos, or None (an organisation, a word, a masked name)."""
    if "·" in text[pos : pos + 8]:
        ethnic = _ethnic_at(text, pos)
        if ethnic:
            return ethnic
    s = _surname_at(text, pos)
    if not s:
        return None
    for given in (2, 1):
        end = pos + s + given
        chunk = text[pos + s : end]
        if len(chunk) < given or not all(_is_name_char(c) for c in chunk):
            continue
        if given == 2 and chunk[-1] in NEVER_LAST:
            continue
        if _boundary(text, end):
            return None if common_word_at(text, pos, s, end, marker) else (pos, end)
    end = pos + s + 2
    if (
        lenient
        and all(_is_name_char(c) for c in text[pos + s : end])
        and len(text) >= end
        and text[pos + s] not in _NEVER_FIRST
        and not common_word_at(text, pos, s, end, marker)
    ):
        # After a marker a name is expected; when it runs into the next word, mask one character more.
        return pos, end
    return None


def _after_marker(text: str, marker: int, pos: int, labelled: bool) -> list[tuple[int, int]]:
    if pos >= len(text) or ORGANISATION.match(text, pos):
        return []
    # A person's name stays a person's name even when a 统一社会信用代码 follows (个体工商户); the
    # code only tells that an unrecognised party is an organisation.
    span = name_at(text, pos, marker=marker)
    if span is None and USCC_NEAR.match(text, pos):
        return []
    if span is None:
        span = name_at(text, pos, lenient=True, marker=marker)
    if span is None:
        span = _name_ending_clause(text, pos)
    if span is None and labelled:
        written = LABELLED.match(text, pos) or LATIN.match(text, pos)
        span = written.span() if written else None
    return [span] if span else []


_CLAUSE_END = frozenset("，。；,;")


def _name_ending_clause(text: str, pos: int) -> tuple[int, int] | None:
    """After a marker (当事人：, 证人) a surname and one or two characters that end the clause are
    a name even when the dictionary also knows them as a word (证人何国，). Not before 、 or a
    number: prose lists verbs and objects there (当事人查询、陈述; 安排怀孕7个月)."""
    s = _surname_at(text, pos)
    if not s or text[pos : pos + 2] in NOT_NAMES:
        return None
    for given in (2, 1):
        end = pos + s + given
        chunk = text[pos + s : end]
        if (
            len(chunk) == given
            and all(map(_is_name_char, chunk))
            and (end >= len(text) or text[end] in _CLAUSE_END)
        ):
            return pos, end
    return None


def _name_before(text: str, pos: int) -> tuple[int, int] | None:
    """A name ending at pos (before ，男 or an identity number)."""
    for length in (3, 2, 4):
        start = pos - length
        if start < 0 or not all(_is_name_char(c) for c in text[start:pos]):
            continue
        s = _surname_at(text, start)
        if not s or (length == 4 and s != 2) or text[start : start + 2] in NOT_NAMES:
            continue
        if start == 0 or not _cjk(text[start - 1]) or text[start - 1] in BEFORE:
            return start, pos
    return None


def _list_neighbours(text: str, names: set[str]) -> set[str]:
    """李四、王五和赵六: the names next to a known one in a list."""
    pattern = _names_pattern(names)
    more: set[str] = set()
    for m in pattern.finditer(text):
        after = re.match(r"(?:\([^()\n]{0,40}\))?[、,和及与]", text[m.end() : m.end() + 44])
        if after:
            span = name_at(text, m.end() + after.end())
            if span:
                more.add(text[span[0] : span[1]])
        if m.start() and text[m.start() - 1] in "、和及与":
            span = _name_before(text, m.start() - 1)
            if span:
                more.add(text[span[0] : span[1]])
    return more - names


def looks_like_organisation(name: str) -> bool:
    return bool(ORGANISATION.fullmatch(name))


def found_names(text: str, known: Iterable[str] = (), id_starts: Iterable[int] = ()) -> set[str]:
    names = {n.strip() for n in known if len(n.strip()) >= 2 and not looks_like_organisation(n.strip())}
    for pattern in (MARKER, ROLE, HIRES):
        for m in pattern.finditer(text):
            labelled = ":" in m.group()
            for start, end in _after_marker(text, m.start(), m.end(), labelled):
                names.add(text[start:end])
    for m in GENDER.finditer(text):
        span = _name_before(text, m.start())
        if span:
            names.add(text[span[0] : span[1]])
    for start in id_starts:
        label = ID_LABEL.search(text, max(0, start - 12), start)
        span = _name_before(text, label.start() if label else start)
        if span:
            names.add(text[span[0] : span[1]])
    names = {n for n in names if not any(c in _MASKED for c in n)}
    for _ in range(3):
        if not names:
            break
        more = _list_neighbours(text, names)
        if not more:
            break
        names |= more
    return names


def _names_pattern(names: Iterable[str]) -> re.Pattern[str]:
    # Longest first; 张 三 (spaced to align a form) is the same name.
    alternatives = ["[ ]{0,2}".join(re.escape(c) for c in n) for n in sorted(names, key=len, reverse=True)]
    return re.compile("|".join(alternatives))


def claim_names(
    text: str, board: Board, style: Style, known: Iterable[str] = (), id_starts: Iterable[int] = ()
) -> None:
    names = found_names(text, known, id_starts)
    if not names:
        return
    for m in _names_pattern(names).finditer(text):
        board.claim(m.start(), m.end(), "name", mask_name(m.group().replace(" ", ""), style))
