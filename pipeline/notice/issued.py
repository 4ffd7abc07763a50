"""Load a document a notice issues or forwards (印发/转发): its own title and body, printed after the notice."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..core import source
from ..core.errors import InputError
from ..core.schema import Fields, Text
from .blocks import Block, body_schema, parse_body

SCHEMA = Fields({"title": Text(required=True, max_length=200), "body": body_schema()})


@dataclass
class Issued:
    """Hold the issued document: its title and body blocks."""

    title: str
    body: list[Block]
    source: Path


def load_issued(src: source.Source) -> Issued | None:
    """Return the document named by the notice's issued: key, or None; its errors join the notice's."""
    ref = src.data.get("issued", "")
    if not ref:
        return None
    path = src.path.parent / ref
    if not path.is_file():
        src.error(("issued",), f"印发的文件 {path} 不存在（issued 写数据文件的路径，相对于本文件）")
        return None
    try:
        issued = source.load(path, SCHEMA)
    except InputError as exc:
        src.errors.extend(exc.errors)
        return None
    result = Issued(issued.data.get("title", ""), parse_body(issued), path)
    src.errors.extend(issued.errors)
    return result
