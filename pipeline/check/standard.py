"""Hold the standard's numbers, written out from the reference (never taken from the generator)."""

from __future__ import annotations

import re

from .findings import Finding

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
HAO_NAMES = {HAO2: "2号", HAO3: "3号", HAO4: "4号"}
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
ORDER_MARK_TOP = TOP + 20.0  # 命令格式: mark top edge 20 mm below the 版心 top = 57 mm
MINUTES_MARK_TOP = TOP + 35.0  # 纪要格式: mark top edge 35 mm below the 版心 top = 72 mm
MARK_TOL, DOC_MARK_TOL = 1.5, 2.0
RULE_GAP = 4.0  # red double line 4 mm below the mark; red separator 4 mm below the 发文字号
LETTER_LINE_X = (20.0, 190.0)  # 170 mm long, centred on the 210 mm page
LETTER_BOTTOM_LINE = PAGE_H - 20.0  # 20 mm above the bottom of the page = 277 mm
LETTER_NUMBER_DROP = 7 / 8 * HAO3 * MM_PER_PT  # 发文字号 7/8 of a 3号 character height below the line = 4.94 mm
POS_TOL = 1.5  # mm, for every position measured on the rendered page
DOC_NUMBER_RE = re.compile(r".+〔\d{4}〕[1-9]\d*号")  # 〔year in full〕, no 第, no leading zeros

# --- 署名, seals and stamps ---------------------------------------------------------------------
LINE_MM = LINE_PITCH * MM_PER_PT  # one grid line = 10.2 mm
CHAR_MM = HAO3 * MM_PER_PT  # one 3号 character = 5.64 mm ("空一字")
SEAL_SIZE = (30.0, 50.0)  # mm: a round blob this size below the body is a seal (agency seals are ~42 mm)
SEAL_ROUND_TOL = 1.5  # mm: a seal's red ink is as wide as it is high
SEALS_PER_ROW = 3  # joint seals: up to 3 a row

# --- PDF font faces: the free faces the 公文 font names render with (the fontconfig aliases) -----
PDF_FACES = {"黑体": ("Sans", "Hei"), "楷体": ("Kai",), "仿宋": ("Ming", "FangSong", "Fangsong"),
             "小标宋": ("Serif", "BiaoSong")}

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


UNITS = {"mm": "毫米", "pt": "磅"}


def figure(value: float) -> str:
    """Write a number with at most 2 decimals and no trailing zeros (37, 28.9, 179.06)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def size_name(pt: float | None) -> str:
    """Write a font size as a clerk reads it: 2号（22 磅）, or the points alone when it has no 号."""
    if pt is None:
        return "未设置"
    return f"{HAO_NAMES[pt]}（{figure(pt)} 磅）" if pt in HAO_NAMES else f"{figure(pt)} 磅"


def quote(text: str, length: int = 12) -> str:
    """Return the first characters of a text (whitespace removed) to name a paragraph in a message."""
    text = squash(text)
    return text if len(text) <= length else text[:length] + "…"


def near(code: str, element: str, what: str, value: float, want: float, tol: float, unit: str = "mm",
         page: int = 0, paragraph: int = 0) -> list[Finding]:
    """Return a finding when a measured value is further than tol from what the standard wants.

    what is the Chinese name of the measured quantity (天头（上边距）); the message reads 天头（上边距）为
    30.00 毫米，应为 37 ± 1 毫米.
    """
    if abs(value - want) <= tol:
        return []
    found, wanted = f"{value:.2f} {UNITS[unit]}", f"{figure(want)} ± {figure(tol)} {UNITS[unit]}"
    return [Finding(code, element, f"{what}为 {found}，应为 {wanted}", page=page, paragraph=paragraph,
                    found=found, want=wanted)]
