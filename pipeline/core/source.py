"""Read data files: YAML keeping the line of every value, checked against a schema, all errors at once.

Only a regular file of at most MAX_DATA_BYTES is read (a FIFO or a device never blocks a stage), and a
YAML file may hold at most MAX_YAML_ALIASES aliases, MAX_YAML_VALUES values and MAX_YAML_DEPTH levels,
so an alias bomb or a deeply nested file is refused in milliseconds.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from .errors import InputError
from .files import NotRegular, read_regular
from .output import OS_REASONS
from .problems import make
from .text import UNSTORABLE, describe

MAX_DATA_BYTES = 5 * 1024 * 1024
MAX_YAML_ALIASES = 100
MAX_YAML_VALUES = 100_000
MAX_YAML_DEPTH = 64
# The tags YAML gives plain values (text, numbers, yes/no, empty, dates); any other tag written out is refused.
SCALAR_TAGS = {f"tag:yaml.org,2002:{kind}" for kind in ("str", "int", "float", "bool", "null", "timestamp")}


def field_name(at: tuple) -> str:
    """Return a value's path as a clerk reads it: annexes[2].name (list positions from 1)."""
    text = ""
    for part in at:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


class Collector:
    """Collect the problems of one data file and raise them together."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.errors: list = []

    def add(self, code: str, note: str, row: int | None = None, field: str = "") -> None:
        """Record a problem at a row (or line) and field of the file."""
        self.errors.append(make(code, str(self.path), row=row, field=field, note=note))

    def check(self) -> None:
        """Raise InputError if any problem was recorded."""
        if self.errors:
            raise InputError(self.errors)


class Source(Collector):
    """Hold one loaded YAML file: its checked data and the line of every value."""

    def __init__(self, path: Path, data, lines: dict[tuple, int]):
        super().__init__(path)
        self.data, self.lines = data, lines
        self.written = data  # the tree as written; data becomes the checked tree

    def error(self, at: tuple, note: str, code: str = "invalid_value") -> None:
        """Record a problem for the value at path at (on its line, or its parent's)."""
        line = next((self.lines[at[:i]] for i in range(len(at), -1, -1) if at[:i] in self.lines), None)
        self.add(code, note, line, field_name(at))

    def reported(self, at: tuple) -> bool:
        """Tell whether a problem was already recorded at path at or inside it (a follow-up check stays quiet)."""
        name, path = field_name(at), str(self.path)  # another file's problems (an issued document's) do not count
        return any(p.path == path and (p.field == name or p.field.startswith((f"{name}.", f"{name}[")))
                   for p in self.errors)

    def raw(self, at: tuple):
        """Return the value at path at as written in the file, or None when any part of it is absent."""
        value = self.written
        for part in at:
            if isinstance(part, int):
                value = value[part] if isinstance(value, list) and part < len(value) else None
            else:
                value = value.get(part) if isinstance(value, dict) else None
            if value is None:
                return None
        return value


def load(path: Path, schema=None) -> Source:
    """Load a YAML file and check it against schema (a schema.Fields), collecting every problem.

    The returned Source's data is the checked, cleaned tree; the caller adds the problems of its own
    checks to the same Source, and its check() raises them all together (one pass, every error).
    """
    source = parse(path)
    if schema is not None:
        source.data = schema.check(source.data, (), source)
    return source


def parse(path: Path) -> Source:
    """Load a YAML file into a Source without checking its shape; a bad file becomes an InputError."""
    path = Path(path)
    text = read_data_text(path)
    bad = UNSTORABLE.search(text)
    if bad:  # YAML itself refuses most of these; name the character and its line the same way for all
        raise _file_error(path, f"含有 Word 和 Excel 无法保存的字符（{describe(bad.group())}），请删除后重新保存",
                          "bad_character", text.count("\n", 0, bad.start()) + 1)
    loader = None
    try:
        loader = _Loader(text)
        node = loader.get_single_node()
        lines: dict[tuple, int] = {}
        data = None if node is None else _Builder(loader, lines).value(node, ())
    except yaml.reader.ReaderError as exc:
        raise _file_error(path, f"含有 YAML 不允许的字符（{describe(chr(exc.character))}）", "bad_character",
                          text.count("\n", 0, exc.position) + 1) from None
    except yaml.YAMLError as exc:
        raise _syntax_error(path, exc) from None
    except _Refused as exc:
        raise _file_error(path, exc.note, exc.code, exc.line, exc.field) from None
    except RecursionError:
        raise _file_error(path, f"嵌套层次过深（超过 {MAX_YAML_DEPTH} 层）", "too_long") from None
    finally:
        if loader is not None:
            loader.dispose()
    if data is None:
        raise _file_error(path, "文件是空的，没有任何字段", "missing_value")
    if not isinstance(data, dict):
        raise _file_error(path, "内容应为“字段: 值”的映射", "wrong_type")
    return Source(path, data, lines)


def read_data_bytes(path: Path, limit: int = MAX_DATA_BYTES) -> bytes:
    """Return the bytes of a data file; refuse what is not a regular file or is larger than limit.

    A link is followed on purpose (a clerk may link inputs/notice.yaml to this year's file); what it
    points to must still be a regular file.
    """
    path = Path(path)
    try:
        data = read_regular(path.resolve(), limit)
    except RuntimeError:  # a loop of links
        raise _file_error(path, "是循环的链接，无法读取") from None
    except FileNotFoundError:
        raise _file_error(path, "文件不存在") from None
    except IsADirectoryError:
        raise _file_error(path, "这是一个文件夹，不是数据文件") from None
    except NotRegular as exc:
        raise _file_error(path, "这是一个文件夹，不是数据文件" if exc.folder else "不是普通文件（可能是管道或设备），未读取") from None
    except OSError as exc:
        raise _file_error(path, f"无法读取（{OS_REASONS.get(exc.errno, '系统错误')}）") from None
    if data is None:
        raise _file_error(path, f"文件超过 {limit // (1024 * 1024)} MB，不像是数据文件，未读取", "too_long")
    return data


def read_data_text(path: Path) -> str:
    """Return a UTF-8 (optionally with BOM) data file's text."""
    try:
        return read_data_bytes(path).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _file_error(path, "不是 UTF-8 编码的文本（请在编辑器中以 UTF-8 编码另存）") from None


class _Refused(Exception):
    """Stop building a YAML tree: too many aliases, values or levels, a key given twice, an unknown tag."""

    def __init__(self, note: str, code: str = "too_long", line: int | None = None, field: str = ""):
        super().__init__(note)
        self.note, self.code, self.line, self.field = note, code, line, field


class _Loader(yaml.SafeLoader):
    """Compose YAML like SafeLoader, counting aliases so an alias bomb stops early."""

    def __init__(self, stream):
        super().__init__(stream)
        self.aliases = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_YAML_ALIASES:
                raise _Refused(f"YAML 别名（*）超过 {MAX_YAML_ALIASES} 个，文件不像是手写的数据文件")
        return super().compose_node(parent, index)


class _Builder:
    """Build plain Python values from YAML nodes, recording the line of each and bounding their number."""

    def __init__(self, loader: _Loader, lines: dict):
        self.loader, self.lines, self.count = loader, lines, 0

    def value(self, node, at: tuple, line: int | None = None):
        self.count += 1
        if self.count > MAX_YAML_VALUES or len(at) > MAX_YAML_DEPTH:
            raise _Refused(f"数据项超过 {MAX_YAML_VALUES} 个或嵌套超过 {MAX_YAML_DEPTH} 层（可能用了大量 YAML 别名）")
        self.lines[at] = line or node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, at)
        if isinstance(node, yaml.SequenceNode):
            return [self.value(item, at + (i,)) for i, item in enumerate(node.value)]
        if node.tag not in SCALAR_TAGS:
            raise _Refused(f"不支持 YAML 标签 {node.tag}（请直接写文字、数字或日期）", "invalid_value",
                           self.lines[at], field_name(at))
        try:
            return self.loader.construct_object(node)
        except (ValueError, LookupError, AttributeError, TypeError):  # 2022-02-30, !!int "": the schema reports it
            return node.value

    def mapping(self, node, at: tuple) -> dict:
        data = {}
        for key_node, value_node in node.value:
            key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "（复杂键）"
            line = key_node.start_mark.line + 1
            if key in data:
                raise _Refused(f"字段“{key}”重复出现（同一层里每个字段只能写一次）", "invalid_value", line,
                               field_name(at + (key,)))
            data[key] = self.value(value_node, at + (key,), line)
        return data


def _syntax_error(path: Path, exc: yaml.YAMLError) -> InputError:
    mark = getattr(exc, "problem_mark", None)
    if mark is None:
        return _file_error(path, f"YAML 格式错误：{exc}", "yaml_syntax")
    return _file_error(path, f"YAML 格式错误（第 {mark.column + 1} 列附近）：常见原因是冒号后缺空格、缩进不齐、"
                             "引号未配对，或一段文字里含有“: ”（请给这段文字加引号）", "yaml_syntax", mark.line + 1)


def _file_error(path: Path, note: str, code: str = "unreadable_data_file", line: int | None = None,
                field: str = "") -> InputError:
    return InputError([make(code, str(path), row=line, field=field, note=note)])
