"""Build the notice (通知/函) as a GB/T 9704 Word document from inputs/notice.yaml and a template."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from ..core import source
from ..core.errors import InputError, PipelineError
from ..core.manifest import record
from ..core.output import write_docx
from ..core.resources import TEMPLATE_DIR
from ..core.schema import Choice, Date, Either, Fields, Items, Text
from ..core.text import chinese_date, file_name
from ..docx import ooxml
from ..docx.render import finish, open_template, render
from ..core import gbt9704 as L
from .blocks import Block, body_schema, parse_body
from .body import blocks_context
from .styles import NOTICE_TEMPLATES
from .title import break_title

FORMATS = tuple(NOTICE_TEMPLATES)
SECRECY_LEVELS = ("绝密", "机密", "秘密")
URGENCY_LEVELS = ("特急", "加急")
MAX_TITLE = 200  # characters: a longer title is a paste error
MAX_NAME = 200  # characters in an agency's name or mark
ANNEX = Either(Text(), Fields({"name": Text(required=True), "source": Text()}),
               what="附件名称，或 name（名称）与 source（数据文件）组成的一项")
SCHEMA = Fields({
    "format": Choice(FORMATS, required=True),
    "copy_number": Text(max_length=20),
    "secrecy": Text(max_length=50),
    "urgency": Choice(URGENCY_LEVELS),
    "authority": Text(required=True, max_length=MAX_NAME),
    "mark": Text(max_length=MAX_NAME),
    "number": Text(required=True, max_length=100),
    "title": Text(required=True, max_length=MAX_TITLE),
    "addressees": Text(required=True),
    "body": body_schema(),
    "closing": Text(),
    "annexes": Items(ANNEX, max_items=99),
    "signature": Text(max_length=MAX_NAME),
    "date": Date(required=True),
    "note": Text(),
    "publication": Text(),
    "copy_to": Text(),
    "printer": Text(max_length=MAX_NAME),
    "print_date": Date(),
})
DOC_TYPES = ("决议", "决定", "命令", "公报", "公告", "通告", "意见", "通知", "通报", "报告", "请示", "批复", "议案", "纪要", "函", "令")
NUMBER_RE = re.compile(r"^(?P<code>\S+?)〔(?P<year>\d{4})〕(?P<serial>[1-9]\d*)号$")


@dataclass
class Notice:
    """Hold every element of a notice, validated, with nothing about layout."""

    format: str
    authority: str
    mark: str
    number: str
    title: str
    addressees: str
    body: list[Block]
    closing: str
    annexes: list[tuple[str, Path | None]]
    signature: str
    date: dt.date
    note: str = ""
    publication: str = ""
    copy_to: str = ""
    printer: str = ""
    print_date: dt.date | None = None
    head_marks: list[str] = field(default_factory=list)  # 份号, 密级和保密期限, 紧急程度 (those given)
    source: Path = field(default=Path("notice.yaml"))

    @property
    def doc_type(self) -> str:
        """Return the 文种 the title ends with (通知, 函 …), or 公文."""
        return next((t for t in DOC_TYPES if self.title.endswith(t)), "公文")

    @property
    def file_name(self) -> str:
        """Return the clerk-facing output name, such as '国知办函服字〔2022〕270号 通知.docx'."""
        return file_name(f"{self.number} {self.doc_type}", ".docx")


# Formatting of data ------------------------------------------------------------

def _with_suffix(text: str, suffix: str) -> str:
    text = text.rstrip()
    return text if not text or text.endswith(suffix) else text.rstrip("：:。.，,") + suffix


def _unwrap(text: str) -> str:
    return text[1:-1] if text.startswith(("（", "(")) and text.endswith(("）", ")")) else text


# Loading and validation --------------------------------------------------------
def load_notice(path: Path) -> Notice:
    """Load and validate a notice file; raise InputError naming every bad field and its line."""
    src = source.load(path, SCHEMA)
    data = src.data
    fmt, authority = data.get("format", ""), data.get("authority", "")
    notice = Notice(
        format=fmt,
        authority=authority,
        mark=data.get("mark") or _default_mark(fmt, authority),
        number=_number(src),
        title=data.get("title", ""),
        addressees=_with_suffix(data.get("addressees", ""), "："),
        body=parse_body(src),
        closing=data.get("closing", ""),
        annexes=_annexes(src),
        signature=data.get("signature") or authority,
        date=data.get("date"),
        note=_unwrap(data.get("note", "")),
        publication=_unwrap(data.get("publication", "")),
        copy_to=_with_suffix(data.get("copy_to", ""), "。"),
        printer=data.get("printer", ""),
        print_date=data.get("print_date"),
        head_marks=_head_marks(src),
        source=Path(path),
    )
    _check_print(src, notice)
    src.check()
    return notice


def _check_print(src: source.Source, notice: Notice) -> None:
    if notice.printer and not notice.print_date and "print_date" not in src.data:
        src.error(("print_date",), "缺少此项，必须填写日期（格式 YYYY-MM-DD，如 2022-03-22）", "missing_value")
    if notice.print_date and not notice.printer:
        src.error(("printer",), "填写了印发日期，也须填写印发机关")
    if notice.print_date and notice.date and notice.print_date < notice.date:
        src.error(("print_date",), f"印发日期 {notice.print_date} 早于成文日期 {notice.date}")


def _head_marks(src: source.Source) -> list[str]:
    """Return the 版头 marks given: 份号 (6 digits), 密级 and its term, 紧急程度; errors go to src."""
    copy = src.data.get("copy_number", "")
    if copy and not (copy.isdigit() and len(copy) <= 6):
        src.error(("copy_number",), f"份号“{copy}”应为不超过 6 位的阿拉伯数字，如 000001")
    secrecy = src.data.get("secrecy", "")
    if secrecy and not secrecy.startswith(SECRECY_LEVELS):
        src.error(("secrecy",), f"密级“{secrecy}”应以 绝密、机密 或 秘密 开头，如 秘密★1年")
    urgency = src.data.get("urgency", "")
    return [m for m in (copy.zfill(6) if copy.isdigit() else copy, secrecy, urgency) if m]


def _default_mark(fmt: str, authority: str) -> str:
    return authority + "文件" if fmt == "文件格式" and authority else authority


def _number(src: source.Source) -> str:
    number = src.data.get("number", "")
    if not number or NUMBER_RE.match(number):
        return number
    hint = "应为“机关代字〔年份〕序号号”，如 国知办函服字〔2022〕270号"
    if "第" in number:
        hint += "；序号前不加“第”"
    elif re.search(r"[\[\]()（）【】]", number):
        hint += "；年份用六角括号〔〕"
    elif re.search(r"〕0\d*号", number):
        hint += "；序号不编虚位（不加前导 0）"
    src.error(("number",), f"发文字号“{number}”格式不对：{hint}")
    return number


def _annexes(src: source.Source) -> list[tuple[str, Path | None]]:
    """Return (name, annex data file or None) pairs, recording errors in the list."""
    annexes = []
    for i, item in enumerate(src.data.get("annexes") or []):
        name, ref = (item.get("name", ""), item.get("source", "")) if isinstance(item, dict) else (item or "", "")
        _check_annex_source(src, i, name, ref)
        if name.endswith(("。", "；", "，", ".", ";")):
            src.error(("annexes", i), f"附件名称“{name}”末尾不加标点")
        if name and name in [n for n, _ in annexes]:
            src.error(("annexes", i), f"附件名称“{name}”重复")
        annexes.append((name, src.path.parent / ref if ref else None))
    return annexes


def _check_annex_source(src: source.Source, i: int, name: str, ref: str) -> None:
    """Check that an annex's data file exists and that its title and number agree with the 附件说明."""
    if not ref:
        return
    path = src.path.parent / ref
    if not path.exists():
        src.error(("annexes", i, "source"), f"附件文件 {path} 不存在")
        return
    try:
        annex = source.parse(path)
    except InputError as exc:
        src.errors.extend(exc.errors)
        return
    title = annex.data.get("title")
    title = title.replace("\n", "").strip() if isinstance(title, str) else ""
    if name and title and name not in title:
        src.error(("annexes", i, "name"), f"附件说明中的名称“{name}”与附件 {ref} 的标题“{title}”不一致")
    number = annex.data.get("number")
    if number is not None and number != i + 1:
        src.error(("annexes", i, "source"), f"附件 {ref} 的序号是 {number}，但在附件说明中排第 {i + 1}")


def annex_entry(notice: Notice, data_path: Path) -> tuple[int, str]:
    """Return the number and listed name of the annex whose data file is data_path."""
    for number, (name, ref) in enumerate(notice.annexes, start=1):
        if ref is not None and ref.resolve() == Path(data_path).resolve():
            return number, name
    raise PipelineError(f"通知 {notice.source} 的附件说明中没有以 {data_path} 为数据文件（source）的附件")


# Rendering ---------------------------------------------------------------------
def context(notice: Notice, template) -> dict:
    """Return the docxtpl context: every text of the notice, ready to print."""
    return {
        "mark": notice.mark,
        "number": notice.number,
        "title": "\n".join(break_title(notice.title)),
        "addressees": notice.addressees,
        "body": blocks_context(template, notice.body),
        "closing": notice.closing,
        "annexes": [{"number": i, "name": n} for i, (n, _) in enumerate(notice.annexes, start=1)],
        "signature": notice.signature,
        "date": chinese_date(notice.date),
        "note": notice.note,
        "publication": notice.publication,
        "copy_to": notice.copy_to,
        "printer": notice.printer,
        "print_date": chinese_date(notice.print_date) if notice.print_date else "",
        "head_marks": notice.head_marks,
    }


def render_notice(notice: Notice, template_dir: Path = TEMPLATE_DIR):
    """Render the notice through its format's template; return the python-docx document."""
    template = open_template(Path(template_dir) / NOTICE_TEMPLATES[notice.format])
    values = context(notice, template)
    document = render(template, values)
    place_signature(document, values["signature"], values["date"])
    fit_mark(document, notice)
    keep_mark_position(document, notice)
    finish(document, notice.title, notice.authority, notice.date)
    return document


def place_signature(document, signature: str, date_text: str) -> None:
    """Place the signature and date by the no-seal rule.

    Usually the date is shorter: the signature is right-indented 2 characters and the date starts 2
    characters right of its first character. A longer date is right-indented 2 and the signature moves left.
    """
    name_right, date_right = L.signature_indents(signature, date_text)
    for paragraph in document.paragraphs:
        if paragraph.style.name == "署名":
            ooxml.set_indents(paragraph, right=name_right, size_pt=L.SIZE_3HAO)
        elif paragraph.style.name == "成文日期" and date_right > L.SIGNATURE_RIGHT_CHARS:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
            paragraph.paragraph_format.left_indent = Pt(L.date_left_indent_pt(signature))
        elif paragraph.style.name == "成文日期":
            ooxml.set_indents(paragraph, right=date_right, size_pt=L.SIZE_3HAO)


def fit_mark(document, notice: Notice) -> None:
    """Shrink a long 发文机关标志 so it stays on one line within its width."""
    style = document.styles["发文机关标志"]
    size = L.fit_mark_size(notice.mark, style.font.size.pt, L.mark_width_mm(notice.format))
    if size >= style.font.size.pt:
        return
    for root in ooxml.story_roots(document):
        for paragraph in ooxml.paragraphs_with_style(root, style.style_id, document):
            for run in paragraph.runs:
                run.font.size = Pt(size)


def keep_mark_position(document, notice: Notice) -> None:
    """Keep the 文件格式 mark 35 mm below the 版心 top when 份号/密级/紧急程度 lines stand above it."""
    if notice.format != "文件格式" or not notice.head_marks:
        return
    mark = next(p for p in document.paragraphs if p.style.name == "发文机关标志")
    above_pt = len(notice.head_marks) * L.LINE_PITCH_PT
    mark.paragraph_format.space_before = Pt(L.DOC_MARK_TOP_MM / L.MM_PER_PT - above_pt)


def build_notice(input_path: Path, out_dir: Path, template_dir: Path = TEMPLATE_DIR) -> Path:
    """Validate the notice data, write the .docx into out_dir and record it in the manifest."""
    notice = load_notice(input_path)
    path = write_docx(render_notice(notice, template_dir), Path(out_dir) / notice.file_name, notice.date)
    record(out_dir, "notice", path)
    return path
