"""Test the roster's memory: two rounds recorded with the exact changes between them, first-answer dates in
status.pdf, an interrupted run recording nothing, and a history that cannot be used refused before writing."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import openpyxl
import pytest
from paths import REPO

from pipeline import cli
from pipeline.core.errors import PipelineError
from pipeline.forms.spec import read_spec
from pipeline.roster import stage
from pipeline.roster.stage import build_roster

SPEC = read_spec(REPO / "inputs" / "annex2.yaml")
RECIPIENTS = REPO / "inputs" / "recipients.csv"


def contact_return(path, unit: str, people: list[tuple[str, str]]) -> None:
    """Write a return of unit with (name, mobile) rows."""
    book = openpyxl.Workbook()
    book.active.append(["工作单位", "姓名", "手机号码"])
    for name, mobile in people:
        book.active.append([unit, name, mobile])
    book.save(path)


@pytest.fixture
def rounds(tmp_path):
    """Run two rounds into one history: round 2 changes a mobile, drops and adds a person, and a new unit answers."""
    returned, db = tmp_path / "returned", tmp_path / "var" / "history.sqlite"
    returned.mkdir()
    contact_return(returned / "北京.xlsx", "北京市知识产权局", [("李玥", "13800000000"), ("赵强", "13800000002")])
    build_roster(returned, RECIPIENTS, tmp_path / "out", spec=SPEC, history=db)
    contact_return(returned / "北京（更正）.xlsx", "北京市知识产权局", [("李玥", "13900000000"), ("钱进", "13800000003")])
    contact_return(returned / "天津.xlsx", "天津市知识产权局", [("孙立", "13800000004")])
    build_roster(returned, RECIPIENTS, tmp_path / "out", spec=SPEC, history=db)
    return tmp_path, db


def history_json(db, *extra: str) -> dict:
    done = subprocess.run([*PYTHON, "history", "--db", str(db), "--json", *extra], capture_output=True,
                          text=True, check=True, cwd=REPO)
    return json.loads(done.stdout)


PYTHON = (sys.executable, "-m", "pipeline")


def test_two_rounds_give_the_exact_changes(rounds):
    _, db = rounds
    data = history_json(db)
    assert [(r["run"], r["people"], r["units"]) for r in data["runs"]] == [
        (1, 2, {"ok": 1, "errors": 0, "missing": 47}), (2, 3, {"ok": 2, "errors": 0, "missing": 46})]
    assert [(c["run"], c["unit_id"], c["kind"], c["person"], c["field"], c["old"], c["new"]) for c in data["changes"]] \
        == [(2, "beijing", "changed", "李玥", "mobile", "13800000000", "13900000000"),
            (2, "beijing", "added", "钱进", None, None, None),
            (2, "beijing", "removed", "赵强", None, None, None),
            (2, "tianjin", "added", "孙立", None, None, None)]
    assert [(a["run"], a["unit_id"]) for a in data["answered"]] == [(2, "tianjin")]
    assert [(s["run"], s["path"], s["by"]) for s in data["superseded"]] == [(2, "北京.xlsx", "北京（更正）.xlsx")]
    assert [c["unit_id"] for c in history_json(db, "--unit", "tianjin")["changes"]] == ["tianjin"]


def test_the_history_text_names_fields_in_chinese(rounds, capsys):
    _, db = rounds
    assert cli.main(["history", "--db", str(db)]) == 0
    text = capsys.readouterr().out
    assert "北京市知识产权局：李玥 手机号码 13800000000 → 13900000000" in text


def test_an_unchanged_rerun_records_a_run_and_no_changes(rounds):
    tmp_path, db = rounds
    build_roster(tmp_path / "returned", RECIPIENTS, tmp_path / "out", spec=SPEC, history=db)
    data = history_json(db)
    assert len(data["runs"]) == 3 and [c for c in data["changes"] if c["run"] == 3] == []


def test_status_pdf_says_when_each_unit_first_answered(rounds):
    tmp_path, db = rounds
    text = subprocess.run(["pdftotext", str(tmp_path / "out" / "status.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    day = sqlite3.connect(db).execute("SELECT min(at) FROM runs").fetchone()[0][:10]
    assert "各单位首次报送日期（已报送 2 个）" in text
    assert f"北京市知识产权局：{day}" in text and "河北省知识产权局：未报" in text


def test_an_interrupted_run_leaves_the_history_as_it_was(rounds, monkeypatch):
    tmp_path, db = rounds
    before = db.read_bytes(), sqlite3.connect(db).execute("SELECT count(*) FROM entries").fetchone()

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(stage, "write_outputs", broken)
    with pytest.raises(RuntimeError):
        build_roster(tmp_path / "returned", RECIPIENTS, tmp_path / "out", spec=SPEC, history=db)
    assert sqlite3.connect(db).execute("SELECT count(*) FROM entries").fetchone() == before[1]
    assert len(history_json(db)["runs"]) == 2


def test_a_history_that_is_not_a_database_is_refused_before_anything_is_written(tmp_path):
    db = tmp_path / "history.sqlite"
    db.write_bytes(b"not a database at all" * 100)
    (tmp_path / "returned").mkdir()
    with pytest.raises(PipelineError) as caught:
        build_roster(tmp_path / "returned", RECIPIENTS, tmp_path / "out", history=db)
    assert caught.value.exit_code == 2 and not (tmp_path / "out").exists()
    assert db.read_bytes() == b"not a database at all" * 100


def test_history_of_a_missing_database_is_a_usage_error(tmp_path, capsys):
    assert cli.main(["history", "--db", str(tmp_path / "none.sqlite")]) == 2
    assert "找不到历史数据库" in capsys.readouterr().err and not (tmp_path / "none.sqlite").exists()
