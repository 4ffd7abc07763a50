"""Place signatures, seals, 签名章 and the date after rendering, by the rules of GB/T 9704 7.3.5."""

from __future__ import annotations

import math

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.shared import Pt

from ..core import gbt9704 as L
from ..core.images import Stamp
from ..docx import ooxml
from ..docx.drawing import float_picture
from .parties import Parties

LINE_MM = L.LINE_PITCH_PT * L.MM_PER_PT
TEXT_W_PT = L.TEXT_WIDTH_MM / L.MM_PER_PT


def place_signatures(document, parties: Parties, date_text: str) -> None:
    """Place the signature block: no seal, one seal, joint seals, or 签名章 lines, then the date."""
    names = _with_style(document, "署名")
    titles = _with_style(document, "签名章")
    proxy, date = _with_style(document, "代章"), _with_style(document, "成文日期")[0]
    first = (names or titles or proxy or [date])[0]
    _keep_with_body(first)
    if titles:
        return _stamped(first, titles, parties, proxy, date, date_text)
    if parties.seals and len(names) > 1:
        return _joint_sealed(document, first, names, parties, proxy, date, date_text)
    if parties.seals:
        return _sealed(first, names[0], parties.seals[0], proxy, date, date_text)
    return _unsealed(names, proxy, date, date_text)


# No seal ---------------------------------------------------------------------
def _unsealed(names: list, proxy: list, date, date_text: str) -> None:
    """Right-indent the names 2 characters, the date 2 characters right of the lead name's first character."""
    lead = names[0].text if names else ""
    name_right, date_right = L.signature_indents(lead, date_text)
    for paragraph in names:
        _right(paragraph, name_right)
    for paragraph in proxy:
        _right(paragraph, max(0.0, name_right + (L.char_units(lead) - L.char_units(paragraph.text)) / 2))
    if name_right == L.SIGNATURE_RIGHT_CHARS:  # measured from the name's first character, whatever its width
        date.alignment = WD_ALIGN_PARAGRAPH.LEFT
        date.paragraph_format.left_indent = Pt(L.date_left_indent_pt(lead))
    else:
        _right(date, date_right)


# One agency with a seal --------------------------------------------------------
def _sealed(first, name, seal: Stamp, proxy: list, date, date_text: str) -> None:
    """Date right-indented 4 characters, the name centred over it, the seal centred on both."""
    _blank_before(first, 0 if proxy else 1)  # with a 代章 line the seal sits a line lower
    centre_pt = _date_centre_pt(date, date_text)
    for paragraph in [name, *proxy]:
        _right(paragraph, max(0.0, centre_pt - _width_pt(paragraph.text) / 2) / L.SIZE_3HAO)
    _seal(name, seal, TEXT_W_PT - centre_pt, lines_below=len(proxy))


# Several agencies with seals ------------------------------------------------------
def _joint_sealed(document, first, names: list, parties: Parties, proxy: list, date, date_text: str) -> None:
    """Names side by side in agency order, a seal on each, the last one over the date; rows never touch."""
    _blank_before(first, 1)
    last_centre = TEXT_W_PT - _date_centre_pt(date, date_text)
    texts = [p.text for p in names]
    pitch, per_row = _columns(texts, parties.seals, last_centre)
    rows = [texts[i:i + per_row] for i in range(0, len(texts), per_row)]
    for paragraph in names[1:]:
        ooxml.remove_paragraph(paragraph)
    row_paragraph, seals = names[0], list(parties.seals)
    for r, row in enumerate(rows):
        if r:
            row_paragraph = _next_row(row_paragraph, max(s.height_mm for s in parties.seals))
        centres = [last_centre - (len(row) - 1 - j) * pitch for j in range(len(row))]
        _tabbed(row_paragraph, row, centres)
        for centre in centres:
            if seals:
                _seal(row_paragraph, seals.pop(0), centre)
    for paragraph in proxy:
        _right(paragraph, max(0.0, (TEXT_W_PT - last_centre) - _width_pt(paragraph.text) / 2) / L.SIZE_3HAO)


def _columns(texts: list[str], seals: list[Stamp], last_centre_pt: float) -> tuple[float, int]:
    """Return the distance between column centres (pt) and how many columns a row holds inside the 版心."""
    seal_pt = max(s.width_mm for s in seals) / L.MM_PER_PT
    pitch = max(seal_pt + L.SEAL_GAP_MM / L.MM_PER_PT, max(_width_pt(t) for t in texts) + L.SIZE_3HAO)
    room = last_centre_pt - max(seal_pt, max(_width_pt(t) for t in texts)) / 2
    return pitch, max(1, min(L.SEALS_PER_ROW, len(texts), 1 + int(room // pitch)))


def _next_row(previous, seal_height_mm: float):
    """Add the paragraph of the next row of names, far enough below for the seals not to touch."""
    gap_lines = math.ceil((seal_height_mm + L.SEAL_ROW_GAP_MM) / LINE_MM)
    row = previous
    for _ in range(gap_lines):
        row = _after(row, "")
    return _after(row, "", previous.style)


def _tabbed(paragraph, texts: list[str], centres_pt: list[float]) -> None:
    """Write texts centred on tab stops at centres_pt (from the left margin)."""
    ooxml.remove_runs(paragraph)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
    ooxml.set_indents(paragraph, left=0, right=0, size_pt=L.SIZE_3HAO)
    for centre, text in zip(centres_pt, texts):
        paragraph.paragraph_format.tab_stops.add_tab_stop(Pt(centre), WD_TAB_ALIGNMENT.CENTER)
        paragraph.add_run().add_tab()
        paragraph.add_run(text)


# 签名章 ------------------------------------------------------------------------
def _stamped(first, titles: list, parties: Parties, proxy: list, date, date_text: str) -> None:
    """Each signer's title 2 characters left of the stamp, the stamp right-indented 4 characters; date below."""
    _blank_before(first, 1)
    stamps = [_fit_line(s.stamp) for s in parties.signed_by]
    widest = max(s.width_mm / L.MM_PER_PT for s in stamps)
    seal_right = L.SEAL_DATE_RIGHT_CHARS * L.SIZE_3HAO
    for i, (paragraph, stamp) in enumerate(zip(titles, stamps)):
        if i:
            _blank_before(paragraph, 1)
        _right(paragraph, (seal_right + widest + L.STAMP_TITLE_GAP_CHARS * L.SIZE_3HAO) / L.SIZE_3HAO)
        x_mm = L.TEXT_WIDTH_MM - seal_right * L.MM_PER_PT - stamp.width_mm
        float_picture(paragraph, stamp.data, (x_mm, (LINE_MM - stamp.height_mm) / 2, stamp.width_mm,
                                              stamp.height_mm), "签名章")
    for paragraph in [*proxy, date]:
        _right(paragraph, L.SEAL_DATE_RIGHT_CHARS)
    _blank_before(date, 1)  # the date one blank line below the 签名章


def _fit_line(stamp: Stamp) -> Stamp:
    """Scale a 签名章 down to two lines' height: centred on its line, it stays clear of the lines around."""
    if stamp.height_mm <= 2 * LINE_MM:
        return stamp
    scale = 2 * LINE_MM / stamp.height_mm
    return Stamp(stamp.data, stamp.width_mm * scale, 2 * LINE_MM)


# Shared ------------------------------------------------------------------------
def _seal(paragraph, seal: Stamp, centre_pt: float, lines_below: int = 0) -> None:
    """Float a seal centred at centre_pt from the left margin, its centre a little above the name and date.

    lines_below counts the lines (a 代章 line) between the name and the date: the seal then presses that
    line and the date as it would press name and date, the name still under its upper half.
    """
    x_mm = centre_pt * L.MM_PER_PT - seal.width_mm / 2
    y_mm = (L.SEAL_CENTRE_ABOVE_NAME + lines_below) * LINE_MM - seal.height_mm / 2
    float_picture(paragraph, seal.data, (x_mm, y_mm, seal.width_mm, seal.height_mm), "印章")


def _date_centre_pt(date, date_text: str) -> float:
    """Right-indent the date 4 characters; return its centre's distance from the right margin in pt."""
    _right(date, L.SEAL_DATE_RIGHT_CHARS)
    return L.SEAL_DATE_RIGHT_CHARS * L.SIZE_3HAO + _width_pt(date_text) / 2


def _width_pt(text: str) -> float:
    return L.printed_units(text) * L.printed_char_pt()


def _right(paragraph, chars: float) -> None:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    ooxml.set_indents(paragraph, right=chars, size_pt=L.SIZE_3HAO)


def _blank_before(paragraph, count: int) -> None:
    for _ in range(count):
        paragraph.insert_paragraph_before("").paragraph_format.keep_with_next = True


def _after(paragraph, text: str, style=None):
    """Insert a paragraph after paragraph, kept with the next; return it."""
    following = ooxml.insert_paragraph_after(paragraph, text, style)
    following.paragraph_format.keep_with_next = True
    return following


def _keep_with_body(first) -> None:
    """Keep the last line of the text before the signature with it: never a seal or date alone on a page."""
    previous = ooxml.previous_text_paragraph(first)
    if previous is not None:
        previous.paragraph_format.keep_with_next = True


def _with_style(document, name: str) -> list:
    return ooxml.body_paragraphs_with_style(document, document.styles[name].style_id)
