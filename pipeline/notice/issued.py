"""Load a document a notice issues or forwards (印发/转发): its own title and body, printed after the notice."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..core import source
from ..core.errors import InputError
from ..core.schema import Fields, Flag, Text
from ..docx import ooxml, sections
from .blocks import Block, body_schema, parse_body
from .body import is_landscape

SCHEMA = Fields({"title": Text(required=True, max_length=200), "body": body_schema(), "landscape": Flag()})


@dataclass
class Issued:
    """Hold the issued document: its title and body blocks."""

    title: str
    body: list[Block]
    source: Path
    landscape: bool = False  # on landscape pages of its own (横排表格)


def load_issued(src: source.Source) -> Issued | None:
    """Return the document named by the notice's issued: key, or None; its errors join the notice's."""
    ref = src.data.get("issued", "")
    if not ref:
        return None
    path = src.path.parent / ref
    if not path.exists():
        src.error(("issued",), f"印发的文件 {path} 不存在（issued 写数据文件的路径，相对于本文件）")
        return None
    if path.resolve() == src.path.resolve():
        src.error(("issued",), "issued 指向了通知本身；应写被印发文件（标题和正文）的数据文件")
        return None
    try:
        issued = source.load(path.resolve(), SCHEMA)  # a link is followed on purpose
    except InputError as exc:  # a file that cannot be read at all is named at the notice's issued: line
        for problem in exc.errors:
            if problem.row is None and not problem.field:
                src.error(("issued",), f"印发的文件 {path}：{problem.note}", problem.code)
            else:
                src.errors.append(problem)
        return None
    body = parse_body(issued)
    result = Issued(issued.data.get("title", ""), body, path, is_landscape(issued.data, body))
    src.errors.extend(issued.errors)
    return result


def turn_issued_landscape(document) -> None:
    """Put the issued document on landscape pages of its own section; the 版记 after it stays portrait."""
    colophon = ooxml.detach_floating_tables(document)
    title = next(p for p in document.paragraphs if p.style.name == "公文标题" and p.paragraph_format.page_break_before)
    sections.start_section(document, True, before=title)
    if colophon:
        sections.append_on_portrait_page(document, colophon)
