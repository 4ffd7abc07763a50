"""Break a 公文 title into balanced lines at word boundaries, in time linear in its length."""

from __future__ import annotations

import bisect
import itertools
import math

import rjieba

from ..core.gbt9704 import SIZE_2HAO, TEXT_WIDTH_MM, char_units
from ..core.units import pt_to_mm

TITLE_CHARS_PER_LINE = math.floor(TEXT_WIDTH_MM / pt_to_mm(SIZE_2HAO))  # 20
BALANCED_MAX_LINES = 5  # longer titles are filled line by line (a title that long has no shape to keep)
CANDIDATE_BUDGET = 4096  # split combinations tried at most, whatever the number of lines
LATIN_SPACING = 0.5  # Word, WPS and LibreOffice put about a quarter character between Chinese and digits
_NO_LINE_START = set("的之和与及、，。：；！？）》”’")


def break_title(title: str, per_line: int = TITLE_CHARS_PER_LINE) -> list[str]:
    """Break a title into balanced lines at word boundaries, first line longest; keep lines typed by hand."""
    if "\n" in title:
        return [line.strip() for line in title.splitlines() if line.strip()]
    words = [w for w in rjieba.cut(title) if w]
    if not words:
        return [title]
    ends = list(itertools.accumulate(_units(w) for w in words))
    cuts = [i for i in range(1, len(words)) if _can_break(words[i - 1], words[i])]
    lines = max(1, math.ceil(ends[-1] / per_line))
    for count in range(lines, min(lines + 3, BALANCED_MAX_LINES + 1)):
        best = _best_split(words, ends, cuts, count, per_line)
        if best:
            return best
    return _fill(words, per_line)


def _units(word: str) -> float:
    """Return a word's printed width in characters: digits and Latin letters among Chinese get a space each side."""
    return char_units(word) + (LATIN_SPACING if word.isascii() and word.strip() else 0)


def _can_break(before: str, after: str) -> bool:
    return after[0] not in _NO_LINE_START and not (before[-1].isdigit() or after[0].isdigit())


def _title_cost(widths: list[float]) -> float:
    """Score a split: the spread of line widths, plus penalties for shapes GB/T 9704 avoids.

    Lines should form a trapezoid or a diamond: a two-line title should not widen downwards, and no
    inner line of a longer title may be shorter than both its neighbours (an hourglass).
    """
    spread = max(widths) - min(widths)
    widening = len(widths) == 2 and widths[1] > widths[0]
    waists = sum(1 for a, b, c in zip(widths, widths[1:], widths[2:]) if b < a and b < c)
    return spread + (2 if widening else 0) + 4 * waists


def _near(cuts: list[int], ends: list[float], target: float, size: int) -> list[int]:
    """Return the size word boundaries whose position is nearest target (found by bisection)."""
    positions = [ends[c - 1] for c in cuts]
    at = bisect.bisect_left(positions, target)
    window = cuts[max(0, at - size):at + size]
    return sorted(window, key=lambda c: abs(ends[c - 1] - target))[:size]


def _best_split(words: list[str], ends: list[float], cuts: list[int], lines: int, per_line: int) -> list[str] | None:
    total = ends[-1]
    size = max(1, int(CANDIDATE_BUDGET ** (1 / max(lines - 1, 1))))
    near = [_near(cuts, ends, total * j / lines, size) for j in range(1, lines)]
    best, best_cost = None, None
    for combo in itertools.product(*near):
        if list(combo) != sorted(set(combo)):
            continue
        bounds = (0, *combo, len(words))
        widths = [ends[b - 1] - (ends[a - 1] if a else 0) for a, b in zip(bounds, bounds[1:])]
        if max(widths) > per_line:
            continue
        cost = _title_cost(widths)
        if best_cost is None or cost < best_cost:
            best, best_cost = ["".join(words[a:b]) for a, b in zip(bounds, bounds[1:])], cost
    return best


def _fill(words: list[str], per_line: int) -> list[str]:
    """Fill lines word by word (a word longer than a line is cut), for titles too long to balance."""
    lines, current, width = [], "", 0.0
    for word in words:
        for piece in _pieces(word, per_line):
            size = char_units(piece)
            if current and width + size > per_line:
                lines.append(current)
                current, width = "", 0.0
            current, width = current + piece, width + size
    return lines + [current] if current else lines


def _pieces(word: str, per_line: int) -> list[str]:
    if char_units(word) <= per_line:
        return [word]
    pieces, current, width = [], "", 0.0
    for char in word:
        size = char_units(char)
        if current and width + size > per_line:
            pieces.append(current)
            current, width = "", 0.0
        current, width = current + char, width + size
    return pieces + [current]
