"""Test the ruler's findings: codes from one catalogue, Chinese messages, and where a .docx finding points."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
from docx.shared import Pt, RGBColor
from paths import REPO

from pipeline.check import ruler
from pipeline.check.docx_text import text_font_violations
from pipeline.check.findings import CODES, ELEMENTS, Finding
from pipeline.check.standard import FANGSONG, HAO3, near
from pipeline.check.wordml import paragraph_number

CHECK = REPO / "pipeline" / "check"


def test_a_finding_needs_a_known_code_and_element():
    with pytest.raises(ValueError, match="unknown code"):
        Finding("wrong_font", "title", "标题字体不符")
    with pytest.raises(ValueError, match="unknown element"):
        Finding("font", "heading", "标题字体不符")
    assert Finding("font", "title", "标题字体不符").severity == "error"


def test_every_code_is_snake_case_with_a_chinese_description():
    assert all(re.fullmatch(r"[a-z]+(_[a-z]+)*", code) for code in CODES), sorted(CODES)
    assert all(re.search(r"[\u4e00-\u9fff]", text) for text in CODES.values())


def test_every_code_the_check_modules_write_is_in_the_catalogue():
    """Codes on paths no test document reaches are checked too: every literal code of a Finding or near()."""
    written = {(path.name, code, element) for path in CHECK.glob("*.py")
               for code, element in re.findall(r'(?:Finding|near)\(\s*"(\w+)",\s*"(\w+)"', path.read_text("utf-8"))}
    assert len(written) > 100
    assert [w for w in written if w[1] not in CODES or w[2] not in ELEMENTS] == []


def test_near_reports_a_measure_off_its_tolerance_in_chinese():
    assert near("margin", "page", "天头（上边距）", 37.6, 37.0, 1.0) == []
    (found,) = near("margin", "page", "天头（上边距）", 30.0, 37.0, 1.0, page=2)
    assert found == Finding("margin", "page", "天头（上边距）为 30.00 毫米，应为 37 ± 1 毫米", page=2,
                            found="30.00 毫米", want="37 ± 1 毫米")
    (pt,) = near("indent", "body", "首行起点", 16.0, 32.0, 0.5, "pt", paragraph=7)
    assert (pt.found, pt.want, pt.paragraph) == ("16.00 磅", "32 ± 0.5 磅", 7)


@pytest.fixture
def small_docx(tmp_path) -> Path:
    """Write a .docx: a paragraph, a one-cell table, then a paragraph with runs in three faults (font, size, colour)."""
    document = docx.Document()
    document.add_paragraph("第一段")
    document.add_table(rows=1, cols=1).cell(0, 0).text = "表格里的段落"
    p = document.add_paragraph()
    for text, font, size, red in (("甲乙", "宋体", 18, True), ("丙", "黑体", 16, False), ("丁", "仿宋_GB2312", 16, False)):
        run = p.add_run(text)
        run.font.size = Pt(size)
        run.font.color.rgb = RGBColor(0xFF, 0, 0) if red else RGBColor(0, 0, 0)
        run.element.get_or_add_rPr().get_or_add_rFonts().set(f"{{{ruler.W_NS}}}eastAsia", font)
    document.sections[0].footer.add_paragraph("页脚")
    path = tmp_path / "small.docx"
    document.save(path)
    return path


def test_paragraph_numbers_count_every_paragraph_of_the_body_table_cells_included(small_docx):
    doc = ruler.Docx(small_docx)
    numbered = {ruler.para_text(p): paragraph_number(doc, p) for p in doc.document.iter(f"{{{ruler.W_NS}}}p")}
    assert numbered == {"第一段": 1, "表格里的段落": 2, "甲乙丙丁": 3}
    footer = next(iter(doc.footers.values())).find(f".//{{{ruler.W_NS}}}p")
    assert paragraph_number(doc, footer) == 0  # not in the main document part


def test_font_faults_are_one_finding_per_kind_quoting_the_first_character(small_docx):
    doc = ruler.Docx(small_docx)
    p = list(doc.document.iter(f"{{{ruler.W_NS}}}p"))[2]
    got = text_font_violations(doc, p, "body", "正文", FANGSONG, HAO3)
    assert [(f.code, f.element, f.paragraph, f.found, f.want) for f in got] == [
        ("font", "body", 3, "宋体", "仿宋/仿宋_GB2312"),
        ("size", "body", 3, "18 磅", "3号（16 磅）"),
        ("colour", "body", 3, "FF0000", "黑色（000000）"),
    ]
    assert got[0].message == "正文“甲乙丙丁”中的“甲”为宋体，应为仿宋/仿宋_GB2312"
    only_black = text_font_violations(doc, p, "body", "正文", FANGSONG, HAO3, span=(2, 4))  # 丙丁
    assert [(f.code, f.found) for f in only_black] == [("font", "黑体")]
