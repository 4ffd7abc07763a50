"""Assemble recognised marks and signatures into the notice data's own keys: authority, mark, mark_word, signature."""

from __future__ import annotations

DEFAULT_WORDS = {"文件格式": "文件", "命令格式": "令", "纪要格式": "纪要", "信函格式": ""}


def assemble_parties(data: dict, layout: str) -> dict:
    """Return data with mark_lines/mark_word turned into authority, mark, mark_word and signature as a notice file has them."""
    data = dict(data)
    marks, word = data.pop("mark_lines", []), data.pop("mark_word", "")
    signature = data.pop("signature", [])
    authority = marks if layout == "命令格式" or not signature else signature
    authority = authority or marks or ([data["printer"]] if data.get("printer") else [])
    if authority:
        data = {"authority": _one_or_many(authority), **data}
    if marks and (marks != authority or word != DEFAULT_WORDS.get(layout, "")):
        data["mark"] = _one_or_many(marks)
        data["mark_word"] = word
    if signature and signature != authority:
        data["signature"] = _one_or_many(signature)
    return data


def _one_or_many(names: list[str]):
    return names[0] if len(names) == 1 else list(names)
