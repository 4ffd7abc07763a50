"""Check the 版记 of a .docx: its rules (thick outside, thin inside), 4号仿宋 lines and their indents."""

from __future__ import annotations

from .docx_text import find_paragraph, jc_name, text_font_violations
from .expected import Expected, colophon_paragraphs, element_of
from .findings import ELEMENTS, Finding
from .standard import (BORDER_SZ_TOL, FANGSONG, HAO4, INDENT_TOL_PT, MM_PER_PT, NS, THICK_RULE, THIN_RULE, figure,
                       near, quote, squash, w)
from .wordml import Docx, indent_pt, justification, para_text, paragraph_number, paragraphs

EDGE_NAMES = {"top": "首条分隔线", "bottom": "末条分隔线", "insideH": "中间分隔线"}


def colophon_table(doc: Docx, data: dict):
    """Return the table holding the 抄送 line (or the 印发 line)."""
    keys = [squash(e.text) for e in colophon_paragraphs(data)]
    for tbl in doc.document.iter(w("tbl")):
        text = squash("".join(para_text(p) for p in paragraphs(tbl)))
        if keys and keys[0] in text:
            return tbl
    return None


def docx_colophon(doc: Docx, fmt: str, data: dict) -> list[Finding]:
    """版记: thick (0.35 mm) top and bottom lines, thin (0.25 mm) inside; 4号仿宋; 抄送 and 印发 lines."""
    if not colophon_paragraphs(data):
        return []
    tbl = colophon_table(doc, data)
    if tbl is None:
        return [Finding("missing", "colophon", "未找到含抄送、印发机关和印发日期的版记表格", want="版记表格")]
    out = _border_faults(doc, tbl)
    for item in colophon_paragraphs(data):
        p, element = find_paragraph(doc, item.text, [tbl]), element_of(item)
        out += [Finding("missing", element, f"版记中未找到{ELEMENTS[element]}“{quote(item.text)}”",
                        want=quote(item.text))] if p is None else \
            text_font_violations(doc, p, element, ELEMENTS[element], FANGSONG, HAO4) + _colophon_indent(doc, item, p)
    return out


def _border_sizes(doc: Docx, tbl) -> dict[str, tuple[str, int]]:
    """Return the effective top/bottom/insideH borders (val, sz): the thinnest outer, the thickest inner."""
    table = _table_borders(doc, tbl)
    rows = tbl.findall("w:tr", NS)
    cells = {"top": [(c, "top") for c in rows[0].findall("w:tc", NS)],
             "bottom": [(c, "bottom") for c in rows[-1].findall("w:tc", NS)],
             "insideH": [(c, "bottom") for r in rows[:-1] for c in r.findall("w:tc", NS)]}
    out = {}
    for edge, picks in cells.items():
        values = [_cell_border(cell, side) or table[edge] for cell, side in picks] or [table[edge]]
        out[edge] = (max if edge == "insideH" else min)(values, key=lambda v: v[1])
    return out


def _table_borders(doc: Docx, tbl) -> dict[str, tuple[str, int]]:
    """Return the table-level borders from direct formatting, else from the table style chain."""
    style = tbl.find("w:tblPr/w:tblStyle", NS)
    chain = doc.styles.chain(style.get(w("val"))) if style is not None else []
    levels = [lv for lv in [tbl.find("w:tblPr", NS)] + [s.find("w:tblPr", NS) for s in chain] if lv is not None]
    out = {}
    for edge in ("top", "bottom", "insideH"):
        el = next((lv.find(f"w:tblBorders/w:{edge}", NS) for lv in levels
                   if lv.find(f"w:tblBorders/w:{edge}", NS) is not None), None)
        out[edge] = _border_value(el) or ("nil", 0)
    return out


def _cell_border(cell, side: str) -> tuple[str, int] | None:
    return _border_value(cell.find(f"w:tcPr/w:tcBorders/w:{side}", NS))


def _border_value(el) -> tuple[str, int] | None:
    if el is None:
        return None
    val = el.get(w("val"))
    return (val, 0 if val in ("nil", "none") else int(el.get(w("sz"), "0")))


def _sz_mm(sz: int) -> float:
    return sz / 8 * MM_PER_PT


def _border_faults(doc: Docx, tbl) -> list[Finding]:
    """Check the 版记 rules; a finding on the top (bottom) rule points at the first paragraph of the first (last) row."""
    edges, out = _border_sizes(doc, tbl), []
    rows = tbl.findall("w:tr", NS)
    where = {"top": row_paragraph(doc, rows[0]), "bottom": row_paragraph(doc, rows[-1]), "insideH": 0}
    wanted = {"top": THICK_RULE, "bottom": THICK_RULE} | ({"insideH": THIN_RULE} if len(rows) > 1 else {})
    for edge, mm in wanted.items():
        val, sz = edges[edge]
        if val in ("nil", "none") or abs(sz - mm / MM_PER_PT * 8) > BORDER_SZ_TOL:
            found = "无" if val in ("nil", "none") else f"{_sz_mm(sz):.2f} 毫米"
            out.append(Finding("rule_width", "colophon", f"版记{EDGE_NAMES[edge]}为 {found}（{val}，sz {sz}），"
                               f"应为 {figure(mm)} 毫米", paragraph=where[edge], found=found, want=f"{figure(mm)} 毫米"))
    inside = edges["insideH"][1]
    return out + [Finding("rule_width", "colophon", f"版记{EDGE_NAMES[e]}（{_sz_mm(edges[e][1]):.2f} 毫米）不比中间"
                          f"分隔线（{_sz_mm(inside):.2f} 毫米）粗", paragraph=where[e],
                          found=f"{_sz_mm(edges[e][1]):.2f} 毫米", want=f"粗于 {_sz_mm(inside):.2f} 毫米")
                  for e in ("top", "bottom") if len(rows) > 1 and edges[e][1] <= inside]


def row_paragraph(doc: Docx, row) -> int:
    """Return the paragraph number of a table row's first paragraph (0 when it has none)."""
    first = row.find(".//w:p", NS)
    return paragraph_number(doc, first) if first is not None else 0


def _colophon_indent(doc: Docx, item: Expected, p) -> list[Finding]:
    """抄送 left/right 1 character, wrapped after the colon; 印发机关 left 1; 印发日期 right 1."""
    element, one, where = element_of(item), HAO4, paragraph_number(doc, p)
    name = "版记中的" + ("印发日期" if item.kind == "print_date" else ELEMENTS[element])
    start = indent_pt(doc, p, "left") + indent_pt(doc, p, "firstLine")
    if item.kind in ("copy_to", "colophon_addressee"):
        out = near("indent", element, f"{name}首行起点（左空一字）", start, one, INDENT_TOL_PT, "pt", paragraph=where)
        out += near("indent", element, f"{name}回行起点（冒号后）", indent_pt(doc, p, "left"), 4 * one,
                    INDENT_TOL_PT, "pt", paragraph=where)
        return out + near("indent", element, f"{name}右缩进（右空一字）", indent_pt(doc, p, "right"), one,
                          INDENT_TOL_PT, "pt", paragraph=where)
    if item.kind == "printer":
        return near("indent", element, f"{name}左缩进（左空一字）", start, one, INDENT_TOL_PT, "pt", paragraph=where)
    out = near("indent", element, f"{name}右缩进（右空一字）", indent_pt(doc, p, "right"), one, INDENT_TOL_PT, "pt",
               paragraph=where)
    jc = justification(doc, p)
    return out + ([] if jc == "right" else [Finding("alignment", element, f"{name}{jc_name(jc)}，应右对齐",
                                                    paragraph=where, found=jc_name(jc), want="右对齐")])
