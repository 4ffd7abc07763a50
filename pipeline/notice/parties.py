"""Load who issues and signs a notice: agencies, marks, 签发人, signatures, seals, 签名章, attendance lists."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..core import gbt9704 as L
from ..core.images import SEAL_ASPECT, STAMP_ASPECT, Stamp, load_stamp
from ..core.schema import Fields, Items, OneOrMany, Text
from ..core.source import Source

MAX_NAME = 200  # characters in an agency's name or mark
MAX_AGENCIES = 20
LETTER_FORMAT, DOCUMENT_FORMAT, ORDER_FORMAT, MINUTES_FORMAT = "信函格式", "文件格式", "命令格式", "纪要格式"
ATTENDANCE = (("present", "出席"), ("absent", "请假"), ("observers", "列席"))
NAMES = OneOrMany(Text(max_length=MAX_NAME), max_items=MAX_AGENCIES)
SIGNED_BY = Fields({"title": Text(required=True, max_length=100), "stamp": Text(), "name": Text(max_length=50)})
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
class Signer:
    """Hold one 签名章 line: the signer's full title and the stamp image (or the name typed instead)."""

    title: str
    stamp: Stamp | None = None
    name: str = ""


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
    signed_by: list[Signer] = field(default_factory=list)
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
    parties = Parties(authorities, marks, word, data.get("signers") or [],
                      data.get("signature") or ([] if fmt == MINUTES_FORMAT else list(authorities)), proxy_seal=_unwrap(data.get("proxy_seal", "")),
                      attendance=[(label, data[key]) for key, label in ATTENDANCE if data.get(key)])
    parties.seals = _stamps(src, "seals", data.get("seals") or [], L.SEAL_DIAMETER_MM)
    parties.signed_by = _signed_by(src)
    _check(src, fmt, parties)
    return parties


def _marks(src: Source, fmt: str, authorities: list[str]) -> tuple[list[str], str]:
    """Return the names of the 发文机关标志 (stacked when several) and the word beside them (文件)."""
    given = src.data.get("mark") or []
    if fmt == LETTER_FORMAT:
        return (given or authorities)[:1], ""
    if given:
        return given, src.data.get("mark_word", "")
    suffix = src.data.get("mark_word", {DOCUMENT_FORMAT: "文件", ORDER_FORMAT: "令", MINUTES_FORMAT: "纪要"}[fmt])
    if len(authorities) > 1 and fmt == DOCUMENT_FORMAT:
        return list(authorities), suffix
    if len(authorities) > 1:
        src.error(("authority",), f"多个机关联合发出的{fmt}，须另写 mark（发文机关标志，如 甲局乙局联席会议纪要）",
                  "missing_value")
    return [name + suffix for name in authorities[:1]], ""


def _stamps(src: Source, key: str, paths: list[str], width_mm: float, at: tuple = (),
            aspect: float = SEAL_ASPECT) -> list[Stamp]:
    stamps = []
    for i, ref in enumerate(paths):
        if not ref:
            continue
        stamp, problem = load_stamp(src.path.parent / ref, width_mm, aspect)
        if problem:
            src.error(at + (key, i) if not at else at, problem)
        stamps.append(stamp)
    return [s for s in stamps if s]


def _signed_by(src: Source) -> list[Signer]:
    signers = []
    for i, item in enumerate(src.data.get("signed_by") or []):
        ref = item.get("stamp", "")
        stamps = _stamps(src, "stamp", [ref], L.SIGNATURE_STAMP_WIDTH_MM, ("signed_by", i, "stamp"),
                         STAMP_ASPECT) if ref else []
        if not ref and not item.get("name"):
            src.error(("signed_by", i), "签名章须写 stamp（签名章图片），或写 name（签发人姓名）", "missing_value")
        signers.append(Signer(item.get("title", ""), stamps[0] if stamps else None, item.get("name", "")))
    return signers


def _check(src: Source, fmt: str, parties: Parties) -> None:
    """Check what the chosen format cannot hold, and seals against signatures."""
    if parties.signers and fmt != DOCUMENT_FORMAT:
        src.error(("signers",), f"签发人只用于上行文（请示、报告）的文件格式，{fmt}没有签发人的位置；请删去 signers 或改用 format: 文件格式")
    elif parties.signers and not L.signers_fit(src.data.get("number", ""), parties.signers):
        src.error(("signers",), "签发人姓名太长，与发文字号排不进同一行（每行两个姓名）；请核对姓名")
    if len(src.data.get("seals") or []) > len(parties.signatures):
        src.error(("seals",), f"印章有 {len(src.data['seals'])} 枚，多于署名 {len(parties.signatures)} 个：每个署名最多盖一枚印章")
    if parties.signed_by and src.data.get("seals"):
        src.error(("signed_by",), "签名章（signed_by）与机关印章（seals）不同时使用：命令用签名章，其他公文用印章")
    if parties.attendance and fmt != MINUTES_FORMAT:
        key = next(k for k, label in ATTENDANCE if src.data.get(k))
        src.error((key,), f"出席、请假、列席名单只用于纪要格式（现在是{fmt}）")
    for i, name in enumerate(parties.marks):
        _check_mark_fits(src, fmt, i, name, parties)


def _check_mark_fits(src: Source, fmt: str, i: int, name: str, parties: Parties) -> None:
    """Refuse a mark that would need a size below the smallest the standard's look allows."""
    width = L.mark_width_mm(fmt) - (L.char_units(parties.mark_word) * L.DOC_MARK_SIZE * L.MM_PER_PT
                                    if parties.mark_word else 0)
    if L.fit_mark_size(name, L.DOC_MARK_SIZE, width) < L.MIN_MARK_SIZE:
        key = "mark" if src.data.get("mark") else "authority"
        at = (key, i) if isinstance(src.raw((key,)), list) else (key,)
        src.error(at, f"发文机关标志“{name}”太长，缩小到 {L.MIN_MARK_SIZE:g} 磅仍排不下一行；请写规范化简称（mark）")


def _unwrap(text: str) -> str:
    return text[1:-1] if text.startswith(("（", "(")) and text.endswith(("）", ")")) else text
