"""Declare the shape of a data file once, as a tree of typed nodes, and check loaded values against it in one pass.

Each node checks one value and returns it cleaned (text stripped, dates as dates); every problem goes to
a sink's error(at, note, code), with at the value's path (keys and list indexes), so that a YAML file's
errors point at their lines. A mapping (Fields) names every key it knows: any other key is an error that
names it and suggests the closest known key. Nothing is raised here; the caller raises all errors at once.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field

from .text import unstorable

MAX_TEXT = 20_000  # characters in any one text field
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
MIN_YEAR, MAX_YEAR = 1980, 2099  # a document date outside these years is a typo (and zip times cannot hold it)


@dataclass(frozen=True)
class Text:
    """A piece of text (numbers are accepted as text); optionally matching a pattern."""

    required: bool = False
    max_length: int = MAX_TEXT
    pattern: re.Pattern | None = None
    hint: str = ""  # what the pattern asks for, in Chinese
    strip: bool = True  # False keeps outer spaces (a heading number written as "(一) ")

    def check(self, value, at: tuple, sink):
        if _absent(value):
            return _missing(self, at, sink, "缺少此项，必须填写")
        if isinstance(value, (dict, list, bool, bytes)):
            return sink.error(at, "应为一段文字", "wrong_type") or ""
        text = str(value).strip() if self.strip else str(value)
        if not checked_text(text, at, sink, self.max_length):
            return ""
        if self.pattern and not self.pattern.fullmatch(text):
            sink.error(at, f"“{text}”无效：{self.hint}", "invalid_value")
        return text


@dataclass(frozen=True)
class Date:
    """A date written YYYY-MM-DD, within the years MIN_YEAR to MAX_YEAR."""

    required: bool = False

    def check(self, value, at: tuple, sink):
        if _absent(value):
            return _missing(self, at, sink, "缺少此项，必须填写日期（格式 YYYY-MM-DD，如 2022-03-21）")
        day = value if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else _iso(str(value))
        if day is None:
            return sink.error(at, f"“{value}”不是有效日期，应为 YYYY-MM-DD（如 2022-03-21）", "invalid_value")
        if not MIN_YEAR <= day.year <= MAX_YEAR:
            return sink.error(at, f"日期 {day} 不在 {MIN_YEAR}—{MAX_YEAR} 年之间，请检查年份", "invalid_value")
        return day


@dataclass(frozen=True)
class Integer:
    """A whole number from minimum to maximum (a positive integer by default)."""

    required: bool = False
    minimum: int = 1
    maximum: int | None = None

    def check(self, value, at: tuple, sink):
        if value is None:
            return _missing(self, at, sink, "缺少此项，必须填写（整数）")
        upper = self.maximum
        if isinstance(value, bool) or not isinstance(value, int) or value < self.minimum or (upper and value > upper):
            return sink.error(at, f"“{value}”无效，应为{self.bounds()}", "invalid_value")
        return value

    def bounds(self) -> str:
        """Describe the allowed values in Chinese."""
        if self.minimum == 1:
            return "正整数（如 3）" + (f"，且不超过 {self.maximum}" if self.maximum else "")
        return f"{self.minimum}～{self.maximum} 的整数" if self.maximum else f"不小于 {self.minimum} 的整数"


@dataclass(frozen=True)
class Flag:
    """A yes/no value written true or false."""

    def check(self, value, at: tuple, sink):
        if value is not None and not isinstance(value, bool):
            return sink.error(at, f"“{value}”无效，只能是 true（是）或 false（否）", "invalid_value") or False
        return bool(value)


@dataclass(frozen=True)
class Choice:
    """One of a fixed list of words."""

    options: tuple[str, ...]
    required: bool = False

    def check(self, value, at: tuple, sink):
        text = Text(self.required).check(value, at, sink)
        if text and text not in self.options:
            sink.error(at, f"“{text}”无效，只能是：{'、'.join(self.options)}", "invalid_value")
            return ""
        return text


@dataclass(frozen=True)
class Cell:
    """A table cell: text, a number or nothing (an empty cell)."""

    def check(self, value, at: tuple, sink):
        if value is None:
            return ""
        return Text().check(value, at, sink)


@dataclass(frozen=True)
class Items:
    """A list whose every item has the same shape."""

    item: object
    required: bool = False
    max_items: int = 10_000
    what: str = "列表（每项以“- ”开头）"
    empty: str = ""  # the note when the list may not be empty


    def check(self, value, at: tuple, sink):
        if value is None:
            return _missing(self, at, sink, "缺少此项，应为列表") or []
        if not isinstance(value, list):
            return sink.error(at, f"应为{self.what}", "wrong_type") or []
        if len(value) > self.max_items:
            return sink.error(at, f"有 {len(value)} 项，超过上限 {self.max_items} 项", "too_long") or []
        if not value and self.empty:
            sink.error(at, self.empty, "missing_value")
        return [self.item.check(item, at + (i,), sink) for i, item in enumerate(value)]


@dataclass(frozen=True)
class Fields:
    """A mapping of known keys, each with its own shape; the result holds only the keys present."""

    fields: dict = field(default_factory=dict)
    required: bool = False
    what: str = "“字段: 值”组成的一项"

    def check(self, value, at: tuple, sink):
        if value is None:
            return _missing(self, at, sink, "缺少此项") or {}
        if not isinstance(value, dict):
            return sink.error(at, f"应为{self.what}", "wrong_type") or {}
        meant = set()  # the known keys the unknown ones look like: their absence is the same mistake
        for key in value:
            if key not in self.fields:
                sink.error(at + (key,), unknown_key_note(key, self.fields), "unknown_key")
                meant.add(closest_key(key, self.fields))
        for key, node in self.fields.items():
            if key not in value and key not in meant and getattr(node, "required", False):
                node.check(None, at + (key,), sink)
        return {key: node.check(value[key], at + (key,), sink) for key, node in self.fields.items() if key in value}


@dataclass(frozen=True)
class Either:
    """A value that is either text (a scalar) or a mapping of known keys, such as a paragraph of a body."""

    scalar: object
    mapping: Fields
    what: str

    def check(self, value, at: tuple, sink):
        if isinstance(value, dict):
            return self.mapping.check(value, at, sink)
        if isinstance(value, (list, bool)) or value is None:
            return sink.error(at, f"应为{self.what}", "wrong_type")
        return self.scalar.check(value, at, sink)


@dataclass(frozen=True)
class OneOrMany:
    """One text, or a list of them (joint issuance: several agencies, lead first); the result is a list."""

    item: Text
    required: bool = False
    max_items: int = 20

    def check(self, value, at: tuple, sink):
        if isinstance(value, list):
            empty = "至少要写一项" if self.required else ""
            checked = Items(self.item, self.required, self.max_items, empty=empty).check(value, at, sink)
            for i, item in enumerate(value):
                if _absent(item):
                    sink.error(at + (i,), "这一项是空的：请写上名称，或删去这一项", "missing_value")
            return [v for v in checked if v]
        if isinstance(value, dict):
            return sink.error(at, "应为一项文字，或多项文字组成的列表（每项以“- ”开头）", "wrong_type") or []
        text = Text(self.required, self.item.max_length).check(value, at, sink)
        return [text] if text else []


def closest_key(key: str, known) -> str:
    """Return the known key closest to key (copyto → copy_to), or '' when none is close."""
    close = difflib.get_close_matches(str(key), list(known), n=1, cutoff=0.6)
    return close[0] if close else ""


def unknown_key_note(key: str, known) -> str:
    """Return the Chinese note for an unknown key, suggesting the closest known one (copyto → copy_to)."""
    close = closest_key(key, known)
    hint = f"，是不是“{close}”？" if close else ""
    return f"不认识的字段“{key}”{hint}（可用的字段：{'、'.join(known)}）"


def checked_text(text: str, at: tuple, sink, max_length: int = MAX_TEXT) -> bool:
    """Report text that Word and Excel cannot store, or that is longer than max_length; return True when fine."""
    bad = unstorable(text)
    if bad:
        sink.error(at, f"含有 Word 和 Excel 无法保存的字符（{bad}），请删除后重新保存", "bad_character")
    elif len(text) > max_length:
        sink.error(at, f"有 {len(text)} 个字符，超过上限 {max_length} 个", "too_long")
    return not bad and len(text) <= max_length


def _absent(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _missing(node, at: tuple, sink, note: str):
    if node.required:
        sink.error(at, note, "missing_value")
    return None if not isinstance(node, Text) else ""


def _iso(value: str) -> dt.date | None:
    """Return the date a YYYY-MM-DD text names (no other ISO form), or None."""
    if not ISO_DATE.fullmatch(value.strip()):
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        return None
