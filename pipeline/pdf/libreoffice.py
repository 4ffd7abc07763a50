"""Convert Word documents to PDF with LibreOffice, mapping the 公文 font names to free fonts."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor, wait
from collections.abc import Callable
from pathlib import Path

from ..core.errors import PipelineError
from ..core.manifest import manifest_entries, record_all
from ..core.output import atomic_write
from ..core.resources import FONTCONFIG

CONVERT_TIMEOUT_SECONDS = 300
BATCH_SECONDS_PER_FILE = 60  # a batch of documents may take this much longer for each
INSTALL_HINT = (
    "未找到 LibreOffice，无法生成 PDF（.docx/.xlsx 不受影响）。安装方法（Debian/Ubuntu，需 root）：\n"
    "  apt-get install -y libreoffice-writer-nogui poppler-utils "
    "fonts-noto-cjk fonts-arphic-uming fonts-arphic-ukai fonts-liberation2"
)


SIGNAL_POLL_SECONDS = 0.2  # how often the main thread wakes, while LibreOffices convert side by side, to hear Ctrl-C
_RUNNING: set[subprocess.Popen] = set()  # the LibreOffice processes converting now, each the leader of its group
_STOPPING = threading.Event()  # set when an interrupt ends side-by-side conversions: no thread starts another
_STARTING = threading.Lock()  # held while one starts, so none starts unseen as they are ended


# Makes the PDF of each (.docx, .pdf) pair; returns each PDF written or the error naming its document.
Converter = Callable[[list[tuple[Path, Path]]], list["Path | PipelineError"]]


class NoLibreOffice(PipelineError):
    """Report that LibreOffice is not installed."""


def soffice() -> str | None:
    """Return the LibreOffice executable, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def render_env() -> dict[str, str]:
    """Return an environment whose fontconfig maps 仿宋_GB2312 and friends to installed fonts."""
    return {**os.environ, "FONTCONFIG_FILE": str(FONTCONFIG)}


def to_pdf(docx_path: Path, pdf_path: Path) -> Path:
    """Convert one .docx to PDF at pdf_path (atomically); raise NoLibreOffice if absent."""
    exe = _executable()
    with tempfile.TemporaryDirectory(prefix="gongwen-pdf-") as tmp:
        tmp_path = Path(tmp)
        source = tmp_path / "in.docx"
        shutil.copyfile(docx_path, source)
        try:
            done = _convert(exe, tmp_path, [source], CONVERT_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            raise PipelineError(f"LibreOffice 转换 {docx_path} 超过 5 分钟未完成，已放弃（可关闭正在运行的 LibreOffice 后重试）") from None
        produced = tmp_path / "in.pdf"
        if done.returncode != 0 or not produced.exists():
            raise PipelineError(f"LibreOffice 转换 {docx_path} 失败：{done.stderr.strip() or done.stdout.strip()}")
        return atomic_write(pdf_path, produced.read_bytes())


def to_pdfs(pairs: list[tuple[Path, Path]], processes: int = 1) -> list[Path | PipelineError]:
    """Convert each (.docx, .pdf) pair in one LibreOffice process (or in that many side by side, the documents shared out
    by size); return each PDF written or the error naming its file.

    A document the batch leaves without a PDF is converted again on its own, for its own error message; one that is
    no longer there is named as such.
    """
    there = [Path(docx).is_file() for docx, _ in pairs]
    made = iter(_existing_to_pdfs([pair for pair, found in zip(pairs, there) if found], processes))
    return [next(made) if found else PipelineError(f"找不到 {docx}，未生成它的 PDF（请重新运行生成它的阶段）")
            for (docx, _), found in zip(pairs, there)]


def _existing_to_pdfs(pairs: list[tuple[Path, Path]], processes: int) -> list[Path | PipelineError]:
    """Convert pairs whose documents exist, as to_pdfs."""
    if processes > 1 and len(pairs) > 1:
        return _side_by_side(pairs, processes)
    exe = _executable()
    if len(pairs) < 2:
        return [_one(docx, pdf) for docx, pdf in pairs]
    results: list[Path | PipelineError | None] = [None] * len(pairs)
    with tempfile.TemporaryDirectory(prefix="gongwen-pdf-") as tmp:
        tmp_path = Path(tmp)
        sources = [tmp_path / "in" / f"{n}.docx" for n in range(len(pairs))]
        sources[0].parent.mkdir()
        for (docx, _), source in zip(pairs, sources):
            shutil.copyfile(docx, source)
        produced = [tmp_path / f"{n}.pdf" for n in range(len(pairs))]
        try:
            _convert(exe, tmp_path, sources, CONVERT_TIMEOUT_SECONDS + BATCH_SECONDS_PER_FILE * len(pairs))
        except subprocess.TimeoutExpired:  # the last PDF begun may be cut short: convert it and those after it again
            done = [n for n, path in enumerate(produced) if path.exists()]
            produced = produced[:done[-1]] if done else []
        for n, path in enumerate(produced):
            if path.exists():
                results[n] = atomic_write(pairs[n][1], path.read_bytes())
    return [found if found is not None else _one(*pairs[n]) for n, found in enumerate(results)]


def _side_by_side(pairs: list[tuple[Path, Path]], processes: int) -> list[Path | PipelineError]:
    """Share the pairs out among LibreOffice processes (largest first, each to the lightest), convert, keep the order."""
    groups: list[list[int]] = [[] for _ in range(min(processes, len(pairs)))]
    loads = [0] * len(groups)
    for n in sorted(range(len(pairs)), key=lambda n: -pairs[n][0].stat().st_size):
        lightest = loads.index(min(loads))
        groups[lightest].append(n)
        loads[lightest] += pairs[n][0].stat().st_size
    _executable()  # no LibreOffice: say so once, before any thread starts
    done = _in_threads([[pairs[n] for n in group] for group in groups])
    results: list[Path | PipelineError] = [None] * len(pairs)  # type: ignore[list-item]
    for group, converted in zip(groups, done):
        for n, result in zip(group, converted):
            results[n] = result
    return results


def _in_threads(groups: list[list[tuple[Path, Path]]]) -> list[list[Path | PipelineError]]:
    """Convert each group in a LibreOffice of its own, side by side; interrupted, end them all, so the threads end now."""
    try:
        with ThreadPoolExecutor(len(groups)) as pool:
            try:
                converting = [pool.submit(to_pdfs, group) for group in groups]
                while wait(converting, timeout=SIGNAL_POLL_SECONDS).not_done:
                    pass  # wake now and then: an interrupt the system handed to another thread is raised only here
                return [future.result() for future in converting]
            except BaseException:  # Ctrl-C: only this thread hears it
                with _STARTING:
                    _STOPPING.set()
                    for process in list(_RUNNING):
                        _kill_group(process)
                raise
    finally:
        _STOPPING.clear()  # every thread has ended


def _executable() -> str:
    exe = soffice()
    if exe is None:
        raise NoLibreOffice(INSTALL_HINT)
    return exe


def _convert(exe: str, work: Path, sources: list[Path], timeout: float) -> subprocess.CompletedProcess:
    """Run one LibreOffice with its own profile in work, converting sources to PDF in work; interrupted or out of time,
    end it and every process it started."""
    command = [exe, f"-env:UserInstallation={work.as_uri()}/profile", "--headless",
               "--convert-to", "pdf", "--outdir", str(work), *map(str, sources)]
    with _STARTING:
        if _STOPPING.is_set():
            raise KeyboardInterrupt
        process = subprocess.Popen(command, env=render_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   start_new_session=True)
        _RUNNING.add(process)
    with process:
        try:
            out, err = process.communicate(timeout=timeout)
        except BaseException:
            _kill_group(process)
            raise
        finally:
            _RUNNING.discard(process)
    return subprocess.CompletedProcess(command, process.returncode, out, err)


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except OSError:  # it has ended already
        pass


def _one(docx_path: Path, pdf_path: Path) -> Path | PipelineError:
    """Convert one document, returning its error instead of raising it."""
    try:
        return to_pdf(docx_path, pdf_path)
    except NoLibreOffice:
        raise
    except PipelineError as exc:
        return exc


def pending_pdfs(out_dir: Path, roles: list[str] | None = None) -> list[tuple[str, Path, Path]]:
    """List (PDF role, .docx, .pdf) for each manifest .docx (or those roles) that LibreOffice should convert."""
    entries = manifest_entries(out_dir)
    made_elsewhere = {e["role"]: e["path"] for e in entries if not e["path"].endswith(".docx")}
    pending = []
    for entry in entries:
        if not entry["path"].endswith(".docx") or (roles and entry["role"] not in roles):
            continue
        docx_path = Path(out_dir) / entry["path"]
        relative = Path(entry["path"]).with_suffix(".pdf").as_posix()
        role = f"{entry['role']}_pdf"
        if made_elsewhere.get(role, relative) == relative:  # else its own stage makes it (附件3's one-page PDF)
            pending.append((role, docx_path, docx_path.with_suffix(".pdf")))
    return pending


def convert_folders(out_dirs: list[Path], roles: list[str] | None = None) -> list[Path]:
    """Convert the .docx named in each folder's manifest.json (or only those roles) to PDF, all in one LibreOffice.

    Every PDF that could be made is written and recorded; then the files that could not be converted are reported by name.
    """
    pending = pending_in(out_dirs, roles)
    return record_made(pending, to_pdfs([(docx, pdf) for _, _, docx, pdf in pending])) if pending else []


def pending_in(out_dirs: list[Path], roles: list[str] | None = None) -> list[tuple[Path, str, Path, Path]]:
    """List (folder, PDF role, .docx, .pdf) for each .docx to convert in each folder's manifest."""
    return [(Path(out_dir), *item) for out_dir in out_dirs for item in pending_pdfs(out_dir, roles)]


def record_made(pending: list[tuple[Path, str, Path, Path]], results: list[Path | PipelineError]) -> list[Path]:
    """Record each PDF made in its folder's manifest; then raise naming the documents that could not be converted."""
    made = [(out_dir, role, pdf) for (out_dir, role, _, pdf), result in zip(pending, results)
            if not isinstance(result, PipelineError)]
    for out_dir in dict.fromkeys(out_dir for out_dir, _, _ in made):
        record_all(out_dir, [(role, pdf, {}) for folder, role, pdf in made if folder == out_dir])
    failed = [str(result) for result in results if isinstance(result, PipelineError)]
    if failed:
        raise PipelineError("\n".join(failed))
    return [pdf for _, _, pdf in made]


def preview_pages(out_dir: Path, role: str, preview_dir: Path, dpi: int = 80) -> list[Path]:
    """Render each page of the PDF of a manifest role to PNG in preview_dir."""
    entry = next((e for e in manifest_entries(out_dir) if e["role"] == role), None)
    if entry is None:
        raise PipelineError(f"清单中没有角色为 {role} 的文件，请先运行 make all（需要 LibreOffice）")
    if not shutil.which("pdftoppm"):
        raise PipelineError("未找到 pdftoppm，无法生成预览。安装方法：apt-get install -y poppler-utils")
    preview_dir.mkdir(parents=True, exist_ok=True)
    for old in preview_dir.glob("page-*.png"):
        old.unlink()
    done = subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(Path(out_dir) / entry["path"]), str(preview_dir / "page")],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise PipelineError(f"无法渲染 {entry['path']} 的预览（文件可能已损坏，请重新运行 make pdf）")
    return sorted(preview_dir.glob("page-*.png"))
