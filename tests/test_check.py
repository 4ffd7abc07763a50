"""Test `check` on notices the pipeline built: good ones pass; a copy with one planted fault is caught with its element."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from docx_surgery import broken_copy, set_font
from lxml import etree
from paths import EXAMPLE_NOTICE, SAMPLE_NOTICE

from pipeline.cli import main

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
LAYOUTS = {"文件格式": EXAMPLE_NOTICE, "信函格式": SAMPLE_NOTICE}
CN_DIGITS = "〇一二三四五六七八九"


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> dict[str, Path]:
    """Build the two good notices once: 文件格式 (county metrology) and 信函格式 (the sample notice)."""
    root = tmp_path_factory.mktemp("good")
    out = {}
    for layout, data in LAYOUTS.items():
        assert main(["notice", "--input", str(data), "--out", str(root / layout)]) == 0
        out[layout] = next((root / layout).glob("*.docx"))
    return out


def check_json(capsys, *files: Path) -> tuple[int, object]:
    code = main(["check", *map(str, files), "--json"])
    return code, json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_good_notice_has_no_error(good, capsys, layout):
    code, result = check_json(capsys, good[layout])
    assert (code, result["layout"], [f for f in result["findings"] if f["severity"] == "error"]) == (0, layout, [])


# --- faults planted one at a time -----------------------------------------------------------------
def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _text(p) -> str:
    return "".join(t.text or "" for t in p.iter(_w("t")))


def _runs_of(root, predicate):
    return [r for p in root.iter(_w("p")) if predicate(p) for r in p.iter(_w("r")) if r.find("w:t", NS) is not None]


def _style(p) -> str:
    s = p.find("w:pPr/w:pStyle", NS)
    return s.get(_w("val")) if s is not None else ""


def margins(root):
    root.find(".//w:sectPr/w:pgMar", NS).set(_w("top"), "1440")


def body_font(root):
    body = next(p for p in root.iter(_w("p")) if not _style(p) and len(_text(p)) > 30)
    for r in body.iter(_w("r")):
        set_font(r, "宋体")


def title_size(root):
    for r in _runs_of(root, lambda p: _style(p) == "GwTitle"):
        rpr = r.find("w:rPr", NS)
        if rpr is None:
            rpr = etree.SubElement(r, _w("rPr"))
            r.remove(rpr)
            r.insert(0, rpr)
        for tag in ("sz", "szCs"):
            etree.SubElement(rpr, _w(tag)).set(_w("val"), "36")


def number_brackets(root):
    for t in root.iter(_w("t")):
        if re.search(r"〔\d{4}〕", t.text or ""):
            t.text = t.text.replace("〔", "[").replace("〕", "]")


def chinese_date(root):
    for t in root.iter(_w("t")):
        m = re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日", t.text or "")
        if m:
            y, mo, d = m.groups()
            t.text = "".join(CN_DIGITS[int(c)] for c in y) + f"年{_cn(int(mo))}月{_cn(int(d))}日"
            return


def _cn(n: int) -> str:
    tens, ones = divmod(n, 10)
    return ("" if tens == 0 else "十" if tens == 1 else CN_DIGITS[tens] + "十") + (CN_DIGITS[ones] if ones else "")


def heading1_font(root):
    runs = [r for r in root.iter(_w("r")) if r.find("w:rPr/w:rStyle[@w:val='GwHeading1']", NS) is not None]
    assert runs, "the notice has no level-1 heading"
    for r in runs:
        set_font(r, "仿宋")


def halfwidth_comma(root):
    body = next(p for p in root.iter(_w("p")) if not _style(p) and "，" in _text(p))
    t = next(t for t in body.iter(_w("t")) if "，" in (t.text or ""))
    t.text = t.text.replace("，", ",", 1)


def no_page_numbers(root):
    for fld in list(root.iter(_w("fldSimple"))):
        fld.getparent().remove(fld)
    for r in [r for r in root.iter(_w("r")) if r.find("w:fldChar", NS) is not None or r.find("w:instrText", NS) is not None]:
        r.getparent().remove(r)


def no_red_lines(root):
    for bdr in list(root.iter(_w("pBdr"))):
        bdr.getparent().remove(bdr)
    for drawing in [d for d in root.iter(_w("drawing"), _w("pict"))]:
        run = drawing.getparent()
        run.getparent().remove(run)


def single_spacing(root):
    """Set exact 28.95 pt spacing to single and drop the document grid single lines would snap to."""
    for grid in list(root.iter(_w("docGrid"))):
        grid.getparent().remove(grid)
    for spacing in root.iter(_w("spacing")):
        if spacing.get(_w("lineRule")) == "exact" and spacing.get(_w("line")) == "579":
            spacing.set(_w("line"), "240")
            spacing.set(_w("lineRule"), "auto")


def _parts(z: zipfile.ZipFile, prefix: str) -> list[str]:
    return [n for n in z.namelist() if n.startswith(prefix) and n.endswith(".xml")]


# fault → (change, parts it edits, elements a finding must name, the codes wanted (a set or a pattern) or None)
LINE_PITCH = re.compile(r"pitch|spacing|grid")  # a code naming the line pitch (line_pitch, line_spacing …)
FAULTS = {
    "margins": (margins, "document", {"page"}, None),
    "body_font": (body_font, "document", {"body"}, None),
    "title_size": (title_size, "document", {"title"}, None),
    "number_brackets": (number_brackets, "document", {"number"}, {"number_format"}),
    "chinese_date": (chinese_date, "document", {"date"}, {"date_format"}),
    "heading1_font": (heading1_font, "document", {"heading1"}, {"font"}),
    "halfwidth_comma": (halfwidth_comma, "document", {"punctuation"}, {"halfwidth_punctuation"}),
    "no_page_numbers": (no_page_numbers, "footer", {"page_number"}, None),
    "no_red_lines": (no_red_lines, "all", {"red_line"}, None),
    "single_spacing": (single_spacing, "layout", {"body", "page"}, LINE_PITCH),
}


def planted(good: dict, layout: str, fault: str, folder: Path) -> Path:
    """Return a copy of the good notice with one fault planted in the parts it lives in."""
    change, where, _, _ = FAULTS[fault]
    source = good[layout]
    with zipfile.ZipFile(source) as z:
        parts = {"document": ["word/document.xml"], "styles": ["word/styles.xml"], "footer": _parts(z, "word/footer"),
                 "layout": ["word/styles.xml", "word/document.xml"],
                 "all": ["word/document.xml"] + _parts(z, "word/header") + _parts(z, "word/footer")}[where]
    current = source
    for n, part in enumerate(parts):
        current = broken_copy(current, folder / f"{fault}-{n}.docx", change, part)
    final = folder / f"{fault}.docx"
    shutil.copy(current, final)
    return final


FAULT_PARAMS = [pytest.param(layout, fault, id=f"{layout}-{fault}")
                for layout in LAYOUTS for fault in FAULTS]


@pytest.mark.parametrize(("layout", "fault"), FAULT_PARAMS)
def test_planted_fault_is_an_error_of_its_element(good, capsys, tmp_path, layout, fault):
    copy = planted(good, layout, fault, tmp_path)
    code, result = check_json(capsys, copy)
    _, _, elements, codes = FAULTS[fault]
    hits = [f for f in result["findings"] if f["severity"] == "error" and f["element"] in elements
            and (codes is None or (codes.search(f["code"]) if isinstance(codes, re.Pattern) else f["code"] in codes))]
    assert code == 1
    assert hits, [(f["code"], f["element"], f["message"]) for f in result["findings"]]


# --- the command itself -------------------------------------------------------------------------
def test_json_is_an_object_for_one_file_and_a_list_for_several(good, capsys):
    code, one = check_json(capsys, good["文件格式"])
    assert code == 0 and isinstance(one, dict) and set(one) == {"file", "layout", "findings"}
    code, both = check_json(capsys, good["文件格式"], good["信函格式"])
    assert code == 0 and isinstance(both, list) and [r["layout"] for r in both] == ["文件格式", "信函格式"]


def test_finding_records_have_every_field(good, capsys, tmp_path):
    _, result = check_json(capsys, planted(good, "文件格式", "number_brackets", tmp_path))
    assert result["findings"]
    fields = {"code", "severity", "element", "page", "paragraph", "message", "found", "want"}
    assert all(set(f) == fields for f in result["findings"])
    number = next(f for f in result["findings"] if f["code"] == "number_format")
    assert (number["found"], number["want"]) == ("宁市监发[2024]15号", "宁市监发〔2024〕15号") and number["paragraph"] > 0


def _usage_error(capsys, path: Path) -> str:
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert re.search(r"[\u4e00-\u9fff]", err)
    return err


def test_missing_file_is_a_usage_error(tmp_path, capsys):
    assert "找不到" in _usage_error(capsys, tmp_path / "没有.docx")


def test_text_file_is_a_usage_error(tmp_path, capsys):
    path = tmp_path / "草稿.txt"
    path.write_text("关于开展检查的通知", encoding="utf-8")
    assert ".docx" in _usage_error(capsys, path)


def test_corrupt_zip_is_a_usage_error(tmp_path, capsys):
    path = tmp_path / "坏文件.docx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    assert "Word" in _usage_error(capsys, path)


def test_zip_bomb_is_refused_unread(tmp_path, capsys, monkeypatch):
    path = tmp_path / "炸弹.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/styles.xml", "<w:styles xmlns:w='%s'/>" % W)
        z.writestr("word/_rels/document.xml.rels", "<Relationships/>")
        with z.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b" " * 2**24
            for _ in range(26):  # 416 MB of blanks, a few hundred kB compressed
                member.write(chunk)
    assert path.stat().st_size < 5 * 2**20

    def never(*args, **kwargs):
        raise AssertionError("the bomb was read")

    monkeypatch.setattr(zipfile.ZipFile, "read", never)
    assert "过大" in _usage_error(capsys, path)


@pytest.mark.libreoffice
@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_pdf_check_of_the_good_notice(good, capsys):
    code, result = check_json(capsys, good["文件格式"], "--pdf")
    assert [f for f in result["findings"] if f["severity"] == "error"] == [] and code == 0
