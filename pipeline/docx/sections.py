"""Turn pages landscape (横排表格) with their page numbers rotated where portrait pages have them, and break sections."""

from __future__ import annotations

import copy

from docx.enum.section import WD_HEADER_FOOTER, WD_ORIENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.section import Section
from docx.shared import Mm

from ..core import gbt9704 as L
from ..core.units import TWIPS_PER_PT, mm_to_emu, pt_to_mm

# A landscape page is bound as the portrait page turned a quarter counter-clockwise (its top edge on the
# portrait page's left), on odd and even pages alike: so the table's head lies at the binding edge (订口)
# of odd pages and at the outer edge (切口) of even ones, and the book, turned clockwise once, shows two
# facing tables upright. Landscape (X, Y) is portrait (x = Y, y = 297 − X); the 版心 stays where it is:
# the 订口 (28 mm) is the top, the portrait bottom margin (35 mm) the left, the 天头 (37 mm) the right.
LANDSCAPE_MARGINS_MM = {"top": L.MARGIN_LEFT_MM, "bottom": L.MARGIN_RIGHT_MM,
                        "left": L.MARGIN_BOTTOM_MM, "right": L.MARGIN_TOP_MM}
LANDSCAPE_TEXT_WIDTH_MM = L.PAGE_HEIGHT_MM - L.MARGIN_BOTTOM_MM - L.MARGIN_TOP_MM  # 225
NUMBER_BOX_SLACK_MM = 1.0  # room beyond the 14 pt line, on the side away from the 版心
BREAK_MARK_PT = 1  # the paragraph that carries a section break, as small as the 文末 mark
NUMBER_ROTATION = "vert"  # the number reads as on the portrait page: turned clockwise on the landscape page
_NS = nsdecls("wp", "a", "w") + (
    ' xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
    ' xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
)
_BOX = (
    '<w:r {ns}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
    '<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="{z}" behindDoc="0"'
    ' locked="1" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
    '<wp:positionH relativeFrom="page"><wp:posOffset>{x}</wp:posOffset></wp:positionH>'
    '<wp:positionV relativeFrom="page"><wp:posOffset>{y}</wp:posOffset></wp:positionV>'
    '<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
    '<wp:docPr id="{id}" name="页码{id}"/><wp:cNvGraphicFramePr/>'
    '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
    '<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
    '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr>'
    "<wps:txbx><w:txbxContent/></wps:txbx>"
    '<wps:bodyPr rot="0" vert="{vert}" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="t" anchorCtr="0"'
    ' upright="0"><a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic></wp:anchor>'
    "</w:drawing></mc:Choice></mc:AlternateContent></w:r>"
)


def number_box_mm() -> tuple[float, float, float, float]:
    """Return the page-number box (x, y, width, height in mm) on a landscape page: the portrait footer line, turned.

    On the portrait page the number line's top is 7 mm below the 版心 and the line runs across the 版心, the
    number right (odd pages) or left (even) 1 character in. Turned, the line runs down the landscape page's
    left edge (x = 297 − y, y = x); the box's right edge is the top of the number's characters, 7 mm from
    the landscape 版心. Odd numbers so end near the bottom-left corner, even ones start near the top-left.
    """
    top = L.PAGE_HEIGHT_MM - L.MARGIN_BOTTOM_MM + L.PAGE_NUMBER_BELOW_TEXT_MM  # 269 mm on the portrait page
    depth = pt_to_mm(L.SIZE_4HAO) + NUMBER_BOX_SLACK_MM
    start, end = L.MARGIN_LEFT_MM, L.PAGE_WIDTH_MM - L.MARGIN_RIGHT_MM
    return L.PAGE_HEIGHT_MM - top - depth, start, depth, end - start


# Page geometry ------------------------------------------------------------------
def set_landscape(section: Section) -> None:
    """Turn a section's A4 page landscape (297 × 210 mm) with the portrait margins rotated; grid kept."""
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(L.PAGE_HEIGHT_MM), Mm(L.PAGE_WIDTH_MM)
    margins = LANDSCAPE_MARGINS_MM
    section.top_margin, section.bottom_margin = Mm(margins["top"]), Mm(margins["bottom"])
    section.left_margin, section.right_margin = Mm(margins["left"]), Mm(margins["right"])
    section.footer_distance = Mm(margins["bottom"] - pt_to_mm(L.SIZE_4HAO))


def _copy_page(source, target) -> None:
    """Give the sectPr target the paper size and margins of the sectPr source."""
    for tag in ("w:pgSz", "w:pgMar"):
        old, new = target.find(qn(tag)), copy.deepcopy(source.find(qn(tag)))
        old.addprevious(new)
        target.remove(old)


# Page numbers ---------------------------------------------------------------------
def _next_shape_id(document) -> int:
    roots = [document.element] + [rel.target_part.element for rel in document.part.rels.values()
                                  if rel.reltype.endswith(("/header", "/footer"))]
    ids = [int(v) for root in roots for v in root.xpath(".//wp:docPr/@id") if str(v).isdigit()]
    return max(ids, default=0) + 1


def _fill_rotated(footer_root, numbers: list, shape_id: int) -> None:
    """Fill an emptied footer with one tiny paragraph anchoring the rotated box that holds the number paragraphs."""
    x, y, cx, cy = (mm_to_emu(v) for v in number_box_mm())
    box = parse_xml(_BOX.format(ns=_NS, z=251659264 + shape_id, x=x, y=y, cx=cx, cy=cy, id=shape_id,
                                vert=NUMBER_ROTATION))
    content = box.find(".//" + qn("w:txbxContent"))
    for paragraph in numbers:
        content.append(copy.deepcopy(paragraph))
    anchor = _mark_paragraph()
    anchor.append(box)
    footer_root.append(anchor)


def _footer_root(document, sect_pr, odd: bool):
    """Return the w:ftr of a section's odd (default) or even footer, or None when it has none of its own.

    Looked up through the relationship itself: docxtpl replaces rendered footer parts behind python-docx's cache.
    """
    kind = "default" if odd else "even"
    for ref in sect_pr.findall(qn("w:footerReference")):
        if ref.get(qn("w:type")) == kind:
            return document.part.rels[ref.get(qn("r:id"))].target_part.element
    return None


def _own_footer(document, sect_pr, odd: bool):
    """Return the w:ftr of a section's odd or even footer, adding a new empty footer part when it has none."""
    root = _footer_root(document, sect_pr, odd)
    if root is None:
        part, rel_id = document.part.add_footer_part()
        sect_pr.add_footerReference(WD_HEADER_FOOTER.PRIMARY if odd else WD_HEADER_FOOTER.EVEN_PAGE, rel_id)
        root = part.element
    for child in list(root):
        root.remove(child)
    return root


def _number_paragraphs(document, sect_pr, odd: bool) -> list:
    """Return copies of the paragraphs of a portrait section's odd or even footer (the '— N —' line)."""
    root = _footer_root(document, sect_pr, odd)
    return [] if root is None else [copy.deepcopy(p) for p in root.findall(qn("w:p"))]


def rotate_page_numbers(document, section: Section, odd_source: list, even_source: list) -> None:
    """Give a landscape section odd and even footers whose page number is turned with the page."""
    section.different_first_page_header_footer = False
    shape_id = _next_shape_id(document)
    for source, odd in ((odd_source, True), (even_source, False)):
        _fill_rotated(_own_footer(document, section._sectPr, odd), source, shape_id)
        shape_id += 1


def turn_landscape(document) -> None:
    """Turn a one-section document (an annex) landscape, its portrait page numbers rotated into place."""
    section = document.sections[-1]
    odd, even = (_number_paragraphs(document, section._sectPr, side) for side in (True, False))
    set_landscape(section)
    rotate_page_numbers(document, section, odd, even)


# Section breaks in a composed document ---------------------------------------------------
def _mark_paragraph(sect_pr=None):
    """Return an empty 1 pt paragraph off the line grid; with sect_pr, it ends a section with those properties."""
    paragraph = OxmlElement("w:p")
    ppr = OxmlElement("w:pPr")
    paragraph.append(ppr)
    snap, spacing, rpr, size = (OxmlElement(t) for t in ("w:snapToGrid", "w:spacing", "w:rPr", "w:sz"))
    snap.set(qn("w:val"), "0")
    line = round(BREAK_MARK_PT * TWIPS_PER_PT)
    for key, value in (("before", 0), ("after", 0), ("line", line), ("lineRule", "exact")):
        spacing.set(qn(f"w:{key}"), str(value))
    size.set(qn("w:val"), str(BREAK_MARK_PT * 2))
    rpr.append(size)
    for child in (snap, spacing, rpr, sect_pr):
        if child is not None:
            ppr.append(child)
    return paragraph


def start_section(document, landscape: bool, before=None) -> None:
    """End the current section here (or just before the paragraph before) and start a new page in a new
    one: portrait or landscape, numbers continued.

    The new section has no first-page footer and takes the first section's odd and even page numbers
    (rotated when landscape); headers are inherited, page numbering is not restarted.
    """
    body = document.element.body
    current = body.find(qn("w:sectPr"))
    (current if before is None else before._p).addprevious(_mark_paragraph(copy.deepcopy(current)))
    first = document.sections[0]
    odd, even = (_number_paragraphs(document, first._sectPr, side) for side in (True, False))
    for ref in current.findall(qn("w:headerReference")) + current.findall(qn("w:footerReference")):
        current.remove(ref)
    for tag in ("w:titlePg", "w:pgNumType", "w:type"):
        for element in current.findall(qn(tag)):
            current.remove(element)
    section = Section(current, document.part)
    if landscape:
        set_landscape(section)
        rotate_page_numbers(document, section, odd, even)
        return
    _copy_page(first._sectPr, current)
    for source, side in ((odd, True), (even, False)):
        root = _own_footer(document, current, side)
        for paragraph in source:
            root.append(paragraph)



def append_on_portrait_page(document, elements: list) -> None:
    """End a landscape section and append elements (the floating 版记) on a portrait page after it.

    An empty paragraph opens the portrait section: a section holding only a floating table is folded
    into the page before it by LibreOffice.
    """
    start_section(document, False)
    body = document.element.body
    sect_pr = body.find(qn("w:sectPr"))
    for element in [OxmlElement("w:p"), *elements]:
        sect_pr.addprevious(element)
