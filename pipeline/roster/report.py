"""Gather the outcome of a consolidation: each unit's status, each file's fate, every problem, the roster rows."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ..core.problems import ERROR, WARNING, Problem, shown
from ..core.recipients import Recipient
from ..forms.spec import CONTACT_SPEC, FormSpec
from .records import FILE_STATUSES, IGNORED, SUPERSEDED, UNMATCHED, UNREADABLE, USED, Submission
from .settle import mark_duplicates, settle
from .vocabulary import nouns

OK, ERRORS, MISSING = "ok", "errors", "missing"
UNIT_STATUSES = (OK, ERRORS, MISSING)
UNIT_STATUS_LABELS = {OK: "已报", ERRORS: "有问题", MISSING: "未报"}


@dataclass
class UnitResult:
    """Hold the outcome for one recipient unit: ok, errors or missing, and the files matched to it."""

    id: str
    name: str
    category: str
    status: str
    files: list[str]

    def to_dict(self) -> dict:
        """Return the report.json shape of a unit."""
        return {"id": self.id, "name": self.name, "category": self.category, "status": self.status, "files": self.files}


@dataclass
class FileResult:
    """Hold what became of one file (or archive member): used, superseded, unmatched, unreadable or ignored."""

    path: str
    members: tuple[str, ...]
    status: str
    unit_id: str | None
    people: int = 0
    matched_by: str = ""
    sha256: str = ""  # kept for the history, not written to report.json
    superseded_by: str = ""

    @property
    def shown_path(self) -> str:
        """Return the path as printed: ARCHIVE.zip!MEMBER for a member of an archive."""
        return shown(self.path, self.members)

    def to_dict(self) -> dict:
        """Return the report.json shape of a file."""
        return {"path": self.path, "members": list(self.members), "status": self.status, "unit_id": self.unit_id}


@dataclass
class Report:
    """Hold the whole result: units, files, problems, roster rows and counts."""

    units: list[UnitResult]
    files: list[FileResult]
    problems: list[Problem]
    rows: list[dict]
    counts: dict
    skipped: list[str] = field(default_factory=list)  # outputs not written, and why (in Chinese)

    def to_dict(self) -> dict:
        """Return the report.json content."""
        return {"units": [u.to_dict() for u in self.units], "files": [f.to_dict() for f in self.files],
                "problems": [p.to_dict() for p in self.problems], "counts": self.counts}


def make_report(units: list[Recipient], subs: list[Submission], now: float, spec: FormSpec = CONTACT_SPEC) -> Report:
    """Settle the submissions and gather units, files, problems, rows and counts into a Report."""
    subs = sorted(subs, key=lambda s: s.place)
    settle(subs, now)
    mark_duplicates(subs, spec)
    unit_list = unit_results(units, subs)
    files = [FileResult(s.place.file, s.place.members, s.status, s.unit.id if s.unit else None, len(s.rows),
                        s.matched_by, s.sha256, s.superseded_by) for s in subs]
    problems = sorted((p for s in subs for p in s.problems), key=lambda p: (p.path, p.members))
    rows = roster_rows(units, subs)
    return Report(unit_list, files, problems, rows, count(unit_list, files, problems, rows))


def unit_results(units: list[Recipient], subs: list[Submission]) -> list[UnitResult]:
    """Return each unit's status: missing without a file, errors when its used file has an error, else ok."""
    files: dict[str, list[Submission]] = defaultdict(list)
    for sub in subs:
        if sub.unit and sub.status in (USED, SUPERSEDED, UNREADABLE):
            files[sub.unit.id].append(sub)
    return [UnitResult(u.id, u.name, u.category, _unit_status(files[u.id]),
                       [str(s.place) for s in _in_order(files[u.id])]) for u in units]


def _in_order(subs: list[Submission]) -> list[Submission]:
    order = {USED: 0, SUPERSEDED: 1, UNREADABLE: 2}
    return sorted(subs, key=lambda s: (order[s.status], s.place))


def _unit_status(subs: list[Submission]) -> str:
    """Return missing (no file), errors (no usable file, an error in it, or a newer unreadable file) or ok."""
    used = next((s for s in subs if s.status == USED), None)
    if not subs:
        return MISSING
    if used is None or any(p.is_error for p in used.problems):
        return ERRORS
    newer = [s for s in subs if s.status == UNREADABLE and (s.sort_time, s.place) > (used.sort_time, used.place)]
    return ERRORS if newer else OK


def roster_rows(units: list[Recipient], subs: list[Submission]) -> list[dict]:
    """Return the roster: rows of used files in the recipients' order, then rows of unmatched files."""
    order = {unit.id: i for i, unit in enumerate(units)}
    chosen = [s for s in subs if s.status in (USED, UNMATCHED)]
    chosen.sort(key=lambda s: (order[s.unit.id] if s.unit else len(order), s.place))
    rows = []
    for sub in chosen:
        for row in sub.rows:
            unit = {"unit_id": sub.unit.id, "unit": sub.unit.name} if sub.unit else {"unit_id": ""}
            rows.append({**row, **unit})
    return rows


def count(units: list[UnitResult], files: list[FileResult], problems: list[Problem], rows: list[dict]) -> dict:
    """Return the counts of report.json: units and files by status, people, problems by severity and code."""
    categories: dict[str, dict[str, int]] = {}
    for unit in units:
        categories.setdefault(unit.category, dict.fromkeys(UNIT_STATUSES, 0))[unit.status] += 1
    return {"units": _tally([u.status for u in units], UNIT_STATUSES),
            "files": _tally([f.status for f in files], FILE_STATUSES),
            "people": len(rows),
            "problems": _tally([p.severity for p in problems], (ERROR, WARNING)),
            "codes": dict(sorted(_tally([p.code for p in problems], ()).items())),
            "categories": categories}


def _tally(items: list[str], keys: tuple[str, ...]) -> dict[str, int]:
    counts = {"total": len(items)} if keys else {}
    counts.update({key: 0 for key in keys})
    for item in items:
        counts[item] = counts.get(item, 0) + 1
    return counts


def summary(report: Report, out_dir, spec: FormSpec = CONTACT_SPEC) -> str:
    """Return the Chinese lines the command prints after a run of the form spec."""
    units, files, problems = report.counts["units"], report.counts["files"], report.counts["problems"]
    return "\n".join([
        f"已汇总 {report.counts['people']} {nouns(spec)['measure']}：{out_dir}/roster.xlsx",
        f"单位 {units['total']} 个：已报 {units[OK]}，有问题 {units[ERRORS]}，未报 {units[MISSING]}",
        f"文件 {files['total']} 个：汇总 {files[USED]}，未采用 {files[SUPERSEDED]}，对应不到单位 {files[UNMATCHED]}，"
        f"无法读取 {files[UNREADABLE]}，忽略 {files[IGNORED]}",
        f"问题：错误 {problems[ERROR]} 处，警告 {problems[WARNING]} 处（详见 {out_dir}/report.json）",
        *report.skipped,
    ])
