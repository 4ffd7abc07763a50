"""Check the images a data file names: seals and signature stamps (PNG with transparency), saved QR codes."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from .files import NotRegular, read_regular
from .output import OS_REASONS

MAX_IMAGE_BYTES = 10 * 1024 * 1024
PRINTED_MM = (10.0, 100.0)  # a printed size from the image's DPI outside these bounds is not believed
SEAL_ASPECT, STAMP_ASPECT = 2.0, 5.0  # the longest side over the shortest: a longer strip is no seal or stamp
MAX_PIXELS = 25_000_000  # a 5000 × 5000 seal is already far sharper than print needs
MM_PER_INCH = 25.4


@dataclass(frozen=True)
class Stamp:
    """Hold a checked image: its bytes and the width and height it prints at, in mm."""

    data: bytes
    width_mm: float
    height_mm: float


def picture_problem(path: Path) -> str:
    """Return the Chinese reason a picture (PNG or JPEG) cannot be used, or '' when it can."""
    data, problem = _read(path)
    if problem:
        return problem
    try:
        with _opened(data) as image:
            if image.width * image.height > MAX_PIXELS:
                return f"{path} 有 {image.width}×{image.height} 像素，过大（上限 {MAX_PIXELS:,} 像素）"
            image.verify()
    except Image.DecompressionBombError:
        return f"{path} 的像素过多，过大（上限 {MAX_PIXELS:,} 像素）"
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return f"{path} 不是可读取的图片，请保存为 PNG 或 JPEG"
    return ""


def load_stamp(path: Path, default_width_mm: float, max_aspect: float = SEAL_ASPECT) -> tuple[Stamp | None, str]:
    """Return (stamp, "") for a usable PNG with transparency, or (None, the Chinese reason it is not)."""
    data, problem = _read(path)
    if problem:
        return None, problem
    return _checked(data, path, default_width_mm, max_aspect)


def _read(path: Path) -> tuple[bytes, str]:
    """Return an image file's bytes and '', or b'' and the Chinese reason it cannot be read."""
    try:
        data = read_regular(Path(path).resolve(), MAX_IMAGE_BYTES)  # a link is followed on purpose
    except FileNotFoundError:
        return b"", f"图片文件 {path} 不存在"
    except NotRegular as exc:
        return b"", f"{path} 是{'文件夹' if exc.folder else '管道或设备'}，不是图片文件"
    except RuntimeError:
        return b"", f"{path} 是循环的链接，无法读取"
    except OSError as exc:
        return b"", f"无法读取图片文件 {path}（{OS_REASONS.get(exc.errno, '系统错误')}）"
    if data is None:
        return b"", f"图片文件 {path} 超过 {MAX_IMAGE_BYTES // 1024 // 1024} MB，过大"
    return data, ""


def _checked(data: bytes, path: Path, default_width_mm: float, max_aspect: float) -> tuple[Stamp | None, str]:
    try:
        with _opened(data) as image:
            if image.format != "PNG":
                return None, f"{path} 不是 PNG 图片（印章须为透明背景的 PNG）"
            if image.width * image.height > MAX_PIXELS:
                return None, f"{path} 有 {image.width}×{image.height} 像素，过大（上限 {MAX_PIXELS:,} 像素）"
            if not _transparent(image):
                return None, f"{path} 没有透明背景：印章会遮住下面的署名和日期；请用透明背景的 PNG"
            if not _inked(image):
                return None, f"{path} 全是透明的，印出来什么也没有"
            if max(image.width / image.height, image.height / image.width) > max_aspect:
                return None, f"{path} 是 {image.width}×{image.height} 像素的细长条，不像印章或签名章"
            return Stamp(data, *_size_mm(image, default_width_mm)), ""
    except Image.DecompressionBombError:
        return None, f"{path} 的像素过多，过大（上限 {MAX_PIXELS:,} 像素）"
    except (UnidentifiedImageError, OSError, ValueError):
        return None, f"{path} 不是有效的图片文件"


def _opened(data: bytes) -> Image.Image:
    """Open image bytes without decoding them; the caller checks the size (PIL would only warn first)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        return Image.open(io.BytesIO(data))


def _alpha(image: Image.Image) -> Image.Image | None:
    """Return the image's alpha channel (a tRNS colour counts), or None when it has none."""
    if "transparency" in image.info:
        image = image.convert("RGBA")
    return image.getchannel("A") if image.mode in ("RGBA", "LA", "PA") else None


def _transparent(image: Image.Image) -> bool:
    """Tell whether an image has some fully transparent pixels."""
    alpha = _alpha(image)
    return alpha is not None and alpha.getextrema()[0] == 0


def _inked(image: Image.Image) -> bool:
    """Tell whether an image has pixels opaque enough to print."""
    return _alpha(image).getextrema()[1] >= 128


def _size_mm(image: Image.Image, default_width_mm: float) -> tuple[float, float]:
    """Return the printed size from the image's DPI, or default_width_mm wide when it has none."""
    dpi = image.info.get("dpi")
    if dpi and dpi[0] and dpi[1] and 72 <= dpi[0] <= 2400:
        width, height = image.width / dpi[0] * MM_PER_INCH, image.height / dpi[1] * MM_PER_INCH
        if all(PRINTED_MM[0] <= v <= PRINTED_MM[1] for v in (width, height)):
            return width, height
    return default_width_mm, default_width_mm * image.height / image.width
