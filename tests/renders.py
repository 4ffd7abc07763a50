"""Render .docx files to PDF with LibreOffice once per test run: a cache keyed by the bytes' SHA-256, one soffice
process for each batch, shared by the pytest-xdist workers.

The conversion is the pipeline's own (`soffice --headless --convert-to pdf`, with the fontconfig of
pipeline.pdf.libreoffice.render_env mapping the 公文 font names), so a cached PDF is what `make pdf` would make of
the same bytes. Two tests rendering the same bytes (the sample notice measured by several rulers) share one render;
a test that converts several documents converts them in one soffice call (render_all). Tests of the pipeline's PDF
stage itself (to_pdf, check --pdf, format) still call the pipeline.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import tempfile
from contextlib import ExitStack
from pathlib import Path

import pytest

from pipeline.pdf.libreoffice import render_env, soffice

TIMEOUT_SECONDS = 600
_ROOT: list[Path] = []  # the cache folder, set once per process by use_cache_root (else a private one)
current_test: list = []  # the running pytest item (set by conftest), which must be marked libreoffice


def use_cache_root(root: Path) -> None:
    """Keep the renders in root (a folder shared by the xdist workers of one run)."""
    root.mkdir(parents=True, exist_ok=True)
    _ROOT[:] = [root]


def _root() -> Path:
    if not _ROOT:
        use_cache_root(Path(tempfile.mkdtemp(prefix="gongwen-test-renders-")))
    return _ROOT[0]


def _digest(docx: Path) -> str:
    return hashlib.sha256(Path(docx).read_bytes()).hexdigest()


def _convert(items: dict[str, Path], folder: Path) -> None:
    """Convert each docx (keyed by its digest) in one soffice process; put <digest>.pdf into folder."""
    exe = soffice()
    work = Path(tempfile.mkdtemp(prefix="convert-", dir=folder))
    try:
        sources = []
        for digest, docx in items.items():
            sources.append(work / f"{digest}.docx")
            shutil.copyfile(docx, sources[-1])
        command = [exe, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
                   "--convert-to", "pdf", "--outdir", str(work), *map(str, sources)]
        done = subprocess.run(command, env=render_env(), capture_output=True, text=True, timeout=TIMEOUT_SECONDS)
        for digest, docx in items.items():
            produced = work / f"{digest}.pdf"
            if not produced.exists():
                raise RuntimeError(f"LibreOffice did not convert {docx} (exit {done.returncode}): "
                                   f"{done.stderr.strip() or done.stdout.strip()}")
            os.replace(produced, folder / f"{digest}.pdf")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def render_all(docxs: list[Path], pdfs: list[Path] | None = None) -> list[Path]:
    """Return a PDF of each .docx, converting those not yet rendered in this run in one soffice process.

    With pdfs, each PDF is also copied to the given path (beside its .docx, as pipeline's to_pdf would write it);
    without, the cached file is returned (read it, do not change it). Skips the test without LibreOffice.
    """
    if current_test and current_test[0].get_closest_marker("libreoffice") is None:
        raise AssertionError(f"{current_test[0].nodeid} renders with LibreOffice: mark it @pytest.mark.libreoffice")
    if soffice() is None:
        pytest.skip("LibreOffice not installed")
    root = _root()
    digests = [_digest(d) for d in docxs]
    wanted = dict(sorted(zip(digests, docxs)))
    with ExitStack() as locks:  # one lock file a digest, taken in sorted order: workers never deadlock
        for digest in wanted:
            lock = locks.enter_context(open(root / f"{digest}.lock", "w"))
            fcntl.flock(lock, fcntl.LOCK_EX)
        missing = {d: p for d, p in wanted.items() if not (root / f"{d}.pdf").exists()}
        if missing:
            _convert(missing, root)
    cached = [root / f"{d}.pdf" for d in digests]
    if pdfs is None:
        return cached
    for source, target in zip(cached, pdfs):
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    return [Path(p) for p in pdfs]


def render(docx: Path, pdf: Path | None = None) -> Path:
    """Return a PDF of one .docx (rendered once per run for the same bytes); see render_all."""
    return render_all([docx], None if pdf is None else [pdf])[0]


class Ahead:
    """The documents a test module renders, each made by a registered function: on the first render, all of them
    (and the session's documents) are made again and rendered in one soffice run; each test then makes its own
    document (the same bytes) and finds its PDF in the cache. A document that came out different is rendered on
    its own, so the cache can only save time, never change a result."""

    def __init__(self):
        self.makers, self.done = [], False

    def add(self, make):
        """Register make(documents, folder) -> list of .docx paths; return it unchanged."""
        self.makers.append(make)
        return make

    def render(self, documents, docx: Path, pdf: Path | None = None) -> Path:
        """Return the PDF of docx, rendering every registered document first (once)."""
        if not self.done:
            folder = Path(tempfile.mkdtemp(prefix="ahead-", dir=documents.root))
            docxs = documents.all_docx()
            for n, make in enumerate(self.makers):
                (folder / str(n)).mkdir()
                docxs += make(documents, folder / str(n))
            render_all(docxs)
            self.done = True
        return render(docx, pdf)
