"""Read a clerk's draft (.docx, .txt, .md) into the lines and tables the recogniser reads."""

from __future__ import annotations

import re
from pathlib import Path

from ..check.document import NotADocx, open_docx
from ..check.patterns import pushed_right
from ..check.reading import Grid, Line, docx_blocks
from ..core.errors import PipelineError
from ..core.files import NotRegular, read_regular
from ..core.text import decode_text

SUFFIXES = (".docx", ".txt", ".md")
MAX_TEXT_BYTES = 10 * 2**20  # a typed draft is some kilobytes; 10 MB is a wrong file
MAX_BLOCKS = 5_000  # paragraphs and tables: a 公文 with its annexes has hundreds
MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
MD_RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,}|\\pagebreak|\\newpage|<div[^>]*page-break[^>]*>\s*</div>)\s*$")
MD_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
MD_MARKUP = re.compile(r"(\*\*|__|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])|`)")
MD_PREFIX = re.compile(r"^\s*(?:>\s*|[-+*]\s+)")


def read_draft(path: Path) -> list[Line | Grid]:
    """Return a draft's lines and tables; raise PipelineError naming the file when it cannot be read."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise PipelineError(f"{path}：草稿应为 .docx、.txt 或 .md 文件（.doc、.wps 请先另存为 .docx）")
    if suffix == ".docx":
        try:
            blocks = docx_blocks(open_docx(path))
        except NotADocx as exc:
            raise PipelineError(str(exc)) from None
    else:
        text = _read_text(path)
        blocks = markdown_lines(text) if suffix == ".md" else plain_lines(text)
    if len(blocks) > MAX_BLOCKS:
        raise PipelineError(f"{path} 有 {len(blocks)} 段，超过 {MAX_BLOCKS} 段，不像是一份公文草稿（大表格请作为 Excel 附件）")
    return blocks


def _read_text(path: Path) -> str:
    try:
        data = read_regular(path.resolve(), MAX_TEXT_BYTES)
    except NotRegular:
        raise PipelineError(f"{path} 不是普通文件") from None
    except OSError as exc:
        raise PipelineError(f"无法读取 {path}：{exc.strerror or exc}") from None
    if data is None:
        raise PipelineError(f"{path} 超过 {MAX_TEXT_BYTES // 2**20} MB，不像是一份草稿")
    text = decode_text(data)
    if text is None:
        raise PipelineError(f"{path} 的编码无法识别：请另存为 UTF-8 或 GBK 编码的文本")
    return _keep_breaks(text)


def _keep_breaks(text: str) -> str:
    """Return text with Windows and old Mac line ends made \\n (control characters are removed, and recorded, later)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def plain_lines(text: str) -> list[Line | Grid]:
    """Return the lines of a text draft: one per line, a form feed breaking the page, spaces pushing right."""
    out: list[Line | Grid] = []
    broken = False
    for number, raw in enumerate(text.split("\n"), start=1):
        broken = broken or "\f" in raw
        raw = raw.replace("\f", "")
        if raw.strip():
            out.append(Line(raw.strip(), number, _align(raw), broken))
            broken = False
    return out


def _align(raw: str) -> str:
    return "right" if pushed_right(raw) else ""


def markdown_lines(text: str) -> list[Line | Grid]:
    """Return the lines of a Markdown draft: # is the title, ## to ##### headings, pipe tables, --- page breaks."""
    out: list[Line | Grid] = []
    table: list[list[str]] = []
    broken = False
    for number, raw in enumerate(text.replace("\f", "\n---\n").split("\n"), start=1):
        if raw.strip().startswith("|"):
            table += [] if MD_TABLE_RULE.match(raw) else [[c.strip() for c in raw.strip().strip("|").split("|")]]
            continue
        if table:
            out.append(Grid(table, number - len(table) - 1, page_break=broken))
            table, broken = [], False
        if MD_RULE.match(raw):
            broken = True
            continue
        line = _markdown_line(raw, number, broken)
        if line:
            out.append(line)
            broken = False
    return out + ([Grid(table, 0, page_break=broken)] if table else [])


def _markdown_line(raw: str, number: int, broken: bool) -> Line | None:
    heading = MD_HEADING.match(raw)
    text = MD_MARKUP.sub("", heading[2] if heading else MD_PREFIX.sub("", raw)).strip()
    if not text:
        return None
    level = len(heading[1]) if heading else 0
    return Line(text, number, "center" if level == 1 else _align(raw), broken, level=max(level - 1, 0) if level <= 5 else 0)
