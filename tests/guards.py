"""Guard tests against hangs: a deadline that fails the test instead of blocking the whole run."""

from __future__ import annotations

import signal
from contextlib import contextmanager


class Hang(BaseException):
    """Raised by the deadline (a BaseException, so the CLI's catch-all cannot turn it into exit 1)."""


@contextmanager
def deadline(seconds: float):
    """Fail (instead of hanging the run) when the block takes longer than seconds."""
    def expire(signum, frame):
        raise Hang(f"still running after {seconds} s (hang)")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
