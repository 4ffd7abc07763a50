"""Read a consolidation's report.json and the roster.csv beside it, strictly: anything else is refused in Chinese.

The reminders, the next round's recipients list and prefilled forms act on what the roster said (who is
missing, whose return is wrong, which cells, what each unit sent), so a report that is not JSON, has
another shape (another version, or edited by hand), names an unknown status or disagrees with its
roster.csv is a usage error (exit 2) before anything is written.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import PipelineError
from ..core.files import read_regular
from ..core.problems import ERROR, WARNING, Problem, shown
from ..forms.spec import FormSpec
from .records import FILE_STATUSES, SUPERSEDED
from .report import UNIT_STATUSES
from .writers import FORMULA_START, HEAD, NUMBER, OUTPUTS, TAIL, roster_columns

MAX_REPORT_BYTES = 200 * 1024 * 1024
ROSTER_FILE, REPORT_FILE = OUTPUTS["roster_csv"], OUTPUTS["roster_report"]
VERSIONS = (1,)  # report.json writes no version yet; one it may write later and this reader knows
SHOWN_ISSUES = 8  # the first faults a message lists
TOP = {"units": list, "files": list, "problems": list, "counts": dict}
UNIT_FIELDS = {"id": str, "name": str, "category": str, "status": str, "files": list}
FILE_FIELDS = {"path": str, "members": list, "status": str, "unit_id": (str, type(None))}
PROBLEM_FIELDS = {"code": str, "severity": str, "message": str, "path": str, "members": list, "sheet": str,
                  "row": (int, type(None)), "column": str, "field": str, "note": str, "reason": str}
TYPE_NAMES = {str: "文字", list: "列表", dict: "映射", int: "整数"}


@dataclass(frozen=True)
class Unit:
    """Hold one recipient unit of the report: id, name, category, status (ok, errors, missing), its files."""

    id: str
    name: str
    category: str
    status: str
    files: tuple[str, ...]


@dataclass(frozen=True)
class RosterResult:
    """Hold what a consolidation found: units in the recipients' order, problems by unit, roster rows."""

    report_path: Path
    units: tuple[Unit, ...]
    problems: tuple[Problem, ...]
    owners: dict[str, str | None]  # each file (as shown) → the unit its problems belong to, None when superseded
    rows: tuple[dict, ...]

    def with_status(self, status: str) -> list[Unit]:
        """Return the units of one status, in the recipients' order."""
        return [u for u in self.units if u.status == status]

    def problems_of(self, unit_id: str) -> list[Problem]:
        """Return the problems of a unit's files that still count (not those of a superseded file)."""
        return [p for p in self.problems if self.owners.get(p.shown_path) == unit_id]

    def rows_of(self, unit_id: str) -> list[dict]:
        """Return the roster rows consolidated for a unit, in the roster's order."""
        return [r for r in self.rows if r["unit_id"] == unit_id]

    def rows_by_unit(self) -> dict[str, list[dict]]:
        """Return every unit's rows by its id (rows matched to no unit are left out)."""
        grouped: dict[str, list[dict]] = {}
        for row in self.rows:
            if row["unit_id"]:
                grouped.setdefault(row["unit_id"], []).append(row)
        return grouped


def read_result(report_path: Path, spec: FormSpec | None = None) -> RosterResult:
    """Read report.json (or the roster folder holding it) and the roster.csv beside it, by spec's columns when
    given (else any columns the roster writes); raise PipelineError on any fault."""
    report_path = Path(report_path)
    report_path = report_path / REPORT_FILE if report_path.is_dir() else report_path
    data = _json(report_path)
    faults = _shape(data)
    if faults:
        raise _refused(report_path, faults)
    units = tuple(Unit(u["id"], u["name"], u["category"], u["status"], tuple(u["files"])) for u in data["units"])
    faults = _consistency(data, units)
    if faults:
        raise _refused(report_path, faults)
    rows = _roster(report_path.parent / ROSTER_FILE, spec, {u.id for u in units}, data["counts"].get("people"))
    problems = tuple(Problem(**{**p, "members": tuple(p["members"])}) for p in data["problems"])
    return RosterResult(report_path, units, problems, _owners(data), rows)


def _json(path: Path):
    what = f"汇总报告 {path}"
    try:
        raw = read_regular(path, MAX_REPORT_BYTES)
    except FileNotFoundError:
        raise PipelineError(f"找不到{what}（请先运行 python -m pipeline roster，再指定它的输出文件夹或其中的 report.json）") \
            from None
    except OSError:
        raise PipelineError(f"无法读取{what}（不是普通文件，或没有读取权限）") from None
    if raw is None:
        raise PipelineError(f"{what}超过 {MAX_REPORT_BYTES // 1024 // 1024} MB，不是 roster 阶段生成的报告")
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise PipelineError(f"{what}不是 UTF-8 编码的 JSON 文件，不是 roster 阶段生成的报告") from None
    except json.JSONDecodeError as exc:
        raise PipelineError(f"{what}不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}）；"
                            "可能被手工改坏，请重新运行 python -m pipeline roster") from None


def _refused(path: Path, faults: list[str]) -> PipelineError:
    shown_faults = "\n".join(f"  - {f}" for f in faults[:SHOWN_ISSUES])
    more = f"\n  …… 另有 {len(faults) - SHOWN_ISSUES} 处" if len(faults) > SHOWN_ISSUES else ""
    return PipelineError(f"汇总报告 {path} 的内容不对，不是本程序 roster 阶段生成的报告（可能来自其他版本或被手工修改），"
                         f"未生成任何文件；请重新运行 python -m pipeline roster：\n{shown_faults}{more}")


def _shape(data) -> list[str]:
    """Return what is wrong with the report's shape: top-level items, each record's fields and statuses."""
    if not isinstance(data, dict):
        return [f"最外层应为映射（{{\"units\": …}}），实为{_type_name(data)}"]
    faults = [f"缺少“{key}”项" for key in TOP if key not in data]
    faults += [f"“{key}”应为{TYPE_NAMES[kind]}，实为{_type_name(data[key])}" for key, kind in TOP.items()
               if key in data and not isinstance(data[key], kind)]
    if "version" in data and data["version"] not in VERSIONS:
        faults.append(f"是本程序不认识的版本（version：{json.dumps(data['version'], ensure_ascii=False)}）")
    if faults:
        return faults
    faults += _records(data["units"], "units", UNIT_FIELDS, {"status": UNIT_STATUSES})
    faults += _records(data["files"], "files", FILE_FIELDS, {"status": FILE_STATUSES})
    faults += _records(data["problems"], "problems", PROBLEM_FIELDS, {"severity": (ERROR, WARNING)})
    for i, item in enumerate(data["units"], start=1):
        if isinstance(item, dict) and isinstance(item.get("files"), list) and \
                not all(isinstance(f, str) for f in item["files"]):
            faults.append(f"units 第 {i} 项的 files 应为文字的列表")
    for part in ("files", "problems"):
        for i, item in enumerate(data[part], start=1):
            if isinstance(item, dict) and isinstance(item.get("members"), list) and \
                    not all(isinstance(m, str) for m in item["members"]):
                faults.append(f"{part} 第 {i} 项的 members 应为文字的列表")
    return faults


def _records(items: list, part: str, fields: dict, choices: dict) -> list[str]:
    """Return the faults of a list of records: not a mapping, a field missing or of the wrong type, a bad value."""
    faults = []
    for i, item in enumerate(items, start=1):
        at = f"{part} 第 {i} 项"
        if not isinstance(item, dict):
            faults.append(f"{at}应为映射，实为{_type_name(item)}")
            continue
        for key, kind in fields.items():
            if key not in item:
                faults.append(f"{at}缺少“{key}”")
            elif not isinstance(item[key], kind) or isinstance(item[key], bool):
                faults.append(f"{at}的“{key}”类型不对（{_type_name(item[key])}）")
            elif key in choices and item[key] not in choices[key]:
                faults.append(f"{at}的 {key}“{item[key]}”无效（应为 {'、'.join(choices[key])} 之一）")
    return faults


def _type_name(value) -> str:
    if value is None:
        return "空值"
    return next((name for kind, name in TYPE_NAMES.items() if isinstance(value, kind) and not isinstance(value, bool)),
                type(value).__name__)


def _consistency(data: dict, units: tuple[Unit, ...]) -> list[str]:
    """Return where the report contradicts itself: repeated ids, files of unknown units, counts that do not add up."""
    ids = [u.id for u in units]
    faults = [f"单位编号“{i}”出现了不止一次" for i in sorted({i for i in ids if ids.count(i) > 1})]
    if any(not u.id or not u.name for u in units):
        faults.append("有单位的编号或名称为空")
    known = set(ids)
    faults += [f"files 第 {n} 项的 unit_id“{f['unit_id']}”不是报告中的单位" for n, f in enumerate(data["files"], start=1)
               if f["unit_id"] is not None and f["unit_id"] not in known]
    counted = data["counts"].get("units")
    actual = {"total": len(units), **{s: sum(u.status == s for u in units) for s in UNIT_STATUSES}}
    if not isinstance(counted, dict) or {k: counted.get(k) for k in actual} != actual:
        faults.append(f"counts.units（{json.dumps(counted, ensure_ascii=False)}）与各单位的状态不符"
                      f"（应为 {json.dumps(actual, ensure_ascii=False)}）")
    if not isinstance(data["counts"].get("people"), int) or isinstance(data["counts"].get("people"), bool):
        faults.append("counts 缺少整数的“people”（汇总的行数）")
    return faults


def _owners(data: dict) -> dict[str, str | None]:
    """Map each file (as shown) to its unit: a file's problems belong to its unit, unless the file was superseded."""
    return {shown(f["path"], tuple(f["members"])): (f["unit_id"] if f["status"] != SUPERSEDED else None)
            for f in data["files"]}


def _roster(path: Path, spec: FormSpec, units: set[str], people: int) -> tuple[dict, ...]:
    """Return roster.csv's rows (values as consolidated, a neutralised formula's quote taken off); check it fits."""
    what = f"汇总名单 {path}"
    try:
        raw = read_regular(path, MAX_REPORT_BYTES)
    except FileNotFoundError:
        raise PipelineError(f"找不到{what}：它应与 report.json 在同一文件夹（roster 阶段的输出文件夹）") from None
    except OSError:
        raise PipelineError(f"无法读取{what}（不是普通文件，或没有读取权限）") from None
    if raw is None:
        raise PipelineError(f"{what}超过 {MAX_REPORT_BYTES // 1024 // 1024} MB")
    try:
        records = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    except (UnicodeDecodeError, csv.Error):
        raise PipelineError(f"{what}不是 roster 阶段写出的 UTF-8 CSV 文件，请重新运行 python -m pipeline roster") from None
    columns = _columns(what, records[0] if records else [], spec)
    rows, faults = [], []
    for line, record in enumerate(records[1:], start=2):
        if len(record) != len(columns):
            faults.append(f"第 {line} 行有 {len(record)} 项，应为 {len(columns)} 项")
            continue
        row = dict(zip(columns, (_unneutralised(v) for v in record)))
        if row["unit_id"] and row["unit_id"] not in units:
            faults.append(f"第 {line} 行的单位编号“{row['unit_id']}”不在 report.json 中")
        if row["source_row"] and not row["source_row"].isdigit():
            faults.append(f"第 {line} 行的 source_row“{row['source_row']}”不是行号")
        rows.append(row)
    if not faults and len(rows) != people:
        faults.append(f"有 {len(rows)} 行，而 report.json 记录汇总了 {people} 行（两个文件不是同一次汇总的结果）")
    if faults:
        raise PipelineError(f"{what}与 report.json 不符，未生成任何文件；请重新运行 python -m pipeline roster：\n"
                            + "\n".join(f"  - {f}" for f in faults[:SHOWN_ISSUES]))
    return tuple(rows)


def _columns(what: str, header: list[str], spec: FormSpec | None) -> tuple[str, ...]:
    """Return roster.csv's columns: exactly spec's, or (without a spec) unit_id, unit, keys…, source_*."""
    found = tuple(header)
    if spec is not None and found != roster_columns(spec):
        raise PipelineError(f"{what}的表头与表格说明“{spec.title}”的列不一致：应为 {','.join(roster_columns(spec))}，"
                            f"实为 {','.join(found) or '（空文件）'}；请用汇总时的表格说明（--spec），或重新运行 python -m pipeline roster")
    if found[:len(HEAD)] != HEAD or found[-len(TAIL):] != TAIL or len(set(found)) != len(found):
        raise PipelineError(f"{what}不是 roster 阶段写出的名单：表头应以 {','.join(HEAD)} 开头、以 {','.join(TAIL)} 结尾，"
                            "请重新运行 python -m pipeline roster")
    return found


def _unneutralised(value: str) -> str:
    """Return a roster.csv value as consolidated: the ' the roster put before formula-like text taken off."""
    if value.startswith("'") and value[1:].startswith(FORMULA_START) and not NUMBER.fullmatch(value[1:]):
        return value[1:]
    return value

