"""Test that outputs are written as whole sets: concurrent runs, killed runs, failed writes, parallel manifests."""

from __future__ import annotations

import csv
import errno
import io
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest
from paths import REPO

from pipeline import cli
from pipeline.core.errors import PipelineError
from pipeline.core.manifest import manifest_entries, record
from pipeline.core.output import write_failure
from pipeline.core.outset import OutputSet
from pipeline.roster.stage import build_roster

RECIPIENTS = REPO / "inputs" / "recipients.csv"
UNITS = ("北京", "天津", "河北", "山西", "辽宁", "吉林", "上海", "江苏")


def returns(folder: Path, people: int, copies: int = 1) -> Path:
    """Write one CSV per unit (copies files each) with people rows; return the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for unit in UNITS:
        for copy in range(copies):
            rows = "".join(f"{unit}{copy}人{i},139{i:04d}{copy:04d}\n" for i in range(people))
            (folder / f"{unit}-{copy}.csv").write_text("姓名,手机号码\n" + rows, encoding="utf-8")
    return folder


def the_set(out: Path) -> tuple[int, int, int]:
    """Return the number of people in report.json, roster.csv and roster.xlsx of one output folder."""
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))["counts"]["people"]
    rows = list(csv.reader(io.StringIO((out / "roster.csv").read_text(encoding="utf-8-sig"))))
    book = openpyxl.load_workbook(out / "roster.xlsx", read_only=True)
    try:  # a read-only workbook keeps its file open until closed (a ResourceWarning in whichever test runs next)
        return report, len(rows) - 1, sum(1 for _ in book["汇总"].iter_rows()) - 1
    finally:
        book.close()


def snapshot(folder: Path) -> dict[str, bytes]:
    """Return every file of a folder (hidden ones included) with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def roster_command(returned: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "pipeline", "roster", "--returned", str(returned), "--recipients", str(RECIPIENTS),
            "--out", str(out)]


def test_two_runs_into_one_folder_at_once_leave_one_complete_set(tmp_path):
    small, large = returns(tmp_path / "a", 1), returns(tmp_path / "b", 3)
    out = tmp_path / "out"
    runs = [subprocess.Popen(roster_command(folder, out), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO)
            for folder in (small, large)]
    assert [run.wait(timeout=300) for run in runs] == [0, 0]
    counts = the_set(out)
    assert counts in ((8, 8, 8), (24, 24, 24))
    assert not list(tmp_path.glob(".out.staging-*"))


def children(pid: int) -> list[int]:
    """Return the child process ids of pid (Linux /proc)."""
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc to see the reader workers")
def test_a_killed_run_leaves_the_previous_set_whole(tmp_path):
    out = tmp_path / "out"
    build_roster(returns(tmp_path / "first", 1), RECIPIENTS, out)
    before = snapshot(out)
    slow = returns(tmp_path / "slow", 50, copies=40)
    run = subprocess.Popen(roster_command(slow, out), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO)
    deadline = time.monotonic() + 60
    while not (list(tmp_path.glob(".out.staging-*")) and children(run.pid)) and time.monotonic() < deadline:
        time.sleep(0.01)
    workers = children(run.pid)
    assert workers, "the run was killed before it started its reader workers"
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    assert snapshot(out) == before
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}").exists() for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers), "reader workers outlived the killed run"
    build_roster(returns(tmp_path / "third", 2), RECIPIENTS, out)
    assert the_set(out) == (16, 16, 16)
    assert not list(tmp_path.glob(".out.staging-*")) and not list(tmp_path.glob(".out.old-*"))


def test_a_failed_write_keeps_the_previous_set(tmp_path, monkeypatch):
    out = tmp_path / "out"
    build_roster(returns(tmp_path / "first", 1), RECIPIENTS, out)
    before = snapshot(out)
    write = OutputSet.write

    def disk_full(self, name, data):
        if name == "roster.xlsx":
            raise write_failure(self.out_dir / name, OSError(errno.ENOSPC, "No space left on device"))
        return write(self, name, data)

    monkeypatch.setattr(OutputSet, "write", disk_full)
    with pytest.raises(PipelineError, match="磁盘已满"):
        build_roster(returns(tmp_path / "second", 2), RECIPIENTS, out)
    assert snapshot(out) == before and not list(tmp_path.glob(".out.staging-*"))


def test_a_folder_holding_other_files_is_never_replaced(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "我的笔记.docx").write_bytes(b"mine")
    with pytest.raises(PipelineError, match="我的笔记.docx"):
        build_roster(returns(tmp_path / "a", 1), RECIPIENTS, out)
    assert snapshot(out) == {"我的笔记.docx": b"mine"}


def test_the_outputs_of_other_stages_are_never_replaced(tmp_path):
    out = tmp_path / "outputs"
    for stage_name in ("notice", "annexes"):
        assert cli.main([stage_name, "--input", str(REPO / "inputs" / "notice.yaml"), "--out", str(out)]) == 0
    before = snapshot(out)
    with pytest.raises(PipelineError, match="不是本阶段上次生成"):
        build_roster(returns(tmp_path / "a", 1), RECIPIENTS, out)
    assert snapshot(out) == before


def test_a_roster_open_in_a_spreadsheet_program_is_named(tmp_path):
    out = tmp_path / "out"
    build_roster(returns(tmp_path / "a", 1), RECIPIENTS, out)
    (out / ".~lock.roster.xlsx#").write_text("lock", encoding="utf-8")
    with pytest.raises(PipelineError, match="正在 Excel、WPS 或 LibreOffice 中打开"):
        build_roster(returns(tmp_path / "a", 1), RECIPIENTS, out)


def test_the_current_folder_is_never_the_output_folder(tmp_path, monkeypatch):
    returned, work = returns(tmp_path / "a", 1), tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    with pytest.raises(PipelineError, match="当前文件夹"):
        build_roster(returned, RECIPIENTS, Path("."))
    assert list(work.iterdir()) == []


def test_a_linked_output_folder_is_replaced_behind_its_link(tmp_path):
    real, link = tmp_path / "real", tmp_path / "link"
    real.mkdir()
    link.symlink_to(real)
    for _ in range(2):
        build_roster(returns(tmp_path / "a", 1), RECIPIENTS, link)
    assert link.is_symlink() and the_set(real) == (8, 8, 8)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".real.lock", "a", "link", "real"]


def test_a_damaged_manifest_is_a_usage_error_before_anything_is_replaced(tmp_path):
    outputs = tmp_path / "outputs"
    build_roster(returns(tmp_path / "a", 1), RECIPIENTS, outputs / "roster", manifest_dir=outputs)
    (outputs / "manifest.json").write_text("{broken", encoding="utf-8")
    before = snapshot(outputs / "roster")
    with pytest.raises(PipelineError, match="已损坏"):
        build_roster(returns(tmp_path / "b", 2), RECIPIENTS, outputs / "roster", manifest_dir=outputs)
    assert snapshot(outputs / "roster") == before


def test_the_manifest_defaults_to_the_output_folder(tmp_path):
    out = tmp_path / "out"
    build_roster(returns(tmp_path / "a", 1), RECIPIENTS, out)
    assert sorted(e["role"] for e in manifest_entries(out)) == ["roster_csv", "roster_report", "roster_status",
                                                                 "roster_xlsx"]


def test_a_manifest_elsewhere_names_the_outputs_by_their_relative_path(tmp_path):
    build_roster(returns(tmp_path / "a", 1), RECIPIENTS, tmp_path / "out", manifest_dir=tmp_path / "elsewhere")
    entries = manifest_entries(tmp_path / "elsewhere")
    assert sorted(e["path"] for e in entries) == ["../out/report.json", "../out/roster.csv", "../out/roster.xlsx",
                                                   "../out/status.pdf"]
    assert all((tmp_path / "elsewhere" / e["path"]).is_file() for e in entries)
    assert not (tmp_path / "out" / "manifest.json").exists()


def test_a_manifest_place_that_is_a_file_is_a_usage_error_before_anything_is_written(tmp_path):
    (tmp_path / "elsewhere").write_text("x", encoding="utf-8")
    with pytest.raises(PipelineError, match="不是文件夹"):
        build_roster(returns(tmp_path / "a", 1), RECIPIENTS, tmp_path / "out", manifest_dir=tmp_path / "elsewhere")
    assert not (tmp_path / "out").exists()


def test_an_output_set_swaps_in_only_on_success(tmp_path):
    out = tmp_path / "set"
    with OutputSet(out, ["a.txt"]) as outputs:
        outputs.write("a.txt", b"one")
        outputs.commit()
    with OutputSet(out, ["a.txt"]) as outputs:
        outputs.write("a.txt", b"two")  # never committed: discarded
    with pytest.raises(RuntimeError), OutputSet(out, ["a.txt"]) as outputs:
        outputs.write("a.txt", b"three")
        raise RuntimeError("stop")
    assert (out / "a.txt").read_bytes() == b"one" and sorted(p.name for p in tmp_path.iterdir()) == [".set.lock", "set"]


def _record_many(folder: str, worker: int) -> None:
    for i in range(10):
        path = Path(folder) / f"{worker}-{i}.txt"
        path.write_text("x", encoding="utf-8")
        record(Path(folder), f"role{worker}", path)


def test_parallel_stages_keep_every_manifest_entry(tmp_path):
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_record_many, args=(str(tmp_path), n)) for n in range(6)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert len(manifest_entries(tmp_path)) == 60


def test_stages_run_in_parallel_keep_every_role(tmp_path):
    out = tmp_path / "outputs"
    commands = [["notice"], ["annexes"], ["packet"], ["forms", "--out", str(out / "forms"), "--manifest", str(out)]]
    runs = [subprocess.Popen([sys.executable, "-m", "pipeline", *command] + ([] if "--out" in command else ["--out", str(out)]),
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO) for command in commands]
    assert [run.wait(timeout=300) for run in runs] == [0, 0, 0, 0]
    roles = {e["role"] for e in manifest_entries(out)}
    assert {"notice", "annex1", "annex2", "annex3", "packet", "annex2_form", "form"} <= roles


def test_a_history_file_inside_the_returned_or_the_output_folder_is_refused_before_anything_is_written(tmp_path):
    returned = returns(tmp_path / "returned", 1)
    before = sorted(p.name for p in returned.iterdir())
    for history, named in ((returned / "history.sqlite", "回执文件夹"), (tmp_path / "out" / "history.sqlite", "输出文件夹")):
        with pytest.raises(PipelineError, match=named) as caught:
            build_roster(returned, RECIPIENTS, tmp_path / "out", history=history)
        assert caught.value.exit_code == 2 and "--history" in str(caught.value)
    assert sorted(p.name for p in returned.iterdir()) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["returned"]


KILLED_UPDATE = """
import os, signal, sys
from pathlib import Path
from pipeline.core import output
from pipeline.core.manifest import record

output.os.replace = lambda *args: os.kill(os.getpid(), signal.SIGKILL)  # killed between write and rename
record(Path(sys.argv[1]), "second", Path(sys.argv[1]) / "b.txt")
"""


def test_a_manifest_update_killed_before_its_rename_leaves_nothing_after_the_next_update(tmp_path):
    for name in ("a.txt", "b.txt", ".tmp-another-stage"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    record(tmp_path, "first", tmp_path / "a.txt")
    killed = subprocess.run([sys.executable, "-c", KILLED_UPDATE, str(tmp_path)], cwd=REPO, timeout=120)
    assert killed.returncode == -signal.SIGKILL
    assert len(list(tmp_path.glob(".manifest.tmp-*"))) == 1  # what the killed update left
    assert [e["role"] for e in manifest_entries(tmp_path)] == ["first"]
    record(tmp_path, "second", tmp_path / "b.txt")
    assert sorted(e["role"] for e in manifest_entries(tmp_path)) == ["first", "second"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".manifest.lock", ".tmp-another-stage", "a.txt", "b.txt",
                                                          "manifest.json"]
