"""Join the notice and its annexes into one packet: annexes after the 附注, the 版记 on the last page."""

from __future__ import annotations

from pathlib import Path

from docxcompose.composer import Composer

from ..core.manifest import record
from ..core.output import write_docx
from ..core.resources import TEMPLATE_DIR
from ..core.text import file_name
from ..docx import ooxml, sections
from .annexes import load_annex, render_annex
from .notice import load_notice, render_notice


def compose_packet(notice, template_dir: Path = TEMPLATE_DIR):
    """Return the packet document: notice, each annex from a new page, then the 版记.

    A landscape annex (横排表格) is a section of its own between portrait ones; page numbers run on.
    """
    master = render_notice(notice, template_dir)
    colophon = ooxml.detach_floating_tables(master)
    composer = Composer(master)
    landscape = False  # the orientation of the section being filled
    for number, (_, ref) in enumerate(notice.annexes, start=1):
        if ref is None or number in notice.unbound:  # an annex not bound with the notice stays out
            continue
        annex = load_annex(ref)
        document = render_annex(annex, notice.authority, notice.date, template_dir)
        if annex.landscape or landscape:
            sections.start_section(master, annex.landscape)  # a new section starts a new page
            landscape = annex.landscape
        else:
            document.paragraphs[0].paragraph_format.page_break_before = True
        composer.append(document)
    if landscape and colophon:
        sections.append_on_portrait_page(master, colophon)
    else:
        ooxml.append_to_body(master, colophon)
    return master


def packet_name(notice) -> str:
    """Return the packet's file name, such as '国知办函服字〔2022〕270号 通知（含附件）.docx'."""
    return file_name(f"{notice.number} {notice.doc_type}（含附件）", ".docx")


def build_packet(notice_path: Path, out_dir: Path, template_dir: Path = TEMPLATE_DIR) -> Path:
    """Write the packet into out_dir and record it (role packet)."""
    notice = load_notice(notice_path)
    path = write_docx(compose_packet(notice, template_dir), Path(out_dir) / packet_name(notice), notice.date)
    record(out_dir, "packet", path)
    return path
