"""Measure how far a worksheet reaches (last row, last column, merged ranges) before any reader sees it.

A spreadsheet reader sizes its grid from the farthest cell and from the dimension the file claims: one
cell at XFD1048576 makes it ask for hundreds of gigabytes. Excel, WPS and openpyxl write every cell and
row as <c r="…"> and <row r="…">; for such a sheet a search for references longer than the limit's finds
the far ones at C speed without visiting the honest cells. Any other spelling (a namespace prefix, single
quotes, r not first, cells without r) is measured exactly with a streaming XML parser instead.
"""

from __future__ import annotations

import functools
import io
import re
from dataclasses import dataclass

from lxml import etree

# The first % is the least length searched for, the second the greatest ('' for none).
ROW_DIGITS = (rb'<c r="[A-Z]{0,3}(\d{%d,%s})"', rb'<row r="(\d{%d,%s})"')
COLUMN_LETTERS = (rb'<c r="([A-Z]{%d,%s})\d',)
DIMENSION = re.compile(rb'<dimension ref="(?:[A-Z]*\d*:)?([A-Z]{1,4})(\d{1,9})"')
TAGS = re.compile(rb"<(?:c|row)[\s/>]")
REFERENCE = re.compile(r"([A-Z]*)(\d*)")


@dataclass
class Extent:
    """Hold how far a worksheet reaches: its last row and column numbers, and its merged ranges."""

    rows: int = 0
    columns: int = 0
    merged: int = 0

    def exceeds(self, limit: "Extent") -> str:
        """Return which of rows, columns or merged is over limit ('' when none)."""
        return next((name for name in ("rows", "columns", "merged") if getattr(self, name) > getattr(limit, name)), "")


def sheet_extent(xml: bytes, limit: Extent) -> Extent:
    """Measure a worksheet part's XML against limit (exactly, or enough to tell it is past the limit)."""
    return _searched(xml, limit) if _plain(xml) else _parsed(xml, limit)


def _plain(xml: bytes) -> bool:
    """Tell whether every cell and row is written <c r="…"> / <row r="…"> without a namespace prefix."""
    canonical = xml.count(b'<c r="') + xml.count(b'<row r="')
    dimension_ok = b"dimension" not in xml or b'<dimension ref="' in xml
    return b"<sheetData" in xml and dimension_ok and len(TAGS.findall(xml)) == canonical


def _searched(xml: bytes, limit: Extent) -> Extent:
    claimed = DIMENSION.search(xml)
    rows, columns = (int(claimed.group(2)), column_number(claimed.group(1).decode())) if claimed else (0, 0)
    return Extent(max(rows, _farthest(xml, ROW_DIGITS, len(str(limit.rows)), int, limit.rows)),
                  max(columns, _farthest(xml, COLUMN_LETTERS, len(column_letters(limit.columns)), column_number,
                                         limit.columns)),
                  xml.count(b"<mergeCell "))


def _farthest(xml: bytes, patterns: tuple[bytes, ...], width: int, value, limit: int) -> int:
    """Return a reference part past limit (longer than width, or as long and larger), or 0 when there is none.

    Each pattern starts with a literal (<c r=" or <row r="), which the search skips to at C speed.
    """
    longer, as_long = _compiled(patterns, width)
    if any(pattern.search(xml) for pattern in longer):
        return limit + 1
    found = (value(m.group(1).decode()) for pattern in as_long for m in pattern.finditer(xml))
    return max((n for n in found if n > limit), default=0)


@functools.lru_cache(maxsize=16)
def _compiled(patterns: tuple[bytes, ...], width: int) -> tuple[list[re.Pattern], list[re.Pattern]]:
    """Return the patterns for references longer than width, and for those exactly width long."""
    return ([re.compile(p % (width + 1, b"")) for p in patterns],
            [re.compile(p % (width, b"%d" % width)) for p in patterns])


def _parsed(xml: bytes, limit: Extent) -> Extent:
    """Measure the sheet by reading its XML as a stream, stopping as soon as it is past limit."""
    extent, row, column = Extent(), 0, 0
    events = etree.iterparse(io.BytesIO(xml), events=("start",), resolve_entities=False, no_network=True,
                             huge_tree=False, load_dtd=False)
    for _, element in events:
        name = element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""
        if name == "row":
            row, column = _reference(element.get("r"), (0, row + 1))[1], 0
        elif name == "c":
            column, row = _reference(element.get("r"), (column + 1, row))
        elif name == "mergeCell":
            extent.merged += 1
        elif name == "dimension":
            claimed = _reference((element.get("ref") or "").split(":")[-1], (0, 0))
            extent.columns, extent.rows = max(extent.columns, claimed[0]), max(extent.rows, claimed[1])
        extent.rows, extent.columns = max(extent.rows, row), max(extent.columns, column)
        if extent.exceeds(limit):
            break
    return extent


def _reference(text: str | None, implied: tuple[int, int]) -> tuple[int, int]:
    """Return (column, row) of a reference such as XFD1048576; the implied position for what is missing."""
    found = REFERENCE.fullmatch((text or "").strip().replace("$", "").upper())
    if not found:
        return implied
    letters, digits = found.groups()
    return (column_number(letters) if letters else implied[0]), (int(digits) if digits else implied[1])


def column_letters(number: int) -> str:
    """Return the letters of a column number (200 → GR)."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_number(reference: str) -> int:
    """Return the column number of the letters of a cell reference (XFD → 16384)."""
    number = 0
    for char in reference:
        number = number * 26 + ord(char) - 64
    return number
