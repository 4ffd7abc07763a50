"""Test that rows written by pipeline.xlsx.rows give the very bytes openpyxl writes for the same text cells."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from pipeline.xlsx.rows import SheetRows
from pipeline.xlsx.writer import stamp_workbook, workbook_bytes

DAY = dt.date(2022, 1, 1)
TRICKY = ["", " 前后有空格 ", "a&b<c>d\"e'f", "第一行\r\n第二行", "\t制表", "#N/A", "#DIV/0!", "#REF", "=SUM(A1)", "=",
          "😀 emoji", "\u2028\u00a0\u3000全角　空格", "x" * 40_000, "普通文字", "13800000000", "-5", "0", "'引号"]


def openpyxl_rows(sheet, rows: list[list]) -> None:
    """Append rows as the roster did before SheetRows: = text as a text cell, other text as a value."""
    for row in rows:
        sheet.append([_text(sheet, v) if v.startswith("=") else v or None for v in row])


def _text(sheet, value: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value)
    cell.data_type = "s"
    return cell


def both(rows: list[list]) -> tuple[bytes, bytes]:
    """Return the .xlsx bytes written by openpyxl cell by cell, and with SheetRows."""
    made = []
    for fast in (False, True):
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("表")
        header = WriteOnlyCell(sheet, "表头")
        header.data_type = "s"
        sheet.append([header, "第二列"])
        added = SheetRows(2)
        for row in rows:
            if fast:
                added.add([v or None for v in row])
        if not fast:
            openpyxl_rows(sheet, rows)
        stamp_workbook(workbook, "表", "测试", DAY)
        made.append(workbook_bytes(workbook, DAY, {sheet: added} if fast else None))
    return made[0], made[1]


@pytest.mark.parametrize("value", TRICKY)
def test_one_tricky_value_gives_the_same_bytes(value):
    slow, fast = both([["前", value, "", "后"]])
    assert fast == slow


def test_random_rows_give_the_same_bytes():
    rng = random.Random(12)
    rows = [[rng.choice(TRICKY[:-6] + [f"{rng.random()}", "单位", ""]) for _ in range(rng.randrange(0, 30))]
            for _ in range(300)]
    slow, fast = both(rows)
    assert fast == slow


def test_no_rows_leave_the_sheet_as_openpyxl_wrote_it():
    slow, fast = both([])
    assert fast == slow
