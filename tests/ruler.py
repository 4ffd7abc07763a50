"""Independent GB/T 9704-2012 ruler: measure a generated notice (.docx and PDF) against the standard's numbers.

Every number below is written out from /work/shared/reference/gbt9704.md (cited per constant);
nothing comes from pipeline.layout or pipeline.templates. Elements are found by their text
(from the notice's YAML data), never by the generator's style names. Each check returns a
list of human-readable violations; an empty list means the document passes.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from PIL import Image, ImageChops

# --- Units -------------------------------------------------------------------------------
MM_PER_PT = 25.4 / 72  # 1 pt = 1/72 in = 0.3528 mm
TWIP_PT = 1 / 20  # Word twips = 1/20 pt
EMU_PER_MM = 36000

# --- 版面 (page) ----------------------------------------------------------------------------
PAGE_W, PAGE_H = 210.0, 297.0  # paper: A4, 210 × 297 mm, portrait
TOP, LEFT = 37.0, 28.0  # 天头 37 mm ± 1; 订口 28 mm ± 1
MARGIN_TOL = 1.0  # the ± 1 mm the standard allows for 天头 and 订口
TEXT_W, TEXT_H = 156.0, 225.0  # 版心 156 × 225 mm
BOTTOM, RIGHT = PAGE_H - TOP - TEXT_H, PAGE_W - LEFT - TEXT_W  # "so bottom / right: 35 mm / 26 mm"
TEXT_RIGHT, TEXT_BOTTOM = LEFT + TEXT_W, TOP + TEXT_H  # 版心 edges: x 184 mm, y 262 mm
TEXT_CENTRE = LEFT + TEXT_W / 2  # 106 mm
SIZE_TOL_MM = 0.1  # twip rounding of the 版心 size
CHARS_PER_LINE = 28  # grid: 28 characters per line
LINE_PITCH = 28.9  # grid: 22 lines per page, "line pitch ≈ 28.9 pt"
PITCH_TOL = 0.5  # ± 0.5 pt per line gap
# A line that starts in another typeface (a 黑体/楷体 heading sentence) sits in the same fixed-height grid
# line, but the renderer places its baseline by that face's own ascent and descent: allow 1.5 pt there.
FACE_TOL = 1.5  # (a digit line next to it adds its own 0.35 pt)
GRID_TOL = 0.25  # pt, for the pitch written in the .docx (579 twips = 28.95 pt)

# --- 字号 (sizes) and fonts -------------------------------------------------------------------
HAO2, HAO3, HAO4 = 22.0, 16.0, 14.0  # 2号 = 22 pt, 3号 = 16 pt, 4号 = 14 pt
XIAOBIAOSONG = {"方正小标宋简体"}  # 小标宋
FANGSONG = {"仿宋_GB2312", "仿宋"}  # 仿宋
HEITI = {"黑体"}  # 黑体
KAITI = {"楷体_GB2312", "楷体"}  # 楷体
SONGTI = {"宋体"}  # page numbers 宋体
HEADING_FONTS = {1: HEITI, 2: KAITI, 3: FANGSONG, 4: FANGSONG}  # 一、黑体; （一）楷体; 1. （1）仿宋
INDENT_TOL_PT = 0.5  # pt, for indents written in the .docx
ALIGN_TOL_PT = 1.0  # pt (0.35 mm), for x positions computed from text widths (letter-spacing rounding)

# --- 版头 (head) -----------------------------------------------------------------------------
LETTER_MARK_TOP = 30.0  # 信函: mark top edge 30 mm from the top of the page
DOC_MARK_TOP = TOP + 35.0  # 文件: mark top edge 35 mm below the 版心 top = 72 mm
MARK_TOL, DOC_MARK_TOL = 1.5, 2.0
RULE_GAP = 4.0  # red double line 4 mm below the mark; red separator 4 mm below the 发文字号
LETTER_LINE_X = (20.0, 190.0)  # 170 mm long, centred on the 210 mm page
LETTER_BOTTOM_LINE = PAGE_H - 20.0  # 20 mm above the bottom of the page = 277 mm
LETTER_NUMBER_DROP = 7 / 8 * HAO3 * MM_PER_PT  # 发文字号 7/8 of a 3号 character height below the line = 4.94 mm
POS_TOL = 1.5  # mm, for every position measured on the rendered page
DOC_NUMBER_RE = re.compile(r".+〔\d{4}〕[1-9]\d*号")  # 〔year in full〕, no 第, no leading zeros

# --- 版记 (colophon) ------------------------------------------------------------------------
THICK_RULE, THIN_RULE = 0.35, 0.25  # mm: first and last lines 0.35 mm, middle lines 0.25 mm
BORDER_SZ_TOL = 1  # Word border sz is in 1/8 pt: 0.35 mm ≈ 8, 0.25 mm ≈ 6

# --- 页码 (page numbers) ---------------------------------------------------------------------
PAGE_NUMBER_GAP = 7.0  # the page-number line sits 7 mm below the 版心 bottom edge (top ≈ 269 mm)
PAGE_NUMBER_RE = re.compile(r"^[—―─－-]\s*(\d+)\s*[—―─－-]$")  # "— 1 —"
DASH = "—"

# --- Raster measuring -------------------------------------------------------------------------
DPI = 254  # 10 pixels per mm
PX_PER_MM = DPI / 25.4
RULE_MIN_MM = 100.0  # a continuous run this long is a rule line, never a glyph

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PR_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
XH_NS = "http://www.w3.org/1999/xhtml"
NS = {"w": W_NS}
THEME_ATTRS = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")


def w(tag: str) -> str:
    """Return the Clark name of a WordprocessingML tag or attribute."""
    return f"{{{W_NS}}}{tag}"


def squash(text: str) -> str:
    """Remove all whitespace (line breaks in sources and PDFs are wrap artefacts)."""
    return re.sub(r"\s+", "", text)


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


# ==============================================================================================
# .docx: parts, and run/paragraph properties resolved the way Word does
# ==============================================================================================
class Styles:
    """Resolve properties through run rPr → character style → paragraph style → basedOn → docDefaults."""

    def __init__(self, root):
        self.root = root
        self.by_id = {s.get(w("styleId")): s for s in root.iter(w("style"))}
        self.default = {s.get(w("type")): s.get(w("styleId")) for s in root.iter(w("style"))
                        if s.get(w("default")) in ("1", "true")}
        self.r_default = root.find("w:docDefaults/w:rPrDefault/w:rPr", NS)
        self.p_default = root.find("w:docDefaults/w:pPrDefault/w:pPr", NS)

    def chain(self, style_id: str | None) -> list:
        """Return the style and its basedOn ancestors, nearest first."""
        out, seen = [], set()
        while style_id and style_id in self.by_id and style_id not in seen:
            seen.add(style_id)
            style = self.by_id[style_id]
            out.append(style)
            based = style.find("w:basedOn", NS)
            style_id = based.get(w("val")) if based is not None else None
        return out

    def para_style_chain(self, p) -> list:
        """Return the paragraph's style chain (pStyle, else the default paragraph style)."""
        ref = p.find("w:pPr/w:pStyle", NS)
        return self.chain(ref.get(w("val")) if ref is not None else self.default.get("paragraph"))

    def run_levels(self, p, r) -> list:
        """Return the rPr elements that apply to run r in paragraph p, highest priority first."""
        ref = r.find("w:rPr/w:rStyle", NS)
        char_chain = self.chain(ref.get(w("val")) if ref is not None else self.default.get("character"))
        levels = [r.find("w:rPr", NS)] + [s.find("w:rPr", NS) for s in char_chain]
        levels += [s.find("w:rPr", NS) for s in self.para_style_chain(p)] + [self.r_default]
        return [lv for lv in levels if lv is not None]

    def para_run_levels(self, p) -> list:
        """Return the rPr levels of the paragraph's own text (style chain and defaults)."""
        levels = [s.find("w:rPr", NS) for s in self.para_style_chain(p)] + [self.r_default]
        return [lv for lv in levels if lv is not None]

    def para_levels(self, p) -> list:
        """Return the pPr elements that apply to paragraph p, highest priority first."""
        levels = [p.find("w:pPr", NS)] + [s.find("w:pPr", NS) for s in self.para_style_chain(p)]
        return [lv for lv in levels + [self.p_default] if lv is not None]


def first_val(levels: list, tag: str, attr: str = "val"):
    """Return the attribute of the first level that has the element and the attribute."""
    for level in levels:
        el = level.find(f"w:{tag}", NS)
        if el is not None and el.get(w(attr)) is not None:
            return el.get(w(attr))
    return None


def resolve_font(levels: list, slot: str) -> str | None:
    """Return the font of a slot (eastAsia, ascii, hAnsi); a theme attribute wins at its level."""
    for level in levels:
        fonts = level.find("w:rFonts", NS)
        if fonts is None:
            continue
        if fonts.get(w(slot + "Theme")):
            return "theme:" + fonts.get(w(slot + "Theme"))
        if fonts.get(w(slot)):
            return fonts.get(w(slot))
    return None


def font_size(levels: list) -> float | None:
    """Return the resolved font size in pt (w:sz is in half-points)."""
    value = first_val(levels, "sz")
    return int(value) / 2 if value else None


def colour(levels: list) -> str:
    """Return the resolved colour as RRGGBB (auto and unset print black)."""
    value = first_val(levels, "color") or "auto"
    return "000000" if value == "auto" else value.upper()


def is_red(value: str) -> bool:
    """Tell whether an RRGGBB colour is red."""
    r, g, b = (int(value[i:i + 2], 16) for i in (0, 2, 4))
    return r >= 0xC0 and g <= 0x40 and b <= 0x40


def char_kind(ch: str) -> str:
    """Classify a character by the rFonts slot Word renders it with: east, ambiguous or latin."""
    cp = ord(ch)
    if 0x2E80 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF or 0xFE30 <= cp <= 0xFE4F or 0xFF00 <= cp <= 0xFFEF:
        return "east"
    if 0x2000 <= cp <= 0x206F or ch in "·":
        return "ambiguous"  # “ ” — … · : East-Asian only when the run's hint is eastAsia
    return "latin"


def font_for_char(levels: list, ch: str) -> str | None:
    """Return the font Word uses for a character of a run."""
    kind = char_kind(ch)
    if kind == "east" or (kind == "ambiguous" and first_val(levels, "rFonts", "hint") == "eastAsia"):
        return resolve_font(levels, "eastAsia")
    return resolve_font(levels, "hAnsi" if kind == "ambiguous" else "ascii")


class Docx:
    """Hold the parsed parts of a .docx: body, styles, settings, headers and footers by type."""

    def __init__(self, path: Path):
        with zipfile.ZipFile(path) as z:
            self.files = {n: z.read(n) for n in z.namelist()}
        self.document = self.xml("word/document.xml")
        self.styles = Styles(self.xml("word/styles.xml"))
        self.settings = self.xml("word/settings.xml")
        self.sections = self.document.findall(".//w:sectPr", NS)
        self.sect = self.document.find("w:body/w:sectPr", NS)
        rels = self._rels()
        self.headers = self._refs("headerReference", rels)
        self.footers = self._refs("footerReference", rels)

    def xml(self, name: str):
        """Parse one XML part."""
        return etree.fromstring(self.files[name])

    def _rels(self) -> dict[str, str]:
        root = etree.fromstring(self.files["word/_rels/document.xml.rels"])
        return {r.get("Id"): "word/" + r.get("Target").lstrip("/").removeprefix("word/")
                for r in root.iter(f"{{{PR_NS}}}Relationship")}

    def _refs(self, tag: str, rels: dict) -> dict:
        refs = self.sect.findall(f"w:{tag}", NS) if self.sect is not None else []
        return {ref.get(w("type")): self.xml(rels[ref.get(f"{{{R_NS}}}id")]) for ref in refs}

    def stories(self) -> list:
        """Return the story roots in reading order: first/default headers, then the body."""
        heads = [self.headers[k] for k in ("first", "default") if k in self.headers]
        return heads + [self.document.find("w:body", NS)]

    def all_roots(self) -> list:
        """Return every story root, footers and even headers included."""
        return [self.document] + list(self.headers.values()) + list(self.footers.values())


def own_runs(p) -> list:
    """Return the runs of a paragraph, not those of paragraphs nested in text boxes."""
    return [r for r in p.iter(w("r")) if next(r.iterancestors(w("p")), None) is p]


def run_text(r) -> str:
    """Return the visible text of a run (tabs and breaks as whitespace)."""
    parts = []
    for el in r:
        if el.tag == w("t"):
            parts.append(el.text or "")
        elif el.tag == w("tab"):
            parts.append("\t")
        elif el.tag in (w("br"), w("cr")):
            parts.append("\n")
    return "".join(parts)


def para_text(p) -> str:
    """Return the visible text of a paragraph."""
    return "".join(run_text(r) for r in own_runs(p))


def paragraphs(root) -> list:
    """Return the paragraphs of a story in document order."""
    return list(root.iter(w("p")))


def docx_text(path: Path) -> str:
    """Return the text of a .docx in reading order: first-page/default headers, then the body."""
    doc = Docx(path)
    return "\n".join(para_text(p) for root in doc.stories() for p in paragraphs(root))


# --- paragraph geometry -----------------------------------------------------------------------
INDENT_ATTRS = {"left": ((1, "left", "leftChars"), (1, "start", "startChars")),
                "right": ((1, "right", "rightChars"), (1, "end", "endChars")),
                # hanging wins over firstLine when a level has both (ECMA-376 17.3.1.12)
                "firstLine": ((-1, "hanging", "hangingChars"), (1, "firstLine", "firstLineChars"))}


def indent_pt(doc: Docx, p, side: str) -> float:
    """Return the left/right/first-line indent in pt (first-line negative when hanging)."""
    char_pt = font_size(doc.styles.para_run_levels(p)) or HAO3  # *Chars values are 1/100 character
    for level in doc.styles.para_levels(p):
        ind = level.find("w:ind", NS)
        for sign, twips, chars in INDENT_ATTRS[side] if ind is not None else ():
            value = _indent_value(ind, twips, chars, char_pt)
            if value is not None:
                return sign * value
    return 0.0


def _indent_value(ind, twips: str, chars: str, char_pt: float) -> float | None:
    if ind.get(w(chars)) not in (None, "0"):
        return int(ind.get(w(chars))) / 100 * char_pt
    if ind.get(w(twips)) is not None:
        return int(ind.get(w(twips))) * TWIP_PT
    return 0.0 if ind.get(w(chars)) == "0" else None


def justification(doc: Docx, p) -> str:
    """Return the resolved paragraph alignment (left when unset)."""
    return first_val(doc.styles.para_levels(p), "jc") or "left"


def line_pitch_pt(doc: Docx, p) -> float | None:
    """Return the line pitch a paragraph gets: exact spacing, or the document grid it snaps to."""
    levels = doc.styles.para_levels(p)
    rule, line = first_val(levels, "spacing", "lineRule") or "auto", first_val(levels, "spacing", "line")
    if rule == "exact" and line:
        return int(line) * TWIP_PT
    grid = doc.sect.find("w:docGrid", NS) if doc.sect is not None else None
    snap = first_val(levels, "snapToGrid") not in ("0", "false")
    if grid is not None and grid.get(w("type")) in ("lines", "linesAndChars") and snap:
        return int(grid.get(w("linePitch"), "0")) * TWIP_PT
    return None


def tab_stops(doc: Docx, p) -> list[float]:
    """Return the custom left tab stops of a paragraph in pt (styles merged, clears applied)."""
    stops: dict[int, str] = {}
    for level in reversed(doc.styles.para_levels(p)):
        for tab in level.findall("w:tabs/w:tab", NS):
            stops[int(tab.get(w("pos")))] = tab.get(w("val"))
    return sorted(pos * TWIP_PT for pos, val in stops.items() if val not in ("clear", "bar"))


def char_advance(doc: Docx, p, r, ch: str) -> float:
    """Return a character's advance in pt: full width 1 em, Times New Roman digits ½ em, '.' ¼ em."""
    levels = doc.styles.run_levels(p, r)
    size = font_size(levels) or HAO3
    spacing = int(first_val(levels, "spacing") or 0) * TWIP_PT
    kind = char_kind(ch)
    em = 1.0 if kind == "east" else {".": 0.25, ",": 0.25, " ": 0.25}.get(ch, 0.5)
    return em * size + spacing


# ==============================================================================================
# .docx checks
# ==============================================================================================
def check_docx(docx_path: Path, fmt: str, data: dict) -> list[str]:
    """Run every .docx check; return all violations."""
    doc = Docx(Path(docx_path))
    checks = (docx_page, docx_number, docx_head, docx_title, docx_main_text, docx_grid,
              docx_annex_note, docx_page_numbers, docx_colophon, docx_theme_fonts)
    return [v for check in checks for v in check(doc, fmt, data)]


def docx_page(doc: Docx, fmt: str, data: dict) -> list[str]:
    """A4 portrait; 天头 37 ± 1 mm, 订口 28 ± 1 mm, 版心 156 × 225 mm (so bottom 35, right 26)."""
    out = []
    for sect in doc.sections:
        size, mar = sect.find("w:pgSz", NS), sect.find("w:pgMar", NS)
        mm = {k: int(mar.get(w(k))) * TWIP_PT * MM_PER_PT for k in ("top", "bottom", "left", "right")}
        width, height = (int(size.get(w(k))) * TWIP_PT * MM_PER_PT for k in ("w", "h"))
        out += _near("paper width", width, PAGE_W, SIZE_TOL_MM) + _near("paper height", height, PAGE_H, SIZE_TOL_MM)
        out += _near("top margin (天头)", mm["top"], TOP, MARGIN_TOL)
        out += _near("left margin (订口)", mm["left"], LEFT, MARGIN_TOL)
        out += _near("right margin", mm["right"], RIGHT, MARGIN_TOL)
        out += _near("bottom margin", mm["bottom"], BOTTOM, MARGIN_TOL)
        out += _near("版心 width", width - mm["left"] - mm["right"], TEXT_W, SIZE_TOL_MM)
        out += _near("版心 height", height - mm["top"] - mm["bottom"], TEXT_H, SIZE_TOL_MM)
    return out


def _near(what: str, value: float, want: float, tol: float, unit: str = "mm") -> list[str]:
    if abs(value - want) <= tol:
        return []
    return [f"{what}: {value:.2f} {unit}, want {want:.2f} ± {tol:.2g} {unit}"]


def find_paragraph(doc: Docx, text: str, roots=None):
    """Return the first paragraph (in reading order) whose text is text, ignoring whitespace."""
    target = squash(text)
    for root in roots or doc.stories():
        for p in paragraphs(root):
            if squash(para_text(p)) == target:
                return p
    return None


def docx_number(doc: Docx, fmt: str, data: dict) -> list[str]:
    """发文字号 like 国知办函服字〔2022〕270号, printed in the document."""
    out = [] if DOC_NUMBER_RE.fullmatch(data["number"]) else [f"发文字号 {data['number']!r} does not match 〔yyyy〕n号"]
    p = find_paragraph(doc, data["number"])
    if p is None:
        return out + [f"发文字号 {data['number']!r} not found in the document"]
    return out + text_font_violations(doc, p, "发文字号", FANGSONG, HAO3)


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
    """发文机关标志: red 方正小标宋简体, centred."""
    mark = mark_text(fmt, data)
    p = find_paragraph(doc, mark)
    if p is None:
        return [f"发文机关标志 {mark!r} not found"]
    out = text_font_violations(doc, p, "发文机关标志", XIAOBIAOSONG, None, red=True)
    return out + ([] if justification(doc, p) == "center" else ["发文机关标志 is not centred"])


def docx_title(doc: Docx, fmt: str, data: dict) -> list[str]:
    """Title: 2号 (22 pt) 方正小标宋简体, black, centred, no first-line indent."""
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
    out = _near(f"{item.kind} {item.text[:12]!r} first-line start", first, want, INDENT_TOL_PT, "pt")
    return out + _near(f"{item.kind} {item.text[:12]!r} wrapped-line start", indent_pt(doc, p, "left"),
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
    out = _near("附件说明 first-line start", _line_start(doc, found[0]), 2 * HAO3, INDENT_TOL_PT, "pt")
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
        return [] if numbered else ["文件格式: page 1 gets no page number"]
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
    return out + _near(f"{kind} footer {side} indent", indent_pt(doc, p, side), HAO4, INDENT_TOL_PT, "pt")


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
    if item.kind == "copy_to":
        out = _near(f"{what} first-line start", _line_start(doc, p), one, INDENT_TOL_PT, "pt")
        out += _near(f"{what} wrapped-line start (after 抄送：)", indent_pt(doc, p, "left"), 4 * one, INDENT_TOL_PT, "pt")
        return out + _near(f"{what} right indent", indent_pt(doc, p, "right"), one, INDENT_TOL_PT, "pt")
    if item.kind == "printer":
        return _near(f"{what} left indent", _line_start(doc, p), one, INDENT_TOL_PT, "pt")
    out = _near(f"{what} right indent", indent_pt(doc, p, "right"), one, INDENT_TOL_PT, "pt")
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


# ==============================================================================================
# PDF: text boxes (pdftotext -bbox-layout) and raster rulings (pdftoppm + Pillow)
# ==============================================================================================
@dataclass
class Line:
    """One text line of a PDF page; box in pt from the top-left corner."""

    page: int
    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    def mm(self, attr: str) -> float:
        """Return a box coordinate in mm."""
        return getattr(self, attr) * MM_PER_PT


@dataclass
class Rule:
    """One horizontal line found on a rendered page, in mm."""

    top: float
    bottom: float
    x0: float
    x1: float

    @property
    def y(self) -> float:
        """Return the centre of the line."""
        return (self.top + self.bottom) / 2

    @property
    def thickness(self) -> float:
        """Return the line's thickness in mm."""
        return self.bottom - self.top


class Pdf:
    """A rendered notice: page sizes, text lines per page, fonts, rasters on demand."""

    def __init__(self, path: Path):
        self.path = Path(path)
        xml = subprocess.run(["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True, check=True).stdout
        root = etree.fromstring(xml, etree.XMLParser(recover=True, no_network=True, resolve_entities=False))
        pages = root.iter(f"{{{XH_NS}}}page")
        self.sizes, self.pages, self._rasters = [], [], {}
        for n, page in enumerate(pages, start=1):
            self.sizes.append((float(page.get("width")), float(page.get("height"))))
            self.pages.append([_line(n, el) for el in page.iter(f"{{{XH_NS}}}line")])

    def lines(self) -> list[Line]:
        """Return every line, page by page, in reading order."""
        return [line for page in self.pages for line in page]

    def text(self) -> str:
        """Return the text of the whole PDF."""
        return "\n".join(line.text for line in self.lines())

    def raster(self, page: int) -> Image.Image:
        """Render one page at 254 dpi (10 px per mm), once."""
        if page not in self._rasters:
            self._rasters[page] = self._render(page)
        return self._rasters[page]

    def _render(self, page: int) -> Image.Image:
        with tempfile.TemporaryDirectory(prefix="ruler-") as tmp:
            out = Path(tmp) / "page"
            subprocess.run(["pdftoppm", "-r", str(DPI), "-f", str(page), "-l", str(page), "-png",
                            "-singlefile", str(self.path), str(out)], check=True, capture_output=True)
            with Image.open(out.with_suffix(".png")) as im:
                return im.convert("RGB")


def _line(page: int, el) -> Line:
    words = [wd.text or "" for wd in el.iter(f"{{{XH_NS}}}word")]
    box = [float(el.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")]
    return Line(page, " ".join(words), *box)


@functools.lru_cache(maxsize=8)
def _load_pdf(path: str, stamp: tuple) -> Pdf:
    return Pdf(Path(path))


def load_pdf(path: Path) -> Pdf:
    """Return the parsed PDF, cached while the file is unchanged."""
    stat = Path(path).stat()
    return _load_pdf(str(path), (stat.st_mtime_ns, stat.st_size))


def pdf_text(path: Path) -> str:
    """Return the text of a PDF."""
    return load_pdf(path).text()


def red_mask(im: Image.Image) -> Image.Image:
    """Return a mask of red pixels (R high, G and B low)."""
    r, g, b = im.split()
    high = r.point(lambda v: 255 if v > 150 else 0)
    low = ImageChops.lighter(g, b).point(lambda v: 255 if v < 110 else 0)
    return ImageChops.multiply(high, low)


def dark_mask(im: Image.Image) -> Image.Image:
    """Return a mask of dark (black or grey) pixels; red is not dark."""
    r, g, b = im.split()
    return ImageChops.lighter(r, ImageChops.lighter(g, b)).point(lambda v: 255 if v < 110 else 0)


RUN_RE = re.compile(rb"\xff+")


def rules(mask: Image.Image, min_mm: float = RULE_MIN_MM) -> list[Rule]:
    """Return the horizontal lines of a mask: rows with a continuous run of at least min_mm."""
    width, min_px, buf = mask.width, min_mm * PX_PER_MM, mask.tobytes()
    rows = {}
    for y in range(mask.height):
        row = buf[y * width:(y + 1) * width]
        if row.count(255) >= min_px:
            span = max((m.span() for m in RUN_RE.finditer(row)), key=lambda s: s[1] - s[0])
            rows.update({y: span} if span[1] - span[0] >= min_px else {})
    return _group_rows(rows)


def _group_rows(rows: dict[int, tuple[int, int]]) -> list[Rule]:
    groups: list[list[int]] = []
    for y in sorted(rows):
        if groups and y == groups[-1][-1] + 1:
            groups[-1].append(y)
        else:
            groups.append([y])
    px = PX_PER_MM
    return [Rule(g[0] / px, (g[-1] + 1) / px, min(rows[y][0] for y in g) / px, max(rows[y][1] for y in g) / px)
            for g in groups]


def ink_rows(mask: Image.Image, top_mm: float, bottom_mm: float) -> tuple[float, float] | None:
    """Return the first and last inked rows (mm) of a mask between two heights."""
    width, buf = mask.width, mask.tobytes()
    lo, hi = int(top_mm * PX_PER_MM), min(int(bottom_mm * PX_PER_MM), mask.height)
    inked = [y for y in range(lo, hi) if 255 in buf[y * width:(y + 1) * width]]
    return (inked[0] / PX_PER_MM, (inked[-1] + 1) / PX_PER_MM) if inked else None


def ink_columns(mask: Image.Image, top_mm: float, bottom_mm: float) -> tuple[float, float] | None:
    """Return the leftmost and rightmost inked columns (mm) between two heights."""
    box = mask.crop((0, int(top_mm * PX_PER_MM), mask.width, int(bottom_mm * PX_PER_MM))).getbbox()
    return (box[0] / PX_PER_MM, box[2] / PX_PER_MM) if box else None


# ==============================================================================================
# PDF checks
# ==============================================================================================
def check_pdf(pdf_path: Path, fmt: str, data: dict, title_lines: list[str] | None = None) -> list[str]:
    """Run every PDF check; return all violations."""
    out = []
    for check in (pdf_pages, pdf_fonts, pdf_head, pdf_body_lines, pdf_signature, pdf_page_numbers, pdf_colophon):
        out += check(pdf_path, fmt, data)
    return out + pdf_title(pdf_path, fmt, data, title_lines)


def pdf_pages(pdf_path: Path, fmt: str, data: dict) -> list[str]:
    """Every page A4 portrait."""
    out = []
    for n, (width, height) in enumerate(load_pdf(pdf_path).sizes, start=1):
        out += _near(f"page {n} width", width * MM_PER_PT, PAGE_W, 0.5)
        out += _near(f"page {n} height", height * MM_PER_PT, PAGE_H, 0.5)
    return out


def pdf_fonts(pdf_path: Path, fmt: str, data: dict) -> list[str]:
    """Every font the PDF uses is embedded; no DejaVu last-resort substitution."""
    listing = subprocess.run(["pdffonts", str(pdf_path)], capture_output=True, text=True, check=True).stdout
    out = []
    for row in listing.splitlines()[2:]:
        cols = row.split()
        emb = cols[-5] if len(cols) >= 6 else "?"
        out += [] if emb == "yes" else [f"font {cols[0]} is not embedded"]
        out += [f"font {cols[0]}: LibreOffice fell back to DejaVu"] if "DejaVu" in cols[0] else []
    return out


def matched_lines(pdf: Pdf, data: dict) -> list[tuple[Expected, list[Line] | None]]:
    """Pair each expected paragraph (number … 版记) with its PDF lines."""
    lines = [ln for ln in pdf.lines() if not PAGE_NUMBER_RE.match(ln.text.strip())]
    items = expected_sequence(data)
    hits = match_sequence([ln.text for ln in lines], items)
    return [(item, [lines[i] for i in hit] if hit else None) for item, hit in zip(items, hits)]


def _lines_of(pdf: Pdf, data: dict, kind: str) -> list[Line] | None:
    return next((lines for item, lines in matched_lines(pdf, data) if item.kind == kind), None)


def pdf_head(pdf_path: Path, fmt: str, data: dict) -> list[str]:
    """版头 on page 1: mark position, red lines, 发文字号 position."""
    pdf = load_pdf(pdf_path)
    number = _lines_of(pdf, data, "number")
    if not number:
        return [f"发文字号 {data['number']!r} not found in the PDF"]
    red = red_mask(pdf.raster(1))
    return (letter_head if fmt == "信函格式" else document_head)(red, number[0], dark_mask(pdf.raster(1)))


def _mark_faults(red: Image.Image, above_mm: float, want_top: float, tol: float) -> list[str]:
    ink = ink_rows(red, 0, above_mm)
    if ink is None:
        return ["no red 发文机关标志 found above the red line(s)"]
    out = _near("发文机关标志 glyph top", ink[0], want_top, tol)
    cols = ink_columns(red, ink[0], ink[1])
    return out + _near("发文机关标志 centre x", (cols[0] + cols[1]) / 2, TEXT_CENTRE, POS_TOL)


def letter_head(red: Image.Image, number: Line, dark: Image.Image) -> list[str]:
    """信函格式: mark top 30 mm; double lines 4 mm under it (thick over thin) and at 277 mm (thin over thick)."""
    lines = rules(red)
    top, bottom = [r for r in lines if r.y < PAGE_H / 2], [r for r in lines if r.y >= PAGE_H / 2]
    if len(top) != 2 or len(bottom) != 2:
        return [f"信函格式: want 2 red lines under the mark and 2 at the bottom, found {len(top)} and {len(bottom)}"]
    ink = ink_rows(red, 0, top[0].top)
    out = _mark_faults(red, top[0].top, LETTER_MARK_TOP, MARK_TOL)
    out += _near("upper red double line below the mark", top[0].top - ink[1], RULE_GAP, POS_TOL) if ink else []
    out += _pair_faults("upper red double line", top, thick_first=True)
    out += _pair_faults("lower red double line", bottom, thick_first=False)
    out += _near("lower red double line (thick) centre", bottom[1].y, LETTER_BOTTOM_LINE, POS_TOL)
    out += _near("发文字号 right edge", number.mm("x1"), TEXT_RIGHT, POS_TOL)
    if number.mm("y0") <= top[1].bottom:
        return out + [f"发文字号 top {number.mm('y0'):.1f} mm not below the red lines ({top[1].bottom:.1f} mm)"]
    ink = ink_rows(dark, top[1].bottom, number.mm("y1"))
    return out + _near("发文字号 ink top below the lower red line", ink[0] - top[1].bottom, LETTER_NUMBER_DROP, POS_TOL)


def _pair_faults(what: str, pair: list[Rule], thick_first: bool) -> list[str]:
    out = []
    for rule in pair:
        out += _near(f"{what} left end", rule.x0, LETTER_LINE_X[0], POS_TOL)
        out += _near(f"{what} right end", rule.x1, LETTER_LINE_X[1], POS_TOL)
    thick, thin = (pair[0], pair[1]) if thick_first else (pair[1], pair[0])
    if thick.thickness <= thin.thickness:
        order = "thick above thin" if thick_first else "thin above thick"
        out.append(f"{what}: want {order}, measured {pair[0].thickness:.2f} over {pair[1].thickness:.2f} mm")
    return out


def document_head(red: Image.Image, number: Line, dark: Image.Image) -> list[str]:
    """文件格式: mark top 72 mm; red separator 4 mm under the 发文字号 across the 版心."""
    below = [r for r in rules(red) if r.top > number.mm("y0")]
    if not below:
        return ["文件格式: no red separator under the 发文字号"]
    sep = below[0]
    out = _mark_faults(red, number.mm("y0"), DOC_MARK_TOP, DOC_MARK_TOL)
    ink = ink_rows(dark, number.mm("y0"), sep.top)
    out += _near("red separator below the 发文字号", sep.top - ink[1], RULE_GAP, POS_TOL) if ink else \
        ["发文字号 ink not found above the separator"]
    out += _near("red separator left end", sep.x0, LEFT, POS_TOL)
    out += _near("red separator right end", sep.x1, TEXT_RIGHT, POS_TOL)
    return out + _near("发文字号 centre x", (number.mm("x0") + number.mm("x1")) / 2, TEXT_CENTRE, POS_TOL)


def pdf_title(pdf_path: Path, fmt: str, data: dict, title_lines: list[str] | None = None) -> list[str]:
    """Title lines centred on the 版心 (± 1.5 mm); optionally broken into the given lines."""
    lines = _lines_of(load_pdf(pdf_path), data, "title")
    if not lines:
        return ["title not found in the PDF"]
    out = [f for ln in lines for f in _near(f"title line {ln.text[:8]!r} centre x",
                                              (ln.mm("x0") + ln.mm("x1")) / 2, TEXT_CENTRE, POS_TOL)]
    got = [squash(ln.text) for ln in lines]
    want = [squash(t) for t in title_lines or []]
    return out + ([f"title broken as {got}, want {want}"] if title_lines and got != want else [])


BODY_KINDS = ("addressee", "body", "closing", "annex", "signature", "date", "note", "publication")
FULL_LINE_KINDS = ("addressee", "body", "closing")


def main_lines(pdf_path: Path, data: dict) -> list[tuple[Expected, list[Line] | None]]:
    """Pair each 主体 paragraph (主送机关 … 附注) with its PDF lines."""
    return [(item, lines) for item, lines in matched_lines(load_pdf(pdf_path), data) if item.kind in BODY_KINDS]


def pdf_main_found(pdf_path: Path, fmt: str, data: dict) -> list[str]:
    """Every 主体 paragraph is printed, and the body starts on the first page."""
    pairs = main_lines(pdf_path, data)
    out = [f"{item.kind} {item.text[:16]!r} not found in the PDF" for item, lines in pairs if not lines]
    first = next((lines[0] for item, lines in pairs if item.kind == "body" and lines), None)
    return out + ([f"the body starts on page {first.page}, not page 1"] if first and first.page != 1 else [])


def pdf_body_x_range(pdf_path: Path, fmt: str, data: dict) -> list[str]:
    """主体 lines stay inside the 版心: x from 28 to 184 mm."""
    lines = [ln for _, lines in main_lines(pdf_path, data) for ln in lines or []]
    return [f for ln in lines for f in _x_range_faults(ln)]


def pdf_body_pitch(pdf_path: Path, fmt: str, data: dict) -> list[str]:
    """Consecutive 主体 lines on a page are a whole number of 28.9 pt grid lines apart (± 0.5 pt)."""
    faced = [(ln, item.level if item.level in (1, 2) and i == 0 else 0) for item, lines in main_lines(pdf_path, data)
             for i, ln in enumerate(lines or [])]
    return _pitch_faults([ln for ln, _ in faced], [face for _, face in faced])


def pdf_chars_per_line(pdf_path: Path, fmt: str, data: dict) -> list[str]:
    """Every wrapped (full) line of 主送机关/body made of full-width characters holds 28 characters.

    A line may end one or two characters short only where the typesetting rules pushed text down: the next
    line opens with an unbreakable group of half-width digits or Latin letters (such as 2022年) within its
    first 3 characters, or with a character kept with the closing punctuation after it (构、), or with
    opening punctuation that may not end a line.
    """
    full = [ln for item, lines in main_lines(pdf_path, data) if item.kind in FULL_LINE_KINDS and lines
            for ln, nxt in zip(lines, lines[1:]) if not _pushed_down(nxt)]
    return [f for ln in full for f in _chars_faults(ln)]


NO_LINE_START = set("、，。；：？！）》」』”’…—")
NO_LINE_END = set("（《「『“‘")


def _pushed_down(line: Line) -> bool:
    text = squash(line.text)
    latin = any(char_kind(ch) == "latin" for ch in text[:3])
    return latin or (len(text) > 1 and text[1] in NO_LINE_START) or (text[:1] in NO_LINE_END)


def pdf_body_lines(pdf_path: Path, fmt: str, data: dict) -> list[str]:
    """Run all 主体 line checks."""
    checks = (pdf_main_found, pdf_body_x_range, pdf_body_pitch, pdf_chars_per_line)
    return [f for check in checks for f in check(pdf_path, fmt, data)]


def _x_range_faults(line: Line) -> list[str]:
    x0, x1 = line.mm("x0"), line.mm("x1")
    if x0 >= LEFT - 0.5 and x1 <= TEXT_RIGHT + 0.5:
        return []
    return [f"page {line.page} line {line.text[:10]!r}…{line.text[-3:]!r} spans x {x0:.1f}..{x1:.1f} mm, "
            f"outside the 版心 {LEFT:g}..{TEXT_RIGHT:g} mm"]


def _pitch_faults(lines: list[Line], heading_face: list[int] | None = None) -> list[str]:
    faces = heading_face or [0] * len(lines)
    out = []
    for (a, face_a), (b, face_b) in zip(zip(lines, faces), zip(lines[1:], faces[1:])):
        gap = b.y0 - a.y0
        if a.page != b.page or gap <= 0:
            continue
        n = max(1, round(gap / LINE_PITCH))
        tolerance = FACE_TOL if face_a != face_b else PITCH_TOL
        if abs(gap - n * LINE_PITCH) > tolerance:
            out.append(f"page {a.page}: lines {a.text[:8]!r} → {b.text[:8]!r} are {gap:.2f} pt apart, "
                       f"want {n} × {LINE_PITCH} pt ± {tolerance}")
    return out


def _chars_faults(line: Line) -> list[str]:
    """Count a wrapped (full) line made only of full-width characters: indent + characters = 28."""
    text = squash(line.text)
    if any(char_kind(ch) == "latin" for ch in text):
        return []  # half-width digits/Latin and their auto-spacing have no whole-character count
    indent = round((line.mm("x0") - LEFT) / (TEXT_W / CHARS_PER_LINE))
    count = indent + len(text)
    return [] if count == CHARS_PER_LINE else \
        [f"page {line.page} full line {text[:8]!r}…{text[-3:]!r}: {count} characters "
         f"({indent} indent + {len(text)}), want {CHARS_PER_LINE}"]


def full_line_counts(pdf_path: Path, data: dict) -> list[int]:
    """Return indent + characters of every countable full 主体 line (for reporting)."""
    out = []
    for item, lines in main_lines(pdf_path, data):
        for ln in (lines or [])[:-1] if item.kind in FULL_LINE_KINDS else []:
            if not any(char_kind(ch) == "latin" for ch in squash(ln.text)):
                out.append(round((ln.mm("x0") - LEFT) / (TEXT_W / CHARS_PER_LINE)) + len(squash(ln.text)))
    return out


def pdf_signature(pdf_path: Path, fmt: str, data: dict) -> list[str]:
    """署名 right-indented 2 characters; 成文日期 starts 2 characters right of the name (± ½ character)."""
    pdf = load_pdf(pdf_path)
    name, date = _lines_of(pdf, data, "signature"), _lines_of(pdf, data, "date")
    if not name or not date:
        return ["signature or date not found in the PDF"]
    name, date, char = name[0], date[0], HAO3 * MM_PER_PT
    tol, right = char / 2, TEXT_RIGHT - 2 * char
    if date.mm("x1") - date.mm("x0") > name.mm("x1") - name.mm("x0") - 2 * char + tol:  # the longer-date rule
        out = _near("成文日期 right edge (date longer than name)", date.mm("x1"), right, tol)
        return out + _near("署名 start (2 characters left of the date)", name.mm("x0"), date.mm("x0") - 2 * char, tol)
    out = _near("署名 right edge (2 characters from the right margin)", name.mm("x1"), right, tol)
    return out + _near("成文日期 start (2 characters right of the name's first character)",
                       date.mm("x0"), name.mm("x0") + 2 * char, tol)


def pdf_page_numbers(pdf_path: Path, fmt: str, data: dict) -> list[str]:
    """"— N —" 7 mm below the 版心 (top ≈ 269 mm), right on odd and left on even pages, N = page."""
    pdf, out = load_pdf(pdf_path), []
    for n, page in enumerate(pdf.pages, start=1):
        found = [ln for ln in page if PAGE_NUMBER_RE.match(ln.text.strip())]
        if n == 1 and fmt == "信函格式":
            out += [f"page 1 of a letter shows a page number {ln.text!r}" for ln in found]
        elif len(found) != 1:
            out.append(f"page {n}: want one page number, found {[ln.text for ln in found]}")
        else:
            out += _page_number_faults(n, found[0])
    return out


def _page_number_faults(n: int, line: Line) -> list[str]:
    shown = int(PAGE_NUMBER_RE.match(line.text.strip()).group(1))
    out = [] if shown == n else [f"page {n} is numbered {shown}"]
    out += _near(f"page {n} number top", line.mm("y0"), TEXT_BOTTOM + PAGE_NUMBER_GAP, POS_TOL)
    one = HAO4 * MM_PER_PT  # one 4号 character
    if n % 2:
        return out + _near(f"page {n} (odd) number right edge", line.mm("x1"), TEXT_RIGHT - one, POS_TOL)
    return out + _near(f"page {n} (even) number left edge", line.mm("x0"), LEFT + one, POS_TOL)


def pdf_colophon(pdf_path: Path, fmt: str, data: dict) -> list[str]:
    """版记 on the last page, its lines as wide as the 版心, the last one on the 版心 bottom (262 mm)."""
    items = colophon_paragraphs(data)
    if not items:
        return []
    pdf = load_pdf(pdf_path)
    last = len(pdf.pages)
    out = [f"版记 line {item.text!r} not on the last page ({last})"
           for item, lines in matched_lines(pdf, data) if item in items and (not lines or lines[0].page != last)]
    found = colophon_rules(pdf_path)
    if not found:
        return out + [f"no 版记 rule lines on the last page ({last})"]
    out += _near("版记 last line", found[-1].y, TEXT_BOTTOM, POS_TOL)
    return out + [f for r in found for f in _near("版记 line left end", r.x0, LEFT, POS_TOL)
                  + _near("版记 line right end", r.x1, TEXT_RIGHT, POS_TOL)]


def colophon_rules(pdf_path: Path) -> list[Rule]:
    """Return the dark rule lines of the last page, top to bottom."""
    pdf = load_pdf(pdf_path)
    return rules(dark_mask(pdf.raster(len(pdf.pages))))


# ==============================================================================================
# Text against the reference notice (seed)
# ==============================================================================================
def seed_lines(seed_path: Path, end: str = "（此件公开发布）") -> list[str]:
    """Return the seed's notice lines (top to `end`) plus its 抄送/印发 lines, whitespace removed."""
    raw = [squash(re.sub(r"^\s*-\s+", "", ln)) for ln in Path(seed_path).read_text(encoding="utf-8").splitlines()]
    lines = [ln for ln in raw if ln]
    notice = lines[: lines.index(squash(end)) + 1]
    tail = next(i for i in range(len(lines) - 1, -1, -1) if lines[i].startswith("抄送："))
    return notice + lines[tail:]


def check_text_order(seed_path: Path, text: str, end: str = "（此件公开发布）") -> list[str]:
    """Every seed line appears in text, in order (whitespace ignored)."""
    flat, pos, out = squash(text), 0, []
    lines = seed_lines(seed_path, end)
    for line, following in zip(lines, lines[1:] + [""]):
        at = flat.find(line, pos)
        skipped = following and following in flat[pos:at]  # found only after text that should follow it
        if at < 0 or skipped:
            out.append(f"seed line {line[:24]!r} {'out of order' if line in flat else 'missing'}")
            continue
        pos = at + len(line)
    return out


# ==============================================================================================
# Measurements for reporting
# ==============================================================================================
def measure(pdf_path: Path, fmt: str, data: dict) -> dict:
    """Return the key measured figures of a rendered notice (mm unless stated)."""
    pdf = load_pdf(pdf_path)
    red = red_mask(pdf.raster(1))
    lines = rules(red)
    ink = ink_rows(red, 0, lines[0].top) if lines else None
    numbers = [ln for page in pdf.pages for ln in page if PAGE_NUMBER_RE.match(ln.text.strip())]
    return {"mark_ink": ink, "red_lines": [(round(r.y, 2), round(r.thickness, 2), round(r.x0, 1), round(r.x1, 1))
                                           for r in lines],
            "page_numbers": [(ln.page, ln.text, round(ln.mm("y0"), 2), round(ln.mm("x0"), 2), round(ln.mm("x1"), 2))
                             for ln in numbers],
            "colophon_rules": [(round(r.y, 2), round(r.thickness, 2), round(r.x0, 1), round(r.x1, 1))
                               for r in colophon_rules(pdf_path)],
            "full_line_chars": full_line_counts(pdf_path, data)}
