"""Test the batch stage: the same outputs as the commands run one by one, waves, failures, and one LibreOffice."""

from __future__ import annotations

import fcntl
import hashlib
import multiprocessing
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from paths import EXAMPLE_NOTICE, REPO, SAMPLE_NOTICE

from pipeline.cli import batch, main
from pipeline.core import output
from pipeline.core.errors import PipelineError
from pipeline.core.manifest import manifest_entries
from pipeline.draft import stage
from pipeline.pdf.libreoffice import soffice

INPUTS = REPO / "inputs"


def _commands(out: Path) -> list[str]:
    """Return the sample's stage command lines writing into out (roster, then remind reading its report)."""
    return [f"notice --input {SAMPLE_NOTICE} --out {out}",
            f"forms --spec {INPUTS / 'annex2.yaml'} --notice {SAMPLE_NOTICE} --recipients {INPUTS / 'recipients.csv'} "
            f"--out {out / 'forms'} --manifest {out}",
            f"roster --spec {INPUTS / 'annex2.yaml'} --returned {INPUTS / 'returned'} "
            f"--recipients {INPUTS / 'recipients.csv'} --out {out / 'roster'} --manifest {out}",
            "then",
            f"remind --report {out / 'roster' / 'report.json'} --input {SAMPLE_NOTICE} --out {out / 'remind'} "
            f"--recipients {INPUTS / 'recipients.csv'} --reply-by 2099-06-30"]


def _files(out: Path) -> dict[str, str]:
    """Return the SHA-256 of every .docx and .xlsx under out, by relative path."""
    return {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(out.rglob("*")) if p.suffix in (".docx", ".xlsx")}


def test_a_batch_writes_what_its_commands_write_one_by_one(tmp_path, capfd):
    alone, together = tmp_path / "alone", tmp_path / "together"
    for line in _commands(alone):
        if line != "then":
            assert main(line.split()) == 0
    capfd.readouterr()
    assert main(["batch", "--jobs", "2", *_commands(together)]) == 0
    printed = capfd.readouterr().out
    assert _files(together) == _files(alone) and len(_files(together)) > 50
    assert sorted(e["role"] for e in manifest_entries(together)) == sorted(e["role"] for e in manifest_entries(alone))
    # each command's line once, its output after it; remind (after `then`) ends after roster
    lines = printed.splitlines()
    starts = [n for n, line in enumerate(lines) if line.startswith("python -m pipeline ")]
    assert [lines[n].split()[3] for n in starts][-1] == "remind" and len(starts) == 4
    assert printed.count("已汇总 26 人") == 1 and printed.count("催报函：") == 1
    assert lines.index(next(line for line in lines if line.startswith("已汇总"))) > starts[0]


def test_a_usage_error_in_any_command_is_named_before_anything_runs(tmp_path, capfd):
    out = tmp_path / "out"
    code = main(["batch", f"notice --input {SAMPLE_NOTICE} --out {out}", f"roster --returned {tmp_path} --bogus 1"])
    err = capfd.readouterr().err
    assert code == 2
    assert "批处理中的命令有误：roster --returned" in err and "--bogus" in err
    assert not out.exists()


def test_a_batch_inside_a_batch_is_refused(tmp_path, capfd):
    assert main(["batch", f"batch 'notice --out {tmp_path}'"]) == 2
    assert "批处理中不能再写批处理" in capfd.readouterr().err


def test_a_failed_command_stops_the_later_waves_and_the_pdfs_but_not_its_own_wave(tmp_path, capfd):
    missing, good, later = tmp_path / "missing.yaml", tmp_path / "good", tmp_path / "later"
    code = main(["batch", "--jobs", "1", "--pdf", str(good), f"notice --input {missing} --out {tmp_path / 'bad'}",
                 f"notice --input {EXAMPLE_NOTICE} --out {good}", "then", f"notice --input {EXAMPLE_NOTICE} --out {later}"])
    captured = capfd.readouterr()
    assert code == 2
    assert "missing.yaml" in captured.err and "未运行：notice --input" in captured.err and "未生成 PDF" in captured.err
    assert [p.suffix for p in good.glob("*.*") if p.suffix in (".docx", ".pdf")] == [".docx"]  # its wave went on; no PDF
    assert not later.exists()


def test_without_libreoffice_the_batch_names_the_pdfs_it_skips(tmp_path, capfd, monkeypatch):
    bin_dir = tmp_path / "bin"  # a PATH with python and nothing else: no soffice
    bin_dir.mkdir()
    monkeypatch.setenv("PATH", str(bin_dir))
    out = tmp_path / "out"
    assert main(["batch", "--pdf", str(out), f"notice --input {EXAMPLE_NOTICE} --out {out}"]) == 0
    printed = capfd.readouterr().out
    assert "跳过以下 PDF" in printed and "通知.pdf" in printed and "apt-get install" in printed
    assert not list(out.glob("*.pdf"))


@pytest.fixture
def counted_soffice(tmp_path, monkeypatch) -> Path:
    """Put a soffice first on PATH that logs each start (from any process) and runs the real one; return the log."""
    real = soffice()
    if real is None:
        pytest.skip("LibreOffice not installed")
    bin_dir, log = tmp_path / "counting-bin", tmp_path / "soffice.log"
    bin_dir.mkdir()
    wrapper = bin_dir / "soffice"
    wrapper.write_text(f'#!/bin/sh\necho started >> "{log}"\nexec "{real}" "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    assert shutil.which("soffice") == str(wrapper)
    return log


@pytest.mark.libreoffice
@pytest.mark.parametrize("jobs", [1, 2])
def test_format_and_the_folders_share_the_libreoffice_started_at_the_end(tmp_path, counted_soffice, capfd, jobs):
    docs, drafts = tmp_path / "docs", tmp_path / "format"
    code = main(["batch", "--jobs", str(jobs), "--pdf", str(docs), f"notice --input {EXAMPLE_NOTICE} --out {docs}",
                 f"packet --input {SAMPLE_NOTICE} --out {docs}", f"format {INPUTS / 'drafts'} --out {drafts}"])
    printed = capfd.readouterr().out
    assert code == 0, printed
    assert counted_soffice.read_text().splitlines() == ["started"] * jobs  # one LibreOffice a job, for every PDF
    folder_pdfs = sorted(e["path"] for e in manifest_entries(docs) if e["path"].endswith(".pdf"))
    assert folder_pdfs == sorted(e["path"].removesuffix(".docx") + ".pdf" for e in manifest_entries(docs)
                                 if e["path"].endswith(".docx"))
    draft_pdfs = [e["path"] for e in manifest_entries(drafts) if e["role"] == "notice_pdf"]
    assert len(draft_pdfs) == 2 and all((drafts / p).stat().st_size > 1000 for p in draft_pdfs)
    assert all((docs / p).read_bytes().startswith(b"%PDF") for p in folder_pdfs)
    assert "已生成 PDF" in printed


def test_a_format_command_killed_while_the_batch_converts_is_named_and_fails_the_batch(tmp_path, capfd, monkeypatch):
    waiting = []

    def converted(pairs, processes):  # the waiting format copy dies (as killed by the system) while LibreOffice works
        for process in multiprocessing.active_children():
            os.kill(process.pid, signal.SIGKILL)
            process.join()
            waiting.append(process)
        return [PipelineError("未转换")] * len(pairs)

    monkeypatch.setattr(stage, "soffice", lambda: "/usr/bin/soffice")  # format asks the batch for its PDFs
    monkeypatch.setattr(batch, "_converted", converted)
    code = main(["batch", f"notice --input {EXAMPLE_NOTICE} --out {tmp_path / 'docs'}",
                 f"format {INPUTS / 'drafts'} --out {tmp_path / 'format'}"])
    captured = capfd.readouterr()
    assert code == 1 and waiting
    assert "异常终止（信号 SIGKILL）" in captured.err and "未全部完成" in captured.out
    assert not (tmp_path / "format").exists() and (tmp_path / "docs").is_dir()


def test_a_command_killed_by_a_signal_is_named(tmp_path, capfd, monkeypatch):
    monkeypatch.setattr(batch, "run_parsed", lambda args, argv: os.kill(os.getpid(), signal.SIGKILL))
    assert main(["batch", f"notice --input {EXAMPLE_NOTICE} --out {tmp_path}"]) == 1
    err = capfd.readouterr().err
    assert "异常终止（信号 SIGKILL）" in err and "内存不足" in err


def _fake_soffice(tmp_path: Path, script: str) -> dict[str, str]:
    """Return an environment whose soffice (started by the batch itself) runs script."""
    bin_dir = tmp_path / "fake-bin"
    bin_dir.mkdir()
    (bin_dir / "soffice").write_text(f"#!/bin/sh\n{script}\n", encoding="utf-8")
    (bin_dir / "soffice").chmod(0o755)
    return {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}


def _format_lock_free(out: Path, seconds: float) -> bool:
    """Tell whether the format set's lock is free within seconds (nothing is left holding it)."""
    deadline = time.monotonic() + seconds
    with open(out.parent / f".{out.name}.lock", "a+b") as handle:
        while time.monotonic() < deadline:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                time.sleep(0.1)
    return False


def _batch(tmp_path: Path, jobs: int = 1) -> list[str]:
    return [sys.executable, "-m", "pipeline", "batch", "--jobs", str(jobs), "--pdf", str(tmp_path / "docs"),
            f"notice --input {EXAMPLE_NOTICE} --out {tmp_path / 'docs'}", f"format {INPUTS / 'drafts'} --out {tmp_path / 'format'}"]


@pytest.mark.parametrize("name, jobs", [("SIGINT", 1), ("SIGTERM", 1), ("SIGINT", 2)])
def test_a_batch_interrupted_while_converting_stops_its_commands_libreoffice_and_ends(tmp_path, name, jobs):
    # the batch alone is signalled, once, by the first LibreOffice to start; each LibreOffice would go on for 60 s
    script = f'mkdir "{tmp_path / "signalled"}" 2>/dev/null && kill -{name.removeprefix("SIG")} $PPID\nexec sleep 60'
    started = time.monotonic()
    done = subprocess.run(_batch(tmp_path, jobs), cwd=REPO, env=_fake_soffice(tmp_path, script), capture_output=True,
                          text=True, timeout=90)
    assert time.monotonic() - started < 30 and done.returncode == 130
    assert "已中断，以下命令未完成" in done.stderr and "format " in done.stderr
    assert not (tmp_path / "format").exists() and _format_lock_free(tmp_path / "format", 1)


def test_a_format_command_whose_batch_is_killed_ends_unwritten(tmp_path):
    env = _fake_soffice(tmp_path, "kill -KILL $PPID")
    done = subprocess.run(_batch(tmp_path), cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == -signal.SIGKILL
    assert _format_lock_free(tmp_path / "format", 10)  # the copy waiting for its PDFs saw the batch go, and ended
    assert not (tmp_path / "format").exists()


@pytest.mark.parametrize("shell", ["{batch} >&-", "{batch} | head -1"])
def test_a_batch_whose_output_is_closed_or_cut_short_still_does_everything(tmp_path, shell):
    docs = tmp_path / "docs"
    lines = [sys.executable, "-m", "pipeline", "batch", f"notice --input {EXAMPLE_NOTICE} --out {docs}",
             f"packet --input {SAMPLE_NOTICE} --out {docs}", f"format {INPUTS / 'drafts'} --no-pdf --out {tmp_path / 'format'}"]
    command = shell.format(batch=" ".join(map(shlex.quote, lines)))
    done = subprocess.run(["bash", "-c", command + "; exit ${PIPESTATUS[0]}"], cwd=REPO, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0 and "内部出错" not in done.stderr, done.stderr
    assert {e["role"] for e in manifest_entries(tmp_path / "docs")} == {"notice", "packet"}
    assert sum(e["role"] == "notice" for e in manifest_entries(tmp_path / "format")) == 2


def _converted(pairs, processes):
    """Stand in for LibreOffice: write each PDF."""
    for _, pdf in pairs:
        pdf.write_bytes(b"%PDF")
    return [pdf for _, pdf in pairs]


def test_two_format_commands_into_one_folder_do_not_wait_on_each_other(tmp_path, capfd, monkeypatch):
    monkeypatch.setattr(stage, "soffice", lambda: "/usr/bin/soffice")  # format asks the batch for its PDFs
    monkeypatch.setattr(batch, "_converted", _converted)
    monkeypatch.setattr(batch, "STALL_SECONDS", 1)
    monkeypatch.setattr(output, "LOCK_WAIT_SECONDS", 20)  # the second format waits for the first one's folder lock
    out, started = tmp_path / "format", time.monotonic()
    code = main(["batch", f"format {INPUTS / 'drafts'} --out {out}", f"format {INPUTS / 'drafts'} --out {out}"])
    assert code == 0, capfd.readouterr()
    assert time.monotonic() - started < 15
    assert sum(e["role"] == "notice_pdf" for e in manifest_entries(out)) == 2


def test_a_batch_of_nothing_but_then_is_a_usage_error(capfd):
    assert main(["batch", "then", "then"]) == 2
    assert "没有要运行的命令" in capfd.readouterr().err


def test_a_damaged_manifest_in_a_pdf_folder_is_named_and_costs_no_other_pdf(tmp_path, capfd, monkeypatch):
    monkeypatch.setattr(stage, "soffice", lambda: "/usr/bin/soffice")
    monkeypatch.setattr(batch, "_converted", _converted)
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "manifest.json").write_text("{broken", encoding="utf-8")
    code = main(["batch", "--pdf", str(tmp_path / "bad"), "--pdf", str(tmp_path / "good"),
                 f"notice --input {EXAMPLE_NOTICE} --out {tmp_path / 'good'}", f"format {INPUTS / 'drafts'} --out {tmp_path / 'format'}"])
    err = capfd.readouterr().err
    assert code == 2 and "bad/manifest.json 已损坏" in err and "已中断" not in err
    assert sum(e["role"] == "notice_pdf" for e in manifest_entries(tmp_path / "format")) == 2
    assert sum(e["role"] == "notice_pdf" for e in manifest_entries(tmp_path / "good")) == 1
