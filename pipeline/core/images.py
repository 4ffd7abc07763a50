"""Check seal and signature-stamp images (PNG with transparency) and read their printed size."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from .files import NotRegular, read_regular

MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 25_000_000  # a 5000 × 5000 seal is already far sharper than print needs
MM_PER_INCH = 25.4


@dataclass(frozen=True)
class Stamp:
    """Hold a checked image: its bytes and the width and height it prints at, in mm."""

    data: bytes
    width_mm: float
    height_mm: float


def load_stamp(path: Path, default_width_mm: float) -> tuple[Stamp | None, str]:
    """Return (stamp, "") for a usable PNG with transparency, or (None, the Chinese reason it is not)."""
    try:
        data = read_regular(Path(path), MAX_IMAGE_BYTES)
    except FileNotFoundError:
        return None, f"图片文件 {path} 不存在"
    except (NotRegular, OSError) as exc:
        return None, f"无法读取图片文件 {path}（{exc}）"
    if data is None:
        return None, f"图片文件 {path} 超过 {MAX_IMAGE_BYTES // 1024 // 1024} MB，过大"
    return _checked(data, path, default_width_mm)


def _checked(data: bytes, path: Path, default_width_mm: float) -> tuple[Stamp | None, str]:
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != "PNG":
                return None, f"{path} 不是 PNG 图片（印章须为透明背景的 PNG）"
            if image.width * image.height > MAX_PIXELS:
                return None, f"{path} 有 {image.width}×{image.height} 像素，过大（上限 {MAX_PIXELS:,} 像素）"
            if not _transparent(image):
                return None, f"{path} 没有透明背景：印章会遮住下面的署名和日期；请用透明背景的 PNG"
            return Stamp(data, *_size_mm(image, default_width_mm)), ""
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None, f"{path} 不是有效的图片文件"


def _transparent(image: Image.Image) -> bool:
    """Tell whether an image has an alpha channel with some fully transparent pixels."""
    if "transparency" in image.info and image.mode in ("P", "L", "RGB"):
        image = image.convert("RGBA")
    if image.mode not in ("RGBA", "LA", "PA"):
        return False
    low, _ = image.getchannel("A").getextrema()
    return low == 0


def _size_mm(image: Image.Image, default_width_mm: float) -> tuple[float, float]:
    """Return the printed size from the image's DPI, or default_width_mm wide when it has none."""
    dpi = image.info.get("dpi")
    if dpi and dpi[0] and dpi[1] and 72 <= dpi[0] <= 2400:
        return image.width / dpi[0] * MM_PER_INCH, image.height / dpi[1] * MM_PER_INCH
    return default_width_mm, default_width_mm * image.height / image.width
