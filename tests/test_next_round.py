"""Test the next round: a recipients list from a consolidation, forms prefilled with last round's rows, a correction
sheet's 问题 column ignored, and a consolidation read back strictly."""

from __future__ import annotations

import csv
import json
import shutil

import openpyxl
import pytest
from paths import REPO

from pipeline import cli
from pipeline.core.errors import PipelineError
from pipeline.core.recipients import load_recipients
from pipeline.forms.spec import read_spec
from pipeline.roster.readback import read_result
from pipeline.roster.stage import build_roster

SPEC = REPO / "inputs" / "annex2.yaml"
RECIPIENTS = REPO / "inputs" / "recipients.csv"


@pytest.fixture(scope="module")
def consolidated(tmp_path_factory):
    out = tmp_path_factory.mktemp("round1") / "roster"
    build_roster(REPO / "inputs" / "returned", RECIPIENTS, out, spec=read_spec(SPEC))
    return out


def test_the_next_recipients_list_carries_aliases_and_last_contacts(consolidated, tmp_path):
    out = tmp_path / "next.csv"
    assert cli.main(["recipients", "--from-roster", str(consolidated), "--out", str(out),
                     "--recipients", str(RECIPIENTS)]) == 0
    units, before = load_recipients(out), load_recipients(RECIPIENTS)
    assert [(u.id, u.name, u.aliases, u.category) for u in units] == [
        (u.id, u.name, u.aliases, u.category) for u in before]
    with open(consolidated / "roster.csv", encoding="utf-8-sig", newline="") as handle:
        first = {}
        for row in csv.DictReader(handle):
            first.setdefault(row["unit_id"], (row["name"], row["mobile"]))
    assert {u.id: (u.contact, u.phone) for u in units if u.contact} == {k: v for k, v in first.items() if k}
    assert all(u.contact == "" for u in units if u.id not in first)


def test_recipients_may_have_contact_and_phone_columns(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("id,name,aliases,category,phone,contact\nbj,北京市知识产权局,北京,省级,13800138001,李玥\n",
                    encoding="utf-8")
    [unit] = load_recipients(path)
    assert (unit.contact, unit.phone) == ("李玥", "13800138001")


def test_forms_are_prefilled_with_last_rounds_rows(consolidated, tmp_path):
    args = ["forms", "--spec", str(SPEC), "--recipients", str(RECIPIENTS), "--out", str(tmp_path / "forms"),
            "--prefill", str(consolidated)]
    assert cli.main(args) == 0
    rows = read_result(consolidated).rows_by_unit()
    beijing = next((tmp_path / "forms").glob("*-北京市知识产权局.xlsx"))
    sheet = openpyxl.load_workbook(beijing).active
    filled = [row for row in sheet.iter_rows(min_row=4, max_col=8, values_only=True) if row[2]]
    assert [(r[2], r[6]) for r in filled] == [(r["name"], r["mobile"]) for r in rows["beijing"]]
    assert [r[0] for r in filled] == list(range(1, len(filled) + 1))
    unit = next(u.name for u in read_result(consolidated).units if u.status == "missing")
    missing = next((tmp_path / "forms").glob(f"*-{unit}.xlsx"))
    assert [row[2] for row in openpyxl.load_workbook(missing).active.iter_rows(min_row=4, values_only=True)] == \
        [None] * 20


def test_a_problem_column_added_by_a_correction_sheet_is_not_data(tmp_path):
    returned = tmp_path / "returned"
    returned.mkdir()
    book = openpyxl.Workbook()
    book.active.append(["工作单位", "姓名", "手机号码", "问题"])
    book.active.append(["北京市知识产权局", "李玥", "13800138001", "手机号码有误：已更正"])
    book.save(returned / "北京.xlsx")
    report = build_roster(returned, RECIPIENTS, tmp_path / "out")
    assert [(p.code, p.field) for p in report.problems] == []
    assert [(r["name"], r["note"]) for r in report.rows] == [("李玥", "")]


def with_status(folder, status: str) -> None:
    """Rewrite the first unit's status in folder/report.json."""
    data = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    data["units"][0]["status"] = status
    (folder / "report.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


@pytest.mark.parametrize("damage, what", [
    (lambda d: (d / "report.json").write_text("{", encoding="utf-8"), "JSON"),
    (lambda d: (d / "report.json").write_text("[]", encoding="utf-8"), "映射"),
    (lambda d: (d / "report.json").write_text('{"units": [{"id": 1}]}', encoding="utf-8"), "files"),
    (lambda d: with_status(d, "done"), "done"),
    (lambda d: (d / "roster.csv").write_text("a,b\n", encoding="utf-8"), "表头"),
    (lambda d: (d / "roster.csv").unlink(), "找不到"),
])
def test_a_damaged_consolidation_is_refused_in_chinese(consolidated, tmp_path, damage, what):
    folder = tmp_path / "copy"
    shutil.copytree(consolidated, folder)
    damage(folder)
    with pytest.raises(PipelineError, match=what) as caught:
        read_result(folder)
    assert caught.value.exit_code == 2
    assert cli.main(["recipients", "--from-roster", str(folder), "--out", str(tmp_path / "x.csv")]) == 2
    assert not (tmp_path / "x.csv").exists()


@pytest.mark.parametrize("stage", ["recipients", "forms"])
def test_a_roster_folder_that_is_not_there_is_named_with_the_option_the_clerk_used(tmp_path, capsys, stage):
    missing = tmp_path / "没有汇总"
    command = {"recipients": ["recipients", "--from-roster", str(missing), "--out", str(tmp_path / "x.csv")],
               "forms": ["forms", "--prefill", str(missing), "--out", str(tmp_path / "forms")]}[stage]
    assert cli.main(command) == 2
    err = capsys.readouterr().err
    assert "找不到汇总报告" in err and str(missing) in err and "--report" not in err
    assert not (tmp_path / "x.csv").exists() and not (tmp_path / "forms").exists()
