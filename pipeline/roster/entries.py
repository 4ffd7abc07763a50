"""Clean one returned row by its form's columns, and say what is missing or wrong in it."""

from __future__ import annotations

from ..core.text import CONTROLS
from ..forms.columns import NOTE_KEY, TYPES, is_contact
from ..forms.spec import FormSpec
from .cleaning import Fault, Person, plain
from .values import clean_value

RANK = {kind: i for i, kind in enumerate(TYPES)}
MISSING_CODES = {"name": "missing_name", "mobile": "missing_mobile"}  # the contact form's own codes


def clean_entry(spec: FormSpec, cells: dict[str, object], extras: list[tuple[str, object]]) -> Person:
    """Clean one row's values (cells by key; extras are (column label, value) of columns the form lacks).

    Extras go into the 备注 column when the form has one. Faults: required values missing first, then wrong
    values in the order of the types (as the contact form has always listed them), then control characters.
    """
    values, faults = {}, []
    for column in sorted(spec.columns, key=lambda c: RANK[c.type]):
        if column.type != "index":
            values[column.key], fault = clean_value(column, cells.get(column.key))
            faults += [fault] if fault else []
    if any(c.key == NOTE_KEY and is_contact(c) for c in spec.columns):
        values[NOTE_KEY] = note(values[NOTE_KEY], extras)
    missing = [Fault(MISSING_CODES[c.key] if c.key in MISSING_CODES and is_contact(c) else "missing_value", c.key)
               for c in spec.data_columns if c.required and not values[c.key]]
    controls = [Fault("control_characters", key) for key, value in cells.items()
                if type(value) is str and CONTROLS.search(value)]
    return Person(values, missing + faults + controls)


def note(value: str, extras: list[tuple[str, object]]) -> str:
    """Return the 备注 text with the columns the form lacks appended as 'label：value'."""
    parts = [value] + [f"{label}：{plain(extra)}" for label, extra in extras]
    return "；".join(part for part in parts if part)
