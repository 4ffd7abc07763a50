"""Clean the values a unit wrote the way a clerk would, and say what cannot be cleaned.

Numbers stored as numbers, full-width digits, spaces inside names, +86, extensions, gender variants and
placeholders such as 无 or ／ are all cleaned. Office phones come out as AREA-NUMBER, with an extension as
AREA-NUMBER-EXT (010-62083702-123); mobiles as 11 digits. A value that cannot be cleaned is kept as
written and reported. Control characters and bidi overrides are dropped, with a warning.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from ..core.text import strip_controls

PLACEHOLDERS = {"无", "暂无", "没有", "空", "-", "--", "—", "——", "/", "\\", "、", "n/a", "na", "null", "none",
                "无。", "…", "...", "x", "×", "0"}
GENDERS = {"男": "男", "男性": "男", "男士": "男", "先生": "男", "m": "男", "male": "男",
           "女": "女", "女性": "女", "女士": "女", "小姐": "女", "f": "女", "female": "女"}
DASHES = re.compile(r"[‐‑‒–—―−－ー]")
SPACES = re.compile(r"[\s\u3000\xa0]+")
CJK_SPACE = re.compile(r"(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])")
SCIENTIFIC = re.compile(r"^\d(\.\d+)?e\+?\d+$", re.IGNORECASE)
EXTENSION = re.compile(r"[(（]?\s*(?:转|分机|ext\.?|x|#)\s*(\d{1,6})\s*[)）]?\s*$", re.IGNORECASE)
COUNTRY = re.compile(r"^\s*[(（]?\s*(?:\+|00)86\s*[)）]?[\s-]*")
AREA = re.compile(r"0(?:10|2\d|[3-9]\d\d)")
LOCAL = re.compile(r"[2-9]\d{6,7}")
MOBILE = re.compile(r"1[3-9]\d{9}")


@dataclass(frozen=True)
class Fault:
    """Describe a value that could not be cleaned: problem code, field, value as written and why."""

    code: str
    field: str
    value: str = ""
    why: str = ""


@dataclass
class Person:
    """Hold the cleaned values of one person (by field) and the faults found on the way."""

    values: dict[str, str]
    faults: list[Fault]


# Text ------------------------------------------------------------------------------------
def text(value) -> str:
    """Return a cell as text: whole numbers without '.0', dates in ISO form, no control characters or outer spaces."""
    if type(value) is str:
        return _visible(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, (dt.date, dt.time, dt.timedelta)):
        return value.isoformat() if not isinstance(value, dt.timedelta) else str(value)
    return _visible(str(value))


def _visible(value: str) -> str:
    """Return text without control or bidi characters (NUL, BEL, RLO …) and without surrounding spaces."""
    return (value if value.isprintable() else strip_controls(value)[0]).strip()


def fold(value: str) -> str:
    """Fold full-width digits, letters and dashes to ASCII (for phone numbers)."""
    return DASHES.sub("-", unicodedata.normalize("NFKC", value))


def is_placeholder(value: str) -> bool:
    """Tell whether text only says 'nothing' (无, 暂无, -, ／ …)."""
    return fold(value).strip().lower() in PLACEHOLDERS


def plain(value) -> str:
    """Return a cell as one line of text with runs of spaces collapsed, or '' for a placeholder."""
    if type(value) is str:
        return _plain_text(value) if value else ""
    return _plain_text(text(value)) if value is not None else ""


@lru_cache(maxsize=4096)
def _plain_text(value: str) -> str:
    """Return plain() of a text (cached: a cell's text is asked for by the header, the row and its type's cleaner)."""
    value = SPACES.sub(" ", text(value)).strip()
    return "" if is_placeholder(value) else value


def compact(value) -> str:
    """Return text without spaces next to Chinese characters (李　玥 → 李玥), or '' for a placeholder."""
    return CJK_SPACE.sub("", plain(value))


# Values ----------------------------------------------------------------------------------
def clean_name(value) -> str:
    """Return a name without spaces between Chinese characters (李　玥 → 李玥)."""
    return compact(value)


def clean_gender(value) -> tuple[str, bool]:
    """Return 男 or 女 for the usual variants (男性, M, 女士 …); else the text as written and False."""
    written = plain(value)
    if not written:
        return "", True
    key = unicodedata.normalize("NFKC", written).replace(" ", "").lower()
    return (GENDERS[key], True) if key in GENDERS else (written, False)


def clean_mobile(value) -> tuple[str, str]:
    """Return (11-digit mobile, '') or (the text as written, why it is wrong); ('', '') when empty."""
    written = plain(value)
    if not written:
        return "", ""
    folded = fold(written).strip()
    if SCIENTIFIC.match(folded):
        return written, "显示为科学计数法，后几位已丢失"
    digits = re.sub(r"[\s\-()（）.]", "", COUNTRY.sub("", folded))
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    if MOBILE.fullmatch(digits):
        return digits, ""
    return written, _mobile_reason(digits)


def _mobile_reason(digits: str) -> str:
    if len(re.findall(r"1[3-9]\d{9}", digits)) > 1:
        return "填了多个号码"
    if not digits.isdigit():
        return "含有数字以外的字符"
    if len(digits) != 11:
        return f"只有 {len(digits)} 位" if len(digits) < 11 else f"有 {len(digits)} 位"
    return "不是以 1 开头的手机号码"


def clean_office_phone(value) -> tuple[str, str]:
    """Return (AREA-NUMBER[-EXT], '') or (the text as written, why it is wrong); ('', '') when empty.

    A number that lost its leading zero (stored as a number) gets it back: 10 and 2X are the
    three-digit area codes 010 and 02X, any other code has four digits (0755).
    """
    written = plain(value)
    if not written:
        return "", ""
    folded = COUNTRY.sub("", fold(written).strip())
    body, ext = _split_extension(folded)
    if re.search(r"[^\d\s\-()]", body):
        return written, "含有数字以外的字符"
    groups = re.findall(r"\d+", body)
    if len(groups) == 1 and MOBILE.fullmatch(groups[0]):
        return groups[0], "是手机号码，不是座机号码"
    return _phone(written, groups, ext)


def _split_extension(value: str) -> tuple[str, str]:
    match = EXTENSION.search(value)
    return (value[: match.start()], match.group(1)) if match else (value, "")


def _phone(written: str, groups: list[str], ext: str) -> tuple[str, str]:
    if len(groups) == 3 and not ext:
        groups, ext = _three_groups(groups)
    if len(groups) > 2 or not groups:
        return written, "格式无法识别（一格只填一个号码）"
    area, number = _area_and_number(groups)
    if not area and LOCAL.fullmatch(number):
        return written, "缺少区号"
    if not (AREA.fullmatch(area) and LOCAL.fullmatch(number)):
        return written, "位数不对或区号有误"
    return f"{area}-{number}" + (f"-{ext}" if ext else ""), ""


def _three_groups(groups: list[str]) -> tuple[list[str], str]:
    """Read 010-6208-3702 as one local number, and 010-62083702-123 as a number with an extension."""
    area, middle, last = groups
    if len(middle) in (3, 4) and len(last) == 4 and len(middle + last) in (7, 8):
        return [area, middle + last], ""
    return [area, middle], last


def _area_and_number(groups: list[str]) -> tuple[str, str]:
    """Split digit groups into an area code (leading zero restored) and a local number."""
    if len(groups) == 2:
        area, number = groups
        if not area.startswith("0") and len(area) > 2 and LOCAL.fullmatch(area + number):
            return "", area + number  # 6208-3702: a local number written in two halves
        return (area if area.startswith("0") else "0" + area), number
    digits = groups[0]
    if LOCAL.fullmatch(digits):
        return "", digits
    if not digits.startswith("0"):
        digits = "0" + digits
    size = 3 if digits[1:2] in ("1", "2") else 4
    return digits[:size], digits[size:]
