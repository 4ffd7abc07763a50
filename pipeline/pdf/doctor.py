"""Check what PDF rendering needs: LibreOffice, poppler and the fonts the 公文 font names map to."""

from __future__ import annotations

import shutil

from .fonts import LIBREOFFICE_FONTS, font_installed
from .libreoffice import soffice


def diagnose() -> list[tuple[bool, str, str]]:
    """Check what PDF rendering needs; return (ok, what, Debian package) for each item."""
    checks = [(soffice() is not None, "LibreOffice（生成 PDF）", "libreoffice-writer-nogui"),
              (shutil.which("pdftoppm") is not None, "poppler（PDF 预览与检查）", "poppler-utils")]
    for what, (family, package) in LIBREOFFICE_FONTS.items():
        checks.append((font_installed(family), f"字体 {what}", package))
    return checks
