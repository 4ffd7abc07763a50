"""Test the shared layout arithmetic: title breaking, text measure and signature placement."""

from __future__ import annotations

import pytest

from pipeline.core import gbt9704 as L
from pipeline.core.text import chinese_date
from pipeline.notice.blocks import chinese_numeral, heading_number
from pipeline.notice.title import TITLE_CHARS_PER_LINE, break_title


def test_grid_fills_the_text_block():
    assert L.LINE_PITCH_TWIPS == 579
    assert L.TEXT_WIDTH_MM == 156 and L.TEXT_HEIGHT_MM == 225
    condensed = L.SIZE_3HAO + L.BODY_CHAR_SPACING_TWENTIETHS / 20
    assert 28 * condensed <= 156 / L.MM_PER_PT < 29 * condensed


@pytest.mark.parametrize(
    ("title", "lines"),
    [
        ("国家知识产权局办公室关于举办知识产权信息服务优秀案例分享活动的通知",
         ["国家知识产权局办公室关于举办知识产权", "信息服务优秀案例分享活动的通知"]),
        ("关于做好2024年度统计工作的通知", ["关于做好2024年度统计工作的通知"]),
        ("某某省市场监督管理局关于开展2024年度计量器具专项监督检查工作的通知",
         ["某某省市场监督管理局关于开展2024年度", "计量器具专项监督检查工作的通知"]),
    ],
)
def test_titles_break_into_balanced_lines_at_word_boundaries(title, lines):
    assert break_title(title) == lines


def test_long_title_takes_three_lines_none_wider_than_the_measure():
    title = "国家知识产权局办公室关于印发知识产权公共服务能力提升工程实施方案和知识产权信息服务优秀案例汇编的通知"
    lines = break_title(title)
    assert "".join(lines) == title
    assert len(lines) == 3 and all(L.char_units(line) <= TITLE_CHARS_PER_LINE for line in lines)


def test_explicit_title_lines_are_kept():
    assert break_title("第一行\n第二行") == ["第一行", "第二行"]


def test_char_units_count_half_width_digits_as_half():
    assert L.char_units("2022年3月21日") == 6.5
    assert L.char_units("“十四五”") == 5


@pytest.mark.parametrize(
    ("name", "date", "indents"),
    [
        # short date: name right 2, date 2 characters right of its first one (5 Chinese–digit spaces of 0.21)
        ("国家知识产权局办公室", "2022年3月21日", (2.0, 2 + 10 - 2 - 6.5 - 5 * 0.21)),
        ("江宁县知识产权局", "2024年5月8日", (2 + 2 + 6 + 5 * 0.21 - 8, 2.0)),  # would end past right 2
        ("某局", "2022年12月21日", (2 + 2 + 7 + 5 * 0.21 - 2, 2.0)),  # longer date: date right 2, name moves left
    ],
)
def test_signature_indents_follow_the_no_seal_rule(name, date, indents):
    name_right, date_right = L.signature_indents(name, date)
    assert (name_right, date_right) == pytest.approx(indents)
    name_start = -name_right - L.char_units(name)
    date_start = -date_right - L.printed_units(date)
    assert date_start - name_start == pytest.approx(2)


def test_numbers_and_dates_are_written_the_chinese_way():
    assert [chinese_numeral(n) for n in (1, 10, 11, 20, 99)] == ["一", "十", "十一", "二十", "九十九"]
    assert [heading_number(level, 3) for level in (1, 2, 3, 4)] == ["三、", "（三）", "3.", "（3）"]
    import datetime as dt

    assert chinese_date(dt.date(2022, 3, 1)) == "2022年3月1日"


def test_very_long_title_breaks_quickly():
    import time

    title = "关于" + "进一步加强和改进知识产权公共服务体系建设" * 7 + "的通知"
    start = time.perf_counter()
    lines = break_title(title)
    assert time.perf_counter() - start < 2
    assert "".join(lines) == title and all(L.char_units(line) <= TITLE_CHARS_PER_LINE for line in lines)


def test_three_line_title_is_never_an_hourglass():
    lines = break_title("某某市人民政府办公室关于进一步加强和改进全市政务信息公开工作推动政务服务提质增效的通知")
    widths = [L.char_units(line) for line in lines]
    assert len(lines) == 3 and not (widths[1] < widths[0] and widths[1] < widths[2]), lines
