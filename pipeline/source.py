"""Read data files: YAML keeping the line of every field so errors can point at it, and text in any Chinese encoding."""

from __future__ import annotations

import codecs
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
    """Load a YAML file into a Source; an unreadable, empty or malformed file becomes an InputError."""
    path = Path(path)
    text = _read_text(path)
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        lines: dict[tuple, int] = {}
        data = None if node is None else _construct(loader, node, (), lines)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.column + 1} 列附近" if mark else ""
        raise _file_error(path, f"YAML 格式错误{where}：常见原因是冒号后缺空格、缩进不齐、引号未配对，"
                                "或一段文字里含有“: ”（请给这段文字加引号）", mark.line + 1 if mark else None) from None
    finally:
        loader.dispose()
    if data is None:
        raise _file_error(path, "文件是空的，没有任何字段")
    if not isinstance(data, dict):
        raise _file_error(path, "内容应为“字段: 值”的映射")
    return Source(path, data, lines)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise _file_error(path, "文件不存在") from None
    except IsADirectoryError:
        raise _file_error(path, "这是一个文件夹，不是数据文件") from None
    except UnicodeDecodeError:
        raise _file_error(path, "不是 UTF-8 编码的文本（请在编辑器中以 UTF-8 编码另存）") from None
    except OSError as exc:
        raise _file_error(path, f"无法读取（{exc.strerror or '系统错误'}）") from None


def _file_error(path: Path, message: str, line: int | None = None) -> InputError:
    return InputError([FieldError(str(path), "", line, message)])


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


def decode_text(data: bytes) -> str | None:
    """Decode text by its BOM, else as UTF-8, else as GB18030 (a superset of GBK); None when neither fits."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None
