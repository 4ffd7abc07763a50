"""Check the .docx parts some notices add: joint marks, 签发人, 纪要 attendance, issued document, 版记 主送."""

from __future__ import annotations

from pathlib import Path

from .docx_checks import (docx_annex_note, docx_grid, docx_head, docx_main_text, docx_number, docx_page,
                          docx_theme_fonts, docx_title)
from .docx_colophon import colophon_table, docx_colophon, row_paragraph
from .docx_footer import docx_page_numbers
from .docx_text import find_containing, find_paragraph, jc_name, text_font_violations, text_span
from .expected import as_list, attendance_paragraphs, colophon_paragraphs, mark_lines
from .findings import Finding
from .standard import FANGSONG, HAO2, HAO3, HEITI, INDENT_TOL_PT, KAITI, NS, XIAOBIAOSONG, near, quote, squash, w
from .wordml import Docx, indent_pt, justification, para_text, paragraph_number, paragraphs


def check_docx(docx_path: Path, fmt: str, data: dict) -> list[Finding]:
    """Run every .docx check; return all findings."""
    doc = Docx(Path(docx_path))
    checks = (docx_page, docx_number, docx_head, docx_joint_mark, docx_signers, docx_title, docx_main_text,
              docx_grid, docx_attendance, docx_annex_note, docx_issued, docx_page_numbers, docx_colophon,
              docx_colophon_addressee, docx_theme_fonts)
    return [f for check in checks for f in check(doc, fmt, data)]


def docx_joint_mark(doc: Docx, fmt: str, data: dict) -> list[Finding]:
    """Joint mark: each stacked name (and the word) printed in red 方正小标宋简体."""
    names, word = mark_lines(fmt, data)
    if len(names) < 2:
        return []
    out = []
    for text in names + ([word] if word else []):
        p = find_paragraph(doc, text)
        out += [Finding("missing", "mark", f"联合发文机关标志中的“{text}”未单独成段", want=text)] if p is None else \
            text_font_violations(doc, p, "mark", "联合发文机关标志", XIAOBIAOSONG, None, red=True)
    return out


def docx_signers(doc: Docx, fmt: str, data: dict) -> list[Finding]:
    """签发人：in 3号仿宋, the names in 3号楷体."""
    names = as_list(data.get("signers"))
    if not names:
        return []
    p = find_containing(doc, "签发人：")
    if p is None:
        return [Finding("missing", "signer", "未找到“签发人：”一行", want="签发人：")]
    out = text_font_violations(doc, p, "signer", "签发人", FANGSONG, HAO3, text_span(p, "签发人："))
    for name in names:
        q = find_containing(doc, name)
        out += [Finding("missing", "signer", f"未找到签发人“{name}”", want=name)] if q is None else \
            text_font_violations(doc, q, "signer", "签发人姓名", KAITI, HAO3, text_span(q, name))
    return out


def docx_attendance(doc: Docx, fmt: str, data: dict) -> list[Finding]:
    """出席：/请假：/列席： 3号黑体, names 3号仿宋; first line at 2 characters, wrapped lines after the colon."""
    out = []
    for item in attendance_paragraphs(data):
        p = find_paragraph(doc, item.text)
        if p is None:
            out.append(Finding("missing", "body", f"“{quote(item.text)}”未作为一个段落找到", want=quote(item.text)))
            continue
        label, where = item.text[:item.head_len], paragraph_number(doc, p)
        out += text_font_violations(doc, p, "body", f"{label.rstrip('：')}标签", HEITI, HAO3, text_span(p, label))
        out += text_font_violations(doc, p, "body", f"{label.rstrip('：')}名单", FANGSONG, HAO3,
                                    text_span(p, item.text[item.head_len:]))
        left = indent_pt(doc, p, "left")
        out += near("indent", "body", f"“{label}”的首行起点（空二字）", left + indent_pt(doc, p, "firstLine"), 2 * HAO3,
                    INDENT_TOL_PT, "pt", paragraph=where)
        out += near("indent", "body", f"“{label}”的回行起点（冒号后）", left, (2 + len(label)) * HAO3, INDENT_TOL_PT,
                    "pt", paragraph=where)
    return out


def docx_issued(doc: Docx, fmt: str, data: dict) -> list[Finding]:
    """Issued document: its title 2号方正小标宋简体 centred, starting a new page (page or section break)."""
    issued = data.get("issued")
    if not isinstance(issued, dict):
        return []
    body = paragraphs(doc.document.find("w:body", NS))
    p = next((q for q in body if squash(para_text(q)) == squash(issued["title"])), None)
    if p is None:
        return [Finding("missing", "title", f"印发文件的标题“{quote(issued['title'])}”未作为一个段落找到",
                        want=quote(issued["title"]))]
    where, jc = paragraph_number(doc, p), justification(doc, p)
    out = text_font_violations(doc, p, "title", "印发文件标题", XIAOBIAOSONG, HAO2)
    out += [] if jc == "center" else [Finding("alignment", "title", f"印发文件标题{jc_name(jc)}，应居中",
                                              paragraph=where, found=jc_name(jc), want="居中")]
    return out + ([] if starts_page(doc, body, p) else [Finding(
        "new_page", "title", "印发文件标题未另起一页（其前没有分页符或分节符）", paragraph=where, found="与前文同页",
        want="另起一页")])


def starts_page(doc: Docx, body: list, p) -> bool:
    """Tell whether a paragraph starts a new page: pageBreakBefore, or a page/section break right before it."""
    flags = [lv.find("w:pageBreakBefore", NS) for lv in doc.styles.para_levels(p)]
    flag = next((f for f in flags if f is not None), None)
    if flag is not None and flag.get(w("val")) not in ("0", "false", "off"):
        return True
    for q in reversed(body[:body.index(p)]):
        breaks = [b for b in q.iter(w("br")) if b.get(w("type")) == "page"]
        sect = q.find("w:pPr/w:sectPr", NS)
        if breaks or (sect is not None and _new_page_section(sect)):
            return True
        if squash(para_text(q)):
            return False
    return False


def _new_page_section(sect) -> bool:
    kind = sect.find("w:type", NS)
    return kind is None or kind.get(w("val")) in ("nextPage", "oddPage", "evenPage")


def docx_colophon_addressee(doc: Docx, fmt: str, data: dict) -> list[Finding]:
    """主送 in the 版记: the line above 抄送, no rule between them (fonts and indents: docx_colophon)."""
    items = [e for e in colophon_paragraphs(data) if e.kind in ("colophon_addressee", "copy_to")]
    if not data.get("addressees_in_colophon") or len(items) < 2:
        return []
    tbl = colophon_table(doc, data)
    if tbl is None:
        return [Finding("missing", "colophon", "未找到含主送一行的版记表格", want="版记表格")]
    rows = tbl.findall("w:tr", NS)
    at = [next((i for i, r in enumerate(rows) if squash(e.text) in squash("".join(r.itertext()))), None)
          for e in items]
    if None in at:
        return [Finding("missing", "colophon", "版记表格中未找到主送或抄送一行", want="主送、抄送")]
    rule = Finding("extra", "colophon", "版记中主送与抄送之间有分隔线，二者之间不加线",
                   paragraph=row_paragraph(doc, rows[at[0]]), found="有分隔线", want="无分隔线")
    if at[0] == at[1]:
        return [rule] if _paragraph_rule(rows[at[0]], items) else []
    if at[1] != at[0] + 1:
        return [Finding("position", "colophon", f"版记中主送（第 {at[0] + 1} 行）不在抄送（第 {at[1] + 1} 行）的正上方",
                        paragraph=row_paragraph(doc, rows[at[0]]), found=f"第 {at[0] + 1} 行",
                        want=f"第 {at[1]} 行")]
    return [] if not _rule_between(tbl, rows[at[0]], rows[at[1]]) else [rule]


def _rule_between(tbl, upper, lower) -> bool:
    """Tell whether a border separates two rows: each side is the cell's own border, else the table's insideH;
    when one side is nil or none the other is displayed (ECMA-376 17.4.39, conflicting cell borders)."""
    inside = tbl.find("w:tblPr/w:tblBorders/w:insideH", NS)
    sides = [c.find("w:tcPr/w:tcBorders/w:bottom", NS) for c in upper.findall("w:tc", NS)]
    sides += [c.find("w:tcPr/w:tcBorders/w:top", NS) for c in lower.findall("w:tc", NS)]
    return any(_visible(side if side is not None else inside) for side in sides)


def _paragraph_rule(row, items) -> bool:
    """Tell whether, in one cell, the 主送 paragraph has a bottom border or the 抄送 paragraph a top one."""
    paragraphs = row.findall(".//w:p", NS)
    texts = [squash("".join(p.itertext())) for p in paragraphs]
    upper = next((p for p, t in zip(paragraphs, texts) if t and squash(items[0].text).startswith(t)), None)
    lower = next((p for p, t in zip(paragraphs, texts) if t and squash(items[1].text).startswith(t)), None)
    return any(p is not None and _visible(p.find(f"w:pPr/w:pBdr/w:{side}", NS))
               for p, side in ((upper, "bottom"), (lower, "top")))


def _visible(border) -> bool:
    return border is not None and border.get(w("val")) not in ("nil", "none")
