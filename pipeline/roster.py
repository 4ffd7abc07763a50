"""Consolidate the returned contact forms into one validated roster, a problem report and a status chart.

build_roster() reads every file of the returned folder (see returns.py), finds each sheet's table
(normalize.py), matches each file to a recipient unit, keeps the newest submission of each unit, and
writes roster.csv, roster.xlsx, report.json and status.pdf. Problems are collected as records
(problems.py), never raised: only usage errors (a missing folder, a bad recipients file) stop it.

Matching order: the personalised form's recipient_id property; then the unit named in the cells
(a 填报单位：X line, the 工作单位 column, a title line); then the file name and its folders. Full
names are tried before aliases, and the longest alias wins. Among several files of one unit the
newest file that has people in it is used (modification time; a zip member's stored date_time, read as
China Standard Time, see returns.py); on equal times the path that sorts last wins. The others are
superseded: their rows are never mixed in. A newer file with a header but no people never hides the
rows of an older one: it is set aside with a warning. A newer file that cannot be read is reported,
and puts the unit in error, but the older readable file is still used.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill

from . import layout as L
from . import normalize as N
from . import returns
from .errors import PipelineError
from .forms import stamp_workbook, text_width, write_workbook
from .output import atomic_write, record
from .problems import Problem, make, sheet_label
from .recipients import Recipient, load_recipients
from .qr import NoCjkFont
from .status import status_pdf

ROSTER_COLUMNS = ("unit_id", "unit", "name", "gender", "title", "office_phone", "mobile", "note",
                  "source_file", "source_sheet", "source_row")
ROSTER_LABELS = ("单位编号", "单位", "姓名", "性别", "职务/级别", "办公电话", "手机号码", "备注", "来源文件", "来源工作表", "来源行")
OUTPUTS = {"roster_csv": "roster.csv", "roster_xlsx": "roster.xlsx", "roster_report": "report.json",
           "roster_status": "status.pdf"}
USED, SUPERSEDED, UNMATCHED, UNREADABLE, IGNORED = "used", "superseded", "unmatched", "unreadable", "ignored"
OK, ERRORS, MISSING = "ok", "errors", "missing"
UNIT_STATUS_LABELS = {OK: "已报", ERRORS: "有问题", MISSING: "未报"}
FILE_STATUS_LABELS = {USED: "已汇总", SUPERSEDED: "未采用（同一单位另有文件已汇总）",
                      UNMATCHED: "对应不到单位（已汇总）", UNREADABLE: "无法读取", IGNORED: "已忽略（临时或系统文件）"}
MATCH_LABELS = {"property": "文件属性 recipient_id", "line": "填报单位", "column": "工作单位列", "title": "表格标题",
                "file_name": "文件名", "": ""}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
STAMP_DAY = dt.date(2022, 1, 1)  # fixed core-property and zip-entry date: equal inputs give equal bytes
AUTHOR = "回执汇总"


# Records ----------------------------------------------------------------------------------
@dataclass
class Submission:
    """Hold one returned file (or archive member) after reading: its unit, people and problems."""

    path: str
    mtime: float
    status: str = ""
    unit: Recipient | None = None
    matched_by: str = ""
    rows: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unit_text: str = ""  # the unit as written, for rows of a file that matches no unit


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
    """Hold what became of one file: used, superseded, unmatched, unreadable or ignored."""

    path: str
    status: str
    unit_id: str | None
    people: int = 0
    matched_by: str = ""

    def to_dict(self) -> dict:
        """Return the report.json shape of a file."""
        return {"path": self.path, "status": self.status, "unit_id": self.unit_id}


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


# Matching ---------------------------------------------------------------------------------
class UnitMatcher:
    """Find the recipient unit a text names: full names before aliases, the longest (then leftmost) first."""

    def __init__(self, units: list[Recipient]):
        self.by_id = {unit.id: unit for unit in units}
        self.tables = [_by_length({squash(unit.names[0]): unit for unit in units}),
                       _by_length({squash(name): unit for unit in units for name in unit.names[1:]})]
        self.cache: dict[str, Recipient | None] = {}

    def match(self, text: str) -> Recipient | None:
        """Return the unit named in text, or None."""
        key = squash(text)
        if key not in self.cache:
            self.cache[key] = next((unit for table in self.tables if (unit := _find(key, table))), None)
        return self.cache[key]


def squash(text: str) -> str:
    """Return text without any spaces, for comparing unit names."""
    return "".join(N.text(text).split())


def _by_length(names: dict[str, Recipient]) -> list[tuple[int, dict[str, Recipient]]]:
    """Group names by length, longest first, so a search can stop at the longest match."""
    sizes = sorted({len(name) for name in names}, reverse=True)
    return [(size, {name: unit for name, unit in names.items() if len(name) == size}) for size in sizes]


def _find(key: str, table: list[tuple[int, dict[str, Recipient]]]) -> Recipient | None:
    for size, names in table:
        for start in range(len(key) - size + 1):
            if key[start:start + size] in names:
                return names[key[start:start + size]]
    return None


def file_name_texts(path: str) -> list[str]:
    """Return the texts of a path to match a unit against: the file's own name first, then its folders."""
    parts = path.replace("!", "/").split("/")
    return [Path(parts[-1]).stem] + parts[-2::-1]


# Reading one file -------------------------------------------------------------------------
def read_submission(raw: returns.RawFile, matcher: UnitMatcher) -> Submission:
    """Turn one RawFile into a Submission: tables, cleaned people, unit and problems."""
    sub = Submission(raw.path, raw.mtime)
    if raw.ignored:
        sub.status = IGNORED
    elif raw.error:
        _unreadable(sub, matcher, make("unreadable_file", raw.path, reason=raw.error))
    else:
        _read_tables(sub, raw, matcher)
    return sub


def _unreadable(sub: Submission, matcher: UnitMatcher, problem: Problem) -> None:
    sub.status = UNREADABLE
    sub.problems.append(problem)
    sub.unit, sub.matched_by = _by_file_name(sub.path, matcher)


def _by_file_name(path: str, matcher: UnitMatcher) -> tuple[Recipient | None, str]:
    unit = next((u for text in file_name_texts(path) if (u := matcher.match(text))), None)
    return unit, ("file_name" if unit else "")


def _read_tables(sub: Submission, raw: returns.RawFile, matcher: UnitMatcher) -> None:
    tables = [(sheet, table) for sheet in raw.sheets if (table := N.find_table(sheet.rows, sheet.grid, sheet.notes))]
    if not tables:
        _headless(sub, raw, matcher)
        return
    people = [(sheet, table, row, N.clean_record(row, table.columns))
              for sheet, table in tables for row in table.records]
    sub.unit, sub.matched_by = _unit_of(raw, tables, people, matcher)
    sub.unit_text = next((t.unit_line for _, t in tables if t.unit_line), "")
    for sheet, table, row, person in people:
        _add_person(sub, sheet, table, row, person, matcher)
    _table_problems(sub, tables, people)


def _headless(sub: Submission, raw: returns.RawFile, matcher: UnitMatcher) -> None:
    """Report a file without a header: no_header when it has text, else it is empty (not even a header)."""
    if any(N.text(cell) for sheet in raw.sheets for row in sheet.rows for cell in row):
        _unreadable(sub, matcher, make("no_header", raw.path))
    else:
        _unreadable(sub, matcher, make("unreadable_file", raw.path, reason=returns.REASONS["empty"]))


def _unit_of(raw: returns.RawFile, tables, people, matcher: UnitMatcher) -> tuple[Recipient | None, str]:
    """Match a readable file to a unit: property, 填报单位 line, 工作单位 column, title, then file name."""
    if raw.recipient_id in matcher.by_id:
        return matcher.by_id[raw.recipient_id], "property"
    for how, texts in (("line", [t.unit_line for _, t in tables]), ("column", [_column_unit(people, matcher)]),
                       ("title", [line for _, t in tables for line in t.titles])):
        unit = next((u for text in texts if text and (u := matcher.match(text))), None)
        if unit:
            return unit, how
    return _by_file_name(raw.path, matcher)


def _column_unit(people, matcher: UnitMatcher) -> str:
    ids = [unit.id for *_, person in people if (unit := matcher.match(person.values["unit"]))]
    best = N.majority(ids)
    return matcher.by_id[best].name if best else ""


def _add_person(sub: Submission, sheet, table: N.Table, record: N.Record, person: N.Person, matcher) -> None:
    values = person.values
    sub.rows.append({"unit_id": "", "unit": values["unit"], **{k: values[k] for k in N.FIELDS if k != "unit"},
                     "source_file": sub.path, "source_sheet": sheet.name, "source_row": record.row})
    for issue in person.issues:
        sub.problems.append(_issue_problem(sub, sheet, table, record, issue, values))
    written = matcher.match(values["unit"]) if values["unit"] else None
    if sub.unit and written and written is not sub.unit:
        sub.problems.append(_cell_problem("unit_mismatch", sub, sheet, table, record, "unit",
                                          value=values["unit"], unit=sub.unit.name))


def _issue_problem(sub, sheet, table, record, issue: N.Issue, values: dict) -> Problem:
    return _cell_problem(issue.code, sub, sheet, table, record, issue.field, value=issue.value,
                         reason=issue.reason, name=values["name"] or "（无姓名）")


def _cell_problem(code: str, sub: Submission, sheet, table: N.Table, record: N.Record, field_name: str,
                  **values) -> Problem:
    column = table.column(field_name)
    label, letter = (column.label, column.letter) if column else (N.LABELS[field_name], "")
    return make(code, sub.path, sheet.name, record.row, label, letter, **values)


def _table_problems(sub: Submission, tables, people) -> None:
    """Report extra columns whose content went to the note, and a return without any person."""
    for sheet, table in tables:
        used = {column for record in table.records for column, _ in record.extras}
        for column in (c for c in table.columns if c in used):
            label = column.label or "（无表头）"
            sub.problems.append(make("extra_column", sub.path, sheet.name, table.header_row, label, column.letter))
    if not people:
        sub.problems.append(make("empty_return", sub.path))


# Choosing among submissions -----------------------------------------------------------------
def settle(subs: list[Submission]) -> None:
    """Set each submission's status: per unit the newest readable file with people is used, the others not.

    Only when no file of a unit has people is its newest (empty) file used, to report it as empty.
    """
    by_unit: dict[str, list[Submission]] = defaultdict(list)
    for sub in subs:
        if sub.status:
            continue
        if sub.unit is None:
            _unmatched(sub)
        else:
            by_unit[sub.unit.id].append(sub)
    for group in by_unit.values():
        used = max(group, key=lambda s: (bool(s.rows), s.mtime, s.path))
        used.status = USED
        for other in (s for s in group if s is not used):
            (_set_aside if (other.mtime, other.path) > (used.mtime, used.path) else _supersede)(other, used)


def _unmatched(sub: Submission) -> None:
    sub.status = UNMATCHED
    sub.problems.append(make("unmatched_file", sub.path, count=len(sub.rows)))
    for row in sub.rows:
        row["unit"] = row["unit"] or sub.unit_text


def _supersede(older: Submission, newer: Submission) -> None:
    older.status, older.rows = SUPERSEDED, []
    older.problems = [make("superseded_file", older.path, unit=f"同一单位（{newer.unit.name}）", newer=newer.path)]


def _set_aside(empty: Submission, used: Submission) -> None:
    """Pass over a newer file without people in favour of the older used one, with a warning."""
    empty.status = SUPERSEDED
    empty.problems = [make("empty_newer_file", empty.path, unit=used.unit.name, older=used.path)]


def mark_duplicates(subs: list[Submission]) -> None:
    """Warn on every row whose person (name + mobile) also appears in another row of the roster."""
    seen: dict[tuple[str, str], list[tuple[Submission, dict]]] = defaultdict(list)
    for sub in subs:
        for row in sub.rows:
            if row["name"] and N.MOBILE.fullmatch(row["mobile"]):
                seen[(row["name"], row["mobile"])].append((sub, row))
    for found in seen.values():
        for index, (sub, row) in enumerate(found):
            if len(found) > 1:
                sub.problems.append(_duplicate(sub, row, *found[1 if index == 0 else 0]))


def _duplicate(sub: Submission, row: dict, other: Submission, other_row: dict) -> Problem:
    unit = other.unit.name if other.unit else "未对应单位"
    return make("duplicate_person", sub.path, row["source_sheet"], row["source_row"], "姓名", name=row["name"],
                mobile=row["mobile"], other_path=other.path,
                other_where=f"{sheet_label(other_row['source_sheet'])}第 {other_row['source_row']} 行", other_unit=unit)


# The report -----------------------------------------------------------------------------------
def unit_results(units: list[Recipient], subs: list[Submission]) -> list[UnitResult]:
    """Return each unit's status: missing without a file, errors when its used file has an error, else ok."""
    files: dict[str, list[Submission]] = defaultdict(list)
    for sub in subs:
        if sub.unit and sub.status in (USED, SUPERSEDED, UNREADABLE):
            files[sub.unit.id].append(sub)
    return [UnitResult(u.id, u.name, u.category, _unit_status(files[u.id]), [s.path for s in _in_order(files[u.id])])
            for u in units]


def _in_order(subs: list[Submission]) -> list[Submission]:
    order = {USED: 0, SUPERSEDED: 1, UNREADABLE: 2}
    return sorted(subs, key=lambda s: (order[s.status], s.path))


def _unit_status(subs: list[Submission]) -> str:
    """Return missing (no file), errors (no usable file, an error in it, or a newer unreadable file) or ok."""
    used = next((s for s in subs if s.status == USED), None)
    if not subs:
        return MISSING
    if used is None or any(p.is_error for p in used.problems):
        return ERRORS
    newer = [s for s in subs if s.status == UNREADABLE and (s.mtime, s.path) > (used.mtime, used.path)]
    return ERRORS if newer else OK


def roster_rows(units: list[Recipient], subs: list[Submission]) -> list[dict]:
    """Return the roster: rows of used files in the recipients' order, then rows of unmatched files."""
    order = {unit.id: i for i, unit in enumerate(units)}
    chosen = [s for s in subs if s.status in (USED, UNMATCHED)]
    chosen.sort(key=lambda s: (order[s.unit.id] if s.unit else len(order), s.path))
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
        categories.setdefault(unit.category, {OK: 0, ERRORS: 0, MISSING: 0})[unit.status] += 1
    return {"units": _tally([u.status for u in units], (OK, ERRORS, MISSING)),
            "files": _tally([f.status for f in files], (USED, SUPERSEDED, UNMATCHED, UNREADABLE, IGNORED)),
            "people": len(rows),
            "problems": _tally([p.severity for p in problems], ("error", "warning")),
            "codes": dict(sorted(_tally([p.code for p in problems], ()).items())),
            "categories": categories}


def _tally(items: list[str], keys: tuple[str, ...]) -> dict[str, int]:
    counts = {"total": len(items)} if keys else {}
    counts.update({key: 0 for key in keys})
    for item in items:
        counts[item] = counts.get(item, 0) + 1
    return counts


def make_report(units: list[Recipient], subs: list[Submission]) -> Report:
    """Settle the submissions and gather units, files, problems, rows and counts into a Report."""
    settle(subs)
    mark_duplicates([s for s in subs if s.status in (USED, UNMATCHED)])
    unit_list = unit_results(units, subs)
    files = [FileResult(s.path, s.status, s.unit.id if s.unit else None, len(s.rows), s.matched_by) for s in subs]
    problems = sorted((p for s in subs for p in s.problems), key=lambda p: p.path)
    rows = roster_rows(units, subs)
    return Report(unit_list, files, problems, rows, count(unit_list, files, problems, rows))


# Outputs --------------------------------------------------------------------------------------
def neutralise(value) -> str:
    """Return a cell's text with a leading ' when a spreadsheet would run it as a formula."""
    value = str(value)
    return "'" + value if value.startswith(FORMULA_START) else value


def roster_csv(rows: list[dict]) -> bytes:
    """Return roster.csv: UTF-8 with BOM, the fixed English header, formula-like text neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(ROSTER_COLUMNS)
    writer.writerows([neutralise(row[c]) for c in ROSTER_COLUMNS] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def report_json(report: Report) -> bytes:
    """Return report.json as indented UTF-8 (Chinese kept readable)."""
    return (json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor=L.ROSTER_HEADER_FILL)
MAX_WIDTH = L.ROSTER_MAX_COLUMN_WIDTH
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def roster_workbook(report: Report, units: list[Recipient]) -> Workbook:
    """Return the roster.xlsx workbook (汇总, 问题, 未报单位, 文件): text cells only, header frozen and filtered."""
    names = {u.id: u.name for u in units}
    sheets = {
        "汇总": (ROSTER_LABELS, [[row[c] for c in ROSTER_COLUMNS] for row in report.rows]),
        "问题": (("文件", "工作表", "行", "列", "代码", "级别", "说明"),
               [[p.path, p.sheet, p.row, p.column, p.code, "错误" if p.is_error else "警告", p.message]
                for p in report.problems]),
        "未报单位": (("单位编号", "单位名称", "类别"), [[u.id, u.name, u.category] for u in report.units if u.status == MISSING]),
        "文件": (("文件", "处理结果", "单位编号", "单位名称", "人数", "对应依据"),
               [[f.path, FILE_STATUS_LABELS[f.status], f.unit_id, names.get(f.unit_id), f.people,
                 MATCH_LABELS[f.matched_by]] for f in report.files]),
    }
    workbook = Workbook(write_only=True)
    for title, (header, rows) in sheets.items():
        _sheet(workbook, title, header, rows)
    stamp_workbook(workbook, "联系人信息汇总", AUTHOR, STAMP_DAY)
    return workbook


def _sheet(workbook: Workbook, title: str, header: tuple[str, ...], rows: list[list]) -> None:
    """Add a write-only sheet of text cells with a bold frozen header, an autofilter and fitted widths."""
    sheet = workbook.create_sheet(title)
    texts = [[_clean_text(value) for value in row] for row in rows]
    for index, width in enumerate(_widths(header, texts)):
        sheet.column_dimensions[N.letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{N.letter(len(header) - 1)}{len(texts) + 1}"
    sheet.append([_header_cell(sheet, name) for name in header])
    for row in texts:
        sheet.append([_text_cell(sheet, value) if value.startswith("=") else value or None for value in row])


def _text_cell(sheet, value: str) -> WriteOnlyCell:
    """Return a cell that holds a value starting with '=' as text, never as a formula."""
    cell = WriteOnlyCell(sheet, value)
    cell.data_type = "s"
    return cell


def _clean_text(value) -> str:
    """Return a value as text that XML can hold (control characters dropped)."""
    return XML_ILLEGAL.sub("", value if isinstance(value, str) else N.text(value))


def _header_cell(sheet, value: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value)
    cell.data_type = "s"
    cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    cell.alignment = Alignment(horizontal="center", vertical="center")
    return cell


def _widths(header: tuple[str, ...], rows: list[list[str]]) -> list[float]:
    """Return each column's width: its longest text (forms.text_width) plus a margin, at most MAX_WIDTH."""
    widths = [text_width(name) + 4 for name in header]
    for column in range(len(header)):
        longest = max((text_width(row[column]) for row in rows), default=0)
        widths[column] = max(widths[column], longest + 2)
    return [min(w, MAX_WIDTH) for w in widths]


# The stage ----------------------------------------------------------------------------------
def build_roster(returned_dir: Path, recipients_path: Path, out_dir: Path, progress=None, *,
                 manifest_dir: Path | None = None) -> Report:
    """Consolidate the returned folder into out_dir (roster.csv, roster.xlsx, report.json, status.pdf).

    progress, if given, is called as progress(done, total, path) after each top-level file. manifest_dir,
    if given, gets the four outputs recorded in its manifest.json. Raises PipelineError (Chinese message)
    only for usage errors: the folder is missing, or the recipients file cannot be read.
    """
    returned_dir, out_dir = _check_usage(returned_dir, out_dir)
    units = load_recipients(recipients_path)
    subs = read_all(returned_dir, UnitMatcher(units), out_dir, progress)
    report = make_report(units, subs)
    paths = write_outputs(report, units, out_dir)
    if manifest_dir is not None:
        for role, path in paths.items():
            record(Path(manifest_dir), role, path)
    return report


def write_outputs(report: Report, units: list[Recipient], out_dir: Path) -> dict[str, Path]:
    """Write roster.csv, report.json, status.pdf (when a Chinese font exists) and roster.xlsx; return them by role."""
    outputs = {"roster_csv": roster_csv(report.rows), "roster_report": report_json(report)}
    workbook = roster_workbook(report, units)
    try:
        outputs["roster_status"] = status_pdf(report)
    except NoCjkFont as exc:
        report.skipped.append(f"未生成 {OUTPUTS['roster_status']}：{exc}")
    paths = {role: atomic_write(out_dir / OUTPUTS[role], data) for role, data in outputs.items()}
    paths["roster_xlsx"] = write_workbook(workbook, out_dir / OUTPUTS["roster_xlsx"], STAMP_DAY)  # forms.py's writer
    return paths


def _check_usage(returned_dir: Path, out_dir: Path) -> tuple[Path, Path]:
    returned_dir, out_dir = Path(returned_dir), Path(out_dir)
    if not returned_dir.is_dir():
        raise PipelineError(f"找不到回执文件夹：{returned_dir}（请用 --returned 指定存放各单位回执的文件夹）")
    if out_dir.resolve() == returned_dir.resolve():
        raise PipelineError("输出文件夹不能就是回执文件夹（请用 --out 另指定一个文件夹，如 outputs/roster）")
    try:
        os.scandir(returned_dir).close()
    except OSError:
        raise PipelineError(f"无法打开回执文件夹：{returned_dir}（没有读取权限）") from None
    if out_dir.exists() and not out_dir.is_dir():
        raise PipelineError(f"输出位置 {out_dir} 已存在且不是文件夹（请用 --out 指定一个文件夹）")
    return returned_dir, out_dir


def read_all(returned_dir: Path, matcher: UnitMatcher, skip: Path | None = None, progress=None) -> list[Submission]:
    """Read every file of the returned folder (skipping the output folder) into Submissions, in path order."""
    paths = returns.list_files(returned_dir, skip)
    subs = []
    for done, path in enumerate(paths, start=1):
        subs += [read_submission(raw, matcher) for raw in returns.read_path(returned_dir, path)]
        if progress:
            progress(done, len(paths), path.relative_to(returned_dir).as_posix())
    return subs


def progress_bar(stream=None, width: int = 30):
    """Return a progress callback drawing a bar on stream (stderr), or None when it is not a terminal."""
    stream = stream or sys.stderr
    if not stream.isatty():
        return None

    def draw(done: int, total: int, path: str) -> None:
        filled = width * done // max(total, 1)
        stream.write(f"\r汇总回执 [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        stream.write("\n" if done == total else "")
        stream.flush()

    return draw


def summary(report: Report, out_dir: Path) -> str:
    """Return the Chinese lines the command prints after a run."""
    units, files, problems = report.counts["units"], report.counts["files"], report.counts["problems"]
    return "\n".join([
        f"已汇总 {report.counts['people']} 人：{out_dir / OUTPUTS['roster_xlsx']}",
        f"单位 {units['total']} 个：已报 {units[OK]}，有问题 {units[ERRORS]}，未报 {units[MISSING]}",
        f"文件 {files['total']} 个：汇总 {files[USED]}，未采用 {files[SUPERSEDED]}，对应不到单位 {files[UNMATCHED]}，"
        f"无法读取 {files[UNREADABLE]}，忽略 {files[IGNORED]}",
        f"问题：错误 {problems['error']} 处，警告 {problems['warning']} 处（详见 {out_dir / OUTPUTS['roster_report']}）",
        *report.skipped,
    ])
