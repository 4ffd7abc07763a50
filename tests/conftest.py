"""Share fixtures: the repository paths and a writer for notice data files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from paths import SAMPLE_NOTICE


@pytest.fixture
def notice_data() -> dict:
    """Return the sample notice's data as a dict (annex sources made absolute), to be altered by a test."""
    data = yaml.safe_load(SAMPLE_NOTICE.read_text(encoding="utf-8"))
    for annex in data["annexes"]:
        annex["source"] = str(SAMPLE_NOTICE.parent / annex["source"])
    return data


@pytest.fixture
def notice_text() -> str:
    """Return the sample notice's YAML text with annex sources made absolute, to be edited by a test."""
    text = SAMPLE_NOTICE.read_text(encoding="utf-8")
    return re.sub(r"source: (\S+)", lambda m: f"source: {SAMPLE_NOTICE.parent / m.group(1)}", text)


@pytest.fixture
def write_notice(tmp_path):
    """Return a function that writes notice data (a dict or raw YAML text) to a file in tmp_path."""

    def write(data, name: str = "notice.yaml") -> Path:
        path = tmp_path / name
        text = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        path.write_text(text, encoding="utf-8")
        return path

    return write
