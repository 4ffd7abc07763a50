"""Open the roster's history database (SQLite) and record each run in it, one transaction per run.

open_history creates the file (and its folder) when absent and migrates it; it refuses, without writing a
byte, a file that is not SQLite, is corrupt, or was written by a newer program. A run is recorded whole or
not at all: BEGIN IMMEDIATE, every row, COMMIT; any exception rolls back. The database is in WAL mode, so
readers never wait; a second writer (another roster run) waits up to BUSY_SECONDS, then is told to retry.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import time
from pathlib import Path

from ..core.errors import PipelineError
from .migrate import apply_pending, latest, version
from .run import HASH_KEYS, PROBLEM_KEYS, Entry, FileRow, Run, UnitRow, check_run, text_value

BUSY_SECONDS = 5.0  # how long a run waits for another run that is writing the same database
RETRY_SECONDS = 0.05
SQLITE_HEADER = b"SQLite format 3\x00"
CORRUPT_CODES = (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)
BUSY_CODES = (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)

INSERT_RUN = ("INSERT INTO runs (at, returned_hash, recipients_hash, spec_hash, people, ok, errors, missing, labels)"
              " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
INSERT_UNIT = "INSERT INTO units (run_id, unit_id, name, category, status) VALUES (?, ?, ?, ?, ?)"
INSERT_FILE = ("INSERT INTO files (run_id, path, members, sha256, status, unit_id, superseded_by)"
               " VALUES (?, ?, ?, ?, ?, ?, ?)")
INSERT_ENTRY = ("INSERT INTO entries (run_id, unit_id, entry, fields, source_file, source_sheet, source_row)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)")
PROBLEM_COLUMNS = ", ".join(f'"{key}"' for key in PROBLEM_KEYS)
INSERT_PROBLEM = f"INSERT INTO problems (run_id, {PROBLEM_COLUMNS}) VALUES (?{', ?' * len(PROBLEM_KEYS)})"
SELECT_RUNS = ("SELECT id, at, returned_hash, recipients_hash, spec_hash, people, ok, errors, missing, labels"
               " FROM runs ORDER BY id")
SELECT_UNITS = "SELECT unit_id, name, category, status FROM units WHERE run_id = ? ORDER BY rowid"
SELECT_FILES = ("SELECT path, members, sha256, status, unit_id, superseded_by FROM files"
                " WHERE run_id = ? ORDER BY rowid")
SELECT_ENTRIES = ("SELECT unit_id, entry, fields, source_file, source_sheet, source_row FROM entries"
                  " WHERE run_id = ? AND (? IS NULL OR unit_id = ?) ORDER BY rowid")
SELECT_PROBLEMS = f"SELECT {PROBLEM_COLUMNS} FROM problems WHERE run_id = ? ORDER BY rowid"
SELECT_ANSWERED = ("SELECT units.unit_id, MIN(runs.id), runs.at FROM units JOIN runs ON runs.id = units.run_id"
                   " WHERE units.status != 'missing' GROUP BY units.unit_id ORDER BY 2, 1")


def open_history(path: Path) -> History:
    """Open (creating and migrating when needed) the history database at path.

    Raises PipelineError, leaving the file untouched, when it is not SQLite, is corrupt, is of a newer
    schema than this program knows, or stays locked by another run longer than BUSY_SECONDS.
    """
    path = Path(path)
    _refuse_foreign(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PipelineError(f"无法创建历史数据库所在的文件夹“{path.parent}”：{exc.strerror or exc}") from None
    with _translated(path, "打开"):
        connection = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None)
    try:
        with _translated(path, "打开"):
            _check(connection, path)
            connection.execute("PRAGMA foreign_keys = ON")
            _write_ahead(connection)
            if version(connection) < latest():
                _write(connection, lambda: apply_pending(connection))
    except BaseException:
        connection.close()
        raise
    return History(path, connection)


class History:
    """Hold an open history database: record runs, read them back, and tell when each unit first answered."""

    def __init__(self, path: Path, connection: sqlite3.Connection):
        self.path = path
        self._db = connection

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Close the database (a run being recorded is rolled back)."""
        self._db.close()

    def record(self, run: Run) -> int:
        """Write one run (all its units, files, entries and problems) in one transaction; return its id.

        Raises ValueError for a malformed Run, PipelineError when the database is locked or cannot be
        written; on any exception nothing of the run is kept.
        """
        check_run(run)
        with _translated(self.path, "写入"):
            return _write(self._db, lambda: _insert(self._db, run))

    def runs(self) -> list[dict]:
        """Return every run in order: {"run", "at", "hashes", "counts", "labels"}."""
        with _translated(self.path, "读取"):
            rows = self._db.execute(SELECT_RUNS).fetchall()
        return [{"run": row[0], "at": row[1], "hashes": dict(zip(HASH_KEYS, row[2:5])),
                 "counts": dict(zip(("people", "ok", "errors", "missing"), row[5:9])), "labels": json.loads(row[9])}
                for row in rows]

    def units(self, run_id: int) -> list[UnitRow]:
        """Return the units of a run, in the order recorded."""
        return [UnitRow(*row) for row in self._select(SELECT_UNITS, (run_id,))]

    def files(self, run_id: int) -> list[FileRow]:
        """Return the files a run saw, in the order recorded."""
        return [FileRow(path, tuple(json.loads(members)), sha, status, unit, by)
                for path, members, sha, status, unit, by in self._select(SELECT_FILES, (run_id,))]

    def entries(self, run_id: int, unit: str | None = None) -> list[Entry]:
        """Return the roster rows of a run (only unit's when given), in the order recorded."""
        return [Entry(unit_id, entry, json.loads(fields), *source)
                for unit_id, entry, fields, *source in self._select(SELECT_ENTRIES, (run_id, unit, unit))]

    def problems(self, run_id: int) -> list[dict]:
        """Return the problems of a run as Problem.to_dict() dicts, in the order recorded."""
        rows = [dict(zip(PROBLEM_KEYS, row)) for row in self._select(SELECT_PROBLEMS, (run_id,))]
        return [{**row, "members": tuple(json.loads(row["members"]))} for row in rows]

    def load(self, run_id: int) -> Run:
        """Return a recorded run as the Run it was recorded from (KeyError when there is no such run)."""
        found = next((r for r in self.runs() if r["run"] == run_id), None)
        if found is None:
            raise KeyError(run_id)
        hashes = {key: value for key, value in found["hashes"].items() if value is not None}
        return Run(found["at"], hashes, found["counts"], self.units(run_id), self.files(run_id),
                   self.entries(run_id), self.problems(run_id), found["labels"])

    def first_answered(self) -> dict[str, str]:
        """Return, per unit that ever answered, the date (YYYY-MM-DD) of the first run it was not missing in."""
        return {unit_id: at[:10] for unit_id, _, at in self._select(SELECT_ANSWERED, ())}

    def _select(self, query: str, parameters: tuple) -> list[tuple]:
        with _translated(self.path, "读取"):
            return self._db.execute(query, parameters).fetchall()


def _insert(db: sqlite3.Connection, run: Run) -> int:
    """Insert a run and everything in it (inside the caller's transaction); return its id."""
    run_id = _insert_run(db, run)
    for insert in (_insert_units, _insert_files, _insert_entries, _insert_problems):
        insert(db, run_id, run)
    return run_id


def _insert_run(db: sqlite3.Connection, run: Run) -> int:
    counts = [run.counts[key] for key in ("people", "ok", "errors", "missing")]
    labels = json.dumps({str(k): text_value(v) for k, v in run.labels.items()}, ensure_ascii=False)
    cursor = db.execute(INSERT_RUN, (run.at, *(run.hashes.get(key) for key in HASH_KEYS), *counts, labels))
    return cursor.lastrowid


def _insert_units(db: sqlite3.Connection, run_id: int, run: Run) -> None:
    db.executemany(INSERT_UNIT, [(run_id, u.unit_id, u.name, u.category or "", u.status) for u in run.units])


def _insert_files(db: sqlite3.Connection, run_id: int, run: Run) -> None:
    db.executemany(INSERT_FILE, [(run_id, f.path, _json_list(f.members), f.sha256 or None, f.status,
                                  f.unit_id or None, f.superseded_by or None) for f in run.files])


def _insert_entries(db: sqlite3.Connection, run_id: int, run: Run) -> None:
    db.executemany(INSERT_ENTRY, [
        (run_id, e.unit_id or "", e.entry, json.dumps({str(k): text_value(v) for k, v in e.fields.items()},
                                                      ensure_ascii=False),
         e.source_file or "", e.source_sheet or "", e.source_row) for e in run.entries])


def _insert_problems(db: sqlite3.Connection, run_id: int, run: Run) -> None:
    rows = []
    for problem in run.problems:
        values = {key: problem.get(key) for key in PROBLEM_KEYS}
        values["members"] = _json_list(values["members"] or ())
        rows.append((run_id, *(value if key in ("row", "members") else text_value(value)
                               for key, value in values.items())))
    db.executemany(INSERT_PROBLEM, rows)


def _json_list(items) -> str:
    return json.dumps([str(item) for item in items], ensure_ascii=False)


def _write(db: sqlite3.Connection, work):
    """Run work() inside BEGIN IMMEDIATE … COMMIT, rolling back on any exception; return its result."""
    db.execute("BEGIN IMMEDIATE")
    try:
        result = work()
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
    return result


def _write_ahead(db: sqlite3.Connection) -> None:
    """Put the database in WAL mode, retrying until BUSY_SECONDS while another program holds it.

    SQLite does not wait by itself here: switching a new database to WAL while another program creates it
    answers SQLITE_BUSY at once.
    """
    deadline = time.monotonic() + BUSY_SECONDS
    while True:
        try:
            db.execute("PRAGMA journal_mode = WAL").fetchall()
            return
        except sqlite3.OperationalError as exc:
            if (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF not in BUSY_CODES or time.monotonic() > deadline:
                raise
            time.sleep(RETRY_SECONDS)


def _refuse_foreign(path: Path) -> None:
    """Raise PipelineError when path is a folder or a non-empty file that does not start as SQLite does."""
    if path.is_dir():
        raise PipelineError(f"历史数据库“{path}”是一个文件夹，不是文件；请指定一个文件，如 var/history.sqlite")
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return
    except OSError as exc:
        raise PipelineError(f"无法读取历史数据库“{path}”：{exc.strerror or exc}") from None
    if head and head != SQLITE_HEADER:
        raise PipelineError(f"历史数据库“{path}”不是 SQLite 数据库文件（也许是别的文件），未作任何改动；"
                            "请指定另一个文件，或把它移走后重试")


def _check(db: sqlite3.Connection, path: Path) -> None:
    """Raise PipelineError when the open database is corrupt or of a newer schema than this program knows."""
    found = db.execute("PRAGMA quick_check").fetchall()
    if found != [("ok",)]:
        raise PipelineError(_corrupt(path, found[0][0] if found else "检查无结果"))
    known, stored = latest(), version(db)
    if stored > known:
        raise PipelineError(f"历史数据库“{path}”是较新版本的程序写的（格式版本 {stored}，本程序只认识到 {known}），"
                            "未作任何改动；请用新版本的程序查看或记录")


def _corrupt(path: Path, detail: str) -> str:
    return (f"历史数据库“{path}”已损坏（{detail}），未作任何改动；"
            "请从备份恢复，或把它移走后重新开始记录（移走后以前的历史不再显示）")


@contextlib.contextmanager
def _translated(path: Path, doing: str):
    """Turn an sqlite3 error into the PipelineError a clerk reads: locked, corrupt, or cannot be opened/written."""
    try:
        yield
    except sqlite3.Error as exc:
        code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
        if code in BUSY_CODES:
            raise PipelineError(f"历史数据库“{path}”正被另一次汇总使用，等了 {BUSY_SECONDS:g} 秒仍未释放；"
                                "请稍后再试") from None
        if code in CORRUPT_CODES:
            raise PipelineError(_corrupt(path, exc)) from None
        ending = "，本次汇总未记入历史" if doing == "写入" else ""
        raise PipelineError(f"无法{doing}历史数据库“{path}”：{exc}{ending}") from None
