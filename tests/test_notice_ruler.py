"""Measure the generated notices with the independent GB/T 9704 ruler (pipeline/check/), and prove the ruler bites."""

from __future__ import annotations

from pathlib import Path

import pytest

import yaml

from docx_surgery import broken_copy, check_params, paragraph_index, paragraph_with, set_font
from finding_fields import has, matching, measured

from pipeline.check import ruler
from renders import Ahead

HERE = Path(__file__).resolve().parent
SAMPLE = HERE.parent / "inputs" / "notice.yaml"
EXAMPLE = HERE.parent / "inputs" / "examples" / "county_metrology_notice.yaml"
SEED = HERE / "data" / "seed_notice.txt"
CASES = ("sample_letter", "example_document")
SAMPLE_TITLE_LINES = ["国家知识产权局办公室关于举办知识产权", "信息服务优秀案例分享活动的通知"]
W = ruler.W_NS
NS = {"w": W, "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"}

DOCX_CHECKS = (ruler.docx_page, ruler.docx_number, ruler.docx_head, ruler.docx_title, ruler.docx_main_text,
               ruler.docx_grid, ruler.docx_annex_note, ruler.docx_page_numbers, ruler.docx_colophon,
               ruler.docx_theme_fonts)
PDF_CHECKS = (ruler.pdf_pages, ruler.pdf_fonts, ruler.pdf_head, ruler.pdf_title, ruler.pdf_main_found,
              ruler.pdf_body_x_range, ruler.pdf_body_pitch, ruler.pdf_chars_per_line, ruler.pdf_signature,
              ruler.pdf_page_numbers, ruler.pdf_colophon)

KNOWN_DEFECTS: dict[tuple[str, str], str] = {}  # (document, check) -> reason, for defects not yet fixed


def load_data(path: Path) -> dict:
    """Return a notice data file as a dict."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


# --- what the generator produces ------------------------------------------------------------
@pytest.fixture(scope="module")
def sample_letter_data() -> dict:
    """Return the sample 信函格式 notice data."""
    return load_data(SAMPLE)


@pytest.fixture(scope="module")
def example_document_data() -> dict:
    """Return the example 文件格式 notice data."""
    return load_data(EXAMPLE)


@pytest.fixture(scope="module")
def sample_letter_docx(documents) -> Path:
    """Return the sample 信函格式 notice .docx (built once per session)."""
    return documents.notice("sample_letter")


@pytest.fixture(scope="module")
def example_document_docx(documents) -> Path:
    """Return the example 文件格式 notice .docx (built once per session)."""
    return documents.notice("county")


@pytest.fixture(scope="module")
def sample_letter_pdf(documents, sample_letter_docx) -> Path:
    """Return the sample letter's PDF (rendered once per session)."""
    return documents.pdf(sample_letter_docx)


@pytest.fixture(scope="module")
def example_document_pdf(documents, example_document_docx) -> Path:
    """Return the example document's PDF (rendered once per session)."""
    return documents.pdf(example_document_docx)


@pytest.mark.parametrize(("case", "check"), check_params(CASES, DOCX_CHECKS, KNOWN_DEFECTS))
def test_docx_meets_the_standard(request, case, check):
    """Each .docx rule holds for the sample letter and the example document."""
    data = request.getfixturevalue(f"{case}_data")
    doc = ruler.Docx(request.getfixturevalue(f"{case}_docx"))
    assert check(doc, data["format"], data) == []


@pytest.mark.libreoffice
@pytest.mark.parametrize(("case", "check"), check_params(CASES, PDF_CHECKS, KNOWN_DEFECTS))
def test_pdf_meets_the_standard(request, case, check):
    """Each rule measured on the rendered page holds for the sample letter and the example document."""
    data = request.getfixturevalue(f"{case}_data")
    assert check(request.getfixturevalue(f"{case}_pdf"), data["format"], data) == []


@pytest.mark.libreoffice
def test_sample_title_breaks_after_zhishichanquan(sample_letter_pdf, sample_letter_data):
    """The sample title's first line ends with 知识产权, never splitting a word."""
    assert ruler.pdf_title(sample_letter_pdf, "信函格式", sample_letter_data, SAMPLE_TITLE_LINES) == []


def test_sample_docx_text_follows_the_seed(sample_letter_docx):
    """Every line of the reference notice appears in the .docx, in order."""
    assert ruler.check_text_order(SEED, ruler.docx_text(sample_letter_docx)) == []


@pytest.mark.libreoffice
def test_sample_pdf_text_follows_the_seed(sample_letter_pdf):
    """Every line of the reference notice appears in the PDF, in order."""
    assert ruler.check_text_order(SEED, ruler.pdf_text(sample_letter_pdf)) == []


@pytest.mark.libreoffice
def test_ruler_measures_every_element_of_the_letter(sample_letter_pdf, sample_letter_data):
    """The figures the letter checks rely on are really found on the page."""
    got = ruler.measure(sample_letter_pdf, "信函格式", sample_letter_data)
    assert got["mark_ink"] and len(got["red_lines"]) == 4 and len(got["colophon_rules"]) >= 2
    assert [n for n, *_ in got["page_numbers"]] == list(range(2, len(got["page_numbers"]) + 2))
    assert len(got["full_line_chars"]) >= 5


@pytest.mark.libreoffice
def test_ruler_measures_every_element_of_the_document(example_document_pdf, example_document_data):
    """The figures the document checks rely on are really found on the page."""
    got = ruler.measure(example_document_pdf, "文件格式", example_document_data)
    assert got["mark_ink"] and len(got["red_lines"]) == 1 and len(got["colophon_rules"]) >= 2
    assert [n for n, *_ in got["page_numbers"]] == list(range(1, len(got["page_numbers"]) + 1))
    assert len(got["full_line_chars"]) >= 3


# --- the ruler is not vacuous: broken copies are caught ----------------------------------------
AHEAD = Ahead()  # the broken copies rendered below, all in one soffice run
def part_name(docx: Path, tag: str, kind: str) -> str:
    """Return the zip name of the header/footer part of a kind (default, even, first)."""
    doc = ruler.Docx(docx)
    ref = doc.sect.find(f"w:{tag}[@w:type='{kind}']", NS)
    rels = doc._rels()
    return rels[ref.get(f"{{{ruler.R_NS}}}id")]


def violations_of(path: Path, data: dict) -> list[ruler.Finding]:
    """Return every .docx finding."""
    return ruler.check_docx(path, data["format"], data)


def test_ruler_catches_a_30mm_left_margin(sample_letter_docx, sample_letter_data, tmp_path):
    """A left margin of 30 mm (订口 28 ± 1) is reported."""

    def widen(root):
        root.find(".//w:body/w:sectPr/w:pgMar", NS).set(f"{{{W}}}left", str(round(30 / ruler.MM_PER_PT * 20)))

    broken = broken_copy(sample_letter_docx, tmp_path / "x.docx", widen, "word/document.xml")
    assert has(violations_of(broken, sample_letter_data), element="page", code="margin", found="30.00 毫米",
               want="28 ± 1 毫米")


def test_ruler_catches_a_title_run_in_songti(sample_letter_docx, sample_letter_data, tmp_path):
    """A title run set directly in 宋体 is reported."""

    def songti(root):
        for run in paragraph_with(root, "关于举办").iter(f"{{{W}}}r"):
            set_font(run, "宋体")

    broken = broken_copy(sample_letter_docx, tmp_path / "x.docx", songti, "word/document.xml")
    fonts = matching(violations_of(broken, sample_letter_data), element="title", code="font")
    assert [(f.found, f.paragraph) for f in fonts] == [("宋体", paragraph_index(broken, "关于举办"))]


def test_ruler_resolves_the_title_font_through_its_style(sample_letter_docx, sample_letter_data, tmp_path):
    """A title style switched to 宋体 is reported: fonts resolve through styles."""
    title = paragraph_with(ruler.Docx(sample_letter_docx).document, "关于举办")
    sid = title.find("w:pPr/w:pStyle", NS).get(f"{{{W}}}val")

    def restyle(root):
        style = root.find(f"w:style[@w:styleId='{sid}']", NS)
        style.find("w:rPr/w:rFonts", NS).set(f"{{{W}}}eastAsia", "宋体")

    broken = broken_copy(sample_letter_docx, tmp_path / "x.docx", restyle, "word/styles.xml")
    fonts = matching(violations_of(broken, sample_letter_data), element="title", code="font")
    assert [(f.found, f.paragraph) for f in fonts] == [("宋体", paragraph_index(broken, "关于举办"))]


def test_ruler_catches_a_theme_font_in_the_default_style(sample_letter_docx, sample_letter_data, tmp_path):
    """An eastAsiaTheme in the default paragraph style is reported and overrides 仿宋."""

    def theme(root):
        normal = root.find("w:style[@w:type='paragraph'][@w:default='1']", NS)
        normal.find("w:rPr/w:rFonts", NS).set(f"{{{W}}}eastAsiaTheme", "minorEastAsia")

    found = violations_of(broken_copy(sample_letter_docx, tmp_path / "x.docx", theme, "word/styles.xml"),
                          sample_letter_data)
    assert has(found, element="fonts", code="theme_font", found="eastAsiaTheme")
    assert has(found, code="font", found="theme:minorEastAsia")


def without_in_paragraph(text: str, tag: str):
    """Return a change that removes every w:tag inside the body paragraph starting with text."""

    def change(root):
        for element in paragraph_with(root, text).iter(f"{{{W}}}{tag}"):
            element.getparent().remove(element)

    return change


def body_violations(docx: Path, data: dict, tmp_path: Path, change) -> list[ruler.Finding]:
    """Return the ruler's findings on a copy of docx whose document.xml went through change."""
    return violations_of(broken_copy(docx, tmp_path / "x.docx", change, "word/document.xml"), data)


def test_ruler_catches_a_level1_heading_in_fangsong(sample_letter_docx, sample_letter_data, tmp_path):
    """A 一、 heading sentence that lost its 黑体 is reported."""
    plain = without_in_paragraph("一、加强组织领导", "rStyle")
    found = body_violations(sample_letter_docx, sample_letter_data, tmp_path, plain)
    heading = matching(found, element="heading1", code="font", found="仿宋_GB2312", want="黑体")
    assert len(heading) == 1 and heading[0].paragraph == paragraph_index(sample_letter_docx, "一、加强组织领导")


def test_ruler_catches_a_footer_without_page_field(sample_letter_docx, sample_letter_data, tmp_path):
    """An odd-page footer without a PAGE field is reported."""

    def unfield(root):
        for el in [*root.iter(f"{{{W}}}fldChar"), *root.iter(f"{{{W}}}instrText")]:
            el.getparent().remove(el)

    part = part_name(sample_letter_docx, "footerReference", "default")
    found = violations_of(broken_copy(sample_letter_docx, tmp_path / "x.docx", unfield, part), sample_letter_data)
    assert has(found, element="page_number", code="page_number_missing", found="单页页脚无页码域")


def test_ruler_catches_a_page_number_on_the_letter_first_page(sample_letter_docx, sample_letter_data, tmp_path):
    """A letter whose first-page footer shows the page number is reported."""
    default = ruler.Docx(sample_letter_docx).sect.find("w:footerReference[@w:type='default']", NS)

    def number_first(root):
        first = root.find(".//w:body/w:sectPr/w:footerReference[@w:type='first']", NS)
        first.set(f"{{{ruler.R_NS}}}id", default.get(f"{{{ruler.R_NS}}}id"))

    found = body_violations(sample_letter_docx, sample_letter_data, tmp_path, number_first)
    assert has(found, element="page_number", code="page_number_extra", want="首页无页码")


def test_ruler_catches_missing_odd_even_footers_setting(sample_letter_docx, sample_letter_data, tmp_path):
    """Without w:evenAndOddHeaders the even footer is unused: reported."""

    def same(root):
        root.remove(root.find("w:evenAndOddHeaders", NS))

    found = violations_of(broken_copy(sample_letter_docx, tmp_path / "x.docx", same, "word/settings.xml"),
                          sample_letter_data)
    assert has(found, element="page_number", code="page_number_setting", want="奇偶页不同")


def test_ruler_catches_a_thin_colophon_top_border(example_document_docx, example_document_data, tmp_path):
    """A 版记 top line as thin as the inside line is reported."""

    def thin(root):
        table = next(t for t in root.iter(f"{{{W}}}tbl") if "抄送：" in "".join(t.itertext()))
        table.find("w:tblPr/w:tblBorders/w:top", NS).set(f"{{{W}}}sz", "6")

    found = body_violations(example_document_docx, example_document_data, tmp_path, thin)
    top = paragraph_index(example_document_docx, "抄送：")  # the first row of the 版记: its top rule
    assert has(found, element="colophon", code="rule_width", found="0.26 毫米", want="0.35 毫米", paragraph=top)
    assert has(found, element="colophon", code="rule_width", found="0.26 毫米", want="粗于 0.26 毫米", paragraph=top)


def test_ruler_catches_misaligned_annex_names(sample_letter_docx, sample_letter_data, tmp_path):
    """附件说明 names that no longer start at one x are reported."""

    untab = without_in_paragraph("附件：1.", "tab")
    found = body_violations(sample_letter_docx, sample_letter_data, tmp_path, untab)
    assert has(found, element="annex_note", code="alignment", want="各行名称对齐")


def test_ruler_catches_seed_lines_missing_or_out_of_order(sample_letter_docx):
    """Seed lines dropped or moved are reported."""
    text = ruler.docx_text(sample_letter_docx)
    dropped = ruler.check_text_order(SEED, text.replace("特此通知。", ""))
    assert [(f.element, f.code, f.want) for f in dropped] == [("body", "missing", "特此通知。")]
    swapped = text.replace("特此通知。", "").replace("（此件公开发布）", "（此件公开发布）特此通知。")
    moved = ruler.check_text_order(SEED, swapped)
    assert [(f.element, f.code, f.want) for f in moved] == [("body", "order", "特此通知。")]


def lifted_bottom_lines(docx: Path, folder: Path) -> Path:
    """Copy the letter with its bottom double lines lifted 10 mm."""

    def lift(root):
        for pos in root.iterfind(".//wp:positionV/wp:posOffset", NS):
            if int(pos.text) > ruler.PAGE_H / 2 * ruler.EMU_PER_MM:
                pos.text = str(int(pos.text) - 10 * ruler.EMU_PER_MM)

    return broken_copy(docx, folder / "x.docx", lift, part_name(docx, "headerReference", "first"))


AHEAD.add(lambda documents, folder: [lifted_bottom_lines(documents.notice("sample_letter"), folder)])


@pytest.mark.libreoffice
def test_ruler_catches_letter_bottom_lines_off_277mm(documents, sample_letter_docx, sample_letter_data, tmp_path):
    """Letter bottom double lines lifted 10 mm are measured off 277 mm."""
    pdf = AHEAD.render(documents, lifted_bottom_lines(sample_letter_docx, tmp_path))
    head = ruler.pdf_head(pdf, "信函格式", sample_letter_data)
    assert measured(head, element="red_line", code="position", want="277 ± 1.5 毫米") < 268  # the lower (thick) line


def even_number_on_the_right(docx: Path, folder: Path) -> Path:
    """Copy the document with its even-page number moved to the right."""

    def right(root):
        ppr = root.find(".//w:pPr", NS)
        ppr.find("w:jc", NS).set(f"{{{W}}}val", "right")

    return broken_copy(docx, folder / "x.docx", right, part_name(docx, "footerReference", "even"))


AHEAD.add(lambda documents, folder: [even_number_on_the_right(documents.notice("county"), folder)])


@pytest.mark.libreoffice
def test_ruler_catches_even_page_number_on_the_right(documents, example_document_docx, example_document_data,
                                                     tmp_path):
    """An even-page number moved to the right is measured off the left edge."""
    pdf = AHEAD.render(documents, even_number_on_the_right(example_document_docx, tmp_path))
    numbers = ruler.pdf_page_numbers(pdf, "文件格式", example_document_data)
    assert measured(numbers, element="page_number", code="page_number_position", page=2, want="32.94 ± 1.5 毫米") > 150


def top_margin_45_mm(root):
    root.find(".//w:body/w:sectPr/w:pgMar", NS).set(f"{{{W}}}top", str(round(45 / ruler.MM_PER_PT * 20)))


AHEAD.add(lambda documents, folder: [broken_copy(documents.notice("county"), folder / "x.docx", top_margin_45_mm)])


@pytest.mark.libreoffice
def test_ruler_catches_a_mark_pushed_down_by_the_top_margin(documents, example_document_docx, example_document_data,
                                                            tmp_path):
    """A 45 mm top margin pushes the 文件格式 mark below 72 ± 2 mm."""
    pdf = AHEAD.render(documents, broken_copy(example_document_docx, tmp_path / "x.docx", top_margin_45_mm))
    head = ruler.pdf_head(pdf, "文件格式", example_document_data)
    assert measured(head, element="mark", code="position", want="72 ± 2 毫米") > 74  # the mark's top edge

