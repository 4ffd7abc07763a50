"""Make the QR codes of an annex (附件3 活动联络群二维码), check them, and print them on a one-page PDF."""

from __future__ import annotations

import datetime as dt
import io
import math
import shutil
import string
import subprocess
from dataclasses import dataclass
from pathlib import Path

import qrcode
import qrcode.exceptions
import zxingcpp
from PIL import Image, UnidentifiedImageError
from qrcode.constants import ERROR_CORRECT_Q
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from . import layout as L
from .blocks import chinese_date
from . import source
from .errors import PipelineError
from .output import atomic_write

QR_WIDTH_MM = L.QR_WIDTH_MM
QUIET_ZONE_MODULES = 4
QR_ERROR_CORRECTION = ERROR_CORRECT_Q  # about 25 % of the symbol may be damaged
QR_EC_LETTER = "Q"
PRINT_DPI = 300  # the least resolution of a generated code at QR_WIDTH_MM
DEFAULT_VALIDITY = "该二维码{days}天内({month}月{day}日前)有效,重新进入将更新"
VALIDITY_FIELDS = {"days", "month", "day"}
CODE_KEYS = ("caption", "payload", "image", "show_payload", "valid_until", "valid_days")

# Fonts: reportlab embeds TrueType outlines only (the Noto CJK .ttc files are CFF).
FONT_FAMILIES = {
    "hei": ("WenQuanYi Zen Hei", "AR PL UMing CN", "AR PL UKai CN"),  # 黑体 stand-in for the label
    "song": ("AR PL UMing CN", "AR PL UKai CN", "WenQuanYi Zen Hei"),  # 仿宋/宋体 stand-in
}
KNOWN_FONT_FILES = {
    "AR PL UMing CN": ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    "AR PL UKai CN": ("/usr/share/fonts/truetype/arphic/ukai.ttc", 0),
    "WenQuanYi Zen Hei": ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
}
FONT_HINT = (
    "未找到可嵌入 PDF 的 TrueType 中文字体（AR PL UMing CN、AR PL UKai CN 或 WenQuanYi Zen Hei），"
    "无法生成附件二维码 PDF。安装方法（Debian/Ubuntu，需 root）：\n"
    "  apt-get install -y fonts-arphic-uming fonts-arphic-ukai"
)


class NoCjkFont(PipelineError):
    """Report that no TrueType-outline Chinese font is installed for the PDF."""


class PageOverflow(PipelineError):
    """Report that the codes and captions do not fit on one page."""


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
    src = source.load(path)
    annex = QrAnnex(number=_positive_int(src, "number", required=True) or 0, title=src.text("title"),
                    reply_by=src.date("reply_by", required=False), codes=_codes(src),
                    validity=_validity(src), source=Path(path))
    src.check()
    return annex


def _codes(src: source.Source) -> tuple[QrCode, ...]:
    items = src.items("codes", required=True)
    if not items and src.raw(("codes",)) is not None:
        src.error(("codes",), "至少要有一个二维码")
    return tuple(_code(src, i) for i in range(len(items)))


def _code(src: source.Source, i: int) -> QrCode:
    if not isinstance(src.raw(("codes", i)), dict):
        src.error(("codes", i), "应为“caption: …”等字段组成的一项")
        return QrCode(caption="")
    _unknown_keys(src, i)
    code = QrCode(caption=src.text("codes", i, "caption"),
                  payload=src.text("codes", i, "payload", required=False) or None,
                  image=src.text("codes", i, "image", required=False) or None,
                  show_payload=_flag(src, ("codes", i, "show_payload")),
                  valid_until=src.date("codes", i, "valid_until", required=False),
                  valid_days=_positive_int(src, "codes", i, "valid_days"))
    _check_source_of_code(src, i, code)
    _check_validity_pair(src, i, code)
    return code


def _unknown_keys(src: source.Source, i: int) -> None:
    for key in src.raw(("codes", i)):
        if key not in CODE_KEYS:
            src.error(("codes", i, key), f"不认识的字段，可用的字段：{'、'.join(CODE_KEYS)}")


def _check_source_of_code(src: source.Source, i: int, code: QrCode) -> None:
    if code.payload and code.image:
        src.error(("codes", i), "payload（要编码的网址或文字）与 image（保存的二维码图片）只能填一项")
    elif not code.payload and not code.image:
        src.error(("codes", i), "必须填写 payload（要编码的网址或文字）或 image（保存的二维码图片）之一")
    elif code.image:
        _check_image_file(src, ("codes", i, "image"), src.path.parent / code.image)
    elif not _encodable(code.payload):
        src.error(("codes", i, "payload"), f"内容有 {len(code.payload)} 个字符，太长，无法编成一个二维码（请换用短网址）")


def _encodable(payload: str) -> bool:
    try:
        qr_png(payload)
    except (qrcode.exceptions.DataOverflowError, ValueError):
        return False
    return True


def _check_image_file(src: source.Source, path: tuple, file: Path) -> None:
    if not file.is_file():
        src.error(path, f"图片文件 {file} 不存在（路径相对于本数据文件所在的文件夹）")
        return
    try:
        with Image.open(file) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError):
        src.error(path, f"{file} 不是可读取的图片，请保存为 PNG 或 JPEG")


def _check_validity_pair(src: source.Source, i: int, code: QrCode) -> None:
    until, days = src.raw(("codes", i, "valid_until")), src.raw(("codes", i, "valid_days"))
    if (until is None) != (days is None):
        missing = "valid_days（有效天数）" if days is None else "valid_until（有效期截止日期）"
        src.error(("codes", i), f"valid_until 与 valid_days 须同时填写，缺少 {missing}")


def _positive_int(src: source.Source, *path, required: bool = False) -> int | None:
    value = src.raw(path)
    if value is None:
        if required:
            src.error(path, "缺少此项，必须填写（正整数）")
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        src.error(path, f"“{value}”无效，应为正整数（如 3）")
        return None
    return value


def _flag(src: source.Source, path: tuple) -> bool:
    value = src.raw(path)
    if value is not None and not isinstance(value, bool):
        src.error(path, f"“{value}”无效，只能是 true（是）或 false（否）")
        return False
    return bool(value)


def _validity(src: source.Source) -> str:
    pattern = src.text("validity", required=False) or DEFAULT_VALIDITY
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None}
    except ValueError:
        names = {"{"}
    if not names <= VALIDITY_FIELDS or not _formats(pattern):
        src.error(("validity",), "有效期说明只能使用 {days}（天数）、{month}（月）、{day}（日）三个占位符，占位符内不加其他符号")
        return DEFAULT_VALIDITY
    return pattern


def _formats(pattern: str) -> bool:
    try:
        pattern.format(days=7, month=3, day=24)
    except (ValueError, KeyError, IndexError):
        return False
    return True


# Codes --------------------------------------------------------------------------
def qr_png(payload: str, width_mm: float = QR_WIDTH_MM) -> bytes:
    """Encode payload as a QR PNG (EC level Q, 4-module quiet zone) whose DPI prints it width_mm wide."""
    code = qrcode.QRCode(error_correction=QR_ERROR_CORRECTION, border=QUIET_ZONE_MODULES)
    code.add_data(payload)
    code.make(fit=True)
    modules = code.modules_count + 2 * QUIET_ZONE_MODULES
    code.box_size = max(1, math.ceil(PRINT_DPI * width_mm / 25.4 / modules))
    image = code.make_image(fill_color="black", back_color="white").get_image()
    dpi = image.width * 25.4 / width_mm
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(dpi, dpi), optimize=True)
    return buffer.getvalue()


def code_image(code: QrCode, base_dir: Path) -> bytes:
    """Return the picture to print for a code: generated from its payload, or the saved image as is."""
    if code.payload:
        return qr_png(code.payload)
    return (Path(base_dir) / code.image).read_bytes()


def read_qr(png_bytes: bytes):
    """Return the first QR code zxing-cpp finds in an image (a zxingcpp.Barcode), or None."""
    try:
        with Image.open(io.BytesIO(png_bytes)) as image:
            found = zxingcpp.read_barcodes(image.convert("L"), formats=zxingcpp.BarcodeFormat.QRCode)
    except (UnidentifiedImageError, OSError):
        return None
    return found[0] if found else None


def decode_qr(png_bytes: bytes) -> str | None:
    """Return the text of the first QR code in an image, or None if there is none."""
    found = read_qr(png_bytes)
    return found.text if found else None


def print_width_mm(png_bytes: bytes) -> float:
    """Return the width to print an image at so that its QR code, quiet zone included, is QR_WIDTH_MM wide."""
    found = read_qr(png_bytes)
    if found is None or not str(found.extra.get("Version", "")).isdigit():
        return QR_WIDTH_MM
    modules = 17 + 4 * int(found.extra["Version"])
    corners = [found.position.top_left, found.position.top_right, found.position.bottom_right, found.position.bottom_left]
    symbol_px = max(c.x for c in corners) - min(c.x for c in corners)
    with Image.open(io.BytesIO(png_bytes)) as image:
        width_px = image.width
    quiet_px = symbol_px * (modules + 2 * QUIET_ZONE_MODULES) / modules
    return QR_WIDTH_MM * max(1.0, width_px / quiet_px)


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


def validity_sentence(annex: QrAnnex, code: QrCode) -> str:
    """Return the validity note of a code, e.g. 该二维码7天内(3月24日前)有效,重新进入将更新 (empty without a date)."""
    if code.valid_until is None:
        return ""
    until = code.valid_until
    return annex.validity.format(days=code.valid_days, month=until.month, day=until.day)


# Fonts --------------------------------------------------------------------------
def find_truetype_font(family: str) -> tuple[str, int] | None:
    """Return (file, face index) of an installed TrueType-outline font of a family, or None."""
    if shutil.which("fc-list") is None:
        known = KNOWN_FONT_FILES.get(family)
        return known if known and Path(known[0]).is_file() else None
    listed = subprocess.run(["fc-list", "-f", "%{fontformat}|%{index}|%{file}\n", family],
                            capture_output=True, text=True, check=False).stdout
    faces = sorted(line.split("|", 2) for line in listed.splitlines() if line.startswith("TrueType|"))
    return (faces[0][2], int(faces[0][1])) if faces else None


def cjk_fonts() -> dict[str, str]:
    """Register a heading (黑体-like) and a text (宋/仿宋-like) TrueType font; return role → reportlab name."""
    names = {}
    for role, families in FONT_FAMILIES.items():
        found = next((f for f in map(find_truetype_font, families) if f), None)
        if found is None:
            raise NoCjkFont(FONT_HINT)
        names[role] = _register(f"CJK-{role}", *found)
    return names


def _register(name: str, file: str, index: int) -> str:
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, file, subfontIndex=index))
    return name


# PDF ----------------------------------------------------------------------------
PAGE_WIDTH = L.PAGE_WIDTH_MM * mm
PAGE_HEIGHT = L.PAGE_HEIGHT_MM * mm
LEFT = L.MARGIN_LEFT_MM * mm
TEXT_WIDTH = L.TEXT_WIDTH_MM * mm
CENTRE = LEFT + TEXT_WIDTH / 2
TOP = PAGE_HEIGHT - L.MARGIN_TOP_MM * mm
BOTTOM = L.MARGIN_BOTTOM_MM * mm
GAP = L.QR_PDF_GAP_MM * mm
CAPTION_SIZE = L.SIZE_3HAO
NOTE_SIZE = L.SIZE_4HAO
LINE_FACTOR = L.QR_PDF_LINE_FACTOR


def build_qr_pdf(annex: QrAnnex, base_dir: Path | None, path: Path, label: str | None = None) -> Path:
    """Write a one-page A4 PDF of the annex (label, title, captions, addresses, codes, validity); return its path."""
    base_dir = annex.base_dir if base_dir is None else Path(base_dir)
    fonts = cjk_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), invariant=1, pageCompression=1,
                    initialFontName=fonts["song"], initialFontSize=CAPTION_SIZE)
    canvas.setTitle(f"{label or annex.label} {annex.title}")
    y = _text(canvas, label or annex.label, fonts["hei"], CAPTION_SIZE, TOP, centred=False)
    y = _text(canvas, annex.title, fonts["song"], L.SIZE_2HAO, y - GAP)
    for code in annex.codes:
        y = _code_block(canvas, annex, code, base_dir, fonts["song"], y - 2 * GAP)
    canvas.showPage()
    canvas.save()
    return atomic_write(Path(path), buffer.getvalue())


def _code_block(canvas: Canvas, annex: QrAnnex, code: QrCode, base_dir: Path, font: str, y: float) -> float:
    y = _text(canvas, code.caption, font, CAPTION_SIZE, y)
    if code.payload and code.show_payload:
        y = _text(canvas, code.payload, font, NOTE_SIZE, y, link=code.payload)
    y = _picture(canvas, code_image(code, base_dir), y - GAP / 2)
    sentence = validity_sentence(annex, code)
    return _text(canvas, sentence, font, NOTE_SIZE, y - GAP / 2) if sentence else y


def _text(canvas: Canvas, text: str, font: str, size: float, y: float, centred: bool = True, link: str = "") -> float:
    """Draw one line below y (shrunk to fit the text width) and return the y below it."""
    size = min(size, size * TEXT_WIDTH / max(pdfmetrics.stringWidth(text, font, size), 1))
    baseline = y - size
    _fits(baseline)
    canvas.setFont(font, size)
    width = pdfmetrics.stringWidth(text, font, size)
    x = CENTRE - width / 2 if centred else LEFT
    canvas.drawString(x, baseline, text)
    if link:
        canvas.linkURL(link, (x, baseline - size * 0.2, x + width, baseline + size), relative=0)
    return y - size * LINE_FACTOR


def _picture(canvas: Canvas, png: bytes, y: float) -> float:
    """Draw a code image centred below y at its print width and return the y below it."""
    reader = ImageReader(io.BytesIO(png))
    width_px, height_px = reader.getSize()
    width = min(print_width_mm(png) * mm, TEXT_WIDTH)
    width = min(width, L.QR_MAX_IMAGE_HEIGHT_MM * mm * width_px / height_px)
    height = width * height_px / width_px
    _fits(y - height)
    canvas.drawImage(reader, CENTRE - width / 2, y - height, width, height, mask="auto")
    return y - height


def _fits(y: float) -> None:
    if y < BOTTOM:
        raise PageOverflow("附件内容超出一页：二维码过多或图片过大，请减少二维码或换用较小的图片")
