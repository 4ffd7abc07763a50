"""Define the records a consolidation passes along: a file's raw cells, and what it became (a submission)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..core.problems import Problem
from ..core.recipients import Recipient
from .limits import Limits, reasons
from .places import Place

USED, SUPERSEDED, UNMATCHED, UNREADABLE, IGNORED = "used", "superseded", "unmatched", "unreadable", "ignored"
FILE_STATUSES = (USED, SUPERSEDED, UNMATCHED, UNREADABLE, IGNORED)
FILE_STATUS_LABELS = {USED: "已汇总", SUPERSEDED: "未采用（同一单位另有文件已汇总）",
                      UNMATCHED: "对应不到单位（已汇总）", UNREADABLE: "无法读取", IGNORED: "已忽略（临时、系统或特殊文件）"}


@dataclass
class RawSheet:
    """Hold the cells of one worksheet or Word table: rows[0] is row 1; notes are text outside the grid."""

    name: str
    rows: list[list]
    notes: tuple[str, ...] = ()
    grid: bool = True  # True: spreadsheet columns (A, B, …); False: a Word table (第 N 列)
    hidden: bool = False  # a hidden worksheet, such as the 选项 sheet holding a form's drop-down lists


@dataclass
class RawFile:
    """Hold what was read from one file (or archive member): its sheets, or why it could not be read.

    reason is the machine cause (a key of limits.reasons() or limits.IGNORED); note its Chinese sentence.
    """

    place: Place
    mtime: float
    sheets: list[RawSheet] = field(default_factory=list)
    recipient_id: str = ""
    reason: str = ""
    note: str = ""
    ignored: bool = False  # set aside unread: noise (no note) or not a regular file (a note, and a warning)


def refused(place: Place, mtime: float, reason: str, limits: Limits) -> RawFile:
    """Return the record of a file that cannot be read, with its reason's Chinese note."""
    return RawFile(place, mtime, reason=reason, note=reasons(limits)[reason])


@dataclass
class Submission:
    """Hold one returned file (or archive member) after reading: its unit, people and problems."""

    place: Place
    mtime: float
    status: str = ""
    unit: Recipient | None = None
    matched_by: str = ""
    rows: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unit_text: str = ""  # the unit as written, for rows of a file that matches no unit
    trusted_time: bool = True  # False when the modification time lies in the future
    conflict: bool = False  # its recipient_id names another unit than its cells or name (unit_mismatch)
    flagged: set[tuple[int, str]] = field(default_factory=set)  # (index in rows, key) of values with a problem
    nouns: dict = field(default_factory=dict)  # what its messages call the rows: 联系人/人, or 条目/条
    sha256: str = ""  # of the file's bytes, for the history ('' when it could not be read)
    superseded_by: str = ""  # the place of the newer file of its unit that was used instead

    @property
    def sort_time(self) -> float:
        """Return the time used to find the newest file of a unit (an untrusted time counts as oldest)."""
        return self.mtime if self.trusted_time else float("-inf")
