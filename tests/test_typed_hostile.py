"""Test the typed form spec against hostile and unusual input: spec files, returned files and generated forms."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.core.errors import InputError
from pipeline.forms.spec import read_spec

FORM = "form: {instruction: 请如实填写。, rows: 5}\n"
RECIPIENTS = "id,name,aliases,category\nqinghe,示例市青河区科技局,青河区,区\nbaishi,示例市白石区科技局,白石区,\n"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def spec_errors(tmp_path: Path, text: str) -> list[tuple[int, str]]:
    """Return (line, field) of every error read_spec finds in a spec text."""
    with pytest.raises(InputError) as caught:
        read_spec(write(tmp_path / "spec.yaml", text))
    return [(p.row, p.field) for p in caught.value.errors]


@pytest.mark.parametrize("bounds", ["min: .nan", "max: .inf", "min: -.inf", "min: 99999999999999999999",
                                    "min: 1899-12-31"])
def test_a_bound_excel_cannot_hold_is_refused(tmp_path, bounds):
    kind = "date" if "1899" in bounds else "decimal"
    text = f"title: 表\ncolumns:\n  - {{name: 金额, key: amount, type: {kind}, {bounds}}}\n" + FORM
    assert spec_errors(tmp_path, text) == [(3, "columns[1]." + bounds.split(":")[0])]
