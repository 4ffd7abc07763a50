"""Draw an obviously fake red seal (示例印章) and signature stamp (示例签名章) as transparent PNGs for testing."""

from __future__ import annotations

import argparse
import math
import io
import subprocess
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from pipeline.cli import ARGPARSE_CHINESE
from pipeline.core.errors import PipelineError
from pipeline.core.output import atomic_write

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "inputs" / "examples"
# Never a real agency's words: the samples say what they are, and nothing else.
SEAL_TEXT = "示例印章"
SEAL_NOTE = "仅供测试"
STAMP_TEXT = "示例签名章"
SEAL_FILE = f"{SEAL_TEXT}.png"
STAMP_FILE = f"{STAMP_TEXT}.png"
RED = (230, 0, 18)  # #E60012, the red of seal ink
DPI = 300
SCALE = 4  # drawn four times larger, then shrunk, for smooth edges
PREFERRED_FONT = "Noto Sans CJK SC:style=Bold"
NO_FONT = "未找到中文字体，无法绘制示例印章。请安装中文字体（如 Debian/Ubuntu：apt-get install fonts-noto-cjk）后重试。"

# The seal, in mm: 42 mm across, a 1.2 mm ring, a star in the centre, the words along the top, a note below.
SEAL_MM = 42.0
RING_MM = (20.6, 1.2)  # outer radius, width
STAR_MM = 6.6  # radius of the star's points
ARC_MM = (15.0, 7.2, 130.0)  # glyph centres' radius, glyph size, degrees from first to last glyph
NOTE_MM = (11.0, 4.0, 4.8)  # centre below the seal's centre, glyph size, pitch
# The signature stamp, in mm: a bordered rectangle 40 x 16 mm, one line of text.
STAMP_MM = (40.0, 16.0)
BORDER_MM = (0.5, 0.9, 1.2)  # margin, line width, corner radius
STAMP_LINE_MM = (7.0, 7.2)  # glyph size, pitch


def mm(length: float) -> float:
    """Return a length in mm as pixels of the enlarged drawing canvas."""
    return length / 25.4 * DPI * SCALE


def canvas(width_mm: float, height_mm: float) -> Image.Image:
    """Return an empty enlarged mask whose size is a whole number of final pixels."""
    return Image.new("L", (round(width_mm / 25.4 * DPI) * SCALE, round(height_mm / 25.4 * DPI) * SCALE))


def middle(font: ImageFont.FreeTypeFont) -> float:
    """Return how far above the baseline a full-square character's middle sits (negative: up)."""
    _, top, _, bottom = font.getbbox("国", anchor="ms")
    return (top + bottom) / 2


def glyph(char: str, font: ImageFont.FreeTypeFont, angle: float) -> Image.Image:
    """Return one character as a mask on a square canvas, centred, turned clockwise by angle degrees."""
    side = round(font.size * 2)
    piece = Image.new("L", (side, side))
    ImageDraw.Draw(piece).text((side / 2, side / 2 - middle(font)), char, fill=255, font=font, anchor="ms")
    return piece.rotate(-angle, resample=Image.Resampling.BICUBIC)


def put(mask: Image.Image, piece: Image.Image, x: float, y: float) -> None:
    """Ink the mask with the piece centred on (x, y)."""
    mask.paste(255, (round(x - piece.width / 2), round(y - piece.height / 2)), piece)


def spaced(mask: Image.Image, text: str, font: ImageFont.FreeTypeFont, centre: tuple[float, float], pitch: float):
    """Write text on one level line centred on centre, one character every pitch pixels."""
    for i, char in enumerate(text):
        put(mask, glyph(char, font, 0), centre[0] + (i - (len(text) - 1) / 2) * pitch, centre[1])


def arced(mask: Image.Image, text: str, font: ImageFont.FreeTypeFont, radius: float, span: float):
    """Write text clockwise along the top of a circle, upright to the centre, spread over span degrees."""
    centre = mask.width / 2
    for i, char in enumerate(text):
        angle = -span / 2 + i * span / (len(text) - 1)
        turn = math.radians(angle)
        put(mask, glyph(char, font, angle), centre + radius * math.sin(turn), centre - radius * math.cos(turn))


def star(centre: float, radius: float) -> list[tuple[float, float]]:
    """Return the ten corners of a five-pointed star pointing up."""
    inner = radius * math.sin(math.radians(18)) / math.sin(math.radians(54))
    radii = [radius if k % 2 == 0 else inner for k in range(10)]
    return [(centre + r * math.sin(k * math.pi / 5), centre - r * math.cos(k * math.pi / 5)) for k, r in enumerate(radii)]


def seal_mask(font_file: str, index: int) -> Image.Image:
    """Draw the sample seal's ink: ring, star, 示例印章 along the top, 仅供测试 below the star."""
    mask = canvas(SEAL_MM, SEAL_MM)
    c, (outer, width) = mask.width / 2, RING_MM
    draw = ImageDraw.Draw(mask)
    draw.ellipse((c - mm(outer), c - mm(outer), c + mm(outer), c + mm(outer)), outline=255, width=round(mm(width)))
    draw.polygon(star(c, mm(STAR_MM)), fill=255)
    arced(mask, SEAL_TEXT, font(font_file, index, ARC_MM[1]), mm(ARC_MM[0]), ARC_MM[2])
    spaced(mask, SEAL_NOTE, font(font_file, index, NOTE_MM[1]), (c, c + mm(NOTE_MM[0])), mm(NOTE_MM[2]))
    return mask


def stamp_mask(font_file: str, index: int) -> Image.Image:
    """Draw the sample signature stamp's ink: a bordered rectangle reading 示例签名章."""
    mask = canvas(*STAMP_MM)
    margin, width, corner = (mm(value) for value in BORDER_MM)
    box = (margin, margin, mask.width - 1 - margin, mask.height - 1 - margin)
    ImageDraw.Draw(mask).rounded_rectangle(box, radius=corner, outline=255, width=round(width))
    size, pitch = STAMP_LINE_MM
    spaced(mask, STAMP_TEXT, font(font_file, index, size), (mask.width / 2, mask.height / 2), mm(pitch))
    return mask


def font(font_file: str, index: int, size_mm: float) -> ImageFont.FreeTypeFont:
    """Return the CJK font at a glyph size given in mm."""
    return ImageFont.truetype(font_file, round(mm(size_mm)), index=index)


def ink(mask: Image.Image) -> Image.Image:
    """Return the red RGBA image whose alpha is the mask shrunk to its final size (alpha 0 off the ink)."""
    alpha = mask.resize((mask.width // SCALE, mask.height // SCALE), Image.Resampling.BOX)
    image = Image.new("RGBA", alpha.size, RED + (0,))
    image.putalpha(alpha)
    return image


def save(image: Image.Image, path: Path) -> Path:
    """Write the image atomically as a PNG carrying its DPI."""
    buffer = io.BytesIO()
    image.save(buffer, "PNG", dpi=(DPI, DPI), optimize=False, compress_level=9)
    return atomic_write(path, buffer.getvalue())


def fontconfig(*command: str) -> str:
    """Return what a fontconfig command prints, or "" when fontconfig is missing or fails."""
    try:
        return subprocess.run(command, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return ""


def find_font() -> tuple[str, int] | None:
    """Return (file, face index) of a Chinese font: the preferred one if present, else the first listed."""
    listed = fontconfig("fc-list", ":lang=zh", "-f", "%{file}|%{index}\n").splitlines()
    chinese = {(file, int(index)) for file, _, index in (line.rpartition("|") for line in listed) if index.isdigit()}
    file, _, index = fontconfig("fc-match", "-f", "%{file}|%{index}", PREFERRED_FONT).rpartition("|")
    matched = (file, int(index)) if index.isdigit() else None
    return matched if matched in chinese else min(chinese, default=None)


def write_samples(folder: Path, font_file: str, index: int) -> list[Path]:
    """Write both sample PNGs into folder and return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    return [save(ink(seal_mask(font_file, index)), folder / SEAL_FILE),
            save(ink(stamp_mask(font_file, index)), folder / STAMP_FILE)]


def parser() -> argparse.ArgumentParser:
    """Build the command's argument parser, its words in Chinese."""
    argparse._ = lambda text: ARGPARSE_CHINESE.get(text, text)
    args = argparse.ArgumentParser(prog="python -m tools.sample_seal",
                                   description=f"绘制明显为示例的红色印章（{SEAL_FILE}，直径 42 mm）和签名章（{STAMP_FILE}，"
                                               f"40×16 mm），透明背景，{DPI} dpi，不含任何机关名称，仅供测试排版。")
    args.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"输出目录（默认 {DEFAULT_OUT.relative_to(REPO)}）")
    return args


def main(argv: list[str] | None = None) -> int:
    """Draw the samples into --out and print where they went; return 0, 1 if unwritable, 2 without a CJK font."""
    args = parser().parse_args(argv)
    found = find_font()
    if found is None:
        print(NO_FONT, file=sys.stderr)
        return 2
    try:
        paths = write_samples(args.out, *found)
    except (OSError, PipelineError) as error:
        print(f"无法写入 {args.out}：{getattr(error, 'strerror', None) or error}", file=sys.stderr)
        return 1
    print("\n".join(f"已写出：{path}" for path in paths))
    return 0


if __name__ == "__main__":
    sys.exit(main())
