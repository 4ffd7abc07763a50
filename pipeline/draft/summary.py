"""Summarise a format run for the clerk, in Chinese: what was built, corrected, left unplaced or missing."""

from __future__ import annotations

from .stage import Formatted


def summary(results: list[Formatted]) -> str:
    """Return one paragraph a draft: the notice written, corrections, unplaced lines, problems, the check."""
    return "\n".join(_one(r) for r in results)


def _one(r: Formatted) -> str:
    report = r.report
    lines = [f"草稿 {r.draft.name}：" + ("已生成 " + next(n for role, n in r.files if role == "notice") if r.built
                                        else "未能生成公文")]
    if report.get("layout"):
        lines.append(f"  版式：{report['layout']}，识别出 {len(report.get('elements', []))} 个要素，"
                     f"更正 {len(report.get('corrections', []))} 处")
    if report.get("unplaced"):
        lines.append(f"  有 {len(report['unplaced'])} 行无法归类，已放入正文末尾，请核对（见 format_report.json）")
    lines += [f"  问题：{p}" for p in report.get("problems", [])]
    check = report.get("check")
    if check:
        lines.append(f"  检查：{check['errors']} 项错误、{check['warnings']} 项警告")
    return "\n".join(lines)
