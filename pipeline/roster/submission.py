"""Turn one read file into a submission: its table, cleaned people, the unit it belongs to, and its problems.

Matching order: the personalised form's recipient_id property; then the unit named in the cells (a
填报单位：X line, the 工作单位 column, a title line); then the file name and its folders. A recipient_id
that disagrees with the unit the cells (or, without one there, the file name) name is a unit_mismatch:
the file counts for neither unit, its people are kept without a unit.
"""

from __future__ import annotations

from ..core.problems import RETURN_TEMPLATES, Problem, make
from ..core.recipients import Recipient
from ..core.text import CONTROLS
from ..forms.columns import UNIT_KEY
from .cleaning import Person, text
from .entries import clean_entry
from .header import Record, ReturnedTable, find_table, majority
from .matching import UnitMatcher
from .places import Place
from .limits import EMPTY
from .records import IGNORED, UNREADABLE, RawFile, RawSheet, Submission
from .vocabulary import CONTACT_WORDS, Vocabulary

EVIDENCE = {"line": "表内的“填报单位”", "column": "工作单位列", "title": "表格标题", "file_name": "文件名"}


def problem(code: str, place: Place, sheet: str = "", row: int | None = None, field: str = "", column: str = "",
            **values) -> Problem:
    """Build the Problem of a code for a returned file (plain, or a member of an archive)."""
    return make(code, place.file, sheet, row, field, column, members=place.members, catalogue=RETURN_TEMPLATES,
                **values)


def read_submission(raw: RawFile, matcher: UnitMatcher, words: Vocabulary = CONTACT_WORDS) -> Submission:
    """Turn one RawFile into a Submission: tables read by the form's vocabulary, cleaned rows, unit, problems."""
    sub = Submission(raw.place, raw.mtime, nouns=words.nouns)
    if raw.ignored:
        sub.status = IGNORED
        if raw.note:
            sub.problems.append(problem("ignored_file", raw.place, note=raw.note, reason=raw.reason))
    elif raw.reason:
        unreadable(sub, matcher, problem("unreadable_file", raw.place, note=raw.note, reason=raw.reason))
    else:
        _read_tables(sub, raw, matcher, words)
    return sub


def unreadable(sub: Submission, matcher: UnitMatcher, found: Problem) -> None:
    """Mark a submission unreadable with its problem, matched to a unit by its file name only."""
    sub.status = UNREADABLE
    sub.problems.append(found)
    sub.unit = matcher.first(sub.place.texts())
    sub.matched_by = "file_name" if sub.unit else ""


def _read_tables(sub: Submission, raw: RawFile, matcher: UnitMatcher, words: Vocabulary) -> None:
    tables = [(sheet, table) for sheet in raw.sheets
              if (table := find_table(sheet.rows, sheet.grid, sheet.notes, words))]
    if any(not sheet.hidden for sheet, _ in tables):  # a hidden sheet (the form's 选项) is read only when alone
        tables = [(sheet, table) for sheet, table in tables if not sheet.hidden]
    if not tables:
        _headless(sub, raw, matcher)
        return
    people = [(sheet, table, row, clean_entry(words.spec, row.cells, [(c.label or c.letter, v) for c, v in row.extras]))
              for sheet, table in tables for row in table.records]
    _assign_unit(sub, raw, tables, people, matcher)
    sub.unit_text = next((t.unit_line for _, t in tables if t.unit_line), "")
    for sheet, table, row, person in people:
        _add_person(sub, sheet, table, row, person, matcher, words)
    _table_problems(sub, tables, people, words)


def _headless(sub: Submission, raw: RawFile, matcher: UnitMatcher) -> None:
    """Report a file without a header: no_header when it has text, else it is empty (not even a header)."""
    if any(text(cell) for sheet in raw.sheets for row in sheet.rows for cell in row):
        unreadable(sub, matcher, problem("no_header", raw.place, **sub.nouns))
    else:
        unreadable(sub, matcher, problem("unreadable_file", raw.place, note=EMPTY, reason="empty"))


def _assign_unit(sub: Submission, raw: RawFile, tables, people, matcher: UnitMatcher) -> None:
    """Match a readable file to a unit: property, 填报单位 line, 工作单位 column, title, then file name.

    A property is contradicted only by the cells, or (when they name no unit) by the file's own name, never
    by the archive or folder it came in: 北京天津材料.zip may well hold 天津's form.
    """
    written, how = _written_unit(tables, people, matcher)
    claimed = matcher.by_id.get(raw.recipient_id)
    if claimed:
        evidence, how = (written, how) if written else (matcher.match(raw.place.stem), "file_name")
        if evidence and evidence is not claimed:
            sub.conflict = True
            sub.problems.append(problem("unit_mismatch", raw.place, claimed=claimed.name, evidence=EVIDENCE[how],
                                        written=evidence.name, count=len(people), **sub.nouns))
        else:
            sub.unit, sub.matched_by = claimed, "property"
    elif written:
        sub.unit, sub.matched_by = written, how
    else:
        sub.unit = matcher.first(raw.place.texts())
        sub.matched_by = "file_name" if sub.unit else ""


def _written_unit(tables, people, matcher: UnitMatcher) -> tuple[Recipient | None, str]:
    """Return the unit the cells name (填报单位 line, 工作单位 column, title) and how it was found."""
    for how, texts in (("line", [t.unit_line for _, t in tables]), ("column", [_column_unit(people, matcher)]),
                       ("title", [line for _, t in tables for line in t.titles])):
        unit = matcher.first(texts)
        if unit:
            return unit, how
    return None, ""


def _column_unit(people, matcher: UnitMatcher) -> str:
    ids = [unit.id for *_, person in people if (unit := matcher.match(person.values.get(UNIT_KEY, "")))]
    best = majority(ids)
    return matcher.by_id[best].name if best else ""


def _add_person(sub: Submission, sheet: RawSheet, table: ReturnedTable, record: Record, person: Person, matcher,
                words: Vocabulary) -> None:
    values, written_unit = person.values, person.values.get(UNIT_KEY, "")
    sub.rows.append({"unit_id": "", "unit": written_unit, **{k: values[k] for k in words.data_keys},
                     "source_file": str(sub.place), "source_sheet": sheet.name, "source_row": record.row})
    for fault in person.faults:
        sub.flagged.add((len(sub.rows) - 1, fault.field))
        sub.problems.append(_cell_problem(fault.code, sub, sheet, table, record, fault.field, words,
                                          value=fault.value, why=fault.why,
                                          name=values.get("name") or "（无姓名）"))
    for column, raw in record.extras:  # a column the form does not have
        if type(raw) is str and CONTROLS.search(raw):
            sub.problems.append(problem("control_characters", sub.place, sheet.name, record.row, column.label,
                                        column.letter))
    written = matcher.match(written_unit) if written_unit else None
    if sub.unit and written and written is not sub.unit:
        sub.problems.append(_cell_problem("unit_cell_mismatch", sub, sheet, table, record, UNIT_KEY, words,
                                          value=written_unit, unit=sub.unit.name))


def _cell_problem(code: str, sub: Submission, sheet: RawSheet, table: ReturnedTable, record: Record, field_name: str,
                  words: Vocabulary, **values) -> Problem:
    column = table.column(field_name)
    label, letter = (column.label, column.letter) if column else (words.labels.get(field_name, field_name), "")
    return problem(code, sub.place, sheet.name, record.row, label, letter, **values)


def _table_problems(sub: Submission, tables, people, words: Vocabulary) -> None:
    """Report extra columns (their content went to 备注, when the form has one), and a return without entries."""
    fate = "已并入备注" if words.merges_note else "未汇总，请核对该单位是否改动了表格"
    for sheet, table in tables:
        used = {column for record in table.records for column, _ in record.extras}
        for column in (c for c in table.columns if c in used):
            sub.problems.append(problem("extra_column", sub.place, sheet.name, table.header_row,
                                        column.label or "（无表头）", column.letter, fate=fate))
    if not people:
        sub.problems.append(problem("empty_return", sub.place, **sub.nouns))
