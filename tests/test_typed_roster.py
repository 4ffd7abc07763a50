"""Test the typed spec end to end in small pieces: spec errors, one bad value per type in the report, headers by
alias, forms without a notice or a unit column, and the contact form unchanged."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from paths import REPO

from pipeline import cli
from pipeline.core.errors import InputError
from pipeline.core.problems import RETURN_TEMPLATES, VALUE_CODES
from pipeline.forms.columns import TYPES, Column
from pipeline.forms.spec import CONTACT_SPEC, read_spec
from pipeline.roster.stage import build_roster
from pipeline.roster.values import clean_value

ALL_TYPES = """\
title: 全类型测试表
columns:
  - 序号
  - {name: 填报单位, key: unit, type: unit}
  - {name: 负责人, key: person, type: person, required: true}
  - {name: 性别, key: gender, type: gender}
  - {name: 项目名称, key: project, type: text, required: true, aliases: [课题名称]}
  - {name: 级别, key: level, type: choice, choices: [国家级, 省级, 市级]}
  - {name: 手机, key: mobile, type: mobile}
  - {name: 座机, key: landline, type: landline}
  - {name: 电话, key: phone, type: phone}
  - {name: 邮箱, key: email, type: email}
  - {name: 身份证号, key: id_card, type: id_card}
  - {name: 信用代码, key: credit_code, type: credit_code}
  - {name: 立项日期, key: started, type: date, min: 2000-01-01}
  - {name: 人数, key: staff, type: integer, min: 1, max: 500}
  - {name: 经费（万元）, key: budget, type: decimal, min: 0}
key: [project]
form: {instruction: 请如实填写。, rows: 10}
"""
RECIPIENTS = "id,name,aliases,category\nqinghe,示例市青河区科技局,青河区,区\nbaishi,示例市白石区科技局,白石区,\n"
CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def id_card(body: str) -> str:
    """Return an 18-character ID number: body (17 digits) and its GB 11643 check character."""
    total = sum(int(d) * (2 ** (17 - i) % 11) for i, d in enumerate(body))
    return body + "10X98765432"[total % 11]


def credit_code(body: str) -> str:
    """Return an 18-character credit code: body (17 characters) and its GB 32100 check character."""
    total = sum(CREDIT_ALPHABET.index(c) * (3 ** i % 31) for i, c in enumerate(body))
    return body + CREDIT_ALPHABET[(31 - total % 31) % 31]


GOOD = ["1", "示例市青河区科技局", "李 玥", "女", "智能传感课题", "省级", "13800001111", "010-62083702", "0571-87650001",
        "li@example.cn", id_card("99010119800101123"), credit_code("91990101MA0001101"), dt.date(2021, 3, 5), 12, 1200.5]
BAD = ["2", "示例市青河区科技局", "", "未知", "智能传感课题", "国家", "1380000111", "62083702", "12345", "li@", 
       id_card("99010119800101123")[:-1] + "0", "91990101MA0001101I", "2021-02-30", "十二", "1,2万"]
RANGE = ["3", "示例市青河区科技局", "王强", "男", "另一课题", "市级", "", "", "", "", "", "", "1999-12-31", 501, -1]


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def spec_file(tmp_path) -> Path:
    return write(tmp_path / "spec.yaml", ALL_TYPES)


@pytest.fixture
def recipients(tmp_path) -> Path:
    return write(tmp_path / "recipients.csv", RECIPIENTS)


def returned_with(tmp_path: Path, rows: list[list], header: list[str] | None = None) -> Path:
    """Write a return of 青河区 with the spec's header (or header) and rows; return its folder."""
    folder = tmp_path / "returned"
    folder.mkdir(exist_ok=True)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header or [c.name for c in read_spec(tmp_path / "spec.yaml").columns])
    for row in rows:
        sheet.append(row)
    book.save(folder / "青河区.xlsx")
    return folder


def roster(tmp_path: Path, spec_file: Path, recipients: Path):
    return build_roster(tmp_path / "returned", recipients, tmp_path / "out", spec=read_spec(spec_file))


def test_one_bad_value_per_type_is_reported_with_its_column(tmp_path, spec_file, recipients):
    returned_with(tmp_path, [GOOD, BAD, RANGE])
    report = roster(tmp_path, spec_file, recipients)
    found = [(p.row, p.column, p.field, p.code) for p in report.problems]
    assert found == [
        (3, "C", "负责人", "missing_value"), (3, "D", "性别", "invalid_gender"), (3, "F", "级别", "invalid_choice"),
        (3, "G", "手机", "invalid_mobile"), (3, "H", "座机", "invalid_office_phone"), (3, "I", "电话", "invalid_phone"),
        (3, "J", "邮箱", "invalid_email"), (3, "K", "身份证号", "invalid_id_card"),
        (3, "L", "信用代码", "invalid_credit_code"), (3, "M", "立项日期", "invalid_date"),
        (3, "N", "人数", "invalid_integer"), (3, "O", "经费（万元）", "invalid_decimal"),
        (4, "M", "立项日期", "out_of_range"), (4, "N", "人数", "out_of_range"), (4, "O", "经费（万元）", "out_of_range"),
        (2, "", "项目名称", "duplicate_row"), (3, "", "项目名称", "duplicate_row")]
    assert {p.code for p in report.problems} <= set(RETURN_TEMPLATES)


def test_clean_values_are_normalised_into_the_roster_by_key(tmp_path, spec_file, recipients):
    returned_with(tmp_path, [GOOD])
    report = roster(tmp_path, spec_file, recipients)
    assert report.problems == []
    with open(tmp_path / "out" / "roster.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["unit_id", "unit", "person", "gender", "project", "level", "mobile", "landline", "phone",
                             "email", "id_card", "credit_code", "started", "staff", "budget", "source_file",
                             "source_sheet", "source_row"]
    assert [rows[0][k] for k in ("unit_id", "person", "started", "staff", "budget", "level")] == [
        "qinghe", "李玥", "2021-03-05", "12", "1200.5", "省级"]
    assert [u.category for u in report.units] == ["区", "未分类"]


def test_headers_are_matched_by_alias_moved_and_renamed(tmp_path, spec_file, recipients):
    header = ["信用代码", "课题名称", "负责人", "填报单位"]
    returned_with(tmp_path, [[credit_code("91990101MA0001101"), "智能传感课题", "李玥", "示例市青河区科技局"]], header)
    report = roster(tmp_path, spec_file, recipients)
    assert [(r["unit_id"], r["project"], r["person"]) for r in report.rows] == [("qinghe", "智能传感课题", "李玥")]
    assert report.problems == []


def test_a_column_the_form_lacks_is_reported_as_not_consolidated_without_a_note_column(tmp_path, spec_file,
                                                                                     recipients):
    header = ["填报单位", "负责人", "项目名称", "籍贯"]
    returned_with(tmp_path, [["示例市青河区科技局", "李玥", "智能传感课题", "浙江"]], header)
    report = roster(tmp_path, spec_file, recipients)
    [problem] = report.problems
    assert (problem.code, problem.column, problem.field) == ("extra_column", "D", "籍贯")
    assert "未汇总" in problem.message


def test_status_pdf_and_summary_name_the_form(tmp_path, spec_file, recipients, capsys):
    returned_with(tmp_path, [GOOD])
    args = ["roster", "--spec", str(spec_file), "--returned", str(tmp_path / "returned"), "--recipients",
            str(recipients), "--out", str(tmp_path / "out")]
    assert cli.main(args) == 0
    assert "已汇总 1 条" in capsys.readouterr().out
    pdf = (tmp_path / "out" / "status.pdf").read_bytes()
    assert b"/Title" in pdf
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(tmp_path / "out" / "status.pdf"), "-"], capture_output=True,
                              text=True, check=True).stdout
        assert "全类型测试表回执汇总情况" in text and "汇总条目 1 条" in text and "联系人" not in text
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert report["counts"]["people"] == 1 and report["counts"]["categories"] == {
        "区": {"ok": 1, "errors": 0, "missing": 0}, "未分类": {"ok": 0, "errors": 0, "missing": 1}}


@pytest.mark.parametrize("change, expected", [
    ("{name: 级别, key: level, type: choice, choices: [国家级, 省级, 市级]}", None),
    ("{name: 级别, key: level, type: choice}", (8, "columns[6].choices", "missing_value")),
    ("{name: 级别, key: level, type: choise, choices: [国家级]}", (8, "columns[6].type", "invalid_value")),
    ("{name: 级别, key: level, typ: choice, choices: [国家级]}", (8, "columns[6].typ", "unknown_key")),
    ("{name: 级别, key: level, type: text, min: 1}", (8, "columns[6].min", "invalid_value")),
    ("{name: 级别, key: 级别, type: text}", (8, "columns[6].key", "invalid_value")),
    ("{name: 级别, key: project, type: text}", (8, "columns[6].key", "invalid_value")),
    ("{name: 级别, key: source_row, type: text}", (8, "columns[6].key", "invalid_value")),
    ("{name: 级别, key: unit, type: text}", [(8, "columns[6].key", "invalid_value")] * 2),
    ("{name: 项目名称, key: level, type: text}", (8, "columns[6].name", "invalid_value")),
    ("{name: 级别, key: level, type: integer, min: 5, max: 1}", (8, "columns[6].min", "invalid_value")),
    ("{name: 级别, key: level, type: date, min: 3}", (8, "columns[6].min", "invalid_value")),
])
def test_a_bad_column_is_named_with_its_line(tmp_path, change, expected):
    text = ALL_TYPES.replace("{name: 级别, key: level, type: choice, choices: [国家级, 省级, 市级]}", change)
    path = write(tmp_path / "spec.yaml", text)
    if expected is None:
        assert len(read_spec(path).columns) == 15
        return
    with pytest.raises(InputError) as caught:
        read_spec(path)
    assert [(p.row, p.field, p.code) for p in caught.value.errors] == (expected if isinstance(expected, list)
                                                                         else [expected])


def test_a_key_naming_no_column_is_an_error(tmp_path):
    path = write(tmp_path / "spec.yaml", ALL_TYPES.replace("key: [project]", "key: [projet]"))
    with pytest.raises(InputError) as caught:
        read_spec(path)
    assert [(p.row, p.field) for p in caught.value.errors] == [(18, "key[1]")]
    assert "projet" in caught.value.errors[0].message


def test_forms_run_without_a_notice_and_without_a_unit_column(tmp_path, recipients):
    spec = write(tmp_path / "spec.yaml", ALL_TYPES.replace("  - {name: 填报单位, key: unit, type: unit}\n", "")
                 .replace("form: {instruction: 请如实填写。, rows: 10}",
                          "form: {instruction: 请如实填写。, rows: 10, authority: 示例市科技局, date: 2025-05-12}"))
    args = ["forms", "--spec", str(spec), "--recipients", str(recipients), "--out", str(tmp_path / "forms")]
    assert cli.main(args) == 0
    names = sorted(p.name for p in (tmp_path / "forms").iterdir() if not p.name.startswith("."))
    assert names == ["manifest.json", "全类型测试表-示例市白石区科技局.xlsx", "全类型测试表-示例市青河区科技局.xlsx", "全类型测试表.xlsx"]
    book = openpyxl.load_workbook(tmp_path / "forms" / "全类型测试表-示例市青河区科技局.xlsx")
    assert book.active["A2"].value.startswith("填报单位：示例市青河区科技局")
    assert book.properties.creator == "示例市科技局" and book.properties.created.date() == dt.date(2025, 5, 12)
    roles = {e["role"] for e in json.loads((tmp_path / "forms" / "manifest.json").read_text("utf-8"))["files"]}
    assert roles == {"form", "blank_form"}


def test_a_notice_that_does_not_list_the_spec_lends_its_authority_only(tmp_path, recipients, spec_file):
    args = ["forms", "--spec", str(spec_file), "--notice", str(REPO / "inputs" / "notice.yaml"),
            "--recipients", str(recipients), "--out", str(tmp_path / "forms")]
    assert cli.main(args) == 0
    book = openpyxl.load_workbook(tmp_path / "forms" / "全类型测试表.xlsx")
    assert book.properties.creator == "国家知识产权局办公室"


def test_the_contact_spec_is_the_annex2_columns():
    spec = read_spec(REPO / "inputs" / "annex2.yaml")
    assert spec.columns == CONTACT_SPEC.columns and spec.entry_key == ("name", "mobile")
    assert [c.key for c in spec.data_columns] == ["name", "gender", "title", "office_phone", "mobile", "note"]


def test_every_typed_code_has_a_chinese_template():
    assert set(VALUE_CODES) <= set(RETURN_TEMPLATES)
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in RETURN_TEMPLATES[c][1]) for c in VALUE_CODES)
    assert all(RETURN_TEMPLATES[c][2].startswith("{where}") for c in VALUE_CODES)


HOSTILE_CELLS = [None, "", 0, -0.0, float("inf"), float("nan"), 1e308, -1e308, 2 ** 80, True, "9" * 5000, "1e309",
                 "NaN", "∞", "1,2,3", "2021年13月40日", "0000-00-00", "10000-01-01", "2958466", "-45000",
                 dt.datetime(1, 1, 1), dt.date(9999, 12, 31), dt.time(12, 0), dt.timedelta(days=3), "\x00\x01",
                 "\u202e123", "a" * 100_000, "＠＠", "X" * 18, "I" * 18, "١٢٣", "一二三"]


@pytest.mark.parametrize("kind", sorted(TYPES))
def test_no_hostile_cell_breaks_the_normaliser(kind):
    bounded = {"minimum": 0, "maximum": 10} if kind in ("integer", "decimal") else {}
    column = Column("列", "k", kind, choices=("是", "否") if kind == "choice" else (), **bounded)
    for raw in HOSTILE_CELLS:
        value, issue = clean_value(column, raw)
        assert isinstance(value, str) and (issue is None or issue.code in RETURN_TEMPLATES), (kind, raw)


def chart_labels(pdf: Path) -> list[tuple[str, float, float]]:
    """Return the words on the chart's label row of status.pdf (text, left, right), left to right."""
    done = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True,
                          check=True)
    words = [(m[4], float(m[1]), float(m[3]), round(float(m[2]))) for m in re.finditer(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', done.stdout)]
    top = next(w[3] for w in words if w[0] == "未报")  # the legend opens the chart
    bottom = min(w[3] for w in words if w[0].startswith(("未报单位", "图中编号")))  # what follows the chart
    row = max(w[3] for w in words if top < w[3] < bottom)  # the labels are the chart's lowest line
    return sorted(((w[0], w[1], w[2]) for w in words if w[3] == row), key=lambda w: w[1])


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler (pdftotext) is not installed")
@pytest.mark.parametrize("names, shown", [
    (["区", "县", "县级市", "开发区"], ["区", "县", "县级市", "开发区"]),
    ([f"第{i}类很长很长的类别名称" for i in range(24)], [str(i) for i in range(1, 25)]),
])
def test_chart_labels_are_the_categories_or_numbers_and_never_overlap(tmp_path, names, shown):
    lines = ["id,name,aliases,category"] + [f"u{i},示例单位{i},,{name}" for i, name in enumerate(names)]
    recipients = write(tmp_path / "recipients.csv", "\n".join(lines) + "\n")
    (tmp_path / "returned").mkdir()
    build_roster(tmp_path / "returned", recipients, tmp_path / "out")
    labels = chart_labels(tmp_path / "out" / "status.pdf")
    assert [text for text, _, _ in labels] == shown
    assert all(right <= next_left for (_, _, right), (_, next_left, _) in zip(labels, labels[1:]))
    text = subprocess.run(["pdftotext", str(tmp_path / "out" / "status.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout.replace("\n", "")
    assert ("图中编号：1 第0类很长很长的类别名称；2 第1类" in text) == (shown != names)


@pytest.mark.parametrize("change, expected", [
    (("{name: 项目名称, key: project, type: text, required: true, aliases: [课题名称]}",
      "{name: 项目名称, key: project, type: text, required: true, aliases: [课题名称, 课题名称]}"),
     [(7, "columns[5].aliases", "invalid_value")]),
    (("choices: [国家级, 省级, 市级]", "choices: [国家级, 省级, 省级]"), [(8, "columns[6].choices", "invalid_value")]),
    (("key: [project]", "key: [project, project]"), [(18, "key", "invalid_value")]),
])
def test_a_value_written_twice_in_a_list_is_named(tmp_path, change, expected):
    path = write(tmp_path / "spec.yaml", ALL_TYPES.replace(*change))
    with pytest.raises(InputError) as caught:
        read_spec(path)
    assert [(p.row, p.field, p.code) for p in caught.value.errors] == expected
    assert "重复" in caught.value.errors[0].message or "两次" in caught.value.errors[0].message
