"""Fuzz every stage with mutated copies of the sample data files: the answer is always exit 0 or 2, never 1.

Each mutant is a copy of one sample file (notice, annexes, recipients, every example) changed by one
to three random edits drawn from random.Random((file, stage, seed)): a line deleted, duplicated, swapped
or re-indented, the file cut at a byte, random bytes inserted (controls, broken UTF-8, YAML punctuation),
or a value replaced by one of another type. The stage that reads the file runs in-process on a fresh
output folder. Exit 1 (an internal error) or an uncaught exception fails the mutant, with the log's
traceback in the message; exit 2 must print Chinese, name the mutated file and write nothing.
"""

from __future__ import annotations

import random
import re
import shutil
import traceback
from pathlib import Path

import pytest

from pipeline import cli

from guards import deadline
from paths import REPO

INPUTS = REPO / "inputs"
CHINESE = re.compile(r"[\u4e00-\u9fff]")
SOURCES = {  # mutated file → its sample
    "notice.yaml": INPUTS / "notice.yaml",
    "annex1.yaml": INPUTS / "annex1.yaml",
    "annex2.yaml": INPUTS / "annex2.yaml",
    "annex3.yaml": INPUTS / "annex3.yaml",
    "recipients.csv": INPUTS / "recipients.csv",
    "county_metrology_notice.yaml": INPUTS / "examples" / "county_metrology_notice.yaml",
    # the other examples, mutated in place inside a copy of inputs/examples/ (their images and parts beside them)
    **{p.relative_to(INPUTS).as_posix(): p for p in (INPUTS / "examples").rglob("*")
       if p.suffix in (".yaml", ".yml", ".csv") and "returned" not in p.parts
       and p.name != "county_metrology_notice.yaml"},
}
PLAN = [  # (mutated file, stage run on it, number of mutants)
    ("notice.yaml", "notice", 50),
    ("county_metrology_notice.yaml", "notice", 30),
    ("annex1.yaml", "annexes", 30),
    ("annex2.yaml", "forms", 25),
    ("annex2.yaml", "annexes", 10),
    ("annex3.yaml", "annexes", 35),
    ("recipients.csv", "forms", 35),
    ("recipients.csv", "roster", 10),
    ("examples/joint_notice_with_seals.yaml", "notice", 12),
    ("examples/joint_request.yaml", "notice", 12),
    ("examples/minutes.yaml", "notice", 12),
    ("examples/order.yaml", "notice", 12),
    ("examples/issued_plan_notice.yaml", "notice", 12),
    ("examples/parts/patent_plan.yaml", "notice", 12),  # the issued document, read through its notice
    ("examples/landscape_annex_notice.yaml", "packet", 8),
    ("examples/landscape_annex_1.yml", "annexes", 10),
    ("examples/landscape_annex_2.yml", "annexes", 10),
    ("examples/companies/spec.yaml", "forms", 15),
    ("examples/companies/spec.yaml", "roster", 8),
    ("examples/companies/recipients.csv", "forms", 10),
]
# The notice an example file is read through, when it is not one itself (under inputs/examples/).
EXAMPLE_NOTICES = {"parts/patent_plan.yaml": "issued_plan_notice.yaml", "landscape_annex_1.yml":
                   "landscape_annex_notice.yaml", "landscape_annex_2.yml": "landscape_annex_notice.yaml"}
SECONDS_PER_MUTANT = 60  # a hang guard, far above the time any mutant takes

# Mutation material ---------------------------------------------------------------------------
INSERTS = [b"\x00", b"\x07", b"\x08", b"\x0b", b"\x0c", b"\x1b", b"\x7f", b"\x85", b"\t", b"\r", b"\n", b"\r\n",
           b"\xff", b"\xfe", b"\xc3", b"\xe4\xb8", b"\xed\xa0\x80", b"\xef\xbb\xbf", b"\xef\xbf\xbe", b"\xe2\x80\xae",
           b":", b": ", b"&", b"&a ", b"*", b"*a", b"{", b"}", b"[", b"]", b"|", b">", b"- ", b"? ", b"#", b",",
           b"'", b'"', b"!", b"!!", b"%", b"@", b"`", b"\\", b"<<: *a", b"---\n", b"...\n", b"=", b";", b"\xe3\x80\x82"]
LONG_TEXTS = ["长" * 201, "长" * 2_001, "x" * 20_001, "长" * 100_000, "详" * 120, "x" * 300]
VALUES = ["[1, 2, 3]", "[]", "{a: 1, b: [x, y]}", "{}", "42", "-1", "0", "3.14", "1e309", ".nan", "-.inf", "true",
          "false", "no", "null", "~", "''", '""', "2022-13-45", "1979-12-31", "2100-01-01", "2022-03-21 10:00:00",
          '"\\0甲"', '"\\ud800"', '"\\uFFFE"', '"\\x07"', "&anchor 1", "*anchor", "*undefined", "!!binary aGVsbG8=",
          "!!bool maybe", "!!int ''", "!!timestamp soon", "!!float ''", '"{days:>99999}"', "'{0}{1}'", "|\n  块文本",
          ">-\n  折叠文本", "'单引号'", '"未闭合', "'未闭合", "a: b: c", "- x", "@at", "`tick", "%percent",
          "? complex", "[unclosed", "{unclosed", *(f"'{text}'" for text in LONG_TEXTS)]
CELLS = ["", " ", '"', '""', '"a,b"', "a,b", "\x07", "\x00", "a|a", "其他", "省级2", "BEIJING", "beijing",
         "北京市知识产权局", "=1+1", "\ufeff", "\u202e反向", "1", "-", '"甲\n乙"', "a\r\nb", *LONG_TEXTS[:3],
         *LONG_TEXTS[4:]]
YAML_KEY = re.compile(r"^(\s*(?:-\s+)?[^\s#:'\"\[\]{}][^:#]*?:)([ \t]+)(\S.*)$")
LIST_ITEM = re.compile(r"^(\s*-[ \t]+)(\S.*)$")


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True) or [b""]


def delete_line(rng, data, name):
    lines = _lines(data)
    at = rng.randrange(len(lines))
    return b"".join(lines[:at] + lines[at + 1:]), f"delete line {at + 1}"


def duplicate_line(rng, data, name):
    lines = _lines(data)
    at = rng.randrange(len(lines))
    copy = lines[at] if lines[at].endswith(b"\n") else lines[at] + b"\n"
    return b"".join(lines[:at + 1] + [copy] + lines[at + 1:]), f"duplicate line {at + 1}"


def swap_lines(rng, data, name):
    lines = _lines(data)
    a, b = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[a], lines[b] = lines[b], lines[a]
    return b"".join(lines), f"swap lines {a + 1} and {b + 1}"


def truncate(rng, data, name):
    at = rng.randrange(len(data) + 1)
    return data[:at], f"truncate at byte {at}"


def insert_bytes(rng, data, name):
    at = rng.randrange(len(data) + 1)
    junk = b"".join(rng.choice(INSERTS) if rng.random() < 0.8 else bytes([rng.randrange(256)])
                    for _ in range(rng.randint(1, 6)))
    return data[:at] + junk + data[at:], f"insert {junk!r} at byte {at}"


def replace_value(rng, data, name):
    text = data.decode("utf-8", "surrogateescape")
    lines = text.splitlines(keepends=True)
    if name.endswith(".csv"):
        return _replace_cell(rng, lines)
    places = [(i, m) for i, line in enumerate(lines) if (m := YAML_KEY.match(line.rstrip("\r\n"))
                                                         or LIST_ITEM.match(line.rstrip("\r\n")))]
    if not places:
        return data, "replace a value (none found)"
    i, match = rng.choice(places)
    value = rng.choice(VALUES)
    indent = re.match(r"\s*", lines[i]).group() + "  "
    value_text = value.replace("\n", "\n" + indent)
    head = match.group(1) + (match.group(2) if match.re is YAML_KEY else "")
    lines[i] = head + value_text + "\n"
    return "".join(lines).encode("utf-8", "surrogateescape"), f"line {i + 1}: value → {value[:40]!r}"


def _replace_cell(rng, lines: list[str]):
    i = rng.randrange(len(lines)) if rng.random() < 0.15 else rng.randrange(1, len(lines))
    cells = lines[i].rstrip("\r\n").split(",")
    c = rng.randrange(len(cells) + 1)  # len(cells): an extra cell
    value = rng.choice(CELLS)
    cells[c:c + 1] = [value]
    lines[i] = ",".join(cells) + "\n"
    return "".join(lines).encode("utf-8", "surrogateescape"), f"row {i + 1} cell {c + 1} → {value[:40]!r}"


def reindent(rng, data, name):
    lines = _lines(data)
    at = rng.randrange(len(lines))
    line = lines[at]
    body = line.lstrip(b" \t")
    kind = rng.choice(["more", "less", "tab", "odd"])
    indent = len(line) - len(body)
    new = {"more": b" " * (indent + rng.choice([1, 2, 4])), "less": b" " * max(0, indent - rng.choice([1, 2])),
           "tab": b"\t" + b" " * max(0, indent - 2), "odd": b" " * (indent + 3)}[kind]
    lines[at] = new + body
    return b"".join(lines), f"indent line {at + 1} ({kind})"


MUTATIONS = [delete_line, duplicate_line, swap_lines, truncate, insert_bytes, replace_value, reindent]


def mutate(name: str, stage: str, seed: int) -> tuple[bytes, list[str]]:
    """Return a mutant of the sample file name and the edits made, the same for the same (name, stage, seed)."""
    rng = random.Random(f"{name}|{stage}|{seed}")
    data, done = SOURCES[name].read_bytes(), []
    for _ in range(rng.choice([1, 1, 2, 3])):
        data, what = rng.choice(MUTATIONS)(rng, data, name)
        done.append(what)
    return data, done


# Running a mutant ------------------------------------------------------------------------------
def setup(folder: Path, name: str, stage: str, mutant: bytes) -> tuple[Path, list[str]]:
    """Copy the samples into folder, put the mutant in place; return its path and the stage's arguments."""
    folder.mkdir()
    for sample in ("notice.yaml", "annex1.yaml", "annex2.yaml", "annex3.yaml", "group_qr.png", "recipients.csv"):
        shutil.copy(INPUTS / sample, folder / sample)
    out, notice = folder.parent / "out", folder / "notice.yaml"
    if stage == "annexes" and name != "notice.yaml":  # only the mutant annex keeps its source: only it is built
        text = notice.read_text(encoding="utf-8")
        text = re.sub(r"\n    source: (?!" + re.escape(name) + r")\S+", "", text)
        notice.write_text(text, encoding="utf-8")
    if name.startswith("examples/"):
        return _setup_example(folder, name, stage, mutant, out)
    path = folder / name
    path.write_bytes(mutant)
    if stage == "notice":
        argv = ["notice", "--input", path, "--out", out]
    elif stage == "annexes":
        argv = ["annexes", "--input", notice, "--out", out]
    elif stage == "forms":
        argv = ["forms", "--recipients", folder / "recipients.csv", "--out", out, "--spec", folder / "annex2.yaml",
                "--notice", notice]
    else:
        argv = ["roster", "--returned", INPUTS / "returned", "--recipients", path, "--out", out]
    return path, [str(a) for a in argv]


def _setup_example(folder: Path, name: str, stage: str, mutant: bytes, out: Path) -> tuple[Path, list[str]]:
    """Put the mutant in a copy of inputs/examples/; return its path and the arguments of the stage reading it."""
    examples = folder / "examples"
    shutil.copytree(INPUTS / "examples", examples)
    path = folder / name
    path.write_bytes(mutant)
    inner = name.removeprefix("examples/")
    companies = examples / "companies"
    if stage in ("notice", "annexes", "packet"):
        argv = [stage, "--input", examples / EXAMPLE_NOTICES.get(inner, inner), "--out", out]
    elif stage == "forms":
        argv = ["forms", "--spec", companies / "spec.yaml", "--recipients", companies / "recipients.csv", "--out", out]
    else:
        argv = ["roster", "--spec", companies / "spec.yaml", "--returned", companies / "returned", "--recipients",
                companies / "recipients.csv", "--out", out]
    return path, [str(a) for a in argv]


def _log_of(err: str) -> str:
    found = re.search(r"已写入 (\S+?\.log)", err)
    if not found or not Path(found.group(1)).exists():
        return "(no log found in stderr)"
    return Path(found.group(1)).read_text(encoding="utf-8")


def _cases():
    for name, stage, count in PLAN:
        for seed in range(count):
            yield pytest.param(name, stage, seed, id=f"{name}-{stage}-{seed:02d}")


def test_every_sample_data_file_is_fuzzed():
    samples = {p.relative_to(INPUTS).as_posix() for p in INPUTS.rglob("*") if p.suffix in (".yaml", ".yml", ".csv")
               and "returned" not in p.parts}
    fuzzed = {SOURCES[name].relative_to(INPUTS).as_posix() for name, _, _ in PLAN}
    assert samples == fuzzed


@pytest.mark.parametrize("name, stage, seed", list(_cases()))
def test_a_mutant_exits_0_or_2_never_1(tmp_path, capsys, name, stage, seed):
    mutant, edits = mutate(name, stage, seed)
    path, argv = setup(tmp_path / "inputs", name, stage, mutant)
    out = Path(argv[argv.index("--out") + 1])
    about = f"mutant {name} (seed {seed}: {'; '.join(edits)}), kept at {path}; stage: python -m pipeline {' '.join(argv)}"
    capsys.readouterr()
    try:
        with deadline(SECONDS_PER_MUTANT):
            code = cli.main(argv)
    except BaseException:  # noqa: BLE001 - an exception escaping the CLI is the failure under test
        pytest.fail(f"uncaught exception for {about}:\n{traceback.format_exc()}")
    err = capsys.readouterr().err
    assert code != 1, f"internal error (exit 1) for {about}\nstderr:\n{err}\nlog:\n{_log_of(err)}"
    assert code in (0, 2), f"exit {code} for {about}\nstderr:\n{err}"
    if code == 2:
        assert CHINESE.search(err), f"no Chinese in stderr for {about}:\n{err}"
        assert Path(name).name in err, f"stderr does not name {name} for {about}:\n{err}"
        written = sorted(str(p.relative_to(out)) for p in out.rglob("*")) if out.exists() else []
        assert not written, f"exit 2 but files written to {out} for {about}: {written}"
