"""Locate the data files that ship with the package: the Word templates and the fontconfig file."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent


def _template_dir() -> Path:
    """Return pipeline/templates in an installed wheel, else the checkout's templates/ folder."""
    packaged = PACKAGE / "templates"
    return packaged if packaged.is_dir() else PACKAGE.parent / "templates"


TEMPLATE_DIR = _template_dir()
FONTCONFIG = TEMPLATE_DIR / "fontconfig" / "fonts.conf"
