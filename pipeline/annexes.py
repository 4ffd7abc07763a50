"""Build the annexes (附件) as Word documents from their data files: body text, form tables, QR codes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from . import layout as L
from . import qr, source
from .blocks import Block, Table, parse_body
from .output import record, safe_file_part, write_docx
from .render import blocks_context, finish, open_template, render
from .templates import ANNEX_TEMPLATE, TEMPLATE_DIR


@dataclass
class Annex:
    """Hold one annex: its number, title and body blocks, and the warnings found while loading it."""

    number: int
    title: str
    blocks: list[Block]
    source: Path
    warnings: list[str] = field(default_factory=list)
    qr: qr.QrAnnex | None = None

    @property
    def file_name(self) -> str:
        """Return the clerk-facing file name, such as '附件1 知识产权…工作方案.docx'."""
        return safe_file_part(f"附件{self.number} {self.title}") + ".docx"


def load_annex(path: Path, today: dt.date | None = None) -> Annex:
    """Load an annex data file of any kind: body (body:), form table (columns:) or QR codes (codes:)."""
    src = source.load(path)
    if "codes" in src.data:
        return _qr_annex(Path(path), today or dt.date.today())
    number = src.raw(("number",))
    if not isinstance(number, int) or number < 1:
        src.error(("number",), "附件序号应为正整数")
    title = src.text("title")
    blocks = _form_blocks(src) if "columns" in src.data else parse_body(src)
    src.check()
    return Annex(number, title, blocks, Path(path))


def _form_blocks(src: source.Source) -> list[Block]:
    columns = [str(c) for c in src.items("columns", required=True)]
    count = src.raw(("rows",)) or 1
    if not isinstance(count, int) or count < 1:
        src.error(("rows",), "预留行数应为正整数")
        count = 1
    rows = [[str(i)] + [""] * (len(columns) - 1) for i in range(1, count + 1)]
    return [Block("table", table=Table(columns, rows, row_height_mm=L.FORM_TABLE_ROW_MM))]


def _qr_annex(path: Path, today: dt.date) -> Annex:
    data = qr.load_qr_annex(path)
    blocks = []
    for code in data.codes:
        blocks.append(Block("text", code.caption))
        if code.show_payload and code.payload:
            blocks.append(Block("text", code.payload))
        image = qr.code_image(code, data.base_dir)
        blocks.append(Block("image", image=image, width_mm=qr.print_width_mm(image)))
        if code.valid_until:
            blocks.append(Block("text", qr.validity_sentence(data, code)))
    warnings = qr.check_codes(data, today, data.base_dir)
    return Annex(data.number, data.title, blocks, path, warnings, data)


def render_annex(annex: Annex, author: str, day: dt.date, template_dir: Path = TEMPLATE_DIR):
    """Render an annex through the annex template; return the python-docx document."""
    template = open_template(Path(template_dir) / ANNEX_TEMPLATE)
    values = {"number": annex.number, "title": "\n".join(L.break_title(annex.title)),
              "body": blocks_context(template, annex.blocks)}
    document = render(template, values)
    finish(document, annex.title, author, day)
    return document


def build_annexes(notice, out_dir: Path, template_dir: Path = TEMPLATE_DIR) -> list[Annex]:
    """Write each annex the notice lists with a data file as .docx (roles annex1…), and annex 3's PDF."""
    annexes = [load_annex(ref) for _, ref in notice.annexes if ref]
    for annex in annexes:
        document = render_annex(annex, notice.authority, notice.date, template_dir)
        path = write_docx(document, Path(out_dir) / annex.file_name, notice.date)
        record(out_dir, f"annex{annex.number}", path)
        if annex.qr:
            _write_qr_pdf(annex, Path(out_dir))
    return annexes


def build_annexes_of(notice_path: Path, out_dir: Path, template_dir: Path = TEMPLATE_DIR) -> list[Annex]:
    """Load the notice at notice_path and build its annexes into out_dir."""
    from .notice import load_notice

    return build_annexes(load_notice(notice_path), out_dir, template_dir)


def _write_qr_pdf(annex: Annex, out_dir: Path) -> None:
    """Write the QR annex's one-page PDF; without an embeddable Chinese font, warn and go on."""
    try:
        pdf = qr.build_qr_pdf(annex.qr, annex.qr.base_dir, out_dir / (safe_file_part(f"附件{annex.number} {annex.title}（转发用）") + ".pdf"))
    except qr.NoCjkFont as exc:
        annex.warnings.append(f"未生成附件{annex.number} 的转发用 PDF：{exc}")
        return
    record(out_dir, f"annex{annex.number}_pdf", pdf)
