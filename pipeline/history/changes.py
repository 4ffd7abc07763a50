"""Compare each recorded run with the one before it and say what changed, as JSON-ready data and in Chinese.

Per unit, the rows of a run are matched to the previous run's by their identity (Entry.entry; the n-th row
of one identity in a unit matches the n-th): a row only in the new run is added, only in the old one
removed, in both with a different value changed, one change per field. Where a row came from (file, sheet,
line) is not a change: a resubmission of the same data changes nothing. The first run is the baseline.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from ..core.errors import PipelineError
from ..core.problems import shown
from .run import Entry, UnitRow
from .store import History

MISSING = "missing"
NO_UNIT = "未对应到单位的文件"
EMPTY = "（空）"


@dataclass
class Snapshot:
    """Hold what the comparison needs of one run: its units, its rows by unit and identity, its superseded files."""

    units: dict[str, UnitRow]
    entries: dict[str, dict[tuple[str, int], Entry]]
    superseded: dict[tuple[str, tuple[str, ...]], tuple[str | None, str | None]]  # file → (by, unit)


def history_report(history: History, unit: str | None = None) -> dict:
    """Return the runs and the changes between consecutive runs (only unit's when given) as a JSON-ready dict.

    {"runs": [{"run", "at", "people", "units": {"ok", "errors", "missing"}}], "changes": [{"run", "unit_id",
    "kind": "added"|"removed"|"changed", "person", "field", "old", "new"}], "answered": [{"run", "unit_id",
    "name"}], "superseded": [{"run", "unit_id", "path", "members", "by"}], "unit": unit, "names": {unit_id:
    name}, "labels": {key: column name}}. Raises PipelineError for a unit no run knows.
    """
    runs = history.runs()
    report = {"runs": [_run_line(run) for run in runs], "changes": [], "answered": [], "superseded": [],
              "unit": unit, "names": {}, "labels": {}}
    previous, seen = None, set()
    for run in runs:
        current = snapshot(history, run["run"], unit)
        if previous is not None:
            _compare(report, run["run"], previous, current)
        seen |= set(current.units) | set(current.entries)
        report["names"].update({unit_id: row.name for unit_id, row in current.units.items()})
        report["labels"].update(run["labels"])
        previous = current
    if unit is not None and runs and unit not in seen:
        raise PipelineError(f"历史数据库“{history.path}”的 {len(runs)} 次汇总中都没有单位编号为“{unit}”的单位；"
                            "请对照收文单位名单的 id 列")
    return report


def snapshot(history: History, run_id: int, unit: str | None = None) -> Snapshot:
    """Return what the comparison needs of one run (only unit's rows and files when given)."""
    units = {row.unit_id: row for row in history.units(run_id) if unit is None or row.unit_id == unit}
    entries: dict[str, dict[tuple[str, int], Entry]] = defaultdict(dict)
    occurrences: Counter = Counter()
    for entry in history.entries(run_id, unit):
        occurrences[entry.unit_id, entry.entry] += 1
        entries[entry.unit_id][entry.entry, occurrences[entry.unit_id, entry.entry]] = entry
    superseded = {(f.path, f.members): (f.superseded_by, f.unit_id) for f in history.files(run_id)
                  if unit is None or f.unit_id == unit}
    return Snapshot(units, dict(entries), superseded)


def _run_line(run: dict) -> dict:
    counts = run["counts"]
    return {"run": run["run"], "at": run["at"], "people": counts["people"],
            "units": {key: counts[key] for key in ("ok", "errors", "missing")}}


def _compare(report: dict, run_id: int, old: Snapshot, new: Snapshot) -> None:
    """Add to report what changed from the old run to the new one (run_id)."""
    order = list(new.units) + [u for u in old.units if u not in new.units]
    order += sorted((set(old.entries) | set(new.entries)) - set(order))
    for unit_id in order:
        report["changes"] += entry_changes(run_id, unit_id, old.entries.get(unit_id, {}), new.entries.get(unit_id, {}))
    for unit_id, row in new.units.items():
        before = old.units.get(unit_id)
        if row.status != MISSING and (before is None or before.status == MISSING):
            report["answered"].append({"run": run_id, "unit_id": unit_id, "name": row.name})
    for (path, members), (by, unit_id) in new.superseded.items():
        if by and not old.superseded.get((path, members), (None, None))[0]:
            report["superseded"].append({"run": run_id, "unit_id": unit_id, "path": path, "members": list(members),
                                         "by": by})


def entry_changes(run_id: int, unit_id: str, old: dict, new: dict) -> list[dict]:
    """Return the changes of one unit's rows (identity → Entry) between two runs: new rows' order, removed last."""
    found = []
    for key, entry in new.items():
        if key not in old:
            found.append(_change(run_id, unit_id, "added", key[0]))
            continue
        before, after = old[key].fields, entry.fields
        for field in list(after) + [f for f in before if f not in after]:
            if before.get(field, "") != after.get(field, ""):
                found.append(_change(run_id, unit_id, "changed", key[0], field, before.get(field, ""),
                                     after.get(field, "")))
    found += [_change(run_id, unit_id, "removed", key[0]) for key in old if key not in new]
    return found


def _change(run_id: int, unit_id: str, kind: str, person: str, field: str | None = None,
            old: str | None = None, new: str | None = None) -> dict:
    return {"run": run_id, "unit_id": unit_id, "kind": kind, "person": person, "field": field, "old": old, "new": new}


def history_text(report: dict) -> str:
    """Return the Chinese text a clerk reads: each run with its counts, then what changed since the run before."""
    if not report["runs"]:
        return "历史数据库中还没有汇总记录。\n"
    names, labels = report.get("names", {}), report.get("labels", {})
    lines = []
    if report.get("unit") is not None:
        lines.append(f"只列出{_unit_name(names, report['unit'])}（{report['unit']}）的变化")
    events = defaultdict(list)
    for item in report.get("answered", []):
        events[item["run"]].append(f"{item['name']}：已报送（上一次未报）")
    for item in report["changes"]:
        events[item["run"]].append(f"{_unit_name(names, item['unit_id'])}：{_change_text(item, labels)}")
    for item in report.get("superseded", []):
        events[item["run"]].append(f"{_unit_name(names, item['unit_id'])}：文件“{shown(item['path'], tuple(item['members']))}”"
                                   f"已被较新的“{item['by']}”取代")
    first = report["runs"][0]["run"]
    for run in report["runs"]:
        head = f"第{run['run']}次（{_when(run['at'])}）"
        units = run["units"]
        lines.append(f"{head}汇总：{sum(units.values())} 个单位中已报 {units['ok']}，有问题 {units['errors']}，"
                     f"未报 {units['missing']}；共 {run['people']} 条")
        if run["run"] == first:
            lines.append(f"{head}首次记录，以后每次与前一次比较")
            continue
        lines += [head + event for event in events[run["run"]]] or [f"{head}无变化"]
    return "\n".join(lines) + "\n"


def _change_text(change: dict, labels: dict) -> str:
    person = change["person"] or "（无名称）"
    if change["kind"] == "added":
        return f"新增 {person}"
    if change["kind"] == "removed":
        return f"删去 {person}"
    label = labels.get(change["field"]) or change["field"]
    return f"{person} {label} {change['old'] or EMPTY} → {change['new'] or EMPTY}"


def _unit_name(names: dict, unit_id: str | None) -> str:
    if not unit_id:
        return NO_UNIT
    return names.get(unit_id) or unit_id


def _when(at: str) -> str:
    """Return a run's time as a clerk reads it: 2025-05-20 10:00."""
    try:
        return dt.datetime.fromisoformat(at).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return at
