"""Test the typed-form loop end to end: forms → copies filled as units fill them → roster --spec, and the example."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from paths import REPO

from pipeline.core.problems import ERROR, VALUE_CODES
from pipeline.core.recipients import load_recipients
from tools import sample_companies
from tools.sample_companies import check_character

EXAMPLE = REPO / "inputs" / "examples" / "companies"
ROSTER_HEADER = ["unit_id", "unit", "company", "credit_code", "founded", "rd_spend", "hitech", "phone",
                 "source_file", "source_sheet", "source_row"]
TITLE = "知识产权质押融资推荐企业汇总表"
SPEC = """\
number: 1
title: 知识产权质押融资推荐企业汇总表
columns:
  - 序号
  - {name: 推荐单位, key: unit, type: unit}
  - {name: 企业名称, key: company, type: text, required: true, aliases: [单位名称, 公司名称]}
  - {name: 统一社会信用代码, key: credit_code, type: credit_code, required: true}
  - {name: 成立日期, key: founded, type: date}
  - {name: 研发投入（万元）, key: rd_spend, type: decimal, min: 0}
  - {name: 是否高新技术企业, key: hitech, type: choice, choices: [是, 否]}
  - {name: 联系电话, key: phone, type: phone}
key: [credit_code]
form:
  instruction: 填表说明：每家推荐企业填一行；成立日期写作 2021-03-05；研发投入单位万元。请于2025年5月30日前反馈。
  rows: 12
  reply_by: 2025-05-30
  authority: 示例市知识产权局
  date: 2025-05-12
"""
HEADER = ("序号", "推荐单位", "企业名称", "统一社会信用代码", "成立日期", "研发投入（万元）", "是否高新技术企业", "联系电话")
RECIPIENTS = """\
id,name,aliases,category
qinghe,示例市青河区市场监督管理局,青河区|青河区局,市辖区
baishi,示例市白石区市场监督管理局,白石区|白石区局,市辖区
xian-e,示例市戊县市场监督管理局,戊县|戊县局,县
xian-f,示例市己县市场监督管理局,己县|己县局,县
lingang,示例市临港经济开发区管理委员会,临港开发区|临港经开区,开发区
nanling,示例市南岭市市场监督管理局,南岭市|南岭市局,县级市
"""
NAMES = {"qinghe": "示例市青河区市场监督管理局", "baishi": "示例市白石区市场监督管理局", "xian-e": "示例市戊县市场监督管理局",
         "xian-f": "示例市己县市场监督管理局", "lingang": "示例市临港经济开发区管理委员会",
         "nanling": "示例市南岭市市场监督管理局"}


def code(serial: int) -> str:
    """Return a fictitious valid credit code (region 990201, no such province) with its GB 32100 check character."""
    body = f"91990201MA{serial:07d}"
    return body + check_character(body)


SHARED = code(9)  # the company two units recommend
BAD_CHECK = code(6)[:-1] + ("0" if code(6)[-1] != "0" else "1")
# The rows each unit types in, from row 4: 企业名称, 统一社会信用代码, 成立日期, 研发投入, 是否高新, 联系电话.
FILLS = {
    "qinghe": [  # Excel date cells, a serial number in a date cell, numbers as numbers, a mobile as a number
        ("示例星辰光电有限公司", code(1), dt.datetime(2016, 4, 18), 356.8, "是", 13800010001),
        ("示例云帆智能装备有限公司", code(2), 44260, 1200, "否", "0591-87650001"),
        ("示例澄明新材料股份有限公司", SHARED, dt.datetime(2012, 8, 30), 2480, "否", "13800010003"),
    ],
    "baishi": [  # text dates and amounts as clerks type them, a credit code retyped in lower case with spaces
        ("示例青禾生物医药有限公司", " ".join(code(3).lower()[i:i + 4] for i in range(0, 18, 4)), "2021年3月5日",
         "1,200.5", "是", "138 0002 0001"),
        ("示例知远软件有限公司", code(4), "2020/7/16", "86.5", "否", "13800020002"),
        ("示例汇川检测技术有限公司", code(5), "2018.10.9", "2,000", "是", "0591-87650002"),
    ],
    "xian-e": [  # exported as a GBK CSV with 企业名称 renamed 公司名称
        ("示例锦程物流有限公司", code(7), "2017-05-20", "1,050", "否", "13800070001"),
        ("示例安澜化工有限公司", code(8), "2011-02-28", "300", "是", "0591-87650007"),
    ],
    "xian-f": [  # one clean row, then one mistake per row
        ("示例北辰机械制造有限公司", code(10), "2014-09-01", 620, "是", "13800040001"),
        ("示例松石食品有限公司", BAD_CHECK, "2017-03-15", 45, "是", "13800040002"),
        (None, code(11), "2022-01-10", 12, "否", "13800040003"),
        ("示例远山农业科技有限公司", code(12), "2019-06-20", 130, "是的", "13800040004"),
        ("示例启明电子有限公司", code(13), "2020-12-01", -50, "是", "13800040005"),
        ("示例溪谷茶业有限公司", code(14), "2021-02-30", 66, "否", "13800040006"),
        ("示例泓远医疗器械有限公司", code(15), "2016-08-08", 540, "是", "1380004007"),
    ],
    "lingang": [  # recommends the company 青河区 recommends too
        ("示例澄明新材料股份有限公司", SHARED, "2012-08-30", 2480, "否", "13800050001"),
        ("示例东湖光学仪器有限公司", code(16), "2015-03-03", 760, "是", "13800050002"),
    ],
}
RENAMED = "推荐企业（最终版）.xlsx"  # baishi's file: no unit in its name, matched by its recipient_id
EXPORTED = "戊县推荐企业.csv"
STATUS = {"qinghe": "ok", "baishi": "ok", "xian-e": "ok", "xian-f": "errors", "lingang": "ok", "nanling": "missing"}
CLEAN_UNITS = ("qinghe", "baishi", "xian-e", "lingang")


# Helpers -----------------------------------------------------------------------------------
def pipeline(*args: str) -> subprocess.CompletedProcess:
    """Run python -m pipeline from the repository root; fail with its output unless it exits 0."""
    done = subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=REPO, capture_output=True, text=True,
                          timeout=600, check=False)
    assert done.returncode == 0, f"exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done


def personalised(folder: Path) -> dict[str, Path]:
    """Return the personalised forms of a folder by their recipient_id property (the blank form has none)."""
    found = {}
    for path in sorted(folder.glob("*.xlsx")):
        props = openpyxl.load_workbook(path).custom_doc_props
        if "recipient_id" in props.names:
            found[props["recipient_id"].value] = path
    return found


def header_columns(sheet) -> dict[str, int]:
    """Return the form's columns by header text (row 3)."""
    return {cell.value: cell.column for cell in sheet[3] if cell.value}


def fill(form: Path, rows: list[tuple], dest: Path) -> Path:
    """Type rows into a copy of a personalised form from row 4, as a unit does in Excel, and save it as dest."""
    book = openpyxl.load_workbook(form)
    sheet = book.active
    columns = header_columns(sheet)
    for r, row in enumerate(rows, start=4):
        for name, value in zip(HEADER[2:], row):
            if value is not None:
                sheet.cell(r, columns[name]).value = value
    book.save(dest)
    return dest


def export_csv(filled: Path, dest: Path, encoding: str = "gbk") -> Path:
    """Save a filled form's header and filled rows as CSV (企业名称 renamed 公司名称), as a clerk exports them."""
    sheet = openpyxl.load_workbook(filled).active
    lines = [["公司名称" if v == "企业名称" else v for v in (c.value for c in sheet[3])]]
    for row in sheet.iter_rows(min_row=4, values_only=True):
        if any(v is not None for v in row[2:]):
            lines.append(["" if v is None else v for v in row])
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(lines)
    dest.write_bytes(buffer.getvalue().encode(encoding))
    return dest


def read_roster(out: Path) -> tuple[list[str], list[dict]]:
    """Return roster.csv's header and rows (it must start with a UTF-8 BOM)."""
    data = (out / "roster.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    return rows[0], [dict(zip(rows[0], row)) for row in rows[1:]]


def problems(report: dict) -> list[tuple]:
    """Project report.json's problems on (file, row, field, code)."""
    return sorted((p["path"], p["row"], p["field"], p["code"]) for p in report["problems"])


def values(rows: list[dict]) -> list[tuple]:
    """Project roster rows on the unit, the typed values and where each came from."""
    return sorted(tuple(row[k] for k in ROSTER_HEADER if k != "source_sheet") for row in rows)


# The loop ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def loop(tmp_path_factory) -> dict:
    """Run forms, fill the copies as the units would, run roster --spec; return what each step gave."""
    tmp = tmp_path_factory.mktemp("typed")
    spec, recipients = tmp / "spec.yaml", tmp / "recipients.csv"
    spec.write_text(SPEC, encoding="utf-8")
    recipients.write_text(RECIPIENTS, encoding="utf-8")
    forms, returned, out = tmp / "forms", tmp / "returned", tmp / "out"
    returned.mkdir()
    pipeline("forms", "--spec", str(spec), "--recipients", str(recipients), "--out", str(forms))
    copies = personalised(forms)
    names = {unit: copies[unit].name for unit in ("qinghe", "xian-f", "lingang") if unit in copies}
    names |= {"baishi": RENAMED, "xian-e": EXPORTED}
    for unit, rows in FILLS.items():
        if unit == "xian-e":
            export_csv(fill(copies[unit], rows, tmp / "xian-e.xlsx"), returned / EXPORTED)
        else:
            fill(copies[unit], rows, returned / names[unit])
    pipeline("roster", "--spec", str(spec), "--returned", str(returned), "--recipients", str(recipients),
             "--out", str(out))
    header, rows = read_roster(out)
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return {"copies": copies, "names": names, "header": header, "rows": rows, "report": report, "out": out}


def test_forms_are_personalised_per_unit(loop):
    copies = loop["copies"]
    assert sorted(copies) == sorted(NAMES)
    for unit, path in copies.items():
        sheet = openpyxl.load_workbook(path).active
        columns = header_columns(sheet)
        assert (sheet.cell(1, 1).value, tuple(columns)) == (TITLE, HEADER)
        assert sheet.cell(2, 1).value.split("\n")[0] == f"填报单位：{NAMES[unit]}"
        assert sheet.cell(4, columns["推荐单位"]).value == NAMES[unit]


def test_every_unit_has_its_status(loop):
    assert {u["id"]: u["status"] for u in loop["report"]["units"]} == STATUS
    assert {u["id"]: u["category"] for u in loop["report"]["units"]} == {
        "qinghe": "市辖区", "baishi": "市辖区", "xian-e": "县", "xian-f": "县", "lingang": "开发区", "nanling": "县级市"}


def test_roster_has_the_spec_columns(loop):
    assert loop["header"] == ROSTER_HEADER
    assert {p.name for p in loop["out"].iterdir()} >= {"roster.csv", "roster.xlsx", "report.json", "status.pdf"}


def test_clean_rows_are_normalised(loop):
    names = loop["names"]
    want = [
        ("qinghe", NAMES["qinghe"], "示例星辰光电有限公司", code(1), "2016-04-18", "356.8", "是", "13800010001",
         names["qinghe"], "4"),
        ("qinghe", NAMES["qinghe"], "示例云帆智能装备有限公司", code(2), "2021-03-05", "1200", "否", "0591-87650001",
         names["qinghe"], "5"),
        ("qinghe", NAMES["qinghe"], "示例澄明新材料股份有限公司", SHARED, "2012-08-30", "2480", "否", "13800010003",
         names["qinghe"], "6"),
        ("baishi", NAMES["baishi"], "示例青禾生物医药有限公司", code(3), "2021-03-05", "1200.5", "是", "13800020001",
         RENAMED, "4"),
        ("baishi", NAMES["baishi"], "示例知远软件有限公司", code(4), "2020-07-16", "86.5", "否", "13800020002", RENAMED, "5"),
        ("baishi", NAMES["baishi"], "示例汇川检测技术有限公司", code(5), "2018-10-09", "2000", "是", "0591-87650002",
         RENAMED, "6"),
        ("xian-e", NAMES["xian-e"], "示例锦程物流有限公司", code(7), "2017-05-20", "1050", "否", "13800070001", EXPORTED, "2"),
        ("xian-e", NAMES["xian-e"], "示例安澜化工有限公司", code(8), "2011-02-28", "300", "是", "0591-87650007", EXPORTED, "3"),
        ("xian-f", NAMES["xian-f"], "示例北辰机械制造有限公司", code(10), "2014-09-01", "620", "是", "13800040001",
         names["xian-f"], "4"),
        ("lingang", NAMES["lingang"], "示例澄明新材料股份有限公司", SHARED, "2012-08-30", "2480", "否", "13800050001",
         names["lingang"], "4"),
        ("lingang", NAMES["lingang"], "示例东湖光学仪器有限公司", code(16), "2015-03-03", "760", "是", "13800050002",
         names["lingang"], "5"),
    ]
    places = {(row[-2], row[-1]) for row in want}
    assert [r for r in values(loop["rows"]) if (r[-2], r[-1]) in places] == sorted(want)


def test_every_planted_problem_is_found(loop):
    names = loop["names"]
    bad = names["xian-f"]
    planted = sorted([
        (names["qinghe"], 6, "统一社会信用代码", "duplicate_row"),
        (names["lingang"], 4, "统一社会信用代码", "duplicate_row"),
        (bad, 5, "统一社会信用代码", "invalid_credit_code"),
        (bad, 6, "企业名称", "missing_value"),
        (bad, 7, "是否高新技术企业", "invalid_choice"),
        (bad, 8, "研发投入（万元）", "out_of_range"),
        (bad, 9, "成立日期", "invalid_date"),
        (bad, 10, "联系电话", "invalid_phone"),
    ])
    found = problems(loop["report"])
    assert [p for p in planted if p not in found] == []
    assert found == planted
    severities = {p["code"]: p["severity"] for p in loop["report"]["problems"]}
    assert severities == {code: "warning" if code == "duplicate_row" else ERROR for *_, code in planted}


def test_no_error_on_clean_files(loop):
    clean = {loop["names"][unit] for unit in CLEAN_UNITS}
    assert [p for p in loop["report"]["problems"] if p["path"] in clean and p["severity"] == ERROR] == []


# The committed example ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def example(tmp_path_factory) -> dict:
    """Consolidate the committed example folder with its spec and recipients."""
    out = tmp_path_factory.mktemp("example") / "out"
    pipeline("roster", "--spec", str(EXAMPLE / "spec.yaml"), "--returned", str(EXAMPLE / "returned"),
             "--recipients", str(EXAMPLE / "recipients.csv"), "--out", str(out))
    header, rows = read_roster(out)
    return {"header": header, "rows": rows, "report": json.loads((out / "report.json").read_text(encoding="utf-8"))}


def test_example_reports_exactly_the_planted_problems(example):
    assert problems(example["report"]) == sorted(sample_companies.PLANTED)
    assert {p["code"] for p in example["report"]["problems"]} <= set(VALUE_CODES)
    assert {p["severity"] for p in example["report"]["problems"] if p["code"] != "duplicate_row"} == {ERROR}


def test_example_units_and_rows(example):
    units = example["report"]["units"]
    assert {u["id"]: u["status"] for u in units} == sample_companies.EXPECTED_STATUS
    assert tuple(u["id"] for u in units if u["status"] == "missing") == sample_companies.EXPECTED_MISSING
    assert example["header"] == ROSTER_HEADER
    want = sorted((unit, sample_companies.UNITS[unit], *rest[:-1], str(rest[-1]))
                  for unit, *rest in sample_companies.EXPECTED_ROWS)
    places = {(row[-2], row[-1]) for row in want}
    assert [r for r in values(example["rows"]) if (r[-2], r[-1]) in places] == want


def test_example_is_what_the_tool_writes(tmp_path):
    assert sample_companies.main(["--out", str(tmp_path)]) == 0
    written = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert written == {p.name: p.read_bytes() for p in (EXAMPLE / "returned").iterdir()}


def test_example_codes_are_valid_and_fictitious():
    codes = set(sample_companies.CODE.values())
    assert all(c[:6] == "919901" and check_character(c[:17]) == c[17] for c in codes)
    assert sample_companies.wrong_check(sample_companies.CODE["北辰机械"]) not in codes
    assert len(codes) == len(sample_companies.CODE)


def test_example_units_are_the_recipients():
    units = load_recipients(EXAMPLE / "recipients.csv")
    assert {u.id: u.name for u in units} == sample_companies.UNITS
    assert {u.category for u in units} == {"市辖区", "县", "县级市", "开发区"}
