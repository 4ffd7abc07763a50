"""Work out the text a notice must contain, in order, from its YAML data and the standard's own rules."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .standard import squash

# ==============================================================================================
# Expected content, from the YAML data and the standard's own numbering and date rules
# ==============================================================================================
@dataclass
class Expected:
    """One paragraph the notice must print: kind, full text, heading level and heading length."""

    kind: str
    text: str
    level: int = 0
    head_len: int = 0


def cn_numeral(n: int) -> str:
    """Write 1–99 in Chinese numerals, as the heading numbers 一、（一） use."""
    digits = "零一二三四五六七八九"
    tens, ones = divmod(n, 10)
    if not tens:
        return digits[ones]
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def heading_number(level: int, n: int) -> str:
    """Return the standard's heading number: 一、 （一） 1. （1）."""
    return (f"{cn_numeral(n)}、", f"（{cn_numeral(n)}）", f"{n}.", f"（{n}）")[level - 1]


def cn_date(value) -> str:
    """Write a date the standard's way: 2022年3月21日 (Arabic, year in full, no leading zeros)."""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value.strip())
    return f"{value.year}年{value.month}月{value.day}日"


def suffixed(text: str, suffix: str) -> str:
    """Return text ending with suffix (主送机关 ends with ：, 抄送 with 。)."""
    text = text.strip()
    return text if text.endswith(suffix) else text.rstrip("：:。.，,") + suffix


def parenthesised(text: str) -> str:
    """Return text inside full-width parentheses (附注)."""
    text = text.strip()
    return text if text.startswith(("（", "(")) else f"（{text}）"


def mark_text(fmt: str, data: dict) -> str:
    """Return the 发文机关标志: data's mark, else the authority (+文件 for 文件格式)."""
    return data.get("mark") or data["authority"] + ("文件" if fmt == "文件格式" else "")


def body_paragraphs(data: dict) -> list[Expected]:
    """Return the body items as printed, numbering headings 一、（一）1.（1） per level."""
    out, counters = [], [0, 0, 0, 0]
    for item in data.get("body") or []:
        if isinstance(item, str):
            out.append(Expected("body", item.strip()))
            continue
        level = next(int(k[1]) for k in ("h1", "h2", "h3", "h4") if k in item)
        counters[level - 1] += 1
        counters[level:] = [0] * (4 - level)
        head = heading_number(level, counters[level - 1]) + str(item[f"h{level}"]).strip()
        out.append(Expected("body", head + str(item.get("text") or "").strip(), level, len(squash(head))))
    return out


def annex_paragraphs(data: dict) -> list[Expected]:
    """Return the 附件说明 lines: 附件：1.name, then 2.name …"""
    names = annex_names(data)
    return [Expected("annex", ("附件：" if i == 1 else "") + f"{i}.{n}") for i, n in enumerate(names, start=1)]


def annex_names(data: dict) -> list[str]:
    """Return the annex names (an annex is a name or a mapping with a name)."""
    return [str(a["name"] if isinstance(a, dict) else a).strip() for a in data.get("annexes") or []]


def main_paragraphs(data: dict) -> list[Expected]:
    """Return the 主体 in order: addressees, body, closing, 附件说明, signature, date, 附注."""
    out = [Expected("addressee", suffixed(data["addressees"], "："))] + body_paragraphs(data)
    if data.get("closing"):
        out.append(Expected("closing", data["closing"].strip()))
    out += annex_paragraphs(data)
    out += [Expected("signature", (data.get("signature") or data["authority"]).strip()),
            Expected("date", cn_date(data["date"]))]
    out += [Expected(k, parenthesised(data[k])) for k in ("note", "publication") if data.get(k)]
    return out


def colophon_paragraphs(data: dict) -> list[Expected]:
    """Return the 版记 lines: 抄送：…。, the 印发机关 and the 印发日期 (…印发)."""
    out = [Expected("copy_to", "抄送：" + suffixed(data["copy_to"], "。"))] if data.get("copy_to") else []
    if data.get("printer"):
        out.append(Expected("printer", data["printer"].strip()))
    if data.get("print_date"):
        out.append(Expected("print_date", cn_date(data["print_date"]) + "印发"))
    return out


def expected_sequence(data: dict) -> list[Expected]:
    """Return every paragraph from the 发文字号 to the 版记, in reading order."""
    head = [Expected("number", data["number"].strip()), Expected("title", data["title"].strip())]
    return head + main_paragraphs(data) + colophon_paragraphs(data)


def match_sequence(units: list[str], expected: list[Expected]) -> list[list[int] | None]:
    """Match each expected text to consecutive units (paragraphs or PDF lines), in order."""
    texts, found, start = [squash(u) for u in units], [], 0
    for item in expected:
        hit = _match_one(texts, squash(item.text), start)
        found.append(hit)
        start = hit[-1] + 1 if hit else start
    return found


def _match_one(texts: list[str], target: str, start: int) -> list[int] | None:
    for i in range(start, len(texts)):
        if not texts[i] or not target.startswith(texts[i]):
            continue
        acc, j = texts[i], i
        while acc != target and j + 1 < len(texts) and target.startswith(acc + texts[j + 1]):
            j += 1
            acc += texts[j]
        if acc == target:
            return list(range(i, j + 1))
    return None
