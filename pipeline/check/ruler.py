"""Gather the ruler's public checks: measure a notice's .docx and rendered PDF against GB/T 9704-2012.

The check package is independent of what it checks: every number is written out from the standard
(standard.py), elements are found by their text (from the notice's YAML data), never by the
generator's style names, and no module here imports the generator (a test enforces it). Each check
returns a list of human-readable violations; an empty list means the document passes.
"""

from __future__ import annotations

from .docx_checks import (check_docx, docx_annex_note, docx_colophon, docx_grid, docx_head, docx_main_text,
                          docx_number, docx_page, docx_page_numbers, docx_theme_fonts, docx_title)
from .pdf_checks import (check_pdf, check_text_order, measure, pdf_body_pitch, pdf_body_x_range, pdf_chars_per_line,
                         pdf_colophon, pdf_fonts, pdf_head, pdf_main_found, pdf_page_numbers, pdf_pages, pdf_signature,
                         pdf_title)
from .pdf_model import pdf_text
from .standard import EMU_PER_MM, MM_PER_PT, PAGE_H, R_NS, W_NS, squash
from .wordml import Docx, docx_text, para_text

__all__ = [
    "Docx", "EMU_PER_MM", "MM_PER_PT", "PAGE_H", "R_NS", "W_NS", "check_docx", "check_pdf", "check_text_order",
    "docx_annex_note", "docx_colophon", "docx_grid", "docx_head", "docx_main_text", "docx_number", "docx_page",
    "docx_page_numbers", "docx_text", "docx_theme_fonts", "docx_title", "measure", "para_text", "pdf_body_pitch",
    "pdf_body_x_range", "pdf_chars_per_line", "pdf_colophon", "pdf_fonts", "pdf_head", "pdf_main_found",
    "pdf_page_numbers", "pdf_pages", "pdf_signature", "pdf_text", "pdf_title", "squash",
]
