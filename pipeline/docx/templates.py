"""Describe Word styles as named records and add them to a document (the building blocks of the templates)."""

from __future__ import annotations

from dataclasses import dataclass

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.shared import Pt, RGBColor

from . import ooxml

ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


@dataclass(frozen=True)
class ParagraphStyle:
    """Describe a paragraph style: its name as clerks see it, fonts, size, colour and spacing."""

    name: str
    style_id: str
    east_asian: str
    latin: str
    size: float  # points
    colour: str  # RRGGBB
    align: str  # a key of ALIGN
    line_pt: float | None  # exact line height; None: single spacing (tables and pictures size themselves)
    first_line: float | None = 0  # first-line indent in characters; None: the indents are set elsewhere
    snap: bool = False  # snap lines to the document grid


@dataclass(frozen=True)
class CharacterStyle:
    """Describe a character style: its name and fonts (the heading sentence of a run-in heading)."""

    name: str
    style_id: str
    east_asian: str
    latin: str


def format_style(style, spec: ParagraphStyle) -> None:
    """Give a style (or Normal) the fonts, size, colour, alignment and line height of spec."""
    ooxml.set_fonts(style, spec.latin, spec.east_asian)
    style.font.size = Pt(spec.size)
    style.font.color.rgb = RGBColor.from_string(spec.colour)
    fmt = style.paragraph_format
    fmt.alignment = ALIGN[spec.align]
    if spec.line_pt is None:
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(spec.line_pt)
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.widow_control = False


def add_paragraph_style(document, spec: ParagraphStyle):
    """Add a paragraph style based on Normal; return it."""
    style = document.styles.add_style(spec.name, WD_STYLE_TYPE.PARAGRAPH)
    style.style_id = spec.style_id
    style.base_style = document.styles["Normal"]
    style.quick_style = True
    format_style(style, spec)
    if spec.first_line is not None:
        ooxml.set_indents(style, first_line=spec.first_line, size_pt=spec.size)
    ooxml.set_snap_to_grid(style, spec.snap)
    if not spec.snap:
        ooxml.set_char_spacing(style, 0)
    return style


def add_character_style(document, spec: CharacterStyle):
    """Add a character style; return it."""
    style = document.styles.add_style(spec.name, WD_STYLE_TYPE.CHARACTER)
    style.style_id = spec.style_id
    style.quick_style = True
    ooxml.set_fonts(style, spec.latin, spec.east_asian)
    return style
