"""Turn a consolidation into the run the history records, and tell when each unit first answered."""

from __future__ import annotations

import datetime as dt
import hashlib

from ..forms.spec import FormSpec
from ..history import Entry, FileRow, Run, UnitRow
from .report import MISSING, Report


def fingerprint(*parts: str) -> str:
    """Return the SHA-256 of some texts joined by newlines."""
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def identity_keys(spec: FormSpec) -> tuple[str, ...]:
    """Return the keys that make a row the same entry from one round to the next: the person's name for person
    forms (so a changed mobile is a change, not a new person), else the spec's key, else every data column."""
    people = tuple(c.key for c in spec.data_columns if c.type == "person")
    if spec.is_person_key and people:
        return people
    return spec.entry_key or tuple(c.key for c in spec.data_columns)


def history_run(report: Report, spec: FormSpec, recipients: bytes, at: dt.datetime) -> Run:
    """Return the history's record of a consolidation run at time at (recipients: the recipients file's bytes)."""
    keys, data = identity_keys(spec), [c.key for c in spec.data_columns]
    entries = [Entry(row["unit_id"], " ".join(row[k] for k in keys), {k: row[k] for k in data}, row["source_file"],
                     row["source_sheet"], row["source_row"]) for row in report.rows]
    files = [FileRow(f.path, tuple(f.members), f.sha256 or None, f.status, f.unit_id, f.superseded_by or None)
             for f in report.files]
    returned = fingerprint(*sorted(f"{f.shown_path}\t{f.sha256}" for f in report.files))
    units = report.counts["units"]
    return Run(at.isoformat(timespec="seconds"),
               {"returned": returned, "recipients": hashlib.sha256(recipients).hexdigest(),
                "spec": fingerprint(repr(spec))},
               {"people": report.counts["people"], "ok": units["ok"], "errors": units["errors"],
                "missing": units["missing"]},
               [UnitRow(u.id, u.name, u.category, u.status) for u in report.units], files, entries,
               [p.to_dict() for p in report.problems], {c.key: c.name for c in spec.data_columns})


def answered_dates(known: dict[str, str], report: Report, today: dt.date) -> dict[str, str]:
    """Return when each unit first answered: the history's date, or today for a unit answering for the first time."""
    dates = dict(known)
    for unit in report.units:
        if unit.status != MISSING:
            dates.setdefault(unit.id, today.isoformat())
    return dates
