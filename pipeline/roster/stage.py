"""Consolidate the returned forms into one validated roster, a problem report and a status chart.

build_roster() lists the returned folder (walk.py), expands archives (archive.py), reads every file in
a guarded worker process (sandbox.py, formats.py), turns it into a submission (submission.py), settles
which file of each unit counts (settle.py) and writes roster.csv, roster.xlsx, report.json and status.pdf
as one set (core/outset.py). Problems are collected as records, never raised: only usage errors (a
missing folder, a bad recipients file, outputs inside the returned folder) stop it, before anything is
written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import time
from contextlib import ExitStack
from collections import deque
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Callable, Iterator

from ..core.errors import PipelineError
from ..core.files import read_regular
from ..core.logs import write_log
from ..core.manifest import manifest_entries, record_all
from ..core.output import is_inside
from ..core.outset import OutputSet
from ..core.recipients import Recipient, load_recipients
from ..core.source import read_data_bytes
from ..forms.spec import CONTACT_SPEC, FormSpec
from ..history import open_history
from ..pdf.fonts import NoCjkFont
from .archive import Blob, expand, is_archive, open_zip
from .formats import read_blob
from .limits import Limits
from .matching import UnitMatcher
from .memory import answered_dates, history_run
from .records import RawFile, Submission, refused
from .report import Report, make_report
from .sandbox import INTERNAL, Sandbox, aside
from .status import status_pdf
from .submission import read_submission
from .places import Place
from .vocabulary import CONTACT_WORDS, Vocabulary
from .walk import walk
from .writers import OUTPUTS, report_json, roster_csv, roster_xlsx

ARCHIVE = "archive"  # what a reader process answers for an archive: it is expanded in the main process


def build_roster(returned_dir: Path, recipients_path: Path, out_dir: Path, progress=None, *,
                 manifest_dir: Path | None = None, limits: Limits = Limits(), spec: FormSpec = CONTACT_SPEC,
                 history: Path | None = None) -> Report:
    """Consolidate the returned folder into out_dir (roster.csv, roster.xlsx, report.json, status.pdf).

    The returns are read by the columns of spec (by default the contact form's). With history (an SQLite
    file), the run is recorded there once its outputs are written, and status.pdf says when each unit first
    answered; a history that cannot be used is a usage error before anything is written.

    progress, if given, is called as progress(done, total, path) after each top-level file. The outputs
    are recorded in manifest_dir/manifest.json (by default out_dir's own). Raises PipelineError (a Chinese
    message) only for usage errors, all found before anything is written.
    """
    returned_dir, out_dir, manifest_dir = check_usage(returned_dir, out_dir, manifest_dir, history)
    units = load_recipients(recipients_path)
    with ExitStack() as stack:
        memory = stack.enter_context(open_history(history)) if history else None
        with OutputSet(out_dir, list(OUTPUTS.values())) as outputs:
            now = time.time()
            words = Vocabulary(spec)
            subs = read_all(returned_dir, UnitMatcher(units), limits, out_dir, progress, words)
            report = make_report(units, subs, now, spec)
            answered = answered_dates(memory.first_answered(), report, dt.date.fromtimestamp(now)) if memory else None
            written = write_outputs(report, units, outputs, inside=manifest_dir == out_dir, words=words,
                                    answered=answered, limits=limits)
            outputs.commit()
            if manifest_dir != out_dir:
                record_all(manifest_dir, [(role, out_dir / name, {}) for role, name in written])
        if memory:
            memory.record(history_run(report, spec, read_data_bytes(recipients_path), dt.datetime.fromtimestamp(now)))
    return report


def check_usage(returned_dir: Path, out_dir: Path, manifest_dir: Path | None,
                history: Path | None = None) -> tuple[Path, Path, Path]:
    """Check the folders (and the history file) before anything is read or written; return the folders resolved."""
    returned_dir, out_dir = Path(returned_dir).absolute(), Path(out_dir).absolute()
    manifest_dir = Path(manifest_dir).absolute() if manifest_dir else out_dir
    if not returned_dir.is_dir():
        raise PipelineError(f"找不到回执文件夹：{returned_dir}（请用 --returned 指定存放各单位回执的文件夹）")
    try:
        os.scandir(returned_dir).close()
    except OSError:
        raise PipelineError(f"无法打开回执文件夹：{returned_dir}（没有读取权限）") from None
    for what, folder in (("输出文件夹（--out）", out_dir), ("清单所在文件夹（--manifest）", manifest_dir)):
        if is_inside(folder, returned_dir):
            raise PipelineError(f"{what} {folder} 不能在回执文件夹 {returned_dir} 之内：否则下次汇总会把输出当作回执读入，"
                                "或覆盖某个单位交回的文件；请另选一个文件夹，如 outputs/roster")
    if is_inside(manifest_dir, out_dir) and manifest_dir != out_dir:
        raise PipelineError(f"清单所在文件夹（--manifest）{manifest_dir} 不能在输出文件夹（--out）{out_dir} 之内：输出文件夹每次整体替换，"
                            "其中不能有别的文件夹；请不写 --manifest，或另选一个文件夹")
    if is_inside(returned_dir, out_dir):
        raise PipelineError(f"回执文件夹 {returned_dir} 不能在输出文件夹 {out_dir} 之内（输出文件夹会被整体替换）")
    if history is not None:
        _check_history(Path(history).absolute(), returned_dir, out_dir)
    if manifest_dir.exists() and not manifest_dir.is_dir():
        raise PipelineError(f"清单位置 {manifest_dir} 已存在且不是文件夹（请用 --manifest 指定一个文件夹）")
    if out_dir.exists() and not out_dir.is_dir():
        raise PipelineError(f"输出位置 {out_dir} 已存在且不是文件夹（请用 --out 指定一个文件夹）")
    manifest_entries(manifest_dir)  # a damaged manifest is reported now, before any output is replaced
    return returned_dir, out_dir, manifest_dir


def _check_history(history: Path, returned_dir: Path, out_dir: Path) -> None:
    """Refuse a history file inside the returned folder (it would be read as a return) or the output folder."""
    if is_inside(history, returned_dir):
        raise PipelineError(f"历史数据库（--history）{history} 不能在回执文件夹 {returned_dir} 之内：否则下次汇总会把它当作回执读入；"
                            "请另选位置，如 var/history.sqlite")
    if is_inside(history, out_dir):
        raise PipelineError(f"历史数据库（--history）{history} 不能在输出文件夹（--out）{out_dir} 之内：输出文件夹每次整体替换；"
                            "请另选位置，如 var/history.sqlite")


def read_all(returned_dir: Path, matcher: UnitMatcher, limits: Limits, skip: Path | None = None,
             progress=None, words: Vocabulary = CONTACT_WORDS) -> list[Submission]:
    """Read every file of the returned folder (leaving out skip) into Submissions, in place order.

    Reader processes read the files themselves; an archive comes back unread and is expanded here, its
    members going back to the readers as bytes, one at a time (see Jobs).
    """
    entries = walk(returned_dir, limits, skip)
    subs = [read_submission(entry.record, matcher, words) for entry in entries if entry.record]
    jobs = Jobs([Disk(entry.place, entry.path, entry.mtime) for entry in entries if entry.path], limits,
                lambda raw: subs.append(read_submission(raw, matcher, words)))
    total, done = len(jobs.files), 0
    task = partial(_intake, matcher=matcher, limits=limits, words=words)
    with Sandbox(task, limits.workers, limits.memory_mb, limits.seconds) as sandbox:
        for job, outcome, result in sandbox.map(jobs.next):
            if outcome == "done" and result == ARCHIVE:
                jobs.archives.append(job)
            else:
                subs.append(result if outcome == "done" else _failed(job, outcome, result, matcher, limits, words))
            if isinstance(job, Disk) and progress:
                done += 1
                progress(done, total, str(job.place))
    return sorted(subs, key=lambda s: s.place)


class Jobs:
    """Hand the readers their next file: a member of the archive being expanded, else a file, else an archive.

    An archive is expanded here one member at a time, and the next archive only once the last one's
    members are all handed out, so however many archives a folder holds, this process keeps at most one
    archive and one member in memory (each within its size limit), never every archive's members at once.
    """

    def __init__(self, files: list[Disk], limits: Limits, refused_file: Callable[[RawFile], None]):
        self.files, self.archives, self.limits = deque(files), deque(), limits
        self.refused_file = refused_file  # takes the record of a member refused while expanding
        self.members: Iterator[Blob | RawFile] = iter(())

    def next(self) -> Disk | Blob | None:
        """Return the next file to read, or None when there is none for now."""
        while True:
            for item in self.members:
                if isinstance(item, RawFile):
                    self.refused_file(item)
                else:
                    return item
            if self.files:
                return self.files.popleft()
            if not self.archives:
                return None
            self.members = _members(self.archives.popleft(), self.limits)


def _members(job: Disk, limits: Limits) -> Iterator[Blob | RawFile]:
    """Yield the files of an archive as they are expanded; all of them, however deep, share one time limit."""
    try:
        data = read_regular(job.path, limits.file_bytes) or b""
    except OSError:
        data = b""
    yield from expand(Blob(job.place, data, job.mtime, time.monotonic() + limits.seconds), limits)


@dataclass(frozen=True)
class Disk:
    """Name a returned file for a reader process to read from disk itself."""

    place: Place
    path: Path
    mtime: float


def _intake(job: Disk | Blob, matcher: UnitMatcher, limits: Limits, words: Vocabulary) -> Submission | str:
    """Read one file and turn it into a submission (what a reader process does); ARCHIVE for an archive."""
    if isinstance(job, Blob):
        return fingerprinted(read_submission(read_blob(job, limits), matcher, words), job.data)
    try:
        data = read_regular(job.path, limits.file_bytes)
    except OSError:
        return read_submission(refused(job.place, job.mtime, "os_error", limits), matcher, words)
    if data is None:
        return read_submission(refused(job.place, job.mtime, "too_large", limits), matcher, words)
    package = open_zip(data)
    if package is not None and is_archive(package):
        return ARCHIVE
    return fingerprinted(read_submission(read_blob(Blob(job.place, data, job.mtime), limits, package), matcher, words),
                         data)


def fingerprinted(sub: Submission, data: bytes) -> Submission:
    """Return the submission with the SHA-256 of the bytes it was read from."""
    sub.sha256 = hashlib.sha256(data).hexdigest()
    return sub


def _failed(job: Disk | Blob, outcome: str, detail, matcher: UnitMatcher, limits: Limits,
            words: Vocabulary) -> Submission:
    """Return the submission of a file its reader could not finish; a bug of ours is logged, not blamed on it."""
    raw = refused(job.place, job.mtime, outcome, limits)
    if outcome == INTERNAL:
        log = write_log("roster", f"{job.place}\n\n{detail}")
        raw = RawFile(raw.place, raw.mtime, reason=raw.reason, note=f"{raw.note}（日志：{log}）")
    return read_submission(raw, matcher, words)


def write_outputs(report: Report, units: list[Recipient], outputs: OutputSet, inside: bool,
                  words: Vocabulary = CONTACT_WORDS, answered: dict[str, str] | None = None,
                  limits: Limits = Limits()) -> list[tuple[str, str]]:
    """Write roster.csv, report.json, status.pdf (when a Chinese font exists) and roster.xlsx into the set.

    A worker process makes the first three while this one makes roster.xlsx (this one makes them all when
    the worker fails, or with no workers). Return (role, file name) of each; with inside, the set's own
    manifest.json lists them.
    """
    others = partial(_others, report, words, answered)
    pending = aside(others, limits.memory_mb) if limits.workers else None
    try:
        workbook = roster_xlsx(report, units, words.spec)
    except BaseException:
        if pending:
            pending(0)  # ends the worker
        raise
    outcome, made = pending(limits.seconds) if pending else ("", None)
    made = made if outcome == "done" else others()
    data = {"roster_csv": made["roster_csv"], "roster_report": made["roster_report"], "roster_xlsx": workbook}
    if isinstance(made["roster_status"], bytes):
        data["roster_status"] = made["roster_status"]
    else:
        report.skipped.append(f"未生成 {OUTPUTS['roster_status']}：{made['roster_status']}")
    for role, content in data.items():
        outputs.write(OUTPUTS[role], content)
    written = [(role, OUTPUTS[role]) for role in data]
    if inside:
        outputs.write_manifest([(role, name, {}) for role, name in written])
    return written


def _others(report: Report, words: Vocabulary, answered: dict[str, str] | None) -> dict[str, bytes | str]:
    """Return roster.csv, report.json and status.pdf by role (for status.pdf, why not, when no font exists)."""
    made = {"roster_csv": roster_csv(report.rows, words.spec), "roster_report": report_json(report)}
    try:
        made["roster_status"] = status_pdf(report, words.spec.title, words.nouns, answered)
    except NoCjkFont as exc:
        made["roster_status"] = str(exc)
    return made
