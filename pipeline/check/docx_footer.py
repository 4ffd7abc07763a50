"""Check the page numbers a .docx sets up: PAGE fields between dashes in 4号宋体, odd right and even left."""

from __future__ import annotations

import re

from .docx_text import jc_name
from .findings import Finding
from .standard import DASH, HAO4, INDENT_TOL_PT, NS, SONGTI, near, size_name, w
from .wordml import Docx, font_size, indent_pt, justification, own_runs, paragraphs, resolve_font, run_text

FOOTER_NAMES = {"default": "单页", "even": "双页"}
SIDE_NAMES = {"right": "右", "left": "左"}


def docx_page_numbers(doc: Docx, fmt: str, data: dict) -> list[Finding]:
    """页码: PAGE field between dashes, 4号宋体, odd right / even left with 1 character; settings."""
    out = [] if _on(doc.settings.find("w:evenAndOddHeaders", NS)) else [Finding(
        "page_number_setting", "page_number", "文档未设置“奇偶页不同”（w:evenAndOddHeaders），双页页码无法居左",
        found="未设置", want="奇偶页不同")]
    for kind, side in (("default", "right"), ("even", "left")):
        footer = doc.footers.get(kind)
        name = FOOTER_NAMES[kind]
        out += [Finding("page_number_missing", "page_number", f"缺少{name}页脚，{name}没有页码", found=f"无{name}页脚",
                        want=f"{name}页脚")] if footer is None else _footer_faults(doc, footer, kind, side)
    return out + _first_page_faults(doc, fmt)


def _on(el) -> bool:
    return el is not None and el.get(w("val")) not in ("0", "false", "off")


def _first_page_faults(doc: Docx, fmt: str) -> list[Finding]:
    title_pg = _on(doc.sect.find("w:titlePg", NS))
    footer = doc.footers.get("first" if title_pg else "default")
    numbered = footer is not None and has_page_field(footer)
    if fmt != "信函格式":
        return [] if numbered else [Finding("page_number_missing", "page_number", f"{fmt}的首页没有页码",
                                            want="首页页码")]
    if not title_pg:
        return [Finding("page_number_setting", "page_number",
                        "信函格式未设置“首页不同”（w:titlePg），首页会显示页码，而信函首页不编页码",
                        found="未设置", want="首页不同")]
    return [Finding("page_number_extra", "page_number", "信函格式的首页页脚有页码域，信函首页不编页码",
                    found="首页页码", want="首页无页码")] if numbered else []


def has_page_field(root) -> bool:
    """Tell whether a story contains a PAGE field (simple or complex)."""
    simple = [f.get(w("instr"), "") for f in root.iter(w("fldSimple"))]
    complex_ = [t.text or "" for t in root.iter(w("instrText"))]
    return any(re.match(r"\s*PAGE\b", s) for s in simple + complex_)


def _footer_faults(doc: Docx, footer, kind: str, side: str) -> list[Finding]:
    name = FOOTER_NAMES[kind]
    p = next((p for p in paragraphs(footer) if has_page_field(p)), None)
    if p is None:
        return [Finding("page_number_missing", "page_number", f"{name}页脚中没有页码域（PAGE）",
                        found=f"{name}页脚无页码域", want="页码域")]
    before, after = _field_context(p)
    out = [] if before.strip().endswith(DASH) and after.strip().startswith(DASH) else [Finding(
        "number_format", "page_number", f"{name}页码两侧不是一字线（“{before.strip()}”页码“{after.strip()}”），"
        f"应为“— 1 —”", found=f"{before.strip()}1{after.strip()}", want="— 1 —")]
    out += _footer_font_faults(doc, p, name)
    jc = justification(doc, p)
    out += [] if jc == side else [Finding("page_number_position", "page_number",
                                          f"{name}页码{jc_name(jc)}，应{jc_name(side)}", found=jc_name(jc),
                                          want=jc_name(side))]
    return out + near("page_number_position", "page_number", f"{name}页码的{SIDE_NAMES[side]}缩进（空一字）",
                      indent_pt(doc, p, side), HAO4, INDENT_TOL_PT, "pt")


def _field_context(p) -> tuple[str, str]:
    """Return the text before the PAGE field and after it."""
    parts, state = {"before": "", "after": ""}, "before"
    for r in own_runs(p):
        char = r.find("w:fldChar", NS)
        if char is not None:
            state = {"begin": "field", "end": "after"}.get(char.get(w("fldCharType")), state)
        elif state in parts:
            parts[state] += run_text(r)
    return parts["before"], parts["after"]


def _footer_font_faults(doc: Docx, p, name: str) -> list[Finding]:
    fonts, sizes = set(), set()
    for r in (r for r in own_runs(p) if run_text(r).strip()):
        levels = doc.styles.run_levels(p, r)
        fonts |= {f for f in (resolve_font(levels, "eastAsia"), resolve_font(levels, "ascii")) if f not in SONGTI}
        sizes |= set() if font_size(levels) == HAO4 else {font_size(levels)}
    out = [Finding("font", "page_number", f"{name}页码字体为{font or '未设置的字体'}，应为宋体", found=font or "未设置",
                   want="宋体") for font in sorted(fonts, key=str)]
    return out + [Finding("size", "page_number", f"{name}页码字号为 {size_name(size)}，应为 {size_name(HAO4)}",
                          found=size_name(size), want=size_name(HAO4)) for size in sorted(sizes, key=str)]
