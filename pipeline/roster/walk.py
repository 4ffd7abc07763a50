"""List the returned folder without recursion or surprises, and read one returned file within its size limit.

Only regular files are read. A symlink is followed only when it stays inside the returned folder and
points to a regular file; FIFOs, devices, sockets and other links are set aside with a warning, so
nothing can block or flood a run. Folders deeper than the limit are reported, never descended into.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from ..core.text import decode_name
from .limits import SET_ASIDE, Limits
from .places import Place
from .records import RawFile, refused


@dataclass(frozen=True)
class Entry:
    """Hold one thing found in the returned folder: a file to read (path set) or a record already decided."""

    place: Place
    mtime: float
    path: Path | None = None
    record: RawFile | None = None


def walk(root: Path, limits: Limits, skip: Path | None = None) -> list[Entry]:
    """Return every entry under root, sorted by place; skip is a folder never listed (the outputs)."""
    root, found = Path(root), []
    real_root = root.resolve()
    skipped = os.path.realpath(skip) if skip is not None else None
    stack = [(root, 0)]
    while stack:
        folder, depth = stack.pop()
        try:
            with os.scandir(folder) as listing:
                items = list(listing)
        except OSError:
            found.append(_decided(root, folder, "folder", limits, folder=True))
            continue
        for item in items:
            path = Path(item.path)
            if item.is_dir(follow_symlinks=False):
                if os.path.realpath(path) == skipped:
                    continue
                if depth + 1 > limits.depth:
                    found.append(_decided(root, path, "too_deep", limits, folder=True))
                else:
                    stack.append((path, depth + 1))
                continue
            found.append(_entry(root, real_root, item, limits))
    return sorted(found, key=lambda e: e.place)


def _entry(root: Path, real_root: Path, item: os.DirEntry, limits: Limits) -> Entry:
    path = Path(item.path)
    place = Place(relative(root, path))
    try:
        info = item.stat(follow_symlinks=False)
    except OSError:
        return _decided(root, path, "os_error", limits)
    if place.is_noise():
        return Entry(place, info.st_mtime, record=RawFile(place, info.st_mtime, ignored=True))
    if stat.S_ISLNK(info.st_mode):
        return _link(root, real_root, path, info, limits)
    if not stat.S_ISREG(info.st_mode):
        return Entry(place, info.st_mtime, record=_set_aside(place, info.st_mtime, "special"))
    return Entry(place, info.st_mtime, path=path)


def _link(root: Path, real_root: Path, path: Path, info: os.stat_result, limits: Limits) -> Entry:
    """Follow a link only when its target is a regular file inside the returned folder."""
    place = Place(relative(root, path))
    target = Path(os.path.realpath(path))
    if not target.is_relative_to(real_root):
        return Entry(place, info.st_mtime, record=_set_aside(place, info.st_mtime, "link_outside"))
    try:
        target_info = os.stat(target)
    except OSError:
        return _decided(root, path, "os_error", limits)
    if stat.S_ISDIR(target_info.st_mode):
        return Entry(place, info.st_mtime, record=_set_aside(place, info.st_mtime, "link_folder"))
    if not stat.S_ISREG(target_info.st_mode):
        return Entry(place, info.st_mtime, record=_set_aside(place, info.st_mtime, "special"))
    return Entry(place, target_info.st_mtime, path=target)


def _set_aside(place: Place, mtime: float, reason: str) -> RawFile:
    return RawFile(place, mtime, reason=reason, note=SET_ASIDE[reason], ignored=True)


def _decided(root: Path, path: Path, reason: str, limits: Limits, folder: bool = False) -> Entry:
    place = Place(relative(root, path) + ("/" if folder else ""))
    return Entry(place, 0.0, record=refused(place, 0.0, reason, limits))


def relative(root: Path, path: Path) -> str:
    """Return path relative to root with '/' separators, its name decoded as clean text (GBK names too)."""
    return decode_name(os.fsencode(Path(path).relative_to(root).as_posix()))
