"""Keep manifest.json: each output's role, path and SHA-256, updated under a lock so parallel stages lose nothing."""

from __future__ import annotations

import json
import os
from pathlib import Path

from .errors import PipelineError
from .output import atomic_write, locked, sha256

MANIFEST = "manifest.json"
LOCK = ".manifest.lock"
TEMPORARY = ".manifest.tmp-"  # what an update killed before its rename leaves; only ever written under the lock


def manifest_entries(out_dir: Path) -> list[dict]:
    """Return the entries of out_dir/manifest.json (none if it does not exist)."""
    manifest_path = Path(out_dir) / MANIFEST
    if not manifest_path.exists():
        return []
    try:
        files = json.loads(manifest_path.read_text(encoding="utf-8")).get("files", [])
    except (ValueError, AttributeError, OSError):
        raise PipelineError(f"输出清单 {manifest_path} 已损坏，请删除它（或运行 make clean）后重新生成") from None
    return [f for f in files if isinstance(f, dict) and "role" in f and "path" in f]


def entry(out_dir: Path, role: str, path: Path, **extra) -> dict:
    """Return the manifest entry of a file: its role, path relative to out_dir (../ when it lies outside) and SHA-256."""
    relative = Path(os.path.relpath(Path(path).resolve(), Path(out_dir).resolve())).as_posix()
    return {"role": role, "path": relative, "sha256": sha256(path), **extra}


def manifest_bytes(entries: list[dict]) -> bytes:
    """Return manifest.json's content for entries, sorted by role and path."""
    files = sorted(entries, key=lambda f: (f["role"], f["path"]))
    return (json.dumps({"files": files}, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def record_all(out_dir: Path, items: list[tuple[str, Path, dict]]) -> list[dict]:
    """Add (role, path, extra) entries to out_dir/manifest.json in one locked update; return them.

    An entry for the same file is replaced; entries whose files no longer exist are dropped, so the
    manifest names what is on disk. The temporary file of an update killed before its rename is removed.
    """
    out_dir = Path(out_dir)
    added = [entry(out_dir, role, path, **extra) for role, path, extra in items]
    with locked(out_dir / LOCK, f" {out_dir / MANIFEST} "):
        for leftover in out_dir.glob(f"{TEMPORARY}*"):
            leftover.unlink(missing_ok=True)
        paths = {e["path"] for e in added}
        kept = [f for f in manifest_entries(out_dir) if f["path"] not in paths and (out_dir / f["path"]).exists()]
        atomic_write(out_dir / MANIFEST, manifest_bytes(kept + added), prefix=TEMPORARY)
    return added


def record(out_dir: Path, role: str, path: Path, **extra) -> dict:
    """Add one entry to out_dir/manifest.json, replacing the one for the same file; return it."""
    return record_all(out_dir, [(role, path, extra)])[0]
