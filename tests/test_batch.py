"""Test the batch stage: the same outputs as the commands run one by one, waves, failures, and one LibreOffice."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
from paths import EXAMPLE_NOTICE, REPO, SAMPLE_NOTICE

from pipeline.cli import main
from pipeline.core.manifest import manifest_entries
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
