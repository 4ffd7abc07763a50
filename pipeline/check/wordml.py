"""Read a .docx the way Word resolves it: parts, styles, run and paragraph properties, geometry."""

from __future__ import annotations

import zipfile
from pathlib import Path
from lxml import etree

from .standard import HAO3, NS, PR_NS, R_NS, TWIP_PT, w

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
        # each paragraph's place among all of the main part's paragraphs (the keys keep lxml's proxies alive)
        self.numbers = {p: n for n, p in enumerate(self.document.iter(w("p")), start=1)}
        self.sect = self.sections[0] if self.sections else None  # the first page's section: its headers, grid, 首页不同
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


def paragraph_number(doc: Docx, p) -> int:
    """Return p's 1-based place among the main document part's paragraphs, table cells included (0 outside it)."""
    return doc.numbers.get(p, 0)


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
