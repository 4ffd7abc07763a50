"""Find the recipient unit a text names: full names before aliases, the longest (then leftmost) first."""

from __future__ import annotations

from ..core.recipients import Recipient
from .cleaning import text

MAX_TEXT = 500  # characters of a text searched for a unit name (a cell holding a whole essay is cut)


class UnitMatcher:
    """Match texts (cells, titles, file names) against the recipients' names and aliases."""

    def __init__(self, units: list[Recipient]):
        self.by_id = {unit.id: unit for unit in units}
        self.tables = [_by_length({squash(unit.names[0]): unit for unit in units}),
                       _by_length({squash(name): unit for unit in units for name in unit.names[1:]})]
        self.cache: dict[str, Recipient | None] = {}

    def match(self, value: str) -> Recipient | None:
        """Return the unit named in a text, or None."""
        key = squash(value)[:MAX_TEXT]
        if key not in self.cache:
            self.cache[key] = next((unit for table in self.tables if (unit := _find(key, table))), None)
        return self.cache[key]

    def first(self, texts: list[str]) -> Recipient | None:
        """Return the unit named by the first text that names one, or None."""
        return next((unit for value in texts if value and (unit := self.match(value))), None)


def squash(value: str) -> str:
    """Return text without any spaces, for comparing unit names."""
    return "".join(text(value).split())


def _by_length(names: dict[str, Recipient]) -> list[tuple[int, dict[str, Recipient]]]:
    """Group names by length, longest first, so a search can stop at the longest match."""
    sizes = sorted({len(name) for name in names}, reverse=True)
    return [(size, {name: unit for name, unit in names.items() if len(name) == size}) for size in sizes]


def _find(key: str, table: list[tuple[int, dict[str, Recipient]]]) -> Recipient | None:
    for size, names in table:
        for start in range(len(key) - size + 1):
            if key[start:start + size] in names:
                return names[key[start:start + size]]
    return None
