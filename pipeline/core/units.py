"""Convert between the units documents are measured in: millimetres, points, twips and EMUs."""

from __future__ import annotations

MM_PER_PT = 25.4 / 72
TWIPS_PER_PT = 20
EMU_PER_MM = 36000


def mm_to_twips(mm: float) -> int:
    """Convert millimetres to twentieths of a point."""
    return round(mm / MM_PER_PT * TWIPS_PER_PT)


def mm_to_emu(mm: float) -> int:
    """Convert millimetres to English Metric Units (DrawingML)."""
    return round(mm * EMU_PER_MM)


def pt_to_mm(pt: float) -> float:
    """Convert points to millimetres."""
    return pt * MM_PER_PT


def mm_to_pt(mm: float) -> float:
    """Convert millimetres to points."""
    return mm / MM_PER_PT
