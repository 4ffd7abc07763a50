"""Hold what recognising a document found: its layout, notice data, annexes, issued part and each element."""

from __future__ import annotations

from dataclasses import dataclass, field

from .reading import Line


@dataclass
class Element:
    """Hold one recognised element: its kind, its text, the paragraph it came from, how sure we are."""

    element: str
    text: str
    paragraph: int
    confidence: float
    part: str = "main"  # main, issued (印发的文件) or annex


@dataclass
class Recognition:
    """Hold what a document was recognised to be: layout, notice data, annexes, issued part, each element."""

    layout: str = ""
    layout_source: str = ""
    data: dict = field(default_factory=dict)
    annexes: list[dict] = field(default_factory=list)
    issued: dict | None = None
    elements: list[Element] = field(default_factory=list)
    unplaced: list[Line] = field(default_factory=list)
    part: str = "main"  # the part being read: main, issued or annex

    def add(self, element: str, line: Line, confidence: float, text: str | None = None) -> None:
        """Record that line (or text from it) is an element."""
        text = line.text.strip() if text is None else text
        self.elements.append(Element(element, text, line.paragraph, confidence, self.part))
