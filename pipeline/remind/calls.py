"""Build the call list for the clerk who phones: every unit not ok, what is missing or wrong, whom to call.

One row per unit whose status is missing or errors, the missing units first, each group in the
recipients' order: 单位, 类别, 状态 (未报/有问题), 情况 (one sentence), 联系人, 电话. Written as .xlsx
(text cells, header frozen and filtered, printable) and as CSV (UTF-8 with BOM, formula-like text
neutralised like roster.csv).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from ..core.gbt9704 import FONT_SONGTI
from ..core.problems import Problem
from ..core.text import display_columns
from ..roster.report import ERRORS, MISSING
from ..roster.writers import neutralise
from ..xlsx.writer import stamp_workbook, workbook_bytes
from ..roster.readback import Unit

HEADER = ("单位", "类别", "状态", "情况", "联系人", "电话")
STATUS_LABELS = {MISSING: "未报", ERRORS: "有问题"}
SHEET_TITLE = "催报电话清单"
WIDTHS = {"情况": 60}
MAX_WIDTH = 40
LINE_HEIGHT = 15  # points: one wrapped line
THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FONT = Font(name=FONT_SONGTI, size=11, bold=True)
BODY_FONT = Font(name=FONT_SONGTI, size=11)
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")


def call_rows(units: list[Unit], issues: dict[str, list[Problem]], contacts: dict[str, tuple[str, str]],
              form_title: str) -> list[list[str]]:
    """Return the call list's rows: missing units first, then units with errors, each in the given order."""
    ordered = [u for u in units if u.status == MISSING] + [u for u in units if u.status == ERRORS]
    rows = []
    for unit in ordered:
        person, phone = contacts.get(unit.id, ("", ""))
        rows.append([unit.name, unit.category, STATUS_LABELS[unit.status],
                     situation(unit, issues.get(unit.id, []), form_title), person, phone])
    return rows


def situation(unit: Unit, issues: list[Problem], form_title: str) -> str:
    """Return one Chinese sentence: what the unit has not sent, or what is wrong with what it sent."""
    if unit.status == MISSING:
        return f"未报送{form_title}。"
    errors = [i for i in issues if i.is_error]
    if not errors:
        return "报送的文件有错误，请核实后重新报送。"
    parts, last_file = [], None
    for issue in errors:
        where = f"文件“{issue.shown_path}”" if issue.shown_path != last_file else ""
        last_file = issue.shown_path
        row = f"第 {issue.row} 行" if issue.row is not None else ""
        parts.append(f"{where}{row}{'：' if row else ''}{issue.short.rstrip('。')}")
    count = f"有 {len(errors)} 处错误：" if len(errors) > 1 else ""
    return f"报送的{form_title}{count or '有错误：'}{'；'.join(parts)}。"


def call_list_csv(rows: list[list[str]]) -> bytes:
    """Return the call list as CSV: UTF-8 with BOM, CRLF lines, formula-like text neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows([neutralise(value) for value in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def call_list_xlsx(rows: list[list[str]], author: str, day: dt.date) -> bytes:
    """Return the call list as .xlsx: text cells, a bold frozen and filtered header, fitted widths, A4 landscape."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    for index, name in enumerate(HEADER, start=1):
        cell = sheet.cell(1, index, name)
        cell.font, cell.fill, cell.border = HEADER_FONT, HEADER_FILL, BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center")
    for r, row in enumerate(rows, start=2):
        lines = max(math.ceil(display_columns(v) * 1.1 / WIDTHS.get(n, MAX_WIDTH)) for n, v in zip(HEADER, row))
        sheet.row_dimensions[r].height = LINE_HEIGHT * max(1, lines) + 4
        for index, value in enumerate(row, start=1):
            cell = sheet.cell(r, index, value or None)
            if value:
                cell.data_type = "s"  # text, never a formula
            cell.font, cell.border = BODY_FONT, BORDER
            cell.alignment = Alignment(vertical="center", wrap_text=True)
    for index, name in enumerate(HEADER, start=1):
        longest = max([display_columns(name)] + [display_columns(row[index - 1]) for row in rows])
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS.get(name, min(MAX_WIDTH, longest + 4))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(HEADER))}{len(rows) + 1}"
    sheet.page_setup.paperSize, sheet.page_setup.orientation = sheet.PAPERSIZE_A4, "landscape"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    stamp_workbook(workbook, SHEET_TITLE, author, day)
    return workbook_bytes(workbook, day)

