"""Read a .docx into the lines and tables a clerk sees, in reading order, for recognising its elements."""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from .patterns import is_red_colour, pushed_right
from .standard import NS, R_NS, w
from .wordml import Docx, justification, own_runs, run_text


@dataclass
class Line:
    """Hold one line of text: what it says, where it came from, and the layout cues a typist left.

    paragraph is the 1-based number of the .docx paragraph among all of the main part's paragraphs (table
    cells included; 0 in a header), or the line of a text draft. A soft line break splits a paragraph
    into several lines with the same number. page_break: a page (or section) break comes before it.
    """

    text: str
    paragraph: int = 0
    align: str = ""
    page_break: bool = False
    header: bool = False
    red: bool = False
    level: int = 0  # a heading level the draft marked up (Markdown ##), 0 when none


@dataclass
class Grid:
    """Hold a table: its cells' texts row by row (a merged cell's text repeated), and its lines."""

    rows: list[list[str]]
    paragraph: int = 0
    lines: list[Line] = field(default_factory=list)
    merged_columns: list[int] = field(default_factory=list)
    page_break: bool = False


def docx_blocks(doc: Docx) -> list[Line | Grid]:
    """Return the document's header lines (first-page or default) then its body's lines and tables."""
    numbers = doc.numbers
    out: list[Line | Grid] = [line for p in _first_header(doc) for line in _lines(doc, p, 0, header=True)]
    broken = False
    body = doc.document.find("w:body", NS)
    for child in (body if body is not None else []):
        if child.tag == w("p"):
            lines = _lines(doc, child, numbers[child])
            if lines and broken:
                lines[0].page_break = True
            broken = _breaks_after(child) if lines else broken or _breaks_after(child)
            out += lines
        elif child.tag == w("tbl"):
            out.append(_grid(doc, child, numbers, broken))
            broken = False
    return out


def _first_header(doc: Docx) -> list:
    """Return the paragraphs of the header the first page shows (the first section's first or default)."""
    if not doc.sections:
        return []
    refs = {r.get(w("type")): r.get(f"{{{R_NS}}}id") for r in doc.sections[0].findall("w:headerReference", NS)}
    rid = refs.get("first") if doc.sections[0].find("w:titlePg", NS) is not None else None
    rels = etree.fromstring(doc.files["word/_rels/document.xml.rels"])
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    name = "word/" + targets.get(rid or refs.get("default"), "").lstrip("/").removeprefix("word/")
    return list(doc.xml(name).iter(w("p"))) if name in doc.files else []


def _lines(doc: Docx, p, number: int, header: bool = False) -> list[Line]:
    """Return a paragraph's lines (split at soft breaks); none for an empty paragraph."""
    text = "".join(run_text(r) for r in own_runs(p))
    align = justification(doc, p)
    before = p.find("w:pPr/w:pageBreakBefore", NS) is not None and \
        p.find("w:pPr/w:pageBreakBefore", NS).get(w("val"), "true") not in ("0", "false")
    red = _is_red(p)
    parts = [part for part in text.replace("\r", "\n").split("\n")]
    lines = [Line(t, number, "right" if align in ("", "left", "both", "start") and pushed_right(t) else align, False,
                  header, red) for t in parts if t.strip()]
    if lines and (before or _page_break_inside(p, lines[0].text)):
        lines[0].page_break = True
    return lines


def _page_break_inside(p, first: str) -> bool:
    """Return True when a page break comes before the paragraph's text (a break typed at its start)."""
    for r in own_runs(p):
        for el in r:
            if el.tag == w("br") and el.get(w("type")) == "page":
                return True
            if el.tag == w("t") and (el.text or "").strip():
                return False
    return False


def _breaks_after(p) -> bool:
    """Return True when the paragraph ends with a page break or a next-page section break."""
    sect = p.find("w:pPr/w:sectPr", NS)
    if sect is not None:
        kind = sect.find("w:type", NS)
        return kind is None or kind.get(w("val")) in ("nextPage", "oddPage", "evenPage")
    seen_text = False
    last_break = False
    for r in own_runs(p):
        for el in r:
            if el.tag == w("br") and el.get(w("type")) == "page":
                last_break = seen_text
            elif el.tag == w("t") and (el.text or "").strip():
                seen_text, last_break = True, False
    return last_break


def _is_red(p) -> bool:
    """Return True when the paragraph's text runs are coloured red (a 发文机关标志)."""
    colours = [c.get(w("val"), "") for r in own_runs(p) for c in r.findall("w:rPr/w:color", NS)]
    return bool(colours) and all(is_red_colour(c) for c in colours)


def _grid(doc: Docx, tbl, numbers: dict, broken: bool) -> Grid:
    """Return a table's rows (vertically merged cells repeat the text above) and its cell lines."""
    rows, lines, merged, first = [], [], set(), 0
    for tr in tbl.findall("w:tr", NS):
        row = []
        for tc in tr.findall("w:tc", NS):
            paras = list(tc.iter(w("p")))
            first = first or (numbers.get(paras[0], 0) if paras else 0)
            for p in paras:
                lines += _lines(doc, p, numbers.get(p, 0))
            text = "\n".join("".join(run_text(r) for r in own_runs(p)) for p in paras).strip()
            merge = tc.find("w:tcPr/w:vMerge", NS)
            if merge is not None and merge.get(w("val"), "continue") == "continue" and rows:
                column = len(row)
                above = rows[-1][column] if column < len(rows[-1]) else ""
                text, _ = above, merged.add(column)
            span = tc.find("w:tcPr/w:gridSpan", NS)
            width = int(span.get(w("val"), "1")) if span is not None and span.get(w("val"), "1").isdigit() else 1
            row += [text] + [""] * (min(width, 64) - 1)
        rows.append(row)
    return Grid(rows, first, lines, sorted(merged), broken)
