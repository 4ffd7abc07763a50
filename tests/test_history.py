"""Test the roster's history: schema and migrations, refusing foreign or damaged files, one transaction per run,
waiting for and sharing a database with another run, and the changes between runs in JSON and Chinese."""

from __future__ import annotations

import multiprocessing
import os
import re
import shutil
import sqlite3
import threading
import time

import pytest

from pipeline.core.errors import PipelineError
from pipeline.history import Entry, FileRow, Run, UnitRow, history_report, history_text, open_history
from pipeline.history import migrate, store

CHINESE = re.compile(r"[\u4e00-\u9fff]")
TABLES = {"runs", "units", "files", "entries", "problems"}
LABELS = {"name": "姓名", "mobile": "手机号码", "office_phone": "办公电话"}
BEIJING, TIANJIN, HEBEI = ("11", "北京市知识产权局"), ("12", "天津市知识产权局"), ("13", "河北省知识产权局")


def person(unit: str, name: str, mobile: str, phone: str = "", source: str = "a.xlsx", row: int = 3) -> Entry:
    """Return a contact-form row of unit identified by the person's name."""
    return Entry(unit, name, {"name": name, "mobile": mobile, "office_phone": phone}, source, "名单", row)


def make_run(at: str, statuses: dict, entries: list[Entry], files: list[FileRow] = (), problems: list = ()) -> Run:
    """Return a Run of the three units with the given statuses (unit id → ok/errors/missing)."""
    units = [UnitRow(uid, name, "省级", statuses.get(uid, "missing")) for uid, name in (BEIJING, TIANJIN, HEBEI)]
    counts = {"people": len(entries), **{s: sum(u.status == s for u in units) for s in ("ok", "errors", "missing")}}
    return Run(at, {"returned": "a" * 64, "recipients": "b" * 64}, counts, units, list(files), list(entries),
               list(problems), LABELS)


def first_run() -> Run:
    """Return a first round: Beijing answered two people, Tianjin one with an error, Hebei nothing."""
    problem = {"code": "invalid_mobile", "severity": "error", "message": "文件“t.xlsx”第 4 行 G 列（手机号码）有误",
               "path": "t.zip", "members": ("t.xlsx",), "sheet": "名单", "row": 4, "column": "G", "field": "手机号码",
               "note": "", "reason": ""}
    return make_run("2025-05-12T09:00:00+08:00", {"11": "ok", "12": "errors"},
                    [person("11", "李玥", "13800000000", "010-62083702"), person("11", "张三", "13800000001"),
                     person("12", "王五", "1380000", source="t.zip")],
                    [FileRow("a.xlsx", (), "1" * 64, "used", "11"), FileRow("t.zip", ("t.xlsx",), "2" * 64, "used", "12")],
                    [problem])


def second_run() -> Run:
    """Return the next round: Beijing resubmitted (李玥's mobile changed, 张三 gone, 王芳 new), Hebei answered."""
    return make_run("2025-05-20T10:00:00+08:00", {"11": "ok", "12": "errors", "13": "ok"},
                    [person("11", "李玥", "13900000000", "010-62083702", source="a2.xlsx"),
                     person("11", "王芳", "13700000000", source="a2.xlsx", row=4),
                     person("12", "王五", "1380000", source="t.zip"), person("13", "赵六", "13600000000", source="h.csv")],
                    [FileRow("a.xlsx", (), "1" * 64, "superseded", "11", "a2.xlsx"),
                     FileRow("a2.xlsx", (), "3" * 64, "used", "11"), FileRow("t.zip", ("t.xlsx",), "2" * 64, "used", "12"),
                     FileRow("h.csv", (), "4" * 64, "used", "13", "")])


def table_counts(path) -> dict[str, int]:
    """Return the number of rows of each table, read with a connection of its own."""
    with sqlite3.connect(path) as db:
        return {table: db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for table in sorted(TABLES)}


def integrity(path) -> str:
    """Return PRAGMA integrity_check's verdict on the database."""
    db = sqlite3.connect(path)
    try:
        return db.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        db.close()


# Schema and migrations ------------------------------------------------------------------------------
def test_a_new_database_gets_the_schema_and_version(tmp_path):
    path = tmp_path / "var" / "history.sqlite"  # the folder does not exist yet
    with open_history(path) as history:
        db = history._db
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        indexes = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")}
        columns = {table: [row[1] for row in db.execute(f"PRAGMA table_info({table})")] for table in TABLES}
        assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA user_version").fetchone()[0] == migrate.latest() == 1
        cascades = {table: db.execute(f"PRAGMA foreign_key_list({table})").fetchall() for table in TABLES - {"runs"}}
    assert tables == TABLES and indexes == {"files_run", "entries_run", "problems_run"}
    assert columns["runs"] == ["id", "at", "returned_hash", "recipients_hash", "spec_hash", "people", "ok", "errors",
                               "missing", "labels"]
    assert columns["units"] == ["run_id", "unit_id", "name", "category", "status"]
    assert columns["files"] == ["run_id", "path", "members", "sha256", "status", "unit_id", "superseded_by"]
    assert columns["entries"] == ["run_id", "unit_id", "entry", "fields", "source_file", "source_sheet", "source_row"]
    assert columns["problems"] == ["run_id", "code", "severity", "path", "members", "sheet", "row", "column", "field",
                                   "message", "note", "reason"]
    assert all(len(keys) == 1 and keys[0][2] == "runs" and keys[0][6] == "CASCADE" for keys in cascades.values())


def test_opening_again_changes_nothing(tmp_path):
    path = tmp_path / "history.sqlite"
    with open_history(path) as history:
        history.record(first_run())
    with sqlite3.connect(path) as db:
        schema = db.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
    with open_history(path) as history:
        assert [run["run"] for run in history.runs()] == [1]
        assert history._db.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall() == schema
        assert history._db.execute("PRAGMA user_version").fetchone()[0] == 1


def test_later_migrations_apply_in_order_and_a_failing_one_changes_nothing(tmp_path, monkeypatch):
    path = tmp_path / "history.sqlite"
    with open_history(path) as history:
        history.record(first_run())
    folder = tmp_path / "migrations"
    folder.mkdir()
    shutil.copy(migrate.MIGRATIONS / "0001_initial.sql", folder)
    (folder / "0002_broken.sql").write_text("ALTER TABLE runs ADD COLUMN note TEXT;\nCREATE TABLE runs (x);\n")
    monkeypatch.setattr(migrate, "MIGRATIONS", folder)
    with pytest.raises(PipelineError, match="无法打开历史数据库"):
        open_history(path)
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 1
        assert "note" not in [row[1] for row in db.execute("PRAGMA table_info(runs)")]  # the ALTER was rolled back
    (folder / "0002_broken.sql").unlink()
    (folder / "0002_note.sql").write_text("-- Migration 2: a note per run.\nALTER TABLE runs ADD COLUMN note TEXT;\n")
    (folder / "0003_index.sql").write_text("CREATE INDEX runs_at ON runs (at);\n-- the end\n")
    with open_history(path) as history:
        assert history._db.execute("PRAGMA user_version").fetchone()[0] == 3
        assert history._db.execute("SELECT note FROM runs").fetchall() == [(None,)]
        assert history.runs()[0]["counts"]["people"] == 3


def test_migrations_must_be_numbered_without_gaps(tmp_path):
    (tmp_path / "0001_a.sql").write_text("SELECT 1;\n")
    (tmp_path / "0003_c.sql").write_text("SELECT 1;\n")
    with pytest.raises(RuntimeError, match="not numbered"):
        migrate.migrations(tmp_path)


# Files the history refuses, untouched ---------------------------------------------------------------
def _newer(path):
    with open_history(path) as history:
        history.record(first_run())
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 99")
    return "较新版本"


def _random_bytes(path):
    path.write_bytes(os.urandom(8192))
    return "不是 SQLite"


def _text_file(path):
    path.write_text("unit_id,name\n11,北京市知识产权局\n", encoding="utf-8")
    return "不是 SQLite"


def _truncated(path):
    with open_history(path) as history:
        run = first_run()
        run.entries = [person("11", f"人{i}", f"138{i:08d}", row=i) for i in range(3000)]
        history.record(run)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return "损坏"


def _scrambled(path):
    with open_history(path) as history:
        history.record(first_run())
    data = bytearray(path.read_bytes())
    data[100:4096] = os.urandom(3996)  # the header survives, the schema page does not
    path.write_bytes(bytes(data))
    return "损坏"


@pytest.mark.parametrize("spoil", [_newer, _random_bytes, _text_file, _truncated, _scrambled],
                         ids=lambda f: f.__name__.strip("_"))
def test_a_foreign_damaged_or_newer_file_is_refused_and_left_as_it_was(tmp_path, spoil):
    path = tmp_path / "history.sqlite"
    expected = spoil(path)
    before = path.read_bytes()
    with pytest.raises(PipelineError) as caught:
        open_history(path)
    assert expected in str(caught.value) and "未作任何改动" in str(caught.value)
    assert caught.value.exit_code == 2 and str(path) in str(caught.value)
    assert path.read_bytes() == before


def test_a_folder_is_refused(tmp_path):
    with pytest.raises(PipelineError, match="是一个文件夹"):
        open_history(tmp_path)


def test_a_malformed_run_is_a_programming_error(tmp_path):
    with open_history(tmp_path / "h.sqlite") as history:
        run = first_run()
        for bad in ({"at": "5月12日"}, {"counts": {"people": 1}}, {"hashes": {"md5": "x"}},
                    {"units": run.units + run.units[:1]}, {"units": [UnitRow("11", "北京", "", "late")]}):
            with pytest.raises(ValueError):
                history.record(Run(**{**run.__dict__, **bad}))
        assert history.runs() == []


# One transaction per run ----------------------------------------------------------------------------
def test_a_run_reads_back_as_recorded(tmp_path):
    with open_history(tmp_path / "h.sqlite") as history:
        assert history.record(first_run()) == 1
        assert history.record(second_run()) == 2
        assert history.load(1) == first_run()
        loaded = history.load(2)
    assert loaded.files[3].superseded_by is None and loaded.files[0].superseded_by == "a2.xlsx"
    assert loaded.hashes == {"returned": "a" * 64, "recipients": "b" * 64}


def test_an_exception_mid_run_leaves_the_database_as_it_was(tmp_path, monkeypatch):
    path = tmp_path / "h.sqlite"
    with open_history(path) as history:
        history.record(first_run())
        before = table_counts(path)
        written = []

        def fail(db, run_id, run):
            written.append(db.execute("SELECT COUNT(*) FROM entries WHERE run_id = ?", (run_id,)).fetchone()[0])
            raise RuntimeError("disk pulled out")

        monkeypatch.setattr(store, "_insert_problems", fail)
        with pytest.raises(RuntimeError, match="disk pulled out"):
            history.record(second_run())
        assert written == [4]  # the run, its units, files and entries were in the transaction
        assert table_counts(path) == before and history.runs()[-1]["run"] == 1
        monkeypatch.undo()
        assert history.record(second_run()) == 2
    assert integrity(path) == "ok"
    assert table_counts(path) == {"entries": 7, "files": 6, "problems": 1, "runs": 2, "units": 6}


def test_a_locked_database_waits_then_says_so(tmp_path, monkeypatch):
    path = tmp_path / "h.sqlite"
    with open_history(path) as history:
        history.record(first_run())
    monkeypatch.setattr(store, "BUSY_SECONDS", 0.4)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO runs (at, people, ok, errors, missing) VALUES ('2025-05-13T00:00:00', 0, 0, 0, 0)")
    try:
        with open_history(path) as history:  # reading is never blocked by a writer (WAL)
            assert len(history.runs()) == 1
            started = time.monotonic()
            with pytest.raises(PipelineError, match="正被另一次汇总使用.*请稍后再试") as caught:
                history.record(second_run())
            assert time.monotonic() - started >= 0.35 and caught.value.exit_code == 2
    finally:
        other.execute("ROLLBACK")
        other.close()
    with open_history(path) as history:
        assert history.record(second_run()) == 2


def test_a_new_database_another_program_is_creating_is_waited_for(tmp_path, monkeypatch):
    # SQLite answers "busy" at once, without waiting, when a database another program holds is switched to WAL.
    path = tmp_path / "h.sqlite"
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)  # a rollback-journal database, being written
    other.execute("BEGIN IMMEDIATE")
    other.execute("CREATE TABLE elsewhere (x)")
    monkeypatch.setattr(store, "BUSY_SECONDS", 0.3)
    with pytest.raises(PipelineError, match="正被另一次汇总使用"):
        open_history(path)
    monkeypatch.setattr(store, "BUSY_SECONDS", 5.0)
    release = threading.Timer(0.3, lambda: other.execute("ROLLBACK"))
    release.start()
    started = time.monotonic()
    try:
        with open_history(path) as history:
            assert history._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert history.record(first_run()) == 1
    finally:
        release.join()
        other.close()
    assert time.monotonic() - started >= 0.25


def _record_many(path: str, who: int, start, rounds: int) -> None:
    """Record rounds runs into path once start is set (run in a process of its own)."""
    start.wait(30)
    with open_history(path) as history:
        for i in range(rounds):
            run = second_run()
            run.at = f"2025-05-2{who}T10:{i:02d}:00+08:00"
            run.entries = [person("11", f"人{who}-{i}-{n}", "13800000000", row=n) for n in range(400)]
            history.record(run)


def test_two_processes_recording_at_once_both_land(tmp_path):
    path = tmp_path / "new" / "h.sqlite"  # both processes also race to create and migrate it
    context = multiprocessing.get_context("spawn")
    start = context.Event()
    workers = [context.Process(target=_record_many, args=(str(path), who, start, 5)) for who in (1, 2)]
    for worker in workers:
        worker.start()
    start.set()
    for worker in workers:
        worker.join(120)
    assert [worker.exitcode for worker in workers] == [0, 0]
    assert integrity(path) == "ok"
    with open_history(path) as history:
        runs = history.runs()
        assert sorted(run["at"][8:10] for run in runs) == ["21"] * 5 + ["22"] * 5
        assert all(len(history.entries(run["run"])) == 400 for run in runs)
        assert {e.entry.split("-")[0] for run in runs for e in history.entries(run["run"])} == {"人1", "人2"}
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 1


# What changed between runs --------------------------------------------------------------------------
def test_the_changes_between_two_runs(tmp_path):
    with open_history(tmp_path / "h.sqlite") as history:
        history.record(first_run())
        history.record(second_run())
        report = history_report(history)
    assert report["runs"] == [
        {"run": 1, "at": "2025-05-12T09:00:00+08:00", "people": 3, "units": {"ok": 1, "errors": 1, "missing": 1}},
        {"run": 2, "at": "2025-05-20T10:00:00+08:00", "people": 4, "units": {"ok": 2, "errors": 1, "missing": 0}}]
    assert report["changes"] == [
        {"run": 2, "unit_id": "11", "kind": "changed", "person": "李玥", "field": "mobile",
         "old": "13800000000", "new": "13900000000"},
        {"run": 2, "unit_id": "11", "kind": "added", "person": "王芳", "field": None, "old": None, "new": None},
        {"run": 2, "unit_id": "11", "kind": "removed", "person": "张三", "field": None, "old": None, "new": None},
        {"run": 2, "unit_id": "13", "kind": "added", "person": "赵六", "field": None, "old": None, "new": None}]
    assert report["answered"] == [{"run": 2, "unit_id": "13", "name": "河北省知识产权局"}]
    assert report["superseded"] == [{"run": 2, "unit_id": "11", "path": "a.xlsx", "members": [], "by": "a2.xlsx"}]
    assert report["labels"] == LABELS and report["names"]["12"] == "天津市知识产权局"


def test_the_same_inputs_again_record_a_run_and_no_changes(tmp_path):
    with open_history(tmp_path / "h.sqlite") as history:
        for _ in range(3):
            history.record(second_run())
        report = history_report(history)
    assert [run["run"] for run in report["runs"]] == [1, 2, 3]
    assert report["changes"] == report["answered"] == report["superseded"] == []
    assert "第2次（2025-05-20 10:00）无变化" in history_text(report)


def test_a_field_emptied_or_filled_and_duplicate_names_are_matched_in_order(tmp_path):
    with open_history(tmp_path / "h.sqlite") as history:
        history.record(make_run("2025-05-12T09:00:00", {"11": "ok"},
                                [person("11", "李玥", "13800000000", "010-1"), person("11", "李玥", "13800000002")]))
        history.record(make_run("2025-05-13T09:00:00", {"11": "ok"},
                                [person("11", "李玥", "13800000000"), person("11", "李玥", "13800000002", "010-2")]))
        changes = history_report(history)["changes"]
    assert [(c["field"], c["old"], c["new"]) for c in changes] == [("office_phone", "010-1", ""),
                                                                  ("office_phone", "", "010-2")]
    assert "李玥 办公电话 （空） → 010-2" in history_text(history_report_of(tmp_path / "h.sqlite"))


def history_report_of(path) -> dict:
    """Return the history report of the database at path."""
    with open_history(path) as history:
        return history_report(history)


def test_one_units_changes(tmp_path):
    with open_history(tmp_path / "h.sqlite") as history:
        history.record(first_run())
        history.record(second_run())
        report = history_report(history, unit="13")
        with pytest.raises(PipelineError, match="没有单位编号为“99”的单位"):
            history_report(history, unit="99")
    assert len(report["runs"]) == 2 and report["superseded"] == []
    assert [(c["unit_id"], c["kind"], c["person"]) for c in report["changes"]] == [("13", "added", "赵六")]
    assert history_text(report).splitlines()[0] == "只列出河北省知识产权局（13）的变化"


def test_the_clerks_text(tmp_path):
    with open_history(tmp_path / "h.sqlite") as history:
        history.record(first_run())
        history.record(second_run())
        text = history_text(history_report(history))
    assert text.splitlines() == [
        "第1次（2025-05-12 09:00）汇总：3 个单位中已报 1，有问题 1，未报 1；共 3 条",
        "第1次（2025-05-12 09:00）首次记录，以后每次与前一次比较",
        "第2次（2025-05-20 10:00）汇总：3 个单位中已报 2，有问题 1，未报 0；共 4 条",
        "第2次（2025-05-20 10:00）河北省知识产权局：已报送（上一次未报）",
        "第2次（2025-05-20 10:00）北京市知识产权局：李玥 手机号码 13800000000 → 13900000000",
        "第2次（2025-05-20 10:00）北京市知识产权局：新增 王芳",
        "第2次（2025-05-20 10:00）北京市知识产权局：删去 张三",
        "第2次（2025-05-20 10:00）河北省知识产权局：新增 赵六",
        "第2次（2025-05-20 10:00）北京市知识产权局：文件“a.xlsx”已被较新的“a2.xlsx”取代"]
    assert history_text(history_report_of(tmp_path / "empty.sqlite")) == "历史数据库中还没有汇总记录。\n"


def test_first_answered(tmp_path):
    with open_history(tmp_path / "h.sqlite") as history:
        assert history.first_answered() == {}
        history.record(first_run())
        history.record(second_run())
        history.record(make_run("2025-06-01T08:00:00+08:00", {}, []))  # nobody in a later run changes nothing
        assert history.first_answered() == {"11": "2025-05-12", "12": "2025-05-12", "13": "2025-05-20"}
