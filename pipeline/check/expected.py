"""Work out the text a notice must contain, in order, from its YAML data and the standard's own rules."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

from .standard import squash

# ==============================================================================================
# Expected content, from the YAML data and the standard's own numbering and date rules
# ==============================================================================================
@dataclass
class Expected:
    """One paragraph the notice must print: kind, full text, heading level and heading length.

    heading tells a heading sentence (h1–h4: its head is a heading) from a numbered paragraph (n1–n4).
    """

    kind: str
    text: str
    level: int = 0
    head_len: int = 0
    heading: bool = False


# The element (findings.ELEMENTS) each kind of expected paragraph is, for the findings about it.
KIND_ELEMENTS = {
    "number": "number", "signers": "signer", "title": "title", "issued_title": "title", "addressee": "addressee",
    "body": "body", "center": "body", "closing": "body", "attendance": "body", "annex": "annex_note",
    "signer_title": "signature", "signature": "signature", "proxy_seal": "signature", "date": "date",
    "note": "note", "publication": "note", "colophon_addressee": "addressee", "copy_to": "cc",
    "printer": "printer", "print_date": "printer",
}


def element_of(item: Expected, head: bool = False) -> str:
    """Return the element a paragraph is: a heading's head (head True) is heading1..heading4 by its level."""
    return f"heading{item.level}" if head and item.heading else KIND_ELEMENTS[item.kind]


def load_notice(path: Path) -> dict:
    """Read a notice data file; an `issued` path is read too (relative to the file) into a mapping."""
    path = Path(path)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if isinstance(data.get("issued"), str):
        data["issued"] = yaml.safe_load((path.parent / data["issued"]).read_text(encoding="utf-8"))
    return data


def as_list(value) -> list[str]:
    """Return a text-or-list field as a list of stripped texts."""
    if value is None:
        return []
    return [str(v).strip() for v in (value if isinstance(value, list) else [value])]


def authorities(data: dict) -> list[str]:
    """Return the issuing agencies, lead first."""
    return as_list(data["authority"])


def signature_names(data: dict) -> list[str]:
    """Return the 署名 names in agency order (default: the authorities); none for 命令 and 纪要 without one."""
    if data.get("signature"):
        return as_list(data["signature"])
    return [] if data.get("format") in ("命令格式", "纪要格式") else authorities(data)


def cn_numeral(n: int) -> str:
    """Write a heading count in Chinese numerals: 一 … 九十九, 一百零一, 一千零一十 (Arabic from 10,000)."""
    digits = "零一二三四五六七八九"
    if n >= 10_000:
        return str(n)
    places = [(n // 1000, "千"), (n // 100 % 10, "百"), (n // 10 % 10, "十"), (n % 10, "")]
    while places and places[0][0] == 0:
        places.pop(0)
    out, zero = "", False
    for digit, unit in places:
        if digit == 0:
            zero = True
            continue
        out += ("零" if zero else "") + digits[digit] + unit
        zero = False
    return out[1:] if 10 <= n < 20 else out


def heading_number(level: int, n: int) -> str:
    """Return the standard's heading number: 一、 （一） 1. （1）."""
    return (f"{cn_numeral(n)}、", f"（{cn_numeral(n)}）", f"{n}.", f"（{n}）")[level - 1]


def number_value(level: int, number: str) -> int | None:
    """Return n when number is the standard's level-`level` heading number n (1–99), else None."""
    return _heading_values(level).get(squash(number))


@functools.cache
def _heading_values(level: int) -> dict[str, int]:
    return {heading_number(level, n): n for n in range(1, 100)}


def cn_date(value) -> str:
    """Write a date the standard's way: 2022年3月21日 (Arabic, year in full, no leading zeros).

    A text that is not an ISO date is a date as a document printed it (read by `check`): kept as it is.
    """
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            return value.strip()
    return f"{value.year}年{value.month}月{value.day}日"


def suffixed(text: str, suffix: str) -> str:
    """Return text ending with suffix (主送机关 ends with ：, 抄送 with 。)."""
    text = text.strip()
    return text if text.endswith(suffix) else text.rstrip("：:。.，,") + suffix


def parenthesised(text: str) -> str:
    """Return text inside full-width parentheses (附注, 代章)."""
    text = text.strip()
    return text if text.startswith(("（", "(")) else f"（{text}）"


def mark_lines(fmt: str, data: dict) -> tuple[list[str], str]:
    """Return the 发文机关标志 as (stacked names, word right of the stack); one name carries its word on its line.

    The word is the format's (文件, 令, 纪要) unless the data names the mark itself; mark_word, when written
    (even empty), replaces it.
    """
    names, marks = authorities(data), as_list(data.get("mark"))
    if fmt == "信函格式":
        return [marks[0] if marks else names[0]], ""
    given = marks or names
    word = "" if marks else {"文件格式": "文件", "命令格式": "令", "纪要格式": "纪要"}.get(fmt, "")
    if "mark_word" in data:
        word = str(data["mark_word"] or "").strip()
    return ([given[0] + word], "") if len(given) == 1 else (given, word)


def mark_text(fmt: str, data: dict) -> str:
    """Return a one-line 发文机关标志 as printed (a stacked joint mark: its names and word run together)."""
    names, word = mark_lines(fmt, data)
    return "".join(names) + word


def body_paragraphs(body: list) -> list[Expected]:
    """Return body items as printed, numbering h1..h4 and n1..n4 by level: 一、（一）1.（1）."""
    out, counters = [], [0, 0, 0, 0]
    for item in body or []:
        if isinstance(item, str):
            out.append(Expected("body", item.strip()))
        elif "center" in item:
            out.append(Expected("center", str(item["center"]).strip()))
        elif "table" not in item:
            out.append(_numbered(item, counters))
    return out


def _numbered(item: dict, counters: list[int]) -> Expected:
    key = next(k for k in ("h1", "h2", "h3", "h4", "n1", "n2", "n3", "n4") if k in item)
    level = int(key[1])
    number = _item_number(item, level, counters)
    counters[level:] = [0] * (4 - level)
    if key[0] == "n":
        return Expected("body", number + str(item[key]).strip(), level, len(squash(number)))
    head = number + str(item[key]).strip()
    return Expected("body", head + str(item.get("text") or "").strip(), level, len(squash(head)), True)


def _item_number(item: dict, level: int, counters: list[int]) -> str:
    """Return the printed number: the explicit one (a standard one sets the counter), else the next."""
    if "number" in item:
        explicit = str(item["number"] or "")
        value = number_value(level, explicit)
        counters[level - 1] = value if value is not None else counters[level - 1]
        return explicit
    counters[level - 1] += 1
    return heading_number(level, counters[level - 1])


def annex_paragraphs(data: dict) -> list[Expected]:
    """Return the 附件说明 lines: 附件：1.name, then 2.name …"""
    names = annex_names(data)
    return [Expected("annex", ("附件：" if i == 1 else "") + f"{i}.{n}") for i, n in enumerate(names, start=1)]


def annex_names(data: dict) -> list[str]:
    """Return the annex names (an annex is a name or a mapping with a name)."""
    return [str(a["name"] if isinstance(a, dict) else a).strip() for a in data.get("annexes") or []]


ATTENDANCE = (("present", "出席："), ("absent", "请假："), ("observers", "列席："))


def attendance_paragraphs(data: dict) -> list[Expected]:
    """Return the 纪要 lines 出席：… 请假：… 列席：… (label length kept as head_len)."""
    return [Expected("attendance", label + "，".join(as_list(data[key])), 0, len(label))
            for key, label in ATTENDANCE if data.get(key)]


def signature_paragraphs(data: dict) -> list[Expected]:
    """Return the signatory part: signer titles (命令) or names, the 代章 line, then the date."""
    out = [Expected("signer_title", str(s["title"]).strip()) for s in data.get("signed_by") or []]
    out += [Expected("signature", name) for name in signature_names(data)]
    if data.get("proxy_seal"):
        out.append(Expected("proxy_seal", parenthesised(data["proxy_seal"])))
    return out + [Expected("date", cn_date(data["date"]))]


def addressee_paragraphs(data: dict) -> list[Expected]:
    """Return the 主送机关 under the title (none when absent or moved to the 版记)."""
    if not data.get("addressees") or data.get("addressees_in_colophon"):
        return []
    return [Expected("addressee", suffixed(data["addressees"], "："))]


def main_paragraphs(data: dict) -> list[Expected]:
    """Return the 主体 in order: addressees, body, closing, 附件说明, 出席…, signature, date, 附注."""
    out = addressee_paragraphs(data) + body_paragraphs(data.get("body"))
    if data.get("closing"):
        out.append(Expected("closing", data["closing"].strip()))
    out += annex_paragraphs(data) + attendance_paragraphs(data) + signature_paragraphs(data)
    return out + [Expected(k, parenthesised(data[k])) for k in ("note", "publication") if data.get(k)]


def issued_paragraphs(data: dict) -> list[Expected]:
    """Return the issued document (印发的文件): its title, then its body numbered on its own."""
    issued = data.get("issued")
    if not issued:
        return []
    if not isinstance(issued, dict):
        raise ValueError("load the notice with load_notice() so the issued document is read")
    return [Expected("issued_title", str(issued["title"]).strip())] + body_paragraphs(issued.get("body"))


def colophon_paragraphs(data: dict) -> list[Expected]:
    """Return the 版记 lines: 主送：…, 抄送：…。, the 印发机关 and the 印发日期 (…印发)."""
    out = [Expected("colophon_addressee", "主送：" + suffixed(data["addressees"], "。"))] \
        if data.get("addressees_in_colophon") and data.get("addressees") else []
    out += [Expected("copy_to", "抄送：" + suffixed(data["copy_to"], "。"))] if data.get("copy_to") else []
    if data.get("printer"):
        out.append(Expected("printer", data["printer"].strip()))
    if data.get("print_date"):
        out.append(Expected("print_date", cn_date(data["print_date"]) + "印发"))
    return out


def signer_lines(data: dict) -> list[str]:
    """Return the 签发人 lines: 签发人：A B, then C D … (two names a line)."""
    names = as_list(data.get("signers"))
    rows = [names[i:i + 2] for i in range(0, len(names), 2)]
    return [("签发人：" if i == 0 else "") + "".join(row) for i, row in enumerate(rows)]


def head_paragraphs(data: dict) -> list[Expected]:
    """Return the 版头 text after the mark: 签发人 lines and the 发文字号 (令号), in reading order."""
    number = [Expected("number", data["number"].strip())] if data.get("number") else []
    signers = [Expected("signers", line) for line in signer_lines(data)]
    return signers[:-1] + number + signers[-1:]  # the number sits left on the last 签发人 line


def expected_sequence(data: dict) -> list[Expected]:
    """Return every paragraph from the 发文字号 to the 版记, in reading order."""
    title = [Expected("title", data["title"].strip())] if data.get("title") else []
    return head_paragraphs(data) + title + main_paragraphs(data) + issued_paragraphs(data) + colophon_paragraphs(data)


def match_sequence(units: list[str], expected: list[Expected]) -> list[list[int] | None]:
    """Match each expected text to consecutive units (paragraphs or PDF lines), in order."""
    return [sorted({u for u, _, _ in hit}) if hit else None for hit in match_spans(units, expected)]


def match_spans(units: list[str], expected: list[Expected]) -> list[list[tuple[int, int, int]] | None]:
    """Match each expected text to (unit, first, end) character ranges of squashed units, in order.

    An item starts at the beginning of a unit, or right after the previous item inside the same unit (names
    side by side, a 发文字号 and its 签发人 on one line); it ends at the end of a unit or where the next begins.
    """
    flat, owner, bounds = _flatten(units)
    targets = [squash(item.text) for item in expected]
    found, pos, starts = [], 0, set(bounds)
    for k, target in enumerate(targets):
        hit = _find(flat, target, pos, starts, bounds, targets[k + 1] if k + 1 < len(targets) else "")
        found.append(_ranges(owner, hit) if hit else None)
        if hit:
            pos, starts = hit[1], starts | {hit[1]}
    return found


def _ranges(owner: list[tuple[int, int]], hit: tuple[int, int]) -> list[tuple[int, int, int]]:
    out: dict[int, list[int]] = {}
    for unit, index in owner[hit[0]:hit[1]]:
        out.setdefault(unit, []).append(index)
    return [(unit, idx[0], idx[-1] + 1) for unit, idx in out.items()]


def _flatten(units: list[str]) -> tuple[str, list[tuple[int, int]], set[int]]:
    flat, owner, bounds = "", [], set()
    for n, unit in enumerate(units):
        text = squash(unit)
        bounds.add(len(flat))
        flat += text
        owner += [(n, i) for i in range(len(text))]
    return flat, owner, bounds | {len(flat)}


def _find(flat: str, target: str, pos: int, starts: set[int], bounds: set[int], following: str):
    begin = flat.find(target, pos) if target else -1
    while begin >= 0:
        end = begin + len(target)
        if begin in starts and (end in bounds or (following and flat.startswith(following, end))):
            return begin, end
        begin = flat.find(target, begin + 1)
    return None
