"""Read YAML data files, keeping the line of every field so errors can point at it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from .errors import FieldError, InputError


def _field_name(path: tuple) -> str:
    text = ""
    for part in path:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


class Source:
    """Wrap one loaded YAML file: typed getters that collect Chinese field errors."""

    def __init__(self, path: Path, data, lines: dict[tuple, int]):
        self.path, self.data, self.lines = Path(path), data, lines
        self.errors: list[FieldError] = []

    # Errors ---------------------------------------------------------------
    def error(self, path: tuple, message: str) -> None:
        """Record an error for the field at path (using its line, or its parent's)."""
        line = next((self.lines[path[:i]] for i in range(len(path), -1, -1) if path[:i] in self.lines), None)
        self.errors.append(FieldError(str(self.path), _field_name(path), line, message))

    def check(self) -> None:
        """Raise InputError if any error was recorded."""
        if self.errors:
            raise InputError(self.errors)

    # Access ---------------------------------------------------------------
    def raw(self, path: tuple):
        """Return the value at path, or None when any part of it is absent."""
        value = self.data
        for part in path:
            if isinstance(part, int):
                value = value[part] if isinstance(value, list) and part < len(value) else None
            else:
                value = value.get(part) if isinstance(value, dict) else None
            if value is None:
                return None
        return value

    def text(self, *path, required: bool = True) -> str:
        """Return a non-empty string field (numbers are accepted as text)."""
        value = self.raw(path)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.error(path, "缺少此项，必须填写")
            return ""
        if isinstance(value, (dict, list, bool)):
            self.error(path, "应为一段文字")
            return ""
        return str(value).strip()

    def date(self, *path, required: bool = True) -> dt.date | None:
        """Return a date field written as YYYY-MM-DD."""
        value = self.raw(path)
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if value is None:
            if required:
                self.error(path, "缺少此项，必须填写日期（格式 YYYY-MM-DD，如 2022-03-21）")
            return None
        try:
            return dt.date.fromisoformat(str(value).strip())
        except ValueError:
            self.error(path, f"“{value}”不是有效日期，应为 YYYY-MM-DD（如 2022-03-21）")
            return None

    def items(self, *path, required: bool = False) -> list:
        """Return a list field (empty when absent)."""
        value = self.raw(path)
        if value is None:
            if required:
                self.error(path, "缺少此项，应为列表")
            return []
        if not isinstance(value, list):
            self.error(path, "应为列表（每项以“- ”开头）")
            return []
        return value

    def choice(self, *path, choices: tuple[str, ...]) -> str:
        """Return a text field that must be one of choices."""
        value = self.text(*path)
        if value and value not in choices:
            self.error(path, f"“{value}”无效，只能是：{'、'.join(choices)}")
        return value


def load(path: Path) -> Source:
    """Load a YAML file into a Source; a syntax error or a non-mapping becomes an InputError."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError([FieldError(str(path), "", None, "文件不存在")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError([FieldError(str(path), "", None, f"无法读取（应为 UTF-8 文本）：{exc}")]) from None
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        lines: dict[tuple, int] = {}
        data = _construct(loader, node, (), lines)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise InputError([FieldError(str(path), "", line, f"YAML 格式错误：{getattr(exc, 'problem', exc)}")]) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise InputError([FieldError(str(path), "", None, "内容应为“字段: 值”的映射")])
    return Source(path, data, lines)


def _construct(loader, node, path: tuple, lines: dict, line: int | None = None):
    lines[path] = line or node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        data = {}
        for key_node, value_node in node.value:
            key = str(loader.construct_object(key_node))
            data[key] = _construct(loader, value_node, path + (key,), lines, key_node.start_mark.line + 1)
        return data
    if isinstance(node, yaml.SequenceNode):
        return [_construct(loader, item, path + (i,), lines) for i, item in enumerate(node.value)]
    try:
        return loader.construct_object(node)
    except ValueError:  # an impossible date such as 2022-02-30: keep the text, date() reports it
        return node.value
