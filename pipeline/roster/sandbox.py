"""Run a task over many jobs in worker processes, each held to a memory and a time limit.

A returned file is read by third-party parsers, some of them native code: a hostile file can make one
allocate gigabytes, loop, or abort the whole process. Here each job runs in a long-lived worker process
(forked, so it starts with everything already imported) whose address space is capped with
setrlimit; a job that runs past its time is killed with its worker, and a worker that dies is replaced.
Either way the job comes back as a failure ('timeout' or 'reader_crashed') and the others go on.
"""

from __future__ import annotations

import ctypes
import faulthandler
import multiprocessing
import multiprocessing.connection
import os
import pickle
import resource
import signal
import time
import traceback
from typing import Callable, Iterator

TIMEOUT, CRASHED, INTERNAL = "timeout", "reader_crashed", "internal_error"
PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
PR_SET_PDEATHSIG = 1  # Linux prctl option: the signal a process gets when its parent dies


class _Worker:
    """One worker process and the parent's end of its pipe."""

    def __init__(self, task: Callable, memory_bytes: int):
        context = multiprocessing.get_context("fork")
        self.conn, child = context.Pipe()
        args = (child, self.conn, os.getpid(), task, memory_bytes)
        self.process = context.Process(target=_serve, args=args, daemon=True)
        self.process.start()
        child.close()
        self.job, self.deadline = None, 0.0

    def stop(self, kill: bool = False) -> None:
        """End the worker: ask it to stop, or kill it at once."""
        if not kill:
            try:
                self.conn.send(None)
            except OSError:
                kill = True
        if kill and self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


def _serve(conn, parent_end, parent: int, task: Callable, memory_bytes: int) -> None:
    """Run jobs from conn until told to stop; the address space is capped first.

    A reader that aborts or panics prints to stderr; the clerk's terminal is spared: the worker's stderr
    goes nowhere (its outcome is reported as a record instead). The worker never outlives the run: it
    holds the run's inherited file descriptors (the output lock among them), so a run killed outright
    must take its workers with it.
    """
    parent_end.close()
    _die_with(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    faulthandler.disable()
    with open(os.devnull, "wb") as nowhere:
        os.dup2(nowhere.fileno(), 2)
    limit = _address_space() + memory_bytes
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        conn.send(_run(task, job))


def _die_with(parent: int) -> None:
    """Have the kernel kill this worker when its parent dies (Linux), and exit now if it already has."""
    try:
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass  # not Linux: the worker still ends on the end of file of its pipe
    if os.getppid() != parent:
        os._exit(0)


def _run(task: Callable, job) -> tuple[str, object]:
    """Run one job: (done, result), (too_large, None), or (internal_error, traceback) for a bug of ours."""
    try:
        return "done", task(job)
    except MemoryError:
        return "too_large", None
    except Exception:  # noqa: BLE001 - a failure of our own code on one file is that file's record, not a crash
        return INTERNAL, traceback.format_exc()


def _deadline(job, default: float) -> float:
    """Return a job's own deadline (a monotonic time), or default when it has none."""
    return getattr(job, "deadline", 0.0) or default


def _address_space() -> int:
    """Return this process's current virtual memory size in bytes."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[0]) * PAGE
    except (OSError, ValueError, IndexError):
        return 0


class Sandbox:
    """Run task(job) for every job in workers limited to memory_mb more memory and seconds per job."""

    def __init__(self, task: Callable, workers: int, memory_mb: int, seconds: float):
        self.task, self.size, self.seconds = task, max(0, workers), seconds
        self.memory_bytes = memory_mb * 1024 * 1024
        self.workers: list[_Worker] = []

    def __enter__(self) -> "Sandbox":
        self.workers = [_Worker(self.task, self.memory_bytes) for _ in range(self.size)]
        return self

    def __exit__(self, *exc) -> None:
        for worker in self.workers:
            worker.stop(kill=exc[0] is not None)
        self.workers = []

    def map(self, next_job: Callable[[], object]) -> Iterator[tuple[object, str, object]]:
        """Yield (job, outcome, result) as jobs finish: outcome is done, too_large, timeout, reader_crashed or
        internal_error (the result then is the traceback).

        next_job() returns the next job, or None when there is none for now; the caller may add jobs while
        handling a result (an archive's members), and they are run before map ends. A job with a deadline
        attribute (a monotonic time, 0 for none) is stopped at it, or not started once it has passed.
        """
        if not self.workers:
            while (job := next_job()) is not None:
                yield (job, *_run(self.task, job))
            return
        idle, busy = list(self.workers), []
        while True:
            while idle and (job := next_job()) is not None:
                if _deadline(job, float("inf")) <= time.monotonic():
                    yield job, TIMEOUT, None
                    continue
                self._give(idle[-1], job)
                busy.append(idle.pop())
            if not busy:
                return
            for worker in self._ready(busy):
                busy.remove(worker)
                done = self._collect(worker)
                idle.append(done[0])
                yield done[1]

    def _give(self, worker: _Worker, job) -> None:
        worker.job = job
        worker.deadline = min(time.monotonic() + self.seconds, _deadline(job, float("inf")))
        try:
            worker.conn.send(job)
        except OSError:
            pass  # the worker is dead: collected below as crashed

    def _ready(self, busy: list[_Worker]) -> list[_Worker]:
        wait = max(0.0, min(w.deadline for w in busy) - time.monotonic())
        ready = multiprocessing.connection.wait([w.conn for w in busy], timeout=wait)
        late = [w for w in busy if w.conn not in ready and time.monotonic() >= w.deadline]
        return [w for w in busy if w.conn in ready] + late

    def _collect(self, worker: _Worker) -> tuple[_Worker, tuple]:
        """Return the worker to reuse (a fresh one if it died or ran late) and (job, outcome, result)."""
        job = worker.job
        if worker.conn.poll():
            try:
                outcome, result = worker.conn.recv()
                return worker, (job, outcome, result)
            except (EOFError, OSError, pickle.UnpicklingError):
                failure = CRASHED
        else:
            failure = TIMEOUT if worker.process.is_alive() else CRASHED
        worker.stop(kill=True)
        fresh = _Worker(self.task, self.memory_bytes)
        self.workers[self.workers.index(worker)] = fresh
        return fresh, (job, failure, None)


def aside(task: Callable[[], object], memory_mb: int) -> Callable[[float], tuple[str, object]]:
    """Start task() in a worker process now; return a function that waits at most seconds for (outcome, result)."""
    worker = _Worker(lambda _job: task(), memory_mb * 1024 * 1024)
    try:
        worker.conn.send(0)
    except OSError:
        pass  # the worker is dead: reported as crashed below

    def outcome(seconds: float) -> tuple[str, object]:
        try:
            answer = worker.conn.recv() if worker.conn.poll(seconds) else (TIMEOUT, None)
        except (EOFError, OSError, pickle.UnpicklingError):
            answer = (CRASHED, None)
        worker.stop(kill=answer[0] != "done")
        return answer
    return outcome
