"""Measure landscape pages (横排表格) of a rendered PDF: orientation, rotated page numbers, 版心 and table width.

GB/T 9704-2012: landscape A4 tables keep their page numbers where portrait pages have them; on odd pages
the table's head is at the binding edge (订口, the left of a recto), on even pages at the outer edge (切口,
the left of a verso). So every landscape page is bound with its top on the portrait page's left: landscape
(X, Y) is portrait (x = Y, y = 297 − X), and the book turned clockwise once shows facing tables upright.
Every landscape measurement is mapped back to the portrait page and held to the portrait rules: the
number's top 7 mm below the 版心, 1 character in from the right (odd) or left (even). On the landscape
page the number thus lies on the left edge, turned clockwise: odd near the bottom, even near the top.
"""

from __future__ import annotations

import functools
import subprocess
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from .findings import Finding
from .pdf_model import dark_mask, load_pdf, rules
from .standard import (HAO4, LEFT, MM_PER_PT, PAGE_H, PAGE_NUMBER_GAP, PAGE_NUMBER_RE, PAGE_W, POS_TOL, TEXT_BOTTOM,
                       TEXT_RIGHT, TOP, XH_NS, near, quote)

# --- Landscape page: the portrait page turned, so the bound book keeps one 版心 ---------------------------
LANDSCAPE_W, LANDSCAPE_H = PAGE_H, PAGE_W  # 297 × 210 mm
PAGE_SIZE_TOL = 0.5  # mm
L_TOP = LEFT  # the binding edge (订口, 28 mm) is the top of a landscape page
L_BOTTOM = PAGE_W - TEXT_RIGHT  # 26 mm
L_LEFT = PAGE_H - TEXT_BOTTOM  # 35 mm: the portrait bottom margin
L_RIGHT = TOP  # 37 mm: the 天头
L_TEXT_RIGHT, L_TEXT_BOTTOM = LANDSCAPE_W - L_RIGHT, LANDSCAPE_H - L_BOTTOM  # 版心 edges: X 260 mm, Y 184 mm
TABLE_W = L_TEXT_RIGHT - L_LEFT  # 225 mm: a landscape table as wide as the landscape 版心
# --- The page number, on the portrait page it maps back to ---------------------------------------------------
ONE_CHAR = HAO4 * MM_PER_PT  # one 4号 character: the number's space from the 版心 edge
NUMBER_TOP = TEXT_BOTTOM + PAGE_NUMBER_GAP  # 269 mm: the number line's top, 7 mm below the 版心
ODD_END = TEXT_RIGHT - ONE_CHAR  # odd pages: right-aligned, 1 character in (179.06 mm)
EVEN_START = LEFT + ONE_CHAR  # even pages: left-aligned, 1 character in (32.94 mm)
TURNED = {"down": "顺时针旋转（自上而下读）", "up": "逆时针旋转（自下而上读）", "across": "未旋转"}
ORIENTATIONS = {True: "横向", False: "纵向"}


@dataclass
class Number:
    """A '— N —' line found on a page: the number, its box (mm from the top-left corner), its reading direction."""

    value: int
    x0: float
    y0: float
    x1: float
    y1: float
    direction: str  # "across" (horizontal), "down" (turned clockwise) or "up" (turned counter-clockwise)


@dataclass
class Page:
    """One PDF page: its size in mm and the page-number lines on it."""

    width: float
    height: float
    numbers: list[Number]
    lines: list[tuple[str, float, float, float, float]]  # every other text line: text and box in mm

    @property
    def landscape(self) -> bool:
        """Tell whether the page is wider than it is high."""
        return self.width > self.height


def _box(el) -> list[float]:
    return [float(el.get(k)) * MM_PER_PT for k in ("xMin", "yMin", "xMax", "yMax")]


def _direction(words: list) -> str:
    """Tell how a line reads from its words' order: across, down (turned clockwise) or up (counter-clockwise)."""
    (ax0, ay0, ax1, ay1), (bx0, by0, bx1, by1) = _box(words[0]), _box(words[-1])
    if abs((by0 + by1) - (ay0 + ay1)) <= abs((bx0 + bx1) - (ax0 + ax1)):
        return "across"
    return "down" if by0 + by1 > ay0 + ay1 else "up"


@functools.lru_cache(maxsize=8)
def _read(path: str, stamp: tuple) -> list[Page]:
    xml = subprocess.run(["pdftotext", "-bbox-layout", path, "-"], capture_output=True, check=True).stdout
    root = etree.fromstring(xml, etree.XMLParser(recover=True, no_network=True, resolve_entities=False))
    pages = []
    for page in root.iter(f"{{{XH_NS}}}page"):
        numbers, lines = [], []
        for line in page.iter(f"{{{XH_NS}}}line"):
            words = list(line.iter(f"{{{XH_NS}}}word"))
            text = " ".join(w.text or "" for w in words)
            match = PAGE_NUMBER_RE.match(text.strip())
            if match and len(words) > 1:
                numbers.append(Number(int(match.group(1)), *_box(line), _direction(words)))
            else:
                lines.append((text, *_box(line)))
        size = float(page.get("width")) * MM_PER_PT, float(page.get("height")) * MM_PER_PT
        pages.append(Page(*size, numbers, lines))
    return pages


def read_pages(pdf_path: Path) -> list[Page]:
    """Return every page of a PDF with its size and page-number lines, cached while the file is unchanged."""
    stat = Path(pdf_path).stat()
    return _read(str(pdf_path), (stat.st_mtime_ns, stat.st_size))


def portrait_position(number: Number) -> tuple[float, float, float]:
    """Map a landscape page's number back to the portrait page (x = Y, y = 297 − X): (top y, start x, end x) in mm."""
    return PAGE_H - number.x1, number.y0, number.y1


# --- Checks -----------------------------------------------------------------------------------------------
def pdf_landscape_pages(pdf_path: Path, expected: list[bool]) -> list[Finding]:
    """Each page is A4, landscape (297 × 210 mm) exactly where expected says so."""
    pages, out = read_pages(pdf_path), []
    if len(pages) != len(expected):
        out.append(Finding("count", "page", f"应有 {len(expected)} 页，实有 {len(pages)} 页", found=f"{len(pages)} 页",
                           want=f"{len(expected)} 页"))
    for n, (page, want) in enumerate(zip(pages, expected), start=1):
        width, height = (LANDSCAPE_W, LANDSCAPE_H) if want else (PAGE_W, PAGE_H)
        if page.landscape != want:
            found = f"{page.width:.1f} × {page.height:.1f} 毫米"
            out.append(Finding("orientation", "page", f"第{n}页应为{ORIENTATIONS[want]}，实为 {found}", page=n,
                               found=found, want=ORIENTATIONS[want]))
            continue
        out += near("paper_size", "page", f"第{n}页纸张宽度", page.width, width, PAGE_SIZE_TOL, page=n)
        out += near("paper_size", "page", f"第{n}页纸张高度", page.height, height, PAGE_SIZE_TOL, page=n)
    return out


def pdf_landscape_page_numbers(pdf_path: Path) -> list[Finding]:
    """Numbers run on across all pages; on landscape pages they are turned and sit where portrait pages have them.

    On landscape pages: on the left edge, turned clockwise, near the bottom (odd) or the top (even) corner.
    Page 1 may go without a number (信函格式); every other page has exactly one.
    """
    out = []
    for n, page in enumerate(read_pages(pdf_path), start=1):
        if not page.numbers:
            out += [] if n == 1 else [Finding("page_number_missing", "page_number", f"第{n}页没有页码", page=n,
                                              want="— N —")]
            continue
        if len(page.numbers) > 1:
            values = "、".join(str(x.value) for x in page.numbers)
            out.append(Finding("page_number_extra", "page_number", f"第{n}页有 {len(page.numbers)} 个页码（{values}），"
                               f"应只有一个", page=n, found=values, want="一个页码"))
            continue
        number = page.numbers[0]
        out += [] if number.value == n else [Finding(
            "page_number_value", "page_number", f"第{n}页的页码为 {number.value}，页码应连续编排", page=n,
            found=str(number.value), want=str(n))]
        out += _landscape_number_faults(n, number) if page.landscape else _portrait_number_faults(n, number)
    return out


def _portrait_number_faults(n: int, number: Number) -> list[Finding]:
    return [] if number.direction == "across" else [Finding(
        "orientation", "page_number", f"第{n}页（竖排）的页码{TURNED[number.direction]}，应不旋转", page=n,
        found=TURNED[number.direction], want=TURNED["across"])]


def _landscape_number_faults(n: int, number: Number) -> list[Finding]:
    odd = n % 2 == 1
    at = f"第{n}页（{'单页' if odd else '双页'}，横排）"
    if number.direction != "down":
        return [Finding("orientation", "page_number", f"{at}的页码{TURNED[number.direction]}，应{TURNED['down']}",
                        page=n, found=TURNED[number.direction], want=TURNED["down"])]
    centre = (number.x0 + number.x1) / 2
    if centre > LANDSCAPE_W / 2:
        return [Finding("page_number_position", "page_number", f"{at}的页码在横向 {centre:.1f} 毫米处，应在页面左侧边缘",
                        page=n, found=f"{centre:.1f} 毫米", want="左侧边缘")]
    top, start, end = portrait_position(number)
    out = near("page_number_position", "page_number", f"{at}页码的上边缘（换算到竖排页，应在版心下 7 毫米）", top,
               NUMBER_TOP, POS_TOL, page=n)
    if odd:
        return out + near("page_number_position", "page_number", f"{at}页码的末端（换算到竖排页，应右空一字）", end,
                          ODD_END, POS_TOL, page=n)
    return out + near("page_number_position", "page_number", f"{at}页码的起点（换算到竖排页，应左空一字）", start,
                      EVEN_START, POS_TOL, page=n)


def pdf_landscape_layout(pdf_path: Path) -> list[Finding]:
    """On landscape pages every text line lies in the landscape 版心 and tables are as wide as it (225 mm)."""
    out, pdf = [], load_pdf(pdf_path)
    area = f"x {L_LEFT:g}–{L_TEXT_RIGHT:g}、y {L_TOP:g}–{L_TEXT_BOTTOM:g} 毫米"
    for n, page in enumerate(read_pages(pdf_path), start=1):
        if not page.landscape:
            continue
        for text, x0, y0, x1, y1 in page.lines:
            if x0 < L_LEFT - POS_TOL or x1 > L_TEXT_RIGHT + POS_TOL or y0 < L_TOP - POS_TOL or y1 > L_TEXT_BOTTOM + POS_TOL:
                found = f"x {x0:.1f}–{x1:.1f}、y {y0:.1f}–{y1:.1f} 毫米"
                out.append(Finding("outside_text_area", "table", f"第{n}页（横排）“{quote(text)}”位于 {found}，"
                                   f"超出版心（{area}）", page=n, found=found, want=area))
        for rule in rules(dark_mask(pdf.raster(n))):
            out += near("position", "table", f"第{n}页（横排）表格线左端", rule.x0, L_LEFT, POS_TOL, page=n)
            out += near("position", "table", f"第{n}页（横排）表格线右端", rule.x1, L_TEXT_RIGHT, POS_TOL, page=n)
    return out


def measure_landscape(pdf_path: Path) -> list[dict]:
    """Report every page's orientation and page number, landscape numbers mapped back to the portrait page (mm)."""
    report = []
    for n, page in enumerate(read_pages(pdf_path), start=1):
        entry = {"page": n, "landscape": page.landscape, "size": (round(page.width, 2), round(page.height, 2))}
        for number in page.numbers[:1]:
            entry |= {"number": number.value, "direction": number.direction,
                      "box": tuple(round(v, 2) for v in (number.x0, number.y0, number.x1, number.y1))}
            if page.landscape:
                entry["portrait"] = tuple(round(v, 2) for v in portrait_position(number))
        report.append(entry)
    return report
