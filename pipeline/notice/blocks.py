"""Parse body blocks (paragraphs, numbered headings, centred lines, tables) shared by notices and annexes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..core.schema import Cell, Either, Fields, Items, Text
from ..core.source import Source

HEADING_KEYS = ("h1", "h2", "h3", "h4")
NUMBERED_KEYS = ("n1", "n2", "n3", "n4")  # a whole paragraph numbered at a level, without a heading sentence
KINDS = (*HEADING_KEYS, *NUMBERED_KEYS, "center", "table")
NUMBER_PATTERNS = (re.compile(r"^([一二三四五六七八九十]+)、$"), re.compile(r"^（([一二三四五六七八九十]+)）$"),
                   re.compile(r"^(\d+)[.．]$"), re.compile(r"^（(\d+)）$"))
HEADING_NUMBER_RE = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+(?:[.．](?!\d)|、)|（\d+）)")
DIGITS = "零一二三四五六七八九"
_ALLOWED_BESIDE = {"h": ("text", "number"), "n": ("number",), "t": ("number",)}  # by the kind's first letter
_BESIDE_HINT = {"n": "n1–n4 本身就是整段文字，只可再写 number", "c": "居中标题只写一项 center",
                "t": "表格只写 table；正文段落可写 number"}
CHINESE_NUMERAL_RE = re.compile(r"^(?:(?:[二三四五六七八九]?十)?[一二三四五六七八九]?)$")
MAX_TABLE_ROWS = 2_000
MAX_TABLE_CELLS = 20_000  # a bigger table is no 公文 table (and takes python-docx tens of seconds): an Excel annex

TABLE = Fields({"columns": Items(Text(required=True), required=True, max_items=64, empty="表格至少要有一列"),
                "rows": Items(Items(Cell(), max_items=64), required=True, max_items=MAX_TABLE_ROWS),
                "merge": Items(Text())})
BLOCK = Fields({**{key: Text() for key in HEADING_KEYS + NUMBERED_KEYS}, "text": Text(), "number": Text(strip=False),
                "center": Text(), "table": TABLE})
PARAGRAPH = Either(Text(), BLOCK, what="一段文字，或 h1/h2/h3/h4 标题（可带 text）、n1/n2/n3/n4 带序号的整段、center、table")


def body_schema(required: bool = True) -> Items:
    """Return the schema of a body: a list of paragraphs (not empty when required)."""
    return Items(PARAGRAPH, required=required, empty="正文不能为空" if required else "")


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
    whole: bool = False  # a numbered paragraph: only its number takes the heading font

    def context(self) -> dict:
        """Return the block as template variables."""
        return {"kind": self.kind, "level": self.level, "head": self.head, "text": self.text}


def numeral_value(text: str) -> int:
    """Read 一 … 九十九 or Arabic digits (up to six) as a number; 0 when it is neither."""
    if text.isdigit() and text.isascii():
        return int(text) if len(text) <= 6 else 0
    if not text or not CHINESE_NUMERAL_RE.match(text):
        return 0
    tens, ten, ones = text.rpartition("十")
    value = DIGITS.index(ones) if ones else 0
    return value + (10 * (DIGITS.index(tens) if tens else 1) if ten else 0)


def chinese_numeral(n: int) -> str:
    """Write a positive number in Chinese numerals as headings count: 一 … 九十九, 一百零一, 一千零一十."""
    if n < 10:
        return DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[ones] if ones else "")
    if n >= 10_000:
        return str(n)  # no body has that many headings of one level
    unit, size = ("千", 1000) if n >= 1000 else ("百", 100)
    head, rest = divmod(n, size)
    if not rest:
        return DIGITS[head] + unit
    tail = ("一" if 10 <= rest < 20 else "") + chinese_numeral(rest)
    return DIGITS[head] + unit + ("零" if rest < size // 10 else "") + tail


def heading_number(level: int, n: int) -> str:
    """Return the GB/T 9704 number of the n-th heading of a level: 一、 （一） 1. （1）."""
    if level == 1:
        return f"{chinese_numeral(n)}、"
    return f"（{chinese_numeral(n)}）" if level == 2 else (f"{n}." if level == 3 else f"（{n}）")


def parse_body(src: Source, key: str = "body") -> list[Block]:
    """Turn the checked body list at key into blocks, numbering headings by level; errors go to src."""
    blocks, counters = [], [0, 0, 0, 0]
    for i, item in enumerate(src.data.get(key) or []):
        block = _block(src, (key, i), item, counters)
        if block:
            blocks.append(block)
    return blocks


def _block(src: Source, at: tuple, item, counters: list[int]) -> Block | None:
    if isinstance(item, str):
        return _text(src, at, item)
    if not isinstance(item, dict) or not item:
        return None
    kinds = [k for k in KINDS if k in item]
    if len(kinds) > 1 or (not kinds and "text" not in item):
        src.error(at, f"无法识别的段落写法：{'、'.join(item)}（应为 h1–h4、n1–n4、center、table 之一，标题可加 text 和 number）")
        return None
    kind = kinds[0] if kinds else "text"
    extra = [key for key in item if key not in (kind, *_ALLOWED_BESIDE.get(kind[0], ()))]
    if extra:
        src.error(at + (extra[0],), f"{kind} 这一项不能再写 {extra[0]}（{_BESIDE_HINT.get(kind[0], '')}）")
        return None
    if kind in ("text", "center", *NUMBERED_KEYS) and not item[kind]:
        _missing(src, at + (kind,), "缺少此项，必须填写")
        return None
    if kind == "table":
        return _table(src, at + ("table",), item["table"])
    if kind in HEADING_KEYS + NUMBERED_KEYS:
        return _numbered(src, at, kind, item, counters)
    if kind == "text" and "number" in item:
        return Block("text", item["number"] + item["text"])
    return _text(src, at, item[kind]) if kind == "text" else Block(kind, item[kind])


def _text(src: Source, at: tuple, text: str) -> Block | None:
    """Return a plain paragraph; one typed with a heading number is refused (numbering would restart silently)."""
    if text and HEADING_NUMBER_RE.match(text):
        number = HEADING_NUMBER_RE.match(text).group().strip()
        src.error(at, f"段落以序号“{number}”开头：序号由程序按层级编排，手写会与自动序号重复或断开；请改写为 "
                      "h1–h4（标题）或 n1–n4（带序号的整段），或写成 {text: …, number: …} 原样保留")
    return Block("text", text) if text else None


def _numbered(src: Source, at: tuple, key: str, item: dict, counters: list[int]) -> Block | None:
    """Return a heading (hN, heading sentence in the heading font) or a numbered paragraph (nN)."""
    level, whole = int(key[1]), key.startswith("n")
    heading, text = ("", item[key]) if whole else (item[key], item.get("text", ""))
    if not whole and not heading:
        _missing(src, at + (key,), "缺少此项，必须填写标题")
        return None
    if "number" in item:  # a number written out (even empty) replaces automatic numbering
        _follow(counters, level, item["number"])
        return Block("heading", text, level, item["number"] + heading, whole=whole)
    if HEADING_NUMBER_RE.match(heading or text):
        src.error(at + (key,), f"“{(heading or text)[:12]}”自带序号；序号由程序按层级自动编排，请删去（或用 number 写明序号）")
    counters[level - 1] += 1
    counters[level:] = [0] * (4 - level)
    return Block("heading", text, level, heading_number(level, counters[level - 1]) + heading, whole=whole)


def _follow(counters: list[int], level: int, number: str) -> None:
    """Continue automatic numbering after an explicit number of the level's own kind (三、 → 四、)."""
    found = NUMBER_PATTERNS[level - 1].match(number.strip())
    if found and numeral_value(found.group(1)):
        counters[level - 1] = numeral_value(found.group(1))
        counters[level:] = [0] * (4 - level)


def _missing(src: Source, at: tuple, note: str) -> None:
    """Report an empty text, unless the schema has already reported the value (a wrong type, a bad character)."""
    if not src.reported(at):
        src.error(at, note, "missing_value")


def _table(src: Source, at: tuple, table: dict) -> Block | None:
    columns = table.get("columns") or []
    counted = bool(columns) and isinstance(src.raw(at + ("columns",)), list)  # else rows cannot be checked
    named = counted and not src.reported(at + ("columns",))  # else merge cannot be checked
    rows = []
    for r, row in enumerate(table.get("rows") or []):
        if not isinstance(src.raw(at + ("rows", r)), list):
            continue  # the schema has reported it
        if len(row) != len(columns) and counted:
            src.error(at + ("rows", r), f"每行应为 {len(columns)} 项的列表（与 columns 对应）")
            continue
        rows.append(row)
    merge = table.get("merge") or []
    for m, name in enumerate(merge):
        if name not in columns and named and not src.reported(at + ("merge", m)):
            src.error(at + ("merge", m), f"合并列“{name}”不在 columns 中")
    if len(columns) * (len(rows) + 1) > MAX_TABLE_CELLS:
        src.error(at, f"表格有 {len(columns) * (len(rows) + 1):,} 个单元格，超过上限 {MAX_TABLE_CELLS:,} 个；"
                      "这么大的表请作为 Excel 附件下发", "too_long")
        return None
    return Block("table", table=Table(columns, rows, merge)) if columns else None
