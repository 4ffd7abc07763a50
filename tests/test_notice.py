"""Test the notice stage: data validation, content, structure, template-driven layout, determinism."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.shared import Pt

from pipeline.core.errors import InputError
from pipeline.notice.notice import build_notice, load_notice
from pipeline.notice.skeleton import build_notice_templates

from paths import EXAMPLE_NOTICE, REPO, SAMPLE_NOTICE, SEED, SHARED_SEED
from seed import missing_in_order, notice_lines


# Built documents ------------------------------------------------------------------
@pytest.fixture(scope="module")
def sample_out(tmp_path_factory) -> Path:
    """Build the reference notice once; return its output directory."""
    out = tmp_path_factory.mktemp("sample")
    build_notice(SAMPLE_NOTICE, out)
    return out


@pytest.fixture(scope="module")
def sample_doc(sample_out):
    """Open the reference notice with python-docx."""
    return docx.Document(next(sample_out.glob("*.docx")))


@pytest.fixture(scope="module")
def example_doc(tmp_path_factory):
    """Build and open the 文件格式 example notice (another agency, four heading levels)."""
    out = tmp_path_factory.mktemp("example")
    return docx.Document(build_notice(EXAMPLE_NOTICE, out))


def _texts(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.text.strip()]


def _paragraph(document, start: str):
    return next(p for p in document.paragraphs if p.text.startswith(start))


# Output files -----------------------------------------------------------------------
def test_manifest_names_the_notice_with_its_checksum(sample_out):
    files = json.loads((sample_out / "manifest.json").read_text(encoding="utf-8"))["files"]
    assert [(f["role"], f["path"]) for f in files] == [("notice", "国知办函服字〔2022〕270号 通知.docx")]
    import hashlib

    digest = hashlib.sha256((sample_out / files[0]["path"]).read_bytes()).hexdigest()
    assert files[0]["sha256"] == digest


def test_two_builds_give_identical_bytes(tmp_path):
    first = build_notice(SAMPLE_NOTICE, tmp_path / "a")
    second = build_notice(SAMPLE_NOTICE, tmp_path / "b")
    assert first.read_bytes() == second.read_bytes()


def test_zip_entries_and_core_properties_carry_the_notice_date(sample_out, sample_doc):
    with zipfile.ZipFile(next(sample_out.glob("*.docx"))) as package:
        assert {info.date_time for info in package.infolist()} == {(2022, 3, 21, 0, 0, 0)}
    core = sample_doc.core_properties
    assert (core.created.date().isoformat(), core.author, core.revision) == ("2022-03-21", "国家知识产权局办公室", 1)
    assert core.title.startswith("国家知识产权局办公室关于举办")


# Content ----------------------------------------------------------------------------
def test_seed_copy_matches_the_shared_seed():
    if not SHARED_SEED.exists():
        pytest.skip("shared/ is not beside this checkout")
    assert SEED.read_bytes() == SHARED_SEED.read_bytes()


def test_every_seed_line_of_the_notice_appears_in_order(sample_doc):
    header_text = "".join(p.text for p in sample_doc.sections[0].first_page_header.paragraphs)
    cells = [c.text for t in sample_doc.tables for r in t.rows for c in r.cells]
    text = header_text + "".join(_texts(sample_doc)) + "".join(dict.fromkeys(cells))
    assert missing_in_order(notice_lines(), text) is None


def test_title_breaks_after_zhishichanquan(sample_doc):
    title = _paragraph(sample_doc, "国家知识产权局办公室关于")
    breaks = title._p.xpath(".//w:br")
    assert len(breaks) == 1
    assert title.text.split("\n") == ["国家知识产权局办公室关于举办知识产权", "信息服务优秀案例分享活动的通知"]


def test_run_in_heading_sets_only_the_heading_sentence_in_heiti(sample_doc):
    paragraph = _paragraph(sample_doc, "一、加强组织领导。")
    runs = [r for r in paragraph.runs if r.text]
    assert runs[0].text == "一、加强组织领导。"
    assert runs[0].style.name == "一级标题"
    assert runs[0].style.element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    assert runs[1].text.startswith("围绕") and runs[1].style.name == "Default Paragraph Font"


def test_annex_note_numbers_names_and_label(sample_doc):
    notes = [p for p in sample_doc.paragraphs if p.style.name.startswith("附件说明")]
    assert [p.text for p in notes] == [
        "附件：1.\t知识产权信息服务优秀案例分享活动工作方案",
        "2.\t联系人信息表",
        "3.\t活动联络群二维码",
    ]


def test_signature_and_date_follow_the_no_seal_rule(sample_doc):
    name = next(p for p in sample_doc.paragraphs if p.style.name == "署名")
    date = next(p for p in sample_doc.paragraphs if p.style.name == "成文日期")
    assert (name.text, date.text) == ("国家知识产权局办公室", "2022年3月21日")
    # the name (10 characters) is right-indented 2 characters of 16 pt
    assert name._p.pPr.ind.get(qn("w:rightChars")) == "200"
    # the date starts 2 printed characters (16 pt condensed by 0.25 pt) right of the name's first character
    char = 16 - 0.25
    name_start = 156 / 25.4 * 72 - 2 * 16 - 10 * char
    assert date.paragraph_format.left_indent.pt == pytest.approx(name_start + 2 * char, abs=0.1)
    assert date.alignment == 0  # left


def test_notes_are_in_parentheses_after_the_date(sample_doc):
    texts = _texts(sample_doc)
    at = texts.index("2022年3月21日")
    assert texts[at + 1] == "（联系人及电话：公共服务司 李玥 010—62083702 13811050506 邮箱：liyue_3@cnipa.gov.cn）"
    assert texts[at + 2] == "（此件公开发布）"


def test_full_width_punctuation_runs_are_marked_east_asian(sample_doc):
    marked = [r for p in sample_doc.paragraphs for r in p.runs if r.text in ("“", "”", "—")]
    assert marked, "the sample has quotes and dashes"
    assert all(r._r.rPr.rFonts.get(qn("w:hint")) == "eastAsia" for r in marked)


def test_colophon_holds_copy_to_and_printing_line(sample_doc):
    table = sample_doc.tables[-1]
    cells = [c.text for row in table.rows for c in row.cells]
    assert cells[0] == "抄送：技术与创新支持中心（TISC）、高校国家知识产权信息服务中心、国家知识产权信息公共服务网点。"
    assert cells[-2:] == ["国家知识产权局办公室", "2022年3月22日印发"]


def test_no_template_tags_survive(sample_out):
    with zipfile.ZipFile(next(sample_out.glob("*.docx"))) as package:
        xml = "".join(package.read(n).decode("utf-8") for n in package.namelist() if n.endswith(".xml"))
    assert not re.search(r"\{[{%]|[%}]\}", xml)


# The second notice: only data changes ------------------------------------------------
def test_example_numbers_four_heading_levels(example_doc):
    heads = [p.runs[0].text for p in example_doc.paragraphs
             if p.runs and p.runs[0].style.name in ("一级标题", "二级标题", "三级标题", "四级标题")]
    assert [re.match(r"^(（?[一二三四五六七八九十\d]+[）、.]?)", h).group(1) for h in heads] == [
        "一、", "（一）", "（二）", "1.", "2.", "（1）", "（2）", "（3）", "3.",
        "二、", "（一）", "（二）", "（三）", "三、", "（一）", "（二）",
    ]


def test_example_uses_the_document_format_head(example_doc):
    texts = _texts(example_doc)
    assert texts[:2] == ["江宁县市场监督管理局文件", "宁市监发〔2024〕15号"]
    assert not example_doc.sections[0].different_first_page_header_footer
    assert not any(p.style.name.startswith("附件说明") for p in example_doc.paragraphs)
    separator = example_doc.paragraphs[3]._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert (separator.get(qn("w:color")), separator.get(qn("w:val"))) == ("FF0000", "single")


# Layout lives in the templates --------------------------------------------------------
def test_restyling_the_template_changes_the_next_output(tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(REPO / "templates", templates)
    template = docx.Document(templates / "notice_letter.docx")
    template.styles["公文标题"].font.size = Pt(20)
    template.save(templates / "notice_letter.docx")
    built = docx.Document(build_notice(SAMPLE_NOTICE, tmp_path / "out", templates))
    title = next(p for p in built.paragraphs if p.style.name == "公文标题")
    assert title.style.font.size == Pt(20)


def test_committed_templates_match_the_layout_constants(tmp_path):
    build_notice_templates(tmp_path)
    for built in tmp_path.glob("*.docx"):
        assert built.read_bytes() == (REPO / "templates" / built.name).read_bytes(), f"run `make templates`: {built.name}"


# Validation ----------------------------------------------------------------------------
def _errors(path: Path) -> list[tuple[str, int | None]]:
    with pytest.raises(InputError) as caught:
        load_notice(path)
    return [(e.field, e.row) for e in caught.value.errors]


def test_sample_data_loads_cleanly():
    notice = load_notice(SAMPLE_NOTICE)
    assert (notice.number, notice.date.isoformat(), len(notice.body)) == ("国知办函服字〔2022〕270号", "2022-03-21", 5)


def test_missing_field_names_field_and_file(notice_data, write_notice):
    del notice_data["title"]
    path = write_notice(notice_data)
    with pytest.raises(InputError) as caught:
        load_notice(path)
    assert [(e.field, e.path) for e in caught.value.errors] == [("title", str(path))]
    assert "缺少此项" in str(caught.value)


def test_wrong_type_points_at_its_line(write_notice, notice_text):
    text = notice_text.replace("closing: 特此通知。", "closing:\n  - 特此通知。")
    line = text.splitlines().index("closing:") + 1
    assert _errors(write_notice(text)) == [("closing", line)]


def test_impossible_date_is_reported_with_its_line(write_notice, notice_text):
    text = notice_text.replace("date: 2022-03-21", "date: 2022-02-30")
    line = text.splitlines().index("date: 2022-02-30") + 1
    path = write_notice(text)
    assert _errors(path) == [("date", line)]


@pytest.mark.parametrize(
    ("number", "hint"),
    [
        ("国知办函服字[2022]270号", "六角括号"),
        ("国知办函服字〔2022〕第270号", "第"),
        ("国知办函服字〔2022〕0270号", "前导 0"),
        ("国知办函服字〔22〕270号", "如 国知办函服字〔2022〕270号"),
        ("国知办函服字〔2022〕270", "如 国知办函服字〔2022〕270号"),
    ],
)
def test_malformed_document_number_is_rejected(notice_data, write_notice, number, hint):
    notice_data["number"] = number
    with pytest.raises(InputError) as caught:
        load_notice(write_notice(notice_data))
    assert [e.field for e in caught.value.errors] == ["number"]
    assert hint in caught.value.errors[0].note


def test_annex_list_must_match_the_annex_files(notice_data, write_notice, tmp_path):
    (tmp_path / "annex2.yaml").write_text("number: 2\ntitle: 参会回执\n", encoding="utf-8")
    (tmp_path / "annex1.yaml").write_text("number: 1\ntitle: 知识产权信息服务优秀案例分享活动工作方案\n", encoding="utf-8")
    notice_data["annexes"] = [
        {"name": "知识产权信息服务优秀案例分享活动工作方案", "source": "annex1.yaml"},
        {"name": "联系人信息表", "source": "annex2.yaml"},
        {"name": "活动联络群二维码", "source": "annex3.yaml"},
    ]
    fields = [f for f, _ in _errors(write_notice(notice_data))]
    assert fields == ["annexes[2].name", "annexes[3].source"]


def test_annex_title_may_extend_the_listed_name(notice_data, write_notice, tmp_path):
    (tmp_path / "annex2.yaml").write_text("number: 2\ntitle: 各省级知识产权管理部门联系人信息表\n", encoding="utf-8")
    notice_data["annexes"][1] = {"name": "联系人信息表", "source": "annex2.yaml"}
    assert load_notice(write_notice(notice_data)).annexes[1] == ("联系人信息表", tmp_path / "annex2.yaml")


def test_heading_with_its_own_number_is_rejected(notice_data, write_notice):
    notice_data["body"][1]["h1"] = "一、加强组织领导。"
    assert [f for f, _ in _errors(write_notice(notice_data))] == ["body[2].h1"]


def test_unknown_format_and_empty_body_are_both_reported(notice_data, write_notice):
    notice_data["format"] = "便函"
    notice_data["body"] = []
    assert sorted(f for f, _ in _errors(write_notice(notice_data))) == ["body", "format"]


def test_yaml_syntax_error_gives_its_line(write_notice, notice_text):
    text = notice_text.replace("date: 2022-03-21", "date: [2022-03-21")
    errors = _errors(write_notice(text))
    assert len(errors) == 1 and errors[0][1] is not None


def test_cli_reports_bad_input_in_chinese_with_exit_2_and_writes_nothing(notice_data, write_notice, tmp_path):
    notice_data["date"] = "2022-13-01"
    path = write_notice(notice_data)
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "pipeline", "notice", "--input", str(path), "--out", str(out)],
                          capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 2
    assert "date" in done.stderr and "不是有效日期" in done.stderr and str(path) in done.stderr
    assert not out.exists()


def test_cli_help_lists_the_stage():
    done = subprocess.run([sys.executable, "-m", "pipeline", "notice", "--help"], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0 and "--input" in done.stdout and "--out" in done.stdout


# Word refuses (or "repairs") files whose property children are out of schema order.
PPR_ORDER = ("pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd tabs "
             "suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd "
             "snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
             "textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange").split()
RPR_ORDER = ("rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof snapToGrid "
             "vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd fitText vertAlign rtl cs "
             "em lang eastAsianLayout specVanish oMath").split()


@pytest.mark.parametrize("source", [SAMPLE_NOTICE, EXAMPLE_NOTICE], ids=["letter", "document"])
def test_paragraph_and_run_properties_follow_schema_order(source, tmp_path):
    from lxml import etree

    path = build_notice(source, tmp_path)
    with zipfile.ZipFile(path) as package:
        parts = [etree.fromstring(package.read(n)) for n in package.namelist() if n.startswith("word/") and n.endswith(".xml")]
    for tag, order in (("pPr", PPR_ORDER), ("rPr", RPR_ORDER)):
        for root in parts:
            for props in root.iter(qn(f"w:{tag}")):
                names = [etree.QName(child).localname for child in props if etree.QName(child).localname in order]
                assert names == sorted(names, key=order.index), f"{tag} children out of order: {names}"


def test_long_agency_mark_shrinks_to_fit_the_text_width(tmp_path):
    data = EXAMPLE_NOTICE.read_text(encoding="utf-8").replace(
        "authority: 江宁县市场监督管理局", "authority: 江宁县人民政府办公室江宁县市场监督管理局")
    source = tmp_path / "long.yaml"
    source.write_text(data, encoding="utf-8")
    built = docx.Document(build_notice(source, tmp_path / "out"))
    mark = next(p for p in built.paragraphs if p.style.name == "发文机关标志")
    size = mark.runs[0].font.size.pt
    assert mark.text == "江宁县人民政府办公室江宁县市场监督管理局文件"
    chars = len(mark.text)
    assert chars * size <= 156 / 25.4 * 72 < chars * (size + 0.5)


@pytest.mark.parametrize(
    ("content", "message"),
    [("", "文件是空的"), ("# 只有注释\n", "文件是空的"), ("- 一\n- 二\n", "映射"), ("title: [\n", "YAML 格式错误"),
     (b"title: \xb9\xfa\xbc\xd2\n", "UTF-8")],
    ids=["empty", "comments-only", "a-list", "syntax", "gbk-bytes"],
)
def test_unusable_data_file_gets_one_chinese_message(tmp_path, content, message):
    path = tmp_path / "notice.yaml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    with pytest.raises(InputError) as caught:
        load_notice(path)
    assert [e.path for e in caught.value.errors] == [str(path)]
    assert message in str(caught.value) and not re.search(r"[A-Za-z]{6,}", caught.value.errors[0].note)


def test_a_folder_given_as_data_file_gets_a_chinese_message(tmp_path):
    with pytest.raises(InputError) as caught:
        load_notice(tmp_path)
    assert "文件夹" in str(caught.value)


def test_two_notices_in_one_folder_are_both_in_the_manifest(tmp_path):
    build_notice(SAMPLE_NOTICE, tmp_path)
    build_notice(EXAMPLE_NOTICE, tmp_path)
    files = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))["files"]
    assert sorted((f["role"], f["path"]) for f in files) == [
        ("notice", "国知办函服字〔2022〕270号 通知.docx"), ("notice", "宁市监发〔2024〕15号 通知.docx")]


def test_damaged_manifest_gives_a_chinese_message_and_exit_2(tmp_path):
    (tmp_path / "manifest.json").write_text("{not json", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "pipeline", "notice", "--input", str(SAMPLE_NOTICE), "--out", str(tmp_path)],
                          capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 2 and "manifest.json 已损坏" in done.stderr and "Traceback" not in done.stderr


def test_slash_and_line_break_in_a_title_stay_out_of_the_file_name(notice_data, write_notice, tmp_path):
    notice_data["title"] = "关于报送A/B类\n联系人的函"
    path = build_notice(write_notice(notice_data), tmp_path / "out")
    assert path.parent == tmp_path / "out" and path.name == "国知办函服字〔2022〕270号 函.docx"


@pytest.mark.parametrize("case", ["out-is-a-file", "no-templates", "broken-template"])
def test_bad_output_or_template_location_gives_a_chinese_message(tmp_path, case):
    args = ["--input", str(SAMPLE_NOTICE), "--out", str(tmp_path / "out")]
    if case == "out-is-a-file":
        (tmp_path / "out").write_text("x", encoding="utf-8")
    elif case == "no-templates":
        args += ["--templates", str(tmp_path / "nowhere")]
    else:
        (tmp_path / "tpl").mkdir()
        (tmp_path / "tpl" / "notice_letter.docx").write_text("not a docx", encoding="utf-8")
        args += ["--templates", str(tmp_path / "tpl")]
    done = subprocess.run([sys.executable, "-m", "pipeline", "notice", *args], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert {"out-is-a-file": "不是文件夹", "no-templates": "找不到模板", "broken-template": "不是有效的 Word 文件"}[case] in done.stderr


# 份号, 密级 and 紧急程度 -------------------------------------------------------------------
def _with_head_marks(source: Path, tmp_path: Path, **marks) -> Path:
    import yaml

    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    for annex in data.get("annexes", []):
        annex["source"] = str(source.parent / annex["source"])
    data.update(marks)
    path = tmp_path / "marked.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_document_format_puts_copy_number_secrecy_and_urgency_above_the_mark(tmp_path):
    source = _with_head_marks(EXAMPLE_NOTICE, tmp_path, copy_number=1, secrecy="秘密★1年", urgency="特急")
    built = docx.Document(build_notice(source, tmp_path / "out"))
    texts = [p.text for p in built.paragraphs[:4]]
    assert texts == ["000001", "秘密★1年", "特急", "江宁县市场监督管理局文件"]
    assert built.styles["版头标识"].element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    mark = built.paragraphs[3]
    # three grid lines above it, so its space before shrinks by three lines: still 35 mm below the 版心 top
    assert mark.paragraph_format.space_before.pt + 3 * 579 / 20 == pytest.approx(35 / 25.4 * 72, abs=0.1)


def test_letter_format_puts_the_first_mark_on_the_number_line(tmp_path):
    source = _with_head_marks(SAMPLE_NOTICE, tmp_path, copy_number="000123", secrecy="机密★5年")
    built = docx.Document(build_notice(source, tmp_path / "out"))
    texts = [p.text for p in built.paragraphs]
    at = texts.index("000123\t国知办函服字〔2022〕270号")
    assert texts[at + 1] == "机密★5年"
    stops = built.paragraphs[at].paragraph_format.tab_stops
    assert [(round(t.position.mm), t.alignment) for t in stops] == [(156, WD_TAB_ALIGNMENT.RIGHT)]


def test_bad_head_marks_are_reported(notice_data, write_notice):
    notice_data.update(copy_number="12a", secrecy="内部", urgency="急")
    assert sorted(f for f, _ in _errors(write_notice(notice_data))) == ["copy_number", "secrecy", "urgency"]


@pytest.mark.libreoffice
@pytest.mark.skipif(__import__("pipeline.pdf.libreoffice", fromlist=["soffice"]).soffice() is None, reason="LibreOffice not installed")
def test_marked_document_keeps_its_head_on_the_page(tmp_path):
    from pipeline.check import ruler
    import yaml

    from pipeline.pdf.libreoffice import to_pdf

    source = _with_head_marks(EXAMPLE_NOTICE, tmp_path, copy_number=1, secrecy="秘密★1年", urgency="特急")
    pdf = to_pdf(build_notice(source, tmp_path / "out"), tmp_path / "marked.pdf")
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    assert ruler.pdf_head(pdf, data["format"], data) == []
