"""Build the notice (通知/函) as a GB/T 9704 Word document from inputs/notice.yaml and a template."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..core import source
from ..core.errors import InputError
from ..core.manifest import record
from ..core.output import write_docx
from ..core.resources import TEMPLATE_DIR
from ..core.schema import Choice, Date, Either, Fields, Flag, Items, Text
from ..core.text import chinese_date, file_name, unwrap_parentheses
from ..docx import ooxml
from ..docx.render import finish, open_template, render
from ..docx.sections import LANDSCAPE_TEXT_WIDTH_MM
from ..core import gbt9704 as L
from .blocks import Block, body_schema, parse_body
from .body import blocks_context
from .head import lay_out_head
from .signing import place_signatures
from .issued import Issued, load_issued, turn_issued_landscape
from .parties import (FIELDS as PARTY_FIELDS, LETTER_FORMAT, MAX_NAME, MINUTES_FORMAT, ORDER_FORMAT, Parties,
                      load_parties)
from .styles import NOTICE_TEMPLATES
from .title import break_title

FORMATS = tuple(NOTICE_TEMPLATES)
SECRECY_LEVELS = ("绝密", "机密", "秘密")
URGENCY_LEVELS = ("特急", "加急")
MAX_TITLE = 200  # characters: a longer title is a paste error
ANNEX = Either(Text(), Fields({"name": Text(required=True), "source": Text(), "bound": Flag()}),
               what="附件名称，或 name（名称）、source（数据文件）、bound（是否与正文一起装订）组成的一项")
SCHEMA = Fields({
    "format": Choice(FORMATS, required=True),
    "copy_number": Text(max_length=20),
    "secrecy": Text(max_length=50),
    "urgency": Choice(URGENCY_LEVELS),
    **PARTY_FIELDS,
    "number": Text(max_length=100),
    "title": Text(max_length=MAX_TITLE),
    "addressees": Text(),
    "addressees_in_colophon": Flag(),
    "body": body_schema(),
    "closing": Text(),
    "annexes": Items(ANNEX, max_items=99),
    "date": Date(required=True),
    "note": Text(),
    "publication": Text(),
    "issued": Text(),
    "copy_to": Text(),
    "printer": Text(max_length=MAX_NAME),
    "print_date": Date(),
})
ORDER_NUMBER_RE = re.compile(r"^第[1-9]\d*号$")
DOC_TYPES = ("决议", "决定", "命令", "公报", "公告", "通告", "意见", "通知", "通报", "报告", "请示", "批复", "议案", "纪要", "函", "令")
NUMBER_RE = re.compile(r"^(?P<code>\S+?)〔(?P<year>\d{4})〕(?P<serial>[1-9]\d*)号$")
# A 发文字号 not yet assigned: serial 0, printed for the clerk to replace; `check` reports it (number_format).
PLACEHOLDER_NUMBER_RE = re.compile(r"^\S+?〔\d{4}〕0号$")


@dataclass
class Notice:
    """Hold every element of a notice, validated, with nothing about layout."""

    format: str
    parties: Parties
    number: str
    title: str
    addressees: str
    body: list[Block]
    closing: str
    annexes: list[tuple[str, Path | None]]
    date: dt.date
    addressees_in_colophon: bool = False
    issued: Issued | None = None
    unbound: frozenset[int] = frozenset()  # numbers of the annexes not bound with the notice
    note: str = ""
    publication: str = ""
    copy_to: str = ""
    printer: str = ""
    print_date: dt.date | None = None
    head_marks: list[str] = field(default_factory=list)  # 份号, 密级和保密期限, 紧急程度 (those given)
    source: Path = field(default=Path("notice.yaml"))

    @property
    def authority(self) -> str:
        """Return the issuing agencies as one text (the author of the files): 甲、乙."""
        return "、".join(self.parties.authorities)

    @property
    def mark(self) -> str:
        """Return the 发文机关标志 as one line of text (a joint mark's names one after another)."""
        return "".join(self.parties.marks) + self.parties.mark_word

    @property
    def doc_type(self) -> str:
        """Return the 文种 the title ends with (通知, 函 …), or the format's own (令, 纪要), or 公文."""
        own = {ORDER_FORMAT: "令", MINUTES_FORMAT: "纪要"}.get(self.format, "公文")
        return next((t for t in DOC_TYPES if self.title.endswith(t)), own)

    @property
    def file_name(self) -> str:
        """Return the clerk-facing output name, such as '国知办函服字〔2022〕270号 通知.docx'."""
        if self.format == ORDER_FORMAT:
            return file_name(f"{self.mark}（{self.number}）", ".docx")
        if self.format == MINUTES_FORMAT:
            return file_name(f"{self.mark}{self.number}", ".docx")
        return file_name(f"{self.number or self.mark} {self.doc_type}", ".docx")


# Formatting of data ------------------------------------------------------------

def _with_suffix(text: str, suffix: str) -> str:
    text = text.rstrip()
    return text if not text or text.endswith(suffix) else text.rstrip("：:。.，,") + suffix


# Loading and validation --------------------------------------------------------
def load_notice(path: Path) -> Notice:
    """Load and validate a notice file; raise InputError naming every bad field and its line."""
    src = source.load(path, SCHEMA)
    data = src.data
    fmt = data.get("format", "")
    in_colophon = bool(data.get("addressees_in_colophon"))
    notice = Notice(
        format=fmt,
        parties=load_parties(src, fmt) if fmt else Parties([], []),
        number=_number(src, fmt),
        title=data.get("title", ""),
        addressees=_with_suffix(data.get("addressees", ""), "："),
        body=parse_body(src),
        closing=data.get("closing", ""),
        annexes=_annexes(src),
        date=data.get("date"),
        addressees_in_colophon=in_colophon,
        issued=load_issued(src),
        unbound=frozenset(i for i, item in enumerate(data.get("annexes") or [], start=1)
                          if isinstance(item, dict) and item.get("bound") is False),
        note=unwrap_parentheses(data.get("note", "")),
        publication=unwrap_parentheses(data.get("publication", "")),
        copy_to=_with_suffix(data.get("copy_to", ""), "。"),
        printer=data.get("printer", ""),
        print_date=data.get("print_date"),
        head_marks=_head_marks(src),
        source=Path(path),
    )
    _check_required(src, fmt, in_colophon)
    _check_print(src, notice)
    src.check()
    return notice


def _check_required(src: source.Source, fmt: str, in_colophon: bool) -> None:
    """Require what the format needs: a title and 主送 (not in a 命令), a number (not in a 纪要)."""
    data = src.data
    if not fmt:  # the format is missing or wrong (reported): what it requires is unknown
        return
    needs = {"title": fmt != ORDER_FORMAT, "addressees": fmt not in (ORDER_FORMAT, MINUTES_FORMAT) or in_colophon,
             "number": fmt != MINUTES_FORMAT}
    for key, needed in needs.items():
        if needed and not data.get(key) and not src.reported((key,)):
            src.error((key,), "缺少此项，必须填写" + ("（addressees_in_colophon 要求写主送机关）" if key == "addressees"
                                                     and in_colophon else ""), "missing_value")


def _check_print(src: source.Source, notice: Notice) -> None:
    if notice.printer and not notice.print_date and "print_date" not in src.data:
        src.error(("print_date",), "缺少此项，必须填写日期（格式 YYYY-MM-DD，如 2022-03-22）", "missing_value")
    if notice.print_date and not notice.printer and not src.reported(("printer",)):
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


def _number(src: source.Source, fmt: str) -> str:
    number = src.data.get("number", "")
    if not fmt:  # the format is missing or wrong (reported): the number's form is unknown
        return number
    if fmt == ORDER_FORMAT:
        if number and not ORDER_NUMBER_RE.match(number):
            src.error(("number",), f"令号“{number}”格式不对：应为“第N号”，如 第5号（不编虚位）")
        return number
    if not number or NUMBER_RE.match(number) or PLACEHOLDER_NUMBER_RE.match(number) or fmt == MINUTES_FORMAT:
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


# Rendering ---------------------------------------------------------------------
def context(notice: Notice, template) -> dict:
    """Return the docxtpl context: every text of the notice, ready to print."""
    parties, in_colophon = notice.parties, notice.addressees_in_colophon
    issued = notice.issued
    return {
        "mark": notice.mark,
        "number": notice.number,
        "title": "\n".join(break_title(notice.title)) if notice.title else "",
        "addressees": "" if in_colophon else notice.addressees,
        "colophon_addressees": _with_suffix(notice.addressees, "。") if in_colophon else "",
        "body": blocks_context(template, notice.body),
        "closing": notice.closing,
        "annexes": [{"number": i, "name": n} for i, (n, _) in enumerate(notice.annexes, start=1)],
        "attendance": [{"label": label, "names": names} for label, names in parties.attendance],
        "signatures": [] if parties.signed_by else parties.signatures,
        "signed_by": [s.title for s in parties.signed_by],
        "proxy_seal": parties.proxy_seal,
        "date": chinese_date(notice.date),
        "note": notice.note,
        "publication": notice.publication,
        "issued": {"title": "\n".join(break_title(issued.title)),
                   "body": blocks_context(template, issued.body, LANDSCAPE_TEXT_WIDTH_MM if issued.landscape
                                          else L.TEXT_WIDTH_MM)} if issued else None,
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
    lay_out_head(document, notice.format, notice.parties, len(notice.head_marks) if notice.format != LETTER_FORMAT else 0)
    place_signatures(document, notice.parties, values["date"])
    if notice.format == LETTER_FORMAT and not notice.printer:
        drop_printer_line(document)
    if notice.issued and notice.issued.landscape:
        turn_issued_landscape(document)
    finish(document, notice.title or notice.mark, notice.authority, notice.date)
    return document


def drop_printer_line(document) -> None:
    """Leave out a letter's 印发机关/印发日期 line and the 版记 rules when the data gives no 印发机关."""
    for table in document.tables:
        if any(p.style.name == "版记" for row in table.rows for c in row.cells for p in c.paragraphs):
            ooxml.drop_last_row(table)
            ooxml.remove_table_borders(table)


def build_notice(input_path: Path, out_dir: Path, template_dir: Path = TEMPLATE_DIR) -> Path:
    """Validate the notice data, write the .docx into out_dir and record it in the manifest."""
    notice = load_notice(input_path)
    path = write_docx(render_notice(notice, template_dir), Path(out_dir) / notice.file_name, notice.date)
    record(out_dir, "notice", path)
    return path
