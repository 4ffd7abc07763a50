"""Define the exceptions a stage raises for bad input; the CLI turns them into Chinese messages."""

from __future__ import annotations

from dataclasses import dataclass


class PipelineError(Exception):
    """Report a problem that stops a stage; its text is shown to the clerk as is."""

    exit_code = 2


@dataclass(frozen=True)
class FieldError:
    """Describe one invalid field of a data file: where it is and what is wrong."""

    path: str
    field: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"第{self.line}行，" if self.line else ""
        field = f"字段 {self.field}：" if self.field else ""
        return f"{self.path}：{where}{field}{self.message}"


class InputError(PipelineError):
    """Report that a data file is invalid; carries every field error found."""

    def __init__(self, errors: list[FieldError]):
        self.errors = list(errors)
        lines = [f"输入文件有 {len(self.errors)} 处错误，未生成任何文件："] + [f"  - {e}" for e in self.errors]
        super().__init__("\n".join(lines))
