"""Write outputs atomically and deterministically, and keep outputs/manifest.json."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import tempfile
import zipfile
from pathlib import Path

from .errors import PipelineError

EPOCH = (1980, 1, 1, 0, 0, 0)
FILE_NAME_BAD = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
MANIFEST = "manifest.json"


def safe_file_part(text: str) -> str:
    """Replace the characters Windows forbids in file names (and line breaks), and trailing dots and spaces."""
    return FILE_NAME_BAD.sub("_", text.replace("\n", "")).strip().rstrip(". ") or "_"


def atomic_write(path: Path, data: bytes) -> Path:
    """Write bytes to a temporary file beside path, then rename it into place."""
    path = Path(path)
    try:
        return _write_then_rename(path, data)
    except (FileExistsError, NotADirectoryError):
        raise PipelineError(f"无法写入 {path}：输出位置 {path.parent} 不是文件夹（请用 --out 指定一个文件夹）") from None
    except PermissionError:
        raise PipelineError(f"无法写入 {path}：没有写入权限") from None
    except OSError as exc:
        raise PipelineError(f"无法写入 {path}：{exc.strerror or '系统错误'}") from None


def _write_then_rename(path: Path, data: bytes) -> Path:
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
    try:
        files = json.loads(manifest_path.read_text(encoding="utf-8")).get("files", [])
    except (ValueError, AttributeError, OSError):
        raise PipelineError(f"输出清单 {manifest_path} 已损坏，请删除它（或运行 make clean）后重新生成") from None
    return [f for f in files if isinstance(f, dict) and "role" in f and "path" in f]


def record(out_dir: Path, role: str, path: Path, **extra) -> dict:
    """Add an entry to out_dir/manifest.json, replacing the one for the same file; return it.

    Entries whose files no longer exist are dropped, so the manifest names what is on disk.
    """
    out_dir = Path(out_dir)
    try:
        relative = Path(path).resolve().relative_to(out_dir.resolve()).as_posix()
    except ValueError:
        raise PipelineError(f"输出文件 {path} 不在清单所在的文件夹 {out_dir} 之内，无法记入 manifest.json") from None
    entry = {"role": role, "path": relative, "sha256": sha256(path), **extra}
    files = [f for f in manifest_entries(out_dir) if f["path"] != relative and (out_dir / f["path"]).exists()]
    files = sorted(files + [entry], key=lambda f: (f["role"], f["path"]))
    text = json.dumps({"files": files}, ensure_ascii=False, indent=2) + "\n"
    atomic_write(out_dir / MANIFEST, text.encode("utf-8"))
    return entry
