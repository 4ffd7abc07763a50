"""Build the Excel fill-in form of an annex table (附件2 联系人信息表): a blank copy and one per recipient unit.

Layout of every form (the consolidation stage relies on it): row 1 the title, row 2 the 填表说明
(personalised copies put 填报单位：<单位名称> on its first line), row 3 the column header, then the
data rows. The sheet is protected without a password: a clerk can type only in the data cells
(序号 stays locked) and can still resize columns and rows; 审阅 → 撤销工作表保护 lifts it.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.page import PageMargins
from openpyxl.writer.excel import ExcelWriter

from . import layout as L
from . import source
from .blocks import chinese_date
from .errors import PipelineError
from .output import atomic_write, normalize_zip, record, safe_file_part, zip_time
from .recipients import Recipient

TITLE_ROW, INSTRUCTION_ROW, HEADER_ROW, FIRST_DATA_ROW = 1, 2, 3, 4
FORM_STEM = "附件2 联系人信息表"
BLANK_ROLE, FORM_ROLE = "annex2_form", "form"
NUMBER_COLUMN, UNIT_COLUMN = "序号", "工作单位"
MAX_ROWS = 500
COLUMN_WIDTHS = L.FORM_COLUMN_WIDTHS
CENTERED_COLUMNS = {"序号", "姓名", "性别", "办公电话", "手机号码"}
PORTRAIT_WIDTH = L.FORM_PORTRAIT_WIDTH
SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")

THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TITLE_FONT = Font(name=L.FORM_TITLE_FONT[0], size=L.FORM_TITLE_FONT[1], bold=True)
HEADER_FONT = Font(name=L.FORM_BODY_FONT[0], size=L.FORM_BODY_FONT[1], bold=True)
BODY_FONT = Font(name=L.FORM_BODY_FONT[0], size=L.FORM_BODY_FONT[1])
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
UNLOCKED = Protection(locked=False)


@dataclass(frozen=True)
class FormSpec:
    """Describe a fill-in form: its title, column names, instruction line and number of data rows."""

    title: str
    columns: tuple[str, ...]
    instruction: str
    rows: int

    def __post_init__(self):
        object.__setattr__(self, "columns", tuple(self.columns))


# Loading the form description ------------------------------------------------------
def load_form_spec(path: Path) -> FormSpec:
    """Read a form's title, columns and form.{instruction,rows} from an annex YAML file; raise InputError if bad."""
    src = source.load(path)
    spec = FormSpec(
        title=src.text("title").replace("\n", ""),
        columns=_columns(src),
        instruction=src.text("form", "instruction"),
        rows=_row_count(src),
    )
    _check_reply_date(src, spec.instruction)
    src.check()
    return spec


def _columns(src: source.Source) -> tuple[str, ...]:
    columns = [src.text("columns", i) for i in range(len(src.items("columns", required=True)))]
    for i, name in enumerate(columns):
        if name and name in columns[:i]:
            src.error(("columns", i), f"列名“{name}”重复")
    if not columns and src.raw(("columns",)) == []:
        src.error(("columns",), "至少要有一列")
    return tuple(columns)


def _row_count(src: source.Source) -> int:
    value = src.raw(("form", "rows"))
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ROWS:
        return value
    shown = "缺少此项" if value is None else f"“{value}”无效"
    src.error(("form", "rows"), f"{shown}：应为填写行数，1～{MAX_ROWS} 的整数，如 20")
    return 0


def _check_reply_date(src: source.Source, instruction: str) -> None:
    day = src.date("form", "reply_by", required=False)
    if day and instruction and f"{day.month}月{day.day}日" not in instruction:
        src.error(("form", "instruction"), f"填表说明中应写明反馈截止日期 {chinese_date(day)}（form.reply_by）")


# Names -----------------------------------------------------------------------------
def sheet_name(title: str) -> str:
    """Return an Excel-safe sheet name for a title: no []:*?/\\, at most 31 characters."""
    name = SHEET_NAME_BAD.sub("", title).strip().strip("'")[:31].strip()
    return name or "填报表"


def form_file_name(unit: Recipient, stem: str = FORM_STEM) -> str:
    """Return the personalised form's file name, such as '附件2 联系人信息表-北京市知识产权局.xlsx'."""
    return f"{safe_file_part(stem)}-{safe_file_part(unit.name)}.xlsx"


def _file_names(units: list[Recipient], stem: str) -> list[str]:
    """Return one distinct file name per unit (the id is added when two names clash)."""
    names = [form_file_name(u, stem) for u in units]
    return [n if names.count(n) == 1 else n.replace(".xlsx", f"（{u.id}）.xlsx") for n, u in zip(names, units)]


# Building the sheet ----------------------------------------------------------------
def text_width(text: str) -> int:
    """Return the display width of text in Excel width units (a Chinese character counts two)."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def column_width(name: str) -> float:
    """Return the width of a column, from COLUMN_WIDTHS or from its header text."""
    return COLUMN_WIDTHS.get(name, max(10, text_width(name) + 4))


def table_width(spec: FormSpec) -> float:
    """Return the total width of the form's columns."""
    return sum(column_width(c) for c in spec.columns)


def form_workbook(spec: FormSpec, unit: Recipient | None = None) -> Workbook:
    """Build the fill-in workbook (personalised for a unit when one is given)."""
    _check_spec(spec, unit)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_name(spec.title)
    _title(sheet, spec)
    _instruction(sheet, spec, unit)
    _header(sheet, spec)
    _data_rows(sheet, spec)
    for index, name in enumerate(spec.columns, start=1):
        _validate(sheet, spec, index, name)
    _page(sheet, spec)
    _protect(sheet)
    if unit is not None:
        _personalise(workbook, sheet, spec, unit)
    return workbook


def _check_spec(spec: FormSpec, unit: Recipient | None) -> None:
    if not spec.columns or spec.rows < 1:
        raise PipelineError("表格至少要有一列、一行")
    if unit is not None and UNIT_COLUMN not in spec.columns:
        raise PipelineError(f"表格中没有“{UNIT_COLUMN}”列，无法为各单位预填单位名称")


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
    sheet.row_dimensions[TITLE_ROW].height = L.FORM_ROW_HEIGHTS["title"]


def _instruction(sheet, spec: FormSpec, unit: Recipient | None) -> None:
    lines = ([f"填报单位：{unit.name}"] if unit else []) + [spec.instruction]
    cell = _merged_line(sheet, spec, INSTRUCTION_ROW, "\n".join(lines))
    cell.font = BODY_FONT
    cell.alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
    wrapped = sum(math.ceil(text_width(line) * 1.1 / table_width(spec)) or 1 for line in lines)
    sheet.row_dimensions[INSTRUCTION_ROW].height = L.FORM_ROW_HEIGHTS["instruction_line"] * wrapped + 6


def _header(sheet, spec: FormSpec) -> None:
    for index, name in enumerate(spec.columns, start=1):
        cell = sheet.cell(HEADER_ROW, index)
        _text(cell, name)
        cell.font, cell.fill, cell.border = HEADER_FONT, HEADER_FILL, BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(index)].width = column_width(name)
    sheet.row_dimensions[HEADER_ROW].height = L.FORM_ROW_HEIGHTS["header"]


def data_range(spec: FormSpec, index: int) -> str:
    """Return the data cells of the index-th column (1-based), such as 'D4:D23'."""
    letter = get_column_letter(index)
    return f"{letter}{FIRST_DATA_ROW}:{letter}{FIRST_DATA_ROW + spec.rows - 1}"


def _data_rows(sheet, spec: FormSpec) -> None:
    for n in range(1, spec.rows + 1):
        row = FIRST_DATA_ROW + n - 1
        for index, name in enumerate(spec.columns, start=1):
            _data_cell(sheet.cell(row, index), name)
        if NUMBER_COLUMN in spec.columns:
            sheet.cell(row, spec.columns.index(NUMBER_COLUMN) + 1).value = n
        sheet.row_dimensions[row].height = L.FORM_ROW_HEIGHTS["data"]


def _data_cell(cell, name: str) -> None:
    """Style one data cell: text format, border, and unlocked unless it is the 序号 column."""
    cell.number_format = "@"
    cell.font, cell.border = BODY_FONT, BORDER
    centred = name in CENTERED_COLUMNS
    cell.alignment = Alignment(horizontal="center" if centred else "left", vertical="center", wrap_text=not centred,
                               indent=0 if centred else 1)
    cell.protection = Protection(locked=True) if name == NUMBER_COLUMN else UNLOCKED


# Data validation -------------------------------------------------------------------
def gender_rule(ref: str) -> DataValidation:
    """Return the 性别 rule: a drop-down list of 男 and 女."""
    return _rule("list", '"男,女"', "性别", "请从下拉列表中选择“男”或“女”。",
                 "性别填写有误", "性别只能填“男”或“女”，请从下拉列表中选择。")


def mobile_rule(ref: str) -> DataValidation:
    """Return the 手机号码 rule: 11 digits starting with 1 (works on text and on numbers)."""
    formula = f'AND(LEN({ref})=11,LEFT({ref},1)="1",TEXT(--{ref},"00000000000")={ref}&"")'
    return _rule("custom", formula, "手机号码", "请填写 11 位手机号码，只写数字，不加空格、横线或 +86，如 13912345678。",
                 "手机号码格式不对", "手机号码应为以 1 开头的 11 位数字，不含空格、横线或 +86，请重新输入。")


def phone_rule(ref: str) -> DataValidation:
    """Return the 办公电话 rule: digits with one hyphen (区号-号码), 7 to 16 characters.

    16 keeps every number within the 15 significant digits Excel can compare exactly.
    """
    digits = f'SUBSTITUTE({ref},"-","")'
    formula = (f'AND(LEN({ref})>=7,LEN({ref})<=16,LEN({ref})-LEN({digits})=1,LEFT({ref},1)<>"-",'
               f'RIGHT({ref},1)<>"-",TEXT(--{digits},REPT("0",LEN({digits})))={digits})')
    return _rule("custom", formula, "办公电话", "请按“区号-号码”填写，用一个半角连字符“-”，如 010-62083702；只含数字和“-”，共 7～16 位。",
                 "办公电话格式不对", "办公电话应为“区号-号码”，如 010-62083702：只含数字和一个半角“-”，共 7～16 位，请重新输入。")


RULES = {"性别": gender_rule, "手机号码": mobile_rule, "办公电话": phone_rule}


def _rule(kind: str, formula: str, title: str, prompt: str, error_title: str, error: str) -> DataValidation:
    return DataValidation(type=kind, formula1=formula, allow_blank=True, showInputMessage=True, showErrorMessage=True,
                          promptTitle=title, prompt=prompt, errorTitle=error_title, error=error, errorStyle="stop")


def _validate(sheet, spec: FormSpec, index: int, name: str) -> None:
    """Attach the rule for a column, if it has one, to its data cells."""
    if name not in RULES:
        return
    rule = RULES[name](f"{get_column_letter(index)}{FIRST_DATA_ROW}")
    rule.add(data_range(spec, index))
    sheet.add_data_validation(rule)


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
    sheet.page_margins = PageMargins(**L.FORM_MARGINS_IN)
    sheet.print_options.horizontalCentered = True
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"


def _protect(sheet) -> None:
    """Lock the sheet without a password; leave column and row formatting allowed."""
    protection = sheet.protection
    protection.sheet = True
    protection.formatColumns = protection.formatRows = False


def _personalise(workbook, sheet, spec: FormSpec, unit: Recipient) -> None:
    """Prefill the unit in the first data row and tag the workbook with the unit's id."""
    _text(sheet.cell(FIRST_DATA_ROW, spec.columns.index(UNIT_COLUMN) + 1), unit.name)
    workbook.custom_doc_props.append(StringProperty(name="recipient_id", value=unit.id))


# Writing ---------------------------------------------------------------------------
def stamp_workbook(workbook, title: str, authority: str, day: dt.date) -> None:
    """Fix the workbook's core properties (title, creator, dates) so a rebuild gives the same bytes."""
    props = workbook.properties
    moment = dt.datetime(day.year, day.month, day.day)
    props.title, props.creator, props.lastModifiedBy = title, authority, authority
    props.created = props.modified = moment


def write_workbook(workbook, path: Path, day: dt.date) -> Path:
    """Save a workbook atomically with zip entry times fixed to day (keeping its stamped dates)."""
    buffer = io.BytesIO()
    # Workbook.save() would stamp the current time as the modified date; the writer itself does not.
    ExcelWriter(workbook, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    return atomic_write(Path(path), normalize_zip(buffer.getvalue(), zip_time(day)))


def write_form(spec: FormSpec, path: Path, *, authority: str, day: dt.date, unit: Recipient | None = None) -> Path:
    """Build one form (blank, or personalised for unit) and write it deterministically."""
    workbook = form_workbook(spec, unit)
    stamp_workbook(workbook, spec.title + (f"（{unit.name}）" if unit else ""), authority, day)
    return write_workbook(workbook, path, day)


def build_blank_form(spec: FormSpec, path: Path, *, authority: str, day: dt.date,
                     manifest_dir: Path | None = None, role: str = BLANK_ROLE) -> Path:
    """Write the blank fill-in form to path and record it (role annex2_form) in the manifest.

    The manifest is manifest_dir/manifest.json, by default in the folder of path.
    """
    path = write_form(spec, path, authority=authority, day=day)
    record(Path(manifest_dir) if manifest_dir else path.parent, role, path)
    return path


def build_forms(recipients: list[Recipient], spec: FormSpec, out_dir: Path, *, authority: str, day: dt.date,
                manifest_dir: Path | None = None, stem: str = FORM_STEM) -> list[Path]:
    """Write one personalised form per unit into out_dir and record each (role form, with recipient_id).

    The manifest is manifest_dir/manifest.json, by default out_dir.parent (forms go to outputs/forms/).
    """
    out_dir = Path(out_dir)
    manifest_dir = Path(manifest_dir) if manifest_dir else out_dir.parent
    paths = []
    for unit, name in zip(recipients, _file_names(list(recipients), stem)):
        path = write_form(spec, out_dir / name, authority=authority, day=day, unit=unit)
        record(manifest_dir, FORM_ROLE, path, recipient_id=unit.id)
        paths.append(path)
    return paths


def build_all_forms(notice_path: Path, spec_path: Path, recipients_path: Path, out_dir: Path,
                    manifest_dir: Path) -> tuple[Path, list[Path]]:
    """Write the blank form into manifest_dir and one personalised copy per unit into out_dir.

    Names and roles follow the annex: '附件N <name in the notice's 附件说明>' and role annexN_form.
    """
    from .notice import load_notice
    from .recipients import load_recipients

    notice, spec, units = load_notice(notice_path), load_form_spec(spec_path), load_recipients(recipients_path)
    number, name = _annex_entry(notice, Path(spec_path))
    stem, stamp = f"附件{number} {name}", {"authority": notice.authority, "day": notice.date}
    blank = build_blank_form(spec, Path(manifest_dir) / f"{safe_file_part(stem)}.xlsx", manifest_dir=manifest_dir,
                             role=f"annex{number}_form", **stamp)
    return blank, build_forms(units, spec, out_dir, manifest_dir=manifest_dir, stem=stem, **stamp)


def _annex_entry(notice, spec_path: Path) -> tuple[int, str]:
    """Return the annex number and listed name of spec_path in the notice's 附件说明."""
    for number, (name, ref) in enumerate(notice.annexes, start=1):
        if ref is not None and ref.resolve() == spec_path.resolve():
            return number, name
    raise PipelineError(f"通知 {notice.source} 的附件说明中没有以 {spec_path} 为数据文件（source）的附件")
