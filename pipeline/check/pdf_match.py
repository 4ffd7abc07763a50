"""Find the expected paragraphs of a notice among the text lines of its rendered PDF."""

from __future__ import annotations

from pathlib import Path

from .expected import Expected, expected_sequence, match_spans
from .pdf_model import Line, Pdf, load_pdf
from .standard import PAGE_NUMBER_RE, squash


def text_lines(pdf: Pdf) -> list[Line]:
    """Return every text line except the page numbers, in reading order."""
    return [ln for ln in pdf.lines() if not PAGE_NUMBER_RE.match(ln.text.strip())]


def matched_lines(pdf: Pdf, data: dict) -> list[tuple[Expected, list[Line] | None]]:
    """Pair each expected paragraph (number … 版记) with its PDF lines, clipped to its own characters."""
    lines = text_lines(pdf)
    items = expected_sequence(data)
    hits = match_spans([ln.text for ln in lines], items)
    return [(item, [clip(lines[u], a, b) for u, a, b in hit] if hit else None) for item, hit in zip(items, hits)]


def clip(line: Line, first: int, end: int) -> Line:
    """Return the part of a line from its first-th to its end-th non-space character (x by character share)."""
    total = len(squash(line.text))
    if first == 0 and end == total:
        return line
    boxes = _char_boxes(line)[first:end]
    return Line(line.page, squash(line.text)[first:end], boxes[0][0], min(b[1] for b in boxes),
                boxes[-1][2], max(b[3] for b in boxes))


def _char_boxes(line: Line) -> list[tuple[float, float, float, float]]:
    """Return the box of each non-space character, sharing each word's width evenly."""
    out = []
    for word in line.words or [line]:
        chars = squash(word.text)
        step = (word.x1 - word.x0) / max(1, len(chars))
        out += [(word.x0 + i * step, word.y0, word.x0 + (i + 1) * step, word.y1) for i in range(len(chars))]
    return out


def lines_of(pdf: Pdf, data: dict, kind: str) -> list[Line] | None:
    """Return the lines of the first expected paragraph of a kind."""
    return next((lines for item, lines in matched_lines(pdf, data) if item.kind == kind), None)


def all_of(pdf: Pdf, data: dict, kind: str) -> list[tuple[Expected, list[Line] | None]]:
    """Return every expected paragraph of a kind with its lines."""
    return [(item, lines) for item, lines in matched_lines(pdf, data) if item.kind == kind]


BODY_KINDS = ("addressee", "body", "center", "closing", "annex", "attendance", "signer_title", "signature",
              "proxy_seal", "date", "note", "publication")


def main_lines(pdf_path: Path, data: dict) -> list[tuple[Expected, list[Line] | None]]:
    """Pair each 主体 paragraph (主送机关 … 附注) with its PDF lines."""
    return [(item, lines) for item, lines in matched_lines(load_pdf(pdf_path), data) if item.kind in BODY_KINDS]


SIGNING_KINDS = ("signer_title", "signature", "proxy_seal", "date")


def last_text_line(pdf: Pdf, data: dict) -> Line | None:
    """Return the last line of the body, closing or 附件说明 before the signature (where seals hang from)."""
    last = None
    for item, lines in matched_lines(pdf, data):
        if item.kind in SIGNING_KINDS:
            break
        last = lines[-1] if lines and item.kind in ("body", "center", "closing", "annex", "attendance") else last
    return last
