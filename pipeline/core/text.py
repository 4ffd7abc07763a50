"""Handle text the way every stage needs it: decoding Chinese files, dates, file-name parts, unstorable characters."""

from __future__ import annotations

import codecs
import re

MAX_NAME_BYTES = 240  # a file name's UTF-8 bytes (Linux and Windows allow 255; room left for temporary names)
WIDE_FROM = 0x2E7F  # CJK radicals onwards: ideographs, kana, full-width forms take two columns
WIDE = re.compile(f"[{chr(WIDE_FROM + 1)}-\U0010ffff]")
FILE_NAME_BAD = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
# Characters Word and Excel cannot store: C0 controls other than tab and line breaks, U+FFFE/U+FFFF,
# and lone surrogates (which Python can hold after a lax decode, but no UTF-8 file can).
UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# Invisible characters that change what a clerk sees without being seen: C0/C1 controls (keeping tab
# and line breaks) and the bidirectional marks, embeddings, overrides and isolates.
CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
                      "\ufffe\uffff\ud800-\udfff]")


def decode_text(data: bytes) -> str | None:
    """Decode text by its BOM, else as UTF-8, else as GB18030 (a superset of GBK); None when neither fits."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def decode_name(raw: bytes) -> str:
    """Decode a file name's bytes as UTF-8, else GB18030 (names from Windows zips), else with replacements."""
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", errors="replace")


def chinese_date(day) -> str:
    """Write a date as 2022年3月21日 (Arabic numerals, no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"


def unwrap_parentheses(text: str) -> str:
    """Return text without the one pair of parentheses around it (the template prints its own)."""
    return text[1:-1] if text.startswith(("（", "(")) and text.endswith(("）", ")")) else text


def safe_file_part(text: str) -> str:
    """Replace the characters Windows forbids in file names (and line breaks), and trailing dots and spaces."""
    return FILE_NAME_BAD.sub("_", text.replace("\n", "")).strip().rstrip(". ") or "_"


def file_name(stem: str, suffix: str, tag: str = "") -> str:
    """Return a file name every system accepts: stem made safe and cut short enough that stem, tag and suffix
    together stay within MAX_NAME_BYTES (tag, such as （beijing）, survives the cut)."""
    room = MAX_NAME_BYTES - len((tag + suffix).encode("utf-8"))
    cut = safe_file_part(stem).encode("utf-8")[:room].decode("utf-8", errors="ignore")
    return (cut.rstrip(". ") or "_") + tag + suffix


def unstorable(text: str) -> str:
    """Return the first character of text that Word and Excel cannot store, described in Chinese; '' if none."""
    found = UNSTORABLE.search(text)
    return "" if found is None else describe(found.group())


def describe(char: str) -> str:
    """Name an invisible character for a clerk: 控制字符 U+0007."""
    kind = "代理字符" if "\ud800" <= char <= "\udfff" else "非字符" if char in "\ufffe\uffff" else "控制字符"
    return f"{kind} U+{ord(char):04X}"


def strip_controls(text: str) -> tuple[str, bool]:
    """Return text without control and bidi characters, and whether any were removed."""
    if text.isprintable():  # every control and bidi character is unprintable
        return text, False
    cleaned = CONTROLS.sub("", text)
    return cleaned, len(cleaned) != len(text)


def display_columns(text: str) -> int:
    """Return how many columns text takes in a spreadsheet cell: a Chinese (or other wide) character counts two."""
    return len(text) if text.isascii() else 2 * len(text) - len(WIDE.sub("", text))
