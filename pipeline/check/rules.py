"""Check what a document's recognised text must say: number and date forms, heading numbers, punctuation, red lines, annexes."""

from __future__ import annotations

from . import patterns as P
from .expected import cn_date, heading_number
from .findings import ERROR, WARNING, Finding
from .recognition import Recognition
from .standard import w
from .wordml import Docx

PUNCTUATED = ("title", "addressee", "body", "heading1", "heading2", "heading3", "heading4", "closing", "annex_note",
              "note", "publication", "cc", "issued_title", "annex_title", "attendance")
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
V_NS = "urn:schemas-microsoft-com:vml"
RED_LINES_NEEDED = {"信函格式": 2, "文件格式": 1}  # 信函: the line under the mark and the one at the foot; 文件: the separator


def text_rules(r: Recognition) -> list[Finding]:
    """Return the findings about what the text says (forms of numbers, dates, headings; punctuation)."""
    return _date_forms(r) + _heading_numbers(r) + _punctuation(r) + _annex_names(r)


def _date_forms(r: Recognition) -> list[Finding]:
    out = []
    for key, element, what in (("date", "date", "成文日期"), ("print_date", "printer", "印发日期")):
        text = P.squash(str(r.data.get(key, "")))
        day = P.parse_date(text)
        if day and text != cn_date(day):
            out.append(Finding("date_format", element, f"{what}“{text}”应使用阿拉伯数字写全年月日，写作“{cn_date(day)}”"
                               "（年份不简写，月、日不编虚位）", paragraph=_paragraph(r, element if key == "date" else "printer"),
                               found=text, want=cn_date(day)))
    return out


def _heading_numbers(r: Recognition) -> list[Finding]:
    """Report heading numbers typed in a form the standard does not use (一. 1、 (1))."""
    out = []
    parts = [(r.data.get("body") or [], ERROR), ((r.issued or {}).get("body") or [], ERROR)]
    for items, severity in parts + [(a["body"], WARNING) for a in r.annexes]:
        for item in items:
            found = _typed_number(item)
            if found:
                level, number = found
                value = P.heading_value(level, number)
                want = heading_number(level, value) if value else ""
                if want and P.squash(number) != want:
                    out.append(Finding("heading_number", f"heading{level}", f"{level}级标题的序号“{P.squash(number)}”应写作“{want}”"
                                       + ("（附件内容，仅提示）" if severity == WARNING else ""), severity,
                                       found=P.squash(number), want=want))
    return out


def _typed_number(item) -> tuple[int, str] | None:
    if not isinstance(item, dict) or "number" not in item:
        return None
    key = next((k for k in item if k[:1] in "hn" and k[1:].isdigit()), None)
    return (int(key[1]), str(item["number"])) if key else None


def _punctuation(r: Recognition) -> list[Finding]:
    """Report half-width , : ; ? ! ( ) in Chinese text, once a paragraph."""
    out, seen = [], set()
    for e in r.elements:
        marks = P.halfwidth_marks(e.text) if e.element in PUNCTUATED else []
        if marks and (e.paragraph, e.text) not in seen:
            seen.add((e.paragraph, e.text))
            shown = "".join(dict.fromkeys(e.text[i] for i in marks))
            out.append(Finding("halfwidth_punctuation", "punctuation",
                               f"“{e.text[:12]}…”中的中文标点用了半角“{shown}”，应使用全角标点"
                               f"（{'、'.join(P.HALF_TO_FULL[c] for c in shown)}）" + _quoted(e.part),
                               ERROR if e.part != "annex" else WARNING, paragraph=e.paragraph,
                               found=shown, want="".join(P.HALF_TO_FULL[c] for c in shown)))
    return out


def _annex_names(r: Recognition) -> list[Finding]:
    names = r.data.get("annexes") or []
    bad = [n for n in names if n and n[-1] in "。.，,；;：:、"]
    return [Finding("annex_name_punctuation", "annex_note", f"附件名称“{n}”后不加标点符号",
                    paragraph=_paragraph(r, "annex_note"), found=n[-1], want="") for n in bad]


def annex_consistency(r: Recognition) -> list[Finding]:
    """Compare the 附件说明 with the annexes bound in the document: numbers and names."""
    names, out = r.data.get("annexes") or [], []
    if not r.annexes:
        return out
    numbers = [a["number"] for a in r.annexes]
    if numbers != list(range(1, len(numbers) + 1)):
        out.append(Finding("annex_order", "annex_label", f"附件标识的序号为 {numbers}，应从 1 起连续编号",
                           found=str(numbers), want=str(list(range(1, len(numbers) + 1)))))
    for a in r.annexes:
        listed = names[a["number"] - 1] if 0 < a["number"] <= len(names) else ""
        if not listed:
            out.append(Finding("annex_not_listed", "annex_label", f"附件{a['number']}“{a['title']}”未在附件说明中列出",
                               found=a["title"], want=""))
        elif P.squash(listed) != P.squash(a["title"]):
            close = P.squash(listed) in P.squash(a["title"]) or P.squash(a["title"]) in P.squash(listed)
            out.append(Finding("annex_title_mismatch", "annex_title",
                               f"附件{a['number']}的标题“{a['title']}”与附件说明中的名称“{listed}”不一致",
                               WARNING if close else ERROR, found=a["title"], want=listed))
    return out


def red_lines(doc: Docx, layout: str) -> list[Finding]:
    """Report a missing red line: 信函 needs its two (under the mark, at the foot), 文件 the separator."""
    need = RED_LINES_NEEDED.get(layout, 0)
    found = sum(_red_lines_in(root) for root in doc.all_roots())
    if found >= need:
        return []
    return [Finding("red_line_missing", "red_line", f"{layout}应有{need}条红色分隔线，只找到{found}条",
                    found=str(found), want=str(need))]


def _red_lines_in(root) -> int:
    borders = [b for b in root.iter(w("pBdr")) for side in b if P.is_red_colour(side.get(w("color"), ""))]
    drawn = [ln for ln in root.iter(f"{{{A_NS}}}ln")
             if any(P.is_red_colour(c.get("val", "")) for c in ln.iter(f"{{{A_NS}}}srgbClr"))]
    vml = [s for s in root.iter() if isinstance(s.tag, str) and s.tag.startswith(f"{{{V_NS}}}")
           and P.is_red_colour(s.get("strokecolor", "").lstrip("#"))]
    return len(borders) + len(drawn) + len(vml)


def _quoted(part: str) -> str:
    return "（附件内容，仅提示）" if part == "annex" else ""


def _paragraph(r: Recognition, element: str) -> int:
    return next((e.paragraph for e in r.elements if e.element == element), 0)

