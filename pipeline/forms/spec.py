"""Describe a fill-in form (an annex table sent to every unit) and read it from the annex's data file.

The file's schema is declared here once: the Word annex of a form (notice/annexes.py), the Excel forms
(this package) and the roster (which reads the returns by the same columns) read the same file.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path

from ..core import source
from ..core.schema import Choice, Date, Either, Fields, Flag, Integer, Items, Text
from ..core.text import chinese_date
from .columns import CONTACT_KEY, CONTACT_TITLE, KEY_RE, KNOWN, NOTE_KEY, TYPES, Column, bare_column, column_problems, \
    is_contact, repeated, typed_column

MAX_ROWS = 500  # data rows of an Excel form
MAX_COLUMNS = 64
MAX_LINES = 20  # text lines above or below the Word table
FIRST_DAY = dt.date(1900, 1, 1)  # the first day of Excel's 1900 date system
MAX_BOUND = 999_999_999_999_999  # 15 digits: what Excel compares exactly
LABELS = Items(Text(required=True, max_length=100), max_items=50)


class Bound:
    """A column's min or max: a number Excel holds exactly, or a date Excel can show (checked against the type later)."""

    def check(self, value, at: tuple, sink):
        if isinstance(value, (bool, dt.datetime)) or not isinstance(value, (int, float, dt.date)):
            return sink.error(at, f"“{value}”无效，应为数字或日期（YYYY-MM-DD）", "invalid_value")
        if isinstance(value, dt.date):
            if FIRST_DAY <= value:
                return value
            return sink.error(at, f"“{value}”无效：Excel 的日期从 {FIRST_DAY.isoformat()} 开始", "invalid_value")
        if math.isfinite(value) and abs(value) <= MAX_BOUND:
            return value
        return sink.error(at, f"“{value}”无效：应为不超过 15 位的数字（Excel 只能精确比较 15 位）", "invalid_value")


COLUMN = Either(Text(required=True, max_length=100), Fields({
    "name": Text(required=True, max_length=100),
    "key": Text(max_length=64, pattern=KEY_RE, hint="key 只能用英文字母、数字和下划线，且不以数字开头，如 credit_code"),
    "type": Choice(tuple(TYPES)),
    "required": Flag(),
    "aliases": LABELS,
    "choices": Items(Text(required=True, max_length=100), max_items=200),
    "min": Bound(),
    "max": Bound(),
}), "列名，或写明 name、type 等的一项（如 {name: 成立日期, key: founded, type: date}）")
SCHEMA = Fields({
    "number": Integer(),  # the annex number when the form belongs to a notice
    "title": Text(required=True, max_length=200),
    "columns": Items(COLUMN, required=True, max_items=MAX_COLUMNS, empty="至少要有一列"),
    "key": Items(Text(required=True, max_length=64), max_items=MAX_COLUMNS),  # what makes two rows the same entry
    "rows": Integer(maximum=MAX_ROWS),  # blank rows of the Word table
    "landscape": Flag(),  # the Word table on landscape pages (横排表格); more than 8 columns turn it anyway
    "above": Items(Text(required=True, max_length=2000), max_items=MAX_LINES),  # Word only: lines above the table
    "below": Items(Text(required=True, max_length=2000), max_items=MAX_LINES),  # Word only: lines below it (注：…)
    "form": Fields({"instruction": Text(required=True, max_length=2000),
                    "rows": Integer(required=True, maximum=MAX_ROWS),
                    "reply_by": Date(),
                    "authority": Text(max_length=200),  # who sends the form, when no notice names it
                    "date": Date()}),  # the date the form is sent, when no notice gives it
})


@dataclass(frozen=True)
class FormSpec:
    """Describe a fill-in form: title, typed columns, instruction line, data rows, and what keys an entry.

    columns may be given as names (the contact form's known columns, or free text); they are kept as Columns.
    key names the columns (by key) whose values make two rows the same entry; empty means the person
    columns (姓名 and 手机号码) when the form has them.
    """

    title: str
    columns: tuple[Column, ...]
    instruction: str = ""
    rows: int = 0
    key: tuple[str, ...] = ()
    number: int | None = field(default=None, compare=False)  # where the form comes from, not what it is
    reply_by: dt.date | None = field(default=None, compare=False)
    authority: str = field(default="", compare=False)
    date: dt.date | None = field(default=None, compare=False)

    def __post_init__(self):
        columns = tuple(c if isinstance(c, Column) else bare_column(c) for c in self.columns)
        object.__setattr__(self, "columns", columns)
        object.__setattr__(self, "key", tuple(self.key))

    @property
    def names(self) -> tuple[str, ...]:
        """Return the column headers in order."""
        return tuple(c.name for c in self.columns)

    @property
    def data_columns(self) -> tuple[Column, ...]:
        """Return the columns holding an entry's own values (not 序号, not the unit), in order."""
        return tuple(c for c in self.columns if c.is_data)

    @property
    def unit_column(self) -> Column | None:
        """Return the column where a unit writes its name, or None."""
        return next((c for c in self.columns if c.type == "unit"), None)

    @property
    def entry_key(self) -> tuple[str, ...]:
        """Return the keys that identify an entry: the spec's key, else 姓名 and 手机号码 when present."""
        keys = {c.key for c in self.columns if is_contact(c)}
        return self.key or (CONTACT_KEY if set(CONTACT_KEY) <= keys else ())

    @property
    def is_person_key(self) -> bool:
        """Tell whether entries are told apart by the person columns (duplicate_person) rather than a key."""
        return not self.key


CONTACT_SPEC = FormSpec(CONTACT_TITLE, tuple(KNOWN.values()))  # what a roster reads without --spec


def load_form_annex(path: Path) -> source.Source:
    """Load and check a form annex's data file (its columns, key and form block); return the Source.

    The checked columns are in src.data["columns"] as Columns.
    """
    src = source.load(path, SCHEMA)
    written = src.data.get("columns") or []
    columns = [typed_column(c) if isinstance(c, dict) else bare_column(c) for c in written
               if c and not (isinstance(c, dict) and "name" not in c)]  # a column without its name is reported
    if len(columns) == len(written):
        flawed = {i for i in range(len(written)) if src.reported(("columns", i))}  # found by the schema already
        for fault in (f for f in column_problems(columns) if f.index not in flawed):
            at = ("columns", fault.index) + ((fault.part,) if isinstance(written[fault.index], dict) else ())
            src.error(at, fault.note, fault.code)
    keys = [c.key for c in columns if c.type != "index"]
    for i, key in enumerate(src.data.get("key") or []):
        if key and key not in keys and not src.reported(("columns",)):
            src.error(("key", i), f"没有 key 为“{key}”的列（可用：{'、'.join(keys)}；序号列不能用作 key）")
    for key in repeated(src.data.get("key") or []):
        src.error(("key",), f"key 中“{key}”写了两次")
    src.data["columns"] = columns
    return src


def read_spec(path: Path, *, form: bool = False) -> FormSpec:
    """Read a form's spec from its annex data file; with form, also require the Excel form block.

    Raises InputError naming every problem at once.
    """
    src = load_form_annex(path)
    block = src.data.get("form")
    if form and block is None and "form" not in src.data:
        src.error(("form",), "缺少此项：Excel 填报表须写明 form.instruction（填表说明）和 form.rows（行数）", "missing_value")
    columns = src.data["columns"]
    if columns and not any(c.is_data and c.key != NOTE_KEY for c in columns) and not src.reported(("columns",)):
        # the roster reads no row without one (unless the column meant to be one was refused already)
        src.error(("columns",), "除序号、填报单位和备注外至少要有一列供各单位填写（否则汇总时每个单位都是空表）", "missing_value")
    block = block or {}
    day = block.get("reply_by")
    if day and block.get("instruction") and f"{day.month}月{day.day}日" not in block["instruction"]:
        src.error(("form", "instruction"), f"填表说明中应写明反馈截止日期 {chinese_date(day)}（form.reply_by）")
    src.check()
    return FormSpec(src.data["title"].replace("\n", ""), tuple(src.data["columns"]), block.get("instruction", ""),
                    block.get("rows") or 0, tuple(src.data.get("key") or ()), src.data.get("number"), day,
                    block.get("authority", ""), block.get("date"))


def load_form_spec(path: Path) -> FormSpec:
    """Read the spec of an Excel form (the form block required); raise InputError if bad."""
    return read_spec(path, form=True)
