"""Parse body blocks (paragraphs, numbered headings, centred lines, tables) shared by notices and annexes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import source

HEADING_KEYS = ("h1", "h2", "h3", "h4")
BLOCK_KEYS = set(HEADING_KEYS) | {"text", "number", "center", "table"}
HEADING_NUMBER_RE = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.．、]|（\d+）)")
DIGITS = "零一二三四五六七八九"


@dataclass
class Table:
    """Hold a table's header, rows and the columns whose equal neighbouring cells merge vertically."""

    columns: list[str]
    rows: list[list[str]]
    merge: list[str] = field(default_factory=list)
    row_height_mm: float | None = None  # the least height of a data row (blank rows to fill in by hand)

    def merged_runs(self, column: int) -> list[tuple[int, int]]:
        """Return (first row, last row) spans of equal consecutive cells in a merged column."""
        if self.columns[column] not in self.merge:
            return []
        spans, start = [], 0
        for i in range(1, len(self.rows) + 1):
            if i == len(self.rows) or self.rows[i][column] not in ("", self.rows[start][column]):
                if i - 1 > start:
                    spans.append((start, i - 1))
                start = i
        return spans


@dataclass
class Block:
    """Hold one body block: kind text/heading/center/table/image, heading level and number, its content."""

    kind: str
    text: str = ""
    level: int = 0
    head: str = ""
    table: Table | None = None
    image: bytes = b""
    width_mm: float = 0.0

    def context(self) -> dict:
        """Return the block as template variables."""
        return {"kind": self.kind, "level": self.level, "head": self.head, "text": self.text}


def chinese_numeral(n: int) -> str:
    """Write 1–99 as 一 … 九十九."""
    tens, ones = divmod(n, 10)
    if tens == 0:
        return DIGITS[ones]
    return ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[ones] if ones else "")


def heading_number(level: int, n: int) -> str:
    """Return the GB/T 9704 number of the n-th heading of a level: 一、 （一） 1. （1）."""
    return [f"{chinese_numeral(n)}、", f"（{chinese_numeral(n)}）", f"{n}.", f"（{n}）"][level - 1]


def chinese_date(day) -> str:
    """Write a date as 2022年3月21日 (Arabic numerals, no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"


def parse_body(src: source.Source, key: str = "body") -> list[Block]:
    """Read a list of body blocks, numbering headings by level; errors go to src."""
    blocks, counters = [], [0, 0, 0, 0]
    for i, item in enumerate(src.items(key, required=True)):
        block = _block(src, (key, i), item, counters)
        if block:
            blocks.append(block)
    if not blocks and not any(e.field.startswith(key) for e in src.errors):
        src.error((key,), "正文不能为空")
    return blocks


def _block(src: source.Source, path: tuple, item, counters: list[int]) -> Block | None:
    if isinstance(item, (str, int, float)):
        return Block("text", str(item).strip())
    if not isinstance(item, dict):
        src.error(path, "每段应为一段文字，或 h1/h2/h3/h4 标题（可带 text）、center、table")
        return None
    kinds = [k for k in (*HEADING_KEYS, "center", "table") if k in item]
    unknown = set(map(str, item)) - BLOCK_KEYS
    if len(kinds) > 1 or unknown or (not kinds and "text" not in item):
        src.error(path, f"无法识别的段落写法：{'、'.join(sorted(map(str, item)))}（应为 h1/h2/h3/h4、center、table 之一，标题可加 text 和 number）")
        return None
    if not kinds:
        return Block("text", src.text(*path, "text"))
    if kinds[0] == "center":
        return Block("center", src.text(*path, "center"))
    if kinds[0] == "table":
        return _table(src, path + ("table",))
    return _heading(src, path, kinds[0], counters)


def _heading(src: source.Source, path: tuple, key: str, counters: list[int]) -> Block:
    level = HEADING_KEYS.index(key) + 1
    heading = src.text(*path, key)
    text = src.text(*path, "text", required=False)
    if "number" in src.raw(path):  # a number written out (even empty) replaces automatic numbering
        return Block("heading", text, level, str(src.raw(path + ("number",)) or "") + heading)
    if HEADING_NUMBER_RE.match(heading):
        src.error(path + (key,), f"“{heading[:12]}”自带序号；序号由程序按层级自动编排，请删去（或用 number 写明序号）")
    counters[level - 1] += 1
    counters[level:] = [0] * (4 - level)
    return Block("heading", text, level, heading_number(level, counters[level - 1]) + heading)


def _table(src: source.Source, path: tuple) -> Block | None:
    columns = [str(c) for c in src.items(*path, "columns", required=True)]
    rows = []
    for r, row in enumerate(src.items(*path, "rows", required=True)):
        if not isinstance(row, list) or len(row) != len(columns):
            src.error(path + ("rows", r), f"每行应为 {len(columns)} 项的列表（与 columns 对应）")
            continue
        rows.append(["" if cell is None else str(cell) for cell in row])
    merge = [str(m) for m in src.items(*path, "merge")]
    for m, name in enumerate(merge):
        if name not in columns:
            src.error(path + ("merge", m), f"合并列“{name}”不在 columns 中")
    return Block("table", table=Table(columns, rows, merge)) if columns else None
