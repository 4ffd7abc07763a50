"""Recognise a 公文's elements in the lines of a draft or a finished document, as notice data.

One reading serves both `format` (a typed draft becomes a notice file) and `check` (the ruler learns what a
document it did not make should contain). The data keeps the text as the document printed it (heading
numbers, 发文字号, dates as typed); `format` standardises it afterwards, `check` measures it as it is.
"""

from __future__ import annotations

from . import patterns as P
from .assemble import assemble_parties
from .body_items import grid_table
from .reading import Grid, Line
from .recognition import Recognition
from .recognize_parts import date_index, is_annex_label, main_end, read_main, read_signature, read_tail

LETTER, DOCUMENT, ORDER, MINUTES = "信函格式", "文件格式", "命令格式", "纪要格式"
LAYOUTS = (LETTER, DOCUMENT, ORDER, MINUTES)
MARK_WORDS = (("文件", DOCUMENT), ("令", ORDER), ("纪要", MINUTES))
HEAD_SPAN = 10  # lines: a 发文字号 further down than this is no head's


def recognise(blocks: list[Line | Grid], layout: str = "") -> Recognition:
    """Return the elements of a document read into blocks, its layout (given, or inferred) and its data."""
    r = Recognition()
    items = [b for b in blocks if not isinstance(b, Line) or b.text.strip()]
    if items and isinstance(items[0], Line) and is_annex_label(items[0]):
        read_tail(items, r)  # an annex on its own: 附件N, its title, its content
        return r
    at = _head(items, r)
    at = _title(items, at, r)
    at = _addressee(items, at, r)
    end = main_end(items, at)
    date_at = date_index(items, at, end)
    tail_start = date_at + 1 if date_at is not None else end
    body_end = read_signature(items, at, date_at, r) if date_at is not None else end
    read_main(items[at:body_end], r)
    read_tail(items[tail_start:], r)
    _layout(r, layout)
    return r


# --- 版头 -----------------------------------------------------------------------------------
def _head(items: list, r: Recognition) -> int:
    """Read 份号/密级/紧急程度, the mark, 签发人 and the 发文字号; return where the title starts."""
    number_at = next((i for i, b in enumerate(items[:HEAD_SPAN]) if isinstance(b, Line) and _number_of(b)), None)
    if number_at is None:
        return _marks_only(items, r)
    mark = []
    for b in items[:number_at]:
        if not isinstance(b, Line):
            mark += [c for c in b.lines]
            continue
        if _head_mark(b, r):
            continue
        if P.SIGNERS.search(b.text):
            _signers(b, r)
            continue
        mark.append(b)
    _mark(mark, r)
    number_line = items[number_at]
    _number(number_line, r)
    at = number_at + 1
    while at < len(items) and isinstance(items[at], Line) and P.SIGNERS.search(items[at].text):
        _signers(items[at], r)
        at += 1
    return at


def _marks_only(items: list, r: Recognition) -> int:
    """Read a head without a 发文字号: only 份号/密级/紧急程度 and a mark ending in 文件/令/纪要."""
    at = 0
    while at < len(items) and isinstance(items[at], Line) and _head_mark(items[at], r):
        at += 1
    if at < len(items) and isinstance(items[at], Line) and _is_mark(items[at]):
        _mark([items[at]], r)
        at += 1
    return at


def _is_mark(line: Line) -> bool:
    """Return True for a mark without a number below it: a header line, or a red or 文件/纪要 line that is no title."""
    text = P.squash(line.text)
    if not P.looks_like_name(text):
        return False
    marked = line.red or text.endswith(("文件", "纪要"))
    return line.header or (marked and not P.is_title_end(text.removesuffix("纪要")))


def _head_mark(line: Line, r: Recognition) -> bool:
    """Record a 份号, 密级 or 紧急程度 line; return True when it was one."""
    text = P.squash(line.text)
    for key, pattern in (("copy_number", P.COPY_NUMBER), ("secrecy", P.SECRECY), ("urgency", P.URGENCY)):
        if pattern.match(text) and key not in r.data:
            r.data[key] = text
            r.add(key, line, 1.0)
            return True
    return False


def _number_of(line: Line) -> str:
    """Return the 发文字号 (or 令号/期号) a head line holds, without a 签发人 beside it."""
    text = P.SIGNERS.sub("", line.text).strip()
    return text if P.DOC_NUMBER.match(P.squash(text)) or P.ORDER_NUMBER.match(P.squash(text)) else ""


def _number(line: Line, r: Recognition) -> None:
    number = P.squash(_number_of(line))
    r.data["number"] = number
    r.add("number", line, 1.0, number)
    if P.SIGNERS.search(line.text):
        _signers(line, r)


def _signers(line: Line, r: Recognition) -> None:
    names = P.split_names(P.SIGNERS.search(line.text)["names"]) or []
    names = [n for part in names for n in part.split("、") if n.strip()]
    r.data.setdefault("signers", []).extend(P.squash(n) for n in names)
    r.add("signer", line, 1.0, "、".join(names))


def _mark(lines: list[Line], r: Recognition) -> None:
    """Record the 发文机关标志: one line, or a joint mark's stacked names and its word."""
    texts = [P.squash(name) for b in lines for name in P.split_names(_apart(b.text)) if P.squash(name)]
    if not texts:
        return
    word = next((w for w, _ in MARK_WORDS if texts[-1] == w), "")
    names = texts[:-1] if word else texts
    if len(names) == 1:
        word = next((w for w, _ in MARK_WORDS if names[0].endswith(w) and len(names[0]) > len(w)), "")
        names = [names[0].removesuffix(word)] if word else names
    r.data["mark_lines"] = names
    r.data["mark_word"] = word
    for b in lines:
        for name in P.split_names(_apart(b.text)):
            r.add("mark", b, 0.9 if b.red or b.header else 0.7, name.strip())


def _apart(text: str) -> str:
    """Return a mark line with its word set apart (甲局 乙局文件 → 甲局 乙局 文件) when names stand side by side."""
    text = text.strip()
    word = next((w for w, _ in MARK_WORDS if text.endswith(w) and len(text.split()) > 1), "")
    return f"{text.removesuffix(word)}  {word}" if word else text


# --- title and 主送 ----------------------------------------------------------------------------
def _title(items: list, at: int, r: Recognition) -> int:
    """Read the title: one line, or up to three short lines typed as one title; return what follows."""
    parts: list[Line] = []
    while at < len(items) and isinstance(items[at], Line) and len(parts) < 3:
        line, text = items[at], P.squash(items[at].text)
        if _ends_head(line, text, parts):
            break
        parts.append(line)
        at += 1
        if P.is_title_end(text) and not _continues_title(items, at):
            break
    if parts:
        r.data["title"] = "".join(P.collapse(p.text) for p in parts)
        sure = 0.95 if P.is_title_end(r.data["title"]) else 0.6
        for p in parts:
            r.add("title", p, sure)
    return at


def _ends_head(line: Line, text: str, parts: list[Line]) -> bool:
    """Return True when a line cannot belong to the title (an addressee, a sentence, a heading)."""
    if text.endswith(("：", ":")) or any(c in text for c in "。；;") or P.heading(text) or len(text) > 60:
        return True
    if parts and (P.is_title_end(P.squash("".join(p.text for p in parts))) or line.align != parts[0].align):
        return True
    return bool(parts) and len(text) > 40


def _continues_title(items: list, at: int) -> bool:
    """Return True when the next line carries the title on (关于…的通知 wrapped before 的通知)."""
    nxt = items[at] if at < len(items) else None
    return isinstance(nxt, Line) and P.squash(nxt.text) in ("的通知", "通知", "的函", "的请示", "的报告", "的意见")


def _addressee(items: list, at: int, r: Recognition) -> int:
    """Read the 主送机关: the line after the title ending with a colon."""
    if at < len(items) and isinstance(items[at], Line):
        line, text = items[at], P.collapse(items[at].text)
        if text.endswith(("：", ":")) and "。" not in text and len(text) <= 300 and not P.heading(text) \
                and not P.ATTENDANCE.match(text):
            r.data["addressees"] = text
            r.add("addressee", line, 0.9)
            return at + 1
    return at


# --- layout ---------------------------------------------------------------------------------------
def _layout(r: Recognition, given: str) -> None:
    """Decide the layout: as given, else from the mark's word, the 发文字号, the title."""
    number, word = P.squash(r.data.get("number", "")), r.data.get("mark_word", "")
    code = (P.DOC_NUMBER.match(number)["code"] or "") if P.DOC_NUMBER.match(number) else ""
    if given:
        r.layout, r.layout_source = given, "option"
    elif word in ("令", "纪要"):
        r.layout, r.layout_source = dict(MARK_WORDS)[word], "mark"
    elif P.ORDER_NUMBER.match(number):
        r.layout, r.layout_source = (MINUTES if number.endswith("期") else ORDER), "number"
    elif "函" in code:
        r.layout, r.layout_source = LETTER, "number"
    elif word == "文件" or code:
        r.layout, r.layout_source = DOCUMENT, "mark" if word else "number"
    else:
        r.layout = LETTER if r.data.get("title", "").endswith("函") else DOCUMENT
        r.layout_source = "default"
    r.data["format"] = r.layout
    if r.layout == ORDER and r.data.get("signature"):
        r.data["signed_by"] = [{"title": t} for t in r.data.pop("signature")]
        for e in r.elements:
            e.element = "signer_title" if e.element == "signature" else e.element
    r.data = assemble_parties(r.data, r.layout)


__all__ = ["LAYOUTS", "Recognition", "grid_table", "recognise"]
