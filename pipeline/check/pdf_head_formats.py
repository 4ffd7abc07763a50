"""Check the 版头 on the rendered first page for each format: mark position, joint marks, red lines, 令号, 签发人."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from .expected import mark_lines, signer_lines
from .pdf_match import lines_of, matched_lines
from .pdf_model import Line, Pdf, Rule, dark_mask, ink_columns, ink_rows, load_pdf, red_mask, rules
from .standard import (near, DOC_MARK_TOL, DOC_MARK_TOP, FACE_TOL, LEFT, LETTER_BOTTOM_LINE, LETTER_LINE_X,
                       LETTER_MARK_TOP, LETTER_NUMBER_DROP, LINE_MM, LINE_PITCH, MARK_TOL, MINUTES_MARK_TOP,
                       ORDER_MARK_TOP, PAGE_H, POS_TOL, PX_PER_MM, RULE_GAP, TEXT_CENTRE, TEXT_RIGHT)

MARK_TOPS = {"信函格式": (LETTER_MARK_TOP, MARK_TOL), "文件格式": (DOC_MARK_TOP, DOC_MARK_TOL),
             "命令格式": (ORDER_MARK_TOP, DOC_MARK_TOL), "纪要格式": (MINUTES_MARK_TOP, DOC_MARK_TOL)}


def pdf_head(pdf_path: Path, fmt: str, data: dict) -> list[str]:
    """版头 on page 1: mark position per format, red lines, 发文字号 (令号) position."""
    pdf = load_pdf(pdf_path)
    number = lines_of(pdf, data, "number")
    red, dark = red_mask(pdf.raster(1)), dark_mask(pdf.raster(1))
    if fmt == "命令格式":
        return order_head(pdf, data, red)
    if fmt == "纪要格式":
        return _mark_faults(red, head_limit(pdf, data), *MARK_TOPS[fmt])
    if not number:
        return [f"发文字号 {data['number']!r} not found in the PDF"]
    if fmt == "信函格式":
        return letter_head(red, number[0], dark)
    above = len(signer_lines(data)) - 1 if data.get("signers") else 0  # 签发人 lines above the number's
    return document_head(red, number[0], dark, centred=not data.get("signers"), lines_above=above)


def head_limit(pdf: Pdf, data: dict) -> float:
    """Return the y (mm) of the first text line under the mark on page 1 (number, title or body)."""
    tops = [lines[0].mm("y0") for _, lines in matched_lines(pdf, data) if lines and lines[0].page == 1]
    return min(tops) if tops else PAGE_H / 2


def _mark_faults(red: Image.Image, above_mm: float, want_top: float, tol: float) -> list[str]:
    ink = ink_rows(red, 0, above_mm)
    if ink is None:
        return ["no red 发文机关标志 found above the first text line"]
    out = near("发文机关标志 glyph top", ink[0], want_top, tol)
    cols = ink_columns(red, ink[0], ink[1])
    return out + near("发文机关标志 centre x", (cols[0] + cols[1]) / 2, TEXT_CENTRE, POS_TOL)


def letter_head(red: Image.Image, number: Line, dark: Image.Image) -> list[str]:
    """信函格式: mark top 30 mm; double lines 4 mm under it (thick over thin) and at 277 mm (thin over thick)."""
    lines = rules(red)
    top, bottom = [r for r in lines if r.y < PAGE_H / 2], [r for r in lines if r.y >= PAGE_H / 2]
    if len(top) != 2 or len(bottom) != 2:
        return [f"信函格式: want 2 red lines under the mark and 2 at the bottom, found {len(top)} and {len(bottom)}"]
    ink = ink_rows(red, 0, top[0].top)
    out = _mark_faults(red, top[0].top, LETTER_MARK_TOP, MARK_TOL)
    out += near("upper red double line below the mark", top[0].top - ink[1], RULE_GAP, POS_TOL) if ink else []
    out += _pair_faults("upper red double line", top, thick_first=True)
    out += _pair_faults("lower red double line", bottom, thick_first=False)
    out += near("lower red double line (thick) centre", bottom[1].y, LETTER_BOTTOM_LINE, POS_TOL)
    out += near("发文字号 right edge", number.mm("x1"), TEXT_RIGHT, POS_TOL)
    if number.mm("y0") <= top[1].bottom:
        return out + [f"发文字号 top {number.mm('y0'):.1f} mm not below the red lines ({top[1].bottom:.1f} mm)"]
    ink = ink_rows(dark, top[1].bottom, number.mm("y1"))
    return out + near("发文字号 ink top below the lower red line", ink[0] - top[1].bottom, LETTER_NUMBER_DROP, POS_TOL)


def _pair_faults(what: str, pair: list[Rule], thick_first: bool) -> list[str]:
    out = []
    for rule in pair:
        out += near(f"{what} left end", rule.x0, LETTER_LINE_X[0], POS_TOL)
        out += near(f"{what} right end", rule.x1, LETTER_LINE_X[1], POS_TOL)
    thick, thin = (pair[0], pair[1]) if thick_first else (pair[1], pair[0])
    if thick.thickness <= thin.thickness:
        order = "thick above thin" if thick_first else "thin above thick"
        out.append(f"{what}: want {order}, measured {pair[0].thickness:.2f} over {pair[1].thickness:.2f} mm")
    return out


def document_head(red: Image.Image, number: Line, dark: Image.Image, centred: bool = True,
                  lines_above: int = 0) -> list[str]:
    """文件格式: mark top 72 mm; 发文字号 two lines under it; red separator 4 mm under the 发文字号 across the 版心.

    lines_above counts the 签发人 lines standing above the number's own line (three or more 签发人).
    """
    below = [r for r in rules(red) if r.top > number.mm("y0")]
    if not below:
        return ["文件格式: no red separator under the 发文字号"]
    sep = below[0]
    out = _mark_faults(red, number.mm("y0"), DOC_MARK_TOP, DOC_MARK_TOL)
    out += two_lines_below("发文字号", red, number, lines_above)
    ink = ink_rows(dark, number.mm("y0"), sep.top)
    out += near("red separator below the 发文字号", sep.top - ink[1], RULE_GAP, POS_TOL) if ink else \
        ["发文字号 ink not found above the separator"]
    out += near("red separator left end", sep.x0, LEFT, POS_TOL)
    out += near("red separator right end", sep.x1, TEXT_RIGHT, POS_TOL)
    centre = (number.mm("x0") + number.mm("x1")) / 2
    return out + (near("发文字号 centre x", centre, TEXT_CENTRE, POS_TOL) if centred else [])


def two_lines_below(what: str, red: Image.Image, line: Line, lines_above: int = 0) -> list[str]:
    """A line two blank lines under the mark (after lines_above more): its top 2 to 3 lines below the mark's ink."""
    ink = ink_rows(red, 0, line.mm("y0"))
    if ink is None:
        return [f"no red mark above the {what}"]
    gap = line.mm("y0") - ink[1] - lines_above * LINE_MM
    if 2 * LINE_MM - POS_TOL <= gap < 3 * LINE_MM:
        return []
    return [f"{what} below the mark: {gap:.2f} mm, want two blank lines ({2 * LINE_MM - POS_TOL:.1f} to "
            f"{3 * LINE_MM:.1f} mm)"]


def order_head(pdf: Pdf, data: dict, red: Image.Image) -> list[str]:
    """命令格式: mark top 57 mm; 令号 centred two lines below it; body two lines below the 令号; no red rule."""
    number, out = lines_of(pdf, data, "number"), []
    out += [f"命令格式: a red rule at {r.y:.1f} mm (the 令 has no separator)" for r in rules(red)]
    if not number:
        return out + _mark_faults(red, head_limit(pdf, data), *MARK_TOPS["命令格式"]) + ["令号 not found in the PDF"]
    number = number[0]
    out += _mark_faults(red, number.mm("y0"), *MARK_TOPS["命令格式"]) + two_lines_below("令号", red, number)
    out += near("令号 centre x", number.centre()[0], TEXT_CENTRE, POS_TOL)
    first = next((lines[0] for item, lines in matched_lines(pdf, data)
                  if item.kind in ("title", "addressee", "body") and lines), None)
    if first is None:
        return out + ["命令格式: no body text found after the 令号"]
    gap = first.y0 - number.y0
    return out + near("命令格式 body first line below the 令号 (two blank lines)", gap, 3 * LINE_PITCH, FACE_TOL, "pt")


# --- joint marks (联合行文) -----------------------------------------------------------------
def pdf_joint_mark(pdf_path: Path, fmt: str, data: dict) -> list[str]:
    """Joint mark: the names stacked, each centred on the stack; the word right of it, centred vertically."""
    names, word = mark_lines(fmt, data)
    if len(names) < 2:
        return []
    pdf = load_pdf(pdf_path)
    red = red_mask(pdf.raster(1))
    ink = ink_rows(red, 0, head_limit(pdf, data))
    if ink is None:
        return ["no red 发文机关标志 found"]
    grid = np.asarray(red.crop((0, int(ink[0] * PX_PER_MM), red.width, int(ink[1] * PX_PER_MM)))) > 0
    split = _word_split(grid) if word else None
    if word and split is None:
        return [f"joint mark: no {word!r} found right of the stacked names (no clear gap in the red ink)"]
    stack = grid[:, :split] if split else grid
    return _stack_faults(stack, ink[0], len(names)) + (_word_faults(grid, split, ink[0]) if split else [])


def _runs(profile: np.ndarray, min_gap: int = 1) -> list[tuple[int, int]]:
    """Return the [start, end) runs of True in a 1-D profile, joining runs split by gaps under min_gap."""
    idx = np.flatnonzero(profile)
    if not idx.size:
        return []
    runs = [[idx[0], idx[0] + 1]]
    for i in idx[1:]:
        if i - runs[-1][1] < min_gap:
            runs[-1][1] = i + 1
        else:
            runs.append([i, i + 1])
    return [(a, b) for a, b in runs]


def _word_split(grid: np.ndarray) -> int | None:
    """Return the column where the word starts: the middle of the widest ink gap (at least 1 mm)."""
    runs = _runs(grid.any(axis=0))
    gaps = [(b2 - a1, a1, b2) for (_, a1), (b2, _) in zip(runs, runs[1:])]
    if not gaps or max(gaps)[0] < PX_PER_MM:
        return None
    _, end, start = max(gaps)
    return (end + start) // 2


def _stack_faults(stack: np.ndarray, top_mm: float, count: int) -> list[str]:
    rows = _runs(stack.any(axis=1), min_gap=2)
    if len(rows) != count:
        return [f"joint mark: {len(rows)} rows of red names found, want {count} stacked names"]
    centres = []
    for a, b in rows:
        cols = np.flatnonzero(stack[a:b].any(axis=0))
        centres.append((cols[0] + cols[-1] + 1) / 2 / PX_PER_MM)
    spread = max(centres) - min(centres)
    return [] if spread <= POS_TOL else \
        [f"joint mark: stacked names not centred on each other (centres {', '.join(f'{c:.1f}' for c in centres)} mm)"]


def _word_faults(grid: np.ndarray, split: int, top_mm: float) -> list[str]:
    stack_rows = np.flatnonzero(grid[:, :split].any(axis=1))
    word_rows = np.flatnonzero(grid[:, split:].any(axis=1))
    stack_mid = top_mm + (stack_rows[0] + stack_rows[-1] + 1) / 2 / PX_PER_MM
    word_mid = top_mm + (word_rows[0] + word_rows[-1] + 1) / 2 / PX_PER_MM
    return near("joint mark word: vertical centre against the stacked names", word_mid, stack_mid, POS_TOL)


def mark_figures(pdf_path: Path, fmt: str, data: dict) -> dict:
    """Return the mark's ink box (mm) and, for a joint mark, the stack and word split (for reporting)."""
    pdf = load_pdf(pdf_path)
    red = red_mask(pdf.raster(1))
    ink = ink_rows(red, 0, head_limit(pdf, data))
    cols = ink_columns(red, *ink) if ink else None
    return {"mark_rows": ink, "mark_cols": cols}
