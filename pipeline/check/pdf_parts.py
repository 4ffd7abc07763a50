"""Check the parts some notices add, on the rendered page: 签发人, 纪要 attendance, issued document, 版记 主送."""

from __future__ import annotations

from pathlib import Path

from .expected import as_list, attendance_paragraphs, signer_lines
from .pdf_head_formats import two_lines_below
from .pdf_match import all_of, lines_of, matched_lines, text_lines
from .pdf_model import Line, Span, dark_mask, load_pdf, pdf_spans, red_mask, rules
from .findings import Finding
from .standard import (CHAR_MM, HAO2, HAO4, LEFT, MM_PER_PT, PDF_FACES, POS_TOL, TEXT_CENTRE, TEXT_RIGHT, figure, near,
                       quote, size_name, squash)

SAME_LINE_TOL = 1.0  # mm between the centres of two texts on one baseline (faces differ in ascent and descent)
SIZE_TOL = 0.5  # pt, a font size as the PDF states it


def face(family: str) -> str:
    """Return the 公文 face (黑体, 楷体, 仿宋, 小标宋) a PDF font family renders, or the family itself."""
    return next((name for name, keys in PDF_FACES.items() if any(k in family for k in keys)), family)


def spans_in(spans: list[Span], line: Line) -> list[Span]:
    """Return the text runs inside a line's box (by their centres)."""
    return [s for s in spans if s.page == line.page and line.y0 - 1 <= (s.y0 + s.y1) / 2 <= line.y1 + 1
            and line.x0 - 1 <= (s.x0 + s.x1) / 2 <= line.x1 + 1]


def face_faults(element: str, what: str, spans: list[Span], texts: dict[str, str]) -> list[Finding]:
    """Each run inside one of texts, or holding one of them, is in that text's face (texts: text → face)."""
    out = []
    for span in spans:
        text = squash(span.text)
        wants = {f for t, f in texts.items() if text and t and (text in t or t in text)}
        found = f"{span.family}（{face(span.family)}）"
        out += [Finding("font", element, f"{what}“{quote(text)}”为 {found}，应为{want}", page=span.page, found=found,
                        want=want) for want in sorted(wants) if face(span.family) != want]
    return out


def union(lines: list[Line]) -> Line:
    """Return one box around the pieces of a line (texts of one row that the PDF keeps apart)."""
    return Line(lines[0].page, "".join(squash(ln.text) for ln in lines), min(ln.x0 for ln in lines),
                min(ln.y0 for ln in lines), max(ln.x1 for ln in lines), max(ln.y1 for ln in lines))


# --- 签发人 -----------------------------------------------------------------------------------
def pdf_signers(pdf_path: Path, fmt: str, data: dict) -> list[Finding]:
    """签发人 two lines under the mark, right-indented 1 character, names in 楷体; 发文字号 left on its baseline."""
    if not data.get("signers"):
        return []
    pdf = load_pdf(pdf_path)
    rows, number = _signer_rows(pdf, data)
    if not number or len(rows) != len(signer_lines(data)):
        return [Finding("missing", "signer", "PDF 中未找到签发人各行或发文字号", page=1, want="签发人、发文字号")]
    out = two_lines_below("signer", "签发人", red_mask(pdf.raster(1)), rows[0])
    out += near("position", "signer", "签发人右边缘（最长一行右空一字）", max(r.mm("x1") for r in rows),
                TEXT_RIGHT - CHAR_MM, POS_TOL, page=1)
    out += near("position", "number", "发文字号左边缘（左空一字）", number.mm("x0"), LEFT + CHAR_MM, POS_TOL, page=1)
    out += near("alignment", "number", "发文字号的中心高度（应与末行签发人在同一行）", number.centre()[1],
                rows[-1].centre()[1], SAME_LINE_TOL, page=1)
    out += [f for row in rows[1:] for f in near("alignment", "signer", "签发人续行起点（应与第一个姓名对齐）",
                                                  row.mm("x0"), rows[0].mm("x0") + 4 * CHAR_MM, POS_TOL, page=1)]
    names = "".join(as_list(data["signers"]))
    spans = [s for row in rows for s in spans_in(pdf_spans(pdf_path), row)]
    return out + face_faults("signer", "签发人", spans, {names: "楷体", "签发人：": "仿宋"})


def _signer_rows(pdf, data: dict) -> tuple[list[Line], Line | None]:
    """Return the 签发人 lines (pieces on one baseline joined, top to bottom) and the 发文字号's line.

    pdftotext reads the head in columns (the number, then the names), so the pieces are gathered by
    their place on page 1 rather than in reading order.
    """
    number = squash(data.get("number", ""))
    wanted = [squash(t) for t in signer_lines(data)]
    pieces = [ln for ln in pdf.lines() if ln.page == 1 and squash(ln.text)]
    found = next((ln for ln in pieces if squash(ln.text) == number), None)
    names = [ln for ln in pieces if ln is not found and any(squash(ln.text) in w for w in wanted)]
    rows: dict[int, list[Line]] = {}
    for piece in names:
        rows.setdefault(round(piece.centre()[1]), []).append(piece)
    joined = [union(sorted(r, key=lambda ln: ln.x0)) for _, r in sorted(rows.items())]
    return [r for r in joined if squash(r.text) in wanted], found


# --- 纪要: 出席 请假 列席 --------------------------------------------------------------------------
def pdf_attendance(pdf_path: Path, fmt: str, data: dict) -> list[Finding]:
    """出席：/请假：/列席： 3号黑体 indented 2 characters, names 仿宋, wrapped lines aligned after the colon."""
    items = attendance_paragraphs(data)
    if not items:
        return []
    pdf, spans, out = load_pdf(pdf_path), pdf_spans(pdf_path), []
    for item, lines in all_of(pdf, data, "attendance"):
        if not lines:
            out.append(Finding("missing", "body", f"PDF 中未找到“{quote(item.text)}”", want=quote(item.text)))
            continue
        label = item.text[:item.head_len]
        out += near("indent", "body", f"“{label}”的首行起点（空二字）", lines[0].mm("x0"), LEFT + 2 * CHAR_MM, POS_TOL,
                    page=lines[0].page)
        out += [f for ln in lines[1:] for f in near("indent", "body", f"“{label}”的回行起点（冒号后）", ln.mm("x0"),
                                                     LEFT + (2 + len(label)) * CHAR_MM, POS_TOL, page=ln.page)]
        found = [s for ln in lines for s in spans_in(spans, ln)]
        out += face_faults("body", label.rstrip("："), found, {label: "黑体", item.text[len(label):]: "仿宋"})
    return out


# --- the issued document (印发的文件) ----------------------------------------------------------
def pdf_issued(pdf_path: Path, fmt: str, data: dict) -> list[Finding]:
    """The issued document starts a new page after the signature: its 2号 title first on the page, centred."""
    if not data.get("issued"):
        return []
    pdf = load_pdf(pdf_path)
    title, date = lines_of(pdf, data, "issued_title"), lines_of(pdf, data, "date")
    if not title or not date:
        return [Finding("missing", "title", "PDF 中未找到印发文件的标题或通知的成文日期", want="印发文件标题、成文日期")]
    page = title[0].page
    first = next(ln for ln in text_lines(pdf) if ln.page == page)
    out = [] if first.y0 >= title[0].y0 - 0.5 else [Finding(
        "new_page", "title", f"印发文件标题不是第{page}页的第一行（其上有“{quote(first.text)}”），未另起一页", page=page,
        found=f"在“{quote(first.text)}”之后", want="另起一页")]
    out += [] if page > date[0].page else [Finding(
        "new_page", "title", f"印发文件标题在第{page}页，未在成文日期所在的第{date[0].page}页之后另起一页", page=page,
        found=f"第 {page} 页", want=f"第 {date[0].page + 1} 页或之后")]
    out += [f for ln in title for f in near("position", "title", f"印发文件标题“{quote(ln.text)}”一行的中心",
                                             ln.centre()[0], TEXT_CENTRE, POS_TOL, page=ln.page)]
    sizes = {round(s.size, 1) for ln in title for s in spans_in(pdf_spans(pdf_path), ln) if squash(s.text)}
    return out + [Finding("size", "title", f"印发文件标题字号为 {figure(size)} 磅，应为 {size_name(HAO2)}", page=page,
                          found=f"{figure(size)} 磅", want=size_name(HAO2))
                  for size in sorted(sizes) if abs(size - HAO2) > SIZE_TOL]


# --- 主送 in the 版记 ---------------------------------------------------------------------------
def pdf_colophon_addressee(pdf_path: Path, fmt: str, data: dict) -> list[Finding]:
    """主送 in the 版记: on the line above 抄送, no rule between them, indented 1 character (4号)."""
    if not data.get("addressees_in_colophon"):
        return []
    pdf = load_pdf(pdf_path)
    line, copy = lines_of(pdf, data, "colophon_addressee"), lines_of(pdf, data, "copy_to")
    if not line:
        return [Finding("missing", "addressee", "PDF 中未找到版记中的主送一行", want="主送")]
    out = near("indent", "addressee", "版记中主送的起点（左空一字）", line[0].mm("x0"), LEFT + HAO4 * MM_PER_PT, POS_TOL,
               page=line[0].page)
    if not copy:
        return out
    page = copy[0].page
    between = [r for r in rules(dark_mask(pdf.raster(page))) if line[-1].mm("y1") < r.y < copy[0].mm("y0")]
    out += [Finding("extra", "colophon", f"版记中主送与抄送之间在 {r.y:.1f} 毫米处有分隔线，二者之间不加线", page=page,
                    found=f"{r.y:.1f} 毫米", want="无分隔线") for r in between]
    gap = [ln for ln in text_lines(pdf) if ln.page == page and line[-1].y1 <= ln.y0 < copy[0].y0 - 0.5]
    return out + [Finding("extra", "colophon", f"版记中主送与抄送之间有文字“{quote(ln.text)}”", page=page,
                          found=quote(ln.text), want="无文字") for ln in gap]


def issued_figures(pdf_path: Path, data: dict) -> dict:
    """Return the pages of the signature, the issued title and the 版记 (for reporting)."""
    pdf = load_pdf(pdf_path)
    pages = {item.kind: lines[0].page for item, lines in matched_lines(pdf, data) if lines}
    return {"date_page": pages.get("date"), "issued_title_page": pages.get("issued_title"),
            "print_date_page": pages.get("print_date"), "pages": len(pdf.pages)}
