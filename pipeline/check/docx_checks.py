"""Check a .docx against the standard: page, head, title, body fonts and indents, grid, annex note, theme fonts."""

from __future__ import annotations

import re

from .docx_text import (chars, find_containing, find_paragraph, jc_name, raw_span, text_font_violations,
                        text_span)
from .expected import (Expected, annex_names, annex_paragraphs, element_of, main_paragraphs, mark_lines, mark_text,
                       match_sequence)
from .findings import ELEMENTS, Finding
from .patterns import DOC_NUMBER
from .standard import (ALIGN_TOL_PT, BOTTOM, DOC_NUMBER_RE, FANGSONG, GRID_TOL, HAO2, HAO3, HEADING_FONTS,
                       INDENT_TOL_PT, LEFT, LINE_PITCH, MARGIN_TOL, MM_PER_PT, NS, PAGE_H, PAGE_W, RIGHT, SIZE_TOL_MM,
                       TEXT_H, TEXT_W, THEME_ATTRS, TOP, TWIP_PT, XIAOBIAOSONG, figure, near, quote, squash, w)
from .wordml import (Docx, char_advance, first_val, font_size, indent_pt, justification, line_pitch_pt, para_text,
                     paragraph_number, paragraphs, tab_stops)


# ==============================================================================================
# .docx checks
# ==============================================================================================
def docx_page(doc: Docx, fmt: str, data: dict) -> list[Finding]:
    """A4 portrait; 天头 37 ± 1 mm, 订口 28 ± 1 mm, 版心 156 × 225 mm (so bottom 35, right 26)."""
    out = []
    for n, sect in enumerate(doc.sections, start=1):
        size, mar = sect.find("w:pgSz", NS), sect.find("w:pgMar", NS)
        mm = {k: int(mar.get(w(k))) * TWIP_PT * MM_PER_PT for k in ("top", "bottom", "left", "right")}
        width, height = (int(size.get(w(k))) * TWIP_PT * MM_PER_PT for k in ("w", "h"))
        at = f"第{n}节" if len(doc.sections) > 1 else ""
        if width > height:  # a landscape page (a wide table): the portrait page turned, 订口 on top
            out += _landscape_page(at, width, height, mm)
            continue
        out += near("paper_size", "page", f"{at}纸张宽度", width, PAGE_W, SIZE_TOL_MM)
        out += near("paper_size", "page", f"{at}纸张高度", height, PAGE_H, SIZE_TOL_MM)
        out += near("margin", "page", f"{at}天头（上边距）", mm["top"], TOP, MARGIN_TOL)
        out += near("margin", "page", f"{at}订口（左边距）", mm["left"], LEFT, MARGIN_TOL)
        out += near("margin", "page", f"{at}右边距", mm["right"], RIGHT, MARGIN_TOL)
        out += near("margin", "page", f"{at}下边距", mm["bottom"], BOTTOM, MARGIN_TOL)
        out += near("text_area", "page", f"{at}版心宽度", width - mm["left"] - mm["right"], TEXT_W, SIZE_TOL_MM)
        out += near("text_area", "page", f"{at}版心高度", height - mm["top"] - mm["bottom"], TEXT_H, SIZE_TOL_MM)
    return out


def _landscape_page(at: str, width: float, height: float, mm: dict) -> list[Finding]:
    """A4 turned: 297 × 210 mm, 订口 28 mm on top, 26 mm at the foot, 天头/下白边 37/35 mm at the sides, 版心 225 × 156 mm."""
    sides = sorted((mm["left"], mm["right"]))
    out = near("paper_size", "page", f"{at}横排纸张宽度", width, PAGE_H, SIZE_TOL_MM)
    out += near("paper_size", "page", f"{at}横排纸张高度", height, PAGE_W, SIZE_TOL_MM)
    out += near("margin", "page", f"{at}横排页订口（上边距）", mm["top"], LEFT, MARGIN_TOL)
    out += near("margin", "page", f"{at}横排页下边距", mm["bottom"], RIGHT, MARGIN_TOL)
    out += near("margin", "page", f"{at}横排页较窄的侧边距", sides[0], BOTTOM, MARGIN_TOL)
    out += near("margin", "page", f"{at}横排页较宽的侧边距", sides[1], TOP, MARGIN_TOL)
    out += near("text_area", "page", f"{at}横排版心宽度", width - sides[0] - sides[1], TEXT_H, SIZE_TOL_MM)
    return out + near("text_area", "page", f"{at}横排版心高度", height - mm["top"] - mm["bottom"], TEXT_W, SIZE_TOL_MM)


NUMBER_RES = {"命令格式": re.compile(r"第[1-9]\d*号"), "纪要格式": re.compile(r".*〔\d{4}〕[1-9]\d*号|第[1-9]\d*期")}
NUMBER_RULES = {"命令格式": ("令号应为“第N号”，序号不编虚位", "第N号"),
                "纪要格式": ("应为“机关代字〔年份〕N号”或“第N期”，年份用六角括号〔〕，序号不编虚位", "〔年份〕N号 或 第N期")}
DOC_NUMBER_RULE = ("年份应写全并使用六角括号〔〕，序号不加“第”字、不编虚位", "机关代字〔年份〕序号")


def docx_number(doc: Docx, fmt: str, data: dict) -> list[Finding]:
    """发文字号 like 国知办函服字〔2022〕270号 (令号 第5号), printed in 3号仿宋."""
    number = str(data.get("number") or "").strip()
    name = "令号" if fmt == "命令格式" else "发文字号"
    if not number:
        return [] if fmt == "纪要格式" else [Finding("missing", "number", f"{fmt}缺少{name}", want=name)]
    pattern = NUMBER_RES.get(fmt, DOC_NUMBER_RE)
    rule, want = NUMBER_RULES.get(fmt, DOC_NUMBER_RULE)
    typed = DOC_NUMBER.match(squash(number)) if fmt != "命令格式" else None
    want = f"{typed['code'] or ''}〔{typed['year']}〕{int(typed['serial'])}号" if typed else want
    p = find_paragraph(doc, number) if not data.get("signers") else find_containing(doc, number)
    at = paragraph_number(doc, p) if p is not None else 0
    out = [] if pattern.fullmatch(number) else [Finding("number_format", "number", f"{name}“{number}”的格式不符：{rule}",
                                                        paragraph=at, found=number, want=want)]
    if p is None:
        return out + [Finding("missing", "number", f"文档中未找到{name}“{number}”", want=number)]
    return out + text_font_violations(doc, p, "number", name, FANGSONG, HAO3, text_span(p, number))


def docx_head(doc: Docx, fmt: str, data: dict) -> list[Finding]:
    """发文机关标志: red 方正小标宋简体, centred (a stacked joint mark: see docx_joint_mark)."""
    if len(mark_lines(fmt, data)[0]) > 1:
        return []
    mark = mark_text(fmt, data)
    p = find_paragraph(doc, mark)
    if p is None:
        return [Finding("missing", "mark", f"未找到发文机关标志“{mark}”", want=mark)]
    out = text_font_violations(doc, p, "mark", "发文机关标志", XIAOBIAOSONG, None, red=True)
    jc = justification(doc, p)
    return out + ([] if jc == "center" else [Finding("alignment", "mark", f"发文机关标志{jc_name(jc)}，应居中",
                                                     paragraph=paragraph_number(doc, p), found=jc_name(jc),
                                                     want="居中")])


def docx_title(doc: Docx, fmt: str, data: dict) -> list[Finding]:
    """Title: 2号 (22 pt) 方正小标宋简体, black, centred, no first-line indent."""
    if not data.get("title"):
        return [] if fmt == "命令格式" else [Finding("missing", "title", "缺少标题", want="标题")]
    p = find_paragraph(doc, data["title"])
    if p is None:
        return [Finding("missing", "title", f"未找到标题“{quote(data['title'])}”", want=quote(data["title"]))]
    where, jc = paragraph_number(doc, p), justification(doc, p)
    out = text_font_violations(doc, p, "title", "标题", XIAOBIAOSONG, HAO2)
    out += [] if jc == "center" else [Finding("alignment", "title", f"标题{jc_name(jc)}，应居中", paragraph=where,
                                              found=jc_name(jc), want="居中")]
    return out + near("indent", "title", "标题首行缩进", indent_pt(doc, p, "firstLine"), 0.0, INDENT_TOL_PT, "pt",
                      paragraph=where)


def main_matches(doc: Docx, data: dict) -> list[tuple[Expected, object]]:
    """Pair each expected 主体 paragraph with its .docx paragraph (None when missing)."""
    body = paragraphs(doc.document.find("w:body", NS))
    hits = match_sequence([para_text(p) for p in body], main_paragraphs(data))
    items = main_paragraphs(data)
    return [(item, body[hit[0]] if hit and len(hit) == 1 else None) for item, hit in zip(items, hits)]


OWN_FONT_KINDS = ("attendance", "center")  # checked by docx_attendance; centred subtitles choose their face
FIRST_LINE_CHARS = {"addressee": 0, "body": 2, "closing": 2, "note": 2, "publication": 2}


def docx_main_text(doc: Docx, fmt: str, data: dict) -> list[Finding]:
    """主体: 3号仿宋 black; body first line indented 2 characters; 主送机关 flush left; headings' fonts."""
    out = []
    for item, p in main_matches(doc, data):
        if p is None:
            element = element_of(item)
            out.append(Finding("missing", element, f"{ELEMENTS[element]}“{quote(item.text)}”未作为一个段落找到",
                               want=quote(item.text)))
            continue
        out += _main_fonts(doc, item, p) + _main_indent(doc, item, p)
    return out


def _main_fonts(doc: Docx, item: Expected, p) -> list[Finding]:
    if item.kind in OWN_FONT_KINDS:
        return []
    element = element_of(item)
    if not item.level:
        return text_font_violations(doc, p, element, ELEMENTS[element], FANGSONG, HAO3)
    head, heading = raw_span(p, item.head_len), element_of(item, head=True)
    out = text_font_violations(doc, p, heading, ELEMENTS[heading], HEADING_FONTS[item.level], HAO3, (0, head))
    return out + text_font_violations(doc, p, element, ELEMENTS[element], FANGSONG, HAO3, (head, 10**9))


def _main_indent(doc: Docx, item: Expected, p) -> list[Finding]:
    if item.kind not in FIRST_LINE_CHARS:
        return []
    size = font_size(doc.styles.para_run_levels(p)) or HAO3
    want = FIRST_LINE_CHARS[item.kind] * size
    element, where = element_of(item), paragraph_number(doc, p)
    named = f"{ELEMENTS[element]}“{quote(item.text)}”"
    first = indent_pt(doc, p, "left") + indent_pt(doc, p, "firstLine")
    out = near("indent", element, f"{named}的首行起点", first, want, INDENT_TOL_PT, "pt", paragraph=where)
    return out + near("indent", element, f"{named}的回行起点", indent_pt(doc, p, "left"), 0.0, INDENT_TOL_PT, "pt",
                      paragraph=where)


def docx_grid(doc: Docx, fmt: str, data: dict) -> list[Finding]:
    """Body lines on the 22-line grid: line pitch ≈ 28.9 pt (exact spacing or the document grid)."""
    out = []
    for item, p in main_matches(doc, data):
        pitch = line_pitch_pt(doc, p) if p is not None else LINE_PITCH
        if pitch is None or abs(pitch - LINE_PITCH) > GRID_TOL:
            element = element_of(item)
            found = "未对齐文档网格" if pitch is None else f"{figure(pitch)} 磅"
            out.append(Finding("line_pitch", element, f"{ELEMENTS[element]}“{quote(item.text)}”的行距为{found}，"
                               f"应为 {LINE_PITCH} 磅（每页 22 行）", paragraph=paragraph_number(doc, p),
                               found=found, want=f"{LINE_PITCH} ± {GRID_TOL} 磅"))
    return out


def docx_annex_note(doc: Docx, fmt: str, data: dict) -> list[Finding]:
    """附件说明: first line indented 2 characters; numbers and names each start at one x."""
    items = annex_paragraphs(data)
    found = [find_paragraph(doc, item.text) for item in items]
    if None in found:
        missing = items[found.index(None)].text
        return [Finding("missing", "annex_note", f"未找到附件说明“{quote(missing)}”", want=quote(missing))]
    if not found:
        return []
    out = near("indent", "annex_note", "附件说明首行起点（空二字）", _line_start(doc, found[0]), 2 * HAO3,
               INDENT_TOL_PT, "pt", paragraph=paragraph_number(doc, found[0]))
    names = annex_names(data)
    xs = [_char_x(doc, p, len(squash(it.text)) - len(squash(n))) for p, it, n in zip(found, items, names)]
    numbers = [_char_x(doc, p, len(squash(it.text)) - len(squash(n)) - len(f"{i}."))
               for i, (p, it, n) in enumerate(zip(found, items, names), start=1)]
    out += _same_x("序号", numbers) + _same_x("名称", xs)
    return out + [Finding("indent", "annex_note", f"附件说明的回行起点为 {figure(x)} 磅，应与名称起点（{figure(xs[0])} 磅）对齐",
                          paragraph=paragraph_number(doc, p), found=f"{figure(x)} 磅", want=f"{figure(xs[0])} 磅")
                  for p in found for x in [indent_pt(doc, p, "left")] if abs(x - xs[0]) > ALIGN_TOL_PT]


def _line_start(doc: Docx, p) -> float:
    return indent_pt(doc, p, "left") + indent_pt(doc, p, "firstLine")


def _char_x(doc: Docx, p, index: int) -> float:
    """Return the x (pt from the margin) of the index-th non-space character of p's first line."""
    x, stops, left, seen = _line_start(doc, p), tab_stops(doc, p), indent_pt(doc, p, "left"), 0
    for ch, r in chars(p):
        if ch == "\t":
            x = _next_tab(x, stops, left, doc)
            continue
        if not ch.isspace() and seen == index:
            return x
        seen += not ch.isspace()
        x += char_advance(doc, p, r, ch)
    return x


def _next_tab(x: float, stops: list[float], left: float, doc: Docx) -> float:
    candidates = [s for s in stops if s > x + 0.01] + ([left] if left > x + 0.01 else [])
    if candidates:
        return min(candidates)
    default = int(first_val([doc.settings], "defaultTabStop") or 720) * TWIP_PT
    return (int(x // default) + 1) * default


def _same_x(what: str, xs: list[float]) -> list[Finding]:
    """Report 附件说明 numbers (序号) or names (名称) that do not all start at one x; want names the part."""
    if xs and max(xs) - min(xs) > ALIGN_TOL_PT:
        found = "、".join(f"{x:.1f}" for x in xs) + " 磅"
        return [Finding("alignment", "annex_note", f"附件说明各行的{what}起点不齐（{found}），应对齐", found=found,
                        want=f"各行{what}对齐")]
    return []


def docx_theme_fonts(doc: Docx, fmt: str, data: dict) -> list[Finding]:
    """No theme font attribute (asciiTheme, eastAsiaTheme …) where a 公文 font is set."""
    out = set()
    for name, root in _font_sources(doc):
        for fonts in root.iter(w("rFonts")):
            attrs = ", ".join(a for a in THEME_ATTRS if fonts.get(w(a)))
            out |= {Finding("theme_font", "fonts", f"{name}的字体设置使用了主题字体（{attrs}），公文字体会被主题字体替换",
                            found=attrs, want="不使用主题字体")} if attrs else set()
    return sorted(out, key=lambda f: f.message)


def _font_sources(doc: Docx) -> list[tuple[str, object]]:
    """Return docDefaults, every style the document uses (with basedOn) and every story, with Chinese names."""
    used = {el.get(w("val")) for root in doc.all_roots()
            for tag in ("pStyle", "rStyle", "tblStyle") for el in root.iter(w(tag))}
    used |= set(doc.styles.default.values())
    styles = {s.get(w("styleId")): s for sid in used for s in doc.styles.chain(sid)}
    out = [("文档默认格式（docDefaults）", doc.styles.r_default)] if doc.styles.r_default is not None else []
    out += [(f"样式 {sid}", s) for sid, s in sorted(styles.items())]
    return out + [("正文、页眉或页脚", root) for root in doc.all_roots()]
