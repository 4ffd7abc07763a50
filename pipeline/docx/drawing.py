"""Anchor pictures to paragraphs (seals, signature stamps) as floating images over the text; touches XML."""

from __future__ import annotations

import io

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Mm
from docx.text.paragraph import Paragraph

from ..core.units import mm_to_emu

_ANCHOR = (
    '<wp:anchor {ns} distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="{z}"'
    ' behindDoc="0" locked="1" layoutInCell="1" allowOverlap="1">'
    '<wp:simplePos x="0" y="0"/>'
    '<wp:positionH relativeFrom="margin"><wp:posOffset>{x}</wp:posOffset></wp:positionH>'
    '<wp:positionV relativeFrom="paragraph"><wp:posOffset>{y}</wp:posOffset></wp:positionV>'
    '<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
    '<wp:docPr id="{id}" name="{name}"/><wp:cNvGraphicFramePr/></wp:anchor>'
)


def float_picture(paragraph: Paragraph, data: bytes, box_mm: tuple[float, float, float, float], name: str) -> None:
    """Float a picture over the text, anchored to paragraph.

    box_mm is (x from the left margin, y from the top of the paragraph, width, height); the picture moves
    with its paragraph from page to page and never pushes text aside.
    """
    x, y, width, height = box_mm
    inline = paragraph.part.new_pic_inline(io.BytesIO(data), Mm(width), Mm(height))
    shape_id = inline.docPr.id
    anchor = parse_xml(_ANCHOR.format(ns=nsdecls("wp", "a", "pic", "r"), z=251659264 + shape_id, x=mm_to_emu(x),
                                      y=mm_to_emu(y), cx=mm_to_emu(width), cy=mm_to_emu(height), id=shape_id,
                                      name=name))
    anchor.append(inline.graphic)
    drawing = parse_xml(f"<w:drawing {nsdecls('w')}/>")
    drawing.append(anchor)
    paragraph.add_run()._r.append(drawing)
