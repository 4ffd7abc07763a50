"""Test the typed form spec against hostile and unusual input: spec files, returned files and generated forms."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics

from pipeline import cli
from pipeline.core.errors import InputError
from pipeline.forms.spec import read_spec
from pipeline.pdf.fonts import cjk_fonts
from pipeline.roster.stage import build_roster
from pipeline.roster.status import fit_label

FORM = "form: {instruction: 请如实填写。, rows: 5}\n"
RECIPIENTS = "id,name,aliases,category\nqinghe,示例市青河区科技局,青河区,区\nbaishi,示例市白石区科技局,白石区,\n"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def spec_errors(tmp_path: Path, text: str) -> list[tuple[int, str]]:
    """Return (line, field) of every error read_spec finds in a spec text."""
    with pytest.raises(InputError) as caught:
        read_spec(write(tmp_path / "spec.yaml", text))
    return [(p.row, p.field) for p in caught.value.errors]


@pytest.mark.parametrize("bounds", ["min: .nan", "max: .inf", "min: -.inf", "min: 99999999999999999999",
                                    "min: 1899-12-31"])
def test_a_bound_excel_cannot_hold_is_refused(tmp_path, bounds):
    kind = "date" if "1899" in bounds else "decimal"
    text = f"title: 表\ncolumns:\n  - {{name: 金额, key: amount, type: {kind}, {bounds}}}\n" + FORM
    assert spec_errors(tmp_path, text) == [(3, "columns[1]." + bounds.split(":")[0])]


def returned(tmp_path: Path, rows: list[list], name: str = "青河区.xlsx") -> Path:
    """Write one returned workbook of rows into tmp_path/returned; return the folder."""
    folder = tmp_path / "returned"
    folder.mkdir(exist_ok=True)
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(folder / name)
    return folder


def roster(tmp_path: Path, spec_text: str):
    """Consolidate tmp_path/returned by a spec text; return the report."""
    spec = read_spec(write(tmp_path / "spec.yaml", spec_text))
    recipients = write(tmp_path / "recipients.csv", RECIPIENTS)
    return build_roster(tmp_path / "returned", recipients, tmp_path / "out", spec=spec)


def test_a_choice_that_reads_like_a_placeholder_is_an_answer(tmp_path):
    spec = ("title: 表\ncolumns:\n  - {name: 企业名称, key: company, required: true}\n"
            "  - {name: 有无失信记录, key: record, type: choice, required: true, choices: [有, 无]}\n"
            "  - {name: 标记, key: mark, type: choice, choices: [√, ×]}\n" + FORM)
    returned(tmp_path, [["企业名称", "有无失信记录", "标记"], ["甲公司", "无", "×"], ["乙公司", " 无 ", "√"],
                        ["丙公司", "-", ""]])
    report = roster(tmp_path, spec)
    assert [(r["company"], r["record"], r["mark"]) for r in report.rows] == [
        ("甲公司", "无", "×"), ("乙公司", "无", "√"), ("丙公司", "", "")]
    assert [(p.row, p.code) for p in report.problems] == [(4, "missing_value")]


@pytest.mark.parametrize("stage", ["forms", "roster"])
def test_a_manifest_folder_inside_the_output_folder_is_refused_before_anything_is_written(tmp_path, stage):
    spec = write(tmp_path / "spec.yaml", "title: 表\ncolumns:\n  - 企业名称\n" + FORM)
    recipients = write(tmp_path / "recipients.csv", RECIPIENTS)
    out = tmp_path / "out"
    args = [stage, "--spec", str(spec), "--recipients", str(recipients), "--out", str(out),
            "--manifest", str(out / "manifest")]
    if stage == "roster":
        args += ["--returned", str(returned(tmp_path, [["企业名称"], ["甲公司"]]))]
    assert cli.main(args) == 2  # it used to succeed once, then refuse every later run (a foreign folder in out)
    assert not out.exists()


def test_a_column_named_like_a_formula_stays_text_from_the_form_to_roster_csv(tmp_path):
    spec = write(tmp_path / "spec.yaml", "title: 表\ncolumns:\n  - '=HYPERLINK(\"http://x\",\"点我\")'\n"
                 "  - {name: '@合计', key: total, type: integer}\n  - 企业名称\n" + FORM)
    recipients = write(tmp_path / "recipients.csv", RECIPIENTS)
    assert cli.main(["forms", "--spec", str(spec), "--recipients", str(recipients), "--out", str(tmp_path / "forms")]) == 0
    book = openpyxl.load_workbook(tmp_path / "forms" / "表-示例市青河区科技局.xlsx")
    sheet = book.active
    assert [sheet.cell(3, i).data_type for i in (1, 2)] == ["s", "s"]
    sheet["A4"], sheet["B4"], sheet["C4"] = "甲", 3, "甲公司"
    (tmp_path / "returned").mkdir()
    book.save(tmp_path / "returned" / "青河区.xlsx")
    args = ["roster", "--spec", str(spec), "--returned", str(tmp_path / "returned"), "--recipients", str(recipients),
            "--out", str(tmp_path / "out")]
    assert cli.main(args) == 0
    header, row = (tmp_path / "out" / "roster.csv").read_text(encoding="utf-8-sig").splitlines()
    assert header.startswith('unit_id,unit,"\'=HYPERLINK(') and row.startswith("qinghe,示例市青河区科技局,甲,3,甲公司,")


@pytest.mark.parametrize("columns", ["[序号, {name: 推荐单位, key: unit, type: unit}]", "[序号]", "[序号, 备注]"])
def test_a_spec_without_a_column_to_fill_in_is_refused(tmp_path, columns):
    assert spec_errors(tmp_path, f"title: 表\ncolumns: {columns}\n" + FORM) == [(2, "columns")]


def test_a_key_naming_the_index_column_is_an_error_not_a_crash_of_the_roster(tmp_path):
    assert spec_errors(tmp_path, "title: 表\ncolumns:\n  - 序号\n  - 企业名称\nkey: [seq]\n") == [(5, "key[1]")]


def test_columns_told_apart_only_by_their_brackets_are_both_consolidated(tmp_path):
    spec = ("title: 表\ncolumns:\n  - {name: 企业名称, key: company, required: true}\n"
            "  - {name: 营业收入（2023年）, key: rev2023, type: decimal}\n"
            "  - {name: 营业收入（2024年）, key: rev2024, type: decimal}\n" + FORM)
    returned(tmp_path, [["企业名称", "营业收入(2024年)", "营业收入（2023年）"], ["甲公司", 200, 100]])
    report = roster(tmp_path, spec)
    assert [(r["rev2023"], r["rev2024"]) for r in report.rows] == [("100", "200")]
    assert report.problems == []


@pytest.mark.parametrize("name", ["县", "国家级经济技术开发区", "国家级高新技术产业开发区（含托管园区）" * 3, "a,b=1+1"])
def test_a_free_text_category_fits_under_its_bars(name):
    font = cjk_fonts()["song"]
    width = 30 * mm  # five categories on an A4 page
    fitted = fit_label(name, font, width)
    if len(name) > 40:  # too long even on two lines: the chart numbers its bars and lists the names below it
        assert fitted is None
        return
    size, lines = fitted
    assert 1 <= len(lines) <= 2 and all(pdfmetrics.stringWidth(line, font, size) <= width for line in lines)
    assert "".join(lines) == name


def test_the_hidden_choices_sheet_of_a_returned_form_is_not_read_as_entries(tmp_path):
    lists = ("  - {name: 材料名称, key: doc, required: true}\n"
             "  - {name: 缺少的材料, key: lack, type: choice, choices: [材料名称, '营业执照,副本', 身份证]}\n"
             "  - {name: 需补充的材料, key: more, type: choice, choices: [缺少的材料, '营业执照,正本', 身份证]}\n"
             "  - {name: 备选材料, key: alt, type: choice, choices: [需补充的材料, '营业执照,复印件', 身份证]}\n")
    spec = write(tmp_path / "spec.yaml", "title: 材料清单\ncolumns:\n  - 序号\n" + lists + FORM)
    recipients = write(tmp_path / "recipients.csv", RECIPIENTS)
    assert cli.main(["forms", "--spec", str(spec), "--recipients", str(recipients), "--out", str(tmp_path / "forms")]) == 0
    book = openpyxl.load_workbook(tmp_path / "forms" / "材料清单-示例市青河区科技局.xlsx")
    assert book.worksheets[1].sheet_state == "hidden"  # its first row reads like the header
    book.active["B4"] = "营业执照"
    (tmp_path / "returned").mkdir()
    book.save(tmp_path / "returned" / "青河区.xlsx")
    report = build_roster(tmp_path / "returned", recipients, tmp_path / "out", spec=read_spec(spec))
    assert [(r["source_sheet"], r["doc"]) for r in report.rows] == [("材料清单", "营业执照")]
    assert report.problems == []


def test_a_typed_column_keyed_like_a_contact_column_keeps_its_own_meaning(tmp_path):
    spec = ("title: 表\ncolumns:\n  - {name: 企业名称, key: name, required: true}\n"
            "  - {name: 注册资本（万元）, key: title, type: decimal}\n  - {name: 说明, key: note, type: integer}\n" + FORM)
    returned(tmp_path, [["企业名称", "职务", "注册资本（万元）", "说明", "籍贯"], ["", "处长", 100, 1, "浙江"],
                        ["乙公司", "", 200, 2, ""], ["乙公司", "", 300, 3, ""]])
    report = roster(tmp_path, spec)
    assert [(r["name"], r["title"], r["note"]) for r in report.rows] == [("", "100", "1"), ("乙公司", "200", "2"),
                                                                       ("乙公司", "300", "3")]
    found = [(p.code, p.column, p.field) for p in report.problems]
    assert found == [("missing_value", "A", "企业名称"), ("extra_column", "B", "职务"), ("extra_column", "E", "籍贯")]
