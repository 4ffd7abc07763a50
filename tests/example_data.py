"""Copy the example notices (with their images and parts) into a test folder, one data file altered."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from paths import REPO

EXAMPLES = REPO / "inputs" / "examples"


def example_copy(tmp_path: Path, name: str, change) -> Path:
    """Copy every example into tmp_path, let change(data) alter the data file name (a path inside the
    examples, such as parts/patent_plan.yaml), write it back and return its path."""
    for item in EXAMPLES.iterdir():
        target = tmp_path / item.name
        if item.is_dir():
            shutil.copytree(item, target, dirs_exist_ok=True)
        elif not target.exists():
            shutil.copy(item, target)
    data = yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
