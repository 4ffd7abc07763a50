"""Hold every GB/T 9704-2012 size, font and distance, and the arithmetic on them."""

from __future__ import annotations

import math
import unicodedata

from .units import MM_PER_PT, TWIPS_PER_PT, mm_to_twips, pt_to_mm

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

ORDER_MARK_TOP_MM = 20  # 命令格式: below the top of the 版心
MINUTES_MARK_TOP_MM = 35  # 纪要格式: below the top of the 版心
MIN_MARK_SIZE = 18.0  # 小二: a mark is shrunk to fit one line, never below this (else it is refused)
SIGNER_INDENT_CHARS = 1  # 签发人 right-indented, 发文字号 left-indented 1 character on the same line
SIGNERS_PER_LINE = 2
SIGNER_LABEL = "签发人："

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
        longest = max([char_units(name)] + [char_units(row[i]) for row in rows])
        wanted.append(min(max(longest + 1, TABLE_MIN_COLUMN_CHARS), TABLE_MAX_COLUMN_CHARS))
    scale = total_mm / sum(wanted)
    return [w * scale for w in wanted]


# 页码 ----------------------------------------------------------------------
PAGE_NUMBER_BELOW_TEXT_MM = 7
PAGE_NUMBER_INDENT_CHARS = 1
PAGE_NUMBER_DASH = "—"

# Paragraph indents in characters ----------------------------------------
BODY_FIRST_LINE_CHARS = 2
SIGNATURE_RIGHT_CHARS = 2
DATE_OFFSET_CHARS = 2
SEAL_DATE_RIGHT_CHARS = 4  # with a seal (or a 签名章) the date is right-indented 4 characters
STAMP_TITLE_GAP_CHARS = 2  # the signer's title stands 2 characters left of the 签名章

# Seals and 签名章 --------------------------------------------------------------
SEAL_DIAMETER_MM = 42  # when the image does not say its own size
SIGNATURE_STAMP_WIDTH_MM = 40
SEALS_PER_ROW = 3
SEAL_GAP_MM = 3  # between the seals of a row: never touching
SEAL_ROW_GAP_MM = 4  # between rows of seals
SEAL_CENTRE_ABOVE_NAME = 0.2  # the seal's centre lies this many lines below the top of the name's line
ANNEX_NOTE_LABEL = "附件："
AUTOSPACE_CHARS = 0.21  # between Chinese and digits (2024年): measured in LibreOffice, which always adds it


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


def char_units(text: str) -> float:
    """Return the width of a text in character units."""
    return sum(char_width(ch) for ch in text)


def printed_units(text: str) -> float:
    """Return a text's printed width in characters, with the space renderers put between Chinese and digits."""
    latin = [ch.isascii() and ch.isalnum() for ch in text]
    wide = [char_width(ch) == 1.0 for ch in text]
    boundaries = sum(1 for i in range(1, len(text)) if (latin[i - 1] and wide[i]) or (wide[i - 1] and latin[i]))
    return char_units(text) + boundaries * AUTOSPACE_CHARS


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
    name_start = text_width_pt - SIGNATURE_RIGHT_CHARS * SIZE_3HAO - char_units(name) * char
    return name_start + DATE_OFFSET_CHARS * char


def signature_indents(name: str, date_text: str) -> tuple[float, float]:
    """Place signature and date by the no-seal rule; return their right indents in characters.

    The date starts 2 characters right of the name's first character; a date that would then reach past
    the name's 2-character right indent is right-indented 2 characters instead, the name moving left.
    """
    name_w, date_w = char_units(name), printed_units(date_text)
    date_right = SIGNATURE_RIGHT_CHARS + name_w - DATE_OFFSET_CHARS - date_w
    if date_right >= SIGNATURE_RIGHT_CHARS:
        return float(SIGNATURE_RIGHT_CHARS), date_right
    return SIGNATURE_RIGHT_CHARS + DATE_OFFSET_CHARS + date_w - name_w, float(SIGNATURE_RIGHT_CHARS)


def fit_mark_size(text: str, size_pt: float, width_mm: float) -> float:
    """Return the mark's font size, shrunk in half points until the name fits width_mm."""
    widest = width_mm / MM_PER_PT / max(char_units(text), 1)
    return min(size_pt, math.floor(widest * 2) / 2)


def signer_lines(signers: list[str]) -> list[list[str]]:
    """Group 签发人 names two to a line, in order."""
    return [signers[i:i + SIGNERS_PER_LINE] for i in range(0, len(signers), SIGNERS_PER_LINE)]


def signer_block_chars(signers: list[str]) -> float:
    """Return the width of the 签发人 block in characters: the label and the widest line of names."""
    return char_units(SIGNER_LABEL) + max(char_units("　".join(line)) for line in signer_lines(signers))


def signers_fit(number: str, signers: list[str]) -> bool:
    """Tell whether the 发文字号 and the 签发人 block share one line with a character between them."""
    line_chars = TEXT_WIDTH_MM / MM_PER_PT / SIZE_3HAO
    return 2 * SIGNER_INDENT_CHARS + printed_units(number) + 1 + signer_block_chars(signers) <= line_chars


def mark_top_mm(fmt: str) -> float:
    """Return how far below the 版心 top the mark's top edge lies (文件格式 and 纪要 35 mm, 命令 20 mm)."""
    return ORDER_MARK_TOP_MM if fmt == "命令格式" else DOC_MARK_TOP_MM


def mark_room_mm(fmt: str, word: str, size_pt: float) -> float:
    """Return the width one name of the mark may take: the mark's width less the word beside a stack."""
    return mark_width_mm(fmt) - (char_units(word) * size_pt * MM_PER_PT if word else 0)


def seal_name_fits(name: str, date_text: str) -> bool:
    """Tell whether a sealed signature, centred on a date right-indented 4 characters, stays in the 版心."""
    centre = SEAL_DATE_RIGHT_CHARS + printed_units(date_text) / 2  # from the right margin, in characters
    return char_units(name) / 2 <= centre


def mark_width_mm(fmt: str) -> float:
    """Return the width the 发文机关标志 may take: the letter's lines, or the 版心."""
    return LETTER_LINE_LENGTH_MM if fmt == "信函格式" else TEXT_WIDTH_MM


def annex_note_indent_chars(count: int) -> float:
    """Return where annex names start, in characters from the left margin."""
    widest = char_units(f"{count}.")
    return BODY_FIRST_LINE_CHARS + char_units(ANNEX_NOTE_LABEL) + math.ceil(widest)
