"""Write openpyxl workbooks deterministically and atomically: fixed properties and zip entry times."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from openpyxl.writer.excel import ExcelWriter

from ..core.output import atomic_write, normalize_zip, zip_time
from .rows import insert_rows


def stamp_workbook(workbook, title: str, author: str, day: dt.date) -> None:
    """Fix the workbook's core properties (title, creator, dates) so a rebuild gives the same bytes."""
    props = workbook.properties
    moment = dt.datetime(day.year, day.month, day.day)
    props.title, props.creator, props.lastModifiedBy = title, author, author
    props.created = props.modified = moment


def workbook_bytes(workbook, day: dt.date, rows: dict | None = None) -> bytes:
    """Return a workbook's .xlsx bytes with zip entry times fixed to day (keeping its stamped dates).

    rows maps a write-only sheet to more rows (SheetRows) that go after those written into it.
    """
    buffer = io.BytesIO()
    # Workbook.save() would stamp the current time as the modified date; the writer itself does not. The parts
    # are stored, not deflated: normalize_zip deflates them once.
    ExcelWriter(workbook, zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED)).save()
    more = {sheet.path[1:]: added.xml() for sheet, added in (rows or {}).items()}
    edit = (lambda name, xml: insert_rows(xml, more[name]) if name in more else xml) if more else None
    return normalize_zip(buffer.getvalue(), zip_time(day), edit)


def write_workbook(workbook, path: Path, day: dt.date) -> Path:
    """Save a workbook atomically and deterministically."""
    return atomic_write(Path(path), workbook_bytes(workbook, day))
