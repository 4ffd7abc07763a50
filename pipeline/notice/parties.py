"""Load who issues and signs a notice: agencies, marks, 签发人, signatures, seals, 签名章, attendance lists."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..core import gbt9704 as L
from ..core.images import SEAL_ASPECT, STAMP_ASPECT, Stamp, load_stamp
from ..core.schema import Fields, Items, OneOrMany, Text
from ..core.text import chinese_date, unwrap_parentheses
from ..core.source import Source

MAX_NAME = 200  # characters in an agency's name or mark
MAX_AGENCIES = 20
LETTER_FORMAT, DOCUMENT_FORMAT, ORDER_FORMAT, MINUTES_FORMAT = "信函格式", "文件格式", "命令格式", "纪要格式"
ATTENDANCE = (("present", "出席"), ("absent", "请假"), ("observers", "列席"))
FORMAT_WORDS = {DOCUMENT_FORMAT: "文件", ORDER_FORMAT: "令", MINUTES_FORMAT: "纪要"}
NAMES = OneOrMany(Text(max_length=MAX_NAME), max_items=MAX_AGENCIES)
SIGNED_BY = Fields({"title": Text(required=True, max_length=100), "stamp": Text(required=True)})
FIELDS = {
    "authority": OneOrMany(Text(max_length=MAX_NAME), required=True, max_items=MAX_AGENCIES),
    "mark": NAMES,
    "mark_word": Text(max_length=10),
    "signers": Items(Text(required=True, max_length=20), max_items=MAX_AGENCIES * 2),
    "signature": NAMES,
    "seals": Items(Text(required=True), max_items=MAX_AGENCIES),
    "proxy_seal": Text(max_length=MAX_NAME),
    "signed_by": Items(SIGNED_BY, max_items=MAX_AGENCIES),
    **{key: Text() for key, _ in ATTENDANCE},
}


@dataclass
class StampedSigner:
    """Hold one 签名章 line: the signer's full title and the signature-stamp image."""

    title: str
    stamp: Stamp


@dataclass
class Parties:
    """Hold the agencies of a notice and everything that signs it, validated."""

    authorities: list[str]
    marks: list[str]
    mark_word: str = ""
    signers: list[str] = field(default_factory=list)
    signatures: list[str] = field(default_factory=list)
    seals: list[Stamp] = field(default_factory=list)
    proxy_seal: str = ""
    signed_by: list[StampedSigner] = field(default_factory=list)
    attendance: list[tuple[str, str]] = field(default_factory=list)  # (出席, names) …

    @property
    def joint(self) -> bool:
        """Tell whether several agencies issue the notice together."""
        return len(self.authorities) > 1


def load_parties(src: Source, fmt: str) -> Parties:
    """Return the checked parties of a notice; errors go to src."""
    data = src.data
    authorities = data.get("authority") or []
    marks, word = _marks(src, fmt, authorities)
    signatures = data.get("signature") or ([] if fmt == MINUTES_FORMAT else list(authorities))
    parties = Parties(authorities, marks, word, data.get("signers") or [], signatures,
                      proxy_seal=unwrap_parentheses(data.get("proxy_seal", "")),
                      attendance=[(label, data[key]) for key, label in ATTENDANCE if data.get(key)])
    parties.seals = [s for i, ref in enumerate(data.get("seals") or [])
                     if (s := _stamp(src, ("seals", i), ref, L.SEAL_DIAMETER_MM, SEAL_ASPECT))]
    parties.signed_by = _signed_by(src)
    _check(src, fmt, parties)
    return parties


def _marks(src: Source, fmt: str, authorities: list[str]) -> tuple[list[str], str]:
    """Return the names of the 发文机关标志 (stacked when several) and the word beside a stack (文件).

    One name takes its word on its own line (甲局 + 文件 = 甲局文件); mark_word, when written (even empty),
    replaces the format's word.
    """
    names = (src.data.get("mark") or authorities)[:1] if fmt == LETTER_FORMAT else src.data.get("mark") or authorities
    default = "" if src.data.get("mark") or fmt == LETTER_FORMAT else FORMAT_WORDS[fmt]
    word = src.data.get("mark_word", default) if fmt != LETTER_FORMAT else ""
    if len(names) > 1 and fmt != DOCUMENT_FORMAT and not src.data.get("mark"):
        src.error(("authority",), f"多个机关联合发出的{fmt}，须另写 mark（发文机关标志，如 甲局乙局联席会议纪要）",
                  "missing_value")
        names = names[:1]
    return (names, word) if len(names) > 1 else ([name + word for name in names], "")


def _stamp(src: Source, at: tuple, ref: str, width_mm: float, aspect: float) -> Stamp | None:
    """Return the checked image at ref (relative to the data file); a problem goes to src at at."""
    if not ref:
        return None
    stamp, problem = load_stamp(src.path.parent / ref, width_mm, aspect)
    if problem:
        src.error(at, problem)
    return stamp


def _signed_by(src: Source) -> list[StampedSigner]:
    signers = []
    for i, item in enumerate(src.data.get("signed_by") or []):
        if not item and isinstance(src.raw(("signed_by", i)), (dict, type(None))):
            src.error(("signed_by", i), "这一项是空的：应写 title（签发人职务）和 stamp（签名章图片）", "missing_value")
        stamp = _stamp(src, ("signed_by", i, "stamp"), item.get("stamp", ""), L.SIGNATURE_STAMP_WIDTH_MM, STAMP_ASPECT)
        if stamp:
            signers.append(StampedSigner(item.get("title", ""), stamp))
    return signers


def _check(src: Source, fmt: str, parties: Parties) -> None:
    """Check what the chosen format cannot hold, and seals, stamps and 代章 against the signatures."""
    _check_signers(src, fmt, parties)
    _check_signing(src, fmt, parties)
    if parties.attendance and fmt != MINUTES_FORMAT:
        key = next(k for k, label in ATTENDANCE if src.data.get(k))
        src.error((key,), f"出席、请假、列席名单只用于纪要格式（现在是{fmt}）")
    for i, name in enumerate(parties.marks):
        _check_mark_fits(src, fmt, i, name, parties)


def _check_signers(src: Source, fmt: str, parties: Parties) -> None:
    if parties.signers and fmt != DOCUMENT_FORMAT:
        src.error(("signers",), f"签发人只用于上行文（请示、报告）的文件格式，{fmt}没有签发人的位置；请删去 signers 或改用 format: 文件格式")
    elif parties.signers and not L.signers_fit(src.data.get("number", ""), parties.signers):
        src.error(("signers",), "签发人姓名太长，与发文字号排不进同一行（每行两个姓名）；请核对姓名")


def _check_signing(src: Source, fmt: str, parties: Parties) -> None:
    """Seals one to a signature, 签名章 alone (and required in a 命令), 代章 under one agency's name."""
    seals, names = len(src.data.get("seals") or []), len(parties.signatures)
    if seals and seals != names and not src.reported(("signature",)) and not src.reported(("authority",)):
        src.error(("seals",), f"印章有 {seals} 枚，署名有 {names} 个：每个署名盖一枚印章，最后一枚同时压成文日期")
    if fmt == ORDER_FORMAT and not src.data.get("signed_by") and "signed_by" not in src.data:
        src.error(("signed_by",), "命令须写签发人职务和签名章：signed_by: [{title: 县长, stamp: 签名章.png}]",
                  "missing_value")
    if src.data.get("signed_by") and (src.data.get("seals") or src.data.get("proxy_seal")):
        src.error(("signed_by",), "签名章（signed_by）不与机关印章（seals）或代章说明（proxy_seal）同时使用")
    if parties.proxy_seal and names > 1:
        src.error(("proxy_seal",), "代章说明只用于单一机关署名（以另一机关的印章代章）")
    day = src.data.get("date")
    if seals == names == 1 and day and not L.seal_name_fits(parties.signatures[0], chinese_date(day)):
        src.error(("signature",), f"署名“{parties.signatures[0]}”太长：盖章时署名须以成文日期为准居中，"
                                  "超出了版心；请写规范化简称")


def _check_mark_fits(src: Source, fmt: str, i: int, name: str, parties: Parties) -> None:
    """Refuse a mark that would need a size below the smallest the standard's look allows."""
    if L.fit_mark_size(name, L.DOC_MARK_SIZE, L.mark_room_mm(fmt, parties.mark_word, L.DOC_MARK_SIZE)) < L.MIN_MARK_SIZE:
        key = "mark" if src.data.get("mark") else "authority"
        at = (key, i) if isinstance(src.raw((key,)), list) else (key,)
        src.error(at, f"发文机关标志“{name}”太长，缩小到 {L.MIN_MARK_SIZE:g} 磅仍排不下一行；请写规范化简称（mark）")
