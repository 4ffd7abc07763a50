"""Keep the logs of internal errors: each in a new file a clerk can send to whoever maintains the program."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

LOG_DIR = Path(tempfile.gettempdir()) / "gongwen-pipeline"


def write_log(name: str, text: str, folder: Path | None = None) -> str:
    """Write text to a new log file named after name and the time; return its path (or why it could not)."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    try:
        folder = Path(folder or LOG_DIR)
        folder.mkdir(parents=True, exist_ok=True)
        fd, path = tempfile.mkstemp(prefix=f"{name}-{stamp}-", suffix=".log", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8") as log:
            log.write(text)
        return path
    except OSError as exc:
        return f"（日志无法写入：{exc.strerror or exc}）"
