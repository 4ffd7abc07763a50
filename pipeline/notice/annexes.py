"""Build the annexes (附件) as Word documents from their data files: body text, form tables, QR codes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..core import source
from ..core.manifest import record_all
from ..core.output import atomic_write, docx_bytes
from ..core.resources import TEMPLATE_DIR
from ..core.schema import Fields, Flag, Integer, Text, closest_key
from ..core.text import file_name
from ..docx import sections
from ..docx.render import finish, open_template, render
from ..forms.build import FormNames, spec_names
from ..forms.spec import load_form_annex, load_form_spec
from ..pdf.fonts import NoCjkFont
from ..qr import codes as qr_codes
from ..qr import data as qr_data
from ..qr.sheet import qr_pdf
from ..core import gbt9704 as L
from .blocks import Block, Table, body_schema, parse_body
from .body import blocks_context, is_landscape
from .notice import load_notice
from .styles import ANNEX_TEMPLATE
from .title import break_title

SCHEMA = Fields({"number": Integer(required=True), "title": Text(required=True, max_length=200), "body": body_schema(),
                 "landscape": Flag()})


@dataclass
class Annex:
    """Hold one annex: its number, title and body blocks, and the warnings found while loading it."""

    number: int
    title: str
    blocks: list[Block]
    source: Path
    warnings: list[str] = field(default_factory=list)
    qr: qr_data.QrAnnex | None = None
    landscape: bool = False  # on landscape pages (横排表格)

    @property
    def file_name(self) -> str:
        """Return the clerk-facing file name, such as '附件1 知识产权…工作方案.docx'."""
        return file_name(f"附件{self.number} {self.title}", ".docx")


def load_annex(path: Path, today: dt.date | None = None) -> Annex:
    """Load an annex data file of any kind: body (body:), form table (columns:) or QR codes (codes:)."""
    kind = _kind(source.parse(path).data)
    if kind == "codes":
        return _qr_annex(Path(path), today or dt.date.today())
    if kind == "columns":
        return _form_annex(Path(path))
    src = source.load(path, SCHEMA)
    annex = Annex(src.data.get("number", 0), src.data.get("title", ""), parse_body(src), Path(path))
    annex.landscape = is_landscape(src.data, annex.blocks)
    src.check()
    return annex


def _kind(keys) -> str:
    """Return which annex a data file is: codes, columns or body (a mistyped codes or columns key still tells)."""
    for kind in ("codes", "columns"):
        if kind in keys or any(key not in SCHEMA.fields and closest_key(key, (kind,)) for key in keys):
            return kind
    return "body"


def _form_annex(path: Path) -> Annex:
    """Return the Word annex of a form: its header and blank rows (序号 filled in) to fill in by hand."""
    src = load_form_annex(path)
    if src.data.get("number") is None and "number" not in src.data:
        src.error(("number",), "作为通知的附件须写明附件序号 number", "missing_value")
    src.check()
    columns, count = src.data["columns"], src.data.get("rows") or 1
    rows = [[str(i) if c.type == "index" else "" for c in columns] for i in range(1, count + 1)]
    table = Table([c.name for c in columns], rows, row_height_mm=L.FORM_TABLE_ROW_MM)
    blocks = [Block("text", line) for line in src.data.get("above") or [] if line]
    blocks.append(Block("table", table=table))
    blocks += [Block("text", line) for line in src.data.get("below") or [] if line]
    return Annex(src.data["number"], src.data["title"], blocks, path, landscape=is_landscape(src.data, blocks))


def _qr_annex(path: Path, today: dt.date) -> Annex:
    data = qr_data.load_qr_annex(path)
    blocks = []
    for code in data.codes:
        blocks.append(Block("text", code.caption))
        if code.show_payload and code.payload:
            blocks.append(Block("text", code.payload))
        image = qr_codes.code_image(code, data.base_dir)
        blocks.append(Block("image", image=image, width_mm=qr_codes.print_width_mm(image)))
        if code.valid_until:
            blocks.append(Block("text", qr_data.validity_sentence(data, code)))
    warnings = qr_data.check_codes(data, today, data.base_dir)
    return Annex(data.number, data.title, blocks, path, warnings, data)


def render_annex(annex: Annex, author: str, day: dt.date, template_dir: Path = TEMPLATE_DIR, number_of: str = ""):
    """Render an annex through the annex template; return the python-docx document.

    number_of is the notice's 发文字号 for an annex not bound with it: it then opens the label line
    (国知办函服字〔2022〕270号附件1).
    """
    template = open_template(Path(template_dir) / ANNEX_TEMPLATE)
    width = sections.LANDSCAPE_TEXT_WIDTH_MM if annex.landscape else L.TEXT_WIDTH_MM
    body = blocks_context(template, annex.blocks, width)
    values = {"number": annex.number, "title": "\n".join(break_title(annex.title)), "body": body,
              "number_of": number_of}
    document = render(template, values)
    if annex.landscape:
        sections.turn_landscape(document)
    finish(document, annex.title, author, day)
    return document


def build_annexes(notice, out_dir: Path, template_dir: Path = TEMPLATE_DIR) -> list[Annex]:
    """Write each annex the notice lists with a data file as .docx (roles annex1…), and a QR annex's PDF.

    Every annex is loaded and rendered before the first file is written.
    """
    annexes = [load_annex(ref) for _, ref in notice.annexes if ref]
    files = []
    for annex in annexes:
        number_of = notice.number if annex.number in notice.unbound else ""
        document = render_annex(annex, notice.authority, notice.date, template_dir, number_of)
        files.append((f"annex{annex.number}", annex.file_name, docx_bytes(document, notice.date)))
        files += _qr_pdf(annex)
    out_dir = Path(out_dir)
    written = [(role, atomic_write(out_dir / name, data), {}) for role, name, data in files]
    record_all(out_dir, written)
    return annexes


def build_annexes_of(notice_path: Path, out_dir: Path, template_dir: Path = TEMPLATE_DIR) -> list[Annex]:
    """Load the notice at notice_path and build its annexes into out_dir."""
    return build_annexes(load_notice(notice_path), out_dir, template_dir)


def form_names(notice_path: Path, spec_path: Path) -> FormNames:
    """Name the Excel forms of an annex after the notice: 附件N <name in the 附件说明>, role annexN_form.

    A form the notice does not list keeps its own names, with the notice's authority and date.
    """
    notice = load_notice(notice_path)
    listed = [(n, name) for n, (name, ref) in enumerate(notice.annexes, start=1)
              if ref is not None and ref.resolve() == Path(spec_path).resolve()]
    if not listed:
        return replace(spec_names(load_form_spec(spec_path)), authority=notice.authority, day=notice.date)
    number, name = listed[0]
    return FormNames(f"附件{number} {name}", f"annex{number}_form", notice.authority, notice.date)


def _qr_pdf(annex: Annex) -> list[tuple[str, str, bytes]]:
    """Return the QR annex's one-page PDF as (role, name, bytes); without a Chinese font, warn and give none."""
    if not annex.qr:
        return []
    try:
        data = qr_pdf(annex.qr, annex.qr.base_dir)
    except NoCjkFont as exc:
        annex.warnings.append(f"未生成附件{annex.number} 的转发用 PDF：{exc}")
        return []
    return [(f"annex{annex.number}_pdf", file_name(f"附件{annex.number} {annex.title}", ".pdf", "（转发用）"), data)]
