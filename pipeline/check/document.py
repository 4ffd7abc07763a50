"""Check any .docx against GB/T 9704: recognise its elements, then measure the file (and its rendered page)."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from .findings import Finding, errors
from .ruler import (docx_annex_note, docx_attendance, docx_colophon, docx_colophon_addressee, docx_grid, docx_head,
                    docx_issued, docx_joint_mark, docx_main_text, docx_number, docx_page, docx_page_numbers, docx_signers,
                    docx_theme_fonts, docx_title, pdf_attendance, pdf_body_pitch, pdf_body_x_range, pdf_chars_per_line,
                    pdf_colophon, pdf_colophon_addressee, pdf_fonts, pdf_head, pdf_issued, pdf_joint_mark, pdf_main_found,
                    pdf_page_numbers, pdf_pages, pdf_seals, pdf_signature, pdf_signers, pdf_title)
from .pdf_landscape import pdf_landscape_layout, pdf_landscape_page_numbers, pdf_landscape_pages, read_pages
from .packet import colophon_last, page_numbers_continue
from .reading import docx_blocks
from .recognition import Recognition
from .recognize import recognise
from .rules import annex_consistency, red_lines, text_rules
from .standard import NS, w
from .wordml import Docx

MAX_DOCX_MB = 100  # a 公文 .docx is a few MB; a bigger one is not checked
MAX_UNZIPPED_MB = 400  # what its parts may expand to (a zip bomb is refused)
REQUIRED_PARTS = ("word/document.xml", "word/styles.xml", "word/_rels/document.xml.rels")
# Each check with the element its failure to run is reported under.
DOCX_CHECKS = ((docx_page, "page"), (docx_number, "number"), (docx_head, "mark"), (docx_joint_mark, "mark"),
               (docx_signers, "signer"), (docx_title, "title"), (docx_main_text, "body"), (docx_grid, "body"),
               (docx_attendance, "body"), (docx_annex_note, "annex_note"), (docx_issued, "title"),
               (docx_page_numbers, "page_number"), (docx_colophon, "colophon"), (docx_colophon_addressee, "colophon"),
               (docx_theme_fonts, "fonts"))
ANNEX_CHECKS = ((docx_page, "page"), (docx_theme_fonts, "fonts"), (docx_page_numbers, "page_number"))
PDF_CHECKS = ((pdf_pages, "page"), (pdf_fonts, "fonts"), (pdf_head, "mark"), (pdf_joint_mark, "mark"),
              (pdf_signers, "signer"), (pdf_title, "title"), (pdf_main_found, "body"), (pdf_body_x_range, "body"),
              (pdf_body_pitch, "body"), (pdf_chars_per_line, "body"), (pdf_attendance, "body"),
              (pdf_signature, "signature"), (pdf_seals, "seal"), (pdf_issued, "title"), (pdf_page_numbers, "page_number"),
              (pdf_colophon, "colophon"), (pdf_colophon_addressee, "colophon"))


class NotADocx(ValueError):
    """Raised when a file given to check is not a .docx that can be opened (a usage error)."""


@dataclass
class Checked:
    """Hold one checked document: its path, what it was recognised as, and every finding."""

    file: str
    recognition: Recognition
    findings: list[Finding] = field(default_factory=list)

    def as_dict(self) -> dict:
        """Return what `check --json` prints for the file."""
        return {"file": self.file, "layout": self.recognition.layout, "findings": [f.as_dict() for f in self.findings]}

    @property
    def failed(self) -> bool:
        """Return True when the document has an error-level finding."""
        return bool(errors(self.findings))


def open_docx(path: Path) -> Docx:
    """Open a .docx for checking; raise NotADocx with a Chinese reason when it cannot be one."""
    path = Path(path)
    if not path.is_file():
        raise NotADocx(f"找不到文件 {path}" if not path.exists() else f"{path} 不是普通文件")
    if path.suffix.lower() != ".docx":
        raise NotADocx(f"{path} 不是 .docx 文件（.doc、.wps 等请先在 Word 或 WPS 中另存为 .docx）")
    if path.stat().st_size > MAX_DOCX_MB * 2**20:
        raise NotADocx(f"{path} 超过 {MAX_DOCX_MB} MB，不是一份公文")
    try:
        with zipfile.ZipFile(path) as z:
            infos = {i.filename: i for i in z.infolist()}
            missing = [p for p in REQUIRED_PARTS[:1] if p not in infos]
            if missing or sum(i.file_size for i in infos.values()) > MAX_UNZIPPED_MB * 2**20:
                raise NotADocx(f"{path} 不是 Word 文档（缺少 {missing[0]}）" if missing else f"{path} 解压后过大，已拒绝")
        return Docx(path)
    except NotADocx:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged file (bad zip, bad XML, missing part) is the clerk's usage error
        raise NotADocx(f"{path} 无法作为 Word 文档打开（文件可能已损坏：{type(exc).__name__}）") from None


def check_document(path: Path, pdf_path: Path | None = None) -> Checked:
    """Recognise a .docx's elements and measure it; with pdf_path, measure its rendered pages too."""
    doc = open_docx(path)
    r = recognise(docx_blocks(doc))
    if not r.layout:  # an annex on its own: its page, page numbers, fonts and text
        checks = ANNEX_CHECKS if not _landscape(doc) else ANNEX_CHECKS[:2]  # turned pages number in text boxes
        findings = _run(checks, doc, "", {"authority": "", "date": ""}) + text_rules(r)
        return Checked(str(path), r, _unique(findings))
    data = ruler_data(r)
    findings = _missing(r) + _run(DOCX_CHECKS, doc, r.layout, data) + red_lines(doc, r.layout)
    findings += text_rules(r) + annex_consistency(r) + page_numbers_continue(doc) + colophon_last(r)
    if pdf_path is not None:
        findings += _run(TURNED_PDF_CHECKS if _landscape(doc, any_section=True) else PDF_CHECKS, Path(pdf_path),
                         r.layout, data)
    return Checked(str(path), r, _unique(findings))


def ruler_data(r: Recognition) -> dict:
    """Return the notice data the ruler's checks read, from what was recognised."""
    data = {"authority": "", **r.data}
    if r.issued:
        data["issued"] = r.issued
    if not data.get("date"):
        data["date"] = ""
    return data


def _missing(r: Recognition) -> list[Finding]:
    """Report a missing 成文日期 (every layout needs one)."""
    needs = [("date", "date", "成文日期")]  # the ruler reports a missing number and title itself
    return [Finding("missing", element, f"未找到{what}（{r.layout}应有{what}）") for key, element, what in needs
            if not r.data.get(key)]


def _run(checks: tuple, target, layout: str, data: dict) -> list[Finding]:
    """Run each check; one that cannot run on this document becomes a finding, and the others go on."""
    out: list[Finding] = []
    for check, element in checks:
        try:
            out += check(target, layout, data)
        except Exception as exc:  # noqa: BLE001 - an unexpected document must not stop the other checks
            out.append(Finding("not_measurable", element, f"无法完成这一项检查（{check.__name__}：{type(exc).__name__}），"
                               "请对照标准人工核对", severity="warning"))
    return out


def _landscape(doc: Docx, any_section: bool = False) -> bool:
    """Return True when the first section (or, with any_section, any section) is a landscape page."""
    sections = doc.sections if any_section else doc.sections[:1]
    sizes = [s.find("w:pgSz", NS) for s in sections]
    return any(size is not None and int(size.get(w("w"), 0)) > int(size.get(w("h"), 0)) for size in sizes)


def _turned_pages(pdf_path: Path, fmt: str, data: dict) -> list[Finding]:
    """Check each page's A4 size, landscape where the document turns pages for a wide table."""
    return pdf_landscape_pages(pdf_path, [page.landscape for page in read_pages(pdf_path)])


def _turned_page_numbers(pdf_path: Path, fmt: str, data: dict) -> list[Finding]:
    return pdf_landscape_page_numbers(pdf_path)


def _turned_layout(pdf_path: Path, fmt: str, data: dict) -> list[Finding]:
    return pdf_landscape_layout(pdf_path)


# A document with landscape pages: their sizes, turned page numbers and table widths replace the portrait checks.
TURNED_PDF_CHECKS = tuple(c for c in PDF_CHECKS if c[0] not in (pdf_pages, pdf_page_numbers)) + (
    (_turned_pages, "page"), (_turned_page_numbers, "page_number"), (_turned_layout, "table"))


def _unique(findings: list[Finding]) -> list[Finding]:
    return list(dict.fromkeys(findings))

