"""Open zip containers within limits: archives sent by units (expanded into their files) and xlsx/docx packages.

Every part is inflated in chunks with a running total, so a zip that lies about its sizes stops at the
limit instead of filling memory. Any failure inside the zip library (zlib.error, a version it does not
support, a member without a name) becomes a record for that file, never an exception.

Times: a zip member only stores a wall-clock date_time without a zone; it is read as China Standard Time
(UTC+8), since the returns come from Chinese units, so comparing members with loose files never depends on
the machine's zone.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from typing import Iterator

from ..core.text import decode_name
from .limits import Limits
from .places import Place
from .records import RawFile, refused

CHUNK = 64 * 1024
DEFLATE_MAX_RATIO = 1032  # the most a deflate stream can expand: a part of n compressed bytes inflates to ≤ 1032·n
MAX_RATIO = 100  # uncompressed / compressed size of one member ...
RATIO_FLOOR = 1024 * 1024  # ... checked for members larger than this (small text compresses well)
UTF8_FLAG = 0x800
ENCRYPTED_FLAG = 0x1
CHINA_TIME = dt.timezone(dt.timedelta(hours=8), "UTC+8")
PACKAGE_PARTS = ("xl/workbook.xml", "xl/workbook.bin", "content.xml", "word/document.xml")
# Whatever the zip library raises on a damaged part (zlib, lzma or bz2 errors, a method or version it does
# not support, a member without a name …) is that part's record: every failure is caught, none listed.
ZIP_ERRORS = (Exception,)


class TooLarge(Exception):
    """Stop inflating a part or a container past its limit."""


@dataclass(frozen=True)
class Blob:
    """Hold the bytes of one file to read, where it came from and its time.

    deadline (a monotonic time, 0 for none) is shared by all the files of one returned archive.
    """

    place: Place
    data: bytes
    mtime: float
    deadline: float = 0.0


class Budget:
    """Count the bytes and files a container (and the containers inside it) may still expand to."""

    def __init__(self, limit: int, members: int = 0):
        self.left, self.members = limit, members

    def take(self, size: int) -> None:
        """Spend size bytes; raise TooLarge past the limit."""
        self.left -= size
        if self.left < 0:
            raise TooLarge()


def is_folder(info: zipfile.ZipInfo) -> bool:
    """Tell whether a zip entry is a folder (ZipInfo.is_dir fails on an entry without a name)."""
    return info.filename.endswith("/")


def open_zip(data: bytes) -> zipfile.ZipFile | None:
    """Open bytes that start like a zip (xlsx, docx, zip); None when they do not, or the zip is damaged."""
    if not data.startswith(b"PK"):
        return None
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except ZIP_ERRORS:
        return None


def is_archive(package: zipfile.ZipFile) -> bool:
    """Tell a plain archive from an Office package (xlsx, ods, docx), which is read as one document."""
    return not any(part in package.NameToInfo for part in PACKAGE_PARTS)


def read_part(package: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, budget: Budget,
              keep: bool = True) -> bytes:
    """Inflate one part in chunks, stopping at limit bytes or when the budget runs out (TooLarge).

    With keep=False the bytes are only counted (to check a package before a reader opens it).
    """
    if info.file_size > limit:
        raise TooLarge()
    chunks, size = [], 0
    with package.open(info) as stream:
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            budget.take(len(chunk))
            if size > limit:
                raise TooLarge()
            if keep:
                chunks.append(chunk)
    return b"".join(chunks)


def inflate_package(package: zipfile.ZipFile, limits: Limits, keep=()) -> dict[str, bytes]:
    """Make sure no part of an Office package can inflate past the limits; return the parts named in keep.

    A stored or deflated part cannot grow beyond a known multiple of its compressed size, whatever its
    header claims: while those bounds fit the budget the part is not inflated here. Any other part, and
    any part whose bound does not fit, is inflated in chunks with a running total. Raise TooLarge past a
    limit, or one of ZIP_ERRORS for a damaged package.
    """
    budget, kept = Budget(limits.unzipped_bytes), {}
    for info in package.infolist():
        if is_folder(info):
            continue
        bound = _bound(info)
        if info.filename in keep or bound is None or bound > budget.left:
            data = read_part(package, info, limits.unzipped_bytes, budget, keep=info.filename in keep)
            if info.filename in keep:
                kept[info.filename] = data
        else:
            budget.take(bound)
    return kept


def _bound(info: zipfile.ZipInfo) -> int | None:
    """Return the most a part can inflate to, from its compressed size (None for other compression methods)."""
    if info.compress_type == zipfile.ZIP_STORED:
        return info.compress_size
    if info.compress_type == zipfile.ZIP_DEFLATED:
        return info.compress_size * DEFLATE_MAX_RATIO
    return None


def expand(blob: Blob, limits: Limits, depth: int = 0, budget: Budget | None = None) -> Iterator[Blob | RawFile]:
    """Yield the file itself, or each member of an archive as a file of its own (recursively, within limits)."""
    package = open_zip(blob.data)
    if package is None or not is_archive(package):
        yield blob
        return
    budget = budget or Budget(limits.unzipped_bytes, limits.members)
    members = [info for info in _infolist(package) if not is_folder(info)]
    refusal = _refusal(members, depth, budget, limits)
    if refusal:
        yield refused(blob.place, blob.mtime, refusal, limits)
        return
    for info in sorted(members, key=member_name):
        yield from _member(package, info, blob, limits, depth, budget)


def _infolist(package: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    try:
        return package.infolist()
    except ZIP_ERRORS:
        return []


def _refusal(members: list[zipfile.ZipInfo], depth: int, budget: Budget, limits: Limits) -> str:
    """Return why an archive is refused (a reason key), or '' when it may be expanded."""
    if depth >= limits.archive_depth:
        return "zip_depth"
    if len(members) > budget.members:  # one count for an archive and every archive inside it
        return "zip_members"
    budget.members -= len(members)
    if sum(info.file_size for info in members) > budget.left:
        return "zip_bomb"
    if any(info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1)
           for info in members):
        return "zip_bomb"
    return ""


def _member(package: zipfile.ZipFile, info: zipfile.ZipInfo, archive: Blob, limits: Limits, depth: int,
            budget: Budget) -> Iterator[Blob | RawFile]:
    name = member_name(info).strip("/")
    place = archive.place.inside(name or "（无名文件）")
    when = member_time(info, archive.mtime)
    if not name:
        yield refused(place, when, "zip_name", limits)
    elif place.is_noise():
        yield RawFile(place, when, ignored=True)
    elif info.flag_bits & ENCRYPTED_FLAG:
        yield refused(place, when, "zip_password", limits)
    else:
        try:
            data = read_part(package, info, limits.file_bytes, budget)
        except TooLarge:
            yield refused(place, when, "too_large", limits)
        except ZIP_ERRORS:
            yield refused(place, when, "corrupt", limits)
        else:
            yield from expand(Blob(place, data, when, archive.deadline), limits, depth + 1, budget)


def member_name(info: zipfile.ZipInfo) -> str:
    """Return a member's name, decoding GBK (or UTF-8) names stored without the zip UTF-8 flag."""
    if info.flag_bits & UTF8_FLAG:
        return info.filename
    try:
        return decode_name(info.filename.encode("cp437"))
    except UnicodeEncodeError:
        return info.filename


def member_time(info: zipfile.ZipInfo, fallback: float) -> float:
    """Return a member's stored date_time read as China Standard Time, as a timestamp; fallback if invalid."""
    try:
        return dt.datetime(*info.date_time, tzinfo=CHINA_TIME).timestamp()
    except (OverflowError, ValueError, TypeError):
        return fallback
