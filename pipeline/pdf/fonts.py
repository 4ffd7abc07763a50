"""Find the installed Chinese fonts: TrueType faces reportlab can embed, and the families LibreOffice maps to."""

from __future__ import annotations

import copy
import functools
import shutil
import subprocess
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ..core.errors import PipelineError

# reportlab embeds TrueType outlines only (the Noto CJK .ttc files are CFF).
FONT_FAMILIES = {
    "hei": ("WenQuanYi Zen Hei", "AR PL UMing CN", "AR PL UKai CN"),  # 黑体 stand-in for headings
    "song": ("AR PL UMing CN", "AR PL UKai CN", "WenQuanYi Zen Hei"),  # 仿宋/宋体 stand-in
}
KNOWN_FONT_FILES = {
    "AR PL UMing CN": ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    "AR PL UKai CN": ("/usr/share/fonts/truetype/arphic/ukai.ttc", 0),
    "WenQuanYi Zen Hei": ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
}
FONT_HINT = (
    "未找到可嵌入 PDF 的 TrueType 中文字体（AR PL UMing CN、AR PL UKai CN 或 WenQuanYi Zen Hei），"
    "无法生成该 PDF。安装方法（Debian/Ubuntu，需 root）：\n"
    "  apt-get install -y fonts-arphic-uming fonts-arphic-ukai"
)
# What LibreOffice needs to print the 公文 fonts (see templates/fontconfig/fonts.conf): family → package.
LIBREOFFICE_FONTS = {
    "方正小标宋简体 / 宋体 → Noto Serif CJK SC": ("Noto Serif CJK SC", "fonts-noto-cjk"),
    "黑体 → Noto Sans CJK SC": ("Noto Sans CJK SC", "fonts-noto-cjk"),
    "仿宋_GB2312 → AR PL UMing CN": ("AR PL UMing CN", "fonts-arphic-uming"),
    "楷体_GB2312 → AR PL UKai CN": ("AR PL UKai CN", "fonts-arphic-ukai"),
    "Times New Roman → Liberation Serif": ("Liberation Serif", "fonts-liberation2"),
}


_FACES: dict[tuple[str, int], str] = {}  # (file, face index) → the name it was first registered under


class NoCjkFont(PipelineError):
    """Report that no TrueType-outline Chinese font is installed for a reportlab PDF."""


@functools.lru_cache(maxsize=64)
def find_truetype_font(family: str) -> tuple[str, int] | None:
    """Return (file, face index) of an installed TrueType-outline font of a family, or None (asked once a process)."""
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
    """Register a face under name, parsing each face once (reportlab maps a second name to the first font anyway)."""
    if name not in pdfmetrics.getRegisteredFontNames():
        first = _FACES.get((file, index))
        if first in pdfmetrics.getRegisteredFontNames():
            font = copy.copy(pdfmetrics.getFont(first))
            font.fontName = name
        else:
            font = TTFont(name, file, subfontIndex=index)
        pdfmetrics.registerFont(font)
        _FACES.setdefault((file, index), name)
    return name


def font_installed(family: str) -> bool:
    """Tell whether fontconfig knows a font family."""
    if not shutil.which("fc-list"):
        return False
    listed = subprocess.run(["fc-list", family, "family"], capture_output=True, text=True).stdout
    return bool(listed.strip())
