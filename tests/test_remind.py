"""Test the reminders made from a consolidation: the 催报 and 更正 letters, the call list, the correction sheets."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import docx
import openpyxl
import pytest
from paths import REPO, SAMPLE_NOTICE

from pipeline.check.document import check_document
from pipeline.core.errors import InputError, PipelineError
from pipeline.core.problems import Problem, shown
from pipeline.core.recipients import Recipient
from pipeline.forms.spec import read_spec
from pipeline.forms.workbook import FIRST_DATA_ROW, HEADER_ROW, form_workbook
from pipeline.notice.notice import load_notice
from pipeline.pdf.libreoffice import soffice, to_pdf
from pipeline.remind.letters import MAX_TABLE_ROWS, Original, corrections_files
from pipeline.roster.readback import Unit
from pipeline.remind.stage import build_reminders
from pipeline.roster.stage import build_roster

SPEC_PATH = REPO / "inputs" / "annex2.yaml"
SPEC = read_spec(SPEC_PATH)
TODAY = dt.date(2022, 3, 28)
NUMBER = "国知办函服字〔2022〕301号"
CONTACTS = {"jiangxi": ("王芳", "0791-88888888"), "neimenggu": ("乌兰", "0471-6944000")}
PROBLEM_FILL = "00FFC7CE"


# Fixtures -----------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def roster_dir(tmp_path_factory) -> Path:
    """Consolidate the sample returns (by the contact form's spec) once for the session."""
    out = tmp_path_factory.mktemp("remind-roster") / "roster"
    build_roster(REPO / "inputs" / "returned", REPO / "inputs" / "recipients.csv", out, spec=SPEC)
    return out


@pytest.fixture(scope="session")
def report(roster_dir) -> dict:
    """Return the consolidation's report.json."""
    return json.loads((roster_dir / "report.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def roster_rows(roster_dir) -> list[dict]:
    """Return roster.csv's rows."""
    with open(roster_dir / "roster.csv", encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="session")
def reminded(roster_dir, tmp_path_factory):
    """Build the reminders without a number (placeholder) and with the default new deadline."""
    out = tmp_path_factory.mktemp("remind-out") / "remind"
    return build_reminders(roster_dir / "report.json", SAMPLE_NOTICE, out, today=TODAY, contacts=CONTACTS)


@pytest.fixture(scope="session")
def numbered(roster_dir, tmp_path_factory):
    """Build the reminders with a proper 发文字号 and an explicit new deadline."""
    out = tmp_path_factory.mktemp("remind-numbered") / "remind"
    return build_reminders(roster_dir / "report.json", SAMPLE_NOTICE, out, today=TODAY, number=NUMBER,
                           reply_by=dt.date(2022, 4, 8), spec_path=SPEC_PATH)


def units_with(report: dict, status: str) -> list[dict]:
    return [u for u in report["units"] if u["status"] == status]


def unit_problems(report: dict, unit_id: str) -> list[dict]:
    """Return the problems of a unit's files that count (those of a superseded file do not)."""
    files = {shown(f["path"], tuple(f["members"])) for f in report["files"]
             if f["unit_id"] == unit_id and f["status"] != "superseded"}
    return [p for p in report["problems"] if shown(p["path"], tuple(p["members"])) in files]


def addressees(path: Path) -> str:
    """Return the 主送 paragraph of a letter."""
    return next(p.text for p in docx.Document(path).paragraphs if p.style.name == "主送机关")


def body_text(path: Path) -> str:
    return "".join(p.text for p in docx.Document(path).paragraphs)


def table_with_header(path: Path, header: list[str]) -> list[list[str]]:
    """Return the rows (below the header) of the letter's table whose first row is header."""
    for table in docx.Document(path).tables:
        rows = [[c.text for c in row.cells] for row in table.rows]
        if rows and rows[0] == header:
            return rows[1:]
    raise AssertionError(f"no table headed {header}")


# The 催报 letter ---------------------------------------------------------------------------
def test_the_reminder_is_addressed_to_exactly_the_missing_units(reminded, report):
    missing = [u["name"] for u in units_with(report, "missing")]
    assert len(missing) == 30
    assert addressees(reminded.reminder) == "、".join(missing) + "："
    assert reminded.missing == 30 and reminded.reminder.name == "催报函.docx"


def test_the_reminder_names_the_notice_both_deadlines_and_carries_the_form(reminded):
    text = body_text(reminded.reminder)
    notice = load_notice(SAMPLE_NOTICE)
    assert f"《{notice.title}》" in text and f"（{notice.number}）" in text
    assert "2022年3月24日前报送" in text  # the form's reply_by
    assert "2022年4月4日前报送" in text  # today + 7 days
    assert "国家知识产权局办公室关于催报各省级知识产权管理部门联系人信息表的函" in text.replace("\n", "")
    assert any(p.text.replace("\t", "") == f"附件：1.{SPEC.title}" for p in docx.Document(reminded.reminder).paragraphs)
    assert table_with_header(reminded.reminder, list(SPEC.names))  # the form's Word table, as the annex


def test_the_letters_number_is_a_placeholder_that_check_reports(reminded):
    assert reminded.placeholder and reminded.number == "国知办函服字〔2022〕0号"
    for letter in (reminded.reminder, reminded.corrections):
        assert docx.Document(letter).paragraphs[0].text.strip() == reminded.number
        errors = [f for f in check_document(letter).findings if f.severity == "error"]
        assert [(f.code, f.element) for f in errors] == [("number_format", "number")], letter.name
    assert any("占位" in line for line in reminded.lines())


def test_a_proper_number_passes_check(numbered):
    assert not numbered.placeholder
    for letter in (numbered.reminder, numbered.corrections):
        assert docx.Document(letter).paragraphs[0].text.strip() == NUMBER
        assert [f.message for f in check_document(letter).findings if f.severity == "error"] == []
    assert "2022年4月8日前" in body_text(numbered.reminder)


@pytest.mark.libreoffice
@pytest.mark.skipif(soffice() is None, reason="LibreOffice is not installed")
def test_the_reminders_first_page_as_rendered(reminded, tmp_path):
    pdf = to_pdf(reminded.reminder, tmp_path / "催报函.pdf")
    xhtml = subprocess.run(["pdftotext", "-bbox-layout", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True,
                           text=True, check=True).stdout
    lines = [(float(x0), float(x1), "".join(re.findall(r">([^<]*)</word>", words)))
             for x0, x1, words in re.findall(r'<line xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>(.*?)</line>',
                                             xhtml, re.S)]
    title = "国家知识产权局办公室关于催报各省级知识产权管理部门联系人信息表的函"
    mark = "国家知识产权局办公室"  # the red mark above is also part of the title's text
    found = [(x0, x1, text) for x0, x1, text in lines if len(text) >= 6 and text in title and text != mark]
    title_lines = [(x0, x1) for x0, x1, _ in found]
    assert "".join(text for _, _, text in found) == title
    centre_pt = (28 + 156 / 2) / 25.4 * 72  # the middle of the 版心: 订口 28 mm, 版心 156 mm wide
    assert title_lines and all(abs((x0 + x1) / 2 - centre_pt) < 3 for x0, x1 in title_lines)
    page_text = "".join(text for _, _, text in lines)
    assert "江西省知识产权局、湖南省知识产权局" in page_text  # 主送 on the first page
    errors = [f for f in check_document(reminded.reminder, pdf).findings if f.severity == "error"]
    assert [f.code for f in errors] == ["number_format"]


# The 更正 letter ---------------------------------------------------------------------------
def test_the_corrections_letter_lists_exactly_the_units_with_errors_and_their_problems(reminded, report):
    errors = units_with(report, "errors")
    assert addressees(reminded.corrections) == "、".join(u["name"] for u in errors) + "："
    rows = table_with_header(reminded.corrections, ["单位", "文件", "行", "列", "问题"])
    assert [u for u in dict.fromkeys(r[0] for r in rows)] == [u["name"] for u in errors]
    expected = set()
    for unit in errors:
        for p in unit_problems(report, unit["id"]):
            expected.add((unit["name"], shown(p["path"], tuple(p["members"])), str(p["row"] or ""), p["column"]))
            found = [r for r in rows if r[0] == unit["name"] and r[2] == str(p["row"] or "") and r[3] == p["column"]]
            assert any(r[4].removeprefix("（提示）") in p["message"] for r in found), p["message"]
    assert {tuple(r[:4]) for r in rows} == expected
    assert "2022年4月4日前重新报送" in body_text(reminded.corrections)
    assert any(p.text.replace("\t", "") == "附件：1.报送问题清单" for p in docx.Document(reminded.corrections).paragraphs)


# The call list ------------------------------------------------------------------------------
def test_the_call_list_has_one_row_per_unit_not_ok_missing_first(reminded, report):
    xlsx, csv_path = reminded.call_list
    assert (xlsx.name, csv_path.name) == ("催报电话清单.xlsx", "催报电话清单.csv")
    sheet = openpyxl.load_workbook(xlsx).active
    rows = [[c or "" for c in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["单位", "类别", "状态", "情况", "联系人", "电话"]
    raw = csv_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert list(csv.reader(raw.decode("utf-8-sig").splitlines())) == rows
    expected = [(u["name"], u["category"], "未报") for u in units_with(report, "missing")]
    expected += [(u["name"], u["category"], "有问题") for u in units_with(report, "errors")]
    assert [tuple(r[:3]) for r in rows[1:]] == expected
    by_name = {r[0]: r for r in rows[1:]}
    assert by_name["江西省知识产权局"][3:] == ["未报送各省级知识产权管理部门联系人信息表。", "王芳", "0791-88888888"]
    mongolia = by_name["内蒙古自治区知识产权局"]
    assert mongolia[4:] == ["乌兰", "0471-6944000"]
    assert "有 2 处错误" in mongolia[3] and "第 3 行" in mongolia[3] and "第 4 行" in mongolia[3]
    assert "无法读取" in by_name["江苏省知识产权局"][3] and by_name["江苏省知识产权局"][4:] == ["", ""]
    assert all(r[3].endswith("。") and r[3].count("。") == 1 for r in rows[1:])  # one sentence each


# The correction sheets ----------------------------------------------------------------------
def test_correction_sheets_exist_exactly_for_the_units_with_errors(reminded, report):
    errors = units_with(report, "errors")
    assert set(reminded.sheets) == {u["id"] for u in errors}
    folder = reminded.out_dir / "更正表"
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{SPEC.title}-{u['name']}-更正.xlsx" for u in errors)
    for unit in errors:
        workbook = openpyxl.load_workbook(reminded.sheets[unit["id"]])
        assert {p.name: p.value for p in workbook.custom_doc_props.props} == {"recipient_id": unit["id"]}
    manifest = json.loads((reminded.out_dir / "manifest.json").read_text(encoding="utf-8"))["files"]
    roles = sorted((f["role"], f["path"], f.get("recipient_id", "")) for f in manifest)
    assert [r for r in roles if r[0] == "correction"] == sorted(
        ("correction", f"更正表/{reminded.sheets[u['id']].name}", u["id"]) for u in errors)
    assert [r[:2] for r in roles if r[0] != "correction"] == [
        ("call_list", "催报电话清单.csv"), ("call_list", "催报电话清单.xlsx"), ("reminder", "催报函.docx"),
        ("reminder_corrections", "更正函.docx")]


@pytest.mark.parametrize("unit_id", ["neimenggu", "shanxi"])
def test_a_correction_sheet_holds_the_units_rows_and_marks_exactly_the_problem_cells(reminded, report, roster_rows,
                                                                                       unit_id):
    sheet = openpyxl.load_workbook(reminded.sheets[unit_id]).active
    rows = [r for r in roster_rows if r["unit_id"] == unit_id]
    names = list(SPEC.names)
    assert [c.value for c in sheet[HEADER_ROW]] == names + ["问题"]
    for n, row in enumerate(rows):
        for c, column in enumerate(SPEC.columns, start=1):
            want = row["unit"] if column.type == "unit" else row.get(column.key, "")
            if column.type != "index":
                assert (sheet.cell(FIRST_DATA_ROW + n, c).value or "") == want.removeprefix("'")
    expected, row_of = {}, {(r["source_file"], r["source_sheet"], r["source_row"]): n for n, r in enumerate(rows)}
    for p in unit_problems(report, unit_id):
        n = row_of[(shown(p["path"], tuple(p["members"])), p["sheet"], str(p["row"]))]
        expected[(FIRST_DATA_ROW + n, names.index(p["field"]) + 1)] = p["message"]
    marked = {(c.row, c.column): c for line in sheet.iter_rows() for c in line if c.fill.fill_type == "solid"
              and c.fill.fgColor.rgb == PROBLEM_FILL}
    commented = {(c.row, c.column): c.comment.text for line in sheet.iter_rows() for c in line if c.comment}
    assert set(marked) == set(commented) == set(expected) and expected
    for at, message in expected.items():
        assert commented[at] in message
        assert commented[at] in sheet.cell(at[0], len(names) + 1).value  # the 问题 column repeats it


def test_a_correction_sheet_keeps_the_forms_validations_and_protection(reminded):
    unit = Recipient("neimenggu", "内蒙古自治区知识产权局", (), "省级", 0)
    form = form_workbook(SPEC, unit).active
    sheet = openpyxl.load_workbook(reminded.sheets["neimenggu"]).active

    def rules(ws):
        return sorted((str(v.sqref), v.type, v.formula1, v.allow_blank) for v in ws.data_validations.dataValidation)

    assert rules(sheet) == rules(form) and rules(sheet)
    assert sheet.protection.sheet and sheet.freeze_panes == form.freeze_panes
    assert sheet.cell(FIRST_DATA_ROW, 3).protection.locked is False  # data cells stay fillable
    assert sheet.cell(FIRST_DATA_ROW + 1, len(SPEC.columns) + 1).protection.locked  # the 问题 column does not
    assert sheet.cell(FIRST_DATA_ROW, 8).data_type == "s"  # =HYPERLINK(…) from the return stays text
    assert "2022年4月4日前重新报送" in sheet.cell(2, 1).value


def test_a_sheet_for_an_unreadable_return_names_the_files_problem(reminded):
    sheet = openpyxl.load_workbook(reminded.sheets["jiangsu"]).active
    assert "江苏省知识产权局回执（扫描件）.pdf" in sheet.cell(2, 1).value and "无法读取" in sheet.cell(2, 1).value
    assert sheet.cell(FIRST_DATA_ROW, 3).value is None


def test_a_filled_correction_sheet_is_matched_as_the_units_resubmission(reminded, tmp_path):
    returned = tmp_path / "returned"
    shutil.copytree(REPO / "inputs" / "returned", returned, symlinks=True)
    mongolia = openpyxl.load_workbook(reminded.sheets["neimenggu"])
    sheet = mongolia.active
    sheet.cell(FIRST_DATA_ROW + 1, 7).value = "13604710002"  # the 10-digit mobile
    sheet.cell(FIRST_DATA_ROW + 2, 3).value = "王五"  # the empty name
    mongolia.save(returned / reminded.sheets["neimenggu"].name)
    jiangsu = openpyxl.load_workbook(reminded.sheets["jiangsu"])
    for column, value in zip((3, 4, 5, 6, 7), ("刘洋", "男", "处长", "025-83001001", "13905250001")):
        jiangsu.active.cell(FIRST_DATA_ROW, column).value = value
    jiangsu.save(returned / reminded.sheets["jiangsu"].name)
    now = time.time()
    for unit_id in ("neimenggu", "jiangsu"):
        os.utime(returned / reminded.sheets[unit_id].name, (now, now))
    result = build_roster(returned, REPO / "inputs" / "recipients.csv", tmp_path / "roster", spec=SPEC)
    status = {u.id: u.status for u in result.units}
    assert status["neimenggu"] == status["jiangsu"] == "ok"
    corrected = {reminded.sheets["neimenggu"].name, reminded.sheets["jiangsu"].name}
    assert {f.path for f in result.files if f.unit_id in ("neimenggu", "jiangsu") and f.status == "used"} == corrected
    assert [p.code for p in result.problems if p.path in corrected] == []  # the 问题 column is no extra column
    people = {(r["unit_id"], r["name"], r["mobile"], r["note"]) for r in result.rows}
    assert ("neimenggu", "蒋华", "13604710002", "@SUM(A1)") in people and ("neimenggu", "王五", "13604710003", "") in people
    assert ("jiangsu", "刘洋", "13905250001", "") in people


# Bad reports --------------------------------------------------------------------------------
def _mutate_report(key):
    def change(folder: Path) -> None:
        data = json.loads((folder / "report.json").read_text(encoding="utf-8"))
        key(data)
        (folder / "report.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return change


def _write(name: str, text: str):
    return lambda folder: (folder / name).write_text(text, encoding="utf-8")


def _unknown_status(data):
    data["units"][0]["status"] = "late"


def _more_people(data):
    data["counts"]["people"] += 1


BAD_REPORTS = {
    "not_json": _write("report.json", "{\"units\": [ 这不是 JSON"),
    "a_list": _write("report.json", "[1, 2, 3]"),
    "no_files": _mutate_report(lambda d: d.pop("files")),
    "unknown_status": _mutate_report(_unknown_status),
    "unknown_file_status": _mutate_report(lambda d: d["files"][0].update(status="eaten")),
    "row_as_text": _mutate_report(lambda d: d["problems"][1].update(row="三")),
    "problem_without_field": _mutate_report(lambda d: d["problems"][0].pop("field")),
    "another_version": _mutate_report(lambda d: d.update(version=2)),
    "counts_disagree": _mutate_report(lambda d: d["counts"]["units"].update(ok=12)),
    "unknown_unit_in_files": _mutate_report(lambda d: d["files"][3].update(unit_id="atlantis")),
    "people_disagree": _mutate_report(_more_people),
    "roster_missing": lambda folder: (folder / "roster.csv").unlink(),
    "roster_of_another_form": _write("roster.csv", "\ufeffunit_id,unit,company,source_file,source_sheet,source_row\n"),
    "roster_unknown_unit": lambda folder: (folder / "roster.csv").write_text(
        (folder / "roster.csv").read_text(encoding="utf-8-sig").replace("beijing,", "atlantis,", 1), encoding="utf-8"),
}


@pytest.mark.parametrize("name", BAD_REPORTS)
def test_a_bad_report_is_refused_and_nothing_is_written(roster_dir, tmp_path, name):
    folder = tmp_path / "roster"
    shutil.copytree(roster_dir, folder)
    BAD_REPORTS[name](folder)
    out = tmp_path / "remind"
    with pytest.raises(PipelineError) as caught:
        build_reminders(folder / "report.json", SAMPLE_NOTICE, out, today=TODAY)
    assert caught.value.exit_code == 2
    assert str(folder) in str(caught.value) and re.search(r"[\u4e00-\u9fff]", str(caught.value))
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["roster"]


def test_a_missing_report_is_refused(tmp_path):
    with pytest.raises(PipelineError, match="找不到汇总报告"):
        build_reminders(tmp_path / "report.json", SAMPLE_NOTICE, tmp_path / "remind", today=TODAY)


@pytest.mark.parametrize("kwargs, words", [
    ({"reply_by": TODAY}, "应晚于今天"),
    ({"number": "国知办函服字[2022]12号"}, "格式不对"),
    ({"number": "国知办函服字〔2022〕012号"}, "格式不对"),
])
def test_bad_arguments_are_refused_before_anything_is_written(roster_dir, tmp_path, kwargs, words):
    with pytest.raises(PipelineError, match=words):
        build_reminders(roster_dir / "report.json", SAMPLE_NOTICE, tmp_path / "remind", today=TODAY, **kwargs)
    assert not (tmp_path / "remind").exists()


def test_the_roster_folder_is_never_the_output(roster_dir):
    before = sorted(p.name for p in roster_dir.iterdir())
    with pytest.raises(PipelineError, match="不能是汇总报告所在的文件夹"):
        build_reminders(roster_dir / "report.json", SAMPLE_NOTICE, roster_dir, today=TODAY)
    assert sorted(p.name for p in roster_dir.iterdir()) == before


# No one to remind, determinism, the placeholder --------------------------------------------
def test_no_letter_and_no_sheet_when_every_unit_is_ok(roster_dir, tmp_path):
    folder = tmp_path / "roster"
    shutil.copytree(roster_dir, folder)
    data = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    for unit in data["units"]:
        unit["status"] = "ok"
    data["counts"]["units"].update(ok=len(data["units"]), errors=0, missing=0)
    (folder / "report.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    made = build_reminders(folder / "report.json", SAMPLE_NOTICE, tmp_path / "remind", today=TODAY)
    assert made.reminder is made.corrections is None and made.sheets == {} and made.missing == made.errors == 0
    assert sorted(p.name for p in (tmp_path / "remind").iterdir()) == [".outputs", "manifest.json", "催报电话清单.csv",
                                                                        "催报电话清单.xlsx"]
    assert len(list(openpyxl.load_workbook(made.call_list[0]).active.iter_rows())) == 1
    assert "未生成催报函" in "\n".join(made.lines())


def test_equal_inputs_give_equal_bytes_and_a_rerun_replaces_the_set(reminded, roster_dir, tmp_path):
    again = build_reminders(roster_dir / "report.json", SAMPLE_NOTICE, tmp_path / "remind", today=TODAY,
                            contacts=CONTACTS)
    for a, b in [(reminded.reminder, again.reminder), (reminded.corrections, again.corrections),
                 *zip(reminded.call_list, again.call_list), *zip(reminded.sheets.values(), again.sheets.values())]:
        assert a.name == b.name and a.read_bytes() == b.read_bytes(), a.name
    build_reminders(roster_dir / "report.json", SAMPLE_NOTICE, tmp_path / "remind", today=TODAY)  # same folder again


def test_the_notice_loader_accepts_serial_zero_only_as_the_placeholder(notice_data, write_notice):
    notice_data["number"] = "国知办函服字〔2022〕0号"
    assert load_notice(write_notice(notice_data)).number == "国知办函服字〔2022〕0号"
    for wrong in ("国知办函服字〔2022〕00号", "国知办函服字〔2022〕01号", "国知办函服字〔2022〕×号", "〔2022〕0号"):
        notice_data["number"] = wrong
        with pytest.raises(InputError, match="发文字号"):
            load_notice(write_notice(notice_data))


def test_a_notice_without_a_form_needs_the_spec_named(roster_dir, notice_data, write_notice, tmp_path):
    del notice_data["annexes"]
    with pytest.raises(PipelineError, match="--spec"):
        build_reminders(roster_dir / "report.json", write_notice(notice_data), tmp_path / "remind", today=TODAY)
    made = build_reminders(roster_dir / "report.json", write_notice(notice_data), tmp_path / "remind", today=TODAY,
                           spec_path=SPEC_PATH)
    assert made.missing == 30 and made.reminder.exists()


def test_a_form_without_a_deadline_is_asked_for_without_one(roster_dir, tmp_path):
    spec = tmp_path / "annex2.yaml"
    spec.write_text(SPEC_PATH.read_text(encoding="utf-8").replace("  reply_by: 2022-03-24\n", ""), encoding="utf-8")
    made = build_reminders(roster_dir / "report.json", SAMPLE_NOTICE, tmp_path / "remind", today=TODAY,
                           spec_path=spec)
    text = body_text(made.reminder)
    assert f"请各单位报送{SPEC.title}。截至2022年3月28日" in text and "2022年3月24日" not in text


def test_a_long_problem_table_is_cut_with_a_count():
    original = Original(load_notice(SAMPLE_NOTICE), SPEC, SPEC_PATH)
    unit = Unit("hebei", "河北省知识产权局", "省级", "errors", ("a.csv",))
    issues = [Problem("missing_name", "error", f"文件“a.csv”第 {n} 行 B 列（姓名）：姓名为空，请补填联系人姓名", "a.csv",
                      row=n, column="B", field="姓名") for n in range(2, 702)]
    files = corrections_files(original, [unit], {"hebei": issues}, NUMBER, TODAY, dt.date(2022, 4, 4))
    rows = files["annex1.yaml"]["body"][0]["table"]["rows"]
    assert len(rows) == MAX_TABLE_ROWS and rows[0] == ["河北省知识产权局", "a.csv", "2", "B", "姓名为空，请补填联系人姓名"]
    assert rows[-1][-1] == f"另有 {700 - MAX_TABLE_ROWS + 1} 处问题，见各单位的更正表"
