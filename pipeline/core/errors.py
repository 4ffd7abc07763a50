"""Define the exceptions that stop a stage; the CLI turns them into Chinese messages."""

from __future__ import annotations

from .problems import Problem


class PipelineError(Exception):
    """Report a problem that stops a stage; its text is shown to the clerk as is."""

    exit_code = 2


class InputError(PipelineError):
    """Report that a data file is invalid; carries every problem found in it (all at once)."""

    def __init__(self, errors: list[Problem]):
        self.errors = list(errors)
        lines = [f"输入文件有 {len(self.errors)} 处错误，未生成任何文件："] + [f"  - {e.message}" for e in self.errors]
        super().__init__("\n".join(lines))
