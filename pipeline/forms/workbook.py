"""Build the Excel fill-in form of an annex table (附件2 联系人信息表): a blank copy and one per recipient unit.

Layout of every form (the consolidation stage relies on it): row 1 the title, row 2 the 填表说明
(personalised copies put 填报单位：<单位名称> on its first line), row 3 the column header (exactly the
columns' names; a required column's in red), then the data rows. Each column's type gives its width,
alignment, number format and data-validation rule; list choices too long to write inline go into a
hidden sheet 选项. The sheet is protected without a password: a clerk can type only in the data cells
(序号 stays locked) and can still resize columns and rows; 审阅 → 撤销工作表保护 lifts it.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from openpyxl import Workbook
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.page import PageMargins

from ..core.errors import PipelineError
from ..core.gbt9704 import FONT_HEITI, FONT_SONGTI
from ..core.recipients import Recipient
from ..core.text import display_columns
from .columns import CODE_LIKE, Column
from .spec import FormSpec
from .validation import list_formula, rule

TITLE_ROW, INSTRUCTION_ROW, HEADER_ROW, FIRST_DATA_ROW = 1, 2, 3, 4
# Column widths in Excel units (about one Latin digit; a Chinese character takes about two).
COLUMN_WIDTHS = {"序号": 6, "工作单位": 34, "姓名": 11, "性别": 7, "职务/级别": 18, "办公电话": 17, "手机号码": 15, "备注": 18}
TYPE_WIDTHS = {"index": 6, "unit": 34, "person": 11, "gender": 7, "mobile": 15, "landline": 17, "phone": 17,
               "email": 24, "id_card": 22, "credit_code": 22, "date": 13, "integer": 10, "decimal": 12}
CENTRED_TYPES = {"index", "person", "gender", "mobile", "landline", "phone", "date", "integer", "decimal", "id_card",
                 "credit_code"}
NUMBER_FORMATS = {"date": "yyyy-mm-dd", "integer": "0", "decimal": "General"}  # every other type is text (@)
MAX_CHOICE_WIDTH = 30
OPTIONS_SHEET = "选项"  # the hidden sheet holding list choices too long for an inline rule
PORTRAIT_WIDTH = 92  # widest table (in width units) that fits A4 portrait between the margins
ROW_HEIGHTS = {"title": 32, "instruction_line": 16, "header": 28, "data": 22}  # points
MARGINS_IN = {"left": 0.6, "right": 0.6, "top": 0.75, "bottom": 0.75, "header": 0.3, "footer": 0.3}
SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")

THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TITLE_FONT = Font(name=FONT_HEITI, size=16, bold=True)
HEADER_FONT = Font(name=FONT_SONGTI, size=11, bold=True)
REQUIRED_FONT = Font(name=FONT_SONGTI, size=11, bold=True, color="C00000")  # a required column's header
BODY_FONT = Font(name=FONT_SONGTI, size=11)
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
UNLOCKED = Protection(locked=False)


# Names -----------------------------------------------------------------------------
def sheet_name(title: str) -> str:
    """Return an Excel-safe sheet name for a title: no []:*?/\\, at most 31 characters."""
    name = SHEET_NAME_BAD.sub("", title).strip().strip("'")[:31].strip()
    return name or "填报表"


# Building the sheet ----------------------------------------------------------------
def column_width(column: Column) -> float:
    """Return the width of a column: a contact column's from COLUMN_WIDTHS, else by its type and header text.

    A choice column is wide enough for its longest choice (up to MAX_CHOICE_WIDTH).
    """
    if column.name in COLUMN_WIDTHS:
        return COLUMN_WIDTHS[column.name]
    header = max(10, display_columns(column.name) + 4)
    if column.type == "choice":
        return max(header, min(MAX_CHOICE_WIDTH, max((display_columns(c) for c in column.choices), default=0) + 4))
    return max(header, TYPE_WIDTHS.get(column.type, 0))


def table_width(spec: FormSpec) -> float:
    """Return the total width of the form's columns."""
    return sum(column_width(c) for c in spec.columns)


def number_format(column: Column) -> str:
    """Return a column's data cells' number format: a date, integer or decimal format, else text (@).

    Text keeps what a clerk types as typed: leading zeros, 18-digit codes (CODE_LIKE), 1-2 not a date.
    """
    return "@" if column.type in CODE_LIKE else NUMBER_FORMATS.get(column.type, "@")


def form_workbook(spec: FormSpec, unit: Recipient | None = None) -> Workbook:
    """Build the fill-in workbook (personalised for a unit when one is given)."""
    check_spec(spec, personalised=unit is not None)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_name(spec.title)
    _title(sheet, spec)
    _instruction(sheet, spec, unit)
    _header(sheet, spec)
    _data_rows(sheet, spec)
    for index, column in enumerate(spec.columns, start=1):
        _validate(workbook, sheet, spec, index, column)
    _page(sheet, spec)
    _protect(sheet)
    if unit is not None:
        _personalise(workbook, sheet, spec, unit)
    return workbook


def check_spec(spec: FormSpec, personalised: bool = False) -> None:
    """Refuse a form that cannot be built: no column or no row.

    Any form can be personalised: without a unit column the unit is named only above the table (and in
    the recipient_id property), so personalised asks for nothing more.
    """
    if not spec.columns or spec.rows < 1:
        raise PipelineError("表格至少要有一列、一行")


def _text(cell, text: str) -> None:
    """Put text in a cell as a string even when it starts with '=' (never a formula)."""
    cell.value = text
    cell.data_type = "s"


def _merged_line(sheet, spec: FormSpec, row: int, text: str):
    last = get_column_letter(len(spec.columns))
    sheet.merge_cells(f"A{row}:{last}{row}")
    cell = sheet.cell(row, 1)
    _text(cell, text)
    return cell


def _title(sheet, spec: FormSpec) -> None:
    cell = _merged_line(sheet, spec, TITLE_ROW, spec.title)
    cell.font = TITLE_FONT
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.row_dimensions[TITLE_ROW].height = ROW_HEIGHTS["title"]


def instruction_lines(spec: FormSpec, unit: Recipient | None) -> list[str]:
    """Return the lines of the 填表说明 cell: 填报单位：<单位名称> first in a personalised copy, then the instruction."""
    return ([f"填报单位：{unit.name}"] if unit else []) + [spec.instruction]


def instruction_height(spec: FormSpec, unit: Recipient | None) -> float:
    """Return the height (points) of the 填表说明 row: one line per wrapped line of its text, plus a margin."""
    width = table_width(spec)
    wrapped = sum(_wrapped_lines(line, width) for line in instruction_lines(spec, unit))
    return ROW_HEIGHTS["instruction_line"] * wrapped + 6


@lru_cache(maxsize=64)
def _wrapped_lines(line: str, width: float) -> int:
    """Return how many lines a line of text wraps into in a cell width units wide (cached: the instruction repeats)."""
    return math.ceil(display_columns(line) * 1.1 / width) or 1


def _instruction(sheet, spec: FormSpec, unit: Recipient | None) -> None:
    cell = _merged_line(sheet, spec, INSTRUCTION_ROW, "\n".join(instruction_lines(spec, unit)))
    cell.font = BODY_FONT
    cell.alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
    sheet.row_dimensions[INSTRUCTION_ROW].height = instruction_height(spec, unit)


def _header(sheet, spec: FormSpec) -> None:
    for index, column in enumerate(spec.columns, start=1):
        cell = sheet.cell(HEADER_ROW, index)
        _text(cell, column.name)  # exactly the name: the roster finds the columns by it
        cell.font = REQUIRED_FONT if column.required else HEADER_FONT
        cell.fill, cell.border = HEADER_FILL, BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(index)].width = column_width(column)
    sheet.row_dimensions[HEADER_ROW].height = ROW_HEIGHTS["header"]


def data_range(spec: FormSpec, index: int) -> str:
    """Return the data cells of the index-th column (1-based), such as 'D4:D23'."""
    letter = get_column_letter(index)
    return f"{letter}{FIRST_DATA_ROW}:{letter}{FIRST_DATA_ROW + spec.rows - 1}"


def _data_rows(sheet, spec: FormSpec) -> None:
    for n in range(1, spec.rows + 1):
        row = FIRST_DATA_ROW + n - 1
        for index, column in enumerate(spec.columns, start=1):
            cell = sheet.cell(row, index)
            _data_cell(cell, column)
            if column.type == "index":
                cell.value = n
        sheet.row_dimensions[row].height = ROW_HEIGHTS["data"]


def _data_cell(cell, column: Column) -> None:
    """Style one data cell by its column's type: number format, alignment, border; unlocked unless 序号."""
    cell.number_format = number_format(column)
    cell.font, cell.border = BODY_FONT, BORDER
    centred = column.type in CENTRED_TYPES
    cell.alignment = Alignment(horizontal="center" if centred else "left", vertical="center", wrap_text=not centred,
                               indent=0 if centred else 1)
    cell.protection = Protection(locked=True) if column.type == "index" else UNLOCKED


def _validate(workbook, sheet, spec: FormSpec, index: int, column: Column) -> None:
    """Attach the rule of a column's type, if it has one, to its data cells."""
    long_list = bool(column.options) and list_formula(column.options) is None
    source = _options_range(workbook, column.options) if long_list else ""
    found = rule(column, f"{get_column_letter(index)}{FIRST_DATA_ROW}", source)
    if found is None:
        return
    found.add(data_range(spec, index))
    sheet.add_data_validation(found)


def _options_range(workbook, options: tuple[str, ...]) -> str:
    """Write a list's choices into the next column of the hidden 选项 sheet; return their range."""
    sheet = next((s for s in workbook.worksheets[1:] if s.sheet_state == "hidden"), None)
    if sheet is None:
        taken = set(workbook.sheetnames)
        sheet = workbook.create_sheet(OPTIONS_SHEET if OPTIONS_SHEET not in taken else f"{OPTIONS_SHEET}（下拉列表）")
        sheet.sheet_state = "hidden"
        sheet.protection.sheet = True
    index = 1 if sheet.max_row == 1 and sheet["A1"].value is None else sheet.max_column + 1
    for row, option in enumerate(options, start=1):
        _text(sheet.cell(row, index), option)
    letter = get_column_letter(index)
    return f"{quote_sheetname(sheet.title)}!${letter}$1:${letter}${len(options)}"


# Page, protection, personalisation ---------------------------------------------------
def _page(sheet, spec: FormSpec) -> None:
    """Freeze below the header and print on A4, fitted to the width, repeating the header."""
    sheet.freeze_panes = f"A{FIRST_DATA_ROW}"
    setup = sheet.page_setup
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.orientation = "landscape" if table_width(spec) > PORTRAIT_WIDTH else "portrait"
    setup.fitToWidth, setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.print_area = f"A1:{get_column_letter(len(spec.columns))}{FIRST_DATA_ROW + spec.rows - 1}"
    sheet.page_margins = PageMargins(**MARGINS_IN)
    sheet.print_options.horizontalCentered = True
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"


def _protect(sheet) -> None:
    """Lock the sheet without a password; leave column and row formatting allowed."""
    protection = sheet.protection
    protection.sheet = True
    protection.formatColumns = protection.formatRows = False


def _personalise(workbook, sheet, spec: FormSpec, unit: Recipient) -> None:
    """Prefill the unit in the first data row of its column (when the form has one); tag the workbook with its id."""
    if spec.unit_column is not None:
        _text(sheet.cell(FIRST_DATA_ROW, spec.columns.index(spec.unit_column) + 1), unit.name)
    workbook.custom_doc_props.append(StringProperty(name="recipient_id", value=unit.id))
