"""Test the annexes stage: annex 1's merged table, annex 2's Word table, annex 3's decodable codes."""

from __future__ import annotations

import datetime as dt
import io
import re

import docx
import pytest
import zxingcpp
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from paths import REPO, SAMPLE_NOTICE
from PIL import Image
from seed import missing_in_order, section_lines

from pipeline.core.errors import InputError
from pipeline.notice.annexes import build_annexes, load_annex
from pipeline.notice.notice import load_notice
from pipeline.pdf import fonts

INPUTS = REPO / "inputs"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict:
    """Build the three sample annexes once; return {number: python-docx document}."""
    out = tmp_path_factory.mktemp("annexes")
    annexes = build_annexes(load_notice(SAMPLE_NOTICE), out)
    return {a.number: docx.Document(out / a.file_name) for a in annexes} | {"out": out}


def _flat_text(document) -> str:
    parts = []
    for block in document.element.body.iter(qn("w:p")):
        parts.append("".join(t.text or "" for t in block.iter(qn("w:t"))))
    return re.sub(r"\s+", "", "".join(parts))


# Annex 1 -------------------------------------------------------------------------------
def test_annex1_reproduces_the_seed_word_for_word(built):
    assert missing_in_order(section_lines("附件1", "附件2"), _flat_text(built[1])) is None


def test_annex1_label_is_heiti_3hao_and_title_on_the_third_line(built):
    paragraphs = built[1].paragraphs
    label = paragraphs[0]
    assert label.text == "附件1" and label.style.name == "附件标签"
    assert label.style.element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    assert label.style.font.size.pt == 16
    assert label.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.LEFT and label.alignment is None
    assert paragraphs[1].text == "" and paragraphs[2].style.name == "公文标题"
    assert paragraphs[2].text.replace("\n", "") == "知识产权信息服务优秀案例分享活动工作方案"


def test_annex1_time_column_merges_three_rows_per_month(built):
    table = built[1].tables[0]
    column = [table.cell(r, 0) for r in range(1, 10)]
    groups = [[c._tc for c in column[i:i + 3]] for i in (0, 3, 6)]
    assert [column[i].text for i in (0, 3, 6)] == ["3月", "5月", "7月"]
    assert all(g[0] is g[1] is g[2] for g in groups)
    assert len({id(g[0]) for g in groups}) == 3
    merges = [tc.tcPr.find(qn("w:vMerge")) for tc in table._tbl.xpath("./w:tr/w:tc[1]")[1:]]
    assert [m.get(qn("w:val")) if m is not None else None for m in merges] == ["restart", None, None] * 3


def test_annex1_table_header_repeats_and_uses_heiti(built):
    table = built[1].tables[0]
    header = table.rows[0]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert [c.text for c in header.cells] == ["时间", "所属机构", "案例", "机构类型"]
    assert {p.style.name for c in header.cells for p in c.paragraphs} == {"表头"}
    assert built[1].styles["表头"].element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"


def test_annex1_has_nine_case_introductions(built):
    heads = [p.text for p in built[1].paragraphs if re.match(r"^案例\d：", p.text)]
    assert [h.split("：")[0] for h in heads] == [f"案例{i}" for i in range(1, 10)]


# Annex 2 -------------------------------------------------------------------------------
def test_annex2_table_has_the_eight_columns_and_fits_the_text_width(built):
    table = built[2].tables[0]
    assert [c.text for c in table.rows[0].cells] == ["序号", "工作单位", "姓名", "性别", "职务/级别", "办公电话", "手机号码", "备注"]
    widths = [int(g.get(qn("w:w"))) for g in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert abs(sum(widths) - round(156 / 25.4 * 1440)) <= 8
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert [r.cells[0].text for r in table.rows[1:]] == ["1"]
    assert [round(r.height.mm) for r in table.rows[1:]] == [10]  # room to write in by hand


def test_annex2_reproduces_the_seed(built):
    assert missing_in_order(section_lines("附件2", "附件3"), _flat_text(built[2])) is None


# Annex 3 -------------------------------------------------------------------------------
def _pictures(document) -> list[bytes]:
    blips = document.element.body.xpath(".//a:blip/@r:embed")
    return [document.part.related_parts[rid].blob for rid in blips]


def test_annex3_codes_decode_from_the_word_file(built):
    decoded = [zxingcpp.read_barcodes(Image.open(io.BytesIO(blob))) for blob in _pictures(built[3])]
    texts = [r[0].text for r in decoded]
    assert texts[0] == "http://cnipa.gensee.com/training/site/s/45703050"
    assert texts[1].startswith("https://weixin.qq.com/g/")


def test_annex3_codes_print_at_least_30_mm_wide(built):
    extents = built[3].element.body.xpath(".//wp:inline/wp:extent/@cx")
    assert len(extents) == 2 and all(int(cx) / 36000 >= 30 for cx in extents)


def test_annex3_shows_address_and_validity_sentence(built):
    lines = section_lines("附件3", "抄送：技术与创新支持中心（TISC）、高校国家知识产权信息服务中心、国家知识产权信息公共服务网点。")
    assert missing_in_order(lines, _flat_text(built[3])) is None
    assert "该二维码7天内(3月24日前)有效,重新进入将更新" in [p.text for p in built[3].paragraphs]


def test_annex3_warns_that_the_sample_group_code_has_expired():
    annex = load_annex(INPUTS / "annex3.yaml", today=dt.date(2026, 11, 25))
    assert any("过期" in w for w in annex.warnings)
    assert load_annex(INPUTS / "annex3.yaml", today=dt.date(2022, 3, 21)).warnings == []


def test_annex3_pdf_is_recorded_in_the_manifest(built):
    import json

    roles = {f["role"]: f["path"] for f in json.loads((built["out"] / "manifest.json").read_text(encoding="utf-8"))["files"]}
    assert set(roles) == {"annex1", "annex2", "annex3", "annex3_pdf"}
    assert (built["out"] / roles["annex3_pdf"]).read_bytes().startswith(b"%PDF")


# Determinism and bad data ------------------------------------------------------------------
def test_annexes_build_to_identical_bytes_twice(tmp_path):
    notice = load_notice(SAMPLE_NOTICE)
    first = {a.file_name for a in build_annexes(notice, tmp_path / "a")}
    build_annexes(notice, tmp_path / "b")
    for name in first:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


@pytest.mark.parametrize(
    ("text", "fields"),
    [
        ("number: 一\ntitle: 方案\nbody: [正文]\n", ["number"]),
        ("number: 1\nbody: [正文]\n", ["title"]),
        ("number: 1\ntitle: 方案\nbody:\n  - table:\n      columns: [甲, 乙]\n      rows: [[1, 2, 3]]\n", ["body[1].table.rows[1]"]),
        ("number: 1\ntitle: 方案\nbody:\n  - table:\n      columns: [甲, 乙]\n      merge: [丙]\n      rows: [[1, 2]]\n", ["body[1].table.merge[1]"]),
        ("number: 2\ntitle: 表\ncolumns: [序号, 姓名]\nrows: 零\n", ["rows"]),
    ],
    ids=["number-not-integer", "title-missing", "row-width", "merge-unknown", "form-rows"],
)
def test_bad_annex_data_names_the_field(tmp_path, text, fields):
    path = tmp_path / "annex.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_annex(path)
    assert [e.field for e in caught.value.errors] == fields


def test_without_a_chinese_truetype_font_annexes_are_built_and_the_pdf_skipped(tmp_path, monkeypatch):
    def no_font():
        raise fonts.NoCjkFont(fonts.FONT_HINT)

    monkeypatch.setattr("pipeline.qr.sheet.cjk_fonts", no_font)
    annexes = build_annexes(load_notice(SAMPLE_NOTICE), tmp_path)
    assert sorted(p.suffix for p in tmp_path.glob("附件*")) == [".docx", ".docx", ".docx"]
    assert any("未生成附件3 的转发用 PDF" in w for a in annexes for w in a.warnings)
