"""Write check results for a clerk: a Chinese report per file, or the JSON records."""

from __future__ import annotations

import json

from .document import Checked
from .findings import ELEMENTS, SEVERITY_LABELS


def report_text(results: list[Checked]) -> str:
    """Return a readable Chinese report of every checked file: each finding with its place, then the totals."""
    return "\n\n".join(_file_text(c) for c in results)


def _file_text(c: Checked) -> str:
    head = f"检查 {c.file}（识别为{c.recognition.layout or '单独的附件'}）"
    lines = [head] + [f"  {SEVERITY_LABELS[f.severity]} [{ELEMENTS[f.element]}]{_place(f)} {f.message}（{f.code}）"
                      for f in c.findings]
    errors = sum(f.severity == "error" for f in c.findings)
    warnings = len(c.findings) - errors
    verdict = "符合 GB/T 9704 的各项检查" if not c.findings else f"共 {errors} 项错误、{warnings} 项警告"
    return "\n".join(lines + [f"  结论：{verdict}。"])


def _place(f) -> str:
    parts = ([f"第 {f.page} 页"] if f.page else []) + ([f"第 {f.paragraph} 段"] if f.paragraph else [])
    return " " + "，".join(parts) if parts else ""


def report_json(results: list[Checked]) -> str:
    """Return the JSON `check --json` prints: one object for one file, a list for several."""
    objects = [c.as_dict() for c in results]
    return json.dumps(objects[0] if len(objects) == 1 else objects, ensure_ascii=False, indent=2)
