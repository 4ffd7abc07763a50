"""Find the header of a returned sheet, map its columns by name, and clean the values of each person.

Columns are matched by what their header says (联系人, 座机, 手机, 单位名称, 职务 …), never by
position. The header may be pushed down by title and 填报单位 lines, or split over two rows under a
merged group cell. Values are cleaned the way a clerk would: numbers stored as numbers, full-width
digits, spaces inside names, +86, extensions, gender variants and placeholders such as 无 or ／.

Office phones come out as AREA-NUMBER, with an extension as AREA-NUMBER-EXT (010-62083702-123);
mobiles as 11 digits. A value that cannot be cleaned is kept as written and reported.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

FIELDS = ("unit", "name", "gender", "title", "office_phone", "mobile", "note")
LABELS = {"unit": "工作单位", "name": "姓名", "gender": "性别", "title": "职务/级别", "office_phone": "办公电话",
          "mobile": "手机号码", "note": "备注"}
SEQ, CONTACT, EXTRA = "seq", "contact", ""  # 序号; 联系电话/联系方式 (decided by the other columns); unknown
HEADER_SCAN_ROWS = 30
MAX_FALLBACK_LABEL = 12  # longer header text (a title, an instruction) is never taken for a column name
PERSON_FIELDS = ("name", "gender", "title", "office_phone", "mobile")

SYNONYMS = {
    SEQ: ("序号", "编号", "序", "no", "no."),
    "unit": ("工作单位", "单位", "单位名称", "所在单位", "填报单位", "工作单位名称", "部门", "工作部门", "单位部门",
             "所在部门", "处室", "单位及部门", "工作单位部门"),
    "name": ("姓名", "联系人", "联系人姓名", "名字", "人员姓名", "联络员", "联络员姓名", "姓名联系人"),
    "gender": ("性别",),
    "title": ("职务级别", "职务", "级别", "职称", "职位", "职务职级", "职级", "职务职称", "职务或级别"),
    "office_phone": ("办公电话", "座机", "办公座机", "座机号码", "座机电话", "固定电话", "固话", "办公室电话",
                     "办公电话座机", "单位电话"),
    "mobile": ("手机号码", "手机", "手机号", "移动电话", "联系手机", "手机号码11位", "移动电话手机"),
    "note": ("备注", "说明", "其他", "备注说明"),
    CONTACT: ("联系电话", "电话", "联系方式", "电话号码", "联系电话手机"),
}
EXACT = {label: name for name, labels in SYNONYMS.items() for label in labels}
KEYWORDS = (("手机", "mobile"), ("移动电话", "mobile"), ("座机", "office_phone"), ("办公电话", "office_phone"),
            ("固定电话", "office_phone"), ("姓名", "name"), ("联系人", "name"), ("性别", "gender"), ("职务", "title"),
            ("职级", "title"), ("职称", "title"), ("级别", "title"), ("单位", "unit"), ("部门", "unit"),
            ("备注", "note"), ("电话", CONTACT), ("序号", SEQ))

PLACEHOLDERS = {"无", "暂无", "没有", "空", "-", "--", "—", "——", "/", "\\", "、", "n/a", "na", "null", "none",
                "无。", "…", "...", "x", "×", "0"}
GENDERS = {"男": "男", "男性": "男", "男士": "男", "先生": "男", "m": "男", "male": "男",
           "女": "女", "女性": "女", "女士": "女", "小姐": "女", "f": "女", "female": "女"}
DASHES = re.compile(r"[‐‑‒–—―−－ー]")
SPACES = re.compile(r"[\s\u3000\xa0]+")
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # C0/C1 controls, keeping tab and line breaks
CJK_SPACE = re.compile(r"(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])")
LABEL_NOISE = re.compile(r"[（(][^）)]*[）)]|[\s\u3000*＊:：/、．.,，\-_]")
UNIT_LINE = re.compile(r"(?:填报|报送|填表|所在)?单位(?:名称)?\s*(?:[（(]\s*(?:盖章|公章)\s*[)）])?\s*[:：]\s*"
                       r"([^\s:：，,;；（(]+)")
INSTRUCTION = re.compile(r"^(注|说明|备注|填表|填报|审核|制表|联系人|负责人|日期|合计|总计|单位|报送|附件)")
SCIENTIFIC = re.compile(r"^\d(\.\d+)?e\+?\d+$", re.IGNORECASE)
EXTENSION = re.compile(r"[(（]?\s*(?:转|分机|ext\.?|x|#)\s*(\d{1,6})\s*[)）]?\s*$", re.IGNORECASE)
COUNTRY = re.compile(r"^\s*[(（]?\s*(?:\+|00)86\s*[)）]?[\s-]*")
AREA = re.compile(r"0(?:10|2\d|[3-9]\d\d)")
LOCAL = re.compile(r"[2-9]\d{6,7}")
MOBILE = re.compile(r"1[3-9]\d{9}")


@dataclass(frozen=True)
class Column:
    """Describe one column of a table: position, the field it holds, its header as written, its letter."""

    index: int
    field: str
    label: str
    letter: str


@dataclass
class Record:
    """Hold one data row: its 1-based row number and its raw cells by field, plus unknown columns."""

    row: int
    cells: dict[str, object]
    extras: list[tuple[Column, str]] = field(default_factory=list)


@dataclass
class Table:
    """Hold what a sheet says: its columns, data rows, the 填报单位 it names and its text above the header."""

    header_row: int
    columns: list[Column]
    records: list[Record]
    unit_line: str = ""
    titles: list[str] = field(default_factory=list)

    def column(self, name: str) -> Column | None:
        """Return the column holding a field, or None when the table has none."""
        return next((c for c in self.columns if c.field == name), None)


@dataclass(frozen=True)
class Issue:
    """Describe a value that could not be cleaned: problem code, field, value as written and why."""

    code: str
    field: str
    value: str = ""
    reason: str = ""


@dataclass
class Person:
    """Hold the cleaned values of one person (by field) and the issues found on the way."""

    values: dict[str, str]
    issues: list[Issue]


# Text ------------------------------------------------------------------------------------
def text(value) -> str:
    """Return a cell as text: whole numbers without '.0', dates in ISO form, no control characters or outer spaces."""
    if type(value) is str:
        return _visible(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, (dt.date, dt.time, dt.timedelta)):
        return value.isoformat() if not isinstance(value, dt.timedelta) else str(value)
    return _visible(str(value))


def _visible(value: str) -> str:
    """Return text without control characters (NUL, BEL …) and without surrounding spaces."""
    return (value if value.isprintable() else CONTROL.sub("", value)).strip()


def fold(value: str) -> str:
    """Fold full-width digits, letters and dashes to ASCII (for phone numbers)."""
    return DASHES.sub("-", unicodedata.normalize("NFKC", value))


def is_placeholder(value: str) -> bool:
    """Tell whether text only says 'nothing' (无, 暂无, -, ／ …)."""
    return fold(value).strip().lower() in PLACEHOLDERS


def plain(value) -> str:
    """Return a cell as one line of text with runs of spaces collapsed, or '' for a placeholder."""
    value = SPACES.sub(" ", text(value)).strip()
    return "" if is_placeholder(value) else value


def compact(value) -> str:
    """Return text without spaces next to Chinese characters (李　玥 → 李玥), or '' for a placeholder."""
    return CJK_SPACE.sub("", plain(value))


# Header ----------------------------------------------------------------------------------
def label_key(value) -> str:
    """Return a header text reduced for comparison: no spaces, punctuation or (remarks), lower case."""
    return LABEL_NOISE.sub("", unicodedata.normalize("NFKC", text(value))).lower()


@lru_cache(maxsize=4096)
def field_of(value) -> str | None:
    """Return the field a header text names (a FIELDS name, seq or contact), or None."""
    key = label_key(value)
    if not key:
        return None
    if key in EXACT:
        return EXACT[key]
    if len(key) > MAX_FALLBACK_LABEL:
        return None
    return next((name for word, name in KEYWORDS if word in key), None)


def _fields(row: list) -> set[str]:
    return {f for f in map(field_of, row) if f and f != SEQ}


def is_header(row: list) -> bool:
    """Tell whether a row reads as a header: three known columns, or two with a name column."""
    found = _fields(row)
    return len(found) >= 3 or (len(found) == 2 and "name" in found)


def is_subheader(row: list, top: list) -> bool:
    """Tell whether the row under a header continues it: each cell not merged down from above is a column name."""
    new = [cell for i, cell in enumerate(row) if text(cell) and text(cell) != text(top[i] if i < len(top) else "")]
    return bool(new) and all(field_of(cell) for cell in new)


def letter(index: int, grid: bool = True) -> str:
    """Return a column's name as a clerk sees it: G for a spreadsheet, 第7列 for a Word table."""
    if not grid:
        return f"第{index + 1}列"
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def header_columns(top: list, sub: list | None, grid: bool = True) -> list[Column]:
    """Map every column of a one- or two-row header to a field; a field claimed twice goes to the note."""
    width = max(len(top), len(sub or []))
    labels = [_label(top, sub, i) for i in range(width)]
    fields = [field_of(label) or EXTRA for label in labels]
    fields = _resolve(fields)
    return [Column(i, fields[i], labels[i], letter(i, grid)) for i in range(width)]


def _label(top: list, sub: list | None, index: int) -> str:
    upper = plain(top[index]) if index < len(top) else ""
    lower = plain(sub[index]) if sub and index < len(sub) else ""
    return lower if lower and field_of(lower) else upper


def _resolve(fields: list[str]) -> list[str]:
    """Decide what 联系电话 columns hold, and send a second column of the same field to the note."""
    present = set(fields)
    for i, name in enumerate(fields):
        if name == CONTACT:
            name = next((f for f in ("mobile", "office_phone") if f not in present), EXTRA)
            present.add(name)
        fields[i] = EXTRA if name in fields[:i] and name not in (EXTRA, SEQ) else name
    return fields


def find_table(rows: list[list], grid: bool = True, notes: tuple[str, ...] = ()) -> Table | None:
    """Return the table of a sheet (header found among its first rows), or None when it has no header."""
    top = next((i for i, row in enumerate(rows[:HEADER_SCAN_ROWS]) if is_header(row)), None)
    if top is None:
        return None
    sub = rows[top + 1] if top + 1 < len(rows) and is_subheader(rows[top + 1], rows[top]) else None
    columns = header_columns(rows[top], sub, grid)
    last = top + (2 if sub else 1)
    records, leftovers = _records(rows, last, columns)
    titles = [line for row in rows[:top] for line in _lines(row)] + list(notes)
    unit = unit_line(titles + [line for row in leftovers for line in _lines(row)])
    return Table(last, columns, records, unit, titles)


def _lines(row: list) -> list[str]:
    seen = dict.fromkeys(line.strip() for cell in row for line in text(cell).splitlines())
    return [line for line in seen if line]


def unit_line(lines: list[str]) -> str:
    """Return the unit named by the first 填报单位：X line, or ''."""
    return next((m.group(1) for line in lines if (m := UNIT_LINE.search(line))), "")


# Rows ------------------------------------------------------------------------------------
def _records(rows: list[list], start: int, columns: list[Column]) -> tuple[list[Record], list[list]]:
    """Split the rows under the header into person records and other lines (notes, repeated headers)."""
    records, leftovers = [], []
    for index in range(start, len(rows)):
        row = rows[index]
        if not any(text(cell) for cell in row):
            continue
        record = _record(index + 1, row, columns)
        if record is None or is_header(row) or is_instruction(row):
            leftovers.append(row)
        else:
            records.append(record)
    return records, leftovers


def _record(number: int, row: list, columns: list[Column]) -> Record | None:
    """Return the row as a Record when it names a person (any of name, phone, gender, title is filled)."""
    cells = {c.field: row[c.index] for c in columns if c.field in FIELDS and c.index < len(row)}
    if not any(plain(cells.get(name)) for name in PERSON_FIELDS):
        return None
    extras = [(c, plain(row[c.index])) for c in columns if c.field == EXTRA and c.index < len(row)]
    return Record(number, cells, [(c, value) for c, value in extras if value])


def is_instruction(row: list) -> bool:
    """Tell whether a row is a note line rather than a person: 注：…, 合计, or only 'label：value' cells."""
    filled = list(dict.fromkeys(value for cell in row if (value := plain(cell))))
    if len(filled) == 1 and (INSTRUCTION.match(filled[0]) or len(filled[0]) > 20):
        return True
    return len(filled) <= 3 and all(":" in value or "：" in value for value in filled)


# Values ----------------------------------------------------------------------------------
def clean_name(value) -> str:
    """Return a name without spaces between Chinese characters (李　玥 → 李玥)."""
    return compact(value)


def clean_gender(value) -> tuple[str, bool]:
    """Return 男 or 女 for the usual variants (男性, M, 女士 …); else the text as written and False."""
    written = plain(value)
    if not written:
        return "", True
    key = unicodedata.normalize("NFKC", written).replace(" ", "").lower()
    return (GENDERS[key], True) if key in GENDERS else (written, False)


def clean_mobile(value) -> tuple[str, str]:
    """Return (11-digit mobile, '') or (the text as written, why it is wrong); ('', '') when empty."""
    written = plain(value)
    if not written:
        return "", ""
    folded = fold(written).strip()
    if SCIENTIFIC.match(folded):
        return written, "显示为科学计数法，后几位已丢失"
    digits = re.sub(r"[\s\-()（）.]", "", COUNTRY.sub("", folded))
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    if MOBILE.fullmatch(digits):
        return digits, ""
    return written, _mobile_reason(digits)


def _mobile_reason(digits: str) -> str:
    if len(re.findall(r"1[3-9]\d{9}", digits)) > 1:
        return "填了多个号码"
    if not digits.isdigit():
        return "含有数字以外的字符"
    if len(digits) != 11:
        return f"只有 {len(digits)} 位" if len(digits) < 11 else f"有 {len(digits)} 位"
    return "不是以 1 开头的手机号码"


def clean_office_phone(value) -> tuple[str, str]:
    """Return (AREA-NUMBER[-EXT], '') or (the text as written, why it is wrong); ('', '') when empty.

    A number that lost its leading zero (stored as a number) gets it back: 10 and 2X are the
    three-digit area codes 010 and 02X, any other code has four digits (0755).
    """
    written = plain(value)
    if not written:
        return "", ""
    folded = COUNTRY.sub("", fold(written).strip())
    body, ext = _split_extension(folded)
    if re.search(r"[^\d\s\-()]", body):
        return written, "含有数字以外的字符"
    groups = re.findall(r"\d+", body)
    if len(groups) == 1 and MOBILE.fullmatch(groups[0]):
        return groups[0], "是手机号码，不是座机号码"
    return _phone(written, groups, ext)


def _split_extension(value: str) -> tuple[str, str]:
    match = EXTENSION.search(value)
    return (value[: match.start()], match.group(1)) if match else (value, "")


def _phone(written: str, groups: list[str], ext: str) -> tuple[str, str]:
    if len(groups) == 3 and not ext:
        groups, ext = _three_groups(groups)
    if len(groups) > 2 or not groups:
        return written, "格式无法识别（一格只填一个号码）"
    area, number = _area_and_number(groups)
    if not area and LOCAL.fullmatch(number):
        return written, "缺少区号"
    if not (AREA.fullmatch(area) and LOCAL.fullmatch(number)):
        return written, "位数不对或区号有误"
    return f"{area}-{number}" + (f"-{ext}" if ext else ""), ""


def _three_groups(groups: list[str]) -> tuple[list[str], str]:
    """Read 010-6208-3702 as one local number, and 010-62083702-123 as a number with an extension."""
    area, middle, last = groups
    if len(middle) in (3, 4) and len(last) == 4 and len(middle + last) in (7, 8):
        return [area, middle + last], ""
    return [area, middle], last


def _area_and_number(groups: list[str]) -> tuple[str, str]:
    """Split digit groups into an area code (leading zero restored) and a local number."""
    if len(groups) == 2:
        area, number = groups
        if not area.startswith("0") and len(area) > 2 and LOCAL.fullmatch(area + number):
            return "", area + number  # 6208-3702: a local number written in two halves
        return (area if area.startswith("0") else "0" + area), number
    digits = groups[0]
    if LOCAL.fullmatch(digits):
        return "", digits
    if not digits.startswith("0"):
        digits = "0" + digits
    size = 3 if digits[1] in "12" else 4
    return digits[:size], digits[size:]


def clean_record(record: Record, columns: list[Column]) -> Person:
    """Clean one person's values and collect what is wrong with them (missing name or mobile, bad values)."""
    cells = record.cells
    values = {"unit": plain(cells.get("unit")), "name": clean_name(cells.get("name")),
              "title": compact(cells.get("title")), "note": _note(cells.get("note"), record.extras)}
    issues: list[Issue] = []
    values["gender"] = _checked_gender(cells.get("gender"), issues)
    values["mobile"] = _checked_phone(cells.get("mobile"), clean_mobile, "mobile", "invalid_mobile", issues)
    values["office_phone"] = _checked_phone(cells.get("office_phone"), clean_office_phone, "office_phone",
                                            "invalid_office_phone", issues)
    issues[:0] = _missing(values)
    return Person(values, issues)


def _note(value, extras: list[tuple[Column, str]]) -> str:
    parts = [plain(value)] + [f"{column.label or column.letter}：{extra}" for column, extra in extras]
    return "；".join(part for part in parts if part)


def _checked_gender(value, issues: list[Issue]) -> str:
    gender, ok = clean_gender(value)
    if not ok:
        issues.append(Issue("invalid_gender", "gender", gender))
    return gender


def _checked_phone(value, cleaner, name: str, code: str, issues: list[Issue]) -> str:
    cleaned, reason = cleaner(value)
    if reason:
        issues.append(Issue(code, name, plain(value), reason))
    return cleaned


def _missing(values: dict[str, str]) -> list[Issue]:
    found = [Issue("missing_name", "name")] if not values["name"] else []
    return found + ([Issue("missing_mobile", "mobile")] if not values["mobile"] else [])


def majority(items: list[str]) -> str:
    """Return the most frequent non-empty item (the first seen on a tie), or ''."""
    counts = Counter(item for item in items if item)
    return max(counts, key=counts.get) if counts else ""
