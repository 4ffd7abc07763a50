"""Decide which file of each unit is used, and find people who appear twice.

Among several files of one unit the newest file that has people in it is used (modification time; a zip
member's stored time, read as China Standard Time); on equal times the place that sorts last wins. The
others are superseded: their rows are never mixed in. A newer file with a header but no people never
hides the rows of an older one: it is set aside with a warning. A time later than the run is not
trusted: the file counts as the oldest, with a warning. A file whose recipient_id contradicts its cells
(unit_mismatch) counts for no unit and supersedes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from ..core.problems import Problem, sheet_label
from ..forms.spec import FormSpec
from .archive import CHINA_TIME
from .records import IGNORED, SUPERSEDED, UNMATCHED, USED, Submission
from .submission import problem

FUTURE_SLACK_SECONDS = 300  # clocks of the machines files pass through may differ by a few minutes


def settle(subs: list[Submission], now: float) -> None:
    """Set each submission's status: per unit the newest readable file with people is used, the others not.

    Only when no file of a unit has people is its newest (empty) file used, to report it as empty.
    """
    for sub in subs:
        sub.trusted_time = sub.mtime <= now + FUTURE_SLACK_SECONDS
    by_unit: dict[str, list[Submission]] = defaultdict(list)
    for sub in subs:
        if sub.status:
            continue
        if sub.unit is None:
            _unmatched(sub)
        else:
            by_unit[sub.unit.id].append(sub)
    for group in by_unit.values():
        used = max(group, key=lambda s: (bool(s.rows), s.sort_time, s.place))
        used.status = USED
        for other in (s for s in group if s is not used):
            (_set_aside if (other.sort_time, other.place) > (used.sort_time, used.place) else _supersede)(other, used)
    for sub in subs:
        if not sub.trusted_time and sub.status != IGNORED:
            sub.problems.append(problem("future_time", sub.place, when=_shown_time(sub.mtime)))


def _shown_time(stamp: float) -> str:
    """Return a modification time as a clerk reads it, in China time."""
    try:
        return dt.datetime.fromtimestamp(stamp, CHINA_TIME).strftime("%Y-%m-%d %H:%M")
    except (OverflowError, OSError, ValueError):
        return "（无法表示）"


def _unmatched(sub: Submission) -> None:
    sub.status = UNMATCHED
    if not sub.conflict:
        sub.problems.append(problem("unmatched_file", sub.place, count=len(sub.rows), **sub.nouns))
    for row in sub.rows:
        row["unit"] = row["unit"] or sub.unit_text


def _supersede(older: Submission, newer: Submission) -> None:
    older.status, older.rows, older.superseded_by = SUPERSEDED, [], str(newer.place)
    older.problems = [problem("superseded_file", older.place, unit=f"同一单位（{newer.unit.name}）",
                              newer=str(newer.place), **older.nouns)]


def _set_aside(empty: Submission, used: Submission) -> None:
    """Pass over a newer file without people in favour of the older used one, with a warning."""
    empty.status = SUPERSEDED
    empty.problems = [problem("empty_newer_file", empty.place, unit=used.unit.name, older=str(used.place),
                              **empty.nouns)]


def mark_duplicates(subs: list[Submission], spec: FormSpec) -> None:
    """Warn on every row whose entry (the spec's key, or name + mobile) also appears in another row.

    Only rows whose key values are all filled in and without a problem take part.
    """
    keys = spec.entry_key
    seen: dict[tuple[str, ...], list[tuple[Submission, dict]]] = defaultdict(list)
    for sub in subs:
        if keys and sub.status in (USED, UNMATCHED):
            for index, row in enumerate(sub.rows):
                if all(row[k] and (index, k) not in sub.flagged for k in keys):
                    seen[tuple(row[k] for k in keys)].append((sub, row))
    labels = {c.key: c.name for c in spec.columns}
    for found in seen.values():
        for index, (sub, row) in enumerate(found):
            if len(found) > 1:
                sub.problems.append(_duplicate(sub, row, *found[1 if index == 0 else 0], spec, labels))


def _duplicate(sub: Submission, row: dict, other: Submission, other_row: dict, spec: FormSpec,
               labels: dict[str, str]) -> Problem:
    unit = other.unit.name if other.unit else "未对应单位"
    where = {"other_path": str(other.place), "other_unit": unit,
             "other_where": f"{sheet_label(other_row['source_sheet'])}第 {other_row['source_row']} 行"}
    if spec.is_person_key:
        return problem("duplicate_person", sub.place, row["source_sheet"], row["source_row"], "姓名", name=row["name"],
                       mobile=row["mobile"], **where)
    entry = "、".join(f"{labels[k]}“{row[k]}”" for k in spec.entry_key)
    return problem("duplicate_row", sub.place, row["source_sheet"], row["source_row"], labels[spec.entry_key[0]],
                   entry=entry, **where)
