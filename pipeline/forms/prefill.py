"""Fill a unit's known rows (from a previous round's roster) into the data rows of its form."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from .spec import FormSpec
from .workbook import FIRST_DATA_ROW


def typed_value(kind: str, text: str):
    """Return a consolidated value as the cell should hold it: a date, a number, or the text itself."""
    try:
        if kind == "date":
            return dt.date.fromisoformat(text)
        if kind == "integer":
            return int(text)
        if kind == "decimal":
            number = Decimal(text)
            return int(number) if number == number.to_integral_value() else float(number)
    except (ValueError, InvalidOperation):
        pass
    return text


def fill_rows(sheet, spec: FormSpec, rows: list[dict[str, str]]) -> int:
    """Write rows (values by column key) into the form's data rows, at most spec.rows; return how many were written.

    The 序号 column keeps its numbers; keys the form does not have are left out.
    """
    written = rows[: spec.rows]
    for offset, row in enumerate(written):
        for index, column in enumerate(spec.columns, start=1):
            value = row.get(column.key, "")
            if column.type != "index" and value:
                cell = sheet.cell(FIRST_DATA_ROW + offset, index)
                cell.value = typed_value(column.type, value)
                cell.data_type = "s" if isinstance(cell.value, str) else cell.data_type
    return len(written)
