"""Read the seed notice's lines and check that they appear, in order, in a document's text."""

from __future__ import annotations

import re

from paths import SEED


def seed_lines() -> list[str]:
    """Return every non-empty seed line without white space (the seed's wraps are PDF artefacts)."""
    lines = [re.sub(r"\s+", "", line).removeprefix("-") for line in SEED.read_text(encoding="utf-8").splitlines()]
    return [line.strip("<>") for line in lines if line]


def notice_lines() -> list[str]:
    """Return the seed lines of the notice itself: down to （此件公开发布）, then 抄送 and 印发."""
    lines = seed_lines()
    end = lines.index("（此件公开发布）")
    return lines[: end + 1] + lines[-3:]


def section_lines(start: str, end: str) -> list[str]:
    """Return the seed lines from the line start up to (not including) the line end."""
    lines = seed_lines()
    return lines[lines.index(start): lines.index(end)]


def missing_in_order(lines: list[str], text: str) -> str | None:
    """Return the first line not found in text after the previous one, or None when all are in order."""
    text = re.sub(r"\s+", "", text)
    position = 0
    for line in lines:
        found = text.find(line, position)
        if found < 0:
            return line
        position = found + len(line)
    return None
