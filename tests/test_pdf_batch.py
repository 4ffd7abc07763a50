"""Test that every stage converts its documents in one LibreOffice, and a bad document is named while the rest convert."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest
from paths import EXAMPLE_NOTICE, REPO, SAMPLE_NOTICE

from pipeline.cli import main
from pipeline.core.errors import PipelineError
from pipeline.core.manifest import manifest_entries, record_all
from pipeline.draft import stage
from pipeline.notice.notice import build_notice
from pipeline.pdf import libreoffice
from pipeline.pdf.libreoffice import convert_folders, soffice, to_pdfs

needs_libreoffice = pytest.mark.skipif(soffice() is None, reason="LibreOffice not installed")
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None,
                                   reason="poppler-utils not installed")


@pytest.fixture(scope="module")
def notices(tmp_path_factory) -> list[Path]:
    """Build two different notices (the sample and an example) as .docx."""
    out = tmp_path_factory.mktemp("notices")
    return [build_notice(SAMPLE_NOTICE, out / "a"), build_notice(EXAMPLE_NOTICE, out / "b")]


@pytest.fixture
def soffice_calls(monkeypatch) -> list[list[str]]:
    """Record each LibreOffice started through subprocess.Popen (the calls still run)."""
    calls = []
    popen = subprocess.Popen

    def counting(command, *args, **kwargs):
        if soffice() and command and command[0] == soffice():
            calls.append(list(command))
        return popen(command, *args, **kwargs)

    monkeypatch.setattr(libreoffice.subprocess, "Popen", counting)
    return calls


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def _corrupt(path: Path) -> Path:
    """Write a .docx cut short: a zip without its central directory, which LibreOffice cannot load."""
    path.write_bytes((REPO / "templates" / "notice_letter.docx").read_bytes()[:3000])
    return path


@needs_libreoffice
@needs_poppler
def test_a_batch_renders_one_pdf_for_each_document_in_one_libreoffice(notices, tmp_path, soffice_calls):
    pdfs = [tmp_path / "sample.pdf", tmp_path / "example.pdf"]
    assert to_pdfs(list(zip(notices, pdfs))) == pdfs
    assert len(soffice_calls) == 1
    assert "--convert-to" in soffice_calls[0] and sum(a.endswith(".docx") for a in soffice_calls[0]) == 2
    assert all(_pages(pdf) >= 1 for pdf in pdfs)
    assert "知识产权信息服务优秀案例分享活动" in _text(pdfs[0]).replace("\n", "")
    assert "民生计量器具" in _text(pdfs[1]).replace("\n", "") and "民生计量器具" not in _text(pdfs[0]).replace("\n", "")
    assert not list(tmp_path.glob(".tmp-*"))  # written by rename, nothing half-written left behind


@needs_libreoffice
@needs_poppler
def test_side_by_side_libreoffices_keep_each_pdf_with_its_document(notices, tmp_path, soffice_calls):
    pairs = [(notices[0], tmp_path / "sample.pdf"), (notices[1], tmp_path / "example.pdf"), (notices[0], tmp_path / "again.pdf")]
    assert to_pdfs(pairs, processes=2) == [pdf for _, pdf in pairs]
    assert len(soffice_calls) == 2 and sorted(sum(a.endswith(".docx") for a in call) for call in soffice_calls) == [1, 2]
    texts = [_text(pdf).replace("\n", "") for _, pdf in pairs]
    assert "知识产权信息服务优秀案例分享活动" in texts[0] and "知识产权信息服务优秀案例分享活动" in texts[2]
    assert "民生计量器具" in texts[1] and "民生计量器具" not in texts[0]


@needs_libreoffice
def test_a_corrupt_document_is_named_while_the_good_ones_convert(notices, tmp_path, soffice_calls):
    bad = _corrupt(tmp_path / "损坏的通知.docx")
    pairs = [(notices[0], tmp_path / "1.pdf"), (bad, tmp_path / "2.pdf"), (notices[1], tmp_path / "3.pdf")]
    results = to_pdfs(pairs)
    assert results[0] == tmp_path / "1.pdf" and results[2] == tmp_path / "3.pdf"
    assert isinstance(results[1], PipelineError)
    assert str(bad) in str(results[1]) and "失败" in str(results[1])
    assert (tmp_path / "1.pdf").exists() and (tmp_path / "3.pdf").exists() and not (tmp_path / "2.pdf").exists()
    assert len(soffice_calls) == 2  # the batch, then the corrupt one alone for its own message


def _stage(out: Path, docs: list[Path]) -> Path:
    """Fill out with copies of docs and a manifest naming them, as a stage would."""
    out.mkdir(parents=True)
    names = []
    for n, doc in enumerate(docs):
        shutil.copyfile(doc, out / f"文件{n}.docx")
        names.append(f"文件{n}.docx")
    record_all(out, [(f"doc{n}", out / name, {}) for n, name in enumerate(names)])
    return out


@needs_libreoffice
def test_the_pdf_stage_starts_libreoffice_once_for_every_folder(notices, tmp_path, soffice_calls):
    first = _stage(tmp_path / "outputs", notices)
    second = _stage(tmp_path / "outputs" / "examples", [notices[1], notices[0], notices[1]])
    assert main(["pdf", "--out", str(first), "--out", str(second)]) == 0
    assert len(soffice_calls) == 1
    for folder, count in ((first, 2), (second, 3)):
        pdfs = {e["role"]: e["path"] for e in manifest_entries(folder) if e["role"].endswith("_pdf")}
        assert pdfs == {f"doc{n}_pdf": f"文件{n}.pdf" for n in range(count)}
        assert all((folder / path).stat().st_size > 1000 for path in pdfs.values())


@needs_libreoffice
def test_the_pdf_stage_reports_the_corrupt_file_by_name_and_keeps_the_others(notices, tmp_path, capsys):
    out = _stage(tmp_path / "outputs", [notices[0], notices[1]])
    _corrupt(out / "文件1.docx")
    assert convert_folders([out], ["doc0"]) == [out / "文件0.pdf"]
    with pytest.raises(PipelineError, match="文件1.docx"):
        convert_folders([out])
    assert {e["role"] for e in manifest_entries(out)} == {"doc0", "doc1", "doc0_pdf"}
    assert main(["pdf", "--out", str(out)]) == 2
    assert "文件1.docx" in capsys.readouterr().err


@needs_libreoffice
def test_format_converts_every_draft_in_one_libreoffice(tmp_path, soffice_calls):
    out = tmp_path / "format"
    assert main(["format", str(REPO / "inputs" / "drafts"), "--out", str(out)]) == 0
    assert len(soffice_calls) == 1
    pdfs = sorted(e["path"] for e in manifest_entries(out) if e["role"] == "notice_pdf")
    drafts = sorted(e["path"] for e in manifest_entries(out) if e["role"] == "notice")
    assert len(pdfs) == len(drafts) >= 2
    assert pdfs == sorted(d.removesuffix(".docx") + ".pdf" for d in drafts)
    assert all((out / p).stat().st_size > 1000 for p in pdfs)


@needs_libreoffice
def test_check_renders_every_file_in_one_libreoffice(notices, tmp_path, soffice_calls):
    main(["check", "--pdf", "--json", *map(str, notices)])
    assert len(soffice_calls) == 1


def test_without_libreoffice_a_batch_says_how_to_install(notices, tmp_path, monkeypatch):
    monkeypatch.setattr(libreoffice, "soffice", lambda: None)
    with pytest.raises(libreoffice.NoLibreOffice, match="apt-get install"):
        to_pdfs([(notices[0], tmp_path / "a.pdf"), (notices[1], tmp_path / "b.pdf")])


def test_a_batch_cut_short_converts_the_last_begun_and_the_rest_alone(tmp_path, monkeypatch):
    docs = []
    for n in range(3):
        docs.append(tmp_path / f"{n}.docx")
        docs[-1].write_bytes(b"docx")
    monkeypatch.setattr(libreoffice, "soffice", lambda: "/usr/bin/soffice")

    def convert(exe, work, sources, timeout):
        if len(sources) > 1:  # the batch wrote the first PDF and began the second when time ran out
            (work / "0.pdf").write_bytes(b"%PDF batch")
            (work / "1.pdf").write_bytes(b"%PDF cut")
            raise subprocess.TimeoutExpired("soffice", timeout)
        (work / "in.pdf").write_bytes(b"%PDF alone")
        return subprocess.CompletedProcess([], 0, "", "")

    monkeypatch.setattr(libreoffice, "_convert", convert)
    pdfs = [tmp_path / f"{n}.pdf" for n in range(3)]
    assert to_pdfs(list(zip(docs, pdfs))) == pdfs
    assert [p.read_bytes() for p in pdfs] == [b"%PDF batch", b"%PDF alone", b"%PDF alone"]


def test_format_reports_a_pdf_that_failed_in_its_drafts_report_and_keeps_the_others(tmp_path, monkeypatch):
    def convert(pairs):
        assert len(pairs) == 2  # both drafts in one call
        pairs[1][1].write_bytes(b"%PDF")
        return [PipelineError(f"LibreOffice 转换 {pairs[0][0]} 失败：坏了"), pairs[1][1]]

    monkeypatch.setattr(stage, "soffice", lambda: "/usr/bin/soffice")
    out = tmp_path / "format"
    results = stage.format_drafts([REPO / "inputs" / "drafts"], out, convert=convert)
    assert all(r.built for r in results)
    first, second = (json.loads((out / name).read_text(encoding="utf-8")) for r in results
                     for role, name in r.files if role == "format_report")
    assert any("坏了" in p and str(out) in p and "staging" not in p for p in first["problems"])
    assert not second["problems"]
    assert [role for role, _ in results[0].files].count("notice_pdf") == 0
    assert [role for role, _ in results[1].files].count("notice_pdf") == 1
    assert sum(e["role"] == "notice_pdf" for e in manifest_entries(out)) == 1


def test_a_document_gone_from_its_folder_is_named_and_the_others_convert(tmp_path, monkeypatch):
    docs = [tmp_path / "0.docx", tmp_path / "gone.docx", tmp_path / "2.docx"]
    for doc in (docs[0], docs[2]):
        doc.write_bytes(b"docx")
    monkeypatch.setattr(libreoffice, "soffice", lambda: "/usr/bin/soffice")

    def convert(exe, work, sources, timeout):
        for n, _ in enumerate(sources):
            (work / (f"{n}.pdf" if len(sources) > 1 else "in.pdf")).write_bytes(b"%PDF")
        return subprocess.CompletedProcess([], 0, "", "")

    monkeypatch.setattr(libreoffice, "_convert", convert)
    pdfs = [tmp_path / f"{n}.pdf" for n in range(3)]
    for processes in (1, 2):
        results = to_pdfs(list(zip(docs, pdfs)), processes)
        assert results[0] == pdfs[0] and results[2] == pdfs[2]
        assert isinstance(results[1], PipelineError) and "找不到" in str(results[1]) and "gone.docx" in str(results[1])


def test_an_interrupt_the_system_hands_to_a_converting_thread_still_ends_every_libreoffice(tmp_path, monkeypatch):
    """A Ctrl-C meant for the process may be delivered to any of its threads; the side-by-side conversion must still
    hear it at once and end its LibreOffices, not wait for them to finish."""
    slow = tmp_path / "soffice"
    slow.write_text("#!/bin/sh\nexec sleep 30\n", encoding="utf-8")
    slow.chmod(0o755)

    def convert(group):  # one LibreOffice per group, as to_pdfs starts it; the first thread is handed the Ctrl-C
        if group[0][0].name == "a.docx":  # once both LibreOffices run, as a Ctrl-C would come
            threading.Timer(0.5, signal.pthread_kill, (threading.get_ident(), signal.SIGINT)).start()
        return libreoffice._convert(str(slow), tmp_path, [docx for docx, _ in group], 60)

    monkeypatch.setattr(libreoffice, "to_pdfs", convert)
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        libreoffice._in_threads([[(tmp_path / "a.docx", tmp_path / "a.pdf")], [(tmp_path / "b.docx", tmp_path / "b.pdf")]])
    assert time.monotonic() - started < 10  # each LibreOffice would have gone on for 30 s
    assert not libreoffice._RUNNING
