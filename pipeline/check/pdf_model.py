"""Read a rendered PDF: text boxes (pdftotext -bbox-layout) and raster rulings (pdftoppm + Pillow)."""

from __future__ import annotations

import functools
import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from lxml import etree
from PIL import Image, ImageChops

from .standard import DPI, MM_PER_PT, PX_PER_MM, RULE_MIN_MM, XH_NS

# ==============================================================================================
# PDF: text boxes (pdftotext -bbox-layout) and raster rulings (pdftoppm + Pillow)
# ==============================================================================================
@dataclass
class TextBox:
    """A piece of text on a PDF page; box in pt from the top-left corner."""

    page: int
    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    def mm(self, attr: str) -> float:
        """Return a box coordinate in mm."""
        return getattr(self, attr) * MM_PER_PT

    def centre(self) -> tuple[float, float]:
        """Return the box centre (x, y) in mm."""
        return (self.x0 + self.x1) / 2 * MM_PER_PT, (self.y0 + self.y1) / 2 * MM_PER_PT


@dataclass
class Line(TextBox):
    """One text line of a PDF page, with its words."""

    words: list = field(default_factory=list)


@dataclass
class Span(TextBox):
    """One text run of a PDF page as pdftohtml reports it, with its font family, size in pt and colour."""

    family: str = ""
    size: float = 0.0
    colour: str = ""


@dataclass
class Rule:
    """One horizontal line found on a rendered page, in mm."""

    top: float
    bottom: float
    x0: float
    x1: float

    @property
    def y(self) -> float:
        """Return the centre of the line."""
        return (self.top + self.bottom) / 2

    @property
    def thickness(self) -> float:
        """Return the line's thickness in mm."""
        return self.bottom - self.top


class Pdf:
    """A rendered notice: page sizes, text lines per page, fonts, rasters on demand."""

    def __init__(self, path: Path):
        self.path = Path(path)
        xml = subprocess.run(["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True, check=True).stdout
        root = etree.fromstring(xml, etree.XMLParser(recover=True, no_network=True, resolve_entities=False))
        pages = root.iter(f"{{{XH_NS}}}page")
        self.sizes, self.pages, self._rasters = [], [], {}
        for n, page in enumerate(pages, start=1):
            self.sizes.append((float(page.get("width")), float(page.get("height"))))
            self.pages.append([_line(n, el) for el in page.iter(f"{{{XH_NS}}}line")])

    def lines(self) -> list[Line]:
        """Return every line, page by page, in reading order."""
        return [line for page in self.pages for line in page]

    def text(self) -> str:
        """Return the text of the whole PDF."""
        return "\n".join(line.text for line in self.lines())

    def raster(self, page: int) -> Image.Image:
        """Render one page at 254 dpi (10 px per mm), once."""
        if page not in self._rasters:
            self._rasters[page] = self._render(page)
        return self._rasters[page]

    def _render(self, page: int) -> Image.Image:
        with tempfile.TemporaryDirectory(prefix="ruler-") as tmp:
            out = Path(tmp) / "page"
            subprocess.run(["pdftoppm", "-r", str(DPI), "-f", str(page), "-l", str(page), "-png",
                            "-singlefile", str(self.path), str(out)], check=True, capture_output=True)
            with Image.open(out.with_suffix(".png")) as im:
                return im.convert("RGB")


def _line(page: int, el) -> Line:
    words = [Line(page, wd.text or "", *_box(wd)) for wd in el.iter(f"{{{XH_NS}}}word")]
    return Line(page, " ".join(wd.text for wd in words), *_box(el), words)


def _box(el) -> list[float]:
    return [float(el.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")]


def pdf_spans(path: Path) -> list[Span]:
    """Return every text run with its font family, size and colour (pdftohtml -xml), boxes in pt."""
    xml = subprocess.run(["pdftohtml", "-xml", "-i", "-q", "-stdout", str(path)], capture_output=True,
                         check=True).stdout
    root = etree.fromstring(xml, etree.XMLParser(recover=True, no_network=True, resolve_entities=False))
    fonts, out = {}, []
    for page in root.iter("page"):
        scale = float(page.get("width")) / load_pdf(path).sizes[int(page.get("number")) - 1][0]
        fonts.update({f.get("id"): f for f in page.iter("fontspec")})
        out += [_span(int(page.get("number")), t, fonts[t.get("font")], scale) for t in page.iter("text")]
    return out


def _span(page: int, el, font, scale: float) -> Span:
    x, y = float(el.get("left")) / scale, float(el.get("top")) / scale
    w, h = float(el.get("width")) / scale, float(el.get("height")) / scale
    family = font.get("family", "").split("+")[-1]
    return Span(page, "".join(el.itertext()), x, y, x + w, y + h, family, float(font.get("size")) / scale,
                font.get("color", "#000000"))


@functools.lru_cache(maxsize=8)
def _load_pdf(path: str, stamp: tuple) -> Pdf:
    return Pdf(Path(path))


def load_pdf(path: Path) -> Pdf:
    """Return the parsed PDF, cached while the file is unchanged."""
    stat = Path(path).stat()
    return _load_pdf(str(path), (stat.st_mtime_ns, stat.st_size))


def pdf_text(path: Path) -> str:
    """Return the text of a PDF."""
    return load_pdf(path).text()


def red_mask(im: Image.Image) -> Image.Image:
    """Return a mask of red pixels (R high, G and B low)."""
    r, g, b = im.split()
    high = r.point(lambda v: 255 if v > 150 else 0)
    low = ImageChops.lighter(g, b).point(lambda v: 255 if v < 110 else 0)
    return ImageChops.multiply(high, low)


def dark_mask(im: Image.Image) -> Image.Image:
    """Return a mask of dark (black or grey) pixels; red is not dark."""
    r, g, b = im.split()
    return ImageChops.lighter(r, ImageChops.lighter(g, b)).point(lambda v: 255 if v < 110 else 0)


RUN_RE = re.compile(rb"\xff+")


def rules(mask: Image.Image, min_mm: float = RULE_MIN_MM) -> list[Rule]:
    """Return the horizontal lines of a mask: rows with a continuous run of at least min_mm."""
    width, min_px, buf = mask.width, min_mm * PX_PER_MM, mask.tobytes()
    rows = {}
    for y in range(mask.height):
        row = buf[y * width:(y + 1) * width]
        if row.count(255) >= min_px:
            span = max((m.span() for m in RUN_RE.finditer(row)), key=lambda s: s[1] - s[0])
            rows.update({y: span} if span[1] - span[0] >= min_px else {})
    return _group_rows(rows)


def _group_rows(rows: dict[int, tuple[int, int]]) -> list[Rule]:
    groups: list[list[int]] = []
    for y in sorted(rows):
        if groups and y == groups[-1][-1] + 1:
            groups[-1].append(y)
        else:
            groups.append([y])
    px = PX_PER_MM
    return [Rule(g[0] / px, (g[-1] + 1) / px, min(rows[y][0] for y in g) / px, max(rows[y][1] for y in g) / px)
            for g in groups]


def ink_rows(mask: Image.Image, top_mm: float, bottom_mm: float) -> tuple[float, float] | None:
    """Return the first and last inked rows (mm) of a mask between two heights."""
    width, buf = mask.width, mask.tobytes()
    lo, hi = int(top_mm * PX_PER_MM), min(int(bottom_mm * PX_PER_MM), mask.height)
    inked = [y for y in range(lo, hi) if 255 in buf[y * width:(y + 1) * width]]
    return (inked[0] / PX_PER_MM, (inked[-1] + 1) / PX_PER_MM) if inked else None


def ink_columns(mask: Image.Image, top_mm: float, bottom_mm: float) -> tuple[float, float] | None:
    """Return the leftmost and rightmost inked columns (mm) between two heights."""
    box = mask.crop((0, int(top_mm * PX_PER_MM), mask.width, int(bottom_mm * PX_PER_MM))).getbbox()
    return (box[0] / PX_PER_MM, box[2] / PX_PER_MM) if box else None
