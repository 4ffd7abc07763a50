"""Touch raw OOXML for what python-docx has no API for; the only module that does."""

from __future__ import annotations

import copy
import re

from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.text.paragraph import Paragraph

from ..core.units import TWIPS_PER_PT, mm_to_emu, mm_to_twips

_THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
# Characters Word would set in the Latin font unless told they are East-Asian text.
AMBIGUOUS_PUNCTUATION = "“”‘’—…·"


# Generic element access ---------------------------------------------------
# Child order that Word enforces (ECMA-376 CT_PPr, CT_RPr, CT_TblPr, CT_TcPr, borders).
_SEQUENCES = {
    "pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd "
           "tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
           "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection "
           "textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange",
    "rPr": "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof "
           "snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd fitText "
           "vertAlign rtl cs em lang eastAsianLayout specVanish oMath",
    "tblPr": "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc tblCellSpacing "
             "tblInd tblBorders shd tblLayout tblCellMar tblLook",
    "trPr": "cnfStyle divId gridBefore gridAfter wBefore wAfter cantSplit trHeight tblHeader tblCellSpacing jc hidden",
    "tcPr": "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText vAlign hideMark",
    "pBdr": "top left bottom right between bar",
    "tblBorders": "top left start bottom right end insideH insideV",
    "tcBorders": "top left start bottom right end insideH insideV tl2br tr2bl",
    "tblCellMar": "top left start bottom right end",
}
_ORDER = {qn(f"w:{parent}"): [qn(f"w:{t}") for t in seq.split()] for parent, seq in _SEQUENCES.items()}


def _child(parent, tag: str):
    """Return the first child named tag, creating it in the position the schema requires."""
    name = qn(tag)
    found = parent.find(name)
    if found is not None:
        return found
    element = OxmlElement(tag)
    order = _ORDER.get(parent.tag, [])
    later = set(order[order.index(name) + 1:]) if name in order else set()
    successor = next((child for child in parent if child.tag in later), None)
    if successor is not None:
        successor.addprevious(element)
    else:
        parent.append(element)
    return element


def _set(element, **attrs) -> None:
    for key, value in attrs.items():
        element.set(qn(f"w:{key}"), str(value))


def _rpr(owner):
    return owner.element.get_or_add_rPr() if hasattr(owner.element, "get_or_add_rPr") else owner._r.get_or_add_rPr()


def _ppr(owner):
    element = getattr(owner, "_p", None)
    if element is None:
        element = owner.element
    return element.get_or_add_pPr()


# Fonts --------------------------------------------------------------------
def strip_theme_fonts(root) -> None:
    """Remove theme font attributes, which would override any named 公文 font."""
    for rfonts in root.iter(qn("w:rFonts")):
        for attr in _THEME_ATTRS:
            rfonts.attrib.pop(qn(attr), None)


def _apply_fonts(rpr, latin: str, east_asian: str) -> None:
    rfonts = _child(rpr, "w:rFonts")
    for attr in _THEME_ATTRS:
        rfonts.attrib.pop(qn(attr), None)
    _set(rfonts, ascii=latin, hAnsi=latin, cs=latin, eastAsia=east_asian, hint="eastAsia")


def set_fonts(owner, latin: str, east_asian: str) -> None:
    """Name a style's or run's Latin and East-Asian fonts (w:rFonts), theme fonts removed."""
    _apply_fonts(_rpr(owner), latin, east_asian)


def set_default_fonts(styles_root, latin: str, east_asian: str, size_pt: float) -> None:
    """Set the document defaults: fonts, size and the Chinese language tag."""
    strip_theme_fonts(styles_root)
    rpr = styles_root.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _apply_fonts(rpr, latin, east_asian)
    _set(_child(rpr, "w:sz"), val=round(size_pt * 2))
    _set(_child(rpr, "w:szCs"), val=round(size_pt * 2))
    _set(_child(rpr, "w:lang"), val="en-US", eastAsia="zh-CN", bidi="ar-SA")
    ppr = styles_root.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    _set(_child(ppr, "w:spacing"), after=0, line=240, lineRule="auto")


# Section and settings -----------------------------------------------------
def set_line_grid(section, line_pitch: int) -> None:
    """Give a section a line grid (lines only: characters are not snapped to cells)."""
    grid = _child(section._sectPr, "w:docGrid")
    grid.attrib.pop(qn("w:charSpace"), None)
    _set(grid, type="lines", linePitch=line_pitch)


def set_char_spacing(owner, twentieths: int) -> None:
    """Expand (positive) or condense (negative) a style's characters, in twentieths of a point."""
    _set(_child(_rpr(owner), "w:spacing"), val=twentieths)


# Paragraph properties ----------------------------------------------------
def set_indents(owner, first_line=None, left=None, right=None, hanging=None, *, size_pt: float) -> None:
    """Set indents in characters, both as w:*Chars and as twips of a character of size_pt."""
    ind = _child(_ppr(owner), "w:ind")
    values = {"firstLine": first_line, "left": left, "right": right, "hanging": hanging}
    for name, chars in values.items():
        if chars is None:
            continue
        _set(ind, **{name: round(chars * size_pt * TWIPS_PER_PT), f"{name}Chars": round(chars * 100)})


def prepend_tab(paragraph: Paragraph) -> None:
    """Put a tab before a paragraph's first run."""
    run = paragraph.add_run()
    run.add_tab()
    first = paragraph._p.find(qn("w:r"))
    if first is not run._r:
        first.addprevious(run._r)


def insert_paragraph_after(paragraph: Paragraph, text: str = "", style=None) -> Paragraph:
    """Insert a paragraph right after paragraph; return it."""
    following = paragraph.insert_paragraph_before(text, style=style)
    paragraph._p.addnext(following._p)
    return following


def remove_paragraph(paragraph: Paragraph) -> None:
    """Remove a paragraph from its story."""
    paragraph._p.getparent().remove(paragraph._p)


def remove_runs(paragraph: Paragraph) -> None:
    """Remove every run of a paragraph, keeping its properties."""
    for run in paragraph.runs:
        run._r.getparent().remove(run._r)


def previous_text_paragraph(paragraph: Paragraph) -> Paragraph | None:
    """Return the nearest paragraph before paragraph that holds text (None past a table or the start)."""
    previous = paragraph._p.getprevious()
    while previous is not None and previous.tag == qn("w:p") and not "".join(previous.itertext()).strip():
        previous = previous.getprevious()
    return Paragraph(previous, paragraph._parent) if previous is not None and previous.tag == qn("w:p") else None


def move_table_after(table, paragraph: Paragraph) -> None:
    """Move a table to just after paragraph."""
    paragraph._p.addnext(table._tbl)


def drop_last_row(table) -> None:
    """Remove a table's last row."""
    table._tbl.remove(table.rows[-1]._tr)


def set_style_id(paragraph: Paragraph, style_id: str) -> None:
    """Give a paragraph a style by its id (python-docx's setter scans every style each time: slow in big tables)."""
    paragraph._p.style = style_id


def set_snap_to_grid(owner, snap: bool) -> None:
    """Turn snapping to the document grid on or off for a paragraph or style."""
    _set(_child(_ppr(owner), "w:snapToGrid"), val=int(snap))


def set_paragraph_flag(owner, name: str, on: bool) -> None:
    """Set an on/off paragraph property such as overflowPunct, autoSpaceDE or autoSpaceDN."""
    _set(_child(_ppr(owner), f"w:{name}"), val=int(on))


def drop_part(document, reltype_suffix: str) -> None:
    """Remove the main document's relationship to a part (e.g. stylesWithEffects) so it is not saved."""
    for rel_id, rel in list(document.part.rels.items()):
        if rel.reltype.endswith(reltype_suffix):
            del document.part.rels[rel_id]


def set_border(owner, side: str, eighths: int, color: str, space_pt: float = 0) -> None:
    """Draw a paragraph border on one side (top, bottom) with a width in eighths of a point."""
    pbdr = _child(_ppr(owner), "w:pBdr")
    _set(_child(pbdr, f"w:{side}"), val="single", sz=eighths, space=round(space_pt), color=color)


# Fields -------------------------------------------------------------------
def add_page_field(paragraph: Paragraph) -> None:
    """Append a PAGE field to a paragraph, showing 1 until the reader updates it."""
    for kind, text in (("begin", None), ("instr", " PAGE "), ("separate", None), ("text", "1"), ("end", None)):
        run = paragraph.add_run()
        if kind == "instr":
            instr = _child(run._r, "w:instrText")
            instr.text = text
            instr.set(qn("xml:space"), "preserve")
        elif kind == "text":
            run.text = text
        else:
            _set(_child(run._r, "w:fldChar"), fldCharType=kind)


# Drawing ------------------------------------------------------------------
_ANCHOR = (
    '<wp:anchor {ns} distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="{z}"'
    ' behindDoc="{behind}" locked="1" layoutInCell="1" allowOverlap="1">'
    '<wp:simplePos x="0" y="0"/>'
    '<wp:positionH relativeFrom="page"><wp:posOffset>{x}</wp:posOffset></wp:positionH>'
    '<wp:positionV relativeFrom="page"><wp:posOffset>{y}</wp:posOffset></wp:positionV>'
    '<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
    '<wp:docPr id="{id}" name="{name}"/><wp:cNvGraphicFramePr/>'
    '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
    "{shape}</a:graphicData></a:graphic></wp:anchor>"
)
_NS = nsdecls("wp", "a", "w") + (
    ' xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
    ' xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
)


def _anchor_run(paragraph: Paragraph, shape: str, box_mm: tuple, shape_id: int, name: str, behind=0) -> None:
    x, y, cx, cy = (mm_to_emu(v) for v in box_mm)
    anchor = _ANCHOR.format(ns=_NS, z=251658240 + shape_id, behind=behind, x=x, y=y, cx=cx, cy=cy,
                            id=shape_id, name=name, shape=shape)
    choice = (f'<mc:AlternateContent {_NS}><mc:Choice Requires="wps"><w:drawing>{anchor}'
              "</w:drawing></mc:Choice></mc:AlternateContent>")
    paragraph.add_run()._r.append(parse_xml(choice))


def add_page_line(paragraph: Paragraph, x_mm, y_mm, length_mm, width_pt, color, shape_id) -> None:
    """Anchor a horizontal line to the page: x, y of its left end (centre of the stroke)."""
    width = round(width_pt * 12700)
    shape = (
        '<wps:wsp><wps:cNvCnPr/><wps:spPr><a:xfrm><a:off x="0" y="0"/>'
        f'<a:ext cx="{mm_to_emu(length_mm)}" cy="0"/></a:xfrm>'
        '<a:prstGeom prst="line"><a:avLst/></a:prstGeom>'
        f'<a:ln w="{width}"><a:solidFill><a:srgbClr val="{color}"/></a:solidFill></a:ln>'
        "</wps:spPr><wps:bodyPr/></wps:wsp>"
    )
    _anchor_run(paragraph, shape, (x_mm, y_mm, length_mm, 0), shape_id, f"红线{shape_id}")


def set_page_frame(paragraph: Paragraph, y_mm: float, width_mm: float, height_mm: float) -> None:
    """Make a paragraph a text frame centred on the page, its top y_mm below the page top.

    Text flows through the frame, so a frame in a header never pushes the body down.
    """
    frame = _child(_ppr(paragraph), "w:framePr")
    _set(frame, w=mm_to_twips(width_mm), h=mm_to_twips(height_mm), hRule="exact", wrap="through",
         vAnchor="page", hAnchor="page", xAlign="center", y=mm_to_twips(y_mm))


# Tables -------------------------------------------------------------------
def set_table_borders(table, **sides: tuple[int, str] | None) -> None:
    """Set table borders: side=(eighths of a point, colour) or None for no line."""
    tbl_pr = table._tbl.tblPr
    borders = _child(tbl_pr, "w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        spec = sides.get(side)
        element = _child(borders, f"w:{side}")
        if spec is None:
            _set(element, val="nil")
        else:
            _set(element, val="single", sz=spec[0], space=0, color=spec[1])


def set_cell_borders(cell, **sides: tuple[int, str] | None) -> None:
    """Override a cell's borders: side=(eighths of a point, colour) or None for no line."""
    borders = _child(cell._tc.get_or_add_tcPr(), "w:tcBorders")
    for side, spec in sides.items():
        element = _child(borders, f"w:{side}")
        _set(element, **({"val": "nil"} if spec is None else {"val": "single", "sz": spec[0], "space": 0,
                                                               "color": spec[1]}))


def remove_table_borders(table) -> None:
    """Draw no line of a table, in the table's own borders and in every cell's."""
    set_table_borders(table)
    for tc_borders in table._tbl.iter(qn("w:tcBorders")):
        tc_borders.getparent().remove(tc_borders)


def set_table_geometry(table, width_mm: float, column_mm: list[float], side_margin_mm: float = 0) -> None:
    """Fix a table's width, column widths and side cell margins, its edges flush with the text margins."""
    tbl_pr = table._tbl.tblPr
    _set(_child(tbl_pr, "w:tblW"),
         w=mm_to_twips(width_mm), type="dxa")
    _set(_child(tbl_pr, "w:tblLayout"), type="fixed")
    _set(_child(tbl_pr, "w:tblInd"), w=mm_to_twips(side_margin_mm), type="dxa")
    margins = _child(tbl_pr, "w:tblCellMar")
    for side in ("left", "right"):
        _set(_child(margins, f"w:{side}"), w=mm_to_twips(side_margin_mm), type="dxa")
    for col, mm in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), column_mm):
        _set(col, w=mm_to_twips(mm))
    for row in table.rows:
        for cell, mm in zip(row.cells, column_mm):
            _set(_child(cell._tc.get_or_add_tcPr(), "w:tcW"), w=mm_to_twips(mm), type="dxa")


def repeat_as_header(row) -> None:
    """Repeat a table row at the top of every page the table runs onto."""
    _set(_child(row._tr.get_or_add_trPr(), "w:tblHeader"), val=1)


def keep_row_on_one_page(row) -> None:
    """Forbid a table row from breaking across pages."""
    _set(_child(row._tr.get_or_add_trPr(), "w:cantSplit"), val=1)


def float_table_to_bottom(table, left_mm: float) -> None:
    """Float a table to the bottom of the text area, its left edge left_mm from the page edge (版记)."""
    tbl_pr = table._tbl.tblPr
    pos = _child(tbl_pr, "w:tblpPr")
    _set(pos, leftFromText=0, rightFromText=0, topFromText=0, bottomFromText=0,
         vertAnchor="margin", horzAnchor="page", tblpX=mm_to_twips(left_mm), tblpYSpec="bottom")
    _set(_child(tbl_pr, "w:tblOverlap"), val="never")


# Post-processing of rendered documents --------------------------------------
_AMBIGUOUS_RE = re.compile(f"([{AMBIGUOUS_PUNCTUATION}]+)")


def isolate_east_asian_punctuation(root) -> None:
    """Split runs so full-width quotes, dashes and ellipses get the East-Asian font in every slot."""
    for text in list(root.iter(qn("w:t"))):
        if not _AMBIGUOUS_RE.search(text.text or ""):
            continue
        run = text.getparent()
        if run.tag != qn("w:r") or len(run.findall(qn("w:t"))) != 1:
            continue
        _split_run(run, text)


def _split_run(run, text) -> None:
    pieces = [p for p in _AMBIGUOUS_RE.split(text.text) if p]
    for piece in pieces:
        clone = copy.deepcopy(run)
        clone.find(qn("w:t")).text = piece
        clone.find(qn("w:t")).set(qn("xml:space"), "preserve")
        if _AMBIGUOUS_RE.fullmatch(piece):
            _mark_east_asian(clone)
        run.addprevious(clone)
    run.getparent().remove(run)


def _mark_east_asian(run) -> None:
    rpr = run.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        run.insert(0, rpr)
    rfonts = _child(rpr, "w:rFonts")
    _set(rfonts, hint="eastAsia")


def remove_empty_runs(root) -> None:
    """Remove runs whose only text is empty, left behind by template variables."""
    for text in list(root.iter(qn("w:t"))):
        run = text.getparent()
        if not text.text and run.tag == qn("w:r") and len(run) <= 2 and run.find(qn("w:br")) is None:
            if all(child.tag in (qn("w:rPr"), qn("w:t")) for child in run):
                run.getparent().remove(run)


def story_roots(document) -> list:
    """Return the XML roots of the body and of every header and footer part."""
    roots = [document.element.body]
    for rel in document.part.rels.values():
        if rel.reltype.endswith(("/header", "/footer")):
            roots.append(rel.target_part.element)
    return roots


def clear_body(document) -> None:
    """Remove every paragraph and table from a document body, keeping its section properties."""
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def paragraphs_with_style(root, style_id: str, parent) -> list[Paragraph]:
    """Return the paragraphs under root (body, header or footer) whose style id is style_id."""
    found = root.xpath(f'.//w:p[w:pPr/w:pStyle/@w:val="{style_id}"]')
    return [Paragraph(p, parent) for p in found]


def body_paragraphs_with_style(document, style_id: str) -> list[Paragraph]:
    """Return the body's own paragraphs (not those in tables) whose style id is style_id, in order."""
    body = document.element.body
    return [Paragraph(p, document._body) for p in body.xpath(f'./w:p[w:pPr/w:pStyle/@w:val="{style_id}"]')]


def detach_floating_tables(document) -> list:
    """Remove the body's floating tables (the 版记) and the paragraphs after them; return them in order."""
    body = document.element.body
    tables = body.xpath("./w:tbl[w:tblPr/w:tblpPr]")
    if not tables:
        return []
    start = list(body).index(tables[0])
    detached = [child for child in list(body)[start:] if child.tag != qn("w:sectPr")]
    for child in detached:
        body.remove(child)
    return detached


def append_to_body(document, elements: list) -> None:
    """Append elements at the end of the body, before its section properties."""
    sect_pr = document.element.body.find(qn("w:sectPr"))
    for element in elements:
        sect_pr.addprevious(element)
