"""Read the tables of a returned Word document as grids of text, in time linear in their size.

python-docx's row.cells expands every horizontal span into the row and walks up for every vertically
merged cell, which is quadratic on a long merged column and unbounded on a huge span; this reader
walks each row once, keeping the text above each grid column, and refuses spans and row counts past
the caller's limits.
"""

from __future__ import annotations

from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph


class TableLimit(Exception):
    """Report a table past a limit: kind is 'span' (a cell too wide), 'columns' or 'rows'."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


def table_grid(tbl, max_span: int, max_rows: int, max_columns: int) -> list[list[str]]:
    """Return a table's rows as text on its grid: a spanning cell fills each column it covers, a vertically
    merged cell repeats the text of the cell it continues."""
    rows, above = [], {}
    for number, tr in enumerate(tbl.iterchildren(qn("w:tr")), start=1):
        if number > max_rows:
            raise TableLimit("rows")
        row = _row(tr, above, max_span, max_columns)
        above = dict(enumerate(row))
        rows.append(row)
    return rows


def _row(tr, above: dict[int, str], max_span: int, max_columns: int) -> list[str]:
    column = _grid_value(tr.find(qn("w:trPr")), "gridBefore")
    if column > max_span:
        raise TableLimit("span")
    row = [""] * column
    for tc in tr.iterchildren(qn("w:tc")):
        tc_pr = tc.find(qn("w:tcPr"))
        span = _grid_value(tc_pr, "gridSpan") or 1
        if span > max_span:
            raise TableLimit("span")
        if column + span > max_columns:
            raise TableLimit("columns")
        text = above.get(column, "") if _continues(tc_pr) else cell_text(tc)
        row.extend([text] * span)
        column += span
    return row


def _grid_value(props, tag: str) -> int:
    element = props.find(qn(f"w:{tag}")) if props is not None else None
    if element is None:
        return 0
    try:
        return max(0, int(element.get(qn("w:val"), "0")))
    except ValueError:
        return 0


def _continues(tc_pr) -> bool:
    """Tell whether a cell continues a vertical merge (w:vMerge without val, or val='continue')."""
    merge = tc_pr.find(qn("w:vMerge")) if tc_pr is not None else None
    return merge is not None and merge.get(qn("w:val"), "continue") == "continue"


def cell_text(tc) -> str:
    """Return a cell's text: its own paragraphs joined by line breaks (nested tables left out)."""
    return "\n".join(Paragraph(p, None).text for p in tc.iterchildren(qn("w:p")))


def body_tables(document) -> list:
    """Return the w:tbl elements at the top level of a document's body."""
    return list(document.element.body.iterchildren(qn("w:tbl")))
