"""Gather the ruler's public checks: measure a notice's .docx and rendered PDF against GB/T 9704-2012.

The check package is independent of what it checks: every number is written out from the standard
(standard.py), elements are found by their text (from the notice's YAML data), never by the
generator's style names, and no module here imports the generator (a test enforces it). Each check
returns a list of findings (findings.Finding: a code from CODES, an element from ELEMENTS, a Chinese message,
where and what was found and wanted); an empty list means the document passes.
"""

from __future__ import annotations

from .docx_checks import (docx_annex_note, docx_grid, docx_head, docx_main_text, docx_number, docx_page,
                          docx_theme_fonts, docx_title)
from .docx_colophon import docx_colophon
from .docx_footer import docx_page_numbers
from .docx_parts import check_docx, docx_attendance, docx_colophon_addressee, docx_issued, docx_joint_mark, docx_signers
from .expected import expected_sequence, load_notice
from .findings import CODES, ELEMENTS, Finding, errors
from .pdf_checks import (check_pdf, check_text_order, measure, pdf_body_pitch, pdf_body_x_range, pdf_chars_per_line,
                         pdf_colophon, pdf_fonts, pdf_main_found, pdf_page_numbers, pdf_pages, pdf_title)
from .pdf_head_formats import mark_figures, pdf_head, pdf_joint_mark
from .pdf_match import matched_lines
from .pdf_model import load_pdf, pdf_spans, pdf_text
from .pdf_parts import issued_figures, pdf_attendance, pdf_colophon_addressee, pdf_issued, pdf_signers
from .pdf_signature import (pdf_joint_signature, pdf_proxy_seal, pdf_seals, pdf_signature, pdf_signed_by,
                            pdf_single_signature, signature_figures)
from .standard import EMU_PER_MM, MM_PER_PT, PAGE_H, R_NS, W_NS, squash
from .wordml import Docx, docx_text, para_text

__all__ = [
    "CODES", "Docx", "ELEMENTS", "EMU_PER_MM", "Finding", "MM_PER_PT", "PAGE_H", "R_NS", "W_NS", "check_docx",
    "check_pdf", "check_text_order", "docx_annex_note", "docx_attendance", "docx_colophon",
    "docx_colophon_addressee", "docx_grid", "docx_head", "docx_issued", "docx_joint_mark", "docx_main_text",
    "docx_number", "docx_page", "docx_page_numbers", "docx_signers", "docx_text", "docx_theme_fonts", "docx_title",
    "errors", "expected_sequence", "issued_figures", "load_notice", "load_pdf", "mark_figures", "matched_lines",
    "measure", "para_text", "pdf_attendance", "pdf_body_pitch", "pdf_body_x_range", "pdf_chars_per_line",
    "pdf_colophon", "pdf_colophon_addressee", "pdf_fonts", "pdf_head", "pdf_issued", "pdf_joint_mark",
    "pdf_joint_signature", "pdf_main_found", "pdf_page_numbers", "pdf_pages", "pdf_proxy_seal", "pdf_seals",
    "pdf_signature", "pdf_signed_by", "pdf_signers", "pdf_single_signature", "pdf_spans", "pdf_text", "pdf_title",
    "signature_figures", "squash",
]
