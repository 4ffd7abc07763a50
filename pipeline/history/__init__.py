"""Keep a history of every roster run in SQLite and tell what changed from one run to the next."""

from .changes import history_report, history_text
from .run import Entry, FileRow, Run, UnitRow
from .store import History, open_history

__all__ = ["Entry", "FileRow", "History", "Run", "UnitRow", "history_report", "history_text",
           "open_history"]
