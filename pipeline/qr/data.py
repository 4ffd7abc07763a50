"""Read and check the data of a QR annex (附件3 活动联络群二维码): captions, payloads or saved images, expiry."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from ..core import source
from ..core.images import picture_problem
from ..core.schema import Date, Fields, Flag, Integer, Items, Text
from ..core.text import chinese_date
from .codes import code_image, decode_qr, encodable

DEFAULT_VALIDITY = "该二维码{days}天内({month}月{day}日前)有效,重新进入将更新"
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
VALIDITY_FIELDS = ("days", "month", "day")
CODE = Fields({"caption": Text(required=True, max_length=200), "payload": Text(),
               "image": Text(max_length=500), "show_payload": Flag(), "valid_until": Date(),
               "valid_days": Integer(maximum=3650)})
SCHEMA = Fields({"number": Integer(required=True), "title": Text(required=True, max_length=200),
                 "reply_by": Date(), "codes": Items(CODE, required=True, max_items=10, empty="至少要有一个二维码"),
                 "validity": Text(max_length=200)})


@dataclass(frozen=True)
class QrCode:
    """Hold one code of the annex: a caption and either a payload to encode or a saved image."""

    caption: str
    payload: str | None = None
    image: str | None = None
    show_payload: bool = False
    valid_until: dt.date | None = None
    valid_days: int | None = None


@dataclass(frozen=True)
class QrAnnex:
    """Hold the content of a QR annex, validated, with nothing about layout."""

    number: int
    title: str
    reply_by: dt.date | None
    codes: tuple[QrCode, ...]
    validity: str = DEFAULT_VALIDITY
    source: Path = Path("annex3.yaml")

    @property
    def base_dir(self) -> Path:
        """Return the folder image paths are relative to (the data file's folder)."""
        return self.source.parent

    @property
    def label(self) -> str:
        """Return the annex label, such as 附件3."""
        return f"附件{self.number}"


# Loading ----------------------------------------------------------------------
def load_qr_annex(path: Path) -> QrAnnex:
    """Read and validate a QR annex data file; raise InputError listing every bad field."""
    src = source.load(path, SCHEMA)
    data = src.data
    codes = tuple(_code(src, i, item) for i, item in enumerate(data.get("codes") or []))
    annex = QrAnnex(data.get("number") or 0, data.get("title", ""), data.get("reply_by"), codes,
                    _validity(src), Path(path))
    src.check()
    return annex


def _code(src: source.Source, i: int, item: dict) -> QrCode:
    code = QrCode(caption=item.get("caption", ""), payload=item.get("payload") or None, image=item.get("image") or None,
                  show_payload=item.get("show_payload", False), valid_until=item.get("valid_until"),
                  valid_days=item.get("valid_days"))
    _check_source_of_code(src, i, code)
    if ("valid_until" in item) != ("valid_days" in item):
        missing = "valid_days（有效天数）" if "valid_days" not in item else "valid_until（有效期截止日期）"
        src.error(("codes", i), f"valid_until 与 valid_days 须同时填写，缺少 {missing}")
    return code


def _check_source_of_code(src: source.Source, i: int, code: QrCode) -> None:
    if code.payload and code.image:
        src.error(("codes", i), "payload（要编码的网址或文字）与 image（保存的二维码图片）只能填一项")
    elif not code.payload and not code.image and not _refused(src, i):
        src.error(("codes", i), "必须填写 payload（要编码的网址或文字）或 image（保存的二维码图片）之一")
    elif code.image:
        _check_image_file(src, ("codes", i, "image"), src.path.parent / code.image)
    elif not encodable(code.payload):
        src.error(("codes", i, "payload"), f"内容有 {len(code.payload)} 个字符，太长，无法编成一个二维码（请换用短网址）")


def _refused(src: source.Source, i: int) -> bool:
    """Tell whether the schema refused code i or its payload or image already (a follow-up check stays quiet)."""
    return (src.reported(("codes", i, "payload")) or src.reported(("codes", i, "image"))
            or not isinstance(src.raw(("codes", i)), (dict, type(None))))


def _check_image_file(src: source.Source, at: tuple, file: Path) -> None:
    if not file.exists() and not file.is_symlink():
        src.error(at, f"图片文件 {file} 不存在（路径相对于本数据文件所在的文件夹）")
        return
    problem = picture_problem(file)
    if problem:
        src.error(at, problem)


def _validity(src: source.Source) -> str:
    """Return the validity pattern; only the placeholders {days}, {month} and {day} may appear in it."""
    pattern = src.data.get("validity") or DEFAULT_VALIDITY
    names = PLACEHOLDER.findall(pattern)
    if any(name not in VALIDITY_FIELDS for name in names) or PLACEHOLDER.sub("", pattern).count("{") \
            or PLACEHOLDER.sub("", pattern).count("}"):
        src.error(("validity",), "有效期说明只能使用 {days}（天数）、{month}（月）、{day}（日）三个占位符，占位符内不加其他符号")
        return DEFAULT_VALIDITY
    return pattern


def validity_sentence(annex: QrAnnex, code: QrCode) -> str:
    """Return the validity note of a code, e.g. 该二维码7天内(3月24日前)有效,重新进入将更新 (empty without a date).

    The placeholders are replaced by name only: the clerk's text is never run as a format string.
    """
    if code.valid_until is None:
        return ""
    values = {"days": str(code.valid_days), "month": str(code.valid_until.month), "day": str(code.valid_until.day)}
    return PLACEHOLDER.sub(lambda m: values[m.group(1)], annex.validity)


# Checks -------------------------------------------------------------------------
def check_codes(annex: QrAnnex, today: dt.date, base_dir: Path | None = None) -> list[str]:
    """Return Chinese warnings: unreadable saved images, codes expiring before the reply date or already expired."""
    base_dir = annex.base_dir if base_dir is None else Path(base_dir)
    warnings = []
    for code in annex.codes:
        warnings += _image_warnings(annex, code, base_dir) + _expiry_warnings(annex, code, today)
    return warnings


def _image_warnings(annex: QrAnnex, code: QrCode, base_dir: Path) -> list[str]:
    if not code.image or decode_qr(code_image(code, base_dir)) is not None:
        return []
    return [f"{annex.label} 的二维码图片 {code.image} 无法识别为二维码，请重新保存"]


def _expiry_warnings(annex: QrAnnex, code: QrCode, today: dt.date) -> list[str]:
    if code.valid_until is None:
        return []
    what, until = f"{annex.label} 的“{code.caption}”", chinese_date(code.valid_until)
    warnings = []
    if annex.reply_by and code.valid_until < annex.reply_by:
        warnings.append(f"{what}{until}后失效，早于回复截止日期{chinese_date(annex.reply_by)}，请换用有效期更长的二维码")
    if code.valid_until < today:
        warnings.append(f"{what}已于{until}过期，请重新保存二维码并更新 valid_until")
    return warnings
