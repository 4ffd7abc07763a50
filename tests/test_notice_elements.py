"""Test the elements beyond the reference notice in the .docx: joint marks, 签发人, seals, 签名章, 代章, 命令, 纪要, issued documents."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.text.paragraph import Paragraph
from example_data import example_copy
from paths import REPO
from PIL import Image

from pipeline.core.errors import InputError
from pipeline.notice.annexes import build_annexes_of
from pipeline.notice.notice import build_notice, load_notice
from pipeline.notice.packet import build_packet

EXAMPLES = REPO / "inputs" / "examples"
SEAL = EXAMPLES / "示例印章.png"
STAMP = EXAMPLES / "示例签名章.png"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
EMU_PER_MM = 36000
TEXT_W = 156.0
CHAR_PT = 16.0


def build(name: str, tmp_path: Path) -> docx.Document:
    return docx.Document(build_notice(EXAMPLES / name, tmp_path))


def styled(document, name: str) -> list:
    return [p for p in document.paragraphs if p.style.name == name]


def anchors(paragraph) -> list:
    return paragraph._p.findall(f".//{{{WP}}}anchor")


def box_mm(anchor) -> tuple[float, float, float, float]:
    """Return (x from the margin, y from the paragraph, width, height) of a floating picture in mm."""
    x = int(anchor.find(f"{{{WP}}}positionH/{{{WP}}}posOffset").text) / EMU_PER_MM
    y = int(anchor.find(f"{{{WP}}}positionV/{{{WP}}}posOffset").text) / EMU_PER_MM
    extent = anchor.find(f"{{{WP}}}extent")
    return x, y, int(extent.get("cx")) / EMU_PER_MM, int(extent.get("cy")) / EMU_PER_MM


def right_indent_pt(paragraph) -> float:
    return paragraph.paragraph_format.right_indent.pt if paragraph.paragraph_format.right_indent else 0.0


def problems(path: Path) -> list[tuple[str, str]]:
    with pytest.raises(InputError) as caught:
        load_notice(path)
    return [(e.field, e.note) for e in caught.value.errors]


# Joint issuance ----------------------------------------------------------------------
def test_joint_mark_stacks_the_names_with_the_word_beside_them(tmp_path):
    document = build("joint_notice_with_seals.yaml", tmp_path)
    table = document.tables[0]
    names, word = table.rows[0].cells
    assert [p.text for p in names.paragraphs] == ["江宁县知识产权局", "江宁县市场监督管理局"]
    assert [p.text for p in word.paragraphs] == ["文件"]
    assert word.vertical_alignment == names.vertical_alignment == 1  # centred
    assert {p.style.name for p in names.paragraphs + word.paragraphs} == {"发文机关标志"}
    assert {r.font.color.rgb for p in names.paragraphs for r in p.runs} <= {None}  # red comes from the style
    assert str(document.styles["发文机关标志"].font.color.rgb) == "FF0000"


def test_joint_mark_starts_35_mm_below_the_text_block_top(tmp_path):
    document = build("joint_request.yaml", tmp_path)
    spacer = document.element.body[0]
    table = document.element.body[1]
    assert table.tag.endswith("tbl")
    line = spacer.find(".//" + docx.oxml.ns.qn("w:spacing"))
    assert abs(int(line.get(docx.oxml.ns.qn("w:line"))) / 20 * 25.4 / 72 - 35) < 0.1


def test_letter_format_shows_only_the_lead_agency(tmp_path):
    path = example_copy(tmp_path, "joint_notice_with_seals.yaml", lambda d: d.update(format="信函格式"))
    document = docx.Document(build_notice(path, tmp_path / "out"))
    header = document.sections[0].first_page_header
    assert [p.text for p in header.paragraphs if p.text] == ["江宁县知识产权局"]


def test_joint_signatures_without_seals_stack_lead_first(tmp_path):
    document = build("joint_request.yaml", tmp_path)
    names = styled(document, "署名")
    assert [p.text for p in names] == ["江宁县知识产权局", "江宁县财政局"]
    assert {p.alignment for p in names} == {WD_ALIGN_PARAGRAPH.RIGHT}
    # the date (6 characters and 5 digit spaces) would reach past the lead name's 2-character indent:
    # it is right-indented 2 and the names move left together
    date = styled(document, "成文日期")[0]
    assert right_indent_pt(date) == 2 * CHAR_PT
    assert len({right_indent_pt(p) for p in names}) == 1
    assert right_indent_pt(names[0]) == pytest.approx((2 + 2 + 6 + 5 * 0.21 - 8) * CHAR_PT, abs=0.5)
    assert not any(anchors(p) for p in document.paragraphs)


# 签发人 --------------------------------------------------------------------------------
def test_signers_share_the_number_line_in_kaiti(tmp_path):
    document = build("joint_request.yaml", tmp_path)
    line = styled(document, "发文字号")
    assert [p.text for p in line] == ["\t宁知发〔2024〕8号\t签发人：王建国\u3000李明华"]
    names = [r for r in line[0].runs if r.style.name == "签发人姓名"]
    assert [r.text for r in names] == ["王建国\u3000李明华"]
    fonts = document.styles["签发人姓名"].element.rPr.rFonts
    assert fonts.get(docx.oxml.ns.qn("w:eastAsia")) == "楷体_GB2312"
    assert line[0].alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert not line[0].paragraph_format.left_indent  # an indent would shorten the red separator under it
    first, stop = (s.position.pt for s in line[0].paragraph_format.tab_stops)
    assert first == CHAR_PT  # the number starts 1 character in
    label_and_names = (4 + 7) * CHAR_PT  # 签发人： + 王建国　李明华
    assert abs(stop - (TEXT_W / 25.4 * 72 - CHAR_PT - label_and_names)) < 0.5


def test_three_signers_take_two_lines_and_the_number_joins_the_last(tmp_path):
    path = example_copy(tmp_path, "joint_request.yaml", lambda d: d.update(signers=["王建国", "李明华", "张伟"]))
    document = docx.Document(build_notice(path, tmp_path / "out"))
    lines = [p.text for p in document.paragraphs if "签发人" in p.text or "张伟" in p.text]
    assert lines == ["\t签发人：王建国\u3000李明华", "\t宁知发〔2024〕8号\t张伟"]
    first, last = (p for p in document.paragraphs if p.text in lines)
    assert last.paragraph_format.tab_stops[-1].position.pt - first.paragraph_format.tab_stops[0].position.pt == 4 * CHAR_PT


# Seals ---------------------------------------------------------------------------------
def test_one_seal_is_centred_on_the_date_and_the_name(tmp_path):
    document = build("issued_plan_notice.yaml", tmp_path)
    name, proxy, date = styled(document, "署名")[0], styled(document, "代章")[0], styled(document, "成文日期")[0]
    assert proxy.text == "（江宁县知识产权局代章）"
    assert right_indent_pt(date) == 4 * CHAR_PT
    (seal,) = anchors(name)
    x, y, width, height = box_mm(seal)
    assert (round(width), round(height)) == (42, 42)
    date_centre = TEXT_W - (4 * CHAR_PT) * 25.4 / 72 - date_width_mm(date.text) / 2
    assert abs(x + width / 2 - date_centre) < 0.2
    name_centre = TEXT_W - right_indent_pt(name) * 25.4 / 72 - date_width_mm(name.text) / 2
    assert abs(name_centre - date_centre) < 0.5
    assert y < 0 < y + height  # the seal reaches above the name's line and covers it


def date_width_mm(text: str) -> float:
    """Width of a printed 3号 text: condensed body characters, digits half-width, and the 0.21-character
    space renderers put between digits and Chinese characters."""
    units = sum(0.5 if ch.isascii() else 1 for ch in text)
    boundaries = sum(1 for a, b in zip(text, text[1:]) if a.isascii() != b.isascii())
    return (units + 0.21 * boundaries) * (16 - 0.2) * 25.4 / 72


def test_two_blank_lines_keep_the_seal_top_within_a_line_of_the_body(tmp_path):
    document = build("joint_notice_with_seals.yaml", tmp_path)
    first = next(p for p in document.paragraphs if p.style.name == "署名")
    before = [Paragraph(p, first._parent).text for p in
              (first._p.getprevious(), first._p.getprevious().getprevious(), first._p.getprevious().getprevious().getprevious())]
    assert before == ["", "", "特此通知。"]


def test_joint_seals_sit_side_by_side_one_on_each_name_the_last_over_the_date(tmp_path):
    document = build("joint_notice_with_seals.yaml", tmp_path)
    (row,) = styled(document, "署名")
    assert row.text == "\t江宁县知识产权局\t江宁县市场监督管理局"
    seals = [box_mm(a) for a in anchors(row)]
    assert len(seals) == 2
    stops = [s.position.pt * 25.4 / 72 for s in row.paragraph_format.tab_stops]
    assert [round(x + w / 2, 1) for x, _, w, _ in seals] == [round(s, 1) for s in stops]
    (left, _, w1, _), (right, _, _, _) = seals
    assert right - (left + w1) >= 2.99  # never touching
    assert left >= 0 and right + w1 <= TEXT_W  # inside the 版心
    date = styled(document, "成文日期")[0]
    date_centre = TEXT_W - (4 * CHAR_PT) * 25.4 / 72 - date_width_mm(date.text) / 2
    assert abs(stops[-1] - date_centre) < 0.2


def test_four_joint_seals_go_in_rows_that_do_not_touch(tmp_path):
    agencies = ["甲县知识产权局", "甲县财政局", "甲县科技局", "甲县商务局"]
    path = example_copy(tmp_path, "joint_notice_with_seals.yaml",
                        lambda d: d.update(authority=agencies, signature=agencies, seals=["示例印章.png"] * 4))
    document = docx.Document(build_notice(path, tmp_path / "out"))
    rows = styled(document, "署名")
    assert len(rows) >= 2
    assert sum(len(anchors(r)) for r in rows) == 4
    assert [t for r in rows for t in r.text.split("\t") if t] == agencies
    for row in rows:
        boxes = sorted(box_mm(a) for a in anchors(row))
        assert all(b[0] - (a[0] + a[2]) >= 2.99 for a, b in zip(boxes, boxes[1:]))
        assert all(0 <= x and x + w <= TEXT_W for x, _, w, _ in boxes)
    between = rows[0]._p.itersiblings()
    gap = next(i for i, p in enumerate(between) if p is rows[1]._p)
    assert (gap + 1) * 28.95 * 25.4 / 72 >= 42 + 3  # the next row's seals start below the first row's


# 命令 and 纪要 -------------------------------------------------------------------------
def test_order_puts_the_mark_20_mm_down_and_the_stamp_right_of_the_title(tmp_path):
    document = build("order.yaml", tmp_path)
    mark = styled(document, "发文机关标志")[0]
    assert mark.text == "江宁县人民政府令"
    assert abs(mark.paragraph_format.space_before.pt * 25.4 / 72 - 20) < 0.1
    assert styled(document, "发文字号")[0].text == "第5号"
    title = styled(document, "签名章")[0]
    assert title.text == "县长"
    (stamp,) = anchors(title)
    x, y, width, height = box_mm(stamp)
    assert abs(TEXT_W - (x + width) - 4 * CHAR_PT * 25.4 / 72) < 0.1  # right-indented 4 characters
    assert abs(right_indent_pt(title) * 25.4 / 72 - (6 * CHAR_PT * 25.4 / 72 + width)) < 0.1  # 2 characters left
    assert abs(y + height / 2 - 28.95 * 25.4 / 72 / 2) < 0.1  # centred on the title's line
    assert right_indent_pt(styled(document, "成文日期")[0]) == 4 * CHAR_PT


def test_minutes_list_attendance_with_labels_in_heiti(tmp_path):
    document = build("minutes.yaml", tmp_path)
    lines = styled(document, "出席")
    assert [p.text.split("：")[0] for p in lines] == ["出席", "请假", "列席"]
    assert {p.runs[0].style.name for p in lines} == {"出席标签"}
    fonts = document.styles["出席标签"].element.rPr.rFonts
    assert fonts.get(docx.oxml.ns.qn("w:eastAsia")) == "黑体"
    indent = document.styles["出席"].paragraph_format
    assert (indent.left_indent.pt, indent.first_line_indent.pt) == (5 * CHAR_PT, -3 * CHAR_PT)
    assert not styled(document, "署名")  # a 纪要 is signed only when the data says so


def test_minutes_mark_is_35_mm_down(tmp_path):
    document = build("minutes.yaml", tmp_path)
    mark = styled(document, "发文机关标志")[0]
    assert mark.text == "江宁县知识产权局局务会议纪要"
    assert abs(mark.paragraph_format.space_before.pt * 25.4 / 72 - 35) < 0.1


# Issued documents, numbering, 主送 in the 版记 -------------------------------------------
def test_issued_document_starts_a_new_page_with_its_title_and_no_annex_label(tmp_path):
    document = build("issued_plan_notice.yaml", tmp_path)
    titles = styled(document, "公文标题")
    assert titles[1].text.replace("\n", "") == "江宁县2024年专利转化运用专项行动工作方案"
    assert titles[1].paragraph_format.page_break_before
    assert not any(p.text.startswith("附件") for p in document.paragraphs)
    texts = [p.text for p in document.paragraphs]
    assert texts.index("（此件主动公开）") < texts.index(titles[1].text)
    assert any(p.style.name == "版记" for t in document.tables for c in t._cells for p in c.paragraphs)


def test_numbered_paragraphs_continue_the_level_counters(tmp_path):
    document = build("issued_plan_notice.yaml", tmp_path)
    texts = [p.text for p in document.paragraphs]
    assert "（一）加强组织协调，建立县直部门联席会议制度。" in texts
    assert "（二）落实资金保障，县财政安排专项资金200万元。" in texts
    runs = next(p for p in document.paragraphs if p.text.startswith("（一）加强")).runs
    assert (runs[0].text, runs[0].style.name) == ("（一）", "二级标题")


def test_an_explicit_number_continues_automatic_numbering(tmp_path):
    def change(data):
        data["body"] = ["导语。", {"h1": "第一件事"}, {"h1": "第五件事", "number": "五、"}, {"h1": "第六件事"}]
    document = docx.Document(build_notice(example_copy(tmp_path, "joint_request.yaml", change), tmp_path / "out"))
    texts = [p.text for p in document.paragraphs]
    assert ["一、第一件事", "五、第五件事", "六、第六件事"] == [t for t in texts if "件事" in t]


def test_a_paragraph_typed_with_a_number_is_refused(tmp_path):
    path = example_copy(tmp_path, "joint_request.yaml", lambda d: d["body"].append("1.自己写的序号。"))
    assert any(field == "body[6]" and "n1–n4" in note for field, note in problems(path))


def test_addressees_move_into_the_colophon(tmp_path):
    path = example_copy(tmp_path, "minutes.yaml",
                        lambda d: d.update(addressees="局属各单位", addressees_in_colophon=True))
    document = docx.Document(build_notice(path, tmp_path / "out"))
    colophon = [p.text for t in document.tables for row in t.rows for p in row.cells[0].paragraphs if p.text]
    assert colophon[:2] == ["主送：局属各单位。", "抄送：县人民政府办公室，局属各单位。"]
    assert not styled(document, "主送机关")


def test_a_letter_without_printer_has_no_printing_line_or_rules(tmp_path):
    path = example_copy(tmp_path, "joint_notice_with_seals.yaml",
                        lambda d: [d.update(format="信函格式"), d.pop("printer"), d.pop("print_date")])
    document = docx.Document(build_notice(path, tmp_path / "out"))
    (table,) = [t for t in document.tables if any("抄送" in c.text for c in t._cells)]
    assert [c.text for c in table._cells] == ["抄送：县人民政府办公室，市知识产权局，市市场监督管理局。"] * 2
    borders = table._tbl.tblPr.find(docx.oxml.ns.qn("w:tblBorders"))
    assert {b.get(docx.oxml.ns.qn("w:val")) for b in borders} == {"nil"}


def test_sealed_notice_builds_byte_identically(tmp_path):
    first = build_notice(EXAMPLES / "joint_notice_with_seals.yaml", tmp_path / "a").read_bytes()
    assert build_notice(EXAMPLES / "joint_notice_with_seals.yaml", tmp_path / "b").read_bytes() == first


# Bad input -----------------------------------------------------------------------------
def test_missing_seal_image_is_named(tmp_path):
    path = example_copy(tmp_path, "joint_notice_with_seals.yaml", lambda d: d.update(seals=["没有.png", "示例印章.png"]))
    assert [(f, "不存在" in n) for f, n in problems(path)] == [("seals[1]", True)]


def test_seal_that_is_not_an_image_is_named(tmp_path):
    (tmp_path / "seal.png").write_text("not a picture", encoding="utf-8")
    path = example_copy(tmp_path, "issued_plan_notice.yaml", lambda d: d.update(seals=["seal.png"]))
    assert [(f, "不是有效的图片" in n) for f, n in problems(path)] == [("seals[1]", True)]


def test_seal_without_transparency_is_refused(tmp_path):
    Image.open(SEAL).convert("RGB").save(tmp_path / "flat.png")
    path = example_copy(tmp_path, "issued_plan_notice.yaml", lambda d: d.update(seals=["flat.png"]))
    assert [(f, "透明" in n) for f, n in problems(path)] == [("seals[1]", True)]


def test_a_jpeg_seal_is_refused(tmp_path):
    Image.open(SEAL).convert("RGB").save(tmp_path / "seal.jpg")
    path = example_copy(tmp_path, "issued_plan_notice.yaml", lambda d: d.update(seals=["seal.jpg"]))
    assert [(f, "PNG" in n) for f, n in problems(path)] == [("seals[1]", True)]


def test_more_seals_than_signatures_is_refused(tmp_path):
    path = example_copy(tmp_path, "issued_plan_notice.yaml", lambda d: d.update(seals=["示例印章.png"] * 2))
    assert [f for f, n in problems(path) if "每个署名盖一枚印章" in n] == ["seals"]


def test_signers_in_a_letter_are_refused(tmp_path):
    path = example_copy(tmp_path, "joint_request.yaml", lambda d: d.update(format="信函格式"))
    assert [f for f, n in problems(path) if "签发人" in n] == ["signers"]


def test_attendance_outside_minutes_is_refused(tmp_path):
    path = example_copy(tmp_path, "joint_request.yaml", lambda d: d.update(present="张三"))
    assert [f for f, n in problems(path) if "纪要格式" in n] == ["present"]


def test_a_joint_mark_too_long_for_a_line_is_refused(tmp_path):
    long = "江宁县人民政府办公室江宁县市场监督管理局江宁县知识产权局"
    path = example_copy(tmp_path, "joint_request.yaml", lambda d: d.update(authority=[long, "江宁县财政局"]))
    assert [f for f, n in problems(path) if "太长" in n] == ["authority[1]"]


def test_a_joint_mark_that_shrinks_keeps_every_name_the_same_size(tmp_path):
    long = "江宁县人民政府办公室江宁县市场监督"
    path = example_copy(tmp_path, "joint_request.yaml", lambda d: d.update(authority=[long, "江宁县财政局"]))
    document = docx.Document(build_notice(path, tmp_path / "out"))
    sizes = {r.font.size.pt for c in document.tables[0]._cells for p in c.paragraphs for r in p.runs}
    assert len(sizes) == 1 and sizes.pop() < 36


def test_order_number_must_read_di_n_hao(tmp_path):
    path = example_copy(tmp_path, "order.yaml", lambda d: d.update(number="5号"))
    assert [f for f, n in problems(path) if "令号" in n] == ["number"]


def test_a_mistyped_seal_key_is_named_with_a_suggestion(tmp_path):
    path = example_copy(tmp_path, "issued_plan_notice.yaml", lambda d: d.update(seal=d.pop("seals")))
    assert [(f, "seals" in n) for f, n in problems(path)] == [("seal", True)]


def test_signature_stamp_without_image_is_refused(tmp_path):
    path = example_copy(tmp_path, "order.yaml", lambda d: d.update(signed_by=[{"title": "县长"}]))
    assert [f for f, n in problems(path)] == ["signed_by[1].stamp"]


def test_an_order_without_signature_stamp_is_refused(tmp_path):
    path = example_copy(tmp_path, "order.yaml", lambda d: d.pop("signed_by"))
    assert [f for f, n in problems(path)] == ["signed_by"]


def test_fewer_seals_than_signatures_is_refused(tmp_path):
    path = example_copy(tmp_path, "joint_notice_with_seals.yaml", lambda d: d.update(seals=["示例印章.png"]))
    assert [f for f, n in problems(path) if "每个署名盖一枚印章" in n] == ["seals"]


def test_a_proxy_seal_under_joint_signatures_or_with_a_stamp_is_refused(tmp_path):
    joint = example_copy(tmp_path, "joint_notice_with_seals.yaml", lambda d: d.update(proxy_seal="甲局代章"))
    assert [f for f, n in problems(joint)] == ["proxy_seal"]
    order = example_copy(tmp_path, "order.yaml", lambda d: d.update(proxy_seal="甲局代章"))
    assert [f for f, n in problems(order)] == ["signed_by"]


def test_a_sealed_name_too_long_to_centre_on_the_date_is_refused(tmp_path):
    long = "江宁县市场监督管理局知识产权保护中心执法大队"
    path = example_copy(tmp_path, "issued_plan_notice.yaml", lambda d: d.update(signature=long))
    assert [f for f, n in problems(path)] == ["signature"]


def test_an_order_with_head_marks_keeps_them_above_the_mark(tmp_path):
    path = example_copy(tmp_path, "order.yaml", lambda d: d.update(copy_number="000001", secrecy="秘密★1年",
                                                                  urgency="特急"))
    document = docx.Document(build_notice(path, tmp_path / "out"))
    assert [p.text for p in document.paragraphs[:4]] == ["000001", "秘密★1年", "特急", "江宁县人民政府令"]
    assert document.paragraphs[3].paragraph_format.space_before.pt == 0


def test_one_mark_with_a_word_is_one_line(tmp_path):
    path = example_copy(tmp_path, "issued_plan_notice.yaml", lambda d: d.update(mark="江宁县知识产权局", mark_word=""))
    document = docx.Document(build_notice(path, tmp_path / "out"))
    assert [p.text for p in styled(document, "发文机关标志")] == ["江宁县知识产权局"]
    assert not document.tables[:-1]


def test_a_missing_issued_file_is_named(tmp_path):
    path = example_copy(tmp_path, "issued_plan_notice.yaml", lambda d: d.update(issued="parts/none.yaml"))
    assert [f for f, n in problems(path)] == ["issued"]


def test_errors_in_the_issued_file_name_that_file(tmp_path):
    path = example_copy(tmp_path, "issued_plan_notice.yaml", lambda d: None)
    (tmp_path / "parts" / "patent_plan.yaml").write_text("title: 方案\nbody: []\nextra: 1\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_notice(path)
    assert sorted((Path(e.path).name, e.field) for e in caught.value.errors) == [
        ("patent_plan.yaml", "body"), ("patent_plan.yaml", "extra")]


# Annexes not bound with the notice -------------------------------------------------------
def test_an_unbound_annex_opens_with_the_notice_number_and_stays_out_of_the_packet(notice_data, write_notice, tmp_path):
    notice_data["annexes"][0]["bound"] = False
    path = write_notice(notice_data)
    build_annexes_of(path, tmp_path / "out")
    first = docx.Document(next((tmp_path / "out").glob("附件1 *.docx"))).paragraphs[0]
    second = docx.Document(next((tmp_path / "out").glob("附件2 *.docx"))).paragraphs[0]
    assert (first.text, first.alignment, first.paragraph_format.first_line_indent) == (
        "国知办函服字〔2022〕270号附件1", None, None)
    assert first.style.name == "附件标签" and second.text == "附件2"
    labels = [p.text for p in docx.Document(build_packet(path, tmp_path / "packet")).paragraphs
              if p.style.name == "附件标签"]
    assert labels == ["附件2", "附件3"]


def test_bound_must_be_true_or_false(notice_data, write_notice):
    notice_data["annexes"][0]["bound"] = "否"
    assert [f for f, _ in problems(write_notice(notice_data))] == ["annexes[1].bound"]
