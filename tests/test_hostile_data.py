"""Feed every stage hostile data files: each is refused with exit 2 and a Chinese message, nothing is written.

Each case edits a copy of the sample inputs (notice, annexes, recipients) in tmp_path, runs the stage
in-process through pipeline.cli.main, and checks the exit code, the message on stderr (file, line, field)
and that --out holds nothing; where the loader is public, the InputError's Problem records are checked
too (code, field, row, note), so a test never depends on the wording of a message more than it must.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import resource
import shutil
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipeline import cli
from pipeline.core.errors import InputError
from pipeline.core.gbt9704 import char_units
from pipeline.core.output import EPOCH, zip_time
from pipeline.core.recipients import load_recipients
from pipeline.core.source import MAX_DATA_BYTES, MAX_YAML_DEPTH
from pipeline.forms.spec import load_form_spec
from pipeline.notice.annexes import load_annex
from pipeline.notice.notice import load_notice
from pipeline.notice.title import break_title
from pipeline.qr.data import load_qr_annex

from guards import deadline
from paths import REPO

INPUTS = REPO / "inputs"
SAMPLE_FILES = ("notice.yaml", "annex1.yaml", "annex2.yaml", "annex3.yaml", "group_qr.png", "recipients.csv")
CHINESE = re.compile(r"[\u4e00-\u9fff]")
SAMPLE_TITLE = "国家知识产权局办公室关于举办知识产权信息服务优秀案例分享活动的通知"
VALIDITY_LINE = 'validity: "该二维码{days}天内({month}月{day}日前)有效,重新进入将更新"'


# Helpers ---------------------------------------------------------------------------------
@dataclass
class Samples:
    """Copies of the sample inputs in one folder (the notice's annex sources point at the copies)."""

    folder: Path
    out: Path

    def __getitem__(self, name: str) -> Path:
        return self.folder / name

    def text(self, name: str) -> str:
        return self[name].read_text(encoding="utf-8")

    def edit(self, name: str, old: str, new: str) -> Path:
        """Replace the first old by new in the copy name (old must be there); return the file."""
        text = self.text(name)
        assert old in text, f"{old!r} not in {name}"
        self[name].write_text(text.replace(old, new, 1), encoding="utf-8")
        return self[name]

    def argv(self, stage: str, **paths) -> list[str]:
        """Return the arguments that run stage on the copies (paths given by keyword replace the copies)."""
        files = {"notice": self["notice.yaml"], "spec": self["annex2.yaml"], "recipients": self["recipients.csv"],
                 **paths}
        if stage in ("notice", "annexes"):
            return [stage, "--input", str(files["notice"]), "--out", str(self.out)]
        if stage == "forms":
            return ["forms", "--recipients", str(files["recipients"]), "--out", str(self.out), "--spec",
                    str(files["spec"]), "--notice", str(files["notice"])]
        if stage == "roster":
            return ["roster", "--returned", str(INPUTS / "returned"), "--recipients", str(files["recipients"]),
                    "--out", str(self.out)]
        raise ValueError(stage)


@pytest.fixture
def samples(tmp_path) -> Samples:
    folder = tmp_path / "inputs"
    folder.mkdir()
    for name in SAMPLE_FILES:
        shutil.copy(INPUTS / name, folder / name)
    return Samples(folder, tmp_path / "out")


def run(capsys, argv: list[str]) -> tuple[int, str]:
    """Run the CLI in-process; return its exit code and stderr (with the log's traceback on exit 1)."""
    capsys.readouterr()
    code = cli.main([str(a) for a in argv])
    err = capsys.readouterr().err
    if code == 1:
        err += "\n" + _log_of(err)
    return code, err


def _log_of(err: str) -> str:
    found = re.search(r"已写入 (\S+?\.log)", err)
    if not found or not Path(found.group(1)).exists():
        return "(no log found)"
    return Path(found.group(1)).read_text(encoding="utf-8")


def assert_refused(code: int, err: str, out: Path, *named: str) -> None:
    """Check a refusal: exit 2, a Chinese message naming every text in named, no traceback, nothing in out."""
    assert code == 2, f"exit {code}, expected 2; stderr:\n{err}"
    assert CHINESE.search(err), err
    assert "Traceback" not in err and "Error:" not in err, err
    for text in named:
        assert str(text) in err, f"{text!r} not named in stderr:\n{err}"
    assert_nothing_written(out)


def assert_nothing_written(out: Path) -> None:
    written = sorted(str(p.relative_to(out)) for p in out.rglob("*")) if out.exists() else []
    assert not written, f"files written to {out}: {written}"
    siblings = [p.name for p in out.parent.glob(f".{out.name}.*") if not p.name.endswith(".lock")]
    assert not siblings, f"leftovers beside {out}: {siblings}"


def problems(loader, path: Path) -> list:
    """Return the Problem records the loader raises for path (it must raise InputError)."""
    with pytest.raises(InputError) as caught:
        loader(path)
    return caught.value.errors


def the_problem(loader, path: Path, code: str, field: str) -> object:
    """Return the one problem of code at field (checked to exist)."""
    found = [p for p in problems(loader, path) if p.code == code and p.field == field]
    assert found, f"no {code} at {field}: {[(p.code, p.field, p.note) for p in problems(loader, path)]}"
    return found[0]


def line_of(path: Path, needle: str, nth: int = 1) -> int:
    """Return the 1-based line of the nth occurrence of needle in the file."""
    text, at = path.read_text(encoding="utf-8"), -1
    for _ in range(nth):
        at = text.index(needle, at + 1)
    return text[:at].count("\n") + 1


# Mistyped keys ---------------------------------------------------------------------------
TYPOS = [  # file, text, typo, stage, loader, field of the problem, suggested key
    ("notice.yaml", "copy_to:", "copyto:", "notice", load_notice, "copyto", "copy_to"),
    ("annex3.yaml", "- caption: 联系人", "- captoin: 联系人", "annexes", load_qr_annex, "codes[2].captoin", "caption"),
    ("annex2.yaml", "instruction:", "instructoin:", "forms", load_form_spec, "form.instructoin", "instruction"),
    ("recipients.csv", "id,name,", "id,nmae,", "forms", load_recipients, "nmae", "name"),
]


@pytest.mark.parametrize("name, old, new, stage, loader, field, suggested", TYPOS, ids=[t[2] for t in TYPOS])
def test_a_mistyped_key_is_named_with_the_key_it_resembles(samples, capsys, name, old, new, stage, loader, field,
                                                           suggested):
    path = samples.edit(name, old, new)
    problem = the_problem(loader, path, "unknown_key", field)
    typo = field.rsplit(".", 1)[-1]
    assert f"“{typo}”" in problem.note and f"是不是“{suggested}”" in problem.note
    assert problem.row == line_of(path, new.strip(" -"))
    code, err = run(capsys, samples.argv(stage))
    assert_refused(code, err, samples.out, path, typo, suggested, f"第{problem.row}行")


# Alias bombs, oversized files, FIFOs, folders, deep nesting -----------------------------------
def billion_laughs(levels: int = 9) -> str:
    """Return the "billion laughs" YAML: each of levels anchors holds 9 aliases of the one before."""
    names = [chr(ord("a") + i) for i in range(levels)]
    lines = [f'{names[0]}: &{names[0]} ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"{n}: &{n} [{', '.join(['*' + p] * 9)}]" for p, n in zip(names, names[1:])]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("where", ["notice", "annex", "inside_a_value"])
def test_an_alias_bomb_is_refused_quickly_and_in_little_memory(samples, capsys, where):
    bomb = billion_laughs(9)
    if where == "notice":
        target = samples["notice.yaml"]
        target.write_text(bomb, encoding="utf-8")
    elif where == "annex":
        target = samples["annex1.yaml"]
        target.write_text(bomb, encoding="utf-8")
    else:  # the anchors inside the real notice, the last one used as the closing
        target = samples["notice.yaml"]
        nested = "\n".join("  " + line for line in bomb.splitlines())
        samples.edit("notice.yaml", "closing: 特此通知。", f"x_bomb:\n{nested}\nclosing: *i")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    start = time.monotonic()
    with deadline(20):
        code, err = run(capsys, samples.argv("notice" if where != "annex" else "annexes"))
    elapsed = time.monotonic() - start
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert elapsed < 10, f"took {elapsed:.1f} s"
    assert grown_mb < 300, f"memory grew by {grown_mb:.0f} MB"
    assert_refused(code, err, samples.out, target)
    if where == "notice":
        assert [p.code for p in problems(load_notice, target)] == ["too_long"]


@pytest.mark.parametrize("which", ["notice", "recipients"])
def test_a_data_file_over_5_mb_is_refused(samples, capsys, which):
    if which == "notice":
        path = samples["notice.yaml"]
        path.write_text(samples.text("notice.yaml") + "# " + "填" * (MAX_DATA_BYTES // 3 + 10) + "\n",
                        encoding="utf-8")
        argv, loader = samples.argv("notice"), load_notice
    else:
        path = samples["recipients.csv"]
        rows = "".join(f"u{i},单位{i},,其他\n" for i in range(400_000))
        path.write_text(samples.text("recipients.csv") + rows, encoding="utf-8")
        argv, loader = samples.argv("forms"), load_recipients
    assert path.stat().st_size > MAX_DATA_BYTES
    [problem] = problems(loader, path)
    assert problem.code == "too_long" and "5 MB" in problem.note
    with deadline(20):
        code, err = run(capsys, argv)
    assert_refused(code, err, samples.out, path, "5 MB")


@pytest.mark.parametrize("which", ["notice", "annexes", "forms_recipients", "forms_spec", "roster", "annex_source"])
def test_a_fifo_is_refused_without_blocking(samples, capsys, which):
    fifo = samples.folder / "pipe.yaml"
    os.mkfifo(fifo)
    argv = {
        "notice": lambda: samples.argv("notice", notice=fifo),
        "annexes": lambda: samples.argv("annexes", notice=fifo),
        "forms_recipients": lambda: samples.argv("forms", recipients=fifo),
        "forms_spec": lambda: samples.edit("notice.yaml", "source: annex2.yaml", "source: pipe.yaml")
        and samples.argv("forms", spec=fifo),
        "roster": lambda: samples.argv("roster", recipients=fifo),
        "annex_source": lambda: samples.edit("notice.yaml", "source: annex1.yaml", "source: pipe.yaml")
        and samples.argv("notice"),
    }[which]()
    with deadline(10):  # nobody ever writes to the pipe: a blocking open or read would hang here
        code, err = run(capsys, argv)
    assert_refused(code, err, samples.out, fifo, "管道")


@pytest.mark.parametrize("which", ["notice", "forms_recipients", "roster"])
def test_a_folder_given_as_a_data_file_is_refused(samples, capsys, which):
    folder = samples.folder / "a_folder.yaml"
    folder.mkdir()
    argv = {"notice": samples.argv("notice", notice=folder),
            "forms_recipients": samples.argv("forms", recipients=folder),
            "roster": samples.argv("roster", recipients=folder)}[which]
    code, err = run(capsys, argv)
    assert_refused(code, err, samples.out, folder, "文件夹")
    if which == "notice":
        [problem] = problems(load_notice, folder)
        assert problem.code == "unreadable_data_file"


NESTINGS = {
    "list_5000": "title: " + "[" * 5000 + "]" * 5000 + "\n",
    "map_5000": "title: " + "{a: " * 5000 + "b" + "}" * 5000 + "\n",
    "top_level_5000": "[" * 5000 + "]" * 5000 + "\n",
    "block_list_2000": "title:\n" + "".join(" " * i + "-\n" for i in range(1, 2000)),
    "list_200": "title: " + "[" * 200 + "]" * 200 + "\n",  # below the recursion limit, above MAX_YAML_DEPTH
    "unclosed_5000": "title: " + "[" * 5000 + "\n",
}


@pytest.mark.parametrize("kind", NESTINGS)
def test_deep_nesting_is_refused_with_a_chinese_message_not_a_recursion_error(samples, capsys, kind):
    path = samples["notice.yaml"]
    path.write_text(NESTINGS[kind], encoding="utf-8")
    with deadline(20):
        code, err = run(capsys, samples.argv("notice"))
    assert_refused(code, err, samples.out, path)
    assert "RecursionError" not in err and "recursion" not in err
    found = problems(load_notice, path)
    assert all(CHINESE.search(p.note) for p in found)
    if kind != "unclosed_5000":
        assert any(str(MAX_YAML_DEPTH) in p.note for p in found), [p.note for p in found]


# Characters Word and Excel cannot store ----------------------------------------------------
BAD_TITLES = [("\\uFFFE", "U+FFFE"), ("\\0", "U+0000"), ("\\ud800", "U+D800"), ("\\x07", "U+0007"),
              ("\\x1b", "U+001B"), ("\\uFFFF", "U+FFFF"), ("\\udfff", "U+DFFF")]


@pytest.mark.parametrize("escape, named", BAD_TITLES, ids=[n for _, n in BAD_TITLES])
def test_an_unstorable_character_in_the_title_is_named(samples, capsys, escape, named):
    path = samples.edit("notice.yaml", f"title: {SAMPLE_TITLE}", f'title: "{SAMPLE_TITLE[:10]}{escape}{SAMPLE_TITLE[10:]}"')
    problem = the_problem(load_notice, path, "bad_character", "title")
    assert named in problem.note and problem.row == line_of(path, "title:")
    code, err = run(capsys, samples.argv("notice"))
    assert_refused(code, err, samples.out, path, named, "title")


@pytest.mark.parametrize("where", ["notice", "annex"])
@pytest.mark.parametrize("char", ["\x07", "\x00", "\x1e", "\x7f", "\ufffe"])
def test_a_raw_control_character_in_a_yaml_file_is_named(samples, capsys, where, char):
    if where == "notice":
        path = samples.edit("notice.yaml", f"title: {SAMPLE_TITLE}", f"title: {SAMPLE_TITLE[:10]}{char}{SAMPLE_TITLE[10:]}")
    else:
        path = samples.edit("annex1.yaml", "title: 知识产权", f"title: 知识{char}产权")
    line, named = line_of(path, char), f"U+{ord(char):04X}"
    found = problems(load_notice if where == "notice" else load_annex, path)
    assert any(p.row == line and named in p.note for p in found), [(p.code, p.row, p.note) for p in found]
    code, err = run(capsys, samples.argv("notice" if where == "notice" else "annexes"))
    assert_refused(code, err, samples.out, path, named, f"第{line}行")


@pytest.mark.parametrize("where, value, field", [
    ("annex1.yaml", "title: 知识产权信息服务优秀案例分享活动工作方案", "title"),
    ("annex3.yaml", "caption: 联系人微信群二维码", "codes[2].caption"),
])
def test_an_unstorable_character_in_an_annex_is_named(samples, capsys, where, value, field):
    key, text = value.split(": ")
    path = samples.edit(where, value, f'{key}: "\\0{text}"')
    loader = load_qr_annex if where == "annex3.yaml" else load_annex
    problem = the_problem(loader, path, "bad_character", field)
    assert "U+0000" in problem.note and problem.row == line_of(path, f"{key}: \"")
    code, err = run(capsys, samples.argv("annexes"))
    assert_refused(code, err, samples.out, path, "U+0000", field)


@pytest.mark.parametrize("stage", ["forms", "roster"])
@pytest.mark.parametrize("char", ["\x07", "\x00", "\x1b", "\ufffe"])
def test_a_control_character_in_a_recipient_name_is_refused(samples, capsys, stage, char):
    path = samples["recipients.csv"]
    path.write_text(samples.text("recipients.csv").replace("北京市知识产权局", f"北京市{char}知识产权局", 1),
                    encoding="utf-8")
    named = f"U+{ord(char):04X}"
    problem = the_problem(load_recipients, path, "bad_character", "name（单位名称）")
    assert named in problem.note and problem.row == 2
    with deadline(60):
        code, err = run(capsys, samples.argv(stage))
    assert_refused(code, err, samples.out, path, named, "第2行")


# Lengths -----------------------------------------------------------------------------------
def test_a_201_character_title_is_too_long(samples, capsys):
    title = ("关于" + SAMPLE_TITLE * 10)[:201]
    path = samples.edit("notice.yaml", f"title: {SAMPLE_TITLE}", f"title: {title}")
    problem = the_problem(load_notice, path, "too_long", "title")
    assert "201" in problem.note and "200" in problem.note
    code, err = run(capsys, samples.argv("notice"))
    assert_refused(code, err, samples.out, path, "title", "201")


def test_a_200_character_title_is_accepted(samples, capsys):
    title = (SAMPLE_TITLE * 10)[:198] + "通知"
    path = samples.edit("notice.yaml", f"title: {SAMPLE_TITLE}", f"title: {title}")
    assert load_notice(path).title == title
    code, err = run(capsys, samples.argv("notice"))
    assert code == 0, err


def test_a_20001_character_closing_is_too_long(samples, capsys):
    path = samples.edit("notice.yaml", "closing: 特此通知。", "closing: " + "特" * 20_001)
    problem = the_problem(load_notice, path, "too_long", "closing")
    assert "20001" in problem.note and problem.row == line_of(path, "closing:")
    code, err = run(capsys, samples.argv("notice"))
    assert_refused(code, err, samples.out, path, "closing", "20001")


TITLE_TEXTS = {
    "chinese": SAMPLE_TITLE,
    "digits": "1234567890",
    "latin_words": "word ",
    "punctuation": "，。、；：",
    "no_line_start": "的之和与及",
    "mixed": "关于2022年TISC（技术与创新支持中心）“十四五”规划——",
    "spaces": " ",
}


@pytest.mark.parametrize("length, seconds", [(200, 5), (1_000_000, 60)])
@pytest.mark.parametrize("kind", TITLE_TEXTS)
def test_break_title_keeps_every_line_within_20_characters(kind, length, seconds):
    title = (TITLE_TEXTS[kind] * (length // len(TITLE_TEXTS[kind]) + 1))[:length]
    start = time.monotonic()
    with deadline(seconds * 2):
        lines = break_title(title)
    elapsed = time.monotonic() - start
    assert elapsed < seconds, f"{elapsed:.1f} s"
    assert "".join(lines) == title
    widest = max(char_units(line) for line in lines)
    assert widest <= 20, f"a line is {widest} characters wide"


# Dates -------------------------------------------------------------------------------------
DATES = [  # file, text replaced, key written, field of the problem, stage, loader
    ("notice.yaml", "date: 2022-03-21", "date", "date", "notice", load_notice),
    ("notice.yaml", "print_date: 2022-03-22", "print_date", "print_date", "notice", load_notice),
    ("annex3.yaml", "valid_until: 2022-03-24", "valid_until", "codes[2].valid_until", "annexes", load_qr_annex),
    ("annex3.yaml", "reply_by: 2022-03-24", "reply_by", "reply_by", "annexes", load_qr_annex),
    ("annex2.yaml", "reply_by: 2022-03-24", "reply_by", "form.reply_by", "forms", load_form_spec),
]


@pytest.mark.parametrize("day", ["1979-12-31", "2100-01-01", "0001-01-01", "9999-12-31"])
@pytest.mark.parametrize("name, old, key, field, stage, loader", DATES, ids=[d[3] for d in DATES])
def test_a_date_outside_1980_to_2099_is_invalid(samples, capsys, name, old, key, field, stage, loader, day):
    path = samples.edit(name, old, f"{key}: {day}")
    problem = the_problem(loader, path, "invalid_value", field)
    assert day in problem.note and "1980" in problem.note and problem.row == line_of(path, f"{key}: {day}")
    code, err = run(capsys, samples.argv(stage))
    assert_refused(code, err, samples.out, path, field.rsplit(".", 1)[-1], day)


@pytest.mark.parametrize("day", [dt.date(1979, 12, 31), dt.date(2100, 1, 1), dt.date(1, 1, 1), dt.date(9999, 12, 31)])
def test_the_zip_writer_takes_any_date(day):
    when = zip_time(day)
    assert when == EPOCH or when[0] == day.year
    with zipfile.ZipFile(io.BytesIO(), "w") as package:
        package.writestr(zipfile.ZipInfo("a.xml", date_time=when), b"<a/>")


# Validity pattern (annex 3) -------------------------------------------------------------------
VALIDITIES = ["{days:>99999999999999}", "{days:>{days}}", "该二维码{days}天内}有效", "该二维码{{days}}天内有效",
              "{0}天内有效", "{days!r}天", "{__class__}", "{month.__class__}", "{days}{month[0]}", "{", "}",
              "{days", "{}天内有效", "{ days }天"]


@pytest.mark.parametrize("validity", VALIDITIES)
def test_a_validity_text_with_other_braces_is_refused(samples, capsys, validity):
    path = samples.edit("annex3.yaml", VALIDITY_LINE, f"validity: '{validity}'")
    with deadline(10):
        problem = the_problem(load_qr_annex, path, "invalid_value", "validity")
    assert problem.row == line_of(path, "validity:")
    with deadline(20):
        code, err = run(capsys, samples.argv("annexes"))
    assert_refused(code, err, samples.out, path, "validity")


# Duplicate keys ----------------------------------------------------------------------------
DUPLICATES = [  # file, text before which the duplicate is inserted, duplicate line, key, loader
    ("notice.yaml", "addressees:", "title: 又一个标题\n", "title", load_notice),
    ("notice.yaml", "    source: annex1.yaml", "    name: 另一个名称\n", "name", load_notice),
    ("notice.yaml", "print_date:", "date: 2022-03-21\n", "date", load_notice),
    ("annex3.yaml", "    image: group_qr.png", "    caption: 又一个说明\n", "caption", load_qr_annex),
    ("annex2.yaml", "  rows: 20", "  instruction: 另一条说明\n", "instruction", load_form_spec),
    ("annex1.yaml", "body:", "number: 1\n", "number", load_annex),
]


@pytest.mark.parametrize("name, before, duplicate, key, loader", DUPLICATES, ids=[f"{d[0]}-{d[3]}" for d in DUPLICATES])
def test_a_key_given_twice_is_named_with_its_line(samples, capsys, name, before, duplicate, key, loader):
    path = samples.edit(name, before, duplicate + before)
    line = line_of(path, duplicate + before)  # the second occurrence: the first one stands
    found = problems(loader, path)
    assert any(f"“{key}”" in p.note and "重复" in p.note and p.row == line for p in found), \
        [(p.code, p.row, p.field, p.note) for p in found]
    stage = {"notice.yaml": "notice", "annex2.yaml": "forms"}.get(name, "annexes")
    code, err = run(capsys, samples.argv(stage))
    assert_refused(code, err, samples.out, path, f"“{key}”", f"第{line}行")


def test_a_column_given_twice_in_the_recipients_header_is_named(samples, capsys):
    path = samples.edit("recipients.csv", "id,name,aliases,category", "id,name,aliases,category,name")
    found = problems(load_recipients, path)
    assert any(p.field == "name（单位名称）" and p.row == 1 and "重复" in p.note for p in found)
    code, err = run(capsys, samples.argv("forms"))
    assert_refused(code, err, samples.out, path, "name")


# Wrong types -------------------------------------------------------------------------------
WRONG_TYPES = [  # id, file, text, replacement, loader, field, codes accepted, text marking the line
    ("title_list", "notice.yaml", f"title: {SAMPLE_TITLE}", "title: [甲, 乙]", load_notice, "title", {"wrong_type"},
     "title:"),
    ("title_block_list", "notice.yaml", f"title: {SAMPLE_TITLE}", "title:\n  - 甲\n  - 乙", load_notice, "title",
     {"wrong_type"}, "title:"),
    ("title_true", "notice.yaml", f"title: {SAMPLE_TITLE}", "title: true", load_notice, "title", {"wrong_type"},
     "title:"),
    ("title_mapping", "notice.yaml", f"title: {SAMPLE_TITLE}", "title: {甲: 乙}", load_notice, "title",
     {"wrong_type"}, "title:"),
    ("title_null", "notice.yaml", f"title: {SAMPLE_TITLE}", "title: null", load_notice, "title", {"missing_value"},
     "title:"),
    ("closing_list", "notice.yaml", "closing: 特此通知。", "closing: [特此, 通知]", load_notice, "closing",
     {"wrong_type"}, "closing:"),
    ("body_paragraph_list", "notice.yaml", "  - 请各单位于", "  - [甲, 乙]\n  - 请各单位于", load_notice, "body[5]",
     {"wrong_type"}, "[甲, 乙]"),
    ("body_paragraph_true", "notice.yaml", "  - 请各单位于", "  - true\n  - 请各单位于", load_notice, "body[5]",
     {"wrong_type"}, "- true"),
    ("body_heading_mapping", "notice.yaml", "  - 请各单位于", "  - h1: {甲: 乙}\n  - 请各单位于", load_notice,
     "body[5].h1", {"wrong_type"}, "h1: {甲"),
    ("body_text_list", "notice.yaml", "  - 请各单位于", "  - h1: 标题。\n    text: [甲]\n  - 请各单位于", load_notice,
     "body[5].text", {"wrong_type"}, "text: [甲]"),
    ("body_unknown_mapping", "notice.yaml", "  - 请各单位于", "  - 甲: {乙: 丙}\n  - 请各单位于", load_notice,
     "body[5].甲", {"unknown_key"}, "甲: {乙"),
    ("body_text", "notice.yaml", "body:\n", "body: 一段文字\nx_old_body:\n", load_notice, "body", {"wrong_type"},
     "body: 一段"),
    ("annexes_mapping", "notice.yaml", "annexes:\n", "annexes: {name: 甲}\nx_old_annexes:\n", load_notice, "annexes",
     {"wrong_type"}, "annexes: {"),
    ("annex_name_list", "notice.yaml", "  - name: 联系人信息表", "  - name: [联系人信息表]", load_notice,
     "annexes[2].name", {"wrong_type"}, "name: [联系人"),
    ("date_number", "notice.yaml", "date: 2022-03-21", "date: 44641", load_notice, "date",
     {"wrong_type", "invalid_value"}, "date: 44641"),
    ("date_float", "notice.yaml", "date: 2022-03-21", "date: 2022.0321", load_notice, "date",
     {"wrong_type", "invalid_value"}, "date: 2022.0321"),
    ("date_list", "notice.yaml", "date: 2022-03-21", "date: [2022, 3, 21]", load_notice, "date",
     {"wrong_type", "invalid_value"}, "date: [2022"),
    ("date_true", "notice.yaml", "date: 2022-03-21", "date: true", load_notice, "date",
     {"wrong_type", "invalid_value"}, "date: true"),
    ("date_datetime", "notice.yaml", "date: 2022-03-21", "date: 2022-03-21 10:00:00", load_notice, "date",
     {"wrong_type", "invalid_value"}, "date: 2022-03-21 10"),
    ("date_impossible", "notice.yaml", "date: 2022-03-21", "date: 2022-02-30", load_notice, "date",
     {"invalid_value"}, "date: 2022-02-30"),
    ("date_basic_number", "notice.yaml", "date: 2022-03-21", "date: 20220321", load_notice, "date",
     {"wrong_type", "invalid_value"}, "date: 20220321"),
    ("date_week", "notice.yaml", "date: 2022-03-21", "date: 2022-W12-1", load_notice, "date",
     {"wrong_type", "invalid_value"}, "date: 2022-W12-1"),
    ("format_number", "notice.yaml", "format: 信函格式", "format: 1", load_notice, "format", {"invalid_value"},
     "format: 1"),
    ("annex_number_text", "annex1.yaml", "number: 1", "number: 一", load_annex, "number", {"invalid_value"},
     "number: 一"),
    ("annex_number_true", "annex1.yaml", "number: 1", "number: true", load_annex, "number", {"invalid_value"},
     "number: true"),
    ("table_rows_mapping", "annex1.yaml", "      rows:\n", "      rows: {甲: 乙}\n      x_old_rows:\n", load_annex,
     "body[11].table.rows", {"wrong_type"}, "rows: {甲"),
    ("table_cell_mapping", "annex1.yaml", "        - [3月, 中国汽车", "        - [{甲: 乙}, 中国汽车", load_annex,
     "body[11].table.rows[1][1]", {"wrong_type"}, "[{甲: 乙}"),
    ("columns_text", "annex2.yaml", "columns: [序号", "columns: 序号\nx_old: [序号", load_form_spec, "columns",
     {"wrong_type"}, "columns: 序号"),
    ("form_rows_text", "annex2.yaml", "  rows: 20", "  rows: 二十", load_form_spec, "form.rows", {"invalid_value"},
     "rows: 二十"),
    ("form_list", "annex2.yaml", "form:\n", "form: [甲]\nx_old_form:\n", load_form_spec, "form", {"wrong_type"},
     "form: [甲]"),
    ("codes_mapping", "annex3.yaml", "codes:  ", "codes: {甲: 乙}\nx_old_codes:  ", load_qr_annex, "codes",
     {"wrong_type"}, "codes: {甲"),
    ("show_payload_text", "annex3.yaml", "show_payload: true", "show_payload: 是", load_qr_annex,
     "codes[1].show_payload", {"invalid_value"}, "show_payload: 是"),
    ("valid_days_true", "annex3.yaml", "valid_days: 7", "valid_days: true", load_qr_annex, "codes[2].valid_days",
     {"invalid_value"}, "valid_days: true"),
    ("valid_days_list", "annex3.yaml", "valid_days: 7", "valid_days: [7]", load_qr_annex, "codes[2].valid_days",
     {"invalid_value", "wrong_type"}, "valid_days: [7]"),
    ("payload_mapping", "annex3.yaml", "payload: http", "payload: {a: b}\n    x_old: http", load_qr_annex,
     "codes[1].payload", {"wrong_type"}, "payload: {a"),
]
# The notice's own check of its annexes (number against position) speaks first, naming the annex by its source.
CLI_NAMED = {"annex_number_text": ("notice.yaml", "annex1.yaml", "序号", "一")}


@pytest.mark.parametrize(
    "case, name, old, new, loader, field, codes, marker",
    [pytest.param(*case, id=case[0]) for case in WRONG_TYPES])
def test_a_value_of_the_wrong_type_is_reported_at_its_field_and_line(samples, capsys, case, name, old, new, loader,
                                                                     field, codes, marker):
    path = samples.edit(name, old, new)
    found = problems(loader, path)
    at = [p for p in found if p.field == field]
    assert at and {p.code for p in at} <= codes | {"missing_value"} and {p.code for p in at} & codes, \
        [(p.code, p.row, p.field, p.note) for p in found]
    assert all(p.row == line_of(path, marker) for p in at), [(p.code, p.row, p.field) for p in at]
    assert all(CHINESE.search(p.note) for p in found)
    stage = {"notice.yaml": "notice", "annex2.yaml": "forms"}.get(name, "annexes")
    code, err = run(capsys, samples.argv(stage))
    assert_refused(code, err, samples.out, *CLI_NAMED.get(case, (path, field)))


# Explicit YAML tags --------------------------------------------------------------------------
TAGS = ["!!bool 也许", "!!timestamp 明天", '!!int ""', '!!float ""', '!!int "-"', '!!int "+"', "!!int 一",
        "!!float 一", "!!null 甲", "!!str 甲", "!!python/object:os.system ls", "!!set {甲, 乙}", "!!omap [甲]",
        "!!binary 甲", "!甲 乙"]
@pytest.mark.parametrize("tagged", TAGS)
def test_an_explicit_yaml_tag_is_refused_or_read_as_text_never_a_crash(samples, capsys, tagged):
    path = samples.edit("notice.yaml", "closing: 特此通知。", f"closing: {tagged}")
    code, err = run(capsys, samples.argv("notice"))
    assert code in (0, 2), f"exit {code}; stderr:\n{err}"
    if code == 2:
        assert_refused(code, err, samples.out, path)


# Names long enough to break the output file's name ----------------------------------------------
@pytest.mark.parametrize("which", ["annex_title", "last_annex_title", "recipient_name", "notice_number"])
def test_a_long_name_within_its_schema_limit_is_written_or_refused_at_its_field(samples, capsys, which):
    if which == "annex_title":
        long_title = "知识产权信息服务优秀案例分享活动工作方案" + "详" * 100  # 120 < 200 characters
        path = samples.edit("annex1.yaml", "title: 知识产权信息服务优秀案例分享活动工作方案", f"title: {long_title}")
        samples.edit("notice.yaml", "  - name: 知识产权信息服务优秀案例分享活动工作方案", f"  - name: {long_title}")
        argv, field = samples.argv("annexes"), "title"
    elif which == "last_annex_title":  # annexes 1 and 2 are fine: nothing of them may be left in --out either
        long_title = "活动联络群二维码" + "详" * 100
        path = samples.edit("annex3.yaml", "title: 活动联络群二维码", f"title: {long_title}")
        samples.edit("notice.yaml", "  - name: 活动联络群二维码", f"  - name: {long_title}")
        argv, field = samples.argv("annexes"), "title"
    elif which == "recipient_name":
        path = samples["recipients.csv"]
        path.write_text(samples.text("recipients.csv").replace("北京市知识产权局", "北京市知识产权局" + "详" * 100, 1),
                        encoding="utf-8")
        argv, field = samples.argv("forms"), "name"
    else:
        path = samples.edit("notice.yaml", "国知办函服字〔2022〕270号", "国知办函服字" + "服" * 80 + "〔2022〕270号")
        argv, field = samples.argv("notice"), "number"
    code, err = run(capsys, argv)
    assert code in (0, 2), f"exit {code}; stderr:\n{err}"
    if code == 2:
        assert_refused(code, err, samples.out, path, field)
