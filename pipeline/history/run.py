"""Describe one roster run as the history records it: plain dataclasses the roster fills, and their checks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

HASH_KEYS = ("returned", "recipients", "spec")  # the inputs whose SHA-256 a run keeps (runs.<key>_hash)
COUNT_KEYS = ("people", "ok", "errors", "missing")
UNIT_STATUSES = ("ok", "errors", "missing")
PROBLEM_KEYS = ("code", "severity", "message", "path", "members", "sheet", "row", "column", "field", "note", "reason")


@dataclass(frozen=True)
class UnitRow:
    """Hold one recipient unit of a run and its status: ok, errors or missing."""

    unit_id: str
    name: str
    category: str
    status: str


@dataclass(frozen=True)
class FileRow:
    """Hold one file (or archive member) a run saw: its hash, what became of it, its unit, what replaced it."""

    path: str
    members: tuple[str, ...]
    sha256: str | None
    status: str
    unit_id: str | None
    superseded_by: str | None = None


@dataclass(frozen=True)
class Entry:
    """Hold one row of the roster: its unit, its identity across runs (entry), its values by key, its source."""

    unit_id: str
    entry: str
    fields: dict[str, str]
    source_file: str = ""
    source_sheet: str = ""
    source_row: int | None = None


@dataclass
class Run:
    """Hold everything one roster run records: when, the inputs' hashes, the counts, units, files, rows, problems.

    hashes maps returned/recipients/spec to a SHA-256 (a missing key is stored as NULL); counts has people,
    ok, errors and missing; problems are Problem.to_dict() dicts; labels maps a field's key to the Chinese
    column name the history text shows (mobile → 手机号码).
    """

    at: str
    hashes: dict[str, str]
    counts: dict[str, int]
    units: list[UnitRow] = field(default_factory=list)
    files: list[FileRow] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)


def check_run(run: Run) -> None:
    """Raise ValueError when a run is not what the history can record (a mistake of the caller, not the clerk)."""
    try:
        dt.datetime.fromisoformat(run.at)
    except (TypeError, ValueError):
        raise ValueError(f"run.at is not an ISO 8601 time: {run.at!r}") from None
    if set(run.hashes) - set(HASH_KEYS):
        raise ValueError(f"unknown hashes {sorted(set(run.hashes) - set(HASH_KEYS))}; expected {HASH_KEYS}")
    if sorted(run.counts) != sorted(COUNT_KEYS) or not all(isinstance(v, int) for v in run.counts.values()):
        raise ValueError(f"run.counts must map exactly {COUNT_KEYS} to integers: {run.counts!r}")
    ids = [unit.unit_id for unit in run.units]
    if len(set(ids)) != len(ids):
        raise ValueError("a unit appears twice in run.units")
    wrong = sorted({unit.status for unit in run.units} - set(UNIT_STATUSES))
    if wrong:
        raise ValueError(f"unknown unit status {wrong}; expected {UNIT_STATUSES}")
    strange = sorted({key for p in run.problems for key in p} - set(PROBLEM_KEYS))
    if strange:
        raise ValueError(f"unknown problem keys {strange}; expected Problem.to_dict()'s")


def text_value(value) -> str:
    """Return a field's value as the history keeps it: text, with None as empty."""
    return "" if value is None else str(value)
