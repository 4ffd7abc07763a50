"""Break copies of built .docx files in one XML part, so a test can show the ruler catches the fault."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from pipeline.check import ruler

W = ruler.W_NS
NS = {"w": W}


def broken_copy(docx: Path, out: Path, change, part: str = "word/document.xml") -> Path:
    """Copy a .docx to out with one XML part altered in place by change(root)."""
    with zipfile.ZipFile(docx) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == part:
                root = etree.fromstring(data)
                change(root)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            dst.writestr(info, data)
    return out


def paragraph_with(root, text: str):
    """Return the first paragraph whose text contains text."""
    return next(p for p in root.iter(f"{{{W}}}p") if text in ruler.squash(ruler.para_text(p)))


def paragraph_index(docx: Path, text: str) -> int:
    """Return the 1-based place of the first paragraph containing text among all of document.xml's paragraphs."""
    root = ruler.Docx(docx).document
    return next(n for n, p in enumerate(root.iter(f"{{{W}}}p"), start=1) if text in ruler.squash(ruler.para_text(p)))


def set_font(run, east_asia: str) -> None:
    """Give a run a direct East-Asian font."""
    rpr = run.find("w:rPr", NS)
    if rpr is None:
        rpr = etree.Element(f"{{{W}}}rPr")
        run.insert(0, rpr)
    fonts = rpr.find("w:rFonts", NS)
    if fonts is None:
        fonts = etree.Element(f"{{{W}}}rFonts")
        rpr.insert(0, fonts)
    fonts.set(f"{{{W}}}eastAsia", east_asia)


def check_params(cases, checks, known: dict[tuple[str, str], str] | None = None) -> list:
    """Return one pytest param per (case, check); a known generator defect is xfail(strict) with its reason."""
    out = []
    for case in cases:
        for check in checks:
            reason = (known or {}).get((case, check.__name__))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            out.append(pytest.param(case, check, marks=marks, id=f"{case}-{check.__name__}"))
    return out
