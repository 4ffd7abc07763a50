"""Write openpyxl workbooks deterministically and atomically: fixed properties and zip entry times."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from openpyxl.writer.excel import ExcelWriter

from ..core.output import atomic_write, normalize_zip, zip_time


def stamp_workbook(workbook, title: str, author: str, day: dt.date) -> None:
    """Fix the workbook's core properties (title, creator, dates) so a rebuild gives the same bytes."""
    props = workbook.properties
    moment = dt.datetime(day.year, day.month, day.day)
    props.title, props.creator, props.lastModifiedBy = title, author, author
    props.created = props.modified = moment


def workbook_bytes(workbook, day: dt.date) -> bytes:
    """Return a workbook's .xlsx bytes with zip entry times fixed to day (keeping its stamped dates)."""
    buffer = io.BytesIO()
    # Workbook.save() would stamp the current time as the modified date; the writer itself does not.
    ExcelWriter(workbook, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    return normalize_zip(buffer.getvalue(), zip_time(day))


def write_workbook(workbook, path: Path, day: dt.date) -> Path:
    """Save a workbook atomically and deterministically."""
    return atomic_write(Path(path), workbook_bytes(workbook, day))
