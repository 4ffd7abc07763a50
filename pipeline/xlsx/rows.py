"""Write the text rows of a write-only sheet as the very bytes openpyxl writes, without a cell object per value.

openpyxl writes a write-only sheet's cells one by one through lxml (about 15 µs a cell); a roster of
3,000 units has over 100,000. Here a row of text values becomes the same XML openpyxl would give it:
inline strings (t="inlineStr", xml:space="preserve" when the text has outer spaces), Excel's error codes
as t="e", empty cells left out, and the document's ASCII encoding (every other character as &#N;).
workbook_bytes (writer.py) puts the rows into the sheet part after the rows openpyxl wrote (the header).
"""

from __future__ import annotations

from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE

from .extent import column_letters

ERRORS = frozenset(ERROR_CODES)
SHEET_DATA_END = b"</sheetData>"


class SheetRows:
    """Hold the XML of a sheet's rows below the ones openpyxl wrote, numbered from first."""

    def __init__(self, first: int):
        self.first, self.parts, self.letters = first, [], []

    def add(self, values: list) -> None:
        """Add a row of str values (None: empty): text, = too (never a formula); Excel's error codes as errors."""
        number = self.first + len(self.parts)
        while len(self.letters) < len(values):
            self.letters.append(column_letters(len(self.letters) + 1))
        cells = "".join(_cell(f"{self.letters[i]}{number}", value) for i, value in enumerate(values) if value is not None)
        self.parts.append(f'<row r="{number}">{cells}</row>')

    def xml(self) -> bytes:
        """Return the rows' XML, encoded as openpyxl encodes a worksheet."""
        return "".join(self.parts).encode("ascii", "xmlcharrefreplace")


def _cell(ref: str, value: str) -> str:
    value = value[:32767]
    if not value.isprintable() and ILLEGAL_CHARACTERS_RE.search(value):
        raise ValueError(f"{value!r} cannot be used in worksheets")
    escaped = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    if value in ERRORS:
        return f'<c r="{ref}" t="e"><v>{escaped}</v></c>'
    space = ' xml:space="preserve"' if value != value.strip() else ""
    return f'<c r="{ref}" t="inlineStr"><is><t{space}>{escaped}</t></is></c>'


def insert_rows(xml: bytes, rows: bytes) -> bytes:
    """Return a worksheet part's XML with rows added at the end of its sheetData."""
    end = xml.rindex(SHEET_DATA_END)
    return xml[:end] + rows + xml[end:]
