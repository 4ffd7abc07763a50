"""Describe the typed columns of a fill-in form: the types, the contact form's known columns, and their defaults."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

TYPES = {  # type → what a clerk calls it
    "index": "序号", "unit": "填报单位", "person": "姓名", "gender": "性别", "text": "文字", "choice": "选项",
    "mobile": "手机号码", "landline": "座机号码", "phone": "电话号码（手机或座机）", "email": "电子邮箱",
    "id_card": "身份证号码", "credit_code": "统一社会信用代码", "date": "日期", "integer": "整数", "decimal": "数字",
}
BOUNDED = ("integer", "decimal", "date")  # the types that may have min and max
CODE_LIKE = ("mobile", "landline", "phone", "id_card", "credit_code")  # digits that must stay text in Excel
KEY_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
RESERVED_KEYS = ("unit_id", "source_file", "source_sheet", "source_row")
UNIT_KEY, INDEX_KEY, NOTE_KEY = "unit", "seq", "note"
GENDERS = ("男", "女")


@dataclass(frozen=True)
class Column:
    """Describe one column of a form: its header, roster key, type, and what a value must be.

    squeeze drops spaces between Chinese characters (李　玥 → 李玥); only names and the contact form's
    职务/级别 are squeezed, free text keeps its spaces.
    """

    name: str
    key: str
    type: str = "text"
    required: bool = False
    aliases: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    minimum: object = None  # int, float or date, by type
    maximum: object = None
    squeeze: bool = False

    @property
    def options(self) -> tuple[str, ...]:
        """Return the values a choice column allows (男, 女 for a gender column), else ()."""
        return GENDERS if self.type == "gender" else self.choices

    @property
    def labels(self) -> tuple[str, ...]:
        """Return every header text the column is known by: its name, then its aliases."""
        return (self.name,) + self.aliases

    @property
    def is_data(self) -> bool:
        """Tell whether the column holds an entry's own data (not its 序号 or its unit)."""
        return self.type not in ("index", "unit")


KNOWN = {column.name: column for column in (  # the contact form's columns, written as bare names
    Column("序号", INDEX_KEY, "index"),
    Column("工作单位", UNIT_KEY, "unit"),
    Column("姓名", "name", "person", required=True, squeeze=True),
    Column("性别", "gender", "gender"),
    Column("职务/级别", "title", "text", squeeze=True),
    Column("办公电话", "office_phone", "landline"),
    Column("手机号码", "mobile", "mobile", required=True),
    Column("备注", NOTE_KEY, "text"),
)}
CONTACT_BY_KEY = {column.key: column for column in KNOWN.values()}
CONTACT_TITLE = "联系人信息表"
CONTACT_KEY = ("name", "mobile")  # a person is the same person when name and mobile agree


def bare_column(name: str) -> Column:
    """Return the column a bare name stands for: a known contact column, else free text keyed by its name."""
    return KNOWN.get(name) or Column(name, name)


def is_contact(column: Column) -> bool:
    """Tell whether a column is the contact form's column of its key (same type; a text column also by name), so
    that its synonyms, problem codes and duplicate rule apply: 企业名称 keyed name is not 姓名."""
    known = CONTACT_BY_KEY.get(column.key)
    return known is not None and known.type == column.type and (column.type != "text" or known.name in column.labels)


def typed_column(written: dict) -> Column:
    """Return the column of a checked mapping {name, key, type, required, aliases, choices, min, max}.

    A known name keeps its key, type and requirement unless the mapping says otherwise.
    """
    base = bare_column(written["name"])
    kind = written.get("type", base.type)
    inherited = base if kind == base.type else Column(base.name, base.key, kind)
    changes = {"key": written.get("key"), "type": kind, "required": written.get("required"),
               "aliases": tuple(written.get("aliases") or ()), "choices": tuple(written.get("choices") or ()),
               "minimum": written.get("min"), "maximum": written.get("max")}
    return replace(inherited, **{k: v for k, v in changes.items() if v is not None})


@dataclass(frozen=True)
class ColumnFault:
    """Name what is wrong with a spec's columns: the column's position (or None for the spec) and why."""

    index: int | None
    part: str
    note: str
    code: str = "invalid_value"


def column_problems(columns: list[Column]) -> list[ColumnFault]:
    """Return what is wrong with a list of columns: clashes of names and keys, misplaced choices or bounds."""
    found = [p for i, c in enumerate(columns) for p in _own_problems(i, c)]
    seen_names: dict[str, int] = {}
    seen_keys: dict[str, int] = {}
    for i, column in enumerate(columns):
        clashes = [label for label in column.labels if seen_names.get(label, i) != i]
        found += [ColumnFault(i, "name" if label == column.name else "aliases",
                              f"列名“{label}”重复（第 {seen_names[label] + 1} 列已用）") for label in clashes]
        for label in column.labels:
            seen_names.setdefault(label, i)
        if column.key in seen_keys and not clashes:
            found.append(ColumnFault(i, "key", f"key“{column.key}”重复（第 {seen_keys[column.key] + 1} 列已用）"))
        seen_keys.setdefault(column.key, i)
    return found


def _own_problems(i: int, column: Column) -> list[ColumnFault]:
    found = []
    if column.type == "unit" and column.key != UNIT_KEY:
        found.append(ColumnFault(i, "key", f"填报单位列的 key 固定为 {UNIT_KEY}"))
    if column.type != "unit" and column.key == UNIT_KEY:
        found.append(ColumnFault(i, "key", f"key“{UNIT_KEY}”只能用于填报单位列（type: unit）"))
    if column.key in RESERVED_KEYS:
        found.append(ColumnFault(i, "key", f"key“{column.key}”是汇总表自用的列名，请换一个"))
    if column.type == "choice" and not column.choices:
        found.append(ColumnFault(i, "choices", "选项列（type: choice）须写明 choices（可选的值）", "missing_value"))
    if column.choices and column.type != "choice":
        found.append(ColumnFault(i, "choices", "只有选项列（type: choice）才能写 choices"))
    found += [ColumnFault(i, part, f"{what}“{value}”重复") for part, what, values in
              (("aliases", "别名", column.aliases), ("choices", "可选值", column.choices)) for value in repeated(values)]
    found += _bound_problems(i, column)
    return found


def repeated(values) -> list:
    """Return the values that occur more than once, in order of their second occurrence."""
    seen, twice = set(), []
    for value in values:
        if value in seen and value not in twice:
            twice.append(value)
        seen.add(value)
    return twice


def _bound_problems(i: int, column: Column) -> list[ColumnFault]:
    bounds = [(part, v) for part, v in (("min", column.minimum), ("max", column.maximum)) if v is not None]
    if bounds and column.type not in BOUNDED:
        return [ColumnFault(i, bounds[0][0], "只有整数、数字和日期列（integer、decimal、date）才能写 min、max")]
    wrong = [part for part, value in bounds if not _fits(column.type, value)]
    if wrong:
        return [ColumnFault(i, part, f"{part} 应为{_bound_kind(column.type)}") for part in wrong]
    if len(bounds) == 2 and column.minimum > column.maximum:
        return [ColumnFault(i, "min", f"min（{column.minimum}）大于 max（{column.maximum}）")]
    return []


def _fits(kind: str, value) -> bool:
    if kind == "date":
        return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    if isinstance(value, bool):
        return False
    return isinstance(value, int) if kind == "integer" else isinstance(value, (int, float))


def _bound_kind(kind: str) -> str:
    return {"date": "日期（YYYY-MM-DD）", "integer": "整数"}.get(kind, "数字")
