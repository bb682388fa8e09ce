"""How a masked span is written (settings.ZHIFA_REDACTION_STYLE; options in docs/redaction.md)."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

_COMPOUND = (
    "欧阳 司马 诸葛 上官 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 钟离 端木 闻人 澹台 "
    "呼延 南宫 万俟 司空 独孤 百里 东郭 西门 申屠 公羊 赫连 太史 仲孙 淳于 单于 濮阳 公冶 宗政 "
    "拓跋 第五 梁丘 左丘 东门 谷梁 羊舌 微生 乐正 公良 漆雕 壤驷 闾丘 南门 呼延 归海 段干 司寇 "
    "子车 颛孙 巫马 公西 亓官 鲜于"
)
COMPOUND_SURNAMES = frozenset(_COMPOUND.split())


@dataclass(frozen=True)
class Style:
    mask_char: str = "*"
    # 张三丰 → 张**; with name_fixed_length = 2 every name hides its length too (张** / 欧阳**).
    name_keep_surname: bool = True
    name_fixed_length: int = 0
    id_keep_head: int = 6
    id_keep_tail: int = 4
    phone_keep_head: int = 3
    phone_keep_tail: int = 4
    bank_keep_head: int = 0
    bank_keep_tail: int = 4
    email_keep_head: int = 1
    email_keep_domain: bool = True
    plate_keep_head: int = 2
    passport_keep_head: int = 1
    passport_keep_tail: int = 0
    address_mask: str = "****"

    @classmethod
    def from_mapping(cls, values: dict[str, Any] | None) -> Style:
        unknown = sorted(set(values or {}) - {f.name for f in fields(cls)})
        if unknown:
            raise ValueError(f"脱敏样式中的设置项不存在：{'、'.join(unknown)}。")
        defaults = cls()
        for key, value in (values or {}).items():
            expected = type(getattr(defaults, key))
            if type(value) is not expected:
                raise ValueError(f"脱敏样式设置项 {key} 的值类型应为 {expected.__name__}。")
        style = replace(defaults, **(values or {}))
        if not style.mask_char or any(ch.isalnum() for ch in style.mask_char + style.address_mask):
            # A letter or digit as mask would be read back as data (and break idempotence).
            raise ValueError("脱敏遮盖字符不能为空，也不能是字母或数字。")
        return style


def current_style() -> Style:
    """The configured style; the defaults when Django is not configured (the engine is pure Python)."""
    try:
        from django.conf import settings

        values = getattr(settings, "ZHIFA_REDACTION_STYLE", None)
    except Exception:  # ImproperlyConfigured outside Django: the documented defaults apply.
        values = None
    return Style.from_mapping(values)


def _keep(value: str, head: int, tail: int, char: str) -> str:
    if head + tail >= len(value):
        # Too short to keep both ends: hide everything but the head, never the whole value.
        head, tail = min(head, max(len(value) - 1, 0)), 0
    return value[:head] + char * (len(value) - head - tail) + (value[len(value) - tail :] if tail else "")


def surname_length(name: str) -> int:
    return 2 if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else 1


def mask_name(name: str, style: Style | None = None) -> str:
    style = style or current_style()
    keep = surname_length(name) if style.name_keep_surname else 0
    if "·" in name or name.isascii():  # 少数民族/外国人姓名: the first character only
        keep = 1
    hidden = style.name_fixed_length or max(len(name) - keep, 1)
    return name[:keep] + style.mask_char * hidden


def mask_id(number: str, style: Style | None = None) -> str:
    style = style or current_style()
    return _keep(number.upper(), style.id_keep_head, style.id_keep_tail, style.mask_char)


def mask_phone(digits: str, style: Style) -> str:
    return _keep(digits, style.phone_keep_head, style.phone_keep_tail, style.mask_char)


def mask_bank(digits: str, style: Style) -> str:
    return _keep(digits, style.bank_keep_head, style.bank_keep_tail, style.mask_char)


def mask_email(address: str, style: Style) -> str:
    local, _, domain = address.partition("@")
    head = local[: min(style.email_keep_head, max(len(local) - 1, 0))]
    return head + style.mask_char * 3 + "@" + (domain if style.email_keep_domain else style.mask_char * 3)


def mask_plate(plate: str, style: Style) -> str:
    compact = "".join(ch for ch in plate if ch.isalnum())
    head = 1 if compact.startswith("使") else style.plate_keep_head  # 使 plates: digits follow at once
    return _keep(compact, head, 0, style.mask_char)


def mask_passport(number: str, style: Style) -> str:
    return _keep(number, style.passport_keep_head, style.passport_keep_tail, style.mask_char)
