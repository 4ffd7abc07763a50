"""Declare the GB/T 9704 styles of the notice templates and set up their page (run once; clerks may restyle them)."""

from __future__ import annotations

import docx
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.shared import Mm, Pt

from ..core.units import pt_to_mm
from ..docx import ooxml
from ..docx.templates import (ALIGN, CharacterStyle, ParagraphStyle, add_character_style, add_paragraph_style,
                              format_style)
from ..core import gbt9704 as L

NOTICE_TEMPLATES = {"信函格式": "notice_letter.docx", "文件格式": "notice_document.docx",
                    "命令格式": "notice_order.docx", "纪要格式": "notice_minutes.docx"}
ANNEX_TEMPLATE = "annex.docx"
BODY = ParagraphStyle("Normal", "Normal", L.FONT_FANGSONG, L.FONT_LATIN, L.SIZE_3HAO, L.BLACK, "justify", L.LINE_PITCH_PT)
PARAGRAPH_STYLES = (
    ParagraphStyle("公文标题", "GwTitle", L.FONT_XIAOBIAOSONG, L.FONT_LATIN, L.SIZE_2HAO, L.BLACK, "center", L.LINE_PITCH_PT, 0, False),
    ParagraphStyle("发文机关标志", "GwMark", L.FONT_XIAOBIAOSONG, L.FONT_LATIN, L.DOC_MARK_SIZE, L.RED, "center", L.DOC_MARK_SIZE, 0, False),
    ParagraphStyle("发文字号", "GwNumber", L.FONT_FANGSONG, L.FONT_LATIN, L.SIZE_3HAO, L.BLACK, "center", L.SIZE_3HAO, 0, False),
    ParagraphStyle("版头标识", "GwHeadMark", L.FONT_HEITI, L.FONT_LATIN, L.SIZE_3HAO, L.BLACK, "left", L.LINE_PITCH_PT, 0, False),
    ParagraphStyle("主送机关", "GwAddressee", L.FONT_FANGSONG, L.FONT_LATIN, L.SIZE_3HAO, L.BLACK, "justify", L.LINE_PITCH_PT, 0, True),
    ParagraphStyle("附件说明", "GwAnnexNote", L.FONT_FANGSONG, L.FONT_LATIN, L.SIZE_3HAO, L.BLACK, "left", L.LINE_PITCH_PT, None, True),
    ParagraphStyle("附件说明续", "GwAnnexNoteNext", L.FONT_FANGSONG, L.FONT_LATIN, L.SIZE_3HAO, L.BLACK, "left", L.LINE_PITCH_PT, None, True),
    ParagraphStyle("署名", "GwSignature", L.FONT_FANGSONG, L.FONT_LATIN, L.SIZE_3HAO, L.BLACK, "right", L.LINE_PITCH_PT, 0, True),
    ParagraphStyle("签名章", "GwSignerTitle", L.FONT_FANGSONG, L.FONT_LATIN, L.SIZE_3HAO, L.BLACK, "right", L.LINE_PITCH_PT, 0, True),
    ParagraphStyle("代章", "GwProxySeal", L.FONT_FANGSONG, L.FONT_LATIN, L.SIZE_3HAO, L.BLACK, "right", L.LINE_PITCH_PT, 0, True),
    ParagraphStyle("出席", "GwAttendance", L.FONT_FANGSONG, L.FONT_LATIN, L.SIZE_3HAO, L.BLACK, "justify", L.LINE_PITCH_PT, None, True),
    ParagraphStyle("成文日期", "GwDate", L.FONT_FANGSONG, L.FONT_LATIN, L.SIZE_3HAO, L.BLACK, "right", L.LINE_PITCH_PT, 0, True),
    ParagraphStyle("附注", "GwNote", L.FONT_FANGSONG, L.FONT_LATIN, L.SIZE_3HAO, L.BLACK, "left", L.LINE_PITCH_PT, 2, True),
    ParagraphStyle("版记", "GwColophon", L.FONT_FANGSONG, L.FONT_LATIN, L.SIZE_4HAO, L.BLACK, "left", L.LINE_PITCH_PT, 0, False),
    ParagraphStyle("页码", "GwPageNumber", L.FONT_SONGTI, L.FONT_SONGTI, L.SIZE_4HAO, L.BLACK, "right", L.SIZE_4HAO, 0, False),
    ParagraphStyle("附件标签", "GwAnnexLabel", L.FONT_HEITI, L.FONT_LATIN, L.SIZE_3HAO, L.BLACK, "left", L.LINE_PITCH_PT, 0, True),
    ParagraphStyle("居中标题", "GwCentered", L.FONT_HEITI, L.FONT_LATIN, L.SIZE_3HAO, L.BLACK, "center", L.LINE_PITCH_PT, 0, True),
    ParagraphStyle("表头", "GwTableHead", L.FONT_HEITI, L.FONT_LATIN, L.TABLE_TEXT_SIZE, L.BLACK, "center", L.TABLE_LINE_PT, 0, False),
    ParagraphStyle("表格文字", "GwTableText", L.FONT_FANGSONG, L.FONT_LATIN, L.TABLE_TEXT_SIZE, L.BLACK, "center", L.TABLE_LINE_PT, 0, False),
    ParagraphStyle("图片", "GwPicture", L.FONT_FANGSONG, L.FONT_LATIN, L.SIZE_3HAO, L.BLACK, "center", None, 0, False),
    ParagraphStyle("文末", "GwEnd", L.FONT_FANGSONG, L.FONT_LATIN, L.END_MARK_PT, L.BLACK, "left", L.END_MARK_PT, 0, False),
)
CHARACTER_STYLES = (
    CharacterStyle("一级标题", "GwHeading1", L.FONT_HEITI, L.FONT_LATIN),
    CharacterStyle("二级标题", "GwHeading2", L.FONT_KAITI, L.FONT_LATIN),
    CharacterStyle("三级标题", "GwHeading3", L.FONT_FANGSONG, L.FONT_LATIN),
    CharacterStyle("四级标题", "GwHeading4", L.FONT_FANGSONG, L.FONT_LATIN),
    CharacterStyle("版头标识字", "GwHeadMarkChar", L.FONT_HEITI, L.FONT_LATIN),
    CharacterStyle("签发人姓名", "GwSignerName", L.FONT_KAITI, L.FONT_LATIN),
    CharacterStyle("出席标签", "GwAttendanceLabel", L.FONT_HEITI, L.FONT_LATIN),
)


# Document, page and styles -------------------------------------------------
def new_document() -> docx.Document:
    """Create an empty A4 document with the 公文 page, grid, defaults and styles."""
    document = docx.Document()
    ooxml.clear_body(document)
    ooxml.drop_part(document, "/stylesWithEffects")
    setup_page(document.sections[0])
    ooxml.set_default_fonts(document.styles.element, L.FONT_LATIN, L.FONT_FANGSONG, L.SIZE_3HAO)
    setup_normal(document.styles["Normal"])
    for spec in PARAGRAPH_STYLES:
        add_paragraph_style(document, spec)
    for spec in CHARACTER_STYLES:
        add_character_style(document, spec)
    setup_annex_note_styles(document, count=9)
    label = L.char_units("出席：")  # wrapped names align after the colon
    ooxml.set_indents(document.styles["出席"], left=L.BODY_FIRST_LINE_CHARS + label, hanging=label, size_pt=L.SIZE_3HAO)
    for name in ("署名", "签名章", "代章", "成文日期"):  # Word: no extra space between digits and Chinese in the date
        ooxml.set_paragraph_flag(document.styles[name], "autoSpaceDE", False)
        ooxml.set_paragraph_flag(document.styles[name], "autoSpaceDN", False)
    document.settings.odd_and_even_pages_header_footer = True
    return document


def setup_page(section) -> None:
    """Give a section A4 paper, the 公文 margins, footer distance and the 22 x 28 grid."""
    section.page_width, section.page_height = Mm(L.PAGE_WIDTH_MM), Mm(L.PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(L.MARGIN_TOP_MM), Mm(L.MARGIN_BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(L.MARGIN_LEFT_MM), Mm(L.MARGIN_RIGHT_MM)
    section.header_distance = Mm(L.HEADER_DISTANCE_MM)
    section.footer_distance = Mm(L.footer_distance_mm())
    section.gutter = 0
    ooxml.set_line_grid(section, L.LINE_PITCH_TWIPS)


def setup_normal(style) -> None:
    """Make Normal the body text: 3号仿宋, justified, exact grid lines, two-character indent."""
    format_style(style, BODY)
    ooxml.set_indents(style, first_line=L.BODY_FIRST_LINE_CHARS, size_pt=L.SIZE_3HAO)
    ooxml.set_char_spacing(style, L.BODY_CHAR_SPACING_TWENTIETHS)
    # LibreOffice reads w:overflowPunct inverted: "1" keeps its punctuation inside the 版心
    # (Word's own default is 1 too, so Word and WPS are unchanged).
    ooxml.set_paragraph_flag(style, "overflowPunct", True)


def setup_annex_note_styles(document, count: int) -> None:
    """Indent the 附件说明 so numbers and names align, with a tab stop at the names."""
    name_at = L.annex_note_indent_chars(count)
    first_label = L.BODY_FIRST_LINE_CHARS + L.char_units(L.ANNEX_NOTE_LABEL)
    ooxml.set_indents(document.styles["附件说明"], left=name_at, hanging=name_at - L.BODY_FIRST_LINE_CHARS,
                      size_pt=L.SIZE_3HAO)
    ooxml.set_indents(document.styles["附件说明续"], left=name_at, hanging=name_at - first_label, size_pt=L.SIZE_3HAO)
    for name in ("附件说明", "附件说明续"):
        document.styles[name].paragraph_format.keep_with_next = True  # the note stays with the signature
        stops = document.styles[name].paragraph_format.tab_stops
        stops.add_tab_stop(Pt(name_at * L.SIZE_3HAO), WD_TAB_ALIGNMENT.LEFT)


# Page numbers and the letter head ------------------------------------------
def add_page_numbers(document, first_page: bool) -> None:
    """Put '— N —' in the odd (right) and even (left) footers; none on page 1 of a letter."""
    section = document.sections[0]
    section.different_first_page_header_footer = not first_page
    for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.style = document.styles["页码"]
        paragraph.alignment = ALIGN[align]
        side = {"right": "right", "left": "left"}[align]
        ooxml.set_indents(paragraph, size_pt=L.SIZE_4HAO, **{side: L.PAGE_NUMBER_INDENT_CHARS})
        paragraph.add_run(f"{L.PAGE_NUMBER_DASH} ")
        ooxml.add_page_field(paragraph)
        paragraph.add_run(f" {L.PAGE_NUMBER_DASH}")
    if not first_page:
        section.first_page_footer.is_linked_to_previous = False


def add_letter_head(document) -> None:
    """Draw the letter head in the first-page header: the red mark and the red double lines."""
    section = document.sections[0]
    header = section.first_page_header
    header.is_linked_to_previous = False
    anchor = header.paragraphs[0]
    x = (L.PAGE_WIDTH_MM - L.LETTER_LINE_LENGTH_MM) / 2
    mark = anchor.insert_paragraph_before("{{ mark }}", style=document.styles["发文机关标志"])
    mark.paragraph_format.line_spacing = Pt(L.LETTER_MARK_SIZE)
    ooxml.set_page_frame(mark, L.LETTER_MARK_TOP_MM, L.LETTER_LINE_LENGTH_MM, pt_to_mm(L.LETTER_MARK_SIZE))
    widths = {"thick": L.LETTER_THICK_PT, "thin": L.LETTER_THIN_PT}
    for shape_id, (name, y) in enumerate(L.letter_line_positions_mm().items(), start=1):
        ooxml.add_page_line(anchor, x, y, L.LETTER_LINE_LENGTH_MM, widths[name.split("_")[1]], L.RED, shape_id)
