"""Write a stage's outputs as one set: staged beside the output folder, then swapped in whole under a lock.

A run never leaves a mix of two runs' files: it writes into a hidden staging folder next to --out and,
only when every file is written, exchanges that folder with --out in one rename (renameat2 with
RENAME_EXCHANGE on Linux; elsewhere two renames, recovered by the next run). A second run into the same
folder waits for the lock. A killed run leaves the previous set whole; the next run removes its staging
folder. A folder holding files this program did not write is never replaced.
"""

from __future__ import annotations

import ctypes
import os
import shutil
from pathlib import Path

from .errors import PipelineError
from .manifest import LOCK, MANIFEST, entry, manifest_bytes, manifest_entries
from .output import locked, write_failure

MARKER = ".outputs"  # lists the files of the set, so the next run knows what it may replace
AT_FDCWD, RENAME_EXCHANGE = -100, 2


class OutputSet:
    """Stage the files of one run in a folder beside out_dir; swap them in together on success."""

    def __init__(self, out_dir: Path, names: list[str] | None = None):
        self.out_dir = Path(out_dir)
        self.expected = set(names or [])
        self.parent, self.name = self.out_dir.parent, self.out_dir.name
        self.staging = self.parent / f".{self.name}.staging-{os.getpid()}"
        self.written: list[str] = []
        self._lock = locked(self.parent / f".{self.name}.lock", f"输出文件夹 {self.out_dir} ")

    def __enter__(self) -> "OutputSet":
        if self.out_dir.exists() and not self.out_dir.is_dir():
            raise PipelineError(f"输出位置 {self.out_dir} 已存在且不是文件夹（请用 --out 指定一个文件夹）")
        self.parent.mkdir(parents=True, exist_ok=True)
        self._lock.__enter__()
        try:
            self._recover()
            self._check_replaceable()
            self.staging.mkdir()
        except BaseException:
            self._lock.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, kind, value, traceback) -> None:
        try:
            if kind is None:
                self._swap()
        finally:
            shutil.rmtree(self.staging, ignore_errors=True)
            self._lock.__exit__(kind, value, traceback)

    def path(self, name: str) -> Path:
        """Return where to write the file name of the set (inside the staging folder)."""
        self.written.append(name)
        return self.staging / name

    def write(self, name: str, data: bytes) -> Path:
        """Write one file of the set; return its final path (in out_dir once the set is swapped in)."""
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

    # Inside the lock -----------------------------------------------------------------------
    def _recover(self) -> None:
        """Remove what killed runs left: staging folders, and a set moved aside but not replaced."""
        for leftover in self.parent.glob(f".{self.name}.staging-*"):
            shutil.rmtree(leftover, ignore_errors=True)
        for old in sorted(self.parent.glob(f".{self.name}.old-*")):
            if not self.out_dir.exists():
                old.rename(self.out_dir)
            else:
                shutil.rmtree(old, ignore_errors=True)

    def _check_replaceable(self) -> None:
        """Refuse an output folder holding files that neither this program nor this run wrote."""
        if not self.out_dir.is_dir():
            return
        recorded = {Path(e["path"]).parts[0] for e in manifest_entries(self.out_dir)}
        ours = self.expected | {MARKER, MANIFEST, LOCK} | _listed(self.out_dir / MARKER) | recorded
        foreign = sorted(p.name for p in self.out_dir.iterdir() if p.name not in ours)
        if foreign:
            shown = "、".join(foreign[:5]) + ("等" if len(foreign) > 5 else "")
            raise PipelineError(f"输出文件夹 {self.out_dir} 中有不是本程序生成的文件（{shown}）；为免覆盖，"
                                "请用 --out 另选一个空文件夹，或先移走这些文件")

    def _swap(self) -> None:
        (self.staging / MARKER).write_text("\n".join(sorted(set(self.written))) + "\n", encoding="utf-8")
        if not self.out_dir.exists():
            os.rename(self.staging, self.out_dir)
        elif not _exchange(self.staging, self.out_dir):
            old = self.parent / f".{self.name}.old-{os.getpid()}"
            os.rename(self.out_dir, old)
            os.rename(self.staging, self.out_dir)
            shutil.rmtree(old, ignore_errors=True)


def _listed(marker: Path) -> set[str]:
    try:
        return {line for line in marker.read_text(encoding="utf-8").splitlines() if line}
    except (OSError, UnicodeDecodeError):
        return set()


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux renameat2); False where the system cannot."""
    function = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if function is None:
        return False
    done = function(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    return done == 0
