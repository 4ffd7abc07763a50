"""Read what the roster needs from an OOXML package without loading it: a custom property, sheet extents."""

from __future__ import annotations

import re
from dataclasses import dataclass

from defusedxml import ElementTree

WORKSHEET = re.compile(r"xl/worksheets/[^/]+\.xml")
CELL = re.compile(r"([A-Z]{1,4})(\d{1,8})")
CUSTOM_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"


def custom_property(package, name: str, limit: int = 1024 * 1024) -> str:
    """Read a custom document property (docProps/custom.xml) of an open OOXML zip package.

    Return its text, or '' when the part or the property is absent, the XML is bad, or the part is
    larger than limit bytes. The part is parsed with defusedxml; the workbook itself is never loaded.
    """
    try:
        info = package.getinfo("docProps/custom.xml")
        root = ElementTree.fromstring(package.read(info)) if info.file_size <= limit else None
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
    """Return the names of the worksheet parts of an xlsx/xlsm package."""
    return sorted(name for name in package.namelist() if WORKSHEET.fullmatch(name))


def sheet_extent(stream, limit: Extent) -> Extent:
    """Read a worksheet part's XML as a stream and return its extent, stopping as soon as one is past limit.

    The dimension the file claims counts too: readers size their grid from it.
    """
    extent, row, column = Extent(), 0, 0
    for _, element in ElementTree.iterparse(stream, events=("start",)):
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "row":
            row, column = _number(element.get("r")) or row + 1, 0
            extent.rows = max(extent.rows, row)
        elif tag == "c":
            reference = element.get("r")
            column = _column(reference) if reference else column + 1
            extent.columns = max(extent.columns, column)
        elif tag == "mergeCell":
            extent.merged += 1
        elif tag == "dimension":
            _claim(extent, element.get("ref", ""))
        if extent.exceeds(limit):
            break
    return extent


def _claim(extent: Extent, reference: str) -> None:
    last = reference.split(":")[-1]
    found = CELL.fullmatch(last.replace("$", ""))
    if found:
        extent.rows = max(extent.rows, int(found.group(2)))
        extent.columns = max(extent.columns, _column(found.group(1)))


def _number(text: str | None) -> int:
    return int(text) if text and text.isdigit() else 0


def _column(reference: str) -> int:
    """Return the column number of a cell reference such as XFD1048576 (16384)."""
    number = 0
    for char in reference:
        if not "A" <= char <= "Z":
            break
        number = number * 26 + ord(char) - 64
    return number
