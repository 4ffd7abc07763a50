"""Find a notice's paragraphs in a .docx by their text and check the font, size and colour of their characters."""

from __future__ import annotations

from .findings import Finding
from .standard import quote, size_name, squash
from .wordml import (Docx, char_kind, colour, font_for_char, font_size, is_red, own_runs, para_text, paragraph_number,
                     paragraphs, run_text)

JC_NAMES = {"center": "居中", "left": "左对齐", "start": "左对齐", "right": "右对齐", "end": "右对齐",
            "both": "两端对齐", "distribute": "分散对齐"}


def jc_name(jc: str) -> str:
    """Return the Chinese name of a Word paragraph alignment (w:jc)."""
    return JC_NAMES.get(jc, jc)


def find_paragraph(doc: Docx, text: str, roots=None):
    """Return the first paragraph (in reading order) whose text is text, ignoring whitespace."""
    target = squash(text)
    for root in roots or doc.stories():
        for p in paragraphs(root):
            if squash(para_text(p)) == target:
                return p
    return None


def find_containing(doc: Docx, text: str, roots=None):
    """Return the first paragraph (in reading order) whose text contains text, ignoring whitespace."""
    target = squash(text)
    return next((p for root in roots or doc.stories() for p in paragraphs(root) if target in squash(para_text(p))),
                None)


def text_span(p, text: str) -> tuple[int, int]:
    """Return the raw character span of text (whitespace ignored) inside p."""
    start = squash(para_text(p)).find(squash(text))
    return raw_span(p, start), raw_span(p, start + len(squash(text)))


def chars(p) -> list[tuple[str, object]]:
    """Return the characters of a paragraph's own runs, each with its run."""
    return [(ch, r) for r in own_runs(p) for ch in run_text(r)]


def raw_span(p, squashed_len: int) -> int:
    """Return the index in the raw character list after squashed_len non-space characters."""
    count = 0
    for i, (ch, _) in enumerate(chars(p)):
        if count == squashed_len:
            return i
        count += not ch.isspace()
    return len(chars(p))


def text_font_violations(doc: Docx, p, element: str, what: str, fonts: set, size: float | None,
                         span: tuple[int, int] | None = None, red: bool = False) -> list[Finding]:
    """Check East-Asian font, size and colour of the characters of p (or of a span of them).

    Return one finding per fault kind (font, size, colour), quoting the first character at fault; what is the
    element's Chinese name (标题, 签发人), followed in the message by the first characters of the text checked.
    """
    first: dict[str, tuple[str, str, str]] = {}
    checked = ""
    for i, (ch, r) in enumerate(chars(p)):
        if ch.isspace() or (span and not span[0] <= i < span[1]):
            continue
        checked += ch
        for code, found, want in _char_faults(doc.styles.run_levels(p, r), ch, fonts, size, red):
            first.setdefault(code, (ch, found, want))
    if not first:
        return []
    where, named = paragraph_number(doc, p), f"{what}“{quote(checked)}”"
    texts = {"font": "{named}中的“{ch}”为{found}，应为{want}", "size": "{named}中的“{ch}”字号为 {found}，应为 {want}",
             "colour": "{named}中的“{ch}”颜色为 {found}，应为{want}"}
    return [Finding(code, element, texts[code].format(named=named, ch=ch, found=found, want=want),
                    paragraph=where, found=found, want=want)
            for code in ("font", "size", "colour") if code in first for ch, found, want in [first[code]]]


def _char_faults(levels: list, ch: str, fonts: set, size: float | None, red: bool) -> list[tuple[str, str, str]]:
    """Return (code, found, want) for each way a character departs from its font, size and colour."""
    faults = []
    if char_kind(ch) != "latin":
        font = font_for_char(levels, ch)
        if font not in fonts:
            faults.append(("font", font or "未设置的字体", "/".join(sorted(fonts))))
    actual = font_size(levels)
    if size and actual != size:
        faults.append(("size", size_name(actual), size_name(size)))
    hue = colour(levels)
    if red != is_red(hue) or (not red and hue != "000000"):
        faults.append(("colour", hue, "红色" if red else "黑色（000000）"))
    return faults
