"""Normalise one returned cell by its column's type (dates, numbers, codes, phones …) and say what is wrong."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from decimal import Decimal

from ..forms.columns import BOUNDED, Column
from .cleaning import (SCIENTIFIC, Fault, clean_gender, clean_mobile, clean_name, clean_office_phone, compact,
                       fold, plain, text)

# Each reason (Fault.why) fits its code's sentence in pipeline.core.problems: a clause where the sentence has
# none (只有 17 位, 校验码不对，应为 X, 小于下限 0), else a bracketed note after 无法识别, 不是数字 and the like
# (（含有“万”）, （应为：是、否）).
NUMERIC = ("integer", "decimal")
CODES = {"landline": "invalid_office_phone"}  # else invalid_<type>
LOST_DIGITS = "显示为科学计数法，后几位已丢失"

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECKS = "10X98765432"
CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100-2015: no I, O, Z, S, V
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

MAX_NUMBER_TEXT = 40  # characters of a number written as text; longer is a paste accident, not a value
NUMBER = re.compile(r"[+-]?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+)")
GROUPED = re.compile(r"[+-]?[\d,]+(?:\.\d*)?")  # digits with commas, however placed
EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 61 onwards; serials 1–59 count from 1899-12-31
LAST_SERIAL = 2958465  # 9999-12-31
TIME = r"(?:(?:\s+|T)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
DATES = tuple(re.compile(pattern + TIME) for pattern in (
    r"(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})",
    r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]?",
    r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})",
))
MAILTO = re.compile(r"^mailto:", re.IGNORECASE)
EMAIL_ATOM = r"[\w!#$%&'*+/=?^`{|}~-]+"
EMAIL = re.compile(rf"{EMAIL_ATOM}(?:\.{EMAIL_ATOM})*@(?:[^\W_](?:[\w-]*[^\W_])?\.)+[^\W\d_]{{2,}}")


class _Wrong(ValueError):
    """Carry why a value cannot be cleaned, from a type's cleaner up to clean_value."""


def clean_value(column: Column, raw) -> tuple[str, Fault | None]:
    """Return a returned cell's value normalised by its column's type, and what is wrong with it (None when fine)."""
    written = _written(column, raw)
    if not written:
        return "", None
    try:
        value = CLEANERS.get(column.type, _plain)(column, raw, written)
    except _Wrong as wrong:
        return written, Fault(CODES.get(column.type, f"invalid_{column.type}"), column.key, written, str(wrong))
    why = _range_problem(column, value)
    return value, Fault("out_of_range", column.key, written, why) if why else None


def _written(column: Column, raw) -> str:
    """Return the value as written; a bare 0 is a number, and a choice such as 无 or × an answer, not the
    placeholders they are elsewhere."""
    written = plain(raw)
    if written:
        return written
    shown = text(raw)
    if column.type in NUMERIC and fold(shown).strip() == "0":
        return shown
    return shown if shown and any(_nfkc(option) == _nfkc(shown) for option in column.options) else ""


def id_card_check(digits: str) -> str:
    """Return the check character (0-9 or X) of the first 17 digits of an ID card number (GB 11643-1999)."""
    return ID_CHECKS[sum(int(d) * w for d, w in zip(digits, ID_WEIGHTS)) % 11]


def credit_code_check(body: str) -> str:
    """Return the check character of the first 17 characters of a unified social credit code (GB 32100-2015)."""
    total = sum(CREDIT_ALPHABET.index(c) * w for c, w in zip(body, CREDIT_WEIGHTS))
    return CREDIT_ALPHABET[(31 - total % 31) % 31]


# Text, people and phones -----------------------------------------------------------------
def _plain(column: Column, raw, written: str) -> str:
    return written


def _text(column: Column, raw, written: str) -> str:
    return compact(raw) if column.squeeze else written


def _person(column: Column, raw, written: str) -> str:
    return clean_name(raw)


def _gender(column: Column, raw, written: str) -> str:
    gender, ok = clean_gender(raw)
    if not ok:
        raise _Wrong("")
    return gender


def _mobile(column: Column, raw, written: str) -> str:
    return _checked(clean_mobile(raw))


def _landline(column: Column, raw, written: str) -> str:
    return _checked(clean_office_phone(raw))


def _phone(column: Column, raw, written: str) -> str:
    """Return a mobile as 11 digits, else a landline as AREA-NUMBER[-EXT]."""
    mobile, why = clean_mobile(raw)
    if not why:
        return mobile
    if why == LOST_DIGITS:
        raise _Wrong(why)
    landline, reason = clean_office_phone(raw)
    return landline if reason.startswith("是手机号码") else _checked((landline, reason))


def _checked(cleaned: tuple[str, str]) -> str:
    value, why = cleaned
    if why:
        raise _Wrong(why)
    return value


def _choice(column: Column, raw, written: str) -> str:
    """Return the option the value names once both are NFKC-folded and stripped."""
    key = _nfkc(written)
    for option in column.options:
        if _nfkc(option) == key:
            return option
    if not column.options:
        return written
    raise _Wrong(f"（应为：{'、'.join(column.options)}）")


def _nfkc(value: str) -> str:
    return unicodedata.normalize("NFKC", value).strip()


def _email(column: Column, raw, written: str) -> str:
    """Return local@domain with the domain lower-cased, without spaces or a mailto: prefix."""
    folded = MAILTO.sub("", re.sub(r"\s+", "", unicodedata.normalize("NFKC", written)))
    local, _, domain = folded.rpartition("@")
    value = f"{local}@{domain.lower()}"
    if folded.count("@") != 1 or not EMAIL.fullmatch(value):
        raise _Wrong(_email_problem(folded, local, domain))
    return value


def _email_problem(folded: str, local: str, domain: str) -> str:
    if "@" not in folded:
        return "（缺少“@”）"
    if folded.count("@") > 1:
        return "（有多个“@”，一格只填一个邮箱）"
    if not local:
        return "（“@”前面是空的）"
    if "." not in domain:
        return "（“@”后面的域名不完整，如 163.com）"
    return ""


# Codes -----------------------------------------------------------------------------------
def _id_card(column: Column, raw, written: str) -> str:
    """Return the 18-character number (X upper-cased) once its length, birth date and check character hold."""
    value = re.sub(r"\s+", "", fold(written)).upper()
    if SCIENTIFIC.match(value):
        raise _Wrong(LOST_DIGITS)
    if re.search(r"[^0-9X]", value) or "X" in value[:-1]:
        raise _Wrong("含有非法字符" + ("（X 只能是最后一位）" if "X" in value[:-1] else ""))
    if len(value) != 18:
        raise _Wrong(_size(len(value), 18))
    if not _is_birth_date(value[6:14]):
        raise _Wrong(f"出生日期不对（{value[6:14]}）")
    return _with_check(value, id_card_check(value[:17]))


def _is_birth_date(digits: str) -> bool:
    try:
        born = dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return False
    return dt.date(1900, 1, 1) <= born <= dt.date.today()


def _credit_code(column: Column, raw, written: str) -> str:
    """Return the 18-character code upper-cased, without spaces or hyphens, once its check character holds."""
    value = re.sub(r"[\s-]+", "", fold(written)).upper()
    wrong = sorted(set(value) - set(CREDIT_ALPHABET), key=value.index)
    if wrong:
        letters = set(wrong) & set("IOZSV")
        raise _Wrong(f"含有非法字符 {'、'.join(wrong)}" + ("（代码中不用字母 I、O、Z、S、V）" if letters else ""))
    if len(value) != 18:
        raise _Wrong(_size(len(value), 18))
    return _with_check(value, credit_code_check(value[:17]))


def _with_check(value: str, check: str) -> str:
    if value[-1] != check:
        raise _Wrong(f"校验码不对，应为 {check}")
    return value


def _size(size: int, wanted: int) -> str:
    return f"只有 {size} 位" if size < wanted else f"有 {size} 位（应为 {wanted} 位）"


# Dates -----------------------------------------------------------------------------------
def _date(column: Column, raw, written: str) -> str:
    return _parse_date(raw, written).isoformat()


def _parse_date(raw, written: str) -> dt.date:
    """Read a date cell, an Excel serial number or a date written as text."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if _is_number(raw) and 1 <= raw <= LAST_SERIAL:
        return _excel_date(raw)
    folded = fold(written).strip()
    return _excel_date(int(folded)) if re.fullmatch(r"\d{5}", folded) else _date_text(folded)


def _excel_date(serial: float) -> dt.date:
    """Return the day an Excel serial number (1900 system) stands for: 1 → 1900-01-01, 45000 → 2023-03-15."""
    days = int(serial)
    if days == 60:
        raise _Wrong("（序号 60 是 Excel 虚构的 1900-02-29）")
    if not 1 <= days <= LAST_SERIAL:
        raise _Wrong(f"（{days} 不在 Excel 日期序号的范围内）")
    return (EXCEL_EPOCH if days > 60 else EXCEL_EPOCH + dt.timedelta(days=1)) + dt.timedelta(days=days)


def _date_text(folded: str) -> dt.date:
    match = next((m for m in (pattern.fullmatch(folded) for pattern in DATES) if m), None)
    if not match:
        raise _Wrong("")
    year, month, day = (int(match.group(part)) for part in "ymd")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise _Wrong(f"（没有 {year} 年 {month} 月 {day} 日这一天）") from None


# Numbers ---------------------------------------------------------------------------------
def _integer(column: Column, raw, written: str) -> str:
    number = _number(raw, written)
    if number != number.to_integral_value():
        raise _Wrong("（有小数部分）")
    return str(int(number))


def _decimal(column: Column, raw, written: str) -> str:
    return _decimal_text(_number(raw, written))


def _decimal_text(number: Decimal) -> str:
    """Return a number without exponent, thousands separators or trailing zeros (3.50 → 3.5, 1.2E+3 → 1200)."""
    return "0" if number == 0 else format(number.normalize(), "f")


def _is_number(raw) -> bool:
    return isinstance(raw, (int, float)) and not isinstance(raw, bool)


def _number(raw, written: str) -> Decimal:
    """Read a number cell (a float to the 15 digits Excel shows) or a number written as text."""
    if _is_number(raw) and math.isfinite(raw):
        return Decimal(raw) if isinstance(raw, int) else Decimal(f"{raw:.15g}")
    folded = fold(written).strip()
    if len(folded) > MAX_NUMBER_TEXT:
        raise _Wrong(f"（超过 {MAX_NUMBER_TEXT} 位）")
    if NUMBER.fullmatch(folded):
        return Decimal(folded.replace(",", ""))
    raise _Wrong(_number_problem(folded))


def _number_problem(folded: str) -> str:
    units = [unit for unit in ("%", "‰", "万", "亿") if unit in folded]
    if units:
        return f"（含有{'、'.join(f'“{unit}”' for unit in units)}）"
    if GROUPED.fullmatch(folded):
        return "（千位分隔符“,”的位置不对）"
    return "（含有数字以外的字符）" if re.search(r"\d", folded) else ""


# Bounds ----------------------------------------------------------------------------------
def _range_problem(column: Column, value: str) -> str:
    """Return why a parsed value lies outside its column's min and max, or ''."""
    if column.type not in BOUNDED or (column.minimum is None and column.maximum is None):
        return ""
    is_date = column.type == "date"
    point = dt.date.fromisoformat(value) if is_date else Decimal(value)
    if column.minimum is not None and point < _bound(column.minimum):
        return f"{'早于' if is_date else '小于'}下限 {_shown(column.minimum)}"
    if column.maximum is not None and point > _bound(column.maximum):
        return f"{'晚于' if is_date else '大于'}上限 {_shown(column.maximum)}"
    return ""


def _bound(bound):
    return bound if isinstance(bound, dt.date) else Decimal(str(bound))


def _shown(bound) -> str:
    return bound.isoformat() if isinstance(bound, dt.date) else _decimal_text(_bound(bound))


CLEANERS = {
    "index": _plain, "unit": _plain, "text": _text, "person": _person, "gender": _gender, "choice": _choice,
    "mobile": _mobile, "landline": _landline, "phone": _phone, "email": _email,
    "id_card": _id_card, "credit_code": _credit_code, "date": _date, "integer": _integer, "decimal": _decimal,
}
