"""Project the ruler's findings onto their fields, so tests assert on codes and places, never on messages."""

from __future__ import annotations

from pipeline.check.findings import Finding


def keys(findings: list[Finding]) -> set[tuple[str, str]]:
    """Return the (element, code) pairs of the findings."""
    return {(f.element, f.code) for f in findings}


def matching(findings: list[Finding], **fields) -> list[Finding]:
    """Return the findings whose fields equal the given values (element="seal", code="overlap", page=2 …)."""
    assert all(isinstance(f, Finding) for f in findings), findings
    return [f for f in findings if all(getattr(f, name) == value for name, value in fields.items())]


def has(findings: list[Finding], **fields) -> bool:
    """Tell whether some finding has all the given field values."""
    return bool(matching(findings, **fields))


def measured(findings: list[Finding], **fields) -> float:
    """Return the measured value (the number in found) of the finding with the given fields; fail when none."""
    found = matching(findings, **fields)
    assert found, f"no finding with {fields} in {[f.as_dict() for f in findings]}"
    return float(found[0].found.split()[0])
