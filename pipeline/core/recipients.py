"""Load and validate the recipients list (inputs/recipients.csv): the units a notice is addressed to."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from .schema import Text, closest_key, unknown_key_note
from .source import Collector, read_data_bytes
from .text import decode_text

UNSORTED = "未分类"  # the category of a unit whose category is left empty
ALIAS_SEPARATOR = "|"
MAX_NAME = 200  # characters in a unit's name or in its aliases
ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# The file's schema: column → (Chinese label, shape of its cells).
COLUMNS = {
    "id": ("编号", Text(required=True, max_length=100, pattern=ID_RE,
                      hint="只能用小写英文字母、数字和连字符，如 beijing、xinjiang-bingtuan")),
    "name": ("单位名称", Text(required=True, max_length=MAX_NAME)),
    "aliases": ("别名", Text(max_length=MAX_NAME * 20)),
    "category": ("类别", Text(max_length=100)),  # free text: 省级, 县, 开发区 …; empty is 未分类
    "contact": ("联系人", Text(max_length=100)),  # optional columns: whom the clerk phones when a unit is late
    "phone": ("电话", Text(max_length=100)),
}
OPTIONAL = ("contact", "phone")


@dataclass(frozen=True)
class Recipient:
    """Hold one recipient unit: stable id, full name, short names clerks write, category, CSV row."""

    id: str
    name: str
    aliases: tuple[str, ...]
    category: str
    row: int
    contact: str = ""
    phone: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        """Return the full name, then the aliases longest first (for matching text against units)."""
        return (self.name,) + tuple(sorted(self.aliases, key=len, reverse=True))


def column_label(column: str) -> str:
    """Return the clerk-facing label of a CSV column, such as 'name（单位名称）'."""
    return f"{column}（{COLUMNS[column][0]}）" if column in COLUMNS else column


class _Rows(Collector):
    """Collect the problems of a recipients file, located by CSV row and column."""

    def error(self, at: tuple, note: str, code: str = "invalid_value") -> None:
        """Record a problem at (row, column); the schema's sink."""
        row, column = at
        self.add(code, note, row, column_label(column) if column else "")


def load_recipients(path: Path) -> list[Recipient]:
    """Read and validate the recipients CSV; raise InputError naming every bad row and column."""
    rows = _Rows(path)
    records = _records(Path(path), rows)
    order = _header(records[0][1] if records else [], rows)
    rows.check()
    recipients = [r for line, cells in records[1:] if (r := _recipient(line, cells, order, rows))]
    if len(records) < 2:
        rows.add("missing_value", "没有任何单位：表头下至少要有一行")
    _check_unique(recipients, rows)
    rows.check()
    return recipients


def _records(path: Path, rows: _Rows) -> list[tuple[int, list[str]]]:
    """Return the non-blank CSV records with the line each starts on."""
    text = decode_text(read_data_bytes(path))
    if text is None:
        rows.add("unreadable_data_file", "无法识别文字编码（应为 UTF-8 或 GBK 编码的 CSV）")
        rows.check()
    reader = csv.reader(io.StringIO(text, newline=""))
    records, start = [], 1
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                records.append((start, [cell.strip() for cell in cells]))
            start = reader.line_num + 1
    except csv.Error:
        rows.add("unreadable_data_file", "CSV 格式错误：引号未配对、某格过长，或含有不可见的控制字符", reader.line_num)
        rows.check()
    return records


def _header(header: list[str], rows: _Rows) -> dict[str, int]:
    """Check the header row against COLUMNS; return each column's position."""
    expected = ",".join(c for c in COLUMNS if c not in OPTIONAL) + f"（可另加 {','.join(OPTIONAL)}）"
    if not header:
        rows.add("missing_value", f"缺少表头，第 1 行应为：{expected}", 1)
        return {}
    meant = {closest_key(column, COLUMNS) for column in header if column not in COLUMNS}  # categroy: a typo
    for column in [c for c in COLUMNS if c not in header and c not in OPTIONAL and c not in meant]:
        rows.add("missing_value", f"表头缺少此列，第 1 行应为：{expected}", 1, column_label(column))
    for i, column in enumerate(header):
        if column not in COLUMNS:
            rows.add("unknown_key", unknown_key_note(column, COLUMNS), 1, column or f"第{i + 1}列")
        elif header.index(column) != i:
            rows.add("invalid_value", "表头中此列重复", 1, column_label(column))
    return {column: header.index(column) for column in COLUMNS if column in header}


def _recipient(line: int, cells: list[str], order: dict[str, int], rows: _Rows) -> Recipient | None:
    """Build one Recipient from a CSV record, recording every problem in it."""
    if len(cells) > len(order):
        rows.add("invalid_value", f"有 {len(cells)} 列，多于表头的 {len(order)} 列"
                                  "（单位名称或别名中含逗号时须用英文双引号括起）", line)
    before, value = len(rows.errors), {}
    for column, i in order.items():
        value[column] = COLUMNS[column][1].check(cells[i] if i < len(cells) else "", (line, column), rows)
        if column == "aliases":
            value[column] = _aliases(line, value[column], rows)
    if len(rows.errors) > before:
        return None
    return Recipient(value["id"], value["name"], value["aliases"], value["category"] or UNSORTED, line,
                     value.get("contact", ""), value.get("phone", ""))


def _aliases(line: int, text: str, rows: _Rows) -> tuple[str, ...]:
    aliases = tuple(a.strip() for a in text.split(ALIAS_SEPARATOR) if a.strip())
    for alias in sorted({a for a in aliases if aliases.count(a) > 1}):
        rows.error((line, "aliases"), f"别名“{alias}”在本行重复")
    return aliases


def _check_unique(recipients: list[Recipient], rows: _Rows) -> None:
    """Report a repeated id, and any name or alias that belongs to two units."""
    ids: dict[str, Recipient] = {}
    owners: dict[str, Recipient] = {}
    for unit in recipients:
        if unit.id in ids:
            rows.error((unit.row, "id"), f"编号“{unit.id}”重复（第 {ids[unit.id].row} 行已用）")
        ids.setdefault(unit.id, unit)
        for text in (unit.name,) + unit.aliases:
            _claim(owners, text, unit, rows)


def _claim(owners: dict[str, Recipient], text: str, unit: Recipient, rows: _Rows) -> None:
    owner = owners.setdefault(text, unit)
    if owner is unit:
        return
    column, kind = ("name", "名称") if text == unit.name else ("aliases", "别名")
    rows.error((unit.row, column), f"{kind}“{text}”同时属于 {owner.name}（第 {owner.row} 行）和 {unit.name}")

