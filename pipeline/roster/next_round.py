"""Write the next round's recipients list from a consolidation: each unit with the contact it last sent."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..core.output import atomic_write
from ..core.recipients import COLUMNS, Recipient, load_recipients
from ..history import History
from .readback import RosterResult, read_result

CONTACT_KEYS = ("name",)  # the roster column naming a person
PHONE_KEYS = ("mobile", "phone", "office_phone")  # the roster columns with a number to call, in preference


def unit_contact(rows: list[dict[str, str]]) -> tuple[str, str]:
    """Return the first (name, phone) a unit's rows give, or ('', '')."""
    for row in rows:
        name = next((row[k] for k in CONTACT_KEYS if row.get(k)), "")
        phone = next((row[k] for k in PHONE_KEYS if row.get(k)), "")
        if name or phone:
            return name, phone
    return "", ""


def recipients_from_roster(folder: Path, out_path: Path, recipients_path: Path | None = None) -> int:
    """Write a recipients CSV (id,name,aliases,category,contact,phone) for every unit of the consolidation in
    folder; aliases come from recipients_path when given. Return the number of units."""
    done = read_result(folder)
    known = {u.id: u for u in load_recipients(recipients_path)} if recipients_path else {}
    atomic_write(Path(out_path), recipients_csv(done, known))
    return len(done.units)


def recipients_csv(done: RosterResult, known: dict[str, Recipient]) -> bytes:
    """Return the recipients CSV of a consolidation (UTF-8 with BOM), contacts from each unit's rows."""
    contacts, buffer = done.rows_by_unit(), io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for unit in done.units:
        old = known.get(unit.id)
        name, phone = unit_contact(contacts.get(unit.id, []))
        writer.writerow([unit.id, unit.name, "|".join(old.aliases) if old else "", unit.category,
                         name or (old.contact if old else ""), phone or (old.phone if old else "")])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def known_contacts(units: list[Recipient], history: History | None = None) -> dict[str, tuple[str, str]]:
    """Return whom to phone per unit id: the recipients list's contact and phone, else the unit's rows in the
    latest run of the history that has any."""
    found = {u.id: (u.contact, u.phone) for u in units if u.contact or u.phone}
    for run in reversed(history.runs() if history else []):
        rows: dict[str, list[dict[str, str]]] = {}
        for entry in history.entries(run["run"]):
            rows.setdefault(entry.unit_id, []).append(entry.fields)
        for unit_id, fields in rows.items():
            if unit_id and unit_id not in found and any(unit_contact(fields)):
                found[unit_id] = unit_contact(fields)
    return found
