"""Read one returned file's bytes into raw sheets of cells, by what the bytes are (not only what the name says).

A file becomes a RawFile with one RawSheet per worksheet or Word table, each a list of rows of raw values;
nothing here interprets the cells. Every limit is checked before a reader is trusted with the bytes: the
package's parts are inflated within their limit, a worksheet's extent and merged ranges are counted from
its XML, a Word table's spans and rows are bounded. Whatever goes wrong in a reader (an exception, even a
panic of the spreadsheet reader) becomes the file's reason; a crash of the whole process is caught one
level up (sandbox.py).
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from pathlib import PurePosixPath

import docx
from python_calamine import CalamineWorkbook, PasswordError, SheetVisibleEnum

from ..core.text import decode_text
from ..docx.reading import TableLimit, body_tables, table_grid
from ..xlsx.extent import Extent, sheet_extent
from ..xlsx.package import custom_property, worksheet_parts
from .archive import ZIP_ERRORS, Blob, TooLarge, inflate_package, open_zip
from .limits import Limits
from .records import RawFile, RawSheet, refused

SPREADSHEET, WORD, TEXT = "spreadsheet", "word", "text"
TEXT_EXTENSIONS = {".csv", ".txt", ".tsv"}
SPREADSHEET_EXTENSIONS = {".xlsx", ".xlsm", ".xls", ".ods", ".xlsb", ".et"}
DELIMITERS = (",", "\t", ";")
TABLE_LIMITS = {"span": "span_too_wide", "columns": "too_many_columns", "rows": "too_many_rows"}
EXTENT_LIMITS = {"rows": "too_many_rows", "columns": "too_many_columns", "merged": "too_many_merged"}


class Refused(Exception):
    """Stop reading a file for a reason (a key of limits.reasons())."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def read_blob(blob: Blob, limits: Limits, package: zipfile.ZipFile | None = None) -> RawFile:
    """Read one file's bytes (never an archive: those are expanded before) into a RawFile.

    package is the file already opened as a zip, when the caller has done so.
    """
    try:
        return _read(blob, limits, package or open_zip(blob.data))
    except Refused as refusal:
        return refused(blob.place, blob.mtime, refusal.reason, limits)
    except PasswordError:
        return refused(blob.place, blob.mtime, "password", limits)
    except MemoryError:
        return refused(blob.place, blob.mtime, "too_large", limits)
    except BaseException as exc:  # noqa: BLE001 - any failure of a reader on a bad file (a Rust panic too) is a record
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        return refused(blob.place, blob.mtime, "corrupt", limits)


def _read(blob: Blob, limits: Limits, package: zipfile.ZipFile | None) -> RawFile:
    if not blob.data:
        raise Refused("empty")
    kind = sniff(blob.place.name, blob.data, package)
    if kind not in (SPREADSHEET, WORD, TEXT):
        raise Refused(kind)
    sheets = _inflated(package, limits, worksheet_parts(package) if kind == SPREADSHEET else ()) if package else {}
    if kind == SPREADSHEET:
        return read_spreadsheet(blob, package, sheets, limits)
    return (read_word if kind == WORD else read_text)(blob, limits)


def _inflated(package: zipfile.ZipFile, limits: Limits, keep) -> dict[str, bytes]:
    """Inflate a package within the limits (a lying size stops at the limit); return the parts named in keep."""
    try:
        return inflate_package(package, limits, keep)
    except TooLarge:
        raise Refused("too_large") from None
    except ZIP_ERRORS:
        raise Refused("corrupt") from None


# Recognising a file by its content ------------------------------------------------------
def sniff(name: str, data: bytes, package: zipfile.ZipFile | None = None) -> str:
    """Return the kind of a file (spreadsheet, word, text) or a reason key when it cannot be read."""
    if data.startswith(b"PK"):
        return _sniff_zip(package)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return _sniff_ole(name, data)
    return _sniff_other(name, data)


def _sniff_zip(package: zipfile.ZipFile | None) -> str:
    if package is None:
        return "corrupt"
    names = package.NameToInfo
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names or "content.xml" in names:
        return SPREADSHEET
    return WORD if "word/document.xml" in names else "unsupported"


def _sniff_ole(name: str, data: bytes) -> str:
    """Tell an old .xls from a password-protected .xlsx or an old Word document (all OLE containers)."""
    if "EncryptedPackage".encode("utf-16-le") in data:
        return "password"
    if "WordDocument".encode("utf-16-le") in data or name.lower().endswith((".doc", ".wps")):
        return "old_word"
    return SPREADSHEET


def _sniff_other(name: str, data: bytes) -> str:
    head = data[:16].lstrip()
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM", b"II*\x00", b"MM\x00*")):
        return "image"
    if head.startswith(b"{\\rtf"):
        return "old_word"
    if head[:1] == b"<" and b"<table" in data[:65536].lower():
        return "html"
    suffix = PurePosixPath(name).suffix.lower()
    if suffix in TEXT_EXTENSIONS or (suffix in SPREADSHEET_EXTENSIONS and _looks_like_text(data)):
        return TEXT
    return "corrupt" if suffix in SPREADSHEET_EXTENSIONS | {".docx", ".zip"} else "unsupported"


def _looks_like_text(data: bytes) -> bool:
    sample = data[:4096]
    return sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or (bool(sample) and b"\x00" not in sample)


# Spreadsheets ---------------------------------------------------------------------------
def read_spreadsheet(blob: Blob, package: zipfile.ZipFile | None, sheets: dict[str, bytes], limits: Limits) -> RawFile:
    """Read every worksheet of an .xlsx/.xlsm/.xls/.ods with python-calamine, and the recipient_id property.

    sheets holds the XML of an xlsx's worksheet parts, measured before the reader sees them.
    """
    _check_extents(sheets, limits)
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(blob.data))
    if len(workbook.sheet_names) > limits.sheets:
        raise Refused("too_many_sheets")
    found = RawFile(blob.place, blob.mtime, recipient_id=custom_property(package, "recipient_id") if package else "")
    hidden = {sheet.name for sheet in workbook.sheets_metadata if sheet.visible != SheetVisibleEnum.Visible}
    found.sheets = [_worksheet(workbook, name, limits, name in hidden) for name in workbook.sheet_names]
    return found


def _check_extents(sheets: dict[str, bytes], limits: Limits) -> None:
    """Refuse an xlsx whose sheets reach past the row, column or merged-range limits (read from their XML)."""
    limit = Extent(limits.rows, limits.columns, limits.merged)
    if len(sheets) > limits.sheets:
        raise Refused("too_many_sheets")
    for xml in sheets.values():
        over = sheet_extent(xml, limit).exceeds(limit)
        if over:
            raise Refused(EXTENT_LIMITS[over])


def _worksheet(workbook, name: str, limits: Limits, hidden: bool = False) -> RawSheet:
    """Return a sheet's cells from A1 with merged ranges filled from their first cell."""
    try:
        sheet = workbook.get_sheet_by_name(name)
    except Exception:  # noqa: BLE001 - a chart sheet or a damaged sheet has no cells to read
        return RawSheet(name, [], hidden=hidden)
    end = sheet.end
    if end and end[0] + 1 > limits.rows:
        raise Refused("too_many_rows")
    if end and end[1] + 1 > limits.columns:
        raise Refused("too_many_columns")
    ranges = sheet.merged_cell_ranges or []
    if len(ranges) > limits.merged:
        raise Refused("too_many_merged")
    rows = sheet.to_python(skip_empty_area=False)
    fill_merged(rows, ranges, limits.rows * limits.columns)
    return RawSheet(name, rows, hidden=hidden)


def fill_merged(rows: list[list], ranges, budget: int) -> None:
    """Copy the value of each merged range's first cell into the range's other cells (at most budget cells)."""
    for (top, left), (bottom, right) in ranges:
        if top >= len(rows) or left >= len(rows[top]):
            continue
        value = rows[top][left]
        for r in range(top, min(bottom, len(rows) - 1) + 1):
            last = min(right, len(rows[r]) - 1)
            budget -= max(0, last - left + 1)
            if budget < 0:
                raise Refused("too_many_merged")
            rows[r][left:last + 1] = [value] * max(0, last - left + 1)


# Word ------------------------------------------------------------------------------------
def read_word(blob: Blob, limits: Limits) -> RawFile:
    """Read every top-level table of a .docx as a sheet named 表格N; body paragraphs become each sheet's notes."""
    document = docx.Document(io.BytesIO(blob.data))
    tables = body_tables(document)
    if not tables:
        raise Refused("no_table")
    if len(tables) > limits.sheets:
        raise Refused("too_many_sheets")
    notes = tuple(p.text for p in document.paragraphs if p.text.strip())
    try:
        grids = [table_grid(tbl, limits.span, limits.rows, limits.columns) for tbl in tables]
    except TableLimit as over:
        raise Refused(TABLE_LIMITS[over.kind]) from None
    sheets = [RawSheet(f"表格{i}", grid, notes, grid=False) for i, grid in enumerate(grids, start=1)]
    return RawFile(blob.place, blob.mtime, sheets=sheets)


# Text (CSV) -------------------------------------------------------------------------------
def read_text(blob: Blob, limits: Limits) -> RawFile:
    """Read a CSV (or tab-separated text) in UTF-8, UTF-8 with BOM, UTF-16 or GBK/GB18030 as one sheet."""
    text = decode_text(blob.data)
    if text is None:
        raise Refused("encoding")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(text))
    rows = []
    for row in reader:
        if len(rows) >= limits.rows:
            raise Refused("too_many_rows")
        if len(row) > limits.columns:
            raise Refused("too_many_columns")
        rows.append(row)
    return RawFile(blob.place, blob.mtime, sheets=[RawSheet("", rows)])


def delimiter(text: str) -> str:
    """Guess the field separator from the first lines: the one that appears most often."""
    sample = "\n".join(text[:65536].splitlines()[:20])
    return max(DELIMITERS, key=sample.count)
