"""Make and read QR codes: encode a payload as a printable PNG, decode a picture, measure its print width."""

from __future__ import annotations

import io
import math
from pathlib import Path

import qrcode
import qrcode.exceptions
import zxingcpp
from PIL import Image, UnidentifiedImageError
from qrcode.constants import ERROR_CORRECT_Q

QR_WIDTH_MM = 38  # printed width of a code with its quiet zone: the pattern itself is over 30 mm
QUIET_ZONE_MODULES = 4
QR_ERROR_CORRECTION = ERROR_CORRECT_Q  # about 25 % of the symbol may be damaged
QR_EC_LETTER = "Q"
PRINT_DPI = 300  # the least resolution of a generated code at QR_WIDTH_MM
MAX_IMAGE_PIXELS = 40_000_000  # a saved code larger than this is not decoded (a decompression bomb)


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


def encodable(payload: str) -> bool:
    """Tell whether a payload fits in one QR code."""
    try:
        qr_png(payload)
    except (qrcode.exceptions.DataOverflowError, ValueError):
        return False
    return True


def code_image(code, base_dir: Path) -> bytes:
    """Return the picture to print for a code: generated from its payload, or the saved image as is."""
    if code.payload:
        return qr_png(code.payload)
    return (Path(base_dir) / code.image).read_bytes()


def read_qr(png_bytes: bytes):
    """Return the first QR code zxing-cpp finds in an image (a zxingcpp.Barcode), or None."""
    try:
        with Image.open(io.BytesIO(png_bytes)) as image:
            if image.width * image.height > MAX_IMAGE_PIXELS:
                return None
            found = zxingcpp.read_barcodes(image.convert("L"), formats=zxingcpp.BarcodeFormat.QRCode)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError):
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
