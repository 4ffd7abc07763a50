"""Write the consolidation's outputs: roster.csv, roster.xlsx and report.json (text only, never formulas)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill

from ..core.recipients import Recipient
from ..forms.spec import CONTACT_SPEC, FormSpec
from ..core.text import display_columns, strip_controls
from ..xlsx.rows import SheetRows
from ..xlsx.writer import stamp_workbook, workbook_bytes
from .header import letter
from .records import FILE_STATUS_LABELS
from .report import MISSING, Report
from .cleaning import text

HEAD, TAIL = ("unit_id", "unit"), ("source_file", "source_sheet", "source_row")
HEAD_LABELS, TAIL_LABELS = ("单位编号", "单位"), ("来源文件", "来源工作表", "来源行")
OUTPUTS = {"roster_csv": "roster.csv", "roster_xlsx": "roster.xlsx", "roster_report": "report.json",
           "roster_status": "status.pdf"}
MATCH_LABELS = {"property": "文件属性 recipient_id", "line": "填报单位", "column": "工作单位列", "title": "表格标题",
                "file_name": "文件名", "": ""}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"-\d+(?:\.\d+)?")  # a negative number is data, not a formula
STAMP_DAY = dt.date(2022, 1, 1)  # fixed core-property and zip-entry date: equal inputs give equal bytes
AUTHOR = "回执汇总"
MAX_WIDTH = 60  # Excel width units
MAX_CELL = 32_767  # characters an Excel cell holds
CUT = "……（过长，已截断；全文见 roster.csv）"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")


def neutralise(value) -> str:
    """Return a cell's text, without control or bidi characters, with a leading ' when a spreadsheet would run
    it as a formula."""
    value = strip_controls(str(value))[0]
    return "'" + value if value.startswith(FORMULA_START) and not NUMBER.fullmatch(value) else value


def roster_columns(spec: FormSpec) -> tuple[str, ...]:
    """Return roster.csv's header: unit_id, unit, each data column's key, source_file, source_sheet, source_row."""
    return HEAD + tuple(c.key for c in spec.data_columns) + TAIL


def roster_labels(spec: FormSpec) -> tuple[str, ...]:
    """Return roster.xlsx's header: the same columns by their Chinese names."""
    return HEAD_LABELS + tuple(c.name for c in spec.data_columns) + TAIL_LABELS


ROSTER_COLUMNS = roster_columns(CONTACT_SPEC)  # the contact form's roster.csv header, which tools rely on


def roster_csv(rows: list[dict], spec: FormSpec = CONTACT_SPEC) -> bytes:
    """Return roster.csv: UTF-8 with BOM, the English header (keys), formula-like text neutralised."""
    columns = roster_columns(spec)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(neutralise(column) for column in columns)  # a bare column name is its key: =合计 too
    writer.writerows([neutralise(row[c]) for c in columns] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def report_json(report: Report) -> bytes:
    """Return report.json as indented UTF-8 (Chinese kept readable)."""
    return (json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def roster_xlsx(report: Report, units: list[Recipient], spec: FormSpec = CONTACT_SPEC) -> bytes:
    """Return roster.xlsx (汇总, 问题, 未报单位, 文件): text cells only, header frozen and filtered."""
    names, columns = {u.id: u.name for u in units}, roster_columns(spec)
    sheets = {
        "汇总": (roster_labels(spec), [[row[c] for c in columns] for row in report.rows]),
        "问题": (("文件", "工作表", "行", "列", "列名", "代码", "级别", "说明"),
               [[p.shown_path, p.sheet, p.row, p.column, p.field, p.code, "错误" if p.is_error else "警告", p.message]
                for p in report.problems]),
        "未报单位": (("单位编号", "单位名称", "类别"), [[u.id, u.name, u.category] for u in report.units if u.status == MISSING]),
        "文件": (("文件", "处理结果", "单位编号", "单位名称", "人数", "对应依据"),
               [[f.shown_path, FILE_STATUS_LABELS[f.status], f.unit_id, names.get(f.unit_id), f.people,
                 MATCH_LABELS[f.matched_by]] for f in report.files]),
    }
    workbook = Workbook(write_only=True)
    rows = {}
    for title, (header, values) in sheets.items():
        sheet, rows[sheet] = _sheet(workbook, title, header, values)
    stamp_workbook(workbook, f"{spec.title}汇总", AUTHOR, STAMP_DAY)
    return workbook_bytes(workbook, STAMP_DAY, rows)


def _sheet(workbook: Workbook, title: str, header: tuple[str, ...], rows: list[list]) -> tuple[object, SheetRows]:
    """Add a write-only sheet with a bold frozen header, an autofilter and fitted widths; return it and its
    rows of text cells (a value starting with = stays text, never a formula)."""
    sheet = workbook.create_sheet(title)
    texts = [[_clean_text(value) for value in row] for row in rows]
    for index, width in enumerate(_widths(header, texts)):
        sheet.column_dimensions[letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{letter(len(header) - 1)}{len(texts) + 1}"
    sheet.append([_header_cell(sheet, name) for name in header])
    added = SheetRows(2)
    for row in texts:
        added.add([value or None for value in row])
    return sheet, added


def _clean_text(value) -> str:
    """Return a value as text an Excel cell can hold: control and bidi characters dropped, at most
    MAX_CELL characters (a longer text is cut, and says so)."""
    cleaned = strip_controls(value)[0] if isinstance(value, str) else text(value)
    return cleaned if len(cleaned) <= MAX_CELL else cleaned[:MAX_CELL - len(CUT)] + CUT


def _header_cell(sheet, value: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value)
    cell.data_type = "s"
    cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    cell.alignment = Alignment(horizontal="center", vertical="center")
    return cell


def _widths(header: tuple[str, ...], rows: list[list[str]]) -> list[float]:
    """Return each column's width: its longest text plus a margin, at most MAX_WIDTH."""
    widths = [display_columns(name) + 4 for name in header]
    for column in range(len(header)):
        longest = max(map(display_columns, {row[column] for row in rows}), default=0)  # each text measured once
        widths[column] = max(widths[column], longest + 2)
    return [min(w, MAX_WIDTH) for w in widths]
