"""Describe every problem found in an input as a record with a stable code and a Chinese message.

A problem is never raised where it is found: data-file loaders collect them and raise them together
(InputError), and the roster keeps one per finding and goes on. The code is stable (other tools filter
on it); the message is the Chinese sentence a clerk reads, naming the file, sheet, row and column. The
location is also kept as fields, so tests and tools never parse the message.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

ERROR, WARNING = "error", "warning"
WORD_TABLE = re.compile(r"表格\d+")  # how the roster names the tables of a Word document
SEVERITY_LABELS = {ERROR: "错误", WARNING: "警告"}

# Problems in a data file (YAML or CSV) a stage reads: {place} is 文件：第 N 行，字段 F.
DATA_TEMPLATES: dict[str, tuple[str, str, str]] = {
    "unreadable_data_file": (ERROR, "数据文件无法读取", "{place}：{note}"),
    "yaml_syntax": (ERROR, "YAML 格式错误", "{place}：{note}"),
    "unknown_key": (ERROR, "不认识的字段", "{place}：{note}"),
    "missing_value": (ERROR, "缺少必填项", "{place}：{note}"),
    "wrong_type": (ERROR, "类型不对", "{place}：{note}"),
    "invalid_value": (ERROR, "取值无效", "{place}：{note}"),
    "bad_character": (ERROR, "含有无法保存的字符", "{place}：{note}"),
    "too_long": (ERROR, "内容过长", "{place}：{note}"),
}
# Problems in the returned forms: {where} is 文件“a.xlsx”工作表“名单”第 5 行 G 列（手机号码）.
ROSTER_TEMPLATES: dict[str, tuple[str, str, str]] = {
    "missing_name": (ERROR, "姓名为空", "{where}：姓名为空，请补填联系人姓名"),
    "missing_mobile": (ERROR, "手机号码为空", "{where}：{name}的手机号码为空，请补填 11 位手机号码"),
    "invalid_mobile": (ERROR, "手机号码有误", "{where}：手机号码“{value}”{why}，应为以 1 开头的 11 位数字"),
    "invalid_gender": (WARNING, "性别无法识别", "{where}：性别“{value}”无法识别，应为“男”或“女”"),
    "invalid_office_phone": (WARNING, "办公电话有误",
                             "{where}：办公电话“{value}”{why}，应为“区号-号码”，如 010-62083702"),
    "duplicate_person": (WARNING, "同一人出现两次",
                         "{where}：{name}（{mobile}）与文件“{other_path}”{other_where}重复（{other_unit}）"),
    "unreadable_file": (ERROR, "文件无法读取", "{where}无法读取：{note}"),
    "ignored_file": (WARNING, "已忽略的文件", "{where}已忽略：{note}"),
    "no_header": (ERROR, "找不到表头",
                  "{where}中找不到表头（应有{expected}等列），未能读取任何{entries}，请要求该单位按下发的表格填报"),
    "unmatched_file": (WARNING, "对应不到单位",
                       "{where}对应不到任何收文单位（文件属性、填报单位、工作单位列和文件名中都没有可识别的单位名称），"
                       "其中 {count} {measure}已汇总，单位编号留空"),
    "unit_mismatch": (ERROR, "文件属性与所写单位不符",
                      "{where}的文件属性 recipient_id 表明是下发给{claimed}的表，但{evidence}写的是{written}；"
                      "无法确定属于哪个单位，未计入任何单位（其中 {count} {measure}已汇总，单位编号留空），请向两个单位核实"),
    "superseded_file": (WARNING, "已被更正件取代",
                        "{where}已被{unit}较新的文件“{newer}”取代，其中的{entries}未汇总"),
    "empty_return": (ERROR, "空表", "{where}只有表头，没有填写任何{entries}"),
    "empty_newer_file": (WARNING, "较新的文件是空表",
                         "{where}只有表头，没有填写任何{entries}，故未采用；已改用{unit}较早的文件“{older}”中的{entries}汇总，"
                         "请向该单位核实是否发错了文件"),
    "future_time": (WARNING, "修改时间在未来",
                    "{where}的修改时间 {when} 晚于本次汇总的时间，不能据此判断新旧；同一单位有多个文件时按最旧处理"),
    "unit_cell_mismatch": (WARNING, "工作单位与所属单位不符",
                           "{where}：工作单位“{value}”与本文件所属单位“{unit}”不一致，已按“{unit}”汇总"),
    "extra_column": (WARNING, "多出的列", "{where}：“{field}”列不是填报表中的列，其内容{fate}"),
    "control_characters": (WARNING, "含有控制字符",
                           "{where}：含有不可见的控制字符或文字方向控制符（可能来自复制粘贴），已删除"),
}
# Problems in a typed column of a returned form (any form's spec): {where} names the cell and its column.
VALUE_TEMPLATES: dict[str, tuple[str, str, str]] = {
    "missing_value": (ERROR, "必填项为空", "{where}为空，此项必填，请补填"),
    "invalid_date": (ERROR, "日期有误", "{where}：日期“{value}”无法识别{why}，应写作 2021-03-05 或 2021年3月5日"),
    "invalid_integer": (ERROR, "整数有误", "{where}：“{value}”不是整数{why}"),
    "invalid_decimal": (ERROR, "数字有误", "{where}：“{value}”不是数字{why}，应只写数字（如 1200.5），不写单位"),
    "invalid_choice": (ERROR, "不是可选的值", "{where}：“{value}”不是可选的值{why}"),
    "invalid_email": (ERROR, "电子邮箱有误", "{where}：电子邮箱“{value}”格式不对{why}"),
    "invalid_id_card": (ERROR, "身份证号码有误", "{where}：身份证号码“{value}”{why}"),
    "invalid_credit_code": (ERROR, "统一社会信用代码有误", "{where}：统一社会信用代码“{value}”{why}"),
    "invalid_phone": (ERROR, "电话号码有误",
                      "{where}：电话号码“{value}”{why}，应为 11 位手机号码或“区号-号码”（如 010-62083702）"),
    "out_of_range": (ERROR, "超出范围", "{where}：“{value}”{why}"),
    "duplicate_row": (WARNING, "同一条目出现两次",
                      "{where}：{entry}与文件“{other_path}”{other_where}重复（{other_unit}）"),
}
TEMPLATES = {**DATA_TEMPLATES, **ROSTER_TEMPLATES}
RETURN_TEMPLATES = {**ROSTER_TEMPLATES, **VALUE_TEMPLATES}  # every problem a returned file can have
CODES = tuple(ROSTER_TEMPLATES)  # the contact form's stable catalogue other tools may filter on; tests pin it
VALUE_CODES = tuple(VALUE_TEMPLATES)  # the typed columns' codes


@dataclass(frozen=True)
class Problem:
    """Hold one finding: its code, severity and message, and where it is.

    path is the file (relative to the folder read); members the path inside the archive around it, one
    item per level (empty for a plain file); row the 1-based row of a sheet, or the line of a text file; column the column as a clerk
    sees it (G, 第3列); field what the column or key is called (手机号码, annexes[2].name); note the
    specific Chinese detail; reason the machine cause of an unreadable file (too_large, timeout, …).
    """

    code: str
    severity: str
    message: str
    path: str = ""
    members: tuple[str, ...] = ()
    sheet: str = ""
    row: int | None = None
    column: str = ""
    field: str = ""
    note: str = ""
    reason: str = ""

    def to_dict(self) -> dict:
        """Return the problem as a JSON-ready dict (the report.json shape)."""
        return asdict(self)

    @property
    def is_error(self) -> bool:
        """Tell whether the problem is error-level."""
        return self.severity == ERROR

    @property
    def shown_path(self) -> str:
        """Return the path as printed: ARCHIVE.zip!MEMBER for a member of an archive."""
        return shown(self.path, self.members)

    @property
    def short(self) -> str:
        """Return the message without its location (文件“a.csv”第 3 行 F 列（手机号码）：), or the message."""
        place = where(self.shown_path, self.sheet, self.row, self.field, self.column)
        if self.message.startswith(place):
            rest = self.message[len(place):].lstrip("：: ").removeprefix("中").removeprefix("的")
            return rest or label(self.code)
        return self.message


def shown(path: str, members: tuple[str, ...] = ()) -> str:
    """Return a path as printed: a file inside an archive is ARCHIVE.zip!MEMBER (never split back)."""
    return "!".join((path, *members))


def sheet_label(sheet: str) -> str:
    """Return how a message names a sheet: 工作表“名单”, 表格1 for a Word table, nothing for a CSV."""
    if not sheet:
        return ""
    return sheet if WORD_TABLE.fullmatch(sheet) else f"工作表“{sheet}”"


def where(path: str, sheet: str = "", row: int | None = None, field: str = "", column: str = "") -> str:
    """Return the Chinese location of a cell, such as 文件“a.xlsx”工作表“Sheet1”第 5 行 G 列（手机号码）.

    A path ending in / is a folder and is named 文件夹“河北/”.
    """
    kind = "文件夹" if path.endswith("/") else "文件"
    text = f"{kind}“{path}”" + sheet_label(sheet)
    if row is not None:
        text += f"第 {row} 行"
    if field:
        place = column if column.endswith("列") else f"{column} 列"  # G 列 in a sheet, 第3列 in a Word table
        text += f" {place}（{field}）" if column else f"“{field}”列"
    return text


def place(path: str, row: int | None = None, field: str = "") -> str:
    """Return the Chinese location of a field of a data file, such as notice.yaml：第12行，字段 copy_to."""
    text = f"{path}：" + (f"第{row}行，" if row else "") + (f"字段 {field}" if field else "")
    return text.rstrip("：，")


def make(code: str, path: str, sheet: str = "", row: int | None = None, field: str = "", column: str = "",
         *, members: tuple[str, ...] = (), note: str = "", reason: str = "", catalogue: dict | None = None,
         **values) -> Problem:
    """Build the Problem of a code at a location, filling its Chinese template (from catalogue, by default
    the data files' and the contact form's) with values."""
    severity, _, template = (catalogue or TEMPLATES)[code]
    printed = shown(path, members)
    message = template.format(where=where(printed, sheet, row, field, column), place=place(printed, row, field),
                              field=field, note=note, **values)
    return Problem(code, severity, message, path, tuple(members), sheet, row, column, field, note, reason)


def label(code: str) -> str:
    """Return the short Chinese label of a returned file's problem code, such as 手机号码有误."""
    return RETURN_TEMPLATES[code][1] if code in RETURN_TEMPLATES else code
