"""Make the personalised copies of a fill-in form: one template built with openpyxl, each copy by substitution.

form_bytes builds a form with openpyxl (the reference path: the blank form, and any copy with prefilled
rows). FormCopies builds the form once more, personalised for a placeholder unit whose name and id are
markers, then makes each unit's copy by rewriting only the parts that name the unit: the worksheet (the
填报单位 line, the unit column's first data cell and the height of the 填表说明 row), docProps/core.xml
(the title) and docProps/custom.xml (recipient_id). The markers are replaced by the unit's text escaped
as openpyxl escapes it, so each copy is byte for byte what form_bytes writes for that unit (tests compare
both). A copy that cannot be made so (prefilled rows, a name XML cannot hold, a spec whose text happens
to hold a marker) is built by form_bytes instead.
"""

from __future__ import annotations

import datetime as dt

from ..core.recipients import Recipient
from ..xlsx.copies import PackageCopies, property_text, row_start, sheet_text, xml_safe
from ..xlsx.writer import stamp_workbook, workbook_bytes
from .prefill import fill_rows
from .spec import FormSpec
from .workbook import INSTRUCTION_ROW, form_workbook, instruction_height

NAME_MARKER = "ZZUNITNAME7F3A9C1EZZ"  # the placeholder unit's name and id: plain ASCII, escaped alike everywhere
ID_MARKER = "zzrecipientid7f3a9c1ezz"
CORE, CUSTOM = "docProps/core.xml", "docProps/custom.xml"


def form_bytes(spec: FormSpec, *, authority: str, day: dt.date, unit: Recipient | None = None,
               rows: list[dict[str, str]] = ()) -> bytes:
    """Build one form (blank, or personalised for unit, prefilled with rows) with openpyxl; return its bytes."""
    workbook = form_workbook(spec, unit)
    fill_rows(workbook.active, spec, list(rows))
    stamp_workbook(workbook, spec.title + (f"（{unit.name}）" if unit else ""), authority, day)
    return workbook_bytes(workbook, day)


class FormCopies:
    """Build a form's template once; return each unit's personalised copy (identical to form_bytes's)."""

    def __init__(self, spec: FormSpec, *, authority: str, day: dt.date):
        self.spec, self.stamp = spec, {"authority": authority, "day": day}
        self.placeholder = Recipient(ID_MARKER, NAME_MARKER, (), "", 0)
        self.package = PackageCopies(form_bytes(spec, unit=self.placeholder, **self.stamp))
        self.row = row_start(INSTRUCTION_ROW, instruction_height(spec, self.placeholder))
        self.sheet = self._sheet_part()

    def form(self, unit: Recipient, rows: list[dict[str, str]] = ()) -> bytes:
        """Return the unit's personalised form: by substitution, or with openpyxl when it has prefilled rows."""
        if rows or not self.sheet or not (xml_safe(unit.name) and xml_safe(unit.id)):
            return form_bytes(self.spec, unit=unit, rows=rows, **self.stamp)
        sheet = self.package.text(self.sheet)
        if self.spec.unit_column is not None:
            space = ' xml:space="preserve"' if unit.name != unit.name.strip() else ""
            sheet = sheet.replace(f"<t>{NAME_MARKER}</t>", f"<t{space}>{sheet_text(unit.name)}</t>")
        sheet = sheet.replace(NAME_MARKER, sheet_text(unit.name)).replace(
            self.row, row_start(INSTRUCTION_ROW, instruction_height(self.spec, unit)))
        return self.package.copy({
            self.sheet: sheet.encode("utf-8"),
            CORE: self.package.text(CORE).replace(NAME_MARKER, property_text(unit.name)).encode("utf-8"),
            CUSTOM: self.package.text(CUSTOM).replace(ID_MARKER, property_text(unit.id)).encode("utf-8"),
        })

    def _sheet_part(self) -> str:
        """Return the worksheet part naming the placeholder where expected, or '' when substitution is unsafe."""
        texts = {name: self.package.text(name) for name in self.package.parts}
        named = {name: text.count(NAME_MARKER) for name, text in texts.items() if NAME_MARKER in text}
        tagged = {name: text.count(ID_MARKER) for name, text in texts.items() if ID_MARKER in text}
        cells = 1 + (self.spec.unit_column is not None)
        sheets = [name for name, count in named.items() if name != CORE and count == cells]
        if len(named) != 2 or named.get(CORE) != 1 or tagged != {CUSTOM: 1} or len(sheets) != 1:
            return ""
        text = texts[sheets[0]]
        unit_cells = text.count(f"<t>{NAME_MARKER}</t>")
        return sheets[0] if text.count(self.row) == 1 and unit_cells == cells - 1 else ""
