"""Test the shape of the package: layers imported one way, no hidden imports, small modules, documented commands."""

from __future__ import annotations

import ast
import functools
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from paths import REPO

PACKAGE = REPO / "pipeline"
# Each layer may import from itself (within one package) and from the layers below it, never above or sideways.
LAYERS = (
    ("__main__",),
    ("cli",),
    ("draft", "remind"),  # the formatter (drafts in, 公文 out); reminders from a consolidation (letters, sheets)
    ("notice", "roster", "check"),  # stages that compose the others
    ("forms", "qr", "history"),  # the annex kinds a notice composes and the roster reads; the runs' history
    ("docx", "xlsx", "pdf"),  # file formats
    ("core",),
)
RANK = {package: rank for rank, names in enumerate(LAYERS) for package in names}
MAX_LINES = 450


def modules() -> list[Path]:
    """Return every module of the package."""
    return sorted(PACKAGE.rglob("*.py"))


def package_of(path: Path) -> str:
    """Return the top-level part of the package a module belongs to: core, notice, … or cli/__main__."""
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return parts[0] if len(parts) > 1 else parts[0]


def imported(path: Path) -> list[tuple[str, int, bool]]:
    """Return (package imported from, line, inside a function) for each pipeline import of a module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = path.relative_to(REPO).with_suffix("").parts[:-1]  # the module's own package, e.g. (pipeline, roster)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            target = _resolve(here, node.module or "", node.level)
            names = [target + (alias.name,) for alias in node.names] if len(target) == 1 else [target]
        elif isinstance(node, ast.Import):
            names = [tuple(alias.name.split(".")) for alias in node.names]
        else:
            continue
        for name in names:
            if name[0] == "pipeline" and len(name) > 1 and _is_module(name[1]):
                found.append((name[1], node.lineno, _in_function(tree, node)))
    return found


def _is_module(name: str) -> bool:
    """Tell a subpackage or module of pipeline from a name defined in pipeline/__init__.py (__version__)."""
    return (PACKAGE / name).is_dir() or (PACKAGE / f"{name}.py").is_file()


def _resolve(here: tuple, module: str, level: int) -> tuple:
    base = here[: len(here) - level + 1] if level else ()
    return base + tuple(p for p in module.split(".") if p)


def _in_function(tree, target) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and any(n is target for n in ast.walk(node)):
            return True
    return False


def test_every_package_has_a_layer():
    assert {package_of(path) for path in modules()} - {"__init__"} == set(RANK)


@pytest.mark.parametrize("path", modules(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_imports_run_down_the_layers(path):
    own = package_of(path)
    if own == "__init__":
        return
    wrong = [(target, line) for target, line, _ in imported(path)
             if target != own and (target not in RANK or RANK[target] <= RANK[own])]
    assert wrong == [], f"{path.name} imports upward or sideways: {wrong}"


@pytest.mark.parametrize("path", modules(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_no_import_hides_in_a_function_outside_the_cli(path):
    if package_of(path) == "cli":
        return
    hidden = [(target, line) for target, line, inside in imported(path) if inside]
    assert hidden == [], f"{path.name} imports inside a function: {hidden}"


def test_the_checker_imports_nothing_it_checks():
    for path in (PACKAGE / "check").glob("*.py"):
        assert {target for target, _, _ in imported(path)} <= {"check"}, path.name
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(from|import)\s+(pipeline|\.\.)", text, re.M), path.name


@pytest.mark.parametrize("path", modules(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_modules_stay_small(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_LINES


@pytest.mark.parametrize("path", modules(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_every_module_says_what_it_does(path):
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    if path.name == "__init__.py" and path.parent != PACKAGE:
        return
    assert doc and doc.split()[0][0].isupper(), f"{path.name} has no docstring starting with a verb"


# The commands a clerk runs are all documented -------------------------------------------------------
@functools.cache
def stages() -> tuple[str, ...]:
    """Return the stages `python -m pipeline --help` lists (asked once per test process)."""
    done = subprocess.run([sys.executable, "-m", "pipeline", "--help"], capture_output=True, text=True, cwd=REPO)
    return tuple(re.findall(r"^    ([a-z]+)\b", done.stdout, re.M))


def make_targets() -> list[str]:
    """Return the targets `make help` lists."""
    text = (REPO / "Makefile").read_text(encoding="utf-8")
    return re.findall(r"^([a-z][a-zA-Z_-]*):.*## ", text, re.M)


def test_every_stage_appears_in_the_readme():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    missing = [stage for stage in stages() if f"`{stage}`" not in readme and f"pipeline {stage}" not in readme]
    assert len(stages()) >= 9 and missing == []


def test_every_make_target_appears_in_the_readme():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    missing = [target for target in make_targets() if f"make {target}" not in readme]
    assert len(make_targets()) >= 10 and missing == []


@pytest.mark.parametrize("stage", stages())
def test_every_stage_has_help(stage):
    done = subprocess.run([sys.executable, "-m", "pipeline", stage, "--help"], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0 and "用法" in done.stdout


def test_a_wheel_carries_every_subpackage_and_the_templates():
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    subpackages = {".".join(p.parent.relative_to(REPO).parts) for p in PACKAGE.rglob("__init__.py")}
    assert subpackages | {"pipeline.templates", "pipeline.templates.fontconfig"} == set(config["packages"])
    folders = {name: REPO / folder for name, folder in config["package-dir"].items()}
    data = config["package-data"]
    shipped = {f for name, patterns in data.items() for pattern in patterns
               for f in folders.get(name, REPO.joinpath(*name.split("."))).glob(pattern)}
    assert set((PACKAGE / "history" / "migrations").glob("*.sql")) <= shipped  # the history's schema
    templates = {f.relative_to(REPO / "templates").as_posix() for f in shipped if f.is_relative_to(REPO / "templates")}
    assert templates == {"annex.docx", "notice_document.docx", "notice_letter.docx", "notice_order.docx",
                         "notice_minutes.docx", "fontconfig/fonts.conf"}


def test_the_files_a_wheel_ships_run_a_stage_outside_the_checkout(tmp_path):
    """Lay out what pyproject ships (packages and package data, as a wheel installs them) and run a stage from it."""
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    site = tmp_path / "site"
    for name in config["packages"]:
        folder = REPO / config["package-dir"].get(name, name.replace(".", "/"))
        target = site.joinpath(*name.split("."))
        target.mkdir(parents=True, exist_ok=True)
        patterns = ["*.py", *config["package-data"].get(name, [])]
        for path in (f for pattern in patterns for f in folder.glob(pattern)):
            (target / path.relative_to(folder)).parent.mkdir(parents=True, exist_ok=True)
            (target / path.relative_to(folder)).write_bytes(path.read_bytes())
    elsewhere = tmp_path / "elsewhere"  # no templates/ and no pipeline/ here: only the laid-out package
    elsewhere.mkdir()
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": str(site)}
    where = subprocess.run([sys.executable, "-c", "import pipeline.core.resources as r; print(r.TEMPLATE_DIR)"],
                           capture_output=True, text=True, cwd=elsewhere, env=env, timeout=120)
    assert where.stdout.strip() == str(site / "pipeline" / "templates"), where.stderr
    done = subprocess.run([sys.executable, "-m", "pipeline", "notice", "--input", str(REPO / "inputs" / "notice.yaml"),
                           "--out", str(tmp_path / "out")], capture_output=True, text=True, cwd=elsewhere, env=env,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("已生成通知：") and len(list((tmp_path / "out").glob("*.docx"))) == 1


def test_make_all_builds_every_example_and_converts_its_documents_to_pdf(tmp_path):
    """Dry-run `make all` (nothing is executed) and read the stage command lines its one batch would run."""
    out = tmp_path / "o"
    done = subprocess.run(["make", "-n", "--no-print-directory", "all", f"OUT={out}", "JOBS=1"], capture_output=True,
                          text=True, cwd=REPO, timeout=120)
    assert done.returncode == 0, done.stderr
    words = shlex.split(done.stdout.replace("\\\n", " ").splitlines()[0])
    assert words[1:4] == ["-m", "pipeline", "batch"]
    commands = [w for w in words[4:] if " " in w]
    folders = [words[n + 1] for n, w in enumerate(words) if w == "--pdf"]
    assert folders == [str(out), f"{out}/examples"]
    notices = [c for c in commands if c.startswith("notice ") and c.endswith(f"--out {out}/examples")]
    examples = sorted((REPO / "inputs" / "examples").glob("*.yaml"))
    assert len(notices) == 1 and all(f"--input {p.relative_to(REPO)}" in notices[0] for p in examples)
    stages = {c.split()[0] for c in commands}
    assert stages == {"notice", "annexes", "packet", "forms", "roster", "remind", "format"}
    assert words.index("then") < min(n for n, w in enumerate(words) if w.startswith("remind "))
