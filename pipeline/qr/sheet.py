"""Print a QR annex on a one-page A4 PDF for forwarding (reportlab, embedded TrueType Chinese fonts)."""

from __future__ import annotations

import io
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from ..core import gbt9704 as L
from ..core.errors import PipelineError
from ..core.output import atomic_write
from ..pdf.fonts import cjk_fonts
from .codes import code_image, print_width_mm
from .data import QrAnnex, QrCode, validity_sentence

MAX_IMAGE_HEIGHT_MM = 90  # a tall screenshot is shrunk to this
GAP_MM = 4  # between blocks of the page
LINE_FACTOR = 1.5  # line height, in font sizes
PAGE_WIDTH = L.PAGE_WIDTH_MM * mm
PAGE_HEIGHT = L.PAGE_HEIGHT_MM * mm
LEFT = L.MARGIN_LEFT_MM * mm
TEXT_WIDTH = L.TEXT_WIDTH_MM * mm
CENTRE = LEFT + TEXT_WIDTH / 2
TOP = PAGE_HEIGHT - L.MARGIN_TOP_MM * mm
BOTTOM = L.MARGIN_BOTTOM_MM * mm
GAP = GAP_MM * mm
CAPTION_SIZE = L.SIZE_3HAO
NOTE_SIZE = L.SIZE_4HAO


class PageOverflow(PipelineError):
    """Report that the codes and captions do not fit on one page."""

def build_qr_pdf(annex: QrAnnex, base_dir: Path | None, path: Path, label: str | None = None) -> Path:
    """Write a one-page A4 PDF of the annex (label, title, captions, addresses, codes, validity); return its path."""
    return atomic_write(Path(path), qr_pdf(annex, base_dir, label))


def qr_pdf(annex: QrAnnex, base_dir: Path | None = None, label: str | None = None) -> bytes:
    """Return the one-page A4 PDF of the annex; raise PageOverflow when it does not fit on one page."""
    base_dir = annex.base_dir if base_dir is None else Path(base_dir)
    fonts = cjk_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), invariant=1, pageCompression=1,
                    initialFontName=fonts["song"], initialFontSize=CAPTION_SIZE)
    canvas.setTitle(f"{label or annex.label} {annex.title}")
    y = _text(canvas, label or annex.label, fonts["hei"], CAPTION_SIZE, TOP, centred=False)
    y = _text(canvas, annex.title, fonts["song"], L.SIZE_2HAO, y - GAP)
    for code in annex.codes:
        y = _code_block(canvas, annex, code, base_dir, fonts["song"], y - 2 * GAP)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _code_block(canvas: Canvas, annex: QrAnnex, code: QrCode, base_dir: Path, font: str, y: float) -> float:
    y = _text(canvas, code.caption, font, CAPTION_SIZE, y)
    if code.payload and code.show_payload:
        y = _text(canvas, code.payload, font, NOTE_SIZE, y, link=code.payload)
    y = _picture(canvas, code_image(code, base_dir), y - GAP / 2)
    sentence = validity_sentence(annex, code)
    return _text(canvas, sentence, font, NOTE_SIZE, y - GAP / 2) if sentence else y


def _text(canvas: Canvas, text: str, font: str, size: float, y: float, centred: bool = True, link: str = "") -> float:
    """Draw one line below y (shrunk to fit the text width) and return the y below it."""
    size = min(size, size * TEXT_WIDTH / max(pdfmetrics.stringWidth(text, font, size), 1))
    baseline = y - size
    _fits(baseline)
    canvas.setFont(font, size)
    width = pdfmetrics.stringWidth(text, font, size)
    x = CENTRE - width / 2 if centred else LEFT
    canvas.drawString(x, baseline, text)
    if link:
        canvas.linkURL(link, (x, baseline - size * 0.2, x + width, baseline + size), relative=0)
    return y - size * LINE_FACTOR


def _picture(canvas: Canvas, png: bytes, y: float) -> float:
    """Draw a code image centred below y at its print width and return the y below it."""
    reader = ImageReader(io.BytesIO(png))
    width_px, height_px = reader.getSize()
    width = min(print_width_mm(png) * mm, TEXT_WIDTH)
    width = min(width, MAX_IMAGE_HEIGHT_MM * mm * width_px / height_px)
    height = width * height_px / width_px
    _fits(y - height)
    canvas.drawImage(reader, CENTRE - width / 2, y - height, width, height, mask="auto")
    return y - height


def _fits(y: float) -> None:
    if y < BOTTOM:
        raise PageOverflow("附件内容超出一页：二维码过多或图片过大，请减少二维码或换用较小的图片")
