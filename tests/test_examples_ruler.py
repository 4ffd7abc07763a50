"""Measure the example notices (joint, 签发人, seals, 代章, issued document, 命令, 纪要) with the ruler, and prove it bites."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lxml import etree

from example_data import example_copy
from docx_surgery import broken_copy, check_params, paragraph_with, set_font
from finding_fields import has, keys, matching, measured

from pipeline.check import ruler
from pipeline.notice.notice import build_notice
from renders import render as render_one, render_all

EXAMPLES = Path(__file__).resolve().parent.parent / "inputs" / "examples"
CASES = {"county": "county_metrology_notice.yaml", "joint_request": "joint_request.yaml",
         "joint_seals": "joint_notice_with_seals.yaml", "issued": "issued_plan_notice.yaml", "order": "order.yaml",
         "minutes": "minutes.yaml", "colophon_addressee": None}
W = ruler.W_NS
NS = {"w": W, "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"}
EMU_MM = ruler.EMU_PER_MM

DOCX_CHECKS = (ruler.docx_page, ruler.docx_number, ruler.docx_head, ruler.docx_joint_mark, ruler.docx_signers,
               ruler.docx_title, ruler.docx_main_text, ruler.docx_grid, ruler.docx_attendance, ruler.docx_annex_note,
               ruler.docx_issued, ruler.docx_page_numbers, ruler.docx_colophon, ruler.docx_colophon_addressee,
               ruler.docx_theme_fonts)
PDF_CHECKS = (ruler.pdf_pages, ruler.pdf_fonts, ruler.pdf_head, ruler.pdf_joint_mark, ruler.pdf_signers,
              ruler.pdf_title, ruler.pdf_main_found, ruler.pdf_body_x_range, ruler.pdf_body_pitch,
              ruler.pdf_chars_per_line, ruler.pdf_attendance, ruler.pdf_signature, ruler.pdf_seals,
              ruler.pdf_joint_signature, ruler.pdf_proxy_seal, ruler.pdf_signed_by, ruler.pdf_issued,
              ruler.pdf_page_numbers, ruler.pdf_colophon, ruler.pdf_colophon_addressee)

# (case, check) -> the generator defect the ruler measures (xfail strict: the test fails once it is fixed)
KNOWN_DEFECTS: dict[tuple[str, str], str] = {}


class Built:
    """The examples as the session built and rendered them (conftest.Documents), and their data as the ruler reads it."""

    def __init__(self, documents):
        self.documents, self.data = documents, {}

    def get_data(self, case: str) -> dict:
        """Return the case's data as the ruler reads it."""
        if case not in self.data:
            self.data[case] = ruler.load_notice(self.documents.source(case))
        return self.data[case]

    def get_docx(self, case: str) -> Path:
        """Return the case's .docx (built once per session)."""
        return self.documents.notice(case)

    def get_pdf(self, case: str) -> Path:
        """Return the case's PDF (rendered once per session)."""
        return self.documents.pdf(self.get_docx(case))


CURRENT: list[Built] = []


@pytest.fixture(scope="module")
def built(documents) -> Built:
    """Return the examples built and rendered once per session."""
    CURRENT[:] = [Built(documents)]
    return CURRENT[0]


@pytest.mark.parametrize(("case", "check"), check_params(CASES, DOCX_CHECKS, KNOWN_DEFECTS))
def test_docx_meets_the_standard(built, case, check):
    """Each .docx rule holds for each example."""
    data = built.get_data(case)
    assert check(ruler.Docx(built.get_docx(case)), data["format"], data) == []


@pytest.mark.libreoffice
@pytest.mark.parametrize(("case", "check"), check_params(CASES, PDF_CHECKS, KNOWN_DEFECTS))
def test_pdf_meets_the_standard(built, case, check):
    """Each rule measured on the rendered page holds for each example."""
    data = built.get_data(case)
    assert check(built.get_pdf(case), data["format"], data) == []


@pytest.mark.libreoffice
@pytest.mark.parametrize("case", list(CASES))
def test_every_expected_text_is_printed_in_order(built, case):
    """Every expected paragraph (signatures, 代章, titles, attendance, issued document, 版记) is in the PDF, in order."""
    pdf = ruler.load_pdf(built.get_pdf(case))
    missing = [item.text for item, lines in ruler.matched_lines(pdf, built.get_data(case)) if not lines]
    assert missing == []


# --- the new checks are not vacuous: they find what they measure -----------------------------------
@pytest.mark.libreoffice
def test_ruler_finds_two_seals_on_two_names(built):
    """Two round ~42 mm seals, each on its name, the body's last line within one line above them."""
    got = ruler.signature_figures(built.get_pdf("joint_seals"), built.get_data("joint_seals"))
    assert len(got["seals"]) == 2 and len(got["names"]) == 2
    assert all(38 < x1 - x0 < 46 and 38 < y1 - y0 < 46 for x0, y0, x1, y1 in got["seals"])


@pytest.mark.libreoffice
def test_ruler_finds_the_issued_document_on_a_later_page(built):
    """The issued title is on a page after the signature; the 版记 on the last page."""
    got = ruler.issued_figures(built.get_pdf("issued"), built.get_data("issued"))
    assert got["issued_title_page"] > got["date_page"] and got["print_date_page"] == got["pages"]


@pytest.mark.libreoffice
def test_ruler_finds_the_joint_mark_stack(built):
    """The joint mark's red ink spans two stacked names plus the word."""
    got = ruler.mark_figures(built.get_pdf("joint_request"), "文件格式", built.get_data("joint_request"))
    top, bottom = got["mark_rows"]
    assert bottom - top > 20  # two lines of a 36 pt mark


# --- the ruler bites: broken copies are caught ----------------------------------------------------
def ppr_of(p):
    """Return a paragraph's pPr, created when missing."""
    ppr = p.find("w:pPr", NS)
    if ppr is None:
        ppr = etree.SubElement(p, f"{{{W}}}pPr")
        p.insert(0, ppr)
    return ppr


def shift_anchor(name: str, axis: str, mm: float, index: int = -1):
    """Return a change that moves the index-th drawing named name by mm along positionH or positionV."""

    def change(root):
        anchors = [a for a in root.iter(f"{{{NS['wp']}}}anchor") if a.find("wp:docPr", NS).get("name") == name]
        offset = anchors[index].find(f"wp:position{axis}/wp:posOffset", NS)
        offset.text = str(int(offset.text) + round(mm * EMU_MM))

    return change


BROKEN: list[tuple[str, object, str]] = []  # (case, change, part) of every broken copy a test renders
MADE: list = []  # make(built, folder) -> .docx files: every other document a test here renders
AHEAD: list[bool] = []  # [True] once they are rendered


def breaks(case: str, part: str = "word/document.xml"):
    """Register a change of a case's .docx whose rendered copy a test measures (rendered with all others)."""

    def register(change):
        BROKEN.append((case, change, part))
        return change

    return register


def made(make):
    """Register a function that writes documents a test renders (rendered with all others)."""
    MADE.append(make)
    return make


def render_ahead(built) -> None:
    """Render every document the tests of this module measure in one soffice run (once per session); a test then
    makes its own document again, the same bytes, and finds its PDF in the cache."""
    if AHEAD:
        return
    folder = built.documents.root / "examples_ruler_ahead"
    folder.mkdir()
    docxs = built.documents.all_docx()  # and the session's own documents, in the same soffice run
    docxs += [broken_copy(built.get_docx(case), folder / f"{n}.docx", change, part)
              for n, (case, change, part) in enumerate(BROKEN)]
    for n, make in enumerate(MADE):
        (folder / f"made{n}").mkdir()
        docxs += make(built, folder / f"made{n}")
    render_all(docxs)
    AHEAD.append(True)


def render(docx: Path) -> Path:
    """Return the PDF of a .docx this module's tests measure (rendered ahead with the others)."""
    render_ahead(CURRENT[0])
    return render_one(docx)


def broken_pdf(built, case: str, tmp_path: Path, change, part: str = "word/document.xml") -> Path:
    """Render a copy of the case's .docx altered by change."""
    return render(broken_copy(built.get_docx(case), tmp_path / f"{case}.docx", change, part))


def found(check, pdf: Path, built, case: str) -> list[ruler.Finding]:
    """Return a check's findings on a PDF."""
    data = built.get_data(case)
    return check(pdf, data["format"], data)


@breaks("joint_seals")
def lower_seals(root):
    shift_anchor("印章", "V", 15, 0)(root)
    shift_anchor("印章", "V", 15, 1)(root)


@pytest.mark.libreoffice
def test_ruler_catches_a_seal_moved_down(built, tmp_path):
    """Seals lowered 15 mm leave the body more than one line above them and the names above their centres."""
    pdf = broken_pdf(built, "joint_seals", tmp_path, lower_seals)
    got = found(ruler.pdf_seals, pdf, built, "joint_seals")
    assert has(got, element="seal", code="spacing")  # the seals' top more than one line below the body
    # the names' centres above the seals' centres: the centre-y finding measures in mm (not under a seal: found 未压)
    assert any(f.found.endswith("毫米") for f in matching(got, element="seal", code="seal_cover"))


SEAL_22_MM_LEFT = breaks("joint_seals")(shift_anchor("印章", "H", -22, 1))
SEAL_25_MM_RIGHT = breaks("joint_seals")(shift_anchor("印章", "H", 25, 1))
STAMP_8_MM_LOWER = breaks("order")(shift_anchor("签名章", "V", 8))


@pytest.mark.libreoffice
def test_ruler_catches_seals_touching(built, tmp_path):
    """The second seal moved 22 mm left runs into the first: one red blob, not two seals."""
    pdf = broken_pdf(built, "joint_seals", tmp_path, SEAL_22_MM_LEFT)
    got = found(ruler.pdf_seals, pdf, built, "joint_seals")
    assert ("seal", "count") in keys(got)  # not two seals
    assert any(f.found.endswith("毫米") for f in matching(got, element="seal", code="overlap"))  # one blob, W × H mm


@pytest.mark.libreoffice
def test_ruler_catches_a_seal_outside_the_text_block(built, tmp_path):
    """A seal pushed 25 mm right crosses the 版心's right edge (184 mm)."""
    pdf = broken_pdf(built, "joint_seals", tmp_path, SEAL_25_MM_RIGHT)
    assert has(found(ruler.pdf_seals, pdf, built, "joint_seals"), element="seal", code="outside_text_area")


@breaks("joint_request")
def mark_word_on_top(root):
    cell = next(tc for tc in root.iter(f"{{{W}}}tc") if ruler.squash("".join(tc.itertext())) == "文件")
    cell.find("w:tcPr/w:vAlign", NS).set(f"{{{W}}}val", "top")


@pytest.mark.libreoffice
def test_ruler_catches_the_joint_mark_word_off_centre(built, tmp_path):
    """The word 文件 aligned to the top of its cell is no longer centred on the stacked names."""
    got = found(ruler.pdf_joint_mark, broken_pdf(built, "joint_request", tmp_path, mark_word_on_top), built,
                "joint_request")
    word = [f for f in matching(got, element="mark", code="alignment") if f.want != "各行中心相同"]
    assert word  # the word's vertical centre against the stacked names (not the names against each other)


@breaks("joint_request")
def drop_second_name(root):
    second = next(p for p in root.iter(f"{{{W}}}p") if ruler.squash(ruler.para_text(p)) == "江宁县财政局")
    second.getparent().remove(second)


@pytest.mark.libreoffice
def test_ruler_catches_a_joint_mark_missing_a_name(built, tmp_path):
    """A joint mark that lost its second name is no stack of two."""
    got = found(ruler.pdf_joint_mark, broken_pdf(built, "joint_request", tmp_path, drop_second_name), built,
                "joint_request")
    assert has(got, element="mark", code="count", found="1 行", want="2 行")


@breaks("order")
def lower_order_mark(root):
    sect = root.find(".//w:body/w:sectPr/w:pgMar", NS)
    sect.set(f"{{{W}}}top", str(int(sect.get(f"{{{W}}}top")) + round(10 / ruler.MM_PER_PT * 20)))


@pytest.mark.libreoffice
def test_ruler_catches_a_mark_moved_in_an_order(built, tmp_path):
    """An order's mark pushed 10 mm down is measured off 57 mm."""
    got = found(ruler.pdf_head, broken_pdf(built, "order", tmp_path, lower_order_mark), built, "order")
    assert 60 <= measured(got, element="mark", code="position", want="57 ± 2 毫米") < 70  # the mark's top edge


@breaks("joint_request")
def number_on_its_own_line(root):
    p = paragraph_with(root, "签发人：")
    tab = [r for r in p.findall("w:r", NS) if r.find("w:tab", NS) is not None][-1]  # the one after the number
    tab.find("w:tab", NS).tag = f"{{{W}}}br"


@pytest.mark.libreoffice
def test_ruler_catches_the_number_off_the_signer_line(built, tmp_path):
    """A 发文字号 pushed onto its own line above the 签发人 no longer shares their baseline."""
    got = found(ruler.pdf_signers, broken_pdf(built, "joint_request", tmp_path, number_on_its_own_line), built,
                "joint_request")
    assert has(got, element="number", code="alignment")  # not on the last 签发人 line's baseline


def fangsong_in(label: str):
    """Return a change that sets the runs of the paragraph holding label in 仿宋."""

    def fangsong(root):
        for run in paragraph_with(root, label).findall("w:r", NS):
            set_font(run, "仿宋_GB2312")

    return fangsong


FANGSONG = {label: breaks(case)(fangsong_in(label)) for case, label in (("joint_request", "签发人："), ("minutes", "出席："))}


@pytest.mark.libreoffice
@pytest.mark.parametrize(("case", "label", "docx_check", "docx_fault", "pdf_check", "pdf_fault"), [
    ("joint_request", "签发人：", ruler.docx_signers,
     ({"element": "signer", "code": "font", "found": "仿宋_GB2312", "want": "楷体/楷体_GB2312"}, 2),  # each name
     ruler.pdf_signers, {"element": "signer", "code": "font", "want": "楷体"}),
    ("minutes", "出席：", ruler.docx_attendance,
     ({"element": "body", "code": "font", "found": "仿宋_GB2312", "want": "黑体"}, 1),  # the label
     ruler.pdf_attendance, {"element": "body", "code": "font", "found": "UMingCN（仿宋）", "want": "黑体"}),
], ids=["signer_names", "attendance_label"])
def test_ruler_catches_a_line_set_in_fangsong(built, tmp_path, case, label, docx_check, docx_fault, pdf_check,
                                              pdf_fault):
    """签发人 names or an 出席： label set in 仿宋 are reported in the .docx and on the page."""
    broken = broken_copy(built.get_docx(case), tmp_path / "x.docx", FANGSONG[label])
    data = built.get_data(case)
    fields, count = docx_fault
    assert len(matching(docx_check(ruler.Docx(broken), data["format"], data), **fields)) == count
    assert has(found(pdf_check, render(broken), built, case), **pdf_fault)


@breaks("minutes")
def attendance_flush(root):
    ind = etree.SubElement(ppr_of(paragraph_with(root, "出席：")), f"{{{W}}}ind")
    for attr in ("left", "leftChars", "hanging", "hangingChars", "firstLine", "firstLineChars"):
        ind.set(f"{{{W}}}{attr}", "0")


@pytest.mark.libreoffice
def test_ruler_catches_attendance_lines_not_aligned_after_the_colon(built, tmp_path):
    """An 出席 paragraph without its hanging indent wraps to the margin."""
    got = found(ruler.pdf_attendance, broken_pdf(built, "minutes", tmp_path, attendance_flush), built, "minutes")
    starts = {f.want for f in matching(got, element="body", code="indent")}
    assert {"39.29 ± 1.5 毫米", "56.22 ± 1.5 毫米"} <= starts  # the first line at 2 characters, wrapped after 出席：


def unbreak(root):
    for flag in list(root.iter(f"{{{W}}}pageBreakBefore")):
        flag.getparent().remove(flag)


def issued_without_seals(built, folder: Path) -> tuple[Path, Path, Path]:
    """Write the issued example without seal, 代章 line and 公开方式; return its data file, its .docx and a copy of
    that .docx without the page breaks."""
    short = example_copy(folder, "issued_plan_notice.yaml",
                         lambda data: [data.pop(key) for key in ("seals", "proxy_seal", "publication")])
    whole = build_notice(short, folder / "out")
    return short, whole, broken_copy(whole, folder / "x.docx", unbreak)


made(lambda built, folder: list(issued_without_seals(built, folder)[1:]))


@pytest.mark.libreoffice
def test_ruler_catches_the_issued_document_without_its_page_break(built, tmp_path):
    """The issued title without its page break follows the notice on the same page.

    The copy is built without seal and 代章 line, so that page 1 has room left for the title to move up.
    """
    short, whole, broken = issued_without_seals(built, tmp_path)
    data = ruler.load_notice(short)
    assert ruler.pdf_issued(render(whole), "文件格式", data) == []
    assert has(ruler.docx_issued(ruler.Docx(broken), "文件格式", data), element="title", code="new_page")
    assert has(ruler.pdf_issued(render(broken), "文件格式", data), element="title", code="new_page")


@breaks("issued")
def lower_proxy_line(root):
    spacing = etree.SubElement(ppr_of(paragraph_with(root, "代章）")), f"{{{W}}}spacing")
    spacing.set(f"{{{W}}}before", "579")


@pytest.mark.libreoffice
def test_ruler_catches_the_proxy_line_a_line_too_low(built, tmp_path):
    """A 代章 line with a blank line above it is not on the line under the 署名."""
    got = found(ruler.pdf_proxy_seal, broken_pdf(built, "issued", tmp_path, lower_proxy_line), built, "issued")
    assert has(got, element="signature", code="spacing")  # pdf_proxy_seal measures only the line after the name


@pytest.mark.libreoffice
def test_ruler_catches_the_stamp_off_its_title(built, tmp_path):
    """A signature stamp lowered 8 mm is no longer centred on the signer's title."""
    pdf = broken_pdf(built, "order", tmp_path, STAMP_8_MM_LOWER)
    assert has(found(ruler.pdf_signed_by, pdf, built, "order"), element="signature", code="alignment")


@breaks("joint_request")
def joint_name_flush_right(root):
    p = next(p for p in reversed(list(root.iter(f"{{{W}}}p")))
             if ruler.squash(ruler.para_text(p)) == "江宁县财政局")
    ind = ppr_of(p).find("w:ind", NS)
    ind.getparent().remove(ind) if ind is not None else None
    jc = ppr_of(p).find("w:jc", NS)
    (jc if jc is not None else etree.SubElement(ppr_of(p), f"{{{W}}}jc")).set(f"{{{W}}}val", "right")


@pytest.mark.libreoffice
def test_ruler_catches_a_joint_name_at_the_margin(built, tmp_path):
    """The second joint name flush right (no 2-character indent) is reported."""
    got = found(ruler.pdf_joint_signature, broken_pdf(built, "joint_request", tmp_path, joint_name_flush_right), built,
                "joint_request")
    assert any(f.want.startswith("≤") for f in matching(got, element="signature", code="position"))


def test_ruler_catches_a_rule_between_colophon_addressees_and_copy_to(built, tmp_path):
    """A 版记 whose 主送 line has a visible bottom border is reported in the .docx."""

    def rule(root):
        paragraph = paragraph_with(root, "主送：")
        ppr = paragraph.find("w:pPr", NS)
        borders = etree.SubElement(ppr, f"{{{W}}}pBdr")
        etree.SubElement(borders, f"{{{W}}}bottom", {f"{{{W}}}val": "single", f"{{{W}}}sz": "6"})

    broken = broken_copy(built.get_docx("colophon_addressee"), tmp_path / "x.docx", rule)
    data = built.get_data("colophon_addressee")
    got = ruler.docx_colophon_addressee(ruler.Docx(broken), "文件格式", data)
    assert [(f.element, f.code) for f in got] == [("colophon", "extra")]


def test_expected_numbering_of_n_items_and_explicit_numbers():
    """n-items share counters with headings; an explicit standard number sets the counter, others leave it."""
    body = [{"h1": "甲"}, {"n2": "乙。"}, {"n2": "丙。", "number": "（五）"}, {"n2": "丁。"}, {"h1": "戊"},
            {"n2": "己。"}, {"n3": "庚。", "number": "(a) "}, {"n3": "辛。"}]
    texts = [e.text for e in ruler.expected_sequence({"format": "文件格式", "authority": "甲局", "body": body,
                                                      "date": "2024-01-02"}) if e.kind == "body"]
    assert texts == ["一、甲", "（一）乙。", "（五）丙。", "（六）丁。", "二、戊", "（一）己。", "(a) 庚。", "1.辛。"]


def test_issued_copy_of_a_notice_reads_its_part(tmp_path):
    """load_notice reads the issued document's data file relative to the notice."""
    shutil.copytree(EXAMPLES / "parts", tmp_path / "parts")
    shutil.copy(EXAMPLES / CASES["issued"], tmp_path / "n.yaml")
    data = ruler.load_notice(tmp_path / "n.yaml")
    assert data["issued"]["title"] == "江宁县2024年专利转化运用专项行动工作方案"


def sealed_longer(folder: Path, extra: int) -> tuple[Path, Path]:
    """Write the sealed joint notice with extra body lines; return its data file and .docx."""
    folder.mkdir(parents=True, exist_ok=True)
    longer = example_copy(folder, "joint_notice_with_seals.yaml", lambda data: data.update(
        body=data["body"][:-1] + ["各单位要按时报送有关材料。"] * extra + data["body"][-1:]))
    return longer, build_notice(longer, folder / "out")


EXTRA_LINES = [11, 12, 13]
made(lambda built, folder: [sealed_longer(folder / str(extra), extra)[1] for extra in EXTRA_LINES])


@pytest.mark.libreoffice
@pytest.mark.parametrize("extra", EXTRA_LINES)
def test_seal_and_date_never_start_a_page_alone(built, tmp_path, extra):
    """Lengthen the sealed joint notice line by line: when the signature block no longer fits page 2 it moves
    to page 3 with the body's last paragraph, so the seals always have body text within a line above them."""
    longer, docx = sealed_longer(tmp_path, extra)
    pdf = render(docx)
    data = ruler.load_notice(longer)
    assert ruler.pdf_seals(pdf, "文件格式", data) == []
    assert ruler.pdf_page_numbers(pdf, "文件格式", data) == []


def signed_by(folder: Path, signers: list[str]) -> tuple[Path, Path]:
    """Write the joint request with these 签发人; return its data file and .docx."""
    folder.mkdir(parents=True, exist_ok=True)
    path = example_copy(folder, "joint_request.yaml", lambda data: data.update(signers=signers))
    return path, build_notice(path, folder / "out")


SIGNERS = [["王建国", "李明华", "张伟"], ["王建国", "李明华", "张伟", "赵晓燕", "陈"]]
made(lambda built, folder: [signed_by(folder / str(len(signers)), signers)[1] for signers in SIGNERS])


@pytest.mark.libreoffice
@pytest.mark.parametrize("signers", SIGNERS, ids=["three", "five"])
def test_several_signer_lines_keep_the_grid_and_the_number_on_the_last(built, tmp_path, signers):
    """With 3 or 5 签发人 the lines stay a grid line apart and the 发文字号 shares the last one's baseline."""
    path, docx = signed_by(tmp_path, signers)
    pdf = render(docx)
    data = ruler.load_notice(path)
    assert ruler.pdf_signers(pdf, "文件格式", data) == []
    assert ruler.pdf_head(pdf, "文件格式", data) == []
