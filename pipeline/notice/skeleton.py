"""Lay out the notice and annex templates as docxtpl paragraphs, one per element of GB/T 9704, and write them."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.shared import Pt

from ..core.output import write_docx
from ..core.resources import TEMPLATE_DIR
from ..docx import ooxml
from ..docx.templates import ALIGN
from ..core import gbt9704 as L
from .styles import ANNEX_TEMPLATE, CHARACTER_STYLES, NOTICE_TEMPLATES, add_letter_head, add_page_numbers, new_document


def build_notice_templates(directory: Path = TEMPLATE_DIR) -> list[Path]:
    """Write the notice templates (信函格式, 文件格式) and the annex template into directory."""
    written = []
    for fmt, name in NOTICE_TEMPLATES.items():
        document = new_document()
        add_notice_body(document, fmt)
        add_page_numbers(document, first_page=fmt != "信函格式")
        if fmt == "信函格式":
            add_letter_head(document)
        written.append(write_docx(document, directory / name))
    written.append(write_docx(new_annex_template(), directory / ANNEX_TEMPLATE))
    return written


def new_annex_template() -> docx.Document:
    """Create the annex template: label 附件N, the title on the third line, then the body blocks."""
    document = new_document()
    _p(document, "{{ number_of }}附件{{ number }}", "附件标签")
    _p(document)
    _p(document, "{{ title }}", "公文标题")
    _p(document)
    add_body_blocks(document)
    add_page_numbers(document, first_page=True)
    return document


# Body -----------------------------------------------------------------------
def _p(document, text: str = "", style: str | None = None):
    paragraph = document.add_paragraph(text, style=style)
    return paragraph


def add_notice_body(document, fmt: str) -> None:
    """Lay out the notice body as docxtpl paragraphs, one per element of GB/T 9704."""
    add_head(document, fmt)
    _p(document, "{%p if title %}")
    _p(document)
    _p(document)
    _p(document, "{{ title }}", "公文标题")
    _p(document)
    _p(document, "{%p endif %}")
    _p(document, "{%p if addressees %}")
    _p(document, "{{ addressees }}", "主送机关")
    _p(document, "{%p endif %}")
    add_body_blocks(document)
    _p(document, "{%p if closing %}")
    _p(document, "{{ closing }}").paragraph_format.keep_with_next = True
    _p(document, "{%p endif %}")
    add_annex_note(document)
    add_attendance(document)
    add_signatures(document)
    for field in ("note", "publication"):
        _p(document, f"{{%p if {field} %}}")
        _p(document, f"（{{{{ {field} }}}}）", "附注")
        _p(document, "{%p endif %}")
    add_issued(document)
    add_colophon(document)


def add_signatures(document) -> None:
    """Add the signatures (or 签名章 titles), the 代章 line and the date; the layout module places them."""
    _p(document).paragraph_format.keep_with_next = True
    for loop, style in (("signatures", "署名"), ("signed_by", "签名章")):
        _p(document, f"{{%p for s in {loop} %}}")
        _p(document, "{{ s }}", style).paragraph_format.keep_with_next = True
        _p(document, "{%p endfor %}")
    _p(document, "{%p if proxy_seal %}")
    _p(document, "（{{ proxy_seal }}）", "代章").paragraph_format.keep_with_next = True
    _p(document, "{%p endif %}")
    _p(document, "{{ date }}", "成文日期")


def add_attendance(document) -> None:
    """Add the 纪要's 出席/请假/列席 lines: the label in 黑体, the names aligned after the colon."""
    _p(document, "{%p if attendance %}")
    _p(document)
    _p(document, "{%p for a in attendance %}")
    line = _p(document, style="出席")
    line.add_run("{{ a.label }}：", style="出席标签")
    line.add_run("{{ a.names }}")
    _p(document, "{%p endfor %}")
    _p(document, "{%p endif %}")


def add_issued(document) -> None:
    """Add the issued document (印发/转发): a new page, its own title, its body, no 附件 label."""
    _p(document, "{%p if issued %}")
    _p(document, "{{ issued.title }}", "公文标题").paragraph_format.page_break_before = True
    _p(document)
    add_body_blocks(document, "issued.body")
    _p(document, "{%p endif %}")


def add_head(document, fmt: str) -> None:
    """Add the part of the 版头 that flows in the body: 份号/密级/紧急程度, mark and 发文字号 (or 令号)."""
    if fmt == "信函格式":
        return add_letter_number(document)
    _p(document, "{%p for m in head_marks %}")
    _p(document, "{{ m }}", "版头标识")
    _p(document, "{%p endfor %}")
    mark = _p(document, "{{ mark }}", "发文机关标志")
    mark.paragraph_format.space_before = Pt(L.mark_top_mm(fmt) / L.MM_PER_PT)
    _p(document)
    _p(document)
    if fmt == "命令格式":  # 令号 two lines below the mark, the body two lines below the 令号
        order_number = _p(document, "{{ number }}", "发文字号")
        order_number.paragraph_format.line_spacing = Pt(L.LINE_PITCH_PT)
        ooxml.set_snap_to_grid(order_number, True)  # on the body's grid: the body lies exactly two lines below
        _p(document, "{%p if not title %}")
        _p(document)
        _p(document)
        _p(document, "{%p endif %}")
        return
    optional = fmt == "纪要格式"
    _p(document, "{%p if number %}") if optional else None
    number = _p(document, "{{ number }}", "发文字号")
    space = L.DOC_SEPARATOR_GAP_MM / L.MM_PER_PT
    ooxml.set_border(number, "bottom", round(L.DOC_SEPARATOR_PT * 8), L.RED, space)
    _p(document, "{%p endif %}") if optional else None


def add_letter_number(document) -> None:
    """Add the letter's 发文字号 under the red lines, with the first of 份号/密级/紧急程度 flush left."""
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


def add_body_blocks(document, blocks: str = "body") -> None:
    """Add the loop over body blocks: plain paragraphs and headings of four levels."""
    _p(document, f"{{%p for b in {blocks} %}}")
    _p(document, '{%p if b.kind == "table" %}')
    _p(document, "{{p b.table }}")
    _p(document, '{%p elif b.kind == "image" %}')
    _p(document, "{{ b.image }}", "图片")
    _p(document, '{%p elif b.kind == "center" %}')
    _p(document, "{{ b.text }}", "居中标题")
    for level in range(1, 5):
        _p(document, f"{{%p elif b.level == {level} %}}")
        paragraph = _p(document)
        paragraph.add_run("{{ b.head }}", style=CHARACTER_STYLES[level - 1].name)
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


def add_colophon_lines(cell) -> None:
    """Fill the 版记 cell holding 主送 (when moved there) and 抄送, wrapped lines aligned after the colon."""
    for i, (label, field) in enumerate((("主送", "colophon_addressees"), ("抄送", "copy_to"))):
        opening = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        opening.text = f"{{%p if {field} %}}"
        line = cell.add_paragraph(f"{label}：{{{{ {field} }}}}", style="版记")
        ooxml.set_indents(line, left=L.COLOPHON_INDENT_CHARS + 3, hanging=3, right=L.COLOPHON_INDENT_CHARS,
                          size_pt=L.SIZE_4HAO)
        cell.add_paragraph("{%p endif %}")


def add_colophon(document) -> None:
    """Add the 版记 table (抄送, 印发机关 and 印发日期) floating at the bottom of the last page."""
    _p(document, "{%p if copy_to or printer or colophon_addressees %}")
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
    rows[0].cells[0].paragraphs[0].text = "{%tr if copy_to or colophon_addressees %}"
    add_colophon_lines(rows[1].cells[0])  # 主送 and 抄送 share a cell: no rule between them
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
