"""Build the Word templates in templates/ from the layout constants (run once; clerks may restyle them)."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.shared import Mm, Pt, RGBColor

from . import layout as L
from . import ooxml
from .output import write_docx

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"
NOTICE_TEMPLATES = {"信函格式": "notice_letter.docx", "文件格式": "notice_document.docx"}
ANNEX_TEMPLATE = "annex.docx"

ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}

# name, id, East-Asian font, Latin font, size, colour, alignment, exact line (pt), first-line chars, snap
PARAGRAPH_STYLES = [
    ("公文标题", "GwTitle", L.FONT_XIAOBIAOSONG, L.FONT_LATIN, L.SIZE_2HAO, L.BLACK, "center", L.LINE_PITCH_PT, 0, False),
    ("发文机关标志", "GwMark", L.FONT_XIAOBIAOSONG, L.FONT_LATIN, L.DOC_MARK_SIZE, L.RED, "center", L.DOC_MARK_SIZE, 0, False),
    ("发文字号", "GwNumber", L.FONT_FANGSONG, L.FONT_LATIN, L.SIZE_3HAO, L.BLACK, "center", L.SIZE_3HAO, 0, False),
    ("版头标识", "GwHeadMark", L.FONT_HEITI, L.FONT_LATIN, L.SIZE_3HAO, L.BLACK, "left", L.LINE_PITCH_PT, 0, False),
    ("主送机关", "GwAddressee", L.FONT_FANGSONG, L.FONT_LATIN, L.SIZE_3HAO, L.BLACK, "justify", L.LINE_PITCH_PT, 0, True),
    ("附件说明", "GwAnnexNote", L.FONT_FANGSONG, L.FONT_LATIN, L.SIZE_3HAO, L.BLACK, "left", L.LINE_PITCH_PT, None, True),
    ("附件说明续", "GwAnnexNoteNext", L.FONT_FANGSONG, L.FONT_LATIN, L.SIZE_3HAO, L.BLACK, "left", L.LINE_PITCH_PT, None, True),
    ("署名", "GwSignature", L.FONT_FANGSONG, L.FONT_LATIN, L.SIZE_3HAO, L.BLACK, "right", L.LINE_PITCH_PT, 0, True),
    ("成文日期", "GwDate", L.FONT_FANGSONG, L.FONT_LATIN, L.SIZE_3HAO, L.BLACK, "right", L.LINE_PITCH_PT, 0, True),
    ("附注", "GwNote", L.FONT_FANGSONG, L.FONT_LATIN, L.SIZE_3HAO, L.BLACK, "left", L.LINE_PITCH_PT, 2, True),
    ("版记", "GwColophon", L.FONT_FANGSONG, L.FONT_LATIN, L.SIZE_4HAO, L.BLACK, "left", L.LINE_PITCH_PT, 0, False),
    ("页码", "GwPageNumber", L.FONT_SONGTI, L.FONT_SONGTI, L.SIZE_4HAO, L.BLACK, "right", L.SIZE_4HAO, 0, False),
    ("附件标签", "GwAnnexLabel", L.FONT_HEITI, L.FONT_LATIN, L.SIZE_3HAO, L.BLACK, "left", L.LINE_PITCH_PT, 0, True),
    ("居中标题", "GwCentered", L.FONT_HEITI, L.FONT_LATIN, L.SIZE_3HAO, L.BLACK, "center", L.LINE_PITCH_PT, 0, True),
    ("表头", "GwTableHead", L.FONT_HEITI, L.FONT_LATIN, L.TABLE_TEXT_SIZE, L.BLACK, "center", L.TABLE_LINE_PT, 0, False),
    ("表格文字", "GwTableText", L.FONT_FANGSONG, L.FONT_LATIN, L.TABLE_TEXT_SIZE, L.BLACK, "center", L.TABLE_LINE_PT, 0, False),
    ("图片", "GwPicture", L.FONT_FANGSONG, L.FONT_LATIN, L.SIZE_3HAO, L.BLACK, "center", None, 0, False),
    ("文末", "GwEnd", L.FONT_FANGSONG, L.FONT_LATIN, L.END_MARK_PT, L.BLACK, "left", L.END_MARK_PT, 0, False),
]
# name, id, East-Asian font, Latin font
CHARACTER_STYLES = [
    ("一级标题", "GwHeading1", L.FONT_HEITI, L.FONT_LATIN),
    ("二级标题", "GwHeading2", L.FONT_KAITI, L.FONT_LATIN),
    ("三级标题", "GwHeading3", L.FONT_FANGSONG, L.FONT_LATIN),
    ("四级标题", "GwHeading4", L.FONT_FANGSONG, L.FONT_LATIN),
    ("版头标识字", "GwHeadMarkChar", L.FONT_HEITI, L.FONT_LATIN),
]


def build_notice_templates(directory: Path = TEMPLATE_DIR) -> list[Path]:
    """Write the notice templates (信函格式, 文件格式) and the annex template into directory."""
    written = []
    for fmt, name in NOTICE_TEMPLATES.items():
        document = new_document()
        add_notice_body(document, fmt)
        add_page_numbers(document, first_page=fmt == "文件格式")
        if fmt == "信函格式":
            add_letter_head(document)
        written.append(write_docx(document, directory / name))
    written.append(write_docx(new_annex_template(), directory / ANNEX_TEMPLATE))
    return written


def new_annex_template() -> docx.Document:
    """Create the annex template: label 附件N, the title on the third line, then the body blocks."""
    document = new_document()
    _p(document, "附件{{ number }}", "附件标签")
    _p(document)
    _p(document, "{{ title }}", "公文标题")
    _p(document)
    add_body_blocks(document)
    add_page_numbers(document, first_page=True)
    return document


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
        add_paragraph_style(document, *spec)
    for spec in CHARACTER_STYLES:
        add_character_style(document, *spec)
    setup_annex_note_styles(document, count=9)
    for name in ("署名", "成文日期"):  # Word: no extra space between digits and Chinese in the date
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


def _format(style, font_ea, font_latin, size, color, align, line_pt) -> None:
    ooxml.set_fonts(style, font_latin, font_ea)
    style.font.size = Pt(size)
    style.font.color.rgb = RGBColor.from_string(color)
    fmt = style.paragraph_format
    fmt.alignment = ALIGN[align]
    if line_pt is None:  # tables and pictures take their own height, not the 28.95 pt grid line
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(line_pt)
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.widow_control = False


def setup_normal(style) -> None:
    """Make Normal the body text: 3号仿宋, justified, exact grid lines, two-character indent."""
    _format(style, L.FONT_FANGSONG, L.FONT_LATIN, L.SIZE_3HAO, L.BLACK, "justify", L.LINE_PITCH_PT)
    ooxml.set_indents(style, first_line=L.BODY_FIRST_LINE_CHARS)
    ooxml.set_char_spacing(style, L.BODY_CHAR_SPACING_TWENTIETHS)
    # LibreOffice reads w:overflowPunct inverted: "1" keeps its punctuation inside the 版心
    # (Word's own default is 1 too, so Word and WPS are unchanged).
    ooxml.set_paragraph_flag(style, "overflowPunct", True)


def add_paragraph_style(document, name, style_id, font_ea, font_latin, size, color, align, line_pt, first, snap):
    """Add a paragraph style based on Normal."""
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.style_id = style_id
    style.base_style = document.styles["Normal"]
    style.quick_style = True
    _format(style, font_ea, font_latin, size, color, align, line_pt)
    if first is not None:
        ooxml.set_indents(style, first_line=first, size_pt=size)
    ooxml.set_snap_to_grid(style, snap)
    if not snap:
        ooxml.set_char_spacing(style, 0)
    return style


def add_character_style(document, name, style_id, font_ea, font_latin):
    """Add a character style for the heading sentence of a run-in heading."""
    style = document.styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
    style.style_id = style_id
    style.quick_style = True
    ooxml.set_fonts(style, font_latin, font_ea)
    return style


def setup_annex_note_styles(document, count: int) -> None:
    """Indent the 附件说明 so numbers and names align, with a tab stop at the names."""
    name_at = L.annex_note_indent_chars(count)
    first_label = L.BODY_FIRST_LINE_CHARS + L.text_width(L.ANNEX_NOTE_LABEL)
    ooxml.set_indents(document.styles["附件说明"], left=name_at, hanging=name_at - L.BODY_FIRST_LINE_CHARS)
    ooxml.set_indents(document.styles["附件说明续"], left=name_at, hanging=name_at - first_label)
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
    ooxml.set_page_frame(mark, L.LETTER_MARK_TOP_MM, L.LETTER_LINE_LENGTH_MM, L.pt_to_mm(L.LETTER_MARK_SIZE))
    widths = {"thick": L.LETTER_THICK_PT, "thin": L.LETTER_THIN_PT}
    for shape_id, (name, y) in enumerate(L.letter_line_positions_mm().items(), start=1):
        ooxml.add_page_line(anchor, x, y, L.LETTER_LINE_LENGTH_MM, widths[name.split("_")[1]], L.RED, shape_id)


# Body -----------------------------------------------------------------------
def _p(document, text: str = "", style: str | None = None):
    paragraph = document.add_paragraph(text, style=style)
    return paragraph


def add_notice_body(document, fmt: str) -> None:
    """Lay out the notice body as docxtpl paragraphs, one per element of GB/T 9704."""
    add_head(document, fmt)
    _p(document)
    _p(document)
    _p(document, "{{ title }}", "公文标题")
    _p(document)
    _p(document, "{{ addressees }}", "主送机关")
    add_body_blocks(document)
    _p(document, "{%p if closing %}")
    _p(document, "{{ closing }}").paragraph_format.keep_with_next = True
    _p(document, "{%p endif %}")
    add_annex_note(document)
    _p(document).paragraph_format.keep_with_next = True
    _p(document, "{{ signature }}", "署名").paragraph_format.keep_with_next = True
    _p(document, "{{ date }}", "成文日期")
    for field in ("note", "publication"):
        _p(document, f"{{%p if {field} %}}")
        _p(document, f"（{{{{ {field} }}}}）", "附注")
        _p(document, "{%p endif %}")
    add_colophon(document)


def add_head(document, fmt: str) -> None:
    """Add the part of the 版头 that flows in the body: 份号/密级/紧急程度, mark (文件格式) and 发文字号."""
    if fmt == "文件格式":
        _p(document, "{%p for m in head_marks %}")
        _p(document, "{{ m }}", "版头标识")
        _p(document, "{%p endfor %}")
        mark = _p(document, "{{ mark }}", "发文机关标志")
        mark.paragraph_format.space_before = Pt(L.DOC_MARK_TOP_MM / L.MM_PER_PT)
        _p(document)
        _p(document)
        number = _p(document, "{{ number }}", "发文字号")
        space = L.DOC_SEPARATOR_GAP_MM / L.MM_PER_PT
        ooxml.set_border(number, "bottom", round(L.DOC_SEPARATOR_PT * 8), L.RED, space)
        return
    # 信函格式: the first of 份号/密级/紧急程度 flush left on the 发文字号's line, the others below it.
    number = _p(document, style="发文字号")
    number.add_run("{{ head_marks[0] if head_marks else '' }}", style="版头标识字")
    number.add_run().add_tab()
    number.add_run("{{ number }}")
    number.alignment = ALIGN["left"]
    number.paragraph_format.tab_stops.add_tab_stop(Pt(L.TEXT_WIDTH_MM / L.MM_PER_PT), WD_TAB_ALIGNMENT.RIGHT)
    number.paragraph_format.space_before = Pt(L.letter_number_space_before_pt())
    _p(document, "{%p for m in head_marks[1:] %}")
    _p(document, "{{ m }}", "版头标识")
    _p(document, "{%p endfor %}")


def add_body_blocks(document) -> None:
    """Add the loop over body blocks: plain paragraphs and headings of four levels."""
    _p(document, "{%p for b in body %}")
    _p(document, '{%p if b.kind == "table" %}')
    _p(document, "{{p b.table }}")
    _p(document, '{%p elif b.kind == "image" %}')
    _p(document, "{{ b.image }}", "图片")
    _p(document, '{%p elif b.kind == "center" %}')
    _p(document, "{{ b.text }}", "居中标题")
    for level in range(1, 5):
        _p(document, f"{{%p elif b.level == {level} %}}")
        paragraph = _p(document)
        paragraph.add_run("{{ b.head }}", style=CHARACTER_STYLES[level - 1][0])
        paragraph.add_run("{{ b.text }}")
    _p(document, "{%p else %}")
    _p(document, "{{ b.text }}")
    _p(document, "{%p endif %}")
    _p(document, "{%p endfor %}")


def add_annex_note(document) -> None:
    """Add the 附件说明: '附件：1.名称', later numbers under the first, names aligned."""
    _p(document, "{%p if annexes %}")
    _p(document).paragraph_format.keep_with_next = True
    _p(document, "{%p for a in annexes %}")
    _p(document, "{%p if loop.first %}")
    first = _p(document, f"{L.ANNEX_NOTE_LABEL}{{{{ a.number }}}}.", "附件说明")
    first.add_run().add_tab()
    first.add_run("{{ a.name }}")
    _p(document, "{%p else %}")
    later = _p(document, "{{ a.number }}.", "附件说明续")
    later.add_run().add_tab()
    later.add_run("{{ a.name }}")
    _p(document, "{%p endif %}")
    _p(document, "{%p endfor %}")
    _p(document, "{%p endif %}")


def add_colophon(document) -> None:
    """Add the 版记 table (抄送, 印发机关 and 印发日期) floating at the bottom of the last page."""
    _p(document, "{%p if copy_to or printer %}")
    table = document.add_table(rows=4, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    ooxml.set_table_geometry(table, L.TEXT_WIDTH_MM, [L.TEXT_WIDTH_MM / 2] * 2)
    thick = (L.border_eighths(L.COLOPHON_THICK_MM), L.BLACK)
    thin = (L.border_eighths(L.COLOPHON_THIN_MM), L.BLACK)
    ooxml.set_table_borders(table, top=thick, bottom=thick, insideH=thin)
    ooxml.float_table_to_bottom(table, L.MARGIN_LEFT_MM)
    rows = table.rows
    for row in rows[:3]:
        row.cells[0].merge(row.cells[1])
    rows[0].cells[0].paragraphs[0].text = "{%tr if copy_to %}"
    copy_to = rows[1].cells[0].paragraphs[0]
    copy_to.style = document.styles["版记"]
    copy_to.text = "抄送：{{ copy_to }}"
    ooxml.set_indents(copy_to, left=L.COLOPHON_INDENT_CHARS + 3, hanging=3, right=L.COLOPHON_INDENT_CHARS,
                      size_pt=L.SIZE_4HAO)
    rows[2].cells[0].paragraphs[0].text = "{%tr endif %}"
    printer, when = rows[3].cells[0].paragraphs[0], rows[3].cells[1].paragraphs[0]
    for paragraph, text, side in ((printer, "{{ printer }}", "left"), (when, "{{ print_date }}印发", "right")):
        paragraph.style = document.styles["版记"]
        paragraph.text = text
        paragraph.alignment = ALIGN[side]
        ooxml.set_indents(paragraph, size_pt=L.SIZE_4HAO, **{side: L.COLOPHON_INDENT_CHARS})
    _p(document, "{%p endif %}")
    end = _p(document, style="文末")
    end.paragraph_format.line_spacing = Pt(L.END_MARK_PT)
