"""Read a consolidation back from its folder (report.json and roster.csv), refusing anything malformed."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import PipelineError
from ..core.files import read_regular
from .report import UNIT_STATUSES
from .writers import HEAD, OUTPUTS, TAIL

MAX_READ_BYTES = 512 * 1024 * 1024  # a consolidation of 3,000 units is far smaller
UNIT_KEYS = {"id": str, "name": str, "category": str, "status": str, "files": list}
PROBLEM_KEYS = {"code": str, "severity": str, "message": str, "path": str}


@dataclass
class Consolidated:
    """Hold a consolidation read back: its units and problems (report.json) and its rows (roster.csv)."""

    folder: Path
    units: list[dict]
    problems: list[dict]
    rows: list[dict[str, str]]
    columns: tuple[str, ...]

    def rows_by_unit(self) -> dict[str, list[dict[str, str]]]:
        """Return the rows of each unit (by unit id), in roster order; rows without a unit are left out."""
        grouped: dict[str, list[dict[str, str]]] = {}
        for row in self.rows:
            if row["unit_id"]:
                grouped.setdefault(row["unit_id"], []).append(row)
        return grouped


def read_consolidated(folder: Path) -> Consolidated:
    """Read report.json and roster.csv from a roster's output folder; raise PipelineError (Chinese) when either
    is missing, unreadable or not what the roster writes."""
    folder = Path(folder)
    report = _json(folder / OUTPUTS["roster_report"])
    units = _records(report, "units", UNIT_KEYS, folder)
    for unit in units:
        if unit["status"] not in UNIT_STATUSES:
            raise _bad(folder / OUTPUTS["roster_report"], f"单位“{unit['id']}”的状态“{unit['status']}”无法识别")
    problems = _records(report, "problems", PROBLEM_KEYS, folder)
    columns, rows = _roster_csv(folder / OUTPUTS["roster_csv"])
    return Consolidated(folder, units, problems, rows, columns)


def _bad(path: Path, what: str) -> PipelineError:
    return PipelineError(f"{path} 不是本程序汇总生成的文件，或已被改动：{what}（请重新运行 roster）")


def _read(path: Path) -> bytes:
    try:
        data = read_regular(path, MAX_READ_BYTES)
    except OSError:
        raise PipelineError(f"找不到或无法读取 {path}（请先运行 roster 汇总，并用其输出文件夹）") from None
    if data is None:
        raise _bad(path, "文件过大")
    return data


def _json(path: Path) -> dict:
    try:
        report = json.loads(_read(path).decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise _bad(path, "不是有效的 JSON") from None
    if not isinstance(report, dict):
        raise _bad(path, "内容应为一个对象")
    return report


def _records(report: dict, name: str, keys: dict[str, type], folder: Path) -> list[dict]:
    """Return report[name], checking it is a list of objects with the given keys of the given types."""
    items, path = report.get(name), folder / OUTPUTS["roster_report"]
    if not isinstance(items, list):
        raise _bad(path, f"缺少“{name}”列表")
    for i, item in enumerate(items, start=1):
        wrong = [k for k, kind in keys.items() if not isinstance(item, dict) or not isinstance(item.get(k), kind)]
        if wrong:
            raise _bad(path, f"“{name}”第 {i} 项的 {'、'.join(wrong)} 缺失或类型不对")
    return items


def _roster_csv(path: Path) -> tuple[tuple[str, ...], list[dict[str, str]]]:
    try:
        text = _read(path).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _bad(path, "不是 UTF-8 编码") from None
    try:
        table = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:
        raise _bad(path, "CSV 格式错误") from None
    header = tuple(table[0]) if table else ()
    if header[:len(HEAD)] != HEAD or header[-len(TAIL):] != TAIL or len(set(header)) != len(header):
        raise _bad(path, f"表头应以 {','.join(HEAD)} 开头、以 {','.join(TAIL)} 结尾")
    if any(len(row) != len(header) for row in table[1:]):
        raise _bad(path, "某行的列数与表头不同")
    return header, [dict(zip(header, _plain(row))) for row in table[1:]]


def _plain(row: list[str]) -> list[str]:
    """Undo the formula guard of roster.csv: a leading ' before =, +, -, @ is dropped."""
    return [cell[1:] if cell[:1] == "'" and cell[1:2] in ("=", "+", "-", "@") else cell for cell in row]
