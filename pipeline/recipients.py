"""Load and validate the recipients list (inputs/recipients.csv): the units a notice is addressed to."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import FieldError, InputError
from .source import decode_text

COLUMNS = {"id": "编号", "name": "单位名称", "aliases": "别名", "category": "类别"}
CATEGORIES = ("省级", "兵团", "计划单列市", "副省级城市", "其他")
ALIAS_SEPARATOR = "|"
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Recipient:
    """Hold one recipient unit: stable id, full name, short names clerks write, category, CSV row."""

    id: str
    name: str
    aliases: tuple[str, ...]
    category: str
    row: int

    @property
    def names(self) -> tuple[str, ...]:
        """Return the full name, then the aliases longest first (for matching text against units)."""
        return (self.name,) + tuple(sorted(self.aliases, key=len, reverse=True))


def column_label(column: str) -> str:
    """Return the clerk-facing label of a CSV column, such as 'name（单位名称）'."""
    return f"{column}（{COLUMNS[column]}）" if column in COLUMNS else column


class _Checker:
    """Collect the Chinese errors found in one recipients file."""

    def __init__(self, path: Path):
        self.path, self.errors = str(path), []

    def error(self, row: int | None, column: str, message: str) -> None:
        """Record a problem at a CSV row (header = row 1) and column."""
        self.errors.append(FieldError(self.path, column_label(column) if column else "", row, message))

    def check(self) -> None:
        """Raise InputError if any problem was recorded."""
        if self.errors:
            raise InputError(self.errors)


def load_recipients(path: Path) -> list[Recipient]:
    """Read and validate the recipients CSV; raise InputError naming every bad row and column."""
    checker = _Checker(path)
    rows = _rows(Path(path), checker)
    header = rows[0][1] if rows else []
    order = _header(header, checker)
    checker.check()
    recipients = [r for line, cells in rows[1:] if (r := _recipient(line, cells, order, checker))]
    if len(rows) < 2:
        checker.error(None, "", "没有任何单位：表头下至少要有一行")
    _check_unique(recipients, checker)
    checker.check()
    return recipients


def _rows(path: Path, checker: _Checker) -> list[tuple[int, list[str]]]:
    """Return the non-blank CSV records with the line each starts on."""
    text = _read(path, checker)
    reader = csv.reader(io.StringIO(text, newline=""))
    rows, start = [], 1
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                rows.append((start, [cell.strip() for cell in cells]))
            start = reader.line_num + 1
    except csv.Error:
        checker.error(reader.line_num, "", "CSV 格式错误：引号未配对，或含有不可见的控制字符")
        checker.check()
    return rows


def _read(path: Path, checker: _Checker) -> str:
    """Return the CSV's text: UTF-8 (with or without BOM), or GBK/GB18030 as Excel and WPS save it."""
    try:
        text = decode_text(path.read_bytes())
    except FileNotFoundError:
        checker.error(None, "", "文件不存在")
    except IsADirectoryError:
        checker.error(None, "", "这是一个文件夹，不是 CSV 文件")
    except OSError as exc:
        checker.error(None, "", f"无法读取（{exc.strerror or '系统错误'}）")
    else:
        if text is not None:
            return text
        checker.error(None, "", "无法识别文字编码（应为 UTF-8 或 GBK 编码的 CSV）")
    checker.check()
    return ""


def _header(header: list[str], checker: _Checker) -> dict[str, int]:
    """Check the header row against COLUMNS; return each column's position."""
    expected = ",".join(COLUMNS)
    if not header:
        checker.error(1, "", f"缺少表头，第 1 行应为：{expected}")
        return {}
    for column in [c for c in COLUMNS if c not in header]:
        checker.error(1, column, f"表头缺少此列，第 1 行应为：{expected}")
    for i, column in enumerate(header):
        if column not in COLUMNS:
            checker.error(1, column or f"第{i + 1}列", f"表头有无法识别的列“{column}”，第 1 行应为：{expected}")
        elif header.index(column) != i:
            checker.error(1, column, "表头中此列重复")
    return {column: header.index(column) for column in COLUMNS if column in header}


def _recipient(line: int, cells: list[str], order: dict[str, int], checker: _Checker) -> Recipient | None:
    """Build one Recipient from a CSV record, recording every problem in it."""
    if len(cells) > len(order):
        checker.error(line, "", f"有 {len(cells)} 列，多于表头的 {len(order)} 列（单位名称或别名中含逗号时须用英文双引号括起）")
    value = {column: cells[i] if i < len(cells) else "" for column, i in order.items()}
    before = len(checker.errors)
    _check_id(line, value["id"], checker)
    if not value["name"]:
        checker.error(line, "name", "单位名称不能为空")
    aliases = _aliases(line, value["aliases"], checker)
    _check_category(line, value["category"], checker)
    if len(checker.errors) > before:
        return None
    return Recipient(value["id"], value["name"], aliases, value["category"], line)


def _check_id(line: int, value: str, checker: _Checker) -> None:
    if not value:
        checker.error(line, "id", "编号不能为空")
    elif not ID_RE.match(value):
        checker.error(line, "id", f"编号“{value}”无效：只能用小写英文字母、数字和连字符，如 beijing、xinjiang-bingtuan")


def _aliases(line: int, text: str, checker: _Checker) -> tuple[str, ...]:
    aliases = tuple(a.strip() for a in text.split(ALIAS_SEPARATOR) if a.strip())
    for alias in {a for a in aliases if aliases.count(a) > 1}:
        checker.error(line, "aliases", f"别名“{alias}”在本行重复")
    return aliases


def _check_category(line: int, value: str, checker: _Checker) -> None:
    if value not in CATEGORIES:
        shown = f"“{value}”无效" if value else "不能为空"
        checker.error(line, "category", f"类别{shown}，只能是：{'、'.join(CATEGORIES)}")


def _check_unique(recipients: list[Recipient], checker: _Checker) -> None:
    """Report a repeated id, and any name or alias that belongs to two units."""
    ids: dict[str, Recipient] = {}
    owners: dict[str, Recipient] = {}
    for unit in recipients:
        if unit.id in ids:
            checker.error(unit.row, "id", f"编号“{unit.id}”重复（第 {ids[unit.id].row} 行已用）")
        ids.setdefault(unit.id, unit)
        for text in (unit.name,) + unit.aliases:
            _claim(owners, text, unit, checker)


def _claim(owners: dict[str, Recipient], text: str, unit: Recipient, checker: _Checker) -> None:
    owner = owners.setdefault(text, unit)
    if owner is unit:
        return
    column, kind = ("name", "名称") if text == unit.name else ("aliases", "别名")
    checker.error(unit.row, column, f"{kind}“{text}”同时属于 {owner.name}（第 {owner.row} 行）和 {unit.name}")
