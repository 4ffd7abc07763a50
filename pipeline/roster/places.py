"""Name where a returned file is: a path in the returned folder, and a path inside each archive around it.

A place is data, never a string to split: ARCHIVE.zip!MEMBER is only how it is printed, so a plain
file whose name contains '!' is read like any other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath

from ..core.problems import shown

IGNORED_NAMES = {"thumbs.db", "ehthumbs.db", ".ds_store", "desktop.ini"}
IGNORED_PREFIXES = ("~$", ".", "~wrl")  # Office lock files, hidden files (.DS_Store, ._x, .~lock.x#), Word temp files


@dataclass(frozen=True, order=True)
class Place:
    """Hold a file's path relative to the returned folder ('/' separators) and its path inside archives."""

    file: str
    members: tuple[str, ...] = field(default=())

    def __str__(self) -> str:
        return shown(self.file, self.members)

    @property
    def name(self) -> str:
        """Return the file's own name, such as 北京.xlsx."""
        return PurePosixPath((self.file, *self.members)[-1]).name

    @property
    def stem(self) -> str:
        """Return the file's own name without its suffix, such as 北京."""
        return PurePosixPath(self.name).stem

    def inside(self, member: str) -> "Place":
        """Return the place of a member of this archive."""
        return Place(self.file, (*self.members, member))

    def texts(self) -> list[str]:
        """Return the texts to match a unit against: the file's own name (no suffix) first, then its folders."""
        parts = [part for path in (self.file, *self.members) for part in path.strip("/").split("/") if part]
        return [self.stem] + parts[-2::-1] if parts else []

    def is_noise(self) -> bool:
        """Tell whether this is a file nobody sent on purpose: lock files, hidden files, Thumbs.db, macOS forks."""
        name = self.name.lower()
        paths = (self.file, *self.members)
        return name in IGNORED_NAMES or name.startswith(IGNORED_PREFIXES) or any(
            "__macosx" in p.lower().split("/") for p in paths)
