"""Find the header of a returned sheet and map its columns by what they say, never by position.

The header may be pushed down by title and 填报单位 lines, or split over two rows under a merged group
cell; columns are recognised by their names and aliases in the form's spec, or the usual synonyms
(联系人, 座机, 手机, 单位名称, 职务 …); see vocabulary.py.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from typing import Iterable

from ..xlsx.extent import column_letters
from .cleaning import plain, text
from .vocabulary import CONTACT, CONTACT_WORDS, EXTRA, MAX_FALLBACK_LABEL, SEQ, SKIP, Vocabulary, exact_key, label_key

HEADER_SCAN_ROWS = 30
BLANK = frozenset((None, ""))  # cells that are empty without cleaning
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
class ReturnedTable:
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
@lru_cache(maxsize=4096)
def field_of(value, words: Vocabulary = CONTACT_WORDS) -> str | None:
    """Return the field a header text names (a column's key, seq or contact), or None."""
    key = label_key(value)
    if not key:
        return None
    if exact_key(value) in words.names:
        return words.names[exact_key(value)]
    if key in words.exact:
        return words.exact[key]
    if len(key) > MAX_FALLBACK_LABEL:
        return None
    return next((name for word, name in words.keywords if word in key), None)


def _fields(row: list, words: Vocabulary) -> set[str]:
    return {f for cell in row if (f := field_of(cell, words)) and f not in (SEQ, SKIP)}


def is_header(row: list, words: Vocabulary = CONTACT_WORDS) -> bool:
    """Tell whether a row reads as a header: three known columns (fewer when the form has fewer), or two
    with the form's first required column (姓名 for the contact form)."""
    found = _fields(row, words)
    return len(found) >= words.need or (len(found) >= 2 and words.anchor in found)


def is_subheader(row: list, top: list, words: Vocabulary) -> bool:
    """Tell whether the row under a header continues it: each cell not merged down from above is a column name."""
    new = [cell for i, cell in enumerate(row) if text(cell) and text(cell) != text(top[i] if i < len(top) else "")]
    return bool(new) and all(field_of(cell, words) for cell in new)


def letter(index: int, grid: bool = True) -> str:
    """Return a 0-based column's name as a clerk sees it: G for a spreadsheet, 第7列 for a Word table."""
    return column_letters(index + 1) if grid else f"第{index + 1}列"


def header_columns(top: list, sub: list | None, grid: bool = True, words: Vocabulary = CONTACT_WORDS) -> list[Column]:
    """Map every column of a one- or two-row header to a field; a field claimed twice is an extra column."""
    width = max(len(top), len(sub or []))
    labels = [_label(top, sub, i, words) for i in range(width)]
    fields = _resolve([field_of(label, words) or EXTRA for label in labels], words)
    return [Column(i, fields[i], labels[i], letter(i, grid)) for i in range(width)]


def _label(top: list, sub: list | None, index: int, words: Vocabulary) -> str:
    upper = plain(top[index]) if index < len(top) else ""
    lower = plain(sub[index]) if sub and index < len(sub) else ""
    return lower if lower and field_of(lower, words) else upper


def _resolve(fields: list[str], words: Vocabulary) -> list[str]:
    """Decide what 联系电话 columns hold, and make a second column of the same field an extra column."""
    present = set(fields)
    for i, name in enumerate(fields):
        if name == CONTACT:
            name = words.resolve_contact(present)
            present.add(name)
        fields[i] = EXTRA if name in fields[:i] and name not in (EXTRA, SEQ, SKIP) else name
    return fields


def find_table(rows: list[list], grid: bool = True, notes: tuple[str, ...] = (),
               words: Vocabulary = CONTACT_WORDS) -> ReturnedTable | None:
    """Return the table of a sheet (header found among its first rows), or None when it has no header."""
    top = next((i for i, row in enumerate(rows[:HEADER_SCAN_ROWS]) if is_header(row, words)), None)
    if top is None:
        return None
    sub = rows[top + 1] if top + 1 < len(rows) and is_subheader(rows[top + 1], rows[top], words) else None
    columns = header_columns(rows[top], sub, grid, words)
    last = top + (2 if sub else 1)
    records, leftovers = _records(rows, last, columns, words)
    titles = [line for row in rows[:top] for line in _lines(row)] + list(notes)
    unit = unit_line(chain(titles, (line for row in leftovers for line in _lines(row))))  # leftovers only if needed
    return ReturnedTable(last, columns, records, unit, titles)


def _lines(row: list) -> list[str]:
    seen = dict.fromkeys(line.strip() for cell in row for line in text(cell).splitlines())
    return [line for line in seen if line]


def unit_line(lines: Iterable[str]) -> str:
    """Return the unit named by the first 填报单位：X line, or ''."""
    return next((m.group(1) for line in lines if (m := UNIT_LINE.search(line))), "")


# Rows ------------------------------------------------------------------------------------
def _records(rows: list[list], start: int, columns: list[Column], words: Vocabulary) -> tuple[list[Record], list[list]]:
    """Split the rows under the header into entries and other lines (notes, repeated headers)."""
    records, leftovers = [], []
    kept = [(c.field, c.index) for c in columns if c.field in words.fields]
    extra = [c for c in columns if c.field == EXTRA]
    for index in range(start, len(rows)):
        row = rows[index]
        if not any(map(text, row)):
            continue
        record = _record(index + 1, row, kept, extra, words.entry_fields)
        if record is None or is_header(row, words) or is_instruction(row):
            leftovers.append(row)
        else:
            records.append(record)
    return records, leftovers


def _record(number: int, row: list, kept: list[tuple[str, int]], extra: list[Column],
            entry_fields: tuple[str, ...]) -> Record | None:
    """Return the row as a Record when it holds an entry (any of its own columns is filled, not only the unit)."""
    width = len(row)
    cells = {name: row[index] for name, index in kept if index < width}
    values = set(map(cells.get, entry_fields))
    if values <= BLANK or not any(map(plain, values)):
        return None
    extras = [(c, row[c.index]) for c in extra if c.index < width]
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
