"""Read a file only when it is a regular file, and only up to a size limit (a FIFO or a device never blocks)."""

from __future__ import annotations

import os
import stat
from pathlib import Path


class NotRegular(OSError):
    """Report a path that is a folder, a FIFO, a device or a socket rather than a regular file."""

    def __init__(self, path: Path, folder: bool):
        super().__init__(f"not a regular file: {path}")
        self.folder = folder


def read_regular(path: Path, limit: int) -> bytes | None:
    """Return a regular file's bytes, or None when it is larger than limit (checked before and while reading).

    Raise NotRegular for anything else, OSError when it cannot be opened. The file is opened without
    blocking and without following a final link, so a swap after it was listed cannot redirect the read.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegular(Path(path), stat.S_ISDIR(info.st_mode))
        if info.st_size > limit:
            return None
        with os.fdopen(fd, "rb") as handle:
            fd = -1
            data = handle.read(limit + 1)
    finally:
        if fd >= 0:
            os.close(fd)
    return None if len(data) > limit else data
