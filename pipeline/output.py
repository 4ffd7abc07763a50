"""Write outputs atomically and deterministically, and keep outputs/manifest.json."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import tempfile
import zipfile
from pathlib import Path

EPOCH = (1980, 1, 1, 0, 0, 0)
MANIFEST = "manifest.json"


def atomic_write(path: Path, data: bytes) -> Path:
    """Write bytes to a temporary file beside path, then rename it into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def normalize_zip(data: bytes, when: tuple = EPOCH) -> bytes:
    """Rewrite a zip package with fixed entry times and attributes, so equal content gives equal bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            out.writestr(info, source.read(item.filename))
    return target.getvalue()


def zip_time(day: dt.date | None) -> tuple:
    """Return a zip entry time for a date (midnight), or the zip epoch."""
    return EPOCH if day is None else (day.year, day.month, day.day, 0, 0, 0)


def write_docx(document, path: Path, day: dt.date | None = None) -> Path:
    """Save a python-docx (or docxtpl) document deterministically and atomically."""
    buffer = io.BytesIO()
    document.save(buffer)
    return atomic_write(path, normalize_zip(buffer.getvalue(), zip_time(day)))


def stamp_core_properties(core, title: str, author: str, day: dt.date) -> None:
    """Fix the core properties (author, title, dates, revision) from the document's own data."""
    moment = dt.datetime(day.year, day.month, day.day)
    core.title, core.author, core.last_modified_by = title, author, author
    core.created = core.modified = moment
    core.last_printed = moment
    core.revision = 1
    core.comments = core.subject = core.keywords = core.category = ""


def sha256(path: Path) -> str:
    """Return the hex SHA-256 of a file."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def manifest_entries(out_dir: Path) -> list[dict]:
    """Return the entries of out_dir/manifest.json (none if it does not exist)."""
    manifest_path = Path(out_dir) / MANIFEST
    if not manifest_path.exists():
        return []
    return json.loads(manifest_path.read_text(encoding="utf-8")).get("files", [])


def record(out_dir: Path, role: str, path: Path, **extra) -> dict:
    """Add or replace an entry in out_dir/manifest.json and return it."""
    out_dir = Path(out_dir)
    manifest_path = out_dir / MANIFEST
    files = manifest_entries(out_dir)
    relative = Path(path).resolve().relative_to(out_dir.resolve()).as_posix()
    entry = {"role": role, "path": relative, "sha256": sha256(path), **extra}
    files = [f for f in files if f.get("path") != relative and not _same_role(f, entry)] + [entry]
    files.sort(key=lambda f: (f["role"], f["path"]))
    text = json.dumps({"files": files}, ensure_ascii=False, indent=2) + "\n"
    atomic_write(manifest_path, text.encode("utf-8"))
    return entry


def _same_role(old: dict, new: dict) -> bool:
    keys = ("role", "recipient_id")
    return all(old.get(k) == new.get(k) for k in keys)
