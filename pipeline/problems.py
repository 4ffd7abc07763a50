"""Describe the problems found in returned forms as records with stable codes and Chinese messages.

A problem is never raised: the consolidation collects one Problem per finding and goes on. The code
is stable (other tools filter on it); the message is the Chinese sentence a clerk reads, naming the
file, the sheet, the row and the column.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

ERROR, WARNING = "error", "warning"
WORD_TABLE = re.compile(r"表格\d+")  # how returns.py names the tables of a Word document
SEVERITY_LABELS = {ERROR: "错误", WARNING: "警告"}

# code -> (severity, short Chinese label, message template). The template's {where} is filled by make().
TEMPLATES: dict[str, tuple[str, str, str]] = {
    "missing_name": (ERROR, "姓名为空", "{where}：姓名为空，请补填联系人姓名"),
    "missing_mobile": (ERROR, "手机号码为空", "{where}：{name}的手机号码为空，请补填 11 位手机号码"),
    "invalid_mobile": (ERROR, "手机号码有误", "{where}：手机号码“{value}”{reason}，应为以 1 开头的 11 位数字"),
    "invalid_gender": (WARNING, "性别无法识别", "{where}：性别“{value}”无法识别，应为“男”或“女”"),
    "invalid_office_phone": (WARNING, "办公电话有误",
                             "{where}：办公电话“{value}”{reason}，应为“区号-号码”，如 010-62083702"),
    "duplicate_person": (WARNING, "同一人出现两次",
                         "{where}：{name}（{mobile}）与文件“{other_path}”{other_where}重复（{other_unit}）"),
    "unreadable_file": (ERROR, "文件无法读取", "{where}无法读取：{reason}"),
    "no_header": (ERROR, "找不到表头",
                  "{where}中找不到表头（应有“姓名”“手机号码”等列），未能读取任何联系人，请要求该单位按下发的表格填报"),
    "unmatched_file": (WARNING, "对应不到单位",
                       "{where}对应不到任何收文单位（文件属性、填报单位、工作单位列和文件名中都没有可识别的单位名称），"
                       "其中 {count} 人已汇总，单位编号留空"),
    "superseded_file": (WARNING, "已被更正件取代",
                        "{where}已被{unit}较新的文件“{newer}”取代，其中的联系人未汇总"),
    "empty_return": (ERROR, "空表", "{where}只有表头，没有填写任何联系人"),
    "empty_newer_file": (WARNING, "较新的文件是空表",
                         "{where}只有表头，没有填写任何联系人，故未采用；已改用{unit}较早的文件“{older}”中的联系人汇总，"
                         "请向该单位核实是否发错了文件"),
    "unit_mismatch": (WARNING, "工作单位与所属单位不符",
                      "{where}：工作单位“{value}”与本文件所属单位“{unit}”不一致，已按“{unit}”汇总"),
    "extra_column": (WARNING, "多出的列", "{where}：“{column}”列不是填报表中的列，其内容已并入备注"),
}
CODES = tuple(TEMPLATES)  # the stable catalogue other tools may filter on; tests pin it


@dataclass(frozen=True)
class Problem:
    """Hold one finding: where it is (file, sheet, 1-based row, column header), its code, severity and message."""

    path: str
    sheet: str
    row: int | None
    column: str
    code: str
    severity: str
    message: str

    def to_dict(self) -> dict:
        """Return the problem as a JSON-ready dict (the report.json shape)."""
        return asdict(self)

    @property
    def is_error(self) -> bool:
        """Tell whether the problem is error-level."""
        return self.severity == ERROR


def sheet_label(sheet: str) -> str:
    """Return how a message names a sheet: 工作表“名单”, 表格1 for a Word table, nothing for a CSV."""
    if not sheet:
        return ""
    return sheet if WORD_TABLE.fullmatch(sheet) else f"工作表“{sheet}”"


def where(path: str, sheet: str = "", row: int | None = None, column: str = "", letter: str = "") -> str:
    """Return the Chinese location of a cell, such as 文件“a.xlsx”工作表“Sheet1”第 5 行 G 列（手机号码）.

    A path ending in / is a folder and is named 文件夹“河北/”.
    """
    kind = "文件夹" if path.endswith("/") else "文件"  # returns.py names a folder it cannot open with a final /
    text = f"{kind}“{path}”" + sheet_label(sheet)
    if row is not None:
        text += f"第 {row} 行"
    if column:
        place = letter if letter.endswith("列") else f"{letter} 列"  # G 列 in a sheet, 第3列 in a Word table
        text += f" {place}（{column}）" if letter else f"“{column}”列"
    return text


def make(code: str, path: str, sheet: str = "", row: int | None = None, column: str = "",
         letter: str = "", **values) -> Problem:
    """Build the Problem of a code at a location, filling its Chinese template with values."""
    severity, _, template = TEMPLATES[code]
    message = template.format(where=where(path, sheet, row, column, letter), column=column, **values)
    return Problem(path, sheet, row, column, code, severity, message)


def label(code: str) -> str:
    """Return the short Chinese label of a code, such as 手机号码有误."""
    return TEMPLATES[code][1] if code in TEMPLATES else code
