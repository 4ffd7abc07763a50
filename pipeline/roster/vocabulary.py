"""Gather the header texts a returned sheet may use for each column of a form's spec, and what makes a header."""

from __future__ import annotations

import re
import unicodedata

from ..forms.columns import CONTACT_KEY, NOTE_KEY, UNIT_KEY, is_contact
from ..forms.spec import CONTACT_SPEC, FormSpec
from .cleaning import text

SEQ, CONTACT, EXTRA, SKIP = "seq", "contact", "", "skip"  # 序号; 联系电话 (decided by the other columns); unknown;
# a column our own sheets add that holds no data (the 问题 column of a correction sheet)
SKIPPED = ("问题", "更正说明")
MAX_FALLBACK_LABEL = 12  # longer header text (a title, an instruction) is never taken for a column name
SYNONYMS = {  # what units write for the contact form's columns (and for any form's 序号 and unit column)
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
KEYWORDS = (("手机", "mobile"), ("移动电话", "mobile"), ("座机", "office_phone"), ("办公电话", "office_phone"),
            ("固定电话", "office_phone"), ("姓名", "name"), ("联系人", "name"), ("性别", "gender"), ("职务", "title"),
            ("职级", "title"), ("职称", "title"), ("级别", "title"), ("单位", "unit"), ("部门", "unit"),
            ("备注", "note"), ("电话", CONTACT), ("序号", SEQ))
PHONE_KEYS = ("mobile", "office_phone")  # what a 联系电话 column may turn out to hold
EXACT_NOISE = re.compile(r"[\s\u3000*＊]")
LABEL_NOISE = re.compile(r"[（(][^）)]*[）)]|[\s\u3000*＊:：/、．.,，\-_]")


def label_key(value) -> str:
    """Return a header text reduced for comparison: no spaces, punctuation or (remarks), lower case."""
    return LABEL_NOISE.sub("", unicodedata.normalize("NFKC", text(value))).lower()


def exact_key(value) -> str:
    """Return a header text reduced only by width, case, spaces and required marks: 营业收入（2023年） stays
    apart from 营业收入（2024年）, which label_key would make equal."""
    return EXACT_NOISE.sub("", unicodedata.normalize("NFKC", text(value))).lower()


class Vocabulary:
    """Hold what a form's header may say: header text → field, keywords, and which fields make a row an entry.

    Compared by identity, so that a header text's field can be cached per vocabulary.
    """

    def __init__(self, spec: FormSpec):
        self.spec = spec
        self.fields = tuple(c.key for c in spec.columns if c.type != "index")
        self.data_keys = tuple(c.key for c in spec.data_columns)
        self.labels = {c.key: c.name for c in spec.columns}
        self.merges_note = any(c.key == NOTE_KEY and is_contact(c) for c in spec.data_columns)  # extras go there
        self.entry_fields = tuple(c.key for c in spec.data_columns if c.key != NOTE_KEY or not self.merges_note)
        self.exact = _exact(spec)
        self.names = {exact_key(label): SEQ if c.type == "index" else c.key for c in reversed(spec.columns)
                      for label in reversed(c.labels)}  # the spec's own labels, before any reduction
        speaking = {_field(c) for c in spec.columns if _speaks(c)} | {CONTACT}
        self.keywords = tuple((word, name) for word, name in KEYWORDS if name in speaking and name in self.exact.values())
        self.need = min(3, len(set(self.fields)))
        required = [c.key for c in spec.data_columns if c.required]
        self.anchor = (required or list(self.entry_fields) or [UNIT_KEY])[0]
        self.nouns = nouns(spec)

    def resolve_contact(self, present: set[str]) -> str:
        """Return what a 联系电话 column holds: the phone field the table does not have yet, else EXTRA."""
        return next((f for f in PHONE_KEYS if f in self.fields and f not in present), EXTRA)


def nouns(spec: FormSpec) -> dict[str, str]:
    """Return what messages call a form's rows (联系人 counted in 人, or 条目 in 条) and its telling columns."""
    shown = [c.name for c in spec.data_columns if c.required] or [c.name for c in spec.data_columns]
    people = spec.entry_key == CONTACT_KEY and spec.is_person_key
    return {"entries": "联系人" if people else "条目", "measure": "人" if people else "条",
            "expected": "".join(f"“{name}”" for name in shown[:2])}


def _exact(spec: FormSpec) -> dict[str, str]:
    """Map header texts to fields: each column's name and aliases first, then the usual synonyms of its key."""
    exact: dict[str, str] = {}
    for column in spec.columns:
        for label in column.labels:
            exact.setdefault(label_key(label), SEQ if column.type == "index" else column.key)
    for column in filter(_speaks, spec.columns):
        for label in SYNONYMS.get(_field(column), ()):
            exact.setdefault(label_key(label), _field(column))
    for label in SKIPPED:
        exact.setdefault(label_key(label), SKIP)
    if any(_speaks(c) and c.key in PHONE_KEYS for c in spec.columns):
        for label in SYNONYMS[CONTACT]:
            exact.setdefault(label_key(label), CONTACT)
    return exact


def _field(column) -> str:
    return SEQ if column.type == "index" else column.key


def _speaks(column) -> bool:
    """Tell whether the usual synonyms of a column apply: 序号 and the unit column always, else a contact column."""
    return column.type in ("index", "unit") or is_contact(column)


CONTACT_WORDS = Vocabulary(CONTACT_SPEC)  # what a roster reads without a spec
