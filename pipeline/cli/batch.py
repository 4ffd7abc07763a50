"""Run several stage command lines in one process: side by side in forked copies, then every PDF at once."""

from __future__ import annotations

import argparse
import importlib
import multiprocessing
import multiprocessing.connection
import os
import shlex
import signal
import sys
import tempfile
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import PipelineError
from ..pdf.libreoffice import INSTALL_HINT, NoLibreOffice, pending_in, record_made, soffice, to_pdfs
from . import run_parsed
from .arguments import parser

THEN = "then"  # a command line of its own: the commands after it start when every command before it has ended
# How long commands asking for PDFs wait while the others work without ending or asking: then theirs are made at once,
# for one of them may hold what another waits for (two format commands into one folder: the second waits for its lock).
STALL_SECONDS = 30
STOP_SECONDS = (1, 10)  # once interrupted: how long the commands may take to end by themselves, then after SIGINT
# The modules each stage imports when it runs: imported here before the first copy of the stage is forked, so no
# later copy imports them again.
STAGE_MODULES = {
    "notice": ["pipeline.notice.notice"], "annexes": ["pipeline.notice.annexes"], "packet": ["pipeline.notice.packet"],
    "forms": ["pipeline.forms.build", "pipeline.notice.annexes", "pipeline.roster.readback"],
    "roster": ["pipeline.roster.stage", "pipeline.roster.report", "pipeline.forms.spec"],
    "remind": ["pipeline.remind.stage", "pipeline.roster.next_round", "pipeline.history"],
    "format": ["pipeline.draft.stage", "pipeline.draft.summary"],
    "check": ["pipeline.check.document", "pipeline.check.report"], "pdf": ["pipeline.pdf.libreoffice"],
}


@dataclass
class Command:
    """Hold one stage command line and its parsed arguments."""

    line: str
    args: argparse.Namespace

    @classmethod
    def parse(cls, line: str) -> Command:
        """Parse a stage command line; a usage error (argparse has printed why) names the line."""
        try:
            args = parser().parse_args(shlex.split(line))
        except (SystemExit, ValueError):
            raise PipelineError(f"批处理中的命令有误：{line}") from None
        if args.stage == "batch":
            raise PipelineError(f"批处理中不能再写批处理：{line}")
        return cls(line, args)


@dataclass
class Child:
    """Hold a command running in a forked copy: its process, its line to us, its log files, the PDFs it waits for."""

    command: Command
    process: multiprocessing.Process
    conn: multiprocessing.connection.Connection
    log: tuple[Path, Path]
    request: list[tuple[str, str]] | None = None  # the (.docx, .pdf) pairs it waits for; None while it works


@dataclass
class Batch:
    """Run waves of commands, jobs at a time, each in a forked copy; the PDFs they ask for and those of the folders are
    made together (jobs LibreOffice processes side by side) once no command is left working."""

    waves: deque[deque[Command]]
    jobs: int
    folders: list[Path]
    work: Path
    running: list[Child] = field(default_factory=list)
    codes: list[int] = field(default_factory=list)

    def run(self) -> int:
        """Run every command and the conversion; return the first failing exit code, or 0. Interrupted (Ctrl-C,
        SIGTERM, a failure of the batch itself), it stops the commands still running before it ends."""
        previous = signal.signal(signal.SIGTERM, _interrupt)
        try:
            self._run_waves()
        finally:
            signal.signal(signal.SIGTERM, previous)
            self._stop()
        return next((code for code in self.codes if code), 0)

    def _run_waves(self) -> None:
        while self.waves or self.running:
            self._start_ready()
            if self.running and all(c.request is not None for c in self.running) and not self._can_start():
                self._convert()
            elif self.running:
                self._wait()
        if self.folders and any(self.codes):
            _say("因前面的命令出错，未生成 PDF。", sys.stderr)
        elif self.folders:
            self._convert()

    def _stop(self) -> None:
        """End the commands still running: close their lines (a waiting format stops unwritten), give them a moment,
        interrupt them (each leaves its output folder as it was), kill what is left; name them."""
        if not self.running:
            return
        for child in self.running:
            child.conn.close()
        processes = [c.process for c in self.running]
        _ended(processes, STOP_SECONDS[0])
        for process in (p for p in processes if p.is_alive()):
            os.kill(process.pid, signal.SIGINT)
        _ended(processes, STOP_SECONDS[1])
        for process in processes:
            if process.is_alive():
                process.kill()
            process.join()
        unfinished = [c.command.line for c in self.running if c.process.exitcode != 0]
        self.running = []
        if unfinished:
            _say("已中断，以下命令未完成，其输出保持运行前的状态：" + "；".join(unfinished), sys.stderr)

    def _can_start(self) -> bool:
        return bool(self.waves and self.waves[0]) and sum(c.request is None for c in self.running) < self.jobs

    def _start_ready(self) -> None:
        """Move to the next wave when this one has ended (none after a failure); start commands while jobs allow."""
        while self.waves and not self.waves[0] and not self.running:
            self.waves.popleft()
            if any(self.codes) and self.waves:
                _say("因前面的命令出错，未运行：" + "；".join(c.line for wave in self.waves for c in wave), sys.stderr)
                self.waves.clear()
        while self._can_start():
            self.running.append(self._fork(self.waves[0].popleft()))

    def _fork(self, command: Command) -> Child:
        """Start a forked copy running the command, its output captured to log files."""
        for module in STAGE_MODULES.get(command.args.stage, []):  # imported once, here, for every later copy too
            importlib.import_module(module)
        for stream in (sys.stdout, sys.stderr):
            _say("", stream)  # flushed, so the copy does not print it again
        ours, theirs = multiprocessing.Pipe()
        n = len(self.codes) + len(self.running)
        log = (self.work / f"{n}.out", self.work / f"{n}.err")
        ends = [ours] + [c.conn for c in self.running]  # the batch's ends: the copy closes them, to see the batch go
        process = multiprocessing.get_context("fork").Process(target=_run_child, args=(command, theirs, log, ends))
        process.start()
        theirs.close()
        return Child(command, process, ours, log)

    def _wait(self) -> None:
        """Wait until a command ends (print its output) or asks for PDFs (hold the request); make the PDFs asked for
        when nothing happens for STALL_SECONDS."""
        asking = [c.conn for c in self.running if c.request is None]
        held = any(c.request is not None for c in self.running)
        ready = multiprocessing.connection.wait([c.process.sentinel for c in self.running] + asking,
                                                STALL_SECONDS if held else None)
        if not ready:
            self._convert()
        for child in list(self.running):
            if child.conn in ready and child.request is None:
                child.request = _receive(child.conn)
            if child.process.sentinel in ready:
                self._finish(child)

    def _finish(self, child: Child) -> None:
        child.process.join()
        self.running.remove(child)
        child.conn.close()
        code = child.process.exitcode
        self.codes.append(code if code is not None and code >= 0 else 1)
        _say(f"python -m pipeline {child.command.line}", sys.stdout)
        _show(child.log)
        if code is not None and code < 0:
            _say(_killed(-code), sys.stderr)

    def _convert(self) -> None:
        """Convert what the waiting commands asked for and, once no command is left to start, every folder's documents,
        together; answer each waiting command."""
        last = not any(self.waves) and all(c.request is not None for c in self.running) and not any(self.codes)
        folders = self._pending() if last else []
        pairs = [(Path(docx), Path(pdf)) for c in self.running for docx, pdf in c.request or []]
        results = _converted(pairs + [(docx, pdf) for _, _, docx, pdf in folders], self.jobs)
        for child in self.running:
            answer, results = results[:len(child.request or [])], results[len(child.request or []):]
            if child.request:
                _answer(child.conn, answer)
            child.request = None
        if last:
            self.folders = []
            self._record(folders, results)

    def _pending(self) -> list[tuple[Path, str, Path, Path]]:
        """List the folders' documents to convert; a manifest that cannot be read is reported, its folder left out."""
        pending = []
        for folder in self.folders:
            try:
                pending += pending_in([folder])
            except PipelineError as exc:
                _say(f"错误：{exc}", sys.stderr)
                self.codes.append(exc.exit_code)
        return pending

    def _record(self, folders: list, results: list) -> None:
        """Record the folders' PDFs in their manifests and say what was made, skipped or failed."""
        if results and all(isinstance(r, NoLibreOffice) for r in results):
            _say(f"跳过以下 PDF：{'、'.join(str(pdf) for *_, pdf in folders)}\n原因：{results[0]}", sys.stdout)
            return
        try:
            written = record_made(folders, results)
        except PipelineError as exc:
            _say(f"错误：{exc}", sys.stderr)
            self.codes.append(exc.exit_code)
            return
        if written:
            _say("已生成 PDF：" + "、".join(map(str, written)), sys.stdout)


def run_batch(lines: list[str], jobs: int, folders: list[Path]) -> int:
    """Run the stage command lines (waves split at `then`) jobs at a time in forked copies; then make the PDFs they ask
    for and those of folders together; return the exit code."""
    waves = _plan(lines)
    _hold_standard_fds()
    with tempfile.TemporaryDirectory(prefix="gongwen-batch-") as work:
        return Batch(deque(deque(w) for w in waves), jobs, list(folders), Path(work)).run()


def _hold_standard_fds() -> None:
    """Put /dev/null on a closed stdout or stderr, so no pipe or file of ours takes its number (a copy logs there)."""
    for fd in (1, 2):
        try:
            os.fstat(fd)
        except OSError:
            os.dup2(os.open(os.devnull, os.O_WRONLY), fd)


def _plan(lines: list[str]) -> list[list[Command]]:
    """Parse every command line before any runs; split them into waves at `then`."""
    waves: list[list[Command]] = [[]]
    for line in lines:
        if line.strip() == THEN:
            waves.append([])
        else:
            waves[-1].append(Command.parse(line))
    if not any(waves):
        raise PipelineError("批处理中没有要运行的命令（只有 then）")
    return [wave for wave in waves if wave]


def _run_child(command: Command, conn, log: tuple[Path, Path], ends: list) -> None:
    """Run one command in this forked copy, its output to the log files; format asks the batch for its PDFs."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    for end in ends:
        end.close()
    for fd, path, name in zip((1, 2), log, ("stdout", "stderr")):
        with open(path, "wb") as stream:
            os.dup2(stream.fileno(), fd)
        if getattr(sys, name) is None:  # the batch's was closed: this copy's output still goes to its log
            setattr(sys, name, open(fd, "w", encoding="utf-8", closefd=False))
    if hasattr(command.args, "convert"):
        command.args.convert = _asker(conn)
    code = run_parsed(command.args, shlex.split(command.line))
    sys.stdout.flush()
    sys.stderr.flush()
    sys.exit(code)


def _asker(conn):
    """Return a converter that sends its pairs to the batch and waits for the PDFs."""
    def convert(pairs: list[tuple[Path, Path]]) -> list[Path | PipelineError]:
        try:
            conn.send([(str(docx), str(pdf)) for docx, pdf in pairs])
            answer = conn.recv()
        except (EOFError, OSError):  # the batch has gone (killed): stop as if interrupted, nothing written
            raise KeyboardInterrupt from None
        return [Path(text) if made else PipelineError(text) for made, text in answer]
    return convert


def _answer(conn, results: list[Path | PipelineError]) -> None:
    """Send a waiting command its PDFs; one that has died meanwhile is let be (its end is seen next)."""
    try:
        conn.send([(isinstance(r, Path), str(r)) for r in results])
    except OSError:
        pass


def _receive(conn) -> list[tuple[str, str]] | None:
    try:
        return conn.recv()
    except EOFError:  # the command ended without asking: its sentinel says so
        return None


def _converted(pairs: list[tuple[Path, Path]], processes: int) -> list[Path | PipelineError]:
    """Convert the pairs in that many LibreOffice processes side by side; without LibreOffice each result is the error
    saying how to install it."""
    if not pairs:
        return []
    if soffice() is None:
        return [NoLibreOffice(INSTALL_HINT)] * len(pairs)
    try:
        return to_pdfs(pairs, processes)
    except PipelineError as exc:
        return [exc] * len(pairs)


def _show(log: tuple[Path, Path]) -> None:
    """Print a command's captured output and errors, a piece at a time (however much it wrote)."""
    for path, stream in zip(log, (sys.stdout, sys.stderr)):
        if path.exists():
            with open(path, encoding="utf-8", errors="replace") as text:
                for piece in iter(lambda: text.read(1 << 16), ""):
                    _say(piece, stream, end="")


def _say(text: str, stream, end: str = "\n") -> None:
    """Print text on stdout or stderr; when that is closed or its reader has gone (| head), go on without it."""
    if stream is None:
        return
    try:
        stream.write(text + end if text else "")
        stream.flush()
    except BrokenPipeError:
        devnull = open(os.devnull, "w")
        os.dup2(devnull.fileno(), stream.fileno())  # what is still buffered goes there too, at exit
        setattr(sys, "stdout" if stream is sys.stdout else "stderr", devnull)


def _killed(number: int) -> str:
    """Say that a command was killed by a signal (SIGKILL: most often the system, out of memory)."""
    try:
        name = signal.Signals(number).name
    except ValueError:
        name = str(number)
    hint = "；若是内存不足，可减小 --jobs（make all JOBS=1）后重试" if number == signal.SIGKILL else ""
    return f"错误：该命令异常终止（信号 {name}），未能完成{hint}"


def _interrupt(number, frame) -> None:
    """Take SIGTERM as Ctrl-C."""
    raise KeyboardInterrupt


def _ended(processes: list[multiprocessing.Process], seconds: float) -> None:
    """Wait until every process has ended, or for that many seconds."""
    deadline = time.monotonic() + seconds
    alive = [p for p in processes if p.is_alive()]
    while alive and time.monotonic() < deadline:
        multiprocessing.connection.wait([p.sentinel for p in alive], deadline - time.monotonic())
        alive = [p for p in alive if p.is_alive()]
