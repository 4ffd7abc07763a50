"""Spoil every text field of every sample data file in turn: each spoiled field is one problem, at its own line.

For each text value of the sample YAML files (notices, annexes, form specs, the issued document), a copy of
the file gets that one value replaced by text with a control character, or by 20,001 characters. Loading it
must give exactly one problem, at that field and on that value's line: no traceback, no value silently
accepted, and no follow-up complaint (缺少此项, 合并列不在 columns 中) about the value the clerk did write.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml
from PIL import Image

from pipeline import cli
from pipeline.core import images, recipients, schema, source
from pipeline.core.errors import InputError
from pipeline.core.recipients import load_recipients
from pipeline.core.source import field_name, parse
from pipeline.forms.spec import load_form_spec
from pipeline.notice import notice
from pipeline.notice.annexes import load_annex
from pipeline.notice.notice import load_notice
from pipeline.qr.data import load_qr_annex

from guards import deadline
from paths import REPO

LOADERS = {  # sample file (under inputs/) → how a stage loads it (the issued document through its notice)
    "notice.yaml": load_notice,
    "annex1.yaml": load_annex,
    "annex2.yaml": load_form_spec,
    "annex3.yaml": load_qr_annex,
    "examples/companies/spec.yaml": load_form_spec,
    "examples/landscape_annex_1.yml": load_annex,
    "examples/landscape_annex_2.yml": load_annex,
    "examples/parts/patent_plan.yaml": lambda path: load_notice(path.parents[1] / "issued_plan_notice.yaml"),
    **{f"examples/{p.name}": load_notice for p in (REPO / "inputs" / "examples").glob("*.yaml")},
}
SPOILERS = {"control": "甲\x07乙", "overlong": "长" * 20_001}


def texts(value, at: tuple = ()):
    """Yield the path of every text value in a loaded YAML tree."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from texts(item, at + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from texts(item, at + (i,))
    elif isinstance(value, str):
        yield at


def replaced(tree, at: tuple, text: str):
    """Return a copy of tree with the value at path at replaced by text."""
    copy = yaml.safe_load(yaml.safe_dump(tree, allow_unicode=True))
    node = copy
    for part in at[:-1]:
        node = node[part]
    node[at[-1]] = text
    return copy


@pytest.fixture
def inputs(tmp_path) -> Path:
    shutil.copytree(REPO / "inputs", tmp_path / "inputs", ignore=shutil.ignore_patterns("returned", "drafts"))
    return tmp_path / "inputs"


def test_every_sample_data_file_is_swept():
    samples = {p.relative_to(REPO / "inputs").as_posix() for p in (REPO / "inputs").rglob("*.y*ml")}
    assert samples == set(LOADERS)


@pytest.mark.parametrize("spoiler", SPOILERS)
@pytest.mark.parametrize("name", sorted(LOADERS))
def test_a_spoiled_text_field_is_one_problem_at_its_line(inputs, name, spoiler):
    target, loader = inputs / name, LOADERS[name]
    loader(target)  # the sample itself loads
    tree = yaml.safe_load(target.read_text(encoding="utf-8"))
    wrong = []
    for at in texts(tree):
        target.write_text(yaml.safe_dump(replaced(tree, at, SPOILERS[spoiler]), allow_unicode=True), encoding="utf-8")
        try:
            loader(target)
        except InputError as exc:
            found = [(p.code, p.field, p.row) for p in exc.errors]
            line = parse(target).lines[at]
            expected = ("bad_character" if spoiler == "control" else "too_long", field_name(at), line)
            if found != [expected]:
                wrong.append((field_name(at), found))
        else:
            wrong.append((field_name(at), "accepted"))
    assert wrong == []


@pytest.mark.parametrize("name, old, new, stage, field", [
    ("annex1.yaml", "      columns: [时间", "      colums: [时间", "annexes", "body[11].table.colums"),
    ("examples/companies/spec.yaml", "decimal, min: 0", "decimal, minimum: 0", "forms", "columns[6].minimum"),
    ("annex2.yaml", "  rows: 20", "  row: 20", "forms", "form.row"),  # form.rows is required: not also "missing"
    ("recipients.csv", "id,name,aliases,category", "id,name,aliases,categroy", "forms", "categroy"),
])
def test_a_mistyped_key_in_a_table_or_a_typed_column_is_the_only_problem(inputs, capsys, name, old, new, stage,
                                                                           field):
    path = inputs / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    loader = load_recipients if name.endswith(".csv") else LOADERS[name]
    with pytest.raises(InputError) as caught:
        loader(path)
    typo, suggested = (field, "category") if name.endswith(".csv") else (new.split(":")[0].split()[-1],
                                                                           old.split(":")[0].split()[-1])
    assert [(p.code, p.field) for p in caught.value.errors] == [("unknown_key", field)]
    assert f"是不是“{suggested}”" in caught.value.errors[0].note
    out = inputs.parent / "out"
    argv = {"annexes": ["annexes", "--input", inputs / "notice.yaml", "--out", out],
            "forms": ["forms", "--spec", path.with_name("spec.yaml") if "companies" in name else inputs / "annex2.yaml",
                      "--recipients", path.parent / "recipients.csv", "--out", out]}[stage]
    capsys.readouterr()
    assert cli.main([str(a) for a in argv]) == 2
    err = capsys.readouterr().err
    assert f"字段 {field}：不认识的字段“{typo}”，是不是“{suggested}”？" in err and err.count("\n  - ") == 1, err
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize("where", ["body_paragraph", "heading_text", "form_column", "typed_column"])
@pytest.mark.parametrize("char", ["\\0", "\\x07", "\\uFFFE", "\\udc80"])
def test_an_unstorable_character_in_a_paragraph_or_a_column_name_stops_the_stage(inputs, capsys, where, char):
    name, old, new, field, stage = {
        "body_paragraph": ("notice.yaml", "  - 请各单位于", f'  - "请{char}各单位于', "body[5]", "notice"),
        "heading_text": ("notice.yaml", "    text: 围绕", f'    text: "围{char}绕', "body[2].text", "notice"),
        "form_column": ("annex2.yaml", "columns: [序号, 工作单位,", f'columns: [序号, "工作{char}单位",', "columns[2]",
                        "forms"),
        "typed_column": ("examples/companies/spec.yaml", "{name: 推荐单位,", f'{{name: "推荐{char}单位",',
                         "columns[2].name", "forms"),
    }[where]
    path = inputs / name
    text = path.read_text(encoding="utf-8")
    line = text[:text.index(old)].count("\n") + 1
    text = text.replace(old, new, 1)
    if where in ("body_paragraph", "heading_text"):  # close the quotes at the end of that line
        start = text.index(new)
        end = text.index("\n", start)
        text = text[:end] + '"' + text[end:]
    path.write_text(text, encoding="utf-8")
    named = "U+" + {"\\0": "0000", "\\x07": "0007", "\\uFFFE": "FFFE", "\\udc80": "DC80"}[char]
    out = inputs.parent / "out"
    argv = {"notice": ["notice", "--input", path, "--out", out],
            "forms": ["forms", "--spec", path, "--recipients", inputs / "recipients.csv", "--out", out]}[stage]
    capsys.readouterr()
    assert cli.main([str(a) for a in argv]) == 2
    err = capsys.readouterr().err
    assert f"{path}：第{line}行，字段 {field}：含有 Word 和 Excel 无法保存的字符" in err and named in err, err
    assert err.count("\n  - ") == 1, err  # that one problem, no follow-up
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize("kind, named", [("pixels", "12000×12000 像素，过大"), ("fifo", "管道或设备"),
                                         ("dev_zero", "管道或设备"), ("bytes", "超过 10 MB")])
def test_a_saved_qr_image_is_checked_like_a_seal_before_it_is_decoded(inputs, capsys, kind, named):
    image = inputs / "saved.png"
    if kind == "pixels":  # 41 KB on disk, 144 million pixels: drawing it into the PDF took 1.7 GB
        Image.new("1", (12_000, 12_000), 1).save(image)
    elif kind == "fifo":
        os.mkfifo(image)
    elif kind == "dev_zero":
        image.symlink_to("/dev/zero")
    else:
        image.write_bytes(b"\x89PNG" + b"\0" * (10 * 1024 * 1024))
    annex = inputs / "annex3.yaml"
    text = annex.read_text(encoding="utf-8")
    annex.write_text(text.replace("image: group_qr.png", "image: saved.png"), encoding="utf-8")
    line = text[:text.index("image: group_qr.png")].count("\n") + 1
    out = inputs.parent / "out"
    capsys.readouterr()
    with deadline(60):  # a FIFO nobody writes to would block an open() for ever
        code = cli.main(["annexes", "--input", str(inputs / "notice.yaml"), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert f"{annex}：第{line}行，字段 codes[2].image：" in err and named in err and err.count("\n  - ") == 1, err
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize("size, named", [((12_000, 12_000), "12000×12000 像素，过大"), ((15_000, 15_000), "像素过多")])
def test_a_seal_with_too_many_pixels_is_refused_with_its_size(inputs, capsys, size, named):
    seal = inputs / "examples" / "示例印章.png"
    Image.new("1", size, 1).save(seal)  # above PIL's own bomb warning (89 M pixels) and error (179 M pixels)
    joint = inputs / "examples" / "joint_notice_with_seals.yaml"
    out = inputs.parent / "out"
    capsys.readouterr()
    with deadline(60):
        code = cli.main(["notice", "--input", str(joint), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and "字段 seals[1]：" in err and named in err, err
    assert not out.exists() or not any(out.iterdir())


def test_the_readme_lists_every_data_file_limit_with_its_value():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## 限制与安全 / Limits and safety"):]
    section = section[:section.index("\n## ", 5)] if "\n## " in section[5:] else section
    for name, value in [("MAX_DATA_BYTES", f"{source.MAX_DATA_BYTES // 1024 // 1024} MB"),
                        ("MAX_YAML_ALIASES", f"{source.MAX_YAML_ALIASES} 个"),
                        ("MAX_YAML_VALUES", f"{source.MAX_YAML_VALUES:,} 个"),
                        ("MAX_YAML_DEPTH", f"{source.MAX_YAML_DEPTH} 层"), ("MAX_TITLE", f"{notice.MAX_TITLE} 字"),
                        ("MAX_NAME", f"{recipients.MAX_NAME} 字"), ("MAX_TEXT", f"{schema.MAX_TEXT:,} 字"),
                        ("MIN_YEAR", f"{schema.MIN_YEAR}—{schema.MAX_YEAR} 年"),
                        ("MAX_IMAGE_BYTES", f"{images.MAX_IMAGE_BYTES // 1024 // 1024} MB"),
                        ("MAX_PIXELS", f"{images.MAX_PIXELS:,} 像素")]:
        assert f"{value}（`{name}`" in section, (name, value)


@pytest.mark.parametrize("target, code, named", [
    ("notice.yaml", 0, "已生成通知"), ("/dev/zero", 2, "不是普通文件（可能是管道或设备）"), ("loop", 2, "是循环的链接"),
    ("missing.yaml", 2, "文件不存在"), (".", 2, "这是一个文件夹"),
])
def test_a_data_file_given_as_a_link_is_read_through_it_when_it_points_to_a_regular_file(inputs, capsys, target,
                                                                                         code, named):
    link = inputs / "link.yaml"
    if target == "loop":
        (inputs / "loop.yaml").symlink_to(link)
        target = "loop.yaml"
    link.symlink_to(target if target.startswith("/") else inputs / target)
    out = inputs.parent / "out"
    capsys.readouterr()
    with deadline(60):  # /dev/zero read to its end would never stop
        done = cli.main(["notice", "--input", str(link), "--out", str(out)])
    printed = capsys.readouterr()
    assert done == code and named in printed.out + printed.err, printed
    if code == 2:
        assert f"{link}：{named}" in printed.err and (not out.exists() or not any(out.iterdir()))


def mappings(value, at: tuple = ()):
    """Yield (path, mapping) for every mapping in a loaded YAML tree."""
    if isinstance(value, dict):
        yield at, value
        for key, item in value.items():
            yield from mappings(item, at + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from mappings(item, at + (i,))


def renamed(tree, at: tuple, key: str, typo: str):
    """Return a copy of tree with key of the mapping at path at renamed typo (its place kept)."""
    copy = yaml.safe_load(yaml.safe_dump(tree, allow_unicode=True))
    node = copy
    for part in at:
        node = node[part]
    items = list(node.items())
    node.clear()
    node.update((typo if k == key else k, v) for k, v in items)
    return copy


@pytest.mark.parametrize("name", sorted(LOADERS))
def test_every_key_mistyped_is_named_never_a_crash(inputs, name):
    target, loader = inputs / name, LOADERS[name]
    tree = yaml.safe_load(target.read_text(encoding="utf-8"))
    wrong = []
    for at, mapping in list(mappings(tree)):
        for key in mapping:
            typo = key + "x"  # 'namex', 'copy_tox': close enough to be suggested
            target.write_text(yaml.safe_dump(renamed(tree, at, key, typo), allow_unicode=True), encoding="utf-8")
            try:
                loader(target)
            except InputError as exc:
                named = [p for p in exc.errors if p.code == "unknown_key" and p.field == field_name(at + (typo,))]
                if not named or f"是不是“{key}”" not in named[0].note:
                    wrong.append((field_name(at + (typo,)), [(p.code, p.field) for p in exc.errors]))
            except Exception as exc:  # noqa: BLE001 - a crash is the failure under test
                wrong.append((field_name(at + (typo,)), repr(exc)))
            else:
                wrong.append((field_name(at + (typo,)), "accepted"))
    assert wrong == []


def test_a_typed_column_without_its_name_is_one_problem_not_an_internal_error(inputs, capsys):
    spec = inputs / "examples" / "companies" / "spec.yaml"
    text = spec.read_text(encoding="utf-8")
    spec.write_text(text.replace("{name: 企业名称, key: company,", "{key: company,"), encoding="utf-8")
    out = inputs.parent / "out"
    capsys.readouterr()
    assert cli.main(["forms", "--spec", str(spec), "--recipients", str(spec.with_name("recipients.csv")),
                     "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "字段 columns[3].name：缺少此项，必须填写" in err and err.count("\n  - ") == 1, err
    assert not out.exists()


@pytest.mark.parametrize("name, edits, expected", [
    ("annex3.yaml", [("  - caption: 联系人微信群二维码\n", "  - show_payload: false\n"), ("    image: group_qr.png\n", "")],
     [("missing_value", "codes[2].caption"), ("invalid_value", "codes[2]")]),  # no caption, nor payload or image
    ("annex1.yaml", [("[时间, 所属机构, 案例, 机构类型]", '["时\\x07间", 所属机构, 案例, 机构类型]'),
                     ("        - [3月, 中国汽车技术研究中心有限公司, 标刻创新水平 引领产业创新, 科研院所]",
                      "        - [3月, 中国汽车技术研究中心有限公司]")],
     [("bad_character", "body[11].table.columns[1]"), ("invalid_value", "body[11].table.rows[1]")]),
])
def test_independent_problems_near_each_other_are_all_reported(inputs, name, edits, expected):
    path = inputs / name
    text = path.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        LOADERS[name](path)
    assert [(p.code, p.field) for p in caught.value.errors] == expected
