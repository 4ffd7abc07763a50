"""Turn body lines and tables into notice body items: paragraphs, numbered headings, centred lines, tables."""

from __future__ import annotations

from typing import Callable

from . import patterns as P
from .reading import Grid, Line



def body_items(blocks: list[Line | Grid], add: Callable) -> list:
    """Return the body items of blocks, recording each as an element through add(element, line, confidence)."""
    return [_item(b, add) for b in blocks if not isinstance(b, Grid) or b.rows]


def annex_items(blocks: list[Line | Grid], add: Callable) -> list:
    """Return an annex's body items (the same reading as a notice body)."""
    return body_items(blocks, add)


def _item(b: Line | Grid, add: Callable):
    if isinstance(b, Grid):
        add("table", Line(f"表格 {len(b.rows)} 行", b.paragraph), 0.9)
        return {"table": grid_table(b)}
    text = P.collapse(b.text)
    found = P.heading(text)
    if found:
        return _numbered(b, found, add)
    if b.level:
        add(f"heading{b.level}", b, 0.8)
        return {f"h{b.level}": text}
    if b.align == "center" and P.looks_like_name(text):
        add("center", b, 0.7)
        return {"center": text}
    add("body", b, 0.8)
    return text


def _numbered(b: Line, found: tuple[int, str, str], add: Callable) -> dict:
    """Return a numbered paragraph: a heading alone, a run-in heading sentence with text, or numbered text."""
    level, number, rest = found
    head, text = P.split_heading(rest)
    if not head:
        add("body", b, 0.7)
        return {f"n{level}": text, "number": number}
    add(f"heading{level}", b, 0.9 if text or len(head) <= P.HEAD_MAX else 0.7)
    return {f"h{level}": head, "text": text, "number": number} if text else {f"h{level}": head, "number": number}


def grid_table(grid: Grid) -> dict:
    """Return a table item: its first row as the columns, the others as rows, merged columns named."""
    width = max(len(r) for r in grid.rows)  # every column kept: the notice file refuses more than it prints
    rows = [(r + [""] * width)[:width] for r in grid.rows]
    columns = [c.strip() or f"列{i}" for i, c in enumerate(rows[0], start=1)]
    table = {"columns": columns, "rows": [[c.strip() for c in r] for r in rows[1:]]}
    merged = [columns[i] for i in grid.merged_columns if i < width]
    return {**table, "merge": merged} if merged else table
