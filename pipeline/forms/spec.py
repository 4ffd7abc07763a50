"""Describe a fill-in form (an annex table sent to every unit) and read it from the annex's data file.

The file's schema is declared here once: the Word annex of a form (notice/annexes.py) and the Excel
forms (this package) read the same file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..core import source
from ..core.schema import Date, Fields, Flag, Integer, Items, Text
from ..core.text import chinese_date

MAX_ROWS = 500  # data rows of an Excel form
MAX_COLUMNS = 64
MAX_LINES = 20  # text lines above or below the Word table
SCHEMA = Fields({
    "number": Integer(required=True),
    "title": Text(required=True, max_length=200),
    "columns": Items(Text(required=True, max_length=100), required=True, max_items=MAX_COLUMNS, empty="至少要有一列"),
    "rows": Integer(maximum=MAX_ROWS),  # blank rows of the Word table
    "landscape": Flag(),  # the Word table on landscape pages (横排表格); more than 8 columns turn it anyway
    "above": Items(Text(required=True, max_length=2000), max_items=MAX_LINES),  # Word only: lines above the table
    "below": Items(Text(required=True, max_length=2000), max_items=MAX_LINES),  # Word only: lines below it (注：…)
    "form": Fields({"instruction": Text(required=True, max_length=2000),
                    "rows": Integer(required=True, maximum=MAX_ROWS),
                    "reply_by": Date()}),
})


@dataclass(frozen=True)
class FormSpec:
    """Describe a fill-in form: its title, column names, instruction line and number of data rows."""

    title: str
    columns: tuple[str, ...]
    instruction: str
    rows: int

    def __post_init__(self):
        object.__setattr__(self, "columns", tuple(self.columns))


def load_form_annex(path: Path) -> source.Source:
    """Load and check a form annex's data file (both its Word table and its Excel form); return the Source."""
    src = source.load(path, SCHEMA)
    columns = src.data.get("columns") or []
    for i, name in enumerate(columns):
        if name and name in columns[:i]:
            src.error(("columns", i), f"列名“{name}”重复")
    return src


def load_form_spec(path: Path) -> FormSpec:
    """Read a form's title, columns and form.{instruction,rows} from an annex YAML file; raise InputError if bad."""
    src = load_form_annex(path)
    form = src.data.get("form")
    if form is None and "form" not in src.data:
        src.error(("form",), "缺少此项：Excel 填报表须写明 form.instruction（填表说明）和 form.rows（行数）", "missing_value")
    form = form or {}
    spec = FormSpec(src.data.get("title", "").replace("\n", ""), tuple(src.data.get("columns") or ()),
                    form.get("instruction", ""), form.get("rows") or 0)
    day = form.get("reply_by")
    if day and spec.instruction and f"{day.month}月{day.day}日" not in spec.instruction:
        src.error(("form", "instruction"), f"填表说明中应写明反馈截止日期 {chinese_date(day)}（form.reply_by）")
    src.check()
    return spec
