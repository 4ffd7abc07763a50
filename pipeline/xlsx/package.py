"""Read what the roster needs from an OOXML package without loading it: a custom property, sheet extents."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from lxml import etree

WORKSHEET = re.compile(r"xl/worksheets/[^/]+\.xml")
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
RELS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
SHEET_TYPES = ("/worksheet", "/dialogsheet", "/chartsheet", "/macrosheet")
# The references a reader sizes its grid from: a cell's or a row's r="…" (letters, then the row number).
# Each pattern starts with a literal so the search skips honest cells at C speed. The first % is the
# least length searched for, the second the greatest ('' for none).
ROW_DIGITS = rb' r="[A-Z]{0,3}(\d{%d,%s})"'
COLUMN_LETTERS = rb' r="([A-Z]{%d,%s})\d'
DIMENSION = re.compile(rb'dimension ref="(?:[A-Z]*\d*:)?([A-Z]{1,4})(\d{1,9})"')
CUSTOM_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"
# A parser that never expands entities, reads a DTD or reaches the network (no XML bomb, no XXE).
SAFE_PARSER = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False)


def custom_property(package, name: str, limit: int = 1024 * 1024) -> str:
    """Read a custom document property (docProps/custom.xml) of an open OOXML zip package.

    Return its text, or '' when the part or the property is absent, the XML is bad, or the part is
    larger than limit bytes. The part is parsed without entities or a DTD; the workbook itself is never loaded.
    """
    try:
        info = package.getinfo("docProps/custom.xml")
        root = etree.fromstring(package.read(info), SAFE_PARSER) if info.file_size <= limit else None
    except Exception:  # noqa: BLE001 - no part, a damaged zip or bad XML all mean: no property
        return ""
    found = root.iter(f"{CUSTOM_NS}property") if root is not None else ()
    return next(((prop[0].text or "").strip() for prop in found if prop.get("name") == name and len(prop)), "")


@dataclass
class Extent:
    """Hold how far a worksheet reaches: its last row and column numbers, and its merged ranges."""

    rows: int = 0
    columns: int = 0
    merged: int = 0

    def exceeds(self, limit: "Extent") -> str:
        """Return which of rows, columns or merged is over limit ('' when none)."""
        return next((name for name in ("rows", "columns", "merged") if getattr(self, name) > getattr(limit, name)), "")


def worksheet_parts(package) -> list[str]:
    """Return the names of the worksheet parts of an xlsx/xlsm package: those its workbook relationships
    point to (wherever they are stored), and any part stored where worksheets usually are."""
    named = {name for name in package.namelist() if WORKSHEET.fullmatch(name)}
    try:
        rels = etree.fromstring(package.read(WORKBOOK_RELS), SAFE_PARSER)
    except Exception:  # noqa: BLE001 - no relationships, or damaged ones: the usual place is all there is
        return sorted(named)
    for rel in rels.iter(f"{RELS_NS}Relationship"):
        if rel.get("Type", "").endswith(SHEET_TYPES):
            target = rel.get("Target", "")
            named.add(target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target)))
    return sorted(name for name in named if name in package.NameToInfo)


def sheet_extent(xml: bytes, limit: Extent) -> Extent:
    """Measure a worksheet part's XML against limit before any reader sizes a grid from it.

    A reader allocates a grid from the farthest cell and from the dimension the file claims, so only
    references near or past the limit need reading: a search for longer row numbers or longer column
    letters than the limit's finds them without visiting the honest cells one by one. The reader's own
    sheet size is checked again after loading.
    """
    claimed = DIMENSION.search(xml)
    rows, columns = (int(claimed.group(2)), column_number(claimed.group(1).decode())) if claimed else (0, 0)
    return Extent(max(rows, _farthest(xml, ROW_DIGITS, len(str(limit.rows)), int, limit.rows)),
                  max(columns, _farthest(xml, COLUMN_LETTERS, len(column_letters(limit.columns)), column_number,
                                         limit.columns)),
                  xml.count(b"mergeCell "))


def _farthest(xml: bytes, pattern: bytes, width: int, value, limit: int) -> int:
    """Return a reference part past limit (longer than width, or as long and larger), or 0 when there is none."""
    if re.search(pattern % (width + 1, b""), xml):
        return limit + 1
    found = (value(m.group(1).decode()) for m in re.finditer(pattern % (width, b"%d" % width), xml))
    return max((n for n in found if n > limit), default=0)


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
