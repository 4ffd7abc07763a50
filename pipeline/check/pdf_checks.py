"""Check the rendered PDF against the standard, the text against the reference notice, and report measurements."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from .standard import (CHARS_PER_LINE, FACE_TOL, HAO4, LEFT, LINE_PITCH, MM_PER_PT, PAGE_H, PAGE_NUMBER_GAP,
                       PAGE_NUMBER_RE, PAGE_W, PITCH_TOL, POS_TOL, TEXT_BOTTOM, TEXT_CENTRE, TEXT_RIGHT, TEXT_W, figure,
                       near, quote, squash)
from .expected import Expected, colophon_paragraphs, element_of
from .findings import ELEMENTS, Finding
from .wordml import char_kind
from .pdf_head_formats import pdf_head, pdf_joint_mark
from .pdf_match import lines_of, main_lines, matched_lines
from .pdf_model import Line, Rule, dark_mask, ink_rows, load_pdf, red_mask, rules
from .pdf_parts import pdf_attendance, pdf_colophon_addressee, pdf_issued, pdf_signers
from .pdf_signature import pdf_proxy_seal, pdf_signature

# ==============================================================================================
# PDF checks
# ==============================================================================================
def check_pdf(pdf_path: Path, fmt: str, data: dict, title_lines: list[str] | None = None) -> list[Finding]:
    """Run every PDF check; return all findings."""
    out = []
    for check in (pdf_pages, pdf_fonts, pdf_head, pdf_joint_mark, pdf_signers, pdf_body_lines, pdf_attendance,
                  pdf_signature, pdf_proxy_seal, pdf_issued, pdf_page_numbers, pdf_colophon, pdf_colophon_addressee):
        out += check(pdf_path, fmt, data)
    return out + pdf_title(pdf_path, fmt, data, title_lines)


def pdf_pages(pdf_path: Path, fmt: str, data: dict) -> list[Finding]:
    """Every page A4 portrait."""
    out = []
    for n, (width, height) in enumerate(load_pdf(pdf_path).sizes, start=1):
        out += near("paper_size", "page", f"第{n}页纸张宽度", width * MM_PER_PT, PAGE_W, 0.5, page=n)
        out += near("paper_size", "page", f"第{n}页纸张高度", height * MM_PER_PT, PAGE_H, 0.5, page=n)
    return out


def pdf_fonts(pdf_path: Path, fmt: str, data: dict) -> list[Finding]:
    """Every font the PDF uses is embedded; no DejaVu last-resort substitution."""
    listing = subprocess.run(["pdffonts", str(pdf_path)], capture_output=True, text=True, check=True).stdout
    out = []
    for row in listing.splitlines()[2:]:
        cols = row.split()
        emb = cols[-5] if len(cols) >= 6 else "?"
        out += [] if emb == "yes" else [Finding("font_not_embedded", "fonts", f"字体 {cols[0]} 未嵌入 PDF",
                                                found=cols[0], want="嵌入")]
        out += [Finding("font_fallback", "fonts", f"LibreOffice 以后备字体 {cols[0]} 代替了缺少的公文字体",
                        found=cols[0], want="公文字体")] if "DejaVu" in cols[0] else []
    return out


def pdf_title(pdf_path: Path, fmt: str, data: dict, title_lines: list[str] | None = None) -> list[Finding]:
    """Title lines centred on the 版心 (± 1.5 mm); optionally broken into the given lines."""
    if not data.get("title"):
        return []
    lines = lines_of(load_pdf(pdf_path), data, "title")
    if not lines:
        return [Finding("missing", "title", "PDF 中未找到标题", want=quote(data["title"]))]
    out = [f for ln in lines for f in near("position", "title", f"标题“{quote(ln.text)}”一行的中心",
                                           (ln.mm("x0") + ln.mm("x1")) / 2, TEXT_CENTRE, POS_TOL, page=ln.page)]
    got = [squash(ln.text) for ln in lines]
    want = [squash(t) for t in title_lines or []]
    return out + ([Finding("line_break", "title", f"标题分行为“{' / '.join(got)}”，应为“{' / '.join(want)}”",
                           page=lines[0].page, found=" / ".join(got), want=" / ".join(want))]
                  if title_lines and got != want else [])


FULL_LINE_KINDS = ("addressee", "body", "closing")


def pdf_main_found(pdf_path: Path, fmt: str, data: dict) -> list[Finding]:
    """Every 主体 paragraph is printed, and the body starts on the first page."""
    pairs = main_lines(pdf_path, data)
    out = [Finding("missing", element_of(item), f"PDF 中未找到{ELEMENTS[element_of(item)]}“{quote(item.text)}”",
                   want=quote(item.text)) for item, lines in pairs if not lines]
    first = next((lines[0] for item, lines in pairs if item.kind == "body" and lines), None)
    return out + ([Finding("wrong_page", "body", f"正文从第 {first.page} 页开始，应从第 1 页开始", page=first.page,
                           found=f"第 {first.page} 页", want="第 1 页")] if first and first.page != 1 else [])


def pdf_body_x_range(pdf_path: Path, fmt: str, data: dict) -> list[Finding]:
    """主体 lines stay inside the 版心: x from 28 to 184 mm."""
    return [f for item, lines in main_lines(pdf_path, data) for ln in lines or [] for f in _x_range_faults(item, ln)]


def pdf_body_pitch(pdf_path: Path, fmt: str, data: dict) -> list[Finding]:
    """Consecutive 主体 lines on a page are a whole number of 28.9 pt grid lines apart (± 0.5 pt)."""
    faced = [(item, ln, _face(item) if i == 0 else 0) for item, lines in main_lines(pdf_path, data)
             for i, ln in enumerate(lines or [])]
    return _pitch_faults(faced)


def _face(item) -> int:
    """Return the face a paragraph's first line opens with: 1 黑体 (一、 headings, 出席：), 2 楷体, 0 仿宋."""
    return 1 if item.kind == "attendance" else item.level if item.level in (1, 2) else 0


def pdf_chars_per_line(pdf_path: Path, fmt: str, data: dict) -> list[Finding]:
    """Every wrapped (full) line of 主送机关/body made of full-width characters holds 28 characters.

    A line may end one or two characters short only where the typesetting rules pushed text down: the next
    line opens with an unbreakable group of half-width digits or Latin letters (such as 2022年) within its
    first 3 characters, or with a character kept with the closing punctuation after it (构、), or with
    opening punctuation that may not end a line.
    """
    full = [(item, ln) for item, lines in main_lines(pdf_path, data) if item.kind in FULL_LINE_KINDS and lines
            for ln, nxt in zip(lines, lines[1:]) if not _pushed_down(nxt)]
    return [f for item, ln in full for f in _chars_faults(item, ln)]


NO_LINE_START = set("、，。；：？！）》」』”’…—")
NO_LINE_END = set("（《「『“‘")


def _pushed_down(line: Line) -> bool:
    text = squash(line.text)
    latin = any(char_kind(ch) == "latin" for ch in text[:3])
    return latin or (len(text) > 1 and text[1] in NO_LINE_START) or (text[:1] in NO_LINE_END)


def pdf_body_lines(pdf_path: Path, fmt: str, data: dict) -> list[Finding]:
    """Run all 主体 line checks."""
    checks = (pdf_main_found, pdf_body_x_range, pdf_body_pitch, pdf_chars_per_line)
    return [f for check in checks for f in check(pdf_path, fmt, data)]


def _x_range_faults(item: Expected, line: Line) -> list[Finding]:
    x0, x1 = line.mm("x0"), line.mm("x1")
    if x0 >= LEFT - 0.5 and x1 <= TEXT_RIGHT + 0.5:
        return []
    found = f"{x0:.1f}–{x1:.1f} 毫米"
    return [Finding("outside_text_area", element_of(item), f"第{line.page}页“{quote(line.text)}”一行横跨 {found}，"
                    f"超出版心（{LEFT:g}–{TEXT_RIGHT:g} 毫米）", page=line.page, found=found,
                    want=f"{LEFT:g}–{TEXT_RIGHT:g} 毫米")]


def _pitch_faults(faced: list[tuple[Expected, Line, int]]) -> list[Finding]:
    """Check the gaps between consecutive lines (each with its paragraph and the face its line opens with)."""
    out = []
    for (_, a, face_a), (item, b, face_b) in zip(faced, faced[1:]):
        gap = b.y0 - a.y0
        if a.page != b.page or gap <= 0:
            continue
        n = max(1, round(gap / LINE_PITCH))
        tolerance = FACE_TOL if face_a != face_b else PITCH_TOL
        if abs(gap - n * LINE_PITCH) > tolerance:
            want = f"{n} × {LINE_PITCH} ± {figure(tolerance)} 磅"
            out.append(Finding("line_pitch", element_of(item), f"第{a.page}页“{quote(a.text, 8)}”与“{quote(b.text, 8)}”"
                               f"两行相距 {gap:.2f} 磅，应为 {want}", page=a.page, found=f"{gap:.2f} 磅", want=want))
    return out


def _chars_faults(item: Expected, line: Line) -> list[Finding]:
    """Count a wrapped (full) line made only of full-width characters: indent + characters = 28."""
    text = squash(line.text)
    if any(char_kind(ch) == "latin" for ch in text):
        return []  # half-width digits/Latin and their auto-spacing have no whole-character count
    indent = round((line.mm("x0") - LEFT) / (TEXT_W / CHARS_PER_LINE))
    count = indent + len(text)
    return [] if count == CHARS_PER_LINE else \
        [Finding("chars_per_line", element_of(item), f"第{line.page}页整行“{quote(text)}”为 {count} 字（缩进 {indent} 字 + "
                 f"{len(text)} 字），应为 {CHARS_PER_LINE} 字", page=line.page, found=f"{count} 字",
                 want=f"{CHARS_PER_LINE} 字")]


def full_line_counts(pdf_path: Path, data: dict) -> list[int]:
    """Return indent + characters of every countable full 主体 line (for reporting)."""
    out = []
    for item, lines in main_lines(pdf_path, data):
        for ln in (lines or [])[:-1] if item.kind in FULL_LINE_KINDS else []:
            if not any(char_kind(ch) == "latin" for ch in squash(ln.text)):
                out.append(round((ln.mm("x0") - LEFT) / (TEXT_W / CHARS_PER_LINE)) + len(squash(ln.text)))
    return out


def pdf_page_numbers(pdf_path: Path, fmt: str, data: dict) -> list[Finding]:
    """"— N —" 7 mm below the 版心 (top ≈ 269 mm), right on odd and left on even pages, N = page."""
    pdf, out = load_pdf(pdf_path), []
    for n, page in enumerate(pdf.pages, start=1):
        found = [ln for ln in page if PAGE_NUMBER_RE.match(ln.text.strip())]
        if n == 1 and fmt == "信函格式":
            out += [Finding("page_number_extra", "page_number", f"信函格式首页显示了页码“{ln.text}”，信函首页不编页码",
                            page=1, found=ln.text, want="首页无页码") for ln in found]
        elif not found:
            out.append(Finding("page_number_missing", "page_number", f"第{n}页没有页码", page=n, want="— N —"))
        elif len(found) > 1:
            texts = "、".join(ln.text for ln in found)
            out.append(Finding("page_number_extra", "page_number", f"第{n}页有 {len(found)} 个页码（{texts}），应只有一个",
                               page=n, found=texts, want="一个页码"))
        else:
            out += _page_number_faults(n, found[0])
    return out


def _page_number_faults(n: int, line: Line) -> list[Finding]:
    shown = int(PAGE_NUMBER_RE.match(line.text.strip()).group(1))
    out = [] if shown == n else [Finding("page_number_value", "page_number", f"第{n}页的页码为 {shown}，应为 {n}",
                                         page=n, found=str(shown), want=str(n))]
    out += near("page_number_position", "page_number", f"第{n}页页码的上边缘", line.mm("y0"),
                TEXT_BOTTOM + PAGE_NUMBER_GAP, POS_TOL, page=n)
    one = HAO4 * MM_PER_PT  # one 4号 character
    if n % 2:
        return out + near("page_number_position", "page_number", f"第{n}页（单页）页码的右边缘（右空一字）",
                          line.mm("x1"), TEXT_RIGHT - one, POS_TOL, page=n)
    return out + near("page_number_position", "page_number", f"第{n}页（双页）页码的左边缘（左空一字）", line.mm("x0"),
                      LEFT + one, POS_TOL, page=n)


def pdf_colophon(pdf_path: Path, fmt: str, data: dict) -> list[Finding]:
    """版记 on the last page, its lines as wide as the 版心, the last one on the 版心 bottom (262 mm)."""
    items = colophon_paragraphs(data)
    if not items:
        return []
    pdf = load_pdf(pdf_path)
    last = len(pdf.pages)
    out = [_off_last_page(item, lines, last) for item, lines in matched_lines(pdf, data)
           if item in items and (not lines or lines[0].page != last)]
    found = colophon_rules(pdf_path)
    if not found:
        return out + [Finding("missing", "colophon", f"最后一页（第{last}页）未找到版记分隔线", page=last,
                              want="版记分隔线")]
    out += near("position", "colophon", "版记末条分隔线", found[-1].y, TEXT_BOTTOM, POS_TOL, page=last)
    return out + [f for r in found for f in near("position", "colophon", "版记分隔线左端", r.x0, LEFT, POS_TOL, page=last)
                  + near("position", "colophon", "版记分隔线右端", r.x1, TEXT_RIGHT, POS_TOL, page=last)]


def _off_last_page(item: Expected, lines: list[Line] | None, last: int) -> Finding:
    element = element_of(item)
    named = f"版记中的{ELEMENTS[element]}“{quote(item.text)}”"
    if not lines:
        return Finding("missing", element, f"PDF 中未找到{named}", want=quote(item.text))
    return Finding("wrong_page", element, f"{named}在第{lines[0].page}页，应在最后一页（第{last}页）",
                   page=lines[0].page, found=f"第 {lines[0].page} 页", want=f"第 {last} 页")


def colophon_rules(pdf_path: Path) -> list[Rule]:
    """Return the dark rule lines of the last page, top to bottom."""
    pdf = load_pdf(pdf_path)
    return rules(dark_mask(pdf.raster(len(pdf.pages))))


# ==============================================================================================
# Text against the reference notice (seed)
# ==============================================================================================
def seed_lines(seed_path: Path, end: str = "（此件公开发布）") -> list[str]:
    """Return the seed's notice lines (top to `end`) plus its 抄送/印发 lines, whitespace removed."""
    raw = [squash(re.sub(r"^\s*-\s+", "", ln)) for ln in Path(seed_path).read_text(encoding="utf-8").splitlines()]
    lines = [ln for ln in raw if ln]
    notice = lines[: lines.index(squash(end)) + 1]
    tail = next(i for i in range(len(lines) - 1, -1, -1) if lines[i].startswith("抄送："))
    return notice + lines[tail:]


def check_text_order(seed_path: Path, text: str, end: str = "（此件公开发布）") -> list[Finding]:
    """Every seed line appears in text, in order (whitespace ignored); want holds the seed line."""
    flat, pos, out = squash(text), 0, []
    lines = seed_lines(seed_path, end)
    for line, following in zip(lines, lines[1:] + [""]):
        at = flat.find(line, pos)
        skipped = following and following in flat[pos:at]  # found only after text that should follow it
        if at < 0 or skipped:
            moved = line in flat
            out.append(Finding("order" if moved else "missing", "body",
                               f"参照通知中的“{quote(line, 24)}”{'次序不对' if moved else '缺失'}",
                               found="次序不对" if moved else "缺失", want=line))
            continue
        pos = at + len(line)
    return out


# ==============================================================================================
# Measurements for reporting
# ==============================================================================================
def measure(pdf_path: Path, fmt: str, data: dict) -> dict:
    """Return the key measured figures of a rendered notice (mm unless stated)."""
    pdf = load_pdf(pdf_path)
    red = red_mask(pdf.raster(1))
    lines = rules(red)
    ink = ink_rows(red, 0, lines[0].top) if lines else None
    numbers = [ln for page in pdf.pages for ln in page if PAGE_NUMBER_RE.match(ln.text.strip())]
    return {"mark_ink": ink, "red_lines": [(round(r.y, 2), round(r.thickness, 2), round(r.x0, 1), round(r.x1, 1))
                                           for r in lines],
            "page_numbers": [(ln.page, ln.text, round(ln.mm("y0"), 2), round(ln.mm("x0"), 2), round(ln.mm("x1"), 2))
                             for ln in numbers],
            "colophon_rules": [(round(r.y, 2), round(r.thickness, 2), round(r.x0, 1), round(r.x1, 1))
                               for r in colophon_rules(pdf_path)],
            "full_line_chars": full_line_counts(pdf_path, data)}
