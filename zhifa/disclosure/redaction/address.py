"""Address details below the township: 省/市/县/区 and 乡/镇/街道 stay, the road, number, village,
group, building and room go (行政处罚信息 names the place of an act, not where a person lives)."""

from __future__ import annotations

import re

from .board import Board
from .style import Style

_ADMIN_CHAR = r"(?:(?![街巷弄村组号楼室栋幢社小屯庄园苑的在于和与及,。;:\s])[\u4e00-\u9fff])"
ADMIN = re.compile(
    rf"(?:[\u4e00-\u9fff]{{1,5}}?路街道|{_ADMIN_CHAR}{{1,9}}?(?:特别行政区|自治区|自治州|自治县|自治旗|街道办事处|街道|民族乡|苏木|地区|"
    r"省|市|州|盟|县|区|旗|镇|乡))+"
)
_D = r"(?:(?![的在于是和对将与及被把从向局府委会厅,。;:\s])[\u4e00-\u9fff0-9])"
_ROAD = rf"{_D}{{1,8}}?(?:大街|大道|胡同|路|街|巷|弄)"
_PLACE = (
    rf"{_D}{{1,10}}?(?:村民小组|新村|小区|花园|公寓|大厦|广场|家园|社区|商城|大楼|工业园|产业园|工业区|开发区|园区|"
    r"市场|村|苑|庄|屯|园|城|区)"
)
# A natural village or a compound named without a suffix, when a number follows: 钦家兜38号.
_NAMED_NUM = rf"{_D}{{1,6}}?[0-9一二三四五六七八九十]{{1,5}}(?:号|组|栋|幢)"
_NUM = r"[0-9一二三四五六七八九十百零〇甲乙丙丁A-Za-z\-]{1,8}(?:号楼|号院|号铺|号门|号|栋|幢|座|单元|层|楼|室|组|排|户|弄|支弄|巷|队)"
_EXTRA = r"(?:附|之|-)[0-9]{1,5}号?"
DETAIL = re.compile(rf"(?:{_ROAD}|{_NUM}|{_EXTRA}|{_PLACE}|{_NAMED_NUM})+")
# Township level: what comes after the last of these is detail, even if it is called …区.
TOWNSHIP = re.compile(r"(?:街道办事处|街道|民族乡|苏木|镇|乡)")
MARKER = re.compile(
    r"(?:生产经营场所|经营场所|经营地址|经营地点|营业场所|生产地址|住所地|住所|现住址|户籍地址|户籍所在地|户籍地|"
    r"居住地址|居住地|家庭住址|联系地址|送达地址|住址|地址|现住|家住|暂住|住(?=[\u4e00-\u9fff]{1,9}?[省市县区]))"
    r"[:\s]*(?:位于|在|为|是)?"
)
PREPOSITION = re.compile(r"(?:位于|驶至|途经|在|于|至|到|住)")
# In the narrative only a numbered place is someone's address; 在解放西路 or 红星村集体土地 is where
# something happened.
NUMBERED = re.compile(r"[0-9一二三四五六七八九十]+(?:号|组|栋|幢|室|弄|单元)")
_VALUE_END = re.compile(r"[,。;\n()、]")


def _has_detail(value: str) -> bool:
    return bool(re.search(r"[0-9号村组栋幢室路街巷弄楼单元]", value))


def _admin_end(text: str, start: int, end: int | None = None) -> int:
    """Where the kept part (province … township) of an address starting at start ends."""
    admin = ADMIN.match(text, start, len(text) if end is None else end)
    if not admin:
        return start
    townships = list(TOWNSHIP.finditer(admin.group()))
    # 斗门街道袍江工业区三江路: the 工业区 below the township is detail.
    return start + townships[-1].end() if townships else admin.end()


def _claim(board: Board, start: int, end: int, style: Style) -> None:
    board.claim(start, end, "address", style.address_mask)


def claim_addresses(text: str, board: Board, style: Style) -> None:
    # 1. After a label (住址：…), to the end of the value.
    for m in MARKER.finditer(text):
        stop = _VALUE_END.search(text, m.end())
        value_end = stop.start() if stop else len(text)
        if value_end - m.end() > 80:
            value_end = m.end() + 80
        start = _admin_end(text, m.end(), value_end)
        detail = DETAIL.match(text, start, value_end)
        if detail:
            # Whatever follows the recognised detail inside the same value is still address.
            tail = text[detail.end() : value_end]
            end = (
                value_end
                if re.fullmatch(r"[0-9A-Za-z\-#\u4e00-\u9fff]*", tail) and len(tail) <= 12
                else detail.end()
            )
            _claim(board, start, end, style)
        elif ":" in m.group() and _has_detail(text[start:value_end]):
            _claim(board, start, value_end, style)
    # 2. In the narrative, a numbered place (…188号, …5组) right after the township (杭州市西湖区文三路
    #    188号) or after 在/位于 (在文三路188号): found from the number backwards, which is cheap.
    for m in NUMBERED.finditer(text):
        if not board.free(m.start(), m.end()):
            continue
        window = max(0, m.start() - 40)
        window = max(window, *(text.rfind(c, window, m.start()) + 1 for c in ",。;\n()、"))
        for start in _detail_starts(text, window, m.start()):
            detail = DETAIL.match(text, start)
            if detail and detail.end() >= m.end():
                _claim(board, detail.start(), detail.end(), style)
                break


def _detail_starts(text: str, window: int, number: int) -> list[int]:
    starts = [_admin_end(text, a.start()) for a in ADMIN.finditer(text, window, number)]
    starts += [p.end() for p in PREPOSITION.finditer(text, window, number)]
    return sorted(set(starts))
