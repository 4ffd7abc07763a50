"""Open and render docxtpl templates, and finish the rendered document (runs, punctuation, properties)."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

from docx.opc.exceptions import PackageNotFoundError
from docxtpl import DocxTemplate

from ..core.errors import PipelineError
from ..core.output import stamp_core_properties
from . import ooxml


def open_template(path: Path) -> DocxTemplate:
    """Open a docxtpl template; a missing or broken one stops the stage with a Chinese message."""
    path = Path(path)
    if not path.is_file():
        raise PipelineError(f"找不到模板 {path}（请用 --templates 指定模板文件夹，或运行 make templates 重建）")
    template = DocxTemplate(path)
    try:
        template.init_docx()
    except (zipfile.BadZipFile, KeyError, ValueError, PackageNotFoundError):
        raise PipelineError(f"模板 {path} 不是有效的 Word 文件（请在 Word 中另存为 .docx，或运行 make templates 重建）") from None
    return template


def render(template: DocxTemplate, values: dict):
    """Render the template with autoescaping; return the python-docx document."""
    template.render(values, autoescape=True)
    return template.docx


def finish(document, title: str, author: str, day: dt.date) -> None:
    """Clean rendered runs, give full-width punctuation the East-Asian font, fix the core properties."""
    for part in ooxml.story_roots(document):
        ooxml.remove_empty_runs(part)
        ooxml.isolate_east_asian_punctuation(part)
    stamp_core_properties(document.core_properties, title, author, day)
