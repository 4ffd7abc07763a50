"""Write a stage's outputs as one set: staged beside the output folder, then swapped in whole under a lock.

A run never leaves a mix of two runs' files: it writes into a hidden staging folder next to --out and,
only when every file is written, commits the set: the staging folder and --out are exchanged in one
rename (renameat2 with RENAME_EXCHANGE on Linux; elsewhere two renames, recovered by the next run). A
second run into the same folder waits for the lock. A killed run leaves the previous set whole; the
next run removes its staging folder. A folder holding anything this set did not write before (another
stage's outputs, a clerk's own files) is never replaced.
"""

from __future__ import annotations

import ctypes
import os
import shutil
from pathlib import Path

from .errors import PipelineError
from .manifest import LOCK, MANIFEST, entry, manifest_bytes
from .output import locked, write_failure

MARKER = ".outputs"  # lists the files of the set, so the next run knows what it may replace
AT_FDCWD, RENAME_EXCHANGE = -100, 2
OFFICE_LOCKS = ("~$", ".~lock.")  # what Excel/WPS and LibreOffice leave beside a file they have open


class OutputSet:
    """Stage the files of one run in a folder beside out_dir; swap them in together on commit()."""

    def __init__(self, out_dir: Path, names: list[str] | None = None):
        self.out_dir = _checked(Path(out_dir))
        self.expected = set(names or [])
        self.parent, self.name = self.out_dir.parent, self.out_dir.name
        self.staging = self.parent / f".{self.name}.staging-{os.getpid()}"
        self.written: list[str] = []
        self._lock = locked(self.parent / f".{self.name}.lock", f"输出文件夹 {self.out_dir} ")

    def __enter__(self) -> "OutputSet":
        try:
            self.parent.mkdir(parents=True, exist_ok=True)
            self._lock.__enter__()
        except OSError as exc:
            raise write_failure(self.out_dir, exc) from None
        try:
            self._recover()
            self._check_replaceable()
            self.staging.mkdir()
        except OSError as exc:
            self._lock.__exit__(None, None, None)
            raise write_failure(self.out_dir, exc) from None
        except BaseException:
            self._lock.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, kind, value, traceback) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)
        self._lock.__exit__(kind, value, traceback)

    def path(self, name: str) -> Path:
        """Return where to write the file name of the set (inside the staging folder)."""
        self.written.append(name)
        return self.staging / name

    def write(self, name: str, data: bytes) -> Path:
        """Write one file of the set; return its final path (in out_dir once the set is committed)."""
        target = self.path(name)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        except OSError as exc:
            raise write_failure(self.out_dir / name, exc) from None
        return self.out_dir / name

    def write_manifest(self, items: list[tuple[str, str, dict]]) -> Path:
        """Write manifest.json into the set for (role, name, extra) items already written."""
        entries = [entry(self.staging, role, self.staging / name, **extra) for role, name, extra in items]
        return self.write(MANIFEST, manifest_bytes(entries))

    def commit(self) -> None:
        """Swap the staged set in for the folder's old content, in one step (the lock is still held)."""
        (self.staging / MARKER).write_text("\n".join(sorted(set(self.written))) + "\n", encoding="utf-8")
        try:
            if not self.out_dir.exists():
                os.rename(self.staging, self.out_dir)
            elif not _exchange(self.staging, self.out_dir):
                old = self.parent / f".{self.name}.old-{os.getpid()}"
                os.rename(self.out_dir, old)
                os.rename(self.staging, self.out_dir)
                shutil.rmtree(old, ignore_errors=True)
        except OSError as exc:
            raise write_failure(self.out_dir, exc) from None

    # Inside the lock -----------------------------------------------------------------------
    def _recover(self) -> None:
        """Remove what killed runs left: staging folders, and a set moved aside but not replaced."""
        for leftover in self.parent.glob(f".{self.name}.staging-*"):
            _remove(leftover)
        for old in sorted(self.parent.glob(f".{self.name}.old-*")):
            if not self.out_dir.exists():
                old.rename(self.out_dir)
            else:
                _remove(old)

    def _check_replaceable(self) -> None:
        """Refuse an output folder holding what this set did not write (open files are named as such)."""
        if not self.out_dir.is_dir():
            return
        ours = {name.split("/")[0] for name in self.expected | _listed(self.out_dir / MARKER)} | {MARKER, LOCK}
        foreign = sorted(p.name for p in self.out_dir.iterdir() if p.name not in ours)
        opened = [name for name in foreign if name.startswith(OFFICE_LOCKS)]
        if opened:
            raise PipelineError(f"输出文件夹 {self.out_dir} 中有文件正在 Excel、WPS 或 LibreOffice 中打开"
                                f"（{'、'.join(opened)}），请先关闭后重试")
        if foreign:
            shown = "、".join(foreign[:5]) + ("等" if len(foreign) > 5 else "")
            raise PipelineError(f"输出文件夹 {self.out_dir} 中有不是本阶段上次生成的文件或文件夹（{shown}），整个文件夹会被"
                                "替换；为免覆盖，请用 --out 另选一个专用的文件夹（如 outputs/roster），或先移走这些文件")


def _checked(out_dir: Path) -> Path:
    """Return the real folder to replace: a link is followed; the current folder and mount points are refused."""
    real = Path(os.path.realpath(out_dir))
    if Path.cwd().resolve().is_relative_to(real):
        raise PipelineError(f"输出文件夹 {out_dir} 不能是当前文件夹或它的上级（整个输出文件夹会被替换）；"
                            "请用 --out 指定一个专用的子文件夹，如 outputs/roster")
    if real.exists() and os.path.ismount(real):
        raise PipelineError(f"输出文件夹 {out_dir} 是一个挂载点，无法整体替换；请用 --out 指定其中的一个子文件夹")
    return real


def _listed(marker: Path) -> set[str]:
    try:
        return {line for line in marker.read_text(encoding="utf-8").splitlines() if line}
    except (OSError, UnicodeDecodeError):
        return set()


def _remove(path: Path) -> None:
    """Remove a leftover folder (or link) of a killed run."""
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    else:
        shutil.rmtree(path, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux renameat2); False where the system cannot."""
    function = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if function is None:
        return False
    done = function(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    return done == 0
