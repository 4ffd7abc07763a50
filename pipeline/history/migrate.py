"""Bring a history database's schema up to date by applying the numbered migrations/NNNN_*.sql in order.

The database's PRAGMA user_version is the number of the last migration applied. Pending migrations run in
one write transaction (BEGIN IMMEDIATE) that re-reads the version first, so two programs opening a new
database at once apply each migration exactly once, and a migration that fails leaves the schema as it was.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
NAME = re.compile(r"(\d{4})_[a-z0-9_]+\.sql")


def migrations(folder: Path | None = None) -> list[tuple[int, Path]]:
    """Return (number, file) of every migration, numbered 1, 2, 3 … without gaps (else RuntimeError)."""
    found = sorted((int(match[1]), path) for path in (folder or MIGRATIONS).iterdir()
                   if (match := NAME.fullmatch(path.name)))
    if [number for number, _ in found] != list(range(1, len(found) + 1)):
        raise RuntimeError(f"the history's migrations are not numbered 1…{len(found)}: {[p.name for _, p in found]}")
    return found


def latest(folder: Path | None = None) -> int:
    """Return the schema version this program knows: the number of the last migration."""
    return len(migrations(folder))


def statements(script: str) -> list[str]:
    """Split a migration's SQL into single statements (sqlite3 executes one at a time)."""
    found, pending = [], ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            found.append(pending.strip())
            pending = ""
    if re.sub(r"--[^\n]*", "", pending).strip():
        raise RuntimeError(f"a migration ends in an unfinished statement: {pending.strip()[:80]!r}")
    return found


def version(connection: sqlite3.Connection) -> int:
    """Return the schema version of an open database (0 for a new one)."""
    return connection.execute("PRAGMA user_version").fetchone()[0]


def apply_pending(connection: sqlite3.Connection, folder: Path | None = None) -> int:
    """Apply the migrations newer than the database's version in one transaction; return the new version.

    The connection must be in autocommit mode (isolation_level=None) and already hold BEGIN IMMEDIATE;
    the caller commits, or rolls back on any exception.
    """
    current = version(connection)
    for number, path in migrations(folder):
        if number > current:
            for statement in statements(path.read_text(encoding="utf-8")):
                connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {number:d}")
            current = number
    return current
