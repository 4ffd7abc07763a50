"""Test landscape annexes (横排表格): when an annex turns, its page and footers in Word, and the rendered pages measured."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from example_data import example_copy
from finding_fields import has
from paths import REPO

from pipeline.check.pdf_landscape import (measure_landscape, pdf_landscape_layout, pdf_landscape_page_numbers,
                                          pdf_landscape_pages, read_pages)
from pipeline.check.pdf_model import dark_mask, load_pdf, rules
from pipeline.core.errors import InputError
from pipeline.forms.spec import load_form_spec
from pipeline.notice.annexes import build_annexes, load_annex
from pipeline.notice.notice import build_notice, load_notice
from pipeline.notice.packet import build_packet
from pipeline.pdf.libreoffice import soffice
from renders import Ahead

EXAMPLES = REPO / "inputs" / "examples"
EXAMPLE = EXAMPLES / "landscape_annex_notice.yaml"
WIDE_ANNEX = EXAMPLES / "landscape_annex_1.yml"
INPUTS = REPO / "inputs"
WPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
XPATH_NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main", "wps": WPS,
            "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"}
MARGINS = {"top": 28, "bottom": 26, "left": 35, "right": 37}  # the portrait 版心 turned: the 订口 on top
TABLE_TWIPS = round(225 / 25.4 * 1440)  # the landscape 版心 width, 225 mm
WIDE_HEAD = "统一社会信用代码"  # a column of the example's wide table: its pages are the landscape ones

needs_libreoffice = pytest.mark.skipif(soffice() is None, reason="LibreOffice not installed")


@pytest.fixture(scope="module")
def built(documents) -> dict:
    """Return the example's annexes and packet (built once per session)."""
    return documents.landscape()


@pytest.fixture(scope="module")
def rendered(documents, built) -> dict:
    """Return the wide annex and the packet rendered with LibreOffice (once per session)."""
    return {"annex": documents.pdf(built["annexes"][0]), "packet": documents.pdf(built["packet"])}


def _write(tmp_path: Path, text: str, name: str = "annex.yml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _xp(element, path: str) -> list:
    return etree.XPath(path, namespaces=XPATH_NS)(element)


def _rotations(footer) -> list[str]:
    return _xp(footer._element, ".//wps:bodyPr/@vert")


def _has_page_field(footer) -> bool:
    return "PAGE" in "".join(_xp(footer._element, ".//w:instrText/text()"))


def _assert_landscape(section) -> None:
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert abs(section.page_width.mm - 297) < 0.05 and abs(section.page_height.mm - 210) < 0.05
    for side, mm in MARGINS.items():
        assert abs(getattr(section, f"{side}_margin").mm - mm) < 0.05, side
    assert not section.different_first_page_header_footer
    # Both turned clockwise on the left edge (the page is bound top to the portrait left, odd and even alike),
    # the number right-aligned (odd: near the bottom) or left-aligned (even: near the top), 1 character in.
    for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
        assert _rotations(footer) == ["vert"]
        assert _xp(footer._element, ".//wp:positionH/@relativeFrom | .//wp:positionV/@relativeFrom") == ["page"] * 2
        assert _xp(footer._element, ".//wp:positionH/wp:posOffset/text()") == [str(round((297 - 269 - 14 * 25.4 / 72 - 1) * 36000))]
        assert _has_page_field(footer)
        box = _xp(footer._element, ".//w:txbxContent")
        assert len(box) == 1 and "—" in "".join(_xp(box[0], ".//w:t/text()"))
        assert _xp(box[0], ".//w:jc/@w:val") == [align] and _xp(box[0], ".//w:ind/@w:" + align + "Chars") == ["100"]


# When an annex turns -------------------------------------------------------------------------------
def test_a_table_of_more_than_8_columns_turns_its_annex_and_8_do_not(tmp_path):
    columns = ", ".join(f"列{i}" for i in range(1, 10))
    wide = _write(tmp_path, f"number: 1\ntitle: 表\nbody:\n  - table:\n      columns: [{columns}]\n"
                            f"      rows: [[{', '.join('x' * 9)}]]\n")
    assert load_annex(wide).landscape
    assert load_annex(WIDE_ANNEX).landscape  # a form annex of 10 columns
    assert not load_annex(INPUTS / "annex2.yaml").landscape  # 8 columns
    assert not load_annex(INPUTS / "annex1.yaml").landscape  # a 4-column table in a body


def test_the_landscape_flag_asks_for_it_or_keeps_a_wide_table_upright(tmp_path):
    narrow = _write(tmp_path, "number: 1\ntitle: 表\nlandscape: true\nbody: [正文]\n", "narrow.yml")
    assert load_annex(narrow).landscape
    text = WIDE_ANNEX.read_text(encoding="utf-8") + "landscape: false\n"
    assert not load_annex(_write(tmp_path, text, "upright.yml")).landscape


@pytest.mark.parametrize("text", ["number: 1\ntitle: 表\nlandscape: maybe\nbody: [正文]\n",
                                  "number: 2\ntitle: 表\ncolumns: [序号, 姓名]\nlandscape: maybe\n"],
                         ids=["body", "form"])
def test_landscape_maybe_is_an_error_naming_the_field(tmp_path, text):
    with pytest.raises(InputError) as caught:
        load_annex(_write(tmp_path, text))
    assert [e.field for e in caught.value.errors] == ["landscape"]
    assert "true" in caught.value.errors[0].message


def test_lines_above_and_below_a_form_leave_its_excel_form_alone(tmp_path):
    text = (INPUTS / "annex2.yaml").read_text(encoding="utf-8")
    extended = _write(tmp_path, text + "landscape: true\nabove: [填报单位（盖章）：]\nbelow: [注：请如实填写。]\n")
    assert load_form_spec(extended) == load_form_spec(INPUTS / "annex2.yaml")
    blocks = load_annex(extended).blocks
    assert [b.kind for b in blocks] == ["text", "table", "text"]
    assert (blocks[0].text, blocks[-1].text) == ("填报单位（盖章）：", "注：请如实填写。")


# The Word files ------------------------------------------------------------------------------------
def test_the_standalone_wide_annex_is_landscape_with_turned_page_numbers(built):
    document = docx.Document(built["annexes"][0])
    assert len(document.sections) == 1 and document.settings.odd_and_even_pages_header_footer
    _assert_landscape(document.sections[0])
    texts = [p.text for p in document.paragraphs]
    assert "推荐单位（盖章）：" in texts and any(t.startswith("注：") for t in texts)
    table = document.tables[0]
    assert len(table.columns) == 10 and table.cell(0, 3).text == WIDE_HEAD
    assert table._tbl.tblPr.find(qn("w:tblW")).get(qn("w:w")) == str(TABLE_TWIPS)


def test_the_narrow_annex_stays_portrait(built):
    section = docx.Document(built["annexes"][1]).sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT and _rotations(section.footer) == []


def test_the_packet_turns_only_the_wide_annex_and_numbers_run_on(built):
    packet = docx.Document(built["packet"])
    first, turned, after = packet.sections
    assert [s.orientation for s in packet.sections] == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT]
    assert first.different_first_page_header_footer  # 信函格式: no number on page 1
    _assert_landscape(turned)
    assert not after.different_first_page_header_footer
    assert abs(after.page_width.mm - 210) < 0.05 and abs(after.top_margin.mm - 37) < 0.05
    for footer, align in ((after.footer, "right"), (after.even_page_footer, "left")):
        assert _rotations(footer) == [] and _has_page_field(footer)
        assert _xp(footer._element, ".//w:jc/@w:val") == [align]
    assert packet.element.body.xpath(".//w:pgNumType[@w:start]") == []
    wide = [t for t in packet.tables if len(t.columns) == 10]
    assert len(wide) == 1 and wide[0]._tbl.tblPr.find(qn("w:tblW")).get(qn("w:w")) == str(TABLE_TWIPS)
    body = list(packet.element.body)
    colophon = next(t for t in body if t.tag == qn("w:tbl") and t.find(qn("w:tblPr")).find(qn("w:tblpPr")) is not None)
    assert body.index(colophon) > body.index(wide[0]._tbl)  # the 版记 last, in the portrait section


def test_landscape_outputs_build_to_identical_bytes(built, tmp_path):
    again = build_annexes(load_notice(EXAMPLE), tmp_path)
    for first, name in zip(built["annexes"], (a.file_name for a in again)):
        assert first.read_bytes() == (tmp_path / name).read_bytes(), name
    assert build_packet(EXAMPLE, tmp_path).read_bytes() == built["packet"].read_bytes()


# On the rendered pages ------------------------------------------------------------------------------
def _landscape_expected(pdf: Path) -> list[bool]:
    """Return, page by page, whether the page holds the wide table (and so should be landscape)."""
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [WIDE_HEAD in re.sub(r"\s+", "", page) for page in text.split("\f")[:-1]]


@needs_libreoffice
@pytest.mark.libreoffice
def test_rendered_packet_turns_the_table_pages_and_numbers_them_in_place(rendered):
    pdf = rendered["packet"]
    expected = _landscape_expected(pdf)
    turned = [n for n, flag in enumerate(expected, start=1) if flag]
    assert {n % 2 for n in turned} == {0, 1}, turned  # both an odd and an even landscape page
    assert not expected[-1] and not expected[0]  # portrait again after it
    assert pdf_landscape_pages(pdf, expected) == []
    assert pdf_landscape_page_numbers(pdf) == []
    assert pdf_landscape_layout(pdf) == []
    numbers = [page.get("number") for page in measure_landscape(pdf)]
    assert numbers == [None] + list(range(2, len(expected) + 1))


@needs_libreoffice
@pytest.mark.libreoffice
def test_rendered_annex_is_all_landscape_with_a_table_as_wide_as_the_block(rendered):
    pdf = rendered["annex"]
    pages = len(_landscape_expected(pdf))
    assert pages >= 2
    assert pdf_landscape_pages(pdf, [True] * pages) == []
    assert pdf_landscape_page_numbers(pdf) == [] and pdf_landscape_layout(pdf) == []
    found = rules(dark_mask(load_pdf(pdf).raster(1)))
    assert found and all(abs(r.x0 - 35) < 1 and abs(r.x1 - 260) < 1 for r in found)


def _edit(docx_path: Path, out: Path, edit) -> Path:
    """Copy a .docx, passing each XML member's text through edit(name, text)."""
    with zipfile.ZipFile(docx_path) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.endswith(".xml"):
                data = edit(item.filename, data.decode("utf-8")).encode("utf-8")
            target.writestr(item, data)
    return out


def _swap_footers(name: str, text: str) -> str:
    if name != "word/document.xml":
        return text
    return text.replace('w:type="default"', 'w:type="@"').replace('w:type="even"', 'w:type="default"').replace(
        'w:type="@"', 'w:type="even"')


def _upright(name: str, text: str) -> str:
    return re.sub(r'<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>', '<w:pgSz w:w="11906" w:h="16838"/>', text)


def _shift_numbers(name: str, text: str) -> str:
    if "txbxContent" not in text:
        return text
    return re.sub(r"(<wp:positionH relativeFrom=\"page\"><wp:posOffset>)(\d+)",
                  lambda m: m.group(1) + str(int(m.group(2)) - 5 * 36000), text)


def _right_edge_counter_clockwise(name: str, text: str) -> str:
    if "txbxContent" not in text:
        return text
    text = re.sub(r"(<wp:positionH relativeFrom=\"page\"><wp:posOffset>)(\d+)", lambda m: m.group(1) + str(269 * 36000), text)
    return text.replace('vert="vert"', 'vert="vert270"')


AHEAD = Ahead()  # every document rendered below, all in one soffice run
EDITS = [_swap_footers, _upright, _shift_numbers, _right_edge_counter_clockwise]
AHEAD.add(lambda documents, folder: [_edit(documents.landscape()["annexes"][0], folder / f"{n}.docx", edit)
                                     for n, edit in enumerate(EDITS)])


@needs_libreoffice
@pytest.mark.libreoffice
@pytest.mark.parametrize(("edit", "check", "fault"), [
    (_swap_footers, pdf_landscape_page_numbers,  # the odd page's number end, 1 character in from the right
     {"page": 1, "element": "page_number", "code": "page_number_position", "want": "179.06 ± 1.5 毫米"}),
    (_upright, lambda pdf: pdf_landscape_pages(pdf, [True] * len(_landscape_expected(pdf))),
     {"page": 1, "element": "page", "code": "orientation", "want": "横向"}),
    (_shift_numbers, pdf_landscape_page_numbers,  # the number's top, 7 mm below the 版心
     {"page": 1, "element": "page_number", "code": "page_number_position", "want": "269 ± 1.5 毫米"}),
    (_right_edge_counter_clockwise, pdf_landscape_page_numbers,
     {"page": 1, "element": "page_number", "code": "orientation", "want": "顺时针旋转（自上而下读）"}),
], ids=["odd-and-even-swapped", "page-upright", "numbers-5-mm-off", "right-edge-counter-clockwise"])
def test_the_ruler_reports_a_broken_copy(documents, built, tmp_path, edit, check, fault):
    broken = _edit(built["annexes"][0], tmp_path / "broken.docx", edit)
    faults = check(AHEAD.render(documents, broken, tmp_path / "broken.pdf"))
    assert has(faults, **fault), faults


def issued_wide_table(folder: Path) -> Path:
    """Write the issued example whose plan has a 10-column table; return its .docx."""
    columns = ["序号", "单位", "项目", "负责人", "电话", "开始", "结束", "经费", "来源", "备注"]
    table = {"table": {"columns": columns, "rows": [[str(i)] + ["县局"] * 9 for i in range(1, 4)]}}
    example_copy(folder, "parts/patent_plan.yaml", lambda data: data["body"].append(table))
    return build_notice(folder / "issued_plan_notice.yaml", folder / "out")


AHEAD.add(lambda documents, folder: [issued_wide_table(folder)])


@pytest.mark.libreoffice
def test_an_issued_document_with_a_wide_table_goes_on_landscape_pages_and_the_colophon_stays_portrait(documents,
                                                                                                       tmp_path):
    """印发 a plan with a 10-column table: the plan's pages turn landscape, the 版记 comes after on a portrait page."""
    built = issued_wide_table(tmp_path)
    document = docx.Document(built)
    assert [s.orientation for s in document.sections] == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT]
    wide = [t for t in document.tables if t.rows[0].cells[0].text == "序号"]
    assert [round(int(t._tbl.tblPr.find(qn("w:tblW")).get(qn("w:w"))) / 56.69) for t in wide] == [225]
    pdf = AHEAD.render(documents, built, tmp_path / "out" / "plan.pdf")  # skips without LibreOffice
    pages = len(read_pages(pdf))
    assert pdf_landscape_pages(pdf, [False] + [True] * (pages - 2) + [False]) == []
    assert pdf_landscape_page_numbers(pdf) == []
    assert "抄送" in subprocess.run(["pdftotext", "-f", str(pages), "-l", str(pages), str(pdf), "-"],
                                  capture_output=True, text=True, check=True).stdout


def wide_annex_last(folder: Path) -> Path:
    """Write the landscape example with only its wide annex, last in the packet; return the packet."""
    notice = example_copy(folder, EXAMPLE.name, lambda data: data.update(annexes=data["annexes"][:1]))
    return build_packet(notice, folder / "out")


AHEAD.add(lambda documents, folder: [wide_annex_last(folder)])


@pytest.mark.libreoffice
def test_a_landscape_last_annex_leaves_the_colophon_on_a_portrait_page(documents, tmp_path):
    """With the wide annex last in the packet, the 版记 still gets a portrait page of its own after it."""
    packet = wide_annex_last(tmp_path)
    pdf = AHEAD.render(documents, packet, tmp_path / "out" / "packet.pdf")  # skips without LibreOffice
    pages = read_pages(pdf)
    assert pdf_landscape_pages(pdf, [False] * 3 + [True] * (len(pages) - 4) + [False]) == []
    last = subprocess.run(["pdftotext", "-f", str(len(pages)), "-l", str(len(pages)), str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "抄送" in last
