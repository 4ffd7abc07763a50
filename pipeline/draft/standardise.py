"""Standardise recognised draft text the way GB/T 9704 fixes it, recording every correction made."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from ..check import patterns as P
from ..check.reading import Grid
from ..core.text import chinese_date, strip_controls
from ..notice.blocks import heading_number

TEXT_KEYS = ("title", "addressees", "closing", "note", "publication", "copy_to", "present", "absent", "observers")
NAME_END = "。.，,；;：:、"
PADDED_MONTH = re.compile(r"(\d{4})年0([1-9])月")  # 2024年06月 → 2024年6月
PADDED_DAY = re.compile(r"(?<!\d)(1[0-2]|[1-9])月0([1-9])日")  # 6月03日 → 6月3日
ANNEX_ITEM_NUMBER = re.compile(r"^(?:附件[:：])?(?P<n>\d{1,2})(?P<sep>[.．、,，]?)(?=\D)")


@dataclass
class Correction:
    """Hold one change made to the draft's text: where, what kind, before and after, and why in Chinese."""

    paragraph: int
    element: str
    code: str
    before: str
    after: str
    message: str

    def as_dict(self) -> dict:
        """Return the correction as the report writes it."""
        return asdict(self)


MESSAGES = {
    "number_form": "发文字号的年份用六角括号〔〕，序号不编虚位、不加“第”",
    "date_form": "日期用阿拉伯数字写全年月日，月、日不编虚位",
    "heading_number": "标题序号依次为“一、”“（一）”“1.”“（1）”",
    "halfwidth_punctuation": "中文里的标点改为全角",
    "annex_name_punctuation": "附件名称后不加标点符号",
    "control_characters": "删除了看不见的控制字符（多来自复制粘贴）",
    "annex_number_form": "附件说明的序号写作“1.”",
    "annex_label_form": "附件标识写作“附件”二字加阿拉伯数字序号，不加标点",
}


class Corrector:
    """Collect corrections while standardising; each fix returns the corrected text."""

    def __init__(self, elements: list):
        self.elements = elements
        self.squashed = [(P.squash(e.text), e.paragraph, e.element) for e in elements]
        self.made: list[Correction] = []

    def note(self, element: str, code: str, before: str, after: str) -> str:
        """Record a correction (when the text changed) and return the new text."""
        if before != after:
            self.made.append(Correction(self._paragraph(element, before), element, code, before, after, MESSAGES[code]))
        return after

    def _paragraph(self, element: str, text: str) -> int:
        """Return the draft paragraph the text came from (the first recognised element holding it)."""
        target = P.squash(text)
        hit = next((paragraph for squashed, paragraph, _ in self.squashed if target and target in squashed), 0)
        return hit or next((paragraph for _, paragraph, kind in self.squashed if kind == element), 0)

    def text(self, element: str, text: str) -> str:
        """Return text with full-width punctuation and standard dates in Chinese prose."""
        marks = set(P.halfwidth_marks(text))
        fixed = "".join(P.HALF_TO_FULL[c] if i in marks else c for i, c in enumerate(text))
        fixed = self.note(element, "halfwidth_punctuation", text, fixed)
        return self.note(element, "date_form", fixed, running_dates(fixed))


def remove_controls(blocks: list) -> list[Correction]:
    """Remove invisible control characters from the draft's lines and cells, in place; return one record a line."""
    made = []
    for b in blocks:
        for line in (b.lines if isinstance(b, Grid) else [b]):
            clean, changed = strip_controls(line.text)
            if changed:
                made.append(Correction(line.paragraph, "body", "control_characters", line.text, clean,
                                       MESSAGES["control_characters"]))
                line.text = clean
        if isinstance(b, Grid):
            b.rows = [[strip_controls(cell)[0] for cell in row] for row in b.rows]
    return made


def running_dates(text: str) -> str:
    """Return text with every full date written 2024年5月8日 (Chinese numerals and leading zeros replaced)."""
    def standard(m: re.Match) -> str:
        day = P.parse_date(m[0])
        return chinese_date(day) if day else m[0]
    text = P.CN_DATE.sub(standard, P.ARABIC_DATE.sub(standard, text))
    return PADDED_MONTH.sub(r"\1年\2月", PADDED_DAY.sub(r"\1月\2日", text))


def standard_number(number: str) -> str:
    """Return a 发文字号 in the standard form (〔〕 around the year, no 第, no leading zeros)."""
    m = P.DOC_NUMBER.match(P.squash(number))
    if m:
        return f"{m['code'] or ''}〔{m['year']}〕{int(m['serial'])}号"
    m = P.ORDER_NUMBER.match(P.squash(number))
    return f"第{int(m['serial'])}{number.strip()[-1]}" if m else number


def standard_body(items: list, fix: Corrector, element: str = "body") -> list:
    """Return body items with standard heading numbers (dropped when they run in order) and fixed text."""
    counters, out = [0, 0, 0, 0], []
    for item in items:
        if isinstance(item, str):
            out.append(fix.text(element, item))
        elif "table" in item or "center" in item:
            out.append(item if "table" in item else {"center": fix.text(element, item["center"])})
        else:
            out.append(_numbered(item, counters, fix))
    return out


def _numbered(item: dict, counters: list[int], fix: Corrector) -> dict:
    key = next(k for k in item if k[:1] in "hn" and k[1:].isdigit())
    level, typed = int(key[1]), str(item.get("number", ""))
    value = P.heading_value(level, typed) if typed else None
    counters[level:] = [0] * (4 - level)
    out = {key: fix.text(f"heading{level}", item[key])}
    if item.get("text"):
        out["text"] = fix.text("body", item["text"])
    if value is None:
        counters[level - 1] += 1
        return out
    want = heading_number(level, value)
    fix.note(f"heading{level}", "heading_number", P.squash(typed), want)
    if value != counters[level - 1] + 1:
        out["number"] = want
    counters[level - 1] = value
    return out


def annex_names(names: list[str], fix: Corrector) -> list[str]:
    """Return the 附件说明's names without trailing punctuation, recording numbers typed other than 1."""
    for e in fix.elements:
        typed = ANNEX_ITEM_NUMBER.match(P.squash(e.text)) if e.element == "annex_note" else None
        if typed and typed["sep"] != ".":
            fix.note("annex_note", "annex_number_form", typed["n"] + typed["sep"], typed["n"] + ".")
    return [fix.note("annex_note", "annex_name_punctuation", n, n.rstrip(NAME_END) or n) for n in names]


def standard_date(text: str, element: str, fix: Corrector):
    """Return a printed date as a date (for the data file), recording a non-standard form."""
    day = P.parse_date(text)
    if day:
        fix.note(element, "date_form", P.squash(text), chinese_date(day))
    return day
