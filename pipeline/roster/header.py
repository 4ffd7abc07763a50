"""Find the header of a returned sheet and map its columns by what they say, never by position.

The header may be pushed down by title and 填报单位 lines, or split over two rows under a merged group
cell; columns are recognised by their names (联系人, 座机, 手机, 单位名称, 职务 …).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from ..xlsx.extent import column_letters
from .cleaning import plain, text

FIELDS = ("unit", "name", "gender", "title", "office_phone", "mobile", "note")
LABELS = {"unit": "工作单位", "name": "姓名", "gender": "性别", "title": "职务/级别", "office_phone": "办公电话",
          "mobile": "手机号码", "note": "备注"}
SEQ, CONTACT, EXTRA = "seq", "contact", ""  # 序号; 联系电话/联系方式 (decided by the other columns); unknown
HEADER_SCAN_ROWS = 30
MAX_FALLBACK_LABEL = 12  # longer header text (a title, an instruction) is never taken for a column name
PERSON_FIELDS = ("name", "gender", "title", "office_phone", "mobile")

SYNONYMS = {
    SEQ: ("序号", "编号", "序", "no", "no."),
    "unit": ("工作单位", "单位", "单位名称", "所在单位", "填报单位", "工作单位名称", "部门", "工作部门", "单位部门",
             "所在部门", "处室", "单位及部门", "工作单位部门"),
    "name": ("姓名", "联系人", "联系人姓名", "名字", "人员姓名", "联络员", "联络员姓名", "姓名联系人"),
    "gender": ("性别",),
    "title": ("职务级别", "职务", "级别", "职称", "职位", "职务职级", "职级", "职务职称", "职务或级别"),
    "office_phone": ("办公电话", "座机", "办公座机", "座机号码", "座机电话", "固定电话", "固话", "办公室电话",
                     "办公电话座机", "单位电话"),
    "mobile": ("手机号码", "手机", "手机号", "移动电话", "联系手机", "手机号码11位", "移动电话手机"),
    "note": ("备注", "说明", "其他", "备注说明"),
    CONTACT: ("联系电话", "电话", "联系方式", "电话号码", "联系电话手机"),
}
EXACT = {label: name for name, labels in SYNONYMS.items() for label in labels}
KEYWORDS = (("手机", "mobile"), ("移动电话", "mobile"), ("座机", "office_phone"), ("办公电话", "office_phone"),
            ("固定电话", "office_phone"), ("姓名", "name"), ("联系人", "name"), ("性别", "gender"), ("职务", "title"),
            ("职级", "title"), ("职称", "title"), ("级别", "title"), ("单位", "unit"), ("部门", "unit"),
            ("备注", "note"), ("电话", CONTACT), ("序号", SEQ))

LABEL_NOISE = re.compile(r"[（(][^）)]*[）)]|[\s\u3000*＊:：/、．.,，\-_]")
UNIT_LINE = re.compile(r"(?:填报|报送|填表|所在)?单位(?:名称)?\s*(?:[（(]\s*(?:盖章|公章)\s*[)）])?\s*[:：]\s*"
                       r"([^\s:：，,;；（(]+)")
INSTRUCTION = re.compile(r"^(注|说明|备注|填表|填报|审核|制表|联系人|负责人|日期|合计|总计|单位|报送|附件)")


@dataclass(frozen=True)
class Column:
    """Describe one column of a table: position, the field it holds, its header as written, its letter."""

    index: int
    field: str
    label: str
    letter: str


@dataclass
class Record:
    """Hold one data row: its 1-based row number and its raw cells by field, plus unknown columns."""

    row: int
    cells: dict[str, object]
    extras: list[tuple[Column, object]] = field(default_factory=list)  # unknown columns' raw cells


@dataclass
class Table:
    """Hold what a sheet says: its columns, data rows, the 填报单位 it names and its text above the header."""

    header_row: int
    columns: list[Column]
    records: list[Record]
    unit_line: str = ""
    titles: list[str] = field(default_factory=list)

    def column(self, name: str) -> Column | None:
        """Return the column holding a field, or None when the table has none."""
        return next((c for c in self.columns if c.field == name), None)


# Header ----------------------------------------------------------------------------------
def label_key(value) -> str:
    """Return a header text reduced for comparison: no spaces, punctuation or (remarks), lower case."""
    return LABEL_NOISE.sub("", unicodedata.normalize("NFKC", text(value))).lower()


@lru_cache(maxsize=4096)
def field_of(value) -> str | None:
    """Return the field a header text names (a FIELDS name, seq or contact), or None."""
    key = label_key(value)
    if not key:
        return None
    if key in EXACT:
        return EXACT[key]
    if len(key) > MAX_FALLBACK_LABEL:
        return None
    return next((name for word, name in KEYWORDS if word in key), None)


def _fields(row: list) -> set[str]:
    return {f for f in map(field_of, row) if f and f != SEQ}


def is_header(row: list) -> bool:
    """Tell whether a row reads as a header: three known columns, or two with a name column."""
    found = _fields(row)
    return len(found) >= 3 or (len(found) == 2 and "name" in found)


def is_subheader(row: list, top: list) -> bool:
    """Tell whether the row under a header continues it: each cell not merged down from above is a column name."""
    new = [cell for i, cell in enumerate(row) if text(cell) and text(cell) != text(top[i] if i < len(top) else "")]
    return bool(new) and all(field_of(cell) for cell in new)


def letter(index: int, grid: bool = True) -> str:
    """Return a 0-based column's name as a clerk sees it: G for a spreadsheet, 第7列 for a Word table."""
    return column_letters(index + 1) if grid else f"第{index + 1}列"


def header_columns(top: list, sub: list | None, grid: bool = True) -> list[Column]:
    """Map every column of a one- or two-row header to a field; a field claimed twice goes to the note."""
    width = max(len(top), len(sub or []))
    labels = [_label(top, sub, i) for i in range(width)]
    fields = [field_of(label) or EXTRA for label in labels]
    fields = _resolve(fields)
    return [Column(i, fields[i], labels[i], letter(i, grid)) for i in range(width)]


def _label(top: list, sub: list | None, index: int) -> str:
    upper = plain(top[index]) if index < len(top) else ""
    lower = plain(sub[index]) if sub and index < len(sub) else ""
    return lower if lower and field_of(lower) else upper


def _resolve(fields: list[str]) -> list[str]:
    """Decide what 联系电话 columns hold, and send a second column of the same field to the note."""
    present = set(fields)
    for i, name in enumerate(fields):
        if name == CONTACT:
            name = next((f for f in ("mobile", "office_phone") if f not in present), EXTRA)
            present.add(name)
        fields[i] = EXTRA if name in fields[:i] and name not in (EXTRA, SEQ) else name
    return fields


def find_table(rows: list[list], grid: bool = True, notes: tuple[str, ...] = ()) -> Table | None:
    """Return the table of a sheet (header found among its first rows), or None when it has no header."""
    top = next((i for i, row in enumerate(rows[:HEADER_SCAN_ROWS]) if is_header(row)), None)
    if top is None:
        return None
    sub = rows[top + 1] if top + 1 < len(rows) and is_subheader(rows[top + 1], rows[top]) else None
    columns = header_columns(rows[top], sub, grid)
    last = top + (2 if sub else 1)
    records, leftovers = _records(rows, last, columns)
    titles = [line for row in rows[:top] for line in _lines(row)] + list(notes)
    unit = unit_line(titles + [line for row in leftovers for line in _lines(row)])
    return Table(last, columns, records, unit, titles)


def _lines(row: list) -> list[str]:
    seen = dict.fromkeys(line.strip() for cell in row for line in text(cell).splitlines())
    return [line for line in seen if line]


def unit_line(lines: list[str]) -> str:
    """Return the unit named by the first 填报单位：X line, or ''."""
    return next((m.group(1) for line in lines if (m := UNIT_LINE.search(line))), "")


# Rows ------------------------------------------------------------------------------------
def _records(rows: list[list], start: int, columns: list[Column]) -> tuple[list[Record], list[list]]:
    """Split the rows under the header into person records and other lines (notes, repeated headers)."""
    records, leftovers = [], []
    for index in range(start, len(rows)):
        row = rows[index]
        if not any(text(cell) for cell in row):
            continue
        record = _record(index + 1, row, columns)
        if record is None or is_header(row) or is_instruction(row):
            leftovers.append(row)
        else:
            records.append(record)
    return records, leftovers


def _record(number: int, row: list, columns: list[Column]) -> Record | None:
    """Return the row as a Record when it names a person (any of name, phone, gender, title is filled)."""
    cells = {c.field: row[c.index] for c in columns if c.field in FIELDS and c.index < len(row)}
    if not any(plain(cells.get(name)) for name in PERSON_FIELDS):
        return None
    extras = [(c, row[c.index]) for c in columns if c.field == EXTRA and c.index < len(row)]
    return Record(number, cells, [(c, value) for c, value in extras if plain(value)])


def is_instruction(row: list) -> bool:
    """Tell whether a row is a note line rather than a person: 注：…, 合计, or only 'label：value' cells."""
    filled = list(dict.fromkeys(value for cell in row if (value := plain(cell))))
    if len(filled) == 1 and (INSTRUCTION.match(filled[0]) or len(filled[0]) > 20):
        return True
    return len(filled) <= 3 and all(":" in value or "：" in value for value in filled)


def majority(items: list[str]) -> str:
    """Return the most frequent non-empty item (the first seen on a tie), or ''."""
    counts = Counter(item for item in items if item)
    return max(counts, key=counts.get) if counts else ""
