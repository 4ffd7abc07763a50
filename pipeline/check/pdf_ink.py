"""Find red blobs (seals, signature stamps) on a rendered page: connected components of the red ink."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

from .standard import PX_PER_MM

STEP_MM = 0.5  # components are found on a 2 px/mm grid (each cell inked when any pixel in it is)
MIN_BLOB_MM = 8.0  # a seal or stamp is far larger than a glyph; smaller blobs are text


@dataclass
class Blob:
    """One group of red ink: a component and everything drawn inside its box (a seal's ring and text)."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def cx(self) -> float:
        """Return the centre x in mm."""
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        """Return the centre y in mm."""
        return (self.y0 + self.y1) / 2

    @property
    def width(self) -> float:
        """Return the width in mm."""
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        """Return the height in mm."""
        return self.y1 - self.y0

    def contains(self, other: "Blob") -> bool:
        """Tell whether other lies inside this blob's box."""
        return self.x0 <= other.x0 and self.y0 <= other.y0 and other.x1 <= self.x1 and other.y1 <= self.y1


def red_blobs(mask: Image.Image, top_mm: float = 0.0, min_mm: float = MIN_BLOB_MM) -> list[Blob]:
    """Return the red blobs at least min_mm wide or high below top_mm, top to bottom then left to right."""
    grid = _coarse(mask, top_mm)
    comps = [_to_mm(c, top_mm) for c in _components(grid)]
    outer = [b for b in comps if not any(o is not b and o.contains(b) for o in comps)]
    return sorted((b for b in outer if max(b.width, b.height) >= min_mm), key=lambda b: (round(b.y0 / 5), b.x0))


def _coarse(mask: Image.Image, top_mm: float) -> np.ndarray:
    cell = max(1, round(STEP_MM * PX_PER_MM))
    top = int(top_mm * PX_PER_MM)
    arr = np.asarray(mask.crop((0, top, mask.width, mask.height)), dtype=np.uint8) > 0
    h, w = arr.shape[0] // cell * cell, arr.shape[1] // cell * cell
    return arr[:h, :w].reshape(h // cell, cell, w // cell, cell).any(axis=(1, 3))


def _components(grid: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Return the boxes (x0, y0, x1, y1 in cells) of the 8-connected components of a boolean grid."""
    todo = set(zip(*np.nonzero(grid)))
    out = []
    while todo:
        stack = [todo.pop()]
        ys, xs = [stack[0][0]], [stack[0][1]]
        while stack:
            y, x = stack.pop()
            for n in ((y + dy, x + dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1)):
                if n in todo:
                    todo.remove(n)
                    stack.append(n)
                    ys.append(n[0])
                    xs.append(n[1])
        out.append((min(xs), min(ys), max(xs) + 1, max(ys) + 1))
    return out


def _to_mm(box: tuple[int, int, int, int], top_mm: float) -> Blob:
    x0, y0, x1, y1 = (v * STEP_MM for v in box)
    return Blob(x0, y0 + top_mm, x1, y1 + top_mm)


def overlaps(a: Blob, b: Blob) -> bool:
    """Tell whether two boxes overlap."""
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


def circles_touch(a: Blob, b: Blob, gap_mm: float = 0.0) -> bool:
    """Tell whether two round seals (their boxes' inscribed circles) touch or come closer than gap_mm."""
    distance = ((a.cx - b.cx) ** 2 + (a.cy - b.cy) ** 2) ** 0.5
    return distance < (a.width + a.height) / 4 + (b.width + b.height) / 4 + gap_mm
