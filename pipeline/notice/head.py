"""Lay out the 版头 after rendering: the mark's size and place, a joint mark's stack, the 签发人 line."""

from __future__ import annotations

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.shared import Pt

from ..core import gbt9704 as L
from ..docx import ooxml
from ..docx.templates import ALIGN
from .parties import LETTER_FORMAT, Parties

MARK_STYLE, NUMBER_STYLE = "发文机关标志", "发文字号"


def lay_out_head(document, fmt: str, parties: Parties, head_lines: int) -> None:
    """Size the mark to its line, stack a joint mark, and put the 签发人 beside the 发文字号."""
    size = fit_mark(document, fmt, parties)
    if fmt == LETTER_FORMAT:
        return
    mark = _first(document, MARK_STYLE)  # 份号/密级/紧急程度 lines above it take their room from the gap
    mark.paragraph_format.space_before = Pt(max(0.0, L.mark_top_mm(fmt) / L.MM_PER_PT - head_lines * L.LINE_PITCH_PT))
    if len(parties.marks) > 1:
        stack_mark(document, mark, parties, size)
    if parties.signers:
        place_signers(document, parties.signers)


def fit_mark(document, fmt: str, parties: Parties) -> float:
    """Shrink a long 发文机关标志 (every name of a joint one alike) so each stays on one line; return the size."""
    style = document.styles[MARK_STYLE]
    room = L.mark_room_mm(fmt, parties.mark_word, style.font.size.pt)
    widths = [L.fit_mark_size(name, style.font.size.pt, room) for name in parties.marks]
    size = min(widths + [style.font.size.pt])
    if size < style.font.size.pt:
        for root in ooxml.story_roots(document):
            for paragraph in ooxml.paragraphs_with_style(root, style.style_id, document):
                for run in paragraph.runs:
                    run.font.size = Pt(size)
    return size


def stack_mark(document, mark, parties: Parties, size: float) -> None:
    """Replace the one-line mark with the names stacked, centred, and the word (文件) right of the stack."""
    names_mm = max(L.char_units(n) for n in parties.marks) * size * L.MM_PER_PT + 1
    word_mm = L.char_units(parties.mark_word) * size * L.MM_PER_PT + 1 if parties.mark_word else 0
    table = document.add_table(rows=1, cols=2 if word_mm else 1)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    ooxml.set_table_geometry(table, names_mm + word_mm, [names_mm, word_mm][:len(table.columns)])
    ooxml.set_table_borders(table)
    _fill(table.rows[0].cells[0], parties.marks, mark.style, size)
    if word_mm:
        _fill(table.rows[0].cells[1], [parties.mark_word], mark.style, size)
    spacer = mark  # the mark's paragraph stays, emptied, as the 35 mm above the stacked names
    spacer.text = ""
    spacer.style = document.styles["Normal"]
    ooxml.set_snap_to_grid(spacer, False)  # the grid would round the 35 mm down to one line
    spacer.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    spacer.paragraph_format.line_spacing = mark.paragraph_format.space_before or Pt(1)
    spacer.paragraph_format.space_before = Pt(0)
    ooxml.move_table_after(table, spacer)


def _fill(cell, texts: list[str], style, size: float) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    for i, text in enumerate(texts):
        paragraph = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        paragraph.style = style
        paragraph.add_run(text).font.size = Pt(size)


def place_signers(document, signers: list[str]) -> None:
    """Write 签发人 two names a line, right-indented 1 character; the 发文字号 moves left onto the last line."""
    number = _first(document, NUMBER_STYLE)
    lines, label = L.signer_lines(signers), L.SIGNER_LABEL
    block = L.signer_block_chars(signers)
    start_pt = (L.TEXT_WIDTH_MM / L.MM_PER_PT) - (L.SIGNER_INDENT_CHARS + block) * L.SIZE_3HAO
    for i, line in enumerate(lines):
        last = i == len(lines) - 1
        paragraph = number if last else number.insert_paragraph_before(style=number.style)
        names_at = start_pt + (0 if i == 0 else L.char_units(label) * L.SIZE_3HAO)
        _signer_line(paragraph, line, label if i == 0 else "", names_at)
        if not last:
            paragraph.paragraph_format.line_spacing = Pt(L.LINE_PITCH_PT)
        elif len(lines) > 1:  # the number's own line is 3号 high: the rest of a grid line goes above it
            paragraph.paragraph_format.space_before = Pt(L.LINE_PITCH_PT - L.SIZE_3HAO)


def _signer_line(paragraph, names: list[str], label: str, at_pt: float) -> None:
    """Fill one 签发人 line: (the number, on the last line, after a 1-character tab) the label and names in 楷体.

    Tabs, not indents, place the number: the red separator is this paragraph's border and must keep the
    full 版心 width.
    """
    paragraph.alignment = ALIGN["left"]
    stops = paragraph.paragraph_format.tab_stops
    if paragraph.text:
        stops.add_tab_stop(Pt(L.SIGNER_INDENT_CHARS * L.SIZE_3HAO), WD_TAB_ALIGNMENT.LEFT)
        ooxml.prepend_tab(paragraph)
    stops.add_tab_stop(Pt(at_pt), WD_TAB_ALIGNMENT.LEFT)
    paragraph.add_run().add_tab()
    if label:
        paragraph.add_run(label)
    paragraph.add_run("　".join(names), style="签发人姓名")


def _first(document, style_name: str):
    return next(p for p in document.paragraphs if p.style.name == style_name)
