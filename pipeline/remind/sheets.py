"""Build each unit's correction sheet: its personalised form, prefilled with the rows it sent, problems marked.

The sheet is the forms stage's own workbook for the unit (same title, instruction row, header, typed
validations, protection and recipient_id property), so the roster reads the returned copy as a newer
submission of that unit. The rows are the unit's roster rows (values as consolidated); each cell with a
problem is filled and carries the problem as a comment, and a 问题 column right of the table lists each
row's problems. Problems not tied to a cell of the roster (an unreadable file, a missing header) are
written into the instruction row.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field, replace

from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from ..core.gbt9704 import FONT_SONGTI
from ..core.problems import Problem
from ..core.recipients import Recipient
from ..core.text import chinese_date, display_columns, file_name, safe_file_part
from ..forms.spec import FormSpec
from ..forms.prefill import fill_rows
from ..forms.workbook import FIRST_DATA_ROW, HEADER_ROW, form_workbook
from ..xlsx.writer import stamp_workbook, workbook_bytes
from ..roster.readback import Unit

PROBLEM_HEADER = "问题"
PROBLEM_WIDTH = 48
LINE_HEIGHT = 14  # points: one wrapped line of the 问题 column
PROBLEM_FILL = PatternFill("solid", fgColor="FFC7CE")  # the cells to correct (Excel's 差 red)
PROBLEM_FONT = Font(name=FONT_SONGTI, size=10, color="9C0006")
HEADER_FONT = Font(name=FONT_SONGTI, size=11, bold=True, color="9C0006")
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
COMMENT_AUTHOR = "回执汇总"
COMMENT_WIDTH, COMMENT_HEIGHT = 260, 90  # points: the size of a comment box
SPARE_ROWS = 5  # empty rows below the unit's own, for people it left out


@dataclass
class Marks:
    """Hold where a unit's problems go: cells (row index, column index) → problems, rows → problems, the rest."""

    cells: dict[tuple[int, int], list[Problem]] = field(default_factory=dict)
    rows: dict[int, list[Problem]] = field(default_factory=dict)
    other: list[Problem] = field(default_factory=list)


def correction_name(form_title: str, unit: Unit) -> str:
    """Return a correction sheet's file name: <form title>-<单位名称>-更正.xlsx."""
    return file_name(f"{safe_file_part(form_title)}-{unit.name}", ".xlsx", "-更正")


def locate(spec: FormSpec, rows: list[dict], issues: list[Problem]) -> Marks:
    """Place each problem: on the cell of its roster row and column, on its row, or with the file's problems."""
    at = {(r["source_file"], r["source_sheet"], r["source_row"]): n for n, r in enumerate(rows)}
    marks = Marks()
    for issue in issues:
        row = at.get((issue.shown_path, issue.sheet, str(issue.row))) if issue.row is not None else None
        if row is None:
            marks.other.append(issue)
            continue
        marks.rows.setdefault(row, []).append(issue)
        column = _column_of(spec, issue.field)
        if column is not None:
            marks.cells.setdefault((row, column), []).append(issue)
    return marks


def _column_of(spec: FormSpec, name: str) -> int | None:
    """Return the 0-based index of the column a problem names (by its name or an alias), or None."""
    return next((i for i, c in enumerate(spec.columns) if name and name in c.labels), None)


def correction_bytes(spec: FormSpec, unit: Unit, rows: list[dict], issues: list[Problem], *, authority: str,
                     reply_by: dt.date, today: dt.date) -> bytes:
    """Return the unit's correction sheet (.xlsx bytes): its form, prefilled with rows, problems marked."""
    marks = locate(spec, rows, issues)
    sheet_spec = replace(spec, instruction=_instruction(spec, marks.other, reply_by),
                         rows=max(spec.rows, len(rows) + SPARE_ROWS))
    recipient = Recipient(unit.id, unit.name, (), unit.category, 0)
    workbook = form_workbook(sheet_spec, recipient)
    sheet = workbook.active
    unit_key = spec.unit_column.key if spec.unit_column else ""
    fill_rows(sheet, sheet_spec, [{**row, unit_key: row["unit"]} if unit_key else row for row in rows])
    for (n, c), found in marks.cells.items():
        cell = sheet.cell(FIRST_DATA_ROW + n, c + 1)
        cell.fill = PROBLEM_FILL
        cell.comment = Comment("\n".join(i.short for i in found), COMMENT_AUTHOR, height=COMMENT_HEIGHT,
                               width=COMMENT_WIDTH)
    _problem_column(sheet, sheet_spec, marks)
    stamp_workbook(workbook, f"{spec.title}（{unit.name}）更正", authority, today)
    return workbook_bytes(workbook, today)


def _instruction(spec: FormSpec, other: list[Problem], reply_by: dt.date) -> str:
    """Return the sheet's instruction: what to correct and by when, the file's own problems, then the form's."""
    lines = [f"更正说明：下表已填入你单位报送的内容，标红的单元格有问题（见单元格批注和右侧“{PROBLEM_HEADER}”列），"
             f"请改正后于{chinese_date(reply_by)}前重新报送。"]
    lines += [f"报送的文件“{i.shown_path}”" + (f"第 {i.row} 行" if i.row is not None else "") + f"：{i.short}" for i in other]
    if spec.instruction:
        old = chinese_date(spec.reply_by) if spec.reply_by else ""
        lines.append(spec.instruction.replace(old, chinese_date(reply_by)) if old else spec.instruction)
    return "\n".join(lines)


def _problem_column(sheet, spec: FormSpec, marks: Marks) -> None:
    """Add the 问题 column right of the table: each row's problems (locked: the unit corrects the cells)."""
    index = len(spec.columns) + 1
    letter = get_column_letter(index)
    header = sheet.cell(HEADER_ROW, index, PROBLEM_HEADER)
    header.font, header.fill, header.border = HEADER_FONT, HEADER_FILL, BORDER
    header.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.column_dimensions[letter].width = PROBLEM_WIDTH
    for n in range(spec.rows):
        cell = sheet.cell(FIRST_DATA_ROW + n, index)
        cell.border, cell.font = BORDER, PROBLEM_FONT
        cell.alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
        found = marks.rows.get(n, [])
        if found:
            cell.value = "；".join(_row_problem(spec, i) for i in found)
            cell.data_type = "s"
            lines = math.ceil(display_columns(cell.value) * 1.1 / PROBLEM_WIDTH)
            row = sheet.row_dimensions[FIRST_DATA_ROW + n]
            row.height = max(row.height or 0, LINE_HEIGHT * lines + 6)
    sheet.print_area = f"A1:{letter}{FIRST_DATA_ROW + spec.rows - 1}"


def _row_problem(spec: FormSpec, issue: Problem) -> str:
    """Return a problem as the 问题 column lists it: the column's name, then what is wrong."""
    if issue.field and issue.field not in issue.short and _column_of(spec, issue.field) is not None:
        return f"{issue.field}：{issue.short}"
    return issue.short
