"""Recognise the text of a 公文's elements as clerks type them: numbers, dates, headings, labels."""

from __future__ import annotations

import datetime as dt
import re

CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "O": 0, "0": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}
CN_NUM = "一二三四五六七八九十百千零〇两"
OPEN, CLOSE = re.escape("〔[［(（【"), re.escape("〕]］)）】")

# 发文字号: 机关代字 + year in any brackets + serial + 号; 令号 第N号; 纪要 第N期.
DOC_NUMBER = re.compile(rf"^(?P<code>[^\s{OPEN}]*[\u4e00-\u9fff][^\s{OPEN}]*)?\s*[{OPEN}]\s*(?P<year>\d{{4}})\s*[{CLOSE}]"
                        r"\s*第?\s*(?P<serial>\d{1,6})\s*号$")
ORDER_NUMBER = re.compile(r"^第\s*(?P<serial>\d{1,6})\s*[号期]$")
SIGNERS = re.compile(r"签\s*发\s*人\s*[:：]\s*(?P<names>.*)$")
COPY_NUMBER = re.compile(r"^\d{6}$")
SECRECY = re.compile(r"^(绝密|机密|秘密)(\s*★.*)?$")
URGENCY = re.compile(r"^(特急|加急)$")

# Dates: 2024年5月8日, 2024年05月08日, 二〇二四年五月八日, 2024-05-08, 2024.5.8, 2024/5/8.
ARABIC_DATE = re.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")
CN_DATE = re.compile(r"(?P<y>[〇○零Ｏ0一二三四五六七八九]{4})\s*年\s*(?P<m>[一二三四五六七八九十]{1,3})\s*月"
                     r"\s*(?P<d>[一二三四五六七八九十]{1,4})\s*日")
SEP_DATE = re.compile(r"(?P<y>\d{4})\s*[-./／]\s*(?P<m>\d{1,2})\s*[-./／]\s*(?P<d>\d{1,2})")
DATE_FORMS = (ARABIC_DATE, CN_DATE, SEP_DATE)

# Headings: 一、 一. （一） (一) 1. 1、 1． （1） (1); the number, then the rest.
HEADINGS = (
    (1, re.compile(rf"^(?P<n>[{CN_NUM}]{{1,6}})\s*(?P<sep>[、.．,，])\s*(?P<rest>.*)$", re.S)),
    (2, re.compile(rf"^(?P<n>[（(]\s*[{CN_NUM}]{{1,6}}\s*[）)])\s*(?P<sep>[、.．]?)\s*(?P<rest>.*)$", re.S)),
    (3, re.compile(r"^(?P<n>\d{1,4})\s*(?P<sep>[.．、])(?![\d.．])\s*(?P<rest>.*)$", re.S)),
    (4, re.compile(r"^(?P<n>[（(]\s*\d{1,4}\s*[）)])\s*(?P<sep>[、.．]?)\s*(?P<rest>.*)$", re.S)),
)
SENTENCE_END = "。！？!?"
COLON_HEAD = 12  # characters: a short label ending in a colon heads the text after it (活动形式：…)
HEAD_MAX = 40  # characters: a heading sentence longer than this is a paragraph that happens to be numbered

# Labels of the parts after the body.
ANNEX_NOTE = re.compile(r"^附\s*件\s*[:：]\s*(?P<rest>.*)$")
ANNEX_ITEM = re.compile(r"^(?P<n>\d{1,2})\s*[.．、]?\s*(?P<name>\D.*)$")
ANNEX_LABEL = re.compile(r"^附\s*件\s*(?P<n>\d{0,2}|[一二三四五六七八九十]{1,3})\s*[:：]?$")
ATTENDANCE = re.compile(r"^(?P<label>出\s*席|请\s*假|列\s*席)\s*[:：]\s*(?P<names>.*)$")
COPY_TO = re.compile(r"^抄\s*送\s*[:：]\s*(?P<rest>.*)$")
COLOPHON_TO = re.compile(r"^主\s*送\s*[:：]\s*(?P<rest>.*)$")
PRINTER = re.compile(r"^(?P<printer>.+?)\s*(?P<date>(\d{4}|[〇○零Ｏ0一二三四五六七八九]{4})\s*年.{1,6}月.{1,6}日|"
                     r"\d{4}\s*[-./／]\s*\d{1,2}\s*[-./／]\s*\d{1,2})\s*印\s*发$")
PROXY_SEAL = re.compile(r"^[（(].{2,60}代\s*[章印][）)]$")
PARENTHESISED = re.compile(r"^[（(](?P<inner>.*)[）)]$", re.S)
CLOSING = re.compile(r"^(特此(通知|通报|函告|函复|报告|批复|公告|通告|决定|复函)|此复|专此函达|妥否，?请批示|"
                     r"以上(报告|意见|请示)[^。]{0,12}|当否，?请批示|请予(审批|批准|审定))[。！]?$")
PUBLICATION = re.compile(r"^此件(公开发布|主动公开|依申请公开|不予公开|不公开|删减后公开)")
TITLE_ENDS = ("通知", "通报", "函", "复函", "请示", "报告", "意见", "决定", "决议", "批复", "公告", "通告", "议案", "纪要",
              "命令", "令", "方案", "办法", "规定", "细则", "规划", "计划", "要点", "公报", "章程", "规则", "制度",
              "总结", "说明", "清单", "目录", "名单", "汇总表", "统计表", "信息表", "登记表", "申请表", "推荐表", "指南",
              "标准", "守则", "协议", "倡议书", "建议")
SENTENCE_PUNCT = "。；！？;!?"
PUSHED_RIGHT = 12  # leading columns that push a line right: a signature or date typed with spaces
AGENCY_ENDS = ("局", "委", "办", "厅", "部", "院", "会", "处", "室", "所", "站", "中心", "政府", "公司", "集团", "小组", "学校",
               "大学", "学院", "银行", "队", "团", "社", "馆", "署", "科", "股", "庭", "党委", "支部", "总队", "支队", "办事处")


def collapse(text: str) -> str:
    """Return text stripped, with runs of whitespace (full-width spaces included) made one space."""
    return re.sub(r"[\s\u3000]+", " ", text).strip()


def pushed_right(raw: str) -> bool:
    """Return True when a line's leading blanks push it right (spaces count 1, full-width spaces 2, tabs 4)."""
    lead = raw[:len(raw) - len(raw.lstrip())]
    return sum(4 if c == "\t" else 2 if c == "\u3000" else 1 for c in lead) >= PUSHED_RIGHT


def squash(text: str) -> str:
    """Return text with every whitespace character removed."""
    return re.sub(r"[\s\u3000]+", "", text)


def cn_int(text: str) -> int | None:
    """Return the value of a Chinese numeral up to 9999 (一, 十一, 二十, 一百零一, 两千), or None."""
    total, digit = 0, None
    for ch in text:
        if ch in CN_DIGITS:
            digit = CN_DIGITS[ch]
        elif ch in "十百千":
            total += (1 if digit is None else digit) * {"十": 10, "百": 100, "千": 1000}[ch]
            digit = None
        else:
            return None
    return total + (digit or 0) if text else None


def parse_date(text: str) -> dt.date | None:
    """Return the date a line holds in full (Arabic, Chinese-numeral or separated form), else None."""
    text = squash(text)
    for form in DATE_FORMS:
        m = form.fullmatch(text)
        if m:
            return _date(m)
    return None


def _date(m: re.Match) -> dt.date | None:
    if m.re is CN_DATE:
        year = "".join(str(CN_DIGITS[c]) for c in m["y"])
        parts = (int(year), cn_int(m["m"]), cn_int(m["d"]))
    else:
        parts = (int(m["y"]), int(m["m"]), int(m["d"]))
    try:
        return dt.date(*parts)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def heading(text: str) -> tuple[int, str, str] | None:
    """Return (level, number as typed, rest) when text starts with a heading number, else None."""
    for level, pattern in HEADINGS:
        m = pattern.match(text)
        if m and m["rest"].strip():
            return level, m["n"] + m["sep"], m["rest"].strip()
    return None


def heading_value(level: int, number: str) -> int | None:
    """Return the count a typed heading number stands for (（三） → 3), else None."""
    digits = re.sub(r"[\s、.．,，（）()]", "", number)
    return int(digits) if level in (3, 4) and digits.isdigit() else cn_int(digits) if level in (1, 2) else None


def split_heading(rest: str) -> tuple[str, str]:
    """Split a heading's text into (heading sentence, run-in text); text empty when it is a heading alone."""
    colon = next((i for i, ch in enumerate(rest[:COLON_HEAD + 1]) if ch in "：:"), -1)
    if colon > 0 and rest[colon + 1:].strip() and not any(p in rest[:colon] for p in "，,；;。"):
        return rest[:colon + 1], rest[colon + 1:].strip()  # 报送时间：4月10日前。
    for i, ch in enumerate(rest[:HEAD_MAX + 1]):
        if ch in SENTENCE_END:
            head = rest[:i + 1]
            return ("", rest) if any(p in head for p in "，,；;") else (head, rest[i + 1:].strip())
    if len(rest) <= HEAD_MAX and not any(p in rest for p in SENTENCE_PUNCT + "，,"):
        return rest, ""
    return "", rest


def is_title_end(text: str) -> bool:
    """Return True when text ends with a 文种 (通知, 函, 请示 …), as a 公文 title does."""
    return squash(text).rstrip("”」》\"'").endswith(TITLE_ENDS)


def looks_like_name(text: str) -> bool:
    """Return True when a line could be an agency's name or a signature: short, no sentence punctuation."""
    text = squash(text)
    return 2 <= len(text) <= 40 and not any(p in text for p in "。，；：:,;！？!?") and not re.search(r"\d{4}", text)


def split_names(text: str) -> list[str]:
    """Split names typed side by side (two or more spaces or a tab between them, or one space between agencies)."""
    parts = [part for part in re.split(r"\s{2,}|\t|\u3000+", text.strip()) if part.strip()]
    return [name for part in parts for name in _agencies(part)]


def _agencies(text: str) -> list[str]:
    """Split at single spaces when every piece is an agency's name (甲局 乙局), else keep the text whole."""
    pieces = text.split()
    if len(pieces) > 1 and all(len(p) >= 3 and is_agency(p) for p in pieces):
        return pieces
    return [text.strip()]


def is_agency(text: str) -> bool:
    """Return True when text ends the way an agency's name does (局, 委员会, 人民政府, 办公室 …)."""
    return squash(text).removesuffix("文件").endswith(AGENCY_ENDS)


def annex_number(text: str) -> int | None:
    """Return the number of an annex label (附件2, 附件二), None for a bare 附件."""
    m = ANNEX_LABEL.match(squash(text))
    n = m["n"] if m else ""
    return int(n) if n.isdigit() else cn_int(n) if n else None


# Half-width punctuation inside Chinese text (GB/T 15834 wants the full-width marks there).
HALF_TO_FULL = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}
PROTECTED = re.compile(r"(?:https?|ftp)://[^\s\u4e00-\u9fff，。；]+|www\.[^\s\u4e00-\u9fff，。；]+|"
                       r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\d[:,]\d")


def is_cjk(ch: str) -> bool:
    """Return True for a Chinese character or a full-width mark."""
    return "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef" or ch in "“”‘’《》—…"


def halfwidth_marks(text: str) -> list[int]:
    """Return the indexes of half-width , : ; ? ! ( ) that stand in Chinese text (URLs, e-mails, 10:30 kept)."""
    guarded = {i for m in PROTECTED.finditer(text) for i in range(m.start(), m.end())}
    pairs = _paren_pairs(text)
    out = []
    for i, ch in enumerate(text):
        if ch not in HALF_TO_FULL or i in guarded:
            continue
        if ch in "()" and i in pairs:
            start, end = sorted((i, pairs[i]))
            hit = _cjk_near(text, start, -1) or _cjk_near(text, end, 1) or any(map(is_cjk, text[start + 1:end]))
        else:
            hit = _cjk_near(text, i, -1) or _cjk_near(text, i, 1)
        if hit:
            out.append(i)
    return out


def _paren_pairs(text: str) -> dict[int, int]:
    stack, pairs = [], {}
    for i, ch in enumerate(text):
        if ch == "(":
            stack.append(i)
        elif ch == ")" and stack:
            j = stack.pop()
            pairs[i], pairs[j] = j, i
    return pairs


def _cjk_near(text: str, i: int, step: int) -> bool:
    """Return True when the nearest non-space character on one side of text[i] is Chinese."""
    j = i + step
    while 0 <= j < len(text) and text[j] in " \t":
        j += step
    return 0 <= j < len(text) and is_cjk(text[j])


def is_red_colour(value: str) -> bool:
    """Return True for a hex colour a reader calls red (FF0000, C00000, E60012 …)."""
    try:
        red, green, blue = (int(value[i:i + 2], 16) for i in (0, 2, 4))
    except ValueError:
        return False
    return len(value) == 6 and red >= 0xB0 and green <= 0x50 and blue <= 0x50
