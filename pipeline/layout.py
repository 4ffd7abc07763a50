"""Hold every GB/T 9704-2012 size, font and distance, and the arithmetic on them."""

from __future__ import annotations

import itertools
import math
import unicodedata

import rjieba

# Units --------------------------------------------------------------------
MM_PER_PT = 25.4 / 72
TWIPS_PER_PT = 20
EMU_PER_MM = 36000


def mm_to_twips(mm: float) -> int:
    """Convert millimetres to twentieths of a point."""
    return round(mm / MM_PER_PT * TWIPS_PER_PT)


def mm_to_emu(mm: float) -> int:
    """Convert millimetres to English Metric Units (DrawingML)."""
    return round(mm * EMU_PER_MM)


def pt_to_mm(pt: float) -> float:
    """Convert points to millimetres."""
    return pt * MM_PER_PT


# Page (版面) ---------------------------------------------------------------
PAGE_WIDTH_MM = 210
PAGE_HEIGHT_MM = 297
MARGIN_TOP_MM = 37  # 天头
MARGIN_BOTTOM_MM = 35
MARGIN_LEFT_MM = 28  # 订口
MARGIN_RIGHT_MM = 26
TEXT_WIDTH_MM = PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM  # 156
TEXT_HEIGHT_MM = PAGE_HEIGHT_MM - MARGIN_TOP_MM - MARGIN_BOTTOM_MM  # 225
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28

# 字号 ----------------------------------------------------------------------
SIZE_2HAO = 22.0
SIZE_3HAO = 16.0
SIZE_4HAO = 14.0
SIZE_XIAOCHU = 36.0  # 小初

# Fonts as clerks' Word and WPS name them ------------------------------------
FONT_XIAOBIAOSONG = "方正小标宋简体"
FONT_FANGSONG = "仿宋_GB2312"
FONT_HEITI = "黑体"
FONT_KAITI = "楷体_GB2312"
FONT_SONGTI = "宋体"
FONT_LATIN = "Times New Roman"

RED = "FF0000"
BLACK = "000000"

# Grid: 22 lines x 28 characters filling the 版心 ---------------------------
LINE_PITCH_TWIPS = math.floor(mm_to_twips(TEXT_HEIGHT_MM) / LINES_PER_PAGE)  # 579
LINE_PITCH_PT = LINE_PITCH_TWIPS / TWIPS_PER_PT
CHAR_PITCH_PT = TEXT_WIDTH_MM / MM_PER_PT / CHARS_PER_LINE
# 28 characters of 3号 (16 pt) are 448 pt, wider than the 442 pt 版心: condense body text by
# whole twentieths of a point until 28 fit. A line grid (not a character grid) keeps every
# application (Word, WPS, LibreOffice) from snapping characters to cells of its own.
BODY_CHAR_SPACING_TWENTIETHS = -math.ceil((SIZE_3HAO - CHAR_PITCH_PT) * TWIPS_PER_PT)

# 版头 ----------------------------------------------------------------------
LETTER_MARK_SIZE = SIZE_XIAOCHU
LETTER_MARK_TOP_MM = 30  # from the top of the page
CJK_GLYPH_BOTTOM = 0.92  # the visible bottom of an ideograph, as a fraction of its em box
LETTER_LINE_GAP_MM = 4  # from the mark to the thick line
LETTER_LINE_LENGTH_MM = 170
LETTER_THICK_PT = 2.25
LETTER_THIN_PT = 0.75
LETTER_LINE_DISTANCE_MM = 1.2  # between the centres of the two lines
LETTER_BOTTOM_LINE_MM = 20  # above the bottom of the page
LETTER_NUMBER_DROP = 7 / 8  # of a 3号 character height, below the double line

DOC_MARK_SIZE = SIZE_XIAOCHU
DOC_MARK_TOP_MM = 35  # below the top of the 版心
DOC_SEPARATOR_GAP_MM = 4  # below the 发文字号
DOC_SEPARATOR_PT = 2.25

HEADER_DISTANCE_MM = 15  # the page header (信函's red lines are drawn relative to the page, not to this)
END_MARK_PT = 1  # the tiny paragraph that ends the body after the floating 版记

# 版记 ----------------------------------------------------------------------
COLOPHON_THICK_MM = 0.35
COLOPHON_THIN_MM = 0.25
COLOPHON_INDENT_CHARS = 1

# Tables -------------------------------------------------------------------
TABLE_TEXT_SIZE = SIZE_4HAO
TABLE_LINE_PT = 20  # exact line height inside tables (their own spacing, not the 28.95 pt grid)
FORM_TABLE_ROW_MM = 10  # blank rows of a Word form, tall enough to write in by hand
TABLE_RULE_MM = 0.18  # about 0.5 pt
TABLE_CELL_MARGIN_MM = 1.0
TABLE_MIN_COLUMN_CHARS = 2.5
TABLE_MAX_COLUMN_CHARS = 12


def table_column_widths(columns: list[str], rows: list[list[str]], total_mm: float = TEXT_WIDTH_MM) -> list[float]:
    """Share the table width among columns by the length of their text, within bounds."""
    wanted = []
    for i, name in enumerate(columns):
        longest = max([text_width(name)] + [text_width(row[i]) for row in rows])
        wanted.append(min(max(longest + 1, TABLE_MIN_COLUMN_CHARS), TABLE_MAX_COLUMN_CHARS))
    scale = total_mm / sum(wanted)
    return [w * scale for w in wanted]


# Excel fill-in form (附件2) --------------------------------------------------------
# Column widths in Excel units (about one Latin digit; a Chinese character takes about two).
FORM_COLUMN_WIDTHS = {"序号": 6, "工作单位": 34, "姓名": 11, "性别": 7, "职务/级别": 18, "办公电话": 17, "手机号码": 15, "备注": 18}
FORM_PORTRAIT_WIDTH = 92  # widest table (in width units) that fits A4 portrait between the margins
FORM_TITLE_FONT = (FONT_HEITI, 16)
FORM_BODY_FONT = (FONT_SONGTI, 11)
FORM_ROW_HEIGHTS = {"title": 32, "instruction_line": 16, "header": 28, "data": 22}  # points
FORM_MARGINS_IN = {"left": 0.6, "right": 0.6, "top": 0.75, "bottom": 0.75, "header": 0.3, "footer": 0.3}

# Roster workbook and status report (回执汇总) -------------------------------------------
ROSTER_MAX_COLUMN_WIDTH = 60  # Excel width units
ROSTER_HEADER_FILL = "D9D9D9"
STATUS_MARGIN_MM = 20
STATUS_SIZES = {"title": 18, "heading": 13, "body": 10.5, "small": 8.5}  # points
STATUS_LEADING = 1.5  # line height, in font sizes
STATUS_CHART_HEIGHT_MM = 62
STATUS_COLOURS = {"ok": "#4E9A06", "errors": "#F57900", "missing": "#A0A0A0"}

# QR codes (附件3) ---------------------------------------------------------------
QR_WIDTH_MM = 38  # printed width of a code with its quiet zone: the pattern itself is over 30 mm
QR_MAX_IMAGE_HEIGHT_MM = 90  # a tall screenshot is shrunk to this
QR_PDF_GAP_MM = 4  # between blocks of the one-page PDF
QR_PDF_LINE_FACTOR = 1.5  # line height of the one-page PDF, in font sizes

# 页码 ----------------------------------------------------------------------
PAGE_NUMBER_BELOW_TEXT_MM = 7
PAGE_NUMBER_INDENT_CHARS = 1
PAGE_NUMBER_DASH = "—"

# Paragraph indents in characters ----------------------------------------
BODY_FIRST_LINE_CHARS = 2
SIGNATURE_RIGHT_CHARS = 2
DATE_OFFSET_CHARS = 2
ANNEX_NOTE_LABEL = "附件："


def border_eighths(mm: float) -> int:
    """Return a border width in Word's eighths of a point."""
    return max(2, round(mm / MM_PER_PT * 8))


def letter_line_positions_mm() -> dict[str, float]:
    """Return the vertical centre of each red line of the letter head, from the page top."""
    mark_bottom = LETTER_MARK_TOP_MM + pt_to_mm(LETTER_MARK_SIZE) * CJK_GLYPH_BOTTOM
    thick = mark_bottom + LETTER_LINE_GAP_MM + pt_to_mm(LETTER_THICK_PT) / 2
    bottom_thick = PAGE_HEIGHT_MM - LETTER_BOTTOM_LINE_MM - pt_to_mm(LETTER_THICK_PT) / 2
    return {
        "top_thick": thick,
        "top_thin": thick + LETTER_LINE_DISTANCE_MM,
        "bottom_thin": bottom_thick - LETTER_LINE_DISTANCE_MM,
        "bottom_thick": bottom_thick,
    }


def letter_number_space_before_pt() -> float:
    """Return the space above the letter's 发文字号 so it sits 7/8 of a character under the lines."""
    thin_bottom = letter_line_positions_mm()["top_thin"] + pt_to_mm(LETTER_THIN_PT) / 2
    number_top = thin_bottom + pt_to_mm(SIZE_3HAO * LETTER_NUMBER_DROP)
    return (number_top - MARGIN_TOP_MM) / MM_PER_PT


def footer_distance_mm() -> float:
    """Return the footer distance that puts the page number 7 mm below the 版心."""
    return MARGIN_BOTTOM_MM - PAGE_NUMBER_BELOW_TEXT_MM - pt_to_mm(SIZE_4HAO)


# Text measure -------------------------------------------------------------
def char_width(ch: str) -> float:
    """Return a character's advance in 3号 character units (half-width counts 0.5)."""
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 1.0
    if ch in "“”‘’—…·":
        return 1.0
    return 0.5


def text_width(text: str) -> float:
    """Return the width of a text in character units."""
    return sum(char_width(ch) for ch in text)


def printed_char_pt() -> float:
    """Return the advance of one condensed 3号 body character in points."""
    return SIZE_3HAO + BODY_CHAR_SPACING_TWENTIETHS / TWIPS_PER_PT


def date_left_indent_pt(name: str) -> float:
    """Return the date's left indent that starts it 2 characters right of the signature's first character.

    The signature (full-width text) is right-indented 2 characters, so its first character's position
    is exact; measuring the date from the left keeps it exact whatever digits and spacing it prints with.
    """
    char = printed_char_pt()
    text_width_pt = TEXT_WIDTH_MM / MM_PER_PT
    name_start = text_width_pt - SIGNATURE_RIGHT_CHARS * SIZE_3HAO - text_width(name) * char
    return name_start + DATE_OFFSET_CHARS * char


def signature_indents(name: str, date_text: str) -> tuple[float, float]:
    """Place signature and date by the no-seal rule; return their right indents in characters."""
    name_w, date_w = text_width(name), text_width(date_text)
    date_right = SIGNATURE_RIGHT_CHARS + name_w - DATE_OFFSET_CHARS - date_w
    if date_right >= SIGNATURE_RIGHT_CHARS:
        return float(SIGNATURE_RIGHT_CHARS), date_right
    name_right = SIGNATURE_RIGHT_CHARS + DATE_OFFSET_CHARS + date_w - name_w
    return name_right, float(SIGNATURE_RIGHT_CHARS)


def fit_mark_size(text: str, size_pt: float, width_mm: float) -> float:
    """Return the mark's font size, shrunk in half points until the name fits width_mm."""
    widest = width_mm / MM_PER_PT / max(text_width(text), 1)
    return min(size_pt, math.floor(widest * 2) / 2)


def mark_width_mm(fmt: str) -> float:
    """Return the width the 发文机关标志 may take: the letter's lines, or the 版心."""
    return LETTER_LINE_LENGTH_MM if fmt == "信函格式" else TEXT_WIDTH_MM


def annex_note_indent_chars(count: int) -> float:
    """Return where annex names start, in characters from the left margin."""
    widest = text_width(f"{count}.")
    return BODY_FIRST_LINE_CHARS + text_width(ANNEX_NOTE_LABEL) + math.ceil(widest)


# Title breaking -----------------------------------------------------------
TITLE_CHARS_PER_LINE = math.floor(TEXT_WIDTH_MM / pt_to_mm(SIZE_2HAO))  # 20
_NO_LINE_START = set("的之和与及、，。：；！？）》”’")


def _can_break(before: str, after: str) -> bool:
    return after[0] not in _NO_LINE_START and not (before[-1].isdigit() or after[0].isdigit())


def _title_words(title: str) -> list[str]:
    return [w for w in rjieba.cut(title) if w]


def _title_cost(widths: list[float]) -> float:
    """Score a split: the spread of line widths, plus penalties for shapes GB/T 9704 avoids.

    Lines should form a trapezoid or a diamond: a two-line title should not widen downwards, and no
    inner line of a longer title may be shorter than both its neighbours (an hourglass).
    """
    spread = max(widths) - min(widths)
    widening = len(widths) == 2 and widths[1] > widths[0]
    waists = sum(1 for a, b, c in zip(widths, widths[1:], widths[2:]) if b < a and b < c)
    return spread + (2 if widening else 0) + 4 * waists


def break_title(title: str, per_line: int = TITLE_CHARS_PER_LINE) -> list[str]:
    """Break a title into balanced lines at word boundaries, first line longest."""
    if "\n" in title:
        return [line.strip() for line in title.splitlines() if line.strip()]
    total = text_width(title)
    count = max(1, math.ceil(total / per_line))
    words = _title_words(title)
    cuts = [i for i in range(1, len(words)) if _can_break(words[i - 1], words[i])]
    for lines in range(count, count + 3):
        best = _best_split(words, cuts, lines, per_line)
        if best:
            return best
    return [title]


TITLE_CUT_CANDIDATES = 6  # word boundaries tried around each ideal break (keeps long titles fast)


def _best_split(words: list[str], cuts: list[int], lines: int, per_line: int) -> list[str] | None:
    ends = list(itertools.accumulate(text_width(w) for w in words))
    total = ends[-1]
    near = [sorted(cuts, key=lambda c: abs(ends[c - 1] - total * j / lines))[:TITLE_CUT_CANDIDATES]
            for j in range(1, lines)]
    best, best_cost = None, None
    for combo in itertools.product(*near):
        if list(combo) != sorted(set(combo)):
            continue
        bounds = (0, *combo, len(words))
        widths = [ends[b - 1] - (ends[a - 1] if a else 0) for a, b in zip(bounds, bounds[1:])]
        if max(widths) > per_line:
            continue
        cost = _title_cost(widths)
        if best_cost is None or cost < best_cost:
            best, best_cost = ["".join(words[a:b]) for a, b in zip(bounds, bounds[1:])], cost
    return best
