"""Check a .docx against the standard: page, head, title, body fonts and indents, grid, annex note, page numbers, 版记."""

from __future__ import annotations

import re

from .standard import near, ALIGN_TOL_PT, BORDER_SZ_TOL, BOTTOM, DASH, DOC_NUMBER_RE, FANGSONG, GRID_TOL, HAO2, HAO3, HAO4, HEADING_FONTS, INDENT_TOL_PT, LEFT, LINE_PITCH, MARGIN_TOL, MM_PER_PT, NS, PAGE_H, PAGE_W, RIGHT, SIZE_TOL_MM, SONGTI, TEXT_H, TEXT_W, THEME_ATTRS, THICK_RULE, THIN_RULE, TOP, TWIP_PT, XIAOBIAOSONG, squash, w
from .expected import (Expected, annex_names, annex_paragraphs, colophon_paragraphs, main_paragraphs, mark_lines,
                       mark_text, match_sequence)
from .wordml import Docx, char_advance, char_kind, colour, first_val, font_for_char, font_size, indent_pt, is_red, justification, line_pitch_pt, own_runs, para_text, paragraphs, resolve_font, run_text, tab_stops

# ==============================================================================================
# .docx checks
# ==============================================================================================
def docx_page(doc: Docx, fmt: str, data: dict) -> list[str]:
    """A4 portrait; 天头 37 ± 1 mm, 订口 28 ± 1 mm, 版心 156 × 225 mm (so bottom 35, right 26)."""
    out = []
    for sect in doc.sections:
        size, mar = sect.find("w:pgSz", NS), sect.find("w:pgMar", NS)
        mm = {k: int(mar.get(w(k))) * TWIP_PT * MM_PER_PT for k in ("top", "bottom", "left", "right")}
        width, height = (int(size.get(w(k))) * TWIP_PT * MM_PER_PT for k in ("w", "h"))
        out += near("paper width", width, PAGE_W, SIZE_TOL_MM) + near("paper height", height, PAGE_H, SIZE_TOL_MM)
        out += near("top margin (天头)", mm["top"], TOP, MARGIN_TOL)
        out += near("left margin (订口)", mm["left"], LEFT, MARGIN_TOL)
        out += near("right margin", mm["right"], RIGHT, MARGIN_TOL)
        out += near("bottom margin", mm["bottom"], BOTTOM, MARGIN_TOL)
        out += near("版心 width", width - mm["left"] - mm["right"], TEXT_W, SIZE_TOL_MM)
        out += near("版心 height", height - mm["top"] - mm["bottom"], TEXT_H, SIZE_TOL_MM)
    return out


def find_paragraph(doc: Docx, text: str, roots=None):
    """Return the first paragraph (in reading order) whose text is text, ignoring whitespace."""
    target = squash(text)
    for root in roots or doc.stories():
        for p in paragraphs(root):
            if squash(para_text(p)) == target:
                return p
    return None


def docx_number(doc: Docx, fmt: str, data: dict) -> list[str]:
    """发文字号 like 国知办函服字〔2022〕270号 (令号 第5号), printed in 3号仿宋."""
    number = str(data.get("number") or "").strip()
    if not number:
        return [] if fmt == "纪要格式" else [f"{fmt}: no 发文字号"]
    pattern = NUMBER_RES.get(fmt, DOC_NUMBER_RE)
    out = [] if pattern.fullmatch(number) else [f"发文字号 {number!r} does not match {pattern.pattern}"]
    p = find_paragraph(doc, number) if not data.get("signers") else find_containing(doc, number)
    if p is None:
        return out + [f"发文字号 {number!r} not found in the document"]
    span = _text_span(p, number)
    return out + text_font_violations(doc, p, "发文字号", FANGSONG, HAO3, span)


NUMBER_RES = {"命令格式": re.compile(r"第[1-9]\d*号"), "纪要格式": re.compile(r".*〔\d{4}〕[1-9]\d*号|第[1-9]\d*期")}


def find_containing(doc: Docx, text: str, roots=None):
    """Return the first paragraph (in reading order) whose text contains text, ignoring whitespace."""
    target = squash(text)
    return next((p for root in roots or doc.stories() for p in paragraphs(root) if target in squash(para_text(p))),
                None)


def _text_span(p, text: str) -> tuple[int, int]:
    """Return the raw character span of text (whitespace ignored) inside p."""
    start = squash(para_text(p)).find(squash(text))
    return _raw_span(p, start), _raw_span(p, start + len(squash(text)))


def text_font_violations(doc: Docx, p, what: str, fonts: set, size: float | None,
                         span: tuple[int, int] | None = None, red: bool = False) -> list[str]:
    """Check East-Asian font, size and colour of the characters of p (or of a span of them)."""
    bad = set()
    for i, (ch, r) in enumerate(_chars(p)):
        if ch.isspace() or (span and not span[0] <= i < span[1]):
            continue
        levels = doc.styles.run_levels(p, r)
        bad |= _char_faults(levels, ch, fonts, size, red)
    return [f"{what}: {fault}" for fault in sorted(bad)]


def _chars(p) -> list[tuple[str, object]]:
    return [(ch, r) for r in own_runs(p) for ch in run_text(r)]


def _char_faults(levels: list, ch: str, fonts: set, size: float | None, red: bool) -> set[str]:
    faults = set()
    if char_kind(ch) != "latin":
        font = font_for_char(levels, ch)
        if font not in fonts:
            faults.add(f"{ch!r} is set in {font}, want {'/'.join(sorted(fonts))}")
    actual = font_size(levels)
    if size and actual != size:
        faults.add(f"size {actual} pt, want {size:g} pt")
    hue = colour(levels)
    if red != is_red(hue) or (not red and hue != "000000"):
        faults.add(f"colour {hue}, want {'red' if red else 'black 000000'}")
    return faults


def docx_head(doc: Docx, fmt: str, data: dict) -> list[str]:
    """发文机关标志: red 方正小标宋简体, centred (a stacked joint mark: see docx_joint_mark)."""
    if len(mark_lines(fmt, data)[0]) > 1:
        return []
    mark = mark_text(fmt, data)
    p = find_paragraph(doc, mark)
    if p is None:
        return [f"发文机关标志 {mark!r} not found"]
    out = text_font_violations(doc, p, "发文机关标志", XIAOBIAOSONG, None, red=True)
    return out + ([] if justification(doc, p) == "center" else ["发文机关标志 is not centred"])


def docx_title(doc: Docx, fmt: str, data: dict) -> list[str]:
    """Title: 2号 (22 pt) 方正小标宋简体, black, centred, no first-line indent."""
    if not data.get("title"):
        return [] if fmt == "命令格式" else ["no title"]
    p = find_paragraph(doc, data["title"])
    if p is None:
        return [f"title {data['title']!r} not found"]
    out = text_font_violations(doc, p, "title", XIAOBIAOSONG, HAO2)
    out += [] if justification(doc, p) == "center" else [f"title alignment {justification(doc, p)}, want center"]
    indent = indent_pt(doc, p, "firstLine")
    return out + ([] if abs(indent) <= INDENT_TOL_PT else [f"title first-line indent {indent:g} pt, want 0"])


def main_matches(doc: Docx, data: dict) -> list[tuple[Expected, object]]:
    """Pair each expected 主体 paragraph with its .docx paragraph (None when missing)."""
    body = paragraphs(doc.document.find("w:body", NS))
    hits = match_sequence([para_text(p) for p in body], main_paragraphs(data))
    items = main_paragraphs(data)
    return [(item, body[hit[0]] if hit and len(hit) == 1 else None) for item, hit in zip(items, hits)]


OWN_FONT_KINDS = ("attendance", "center")  # checked by docx_attendance; centred subtitles choose their face
FIRST_LINE_CHARS = {"addressee": 0, "body": 2, "closing": 2, "note": 2, "publication": 2}


def docx_main_text(doc: Docx, fmt: str, data: dict) -> list[str]:
    """主体: 3号仿宋 black; body first line indented 2 characters; 主送机关 flush left; headings' fonts."""
    out = []
    for item, p in main_matches(doc, data):
        if p is None:
            out.append(f"{item.kind} paragraph {item.text[:16]!r}… not found as one paragraph")
            continue
        out += _main_fonts(doc, item, p) + _main_indent(doc, item, p)
    return out


def _main_fonts(doc: Docx, item: Expected, p) -> list[str]:
    what = f"{item.kind} {item.text[:12]!r}"
    if item.kind in OWN_FONT_KINDS:
        return []
    if not item.level:
        return text_font_violations(doc, p, what, FANGSONG, HAO3)
    head = _raw_span(p, item.head_len)
    out = text_font_violations(doc, p, what + " heading", HEADING_FONTS[item.level], HAO3, (0, head))
    return out + text_font_violations(doc, p, what + " text", FANGSONG, HAO3, (head, 10**9))


def _raw_span(p, squashed_len: int) -> int:
    """Return the index in the raw character list after squashed_len non-space characters."""
    count = 0
    for i, (ch, _) in enumerate(_chars(p)):
        if count == squashed_len:
            return i
        count += not ch.isspace()
    return len(_chars(p))


def _main_indent(doc: Docx, item: Expected, p) -> list[str]:
    if item.kind not in FIRST_LINE_CHARS:
        return []
    size = font_size(doc.styles.para_run_levels(p)) or HAO3
    want = FIRST_LINE_CHARS[item.kind] * size
    first = indent_pt(doc, p, "left") + indent_pt(doc, p, "firstLine")
    out = near(f"{item.kind} {item.text[:12]!r} first-line start", first, want, INDENT_TOL_PT, "pt")
    return out + near(f"{item.kind} {item.text[:12]!r} wrapped-line start", indent_pt(doc, p, "left"),
                       0.0, INDENT_TOL_PT, "pt")


def docx_grid(doc: Docx, fmt: str, data: dict) -> list[str]:
    """Body lines on the 22-line grid: line pitch ≈ 28.9 pt (exact spacing or the document grid)."""
    out = []
    for item, p in main_matches(doc, data):
        pitch = line_pitch_pt(doc, p) if p is not None else LINE_PITCH
        if pitch is None or abs(pitch - LINE_PITCH) > GRID_TOL:
            out.append(f"{item.kind} {item.text[:12]!r}: line pitch {pitch} pt, want {LINE_PITCH} pt")
    return out


def docx_annex_note(doc: Docx, fmt: str, data: dict) -> list[str]:
    """附件说明: first line indented 2 characters; numbers and names each start at one x."""
    items = annex_paragraphs(data)
    found = [find_paragraph(doc, item.text) for item in items]
    if None in found:
        return [f"附件说明 line {items[found.index(None)].text!r} not found"]
    if not found:
        return []
    out = near("附件说明 first-line start", _line_start(doc, found[0]), 2 * HAO3, INDENT_TOL_PT, "pt")
    names = annex_names(data)
    xs = [_char_x(doc, p, len(squash(it.text)) - len(squash(n))) for p, it, n in zip(found, items, names)]
    numbers = [_char_x(doc, p, len(squash(it.text)) - len(squash(n)) - len(f"{i}."))
               for i, (p, it, n) in enumerate(zip(found, items, names), start=1)]
    out += _same_x("附件说明 numbers", numbers) + _same_x("附件说明 names", xs)
    lefts = [indent_pt(doc, p, "left") for p in found]
    return out + [f"附件说明 wrapped lines start at {x:g} pt, names at {xs[0]:g} pt"
                  for x in lefts if abs(x - xs[0]) > ALIGN_TOL_PT]


def _line_start(doc: Docx, p) -> float:
    return indent_pt(doc, p, "left") + indent_pt(doc, p, "firstLine")


def _char_x(doc: Docx, p, index: int) -> float:
    """Return the x (pt from the margin) of the index-th non-space character of p's first line."""
    x, stops, left, seen = _line_start(doc, p), tab_stops(doc, p), indent_pt(doc, p, "left"), 0
    for ch, r in _chars(p):
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


def _same_x(what: str, xs: list[float]) -> list[str]:
    if xs and max(xs) - min(xs) > ALIGN_TOL_PT:
        return [f"{what} start at different x: {', '.join(f'{x:.1f}' for x in xs)} pt"]
    return []


# --- page numbers ---------------------------------------------------------------------------
def docx_page_numbers(doc: Docx, fmt: str, data: dict) -> list[str]:
    """页码: PAGE field between dashes, 4号宋体, odd right / even left with 1 character; settings."""
    out = [] if _on(doc.settings.find("w:evenAndOddHeaders", NS)) else ["settings lack w:evenAndOddHeaders"]
    for kind, side in (("default", "right"), ("even", "left")):
        footer = doc.footers.get(kind)
        out += [f"no {kind} (odd/even) footer"] if footer is None else _footer_faults(doc, footer, kind, side)
    return out + _first_page_faults(doc, fmt)


def _on(el) -> bool:
    return el is not None and el.get(w("val")) not in ("0", "false", "off")


def _first_page_faults(doc: Docx, fmt: str) -> list[str]:
    title_pg = _on(doc.sect.find("w:titlePg", NS))
    footer = doc.footers.get("first" if title_pg else "default")
    numbered = footer is not None and has_page_field(footer)
    if fmt != "信函格式":
        return [] if numbered else [f"{fmt}: page 1 gets no page number"]
    if not title_pg:
        return ["信函格式: sectPr lacks w:titlePg (page 1 must have no page number)"]
    return ["信函格式: the first-page footer has a PAGE field"] if numbered else []


def has_page_field(root) -> bool:
    """Tell whether a story contains a PAGE field (simple or complex)."""
    simple = [f.get(w("instr"), "") for f in root.iter(w("fldSimple"))]
    complex_ = [t.text or "" for t in root.iter(w("instrText"))]
    return any(re.match(r"\s*PAGE\b", s) for s in simple + complex_)


def _footer_faults(doc: Docx, footer, kind: str, side: str) -> list[str]:
    p = next((p for p in paragraphs(footer) if has_page_field(p)), None)
    if p is None:
        return [f"{kind} footer has no PAGE field"]
    before, after = _field_context(p)
    out = [] if before.strip().endswith(DASH) and after.strip().startswith(DASH) else \
        [f"{kind} footer: PAGE field not between dashes ({before!r} … {after!r})"]
    out += _footer_font_faults(doc, p, kind)
    jc = justification(doc, p)
    out += [] if jc == side else [f"{kind} footer aligned {jc}, want {side}"]
    return out + near(f"{kind} footer {side} indent", indent_pt(doc, p, side), HAO4, INDENT_TOL_PT, "pt")


def _field_context(p) -> tuple[str, str]:
    """Return the text before the PAGE field and after it."""
    parts, state = {"before": "", "after": ""}, "before"
    for r in own_runs(p):
        char = r.find("w:fldChar", NS)
        if char is not None:
            state = {"begin": "field", "end": "after"}.get(char.get(w("fldCharType")), state)
        elif state in parts:
            parts[state] += run_text(r)
    return parts["before"], parts["after"]


def _footer_font_faults(doc: Docx, p, kind: str) -> list[str]:
    faults = set()
    for r in (r for r in own_runs(p) if run_text(r).strip()):
        levels = doc.styles.run_levels(p, r)
        fonts = {resolve_font(levels, "eastAsia"), resolve_font(levels, "ascii")}
        faults |= {f"{kind} footer font {f}, want 宋体" for f in fonts if f not in SONGTI}
        faults |= set() if font_size(levels) == HAO4 else {f"{kind} footer size {font_size(levels)} pt, want 14"}
    return sorted(faults)


# --- 版记 -------------------------------------------------------------------------------------
def colophon_table(doc: Docx, data: dict):
    """Return the table holding the 抄送 line (or the 印发 line)."""
    keys = [squash(e.text) for e in colophon_paragraphs(data)]
    for tbl in doc.document.iter(w("tbl")):
        text = squash("".join(para_text(p) for p in paragraphs(tbl)))
        if keys and keys[0] in text:
            return tbl
    return None


def docx_colophon(doc: Docx, fmt: str, data: dict) -> list[str]:
    """版记: thick (0.35 mm) top and bottom lines, thin (0.25 mm) inside; 4号仿宋; 抄送 and 印发 lines."""
    if not colophon_paragraphs(data):
        return []
    tbl = colophon_table(doc, data)
    if tbl is None:
        return ["版记 table with the 抄送/印发 lines not found"]
    out = _border_faults(doc, tbl)
    for item in colophon_paragraphs(data):
        p = find_paragraph(doc, item.text, [tbl])
        out += [f"版记 line {item.text!r} not found"] if p is None else \
            text_font_violations(doc, p, f"版记 {item.kind}", FANGSONG, HAO4) + _colophon_indent(doc, item, p)
    return out


def _border_sizes(doc: Docx, tbl) -> dict[str, tuple[str, int]]:
    """Return the effective top/bottom/insideH borders (val, sz): the thinnest outer, the thickest inner."""
    table = _table_borders(doc, tbl)
    rows = tbl.findall("w:tr", NS)
    cells = {"top": [(c, "top") for c in rows[0].findall("w:tc", NS)],
             "bottom": [(c, "bottom") for c in rows[-1].findall("w:tc", NS)],
             "insideH": [(c, "bottom") for r in rows[:-1] for c in r.findall("w:tc", NS)]}
    out = {}
    for edge, picks in cells.items():
        values = [_cell_border(cell, side) or table[edge] for cell, side in picks] or [table[edge]]
        out[edge] = (max if edge == "insideH" else min)(values, key=lambda v: v[1])
    return out


def _table_borders(doc: Docx, tbl) -> dict[str, tuple[str, int]]:
    """Return the table-level borders from direct formatting, else from the table style chain."""
    style = tbl.find("w:tblPr/w:tblStyle", NS)
    chain = doc.styles.chain(style.get(w("val"))) if style is not None else []
    levels = [lv for lv in [tbl.find("w:tblPr", NS)] + [s.find("w:tblPr", NS) for s in chain] if lv is not None]
    out = {}
    for edge in ("top", "bottom", "insideH"):
        el = next((lv.find(f"w:tblBorders/w:{edge}", NS) for lv in levels
                   if lv.find(f"w:tblBorders/w:{edge}", NS) is not None), None)
        out[edge] = _border_value(el) or ("nil", 0)
    return out


def _cell_border(cell, side: str) -> tuple[str, int] | None:
    return _border_value(cell.find(f"w:tcPr/w:tcBorders/w:{side}", NS))


def _border_value(el) -> tuple[str, int] | None:
    if el is None:
        return None
    val = el.get(w("val"))
    return (val, 0 if val in ("nil", "none") else int(el.get(w("sz"), "0")))


def _sz_mm(sz: int) -> float:
    return sz / 8 * MM_PER_PT


def _border_faults(doc: Docx, tbl) -> list[str]:
    edges, out = _border_sizes(doc, tbl), []
    rows = len(tbl.findall("w:tr", NS))
    wanted = {"top": THICK_RULE, "bottom": THICK_RULE} | ({"insideH": THIN_RULE} if rows > 1 else {})
    for edge, mm in wanted.items():
        val, sz = edges[edge]
        if val in ("nil", "none") or abs(sz - mm / MM_PER_PT * 8) > BORDER_SZ_TOL:
            out.append(f"版记 {edge} border {val} {_sz_mm(sz):.2f} mm (sz {sz}), want {mm} mm")
    inside = edges["insideH"][1]
    return out + [f"版记 {e} border ({_sz_mm(edges[e][1]):.2f} mm) not thicker than the inside line "
                  f"({_sz_mm(inside):.2f} mm)" for e in ("top", "bottom") if rows > 1 and edges[e][1] <= inside]


def _colophon_indent(doc: Docx, item: Expected, p) -> list[str]:
    """抄送 left/right 1 character, wrapped after the colon; 印发机关 left 1; 印发日期 right 1."""
    what, one = f"版记 {item.kind}", HAO4
    if item.kind in ("copy_to", "colophon_addressee"):
        out = near(f"{what} first-line start", _line_start(doc, p), one, INDENT_TOL_PT, "pt")
        out += near(f"{what} wrapped-line start (after the colon)", indent_pt(doc, p, "left"), 4 * one, INDENT_TOL_PT, "pt")
        return out + near(f"{what} right indent", indent_pt(doc, p, "right"), one, INDENT_TOL_PT, "pt")
    if item.kind == "printer":
        return near(f"{what} left indent", _line_start(doc, p), one, INDENT_TOL_PT, "pt")
    out = near(f"{what} right indent", indent_pt(doc, p, "right"), one, INDENT_TOL_PT, "pt")
    return out + ([] if justification(doc, p) == "right" else [f"{what} not right-aligned"])


def docx_theme_fonts(doc: Docx, fmt: str, data: dict) -> list[str]:
    """No theme font attribute (asciiTheme, eastAsiaTheme …) where a 公文 font is set."""
    out = []
    for name, root in _font_sources(doc):
        for fonts in root.iter(w("rFonts")):
            attrs = [a for a in THEME_ATTRS if fonts.get(w(a))]
            out += [f"{name}: rFonts has theme attribute(s) {', '.join(attrs)}"] if attrs else []
    return sorted(set(out))


def _font_sources(doc: Docx) -> list[tuple[str, object]]:
    """Return docDefaults, every style the document uses (with basedOn) and every story."""
    used = {el.get(w("val")) for root in doc.all_roots()
            for tag in ("pStyle", "rStyle", "tblStyle") for el in root.iter(w(tag))}
    used |= set(doc.styles.default.values())
    styles = {s.get(w("styleId")): s for sid in used for s in doc.styles.chain(sid)}
    out = [("docDefaults", doc.styles.r_default)] if doc.styles.r_default is not None else []
    out += [(f"style {sid}", s) for sid, s in sorted(styles.items())]
    return out + [("document/header/footer", root) for root in doc.all_roots()]
