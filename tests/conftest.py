"""Share fixtures: the repository paths and a writer for notice data files."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from paths import SAMPLE_NOTICE


@pytest.fixture
def notice_data() -> dict:
    """Return the sample notice's data as a dict, to be altered by a test."""
    return yaml.safe_load(SAMPLE_NOTICE.read_text(encoding="utf-8"))


@pytest.fixture
def write_notice(tmp_path):
    """Return a function that writes notice data (a dict or raw YAML text) to a file in tmp_path."""

    def write(data, name: str = "notice.yaml") -> Path:
        path = tmp_path / name
        text = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        path.write_text(text, encoding="utf-8")
        return path

    return write
