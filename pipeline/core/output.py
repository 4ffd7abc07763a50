"""Write outputs atomically and deterministically: one file by rename, and zip packages with fixed entry times."""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import io
import os
import sys
import tempfile
import time
import zipfile
from contextlib import contextmanager
from pathlib import Path
from typing import Callable

try:
    import fcntl
except ImportError:  # Windows: no advisory file locks
    fcntl = None

from .errors import PipelineError

EPOCH = (1980, 1, 1, 0, 0, 0)
LOCK_WAIT_SECONDS = 600  # how long a stage waits for another run writing the same outputs


OS_REASONS = {  # errno → why a file cannot be written, in Chinese
    errno.EEXIST: "输出位置上已有同名的文件，不是文件夹（请用 --out 指定一个文件夹）",
    errno.ENOTDIR: "输出位置上已有同名的文件，不是文件夹（请用 --out 指定一个文件夹）",
    errno.EACCES: "没有写入权限", errno.EPERM: "没有写入权限", errno.EROFS: "磁盘是只读的",
    errno.ENOSPC: "磁盘已满", errno.EDQUOT: "超出磁盘配额", errno.ENAMETOOLONG: "文件名过长",
}


def write_failure(path: Path, exc: OSError) -> PipelineError:
    """Return the Chinese error for a file that could not be written."""
    return PipelineError(f"无法写入 {path}：{OS_REASONS.get(exc.errno, '系统错误（' + str(exc.errno) + '）')}")


def atomic_write(path: Path, data: bytes, prefix: str = ".tmp-") -> Path:
    """Write bytes to a temporary file beside path (its name starting with prefix), then rename it into place."""
    path = Path(path)
    try:
        return _write_then_rename(path, data, prefix)
    except OSError as exc:
        raise write_failure(path, exc) from None


def _write_then_rename(path: Path, data: bytes, prefix: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=prefix, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def normalize_zip(data: bytes, when: tuple = EPOCH, edit: Callable[[str, bytes], bytes] | None = None) -> bytes:
    """Rewrite a zip package with fixed entry times and attributes, so equal content gives equal bytes.

    edit, if given, returns each entry's content to write from its name and its content.
    """
    source = zipfile.ZipFile(io.BytesIO(data))
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            content = source.read(item.filename)
            out.writestr(info, edit(item.filename, content) if edit else content)
    return target.getvalue()


def zip_time(day: dt.date | None) -> tuple:
    """Return a zip entry time for a date (midnight), or the zip epoch (also for dates a zip cannot hold)."""
    if day is None or not 1980 <= day.year <= 2107:
        return EPOCH
    return (day.year, day.month, day.day, 0, 0, 0)


def docx_bytes(document, day: dt.date | None = None) -> bytes:
    """Return a python-docx (or docxtpl) document's bytes, deterministic for equal content."""
    buffer = io.BytesIO()
    document.save(buffer)
    return normalize_zip(buffer.getvalue(), zip_time(day))


def write_docx(document, path: Path, day: dt.date | None = None) -> Path:
    """Save a python-docx (or docxtpl) document deterministically and atomically."""
    return atomic_write(path, docx_bytes(document, day))


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


@contextmanager
def locked(lock_path: Path, what: str):
    """Hold an exclusive lock on lock_path (waiting up to LOCK_WAIT_SECONDS for another run to finish).

    Where the system has no file locks (Windows), runs are not kept apart.
    """
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a+b") as handle:
        _wait_for(handle, what)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(handle, fcntl.LOCK_UN)


def _wait_for(handle, what: str) -> None:
    """Take the lock, saying once (on stderr) that another run is being waited for."""
    deadline, told = time.monotonic() + LOCK_WAIT_SECONDS, False
    while fcntl is not None:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() > deadline:
                raise PipelineError(f"另一次运行正在写入{what}，等待超过 {LOCK_WAIT_SECONDS} 秒，已放弃；请稍后重试") from None
            if not told:
                print(f"另一次运行正在写入{what}，等它完成……", file=sys.stderr, flush=True)
                told = True
            time.sleep(0.1)


def is_inside(path: Path, folder: Path) -> bool:
    """Tell whether path is folder or lies inside it (after resolving links)."""
    return Path(path).resolve().is_relative_to(Path(folder).resolve())
