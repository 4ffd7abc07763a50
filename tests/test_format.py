"""Test `format` on a corpus of drafts typed the way clerks type them: elements, corrections, fonts, text kept, rebuild."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from collections import Counter
from pathlib import Path

import pytest
import yaml
from docx import Document
from draft_corpus import CORPUS, Draft, missing_number

from pipeline.check.wordml import Styles, font_for_char
from pipeline.cli import main

HEADING_FONTS = {1: "黑体", 2: "楷体_GB2312", 3: "仿宋_GB2312", 4: "仿宋_GB2312"}
BODY_FONT = "仿宋_GB2312"
RECOGNITION_FLOOR = 0.95
W_T = re.compile(rb"<w:t(?:\s[^>]*)?>([^<]*)</w:t>")
MD_MARKUP = re.compile(r"^\s*#+\s*|^\s*\|?\s*:?-{2,}.*$|\*\*|\||^-{3,}$", re.M)
IDS = [d.name for d in CORPUS]


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """Write every corpus draft into one folder and format the folder once (a batch: one subfolder a draft)."""
    root = tmp_path_factory.mktemp("corpus")
    drafts = root / "drafts"
    drafts.mkdir()
    paths = {d.name: d.build(drafts) for d in CORPUS}
    out = root / "out"
    code = main(["format", str(drafts), "--out", str(out), "--no-pdf"])
    return {"code": code, "out": out, "paths": paths}


def folder(batch, draft: Draft) -> Path:
    return batch["out"] / Path(draft.name).stem


def report(batch, draft: Draft) -> dict:
    return json.loads((folder(batch, draft) / "format_report.json").read_text(encoding="utf-8"))


def formatted_docx(batch, draft: Draft) -> Path:
    found = sorted(folder(batch, draft).glob("*.docx"))
    assert len(found) == 1, f"{draft.name}: expected one formatted .docx, got {found}"
    return found[0]


def missing_elements(rep: dict, draft: Draft) -> list[tuple[str, str]]:
    """Return the expected (element, fragment) pairs the report does not hold, each report element used once."""
    found = [(e["element"], e["text"]) for e in rep["elements"]]
    missing = []
    for element, fragment in draft.elements:
        hit = next((i for i, (e, text) in enumerate(found) if e == element and fragment in text), None)
        if hit is None:
            missing.append((element, fragment))
        else:
            found.pop(hit)
    return missing


def test_batch_builds_every_draft(batch):
    assert batch["code"] == 0
    assert sorted(p.name for p in batch["out"].iterdir() if p.is_dir()) == sorted(Path(d.name).stem for d in CORPUS)


@pytest.mark.parametrize("draft", CORPUS, ids=IDS)
def test_elements_recognised(batch, draft):
    assert missing_elements(report(batch, draft), draft) == []


@pytest.mark.parametrize("draft", CORPUS, ids=IDS)
def test_layout_inferred(batch, draft):
    rep = report(batch, draft)
    assert (rep["layout"], rep["problems"], [u["text"] for u in rep["unplaced"]]) == (draft.layout, [], draft.unplaced)


@pytest.mark.parametrize("draft", CORPUS, ids=IDS)
def test_corrections_recorded(batch, draft):
    made = [(c["code"], c["before"], c["after"]) for c in report(batch, draft)["corrections"]]
    assert [c for c in draft.corrections if c not in made] == []
    assert all(c["message"] and c["paragraph"] > 0 for c in report(batch, draft)["corrections"])


@pytest.mark.parametrize("draft", [d for d in CORPUS if d.data], ids=[d.name for d in CORPUS if d.data])
def test_notice_data_values(batch, draft):
    data = yaml.safe_load((folder(batch, draft) / "notice_data" / "notice.yaml").read_text(encoding="utf-8"))
    assert {k: data.get(k) for k in draft.data} == draft.data


# --- the formatted notice ---------------------------------------------------------------------------
def fonts_at(docx: Path, fragment: str) -> tuple[list[str], str]:
    """Return the East-Asian fonts of the Chinese characters of the first paragraph holding fragment
    (from fragment on), and that paragraph's text."""
    doc = Document(str(docx))
    styles = Styles(doc.styles.element)
    for p in doc.paragraphs:
        if fragment not in p.text:
            continue
        fonts, start, seen = [], p.text.index(fragment), 0
        for run in p.runs:
            for ch in run.text:
                if seen >= start and "\u4e00" <= ch <= "\u9fff":
                    fonts.append(font_for_char(styles.run_levels(p._p, run._r), ch))
                seen += 1
        return fonts, p.text
    raise AssertionError(f"“{fragment}” is not in {docx.name}")


def font_expectations(draft: Draft) -> list[tuple[str, str, str]]:
    """Return (fragment, font its first character must have, font the rest of the paragraph must have)."""
    out = []
    for (element, fragment), nxt in zip(draft.elements, draft.elements[1:] + [("", "")]):
        if element.startswith("heading"):
            level = int(element[-1])
            out.append((fragment, HEADING_FONTS[level], "heading"))
            if nxt[0] == "body":
                out.append((nxt[1], BODY_FONT, "body"))
        elif element == "body":
            out.append((fragment, BODY_FONT, "body"))
    return out


@pytest.mark.parametrize("draft", CORPUS, ids=IDS)
def test_body_never_takes_heading_font(batch, draft):
    docx = formatted_docx(batch, draft)
    wrong = []
    for fragment, font, kind in font_expectations(draft):
        fonts, text = fonts_at(docx, fragment)
        if kind == "body" and set(fonts) != {font}:
            wrong.append((fragment, sorted(set(map(str, fonts)))))
        if kind == "heading":
            shown = fonts[:len(re.sub(r"[^\u4e00-\u9fff]", "", fragment))]
            rest = fonts[len(shown):]
            if set(shown) != {font} or (rest and set(rest) != {BODY_FONT}):
                wrong.append((fragment, sorted(set(map(str, shown))), sorted(set(map(str, rest)))))
    assert wrong == []


def docx_chars(path: Path) -> Counter:
    """Return the count of each non-whitespace character in every text part of a .docx (body, headers, footers)."""
    with zipfile.ZipFile(path) as z:
        texts = [m.group(1).decode("utf-8") for name in z.namelist() if name.startswith("word/") and name.endswith(".xml")
                 for m in W_T.finditer(z.read(name))]
    return Counter(re.sub(r"\s", "", "".join(texts).replace("&amp;", "&")))


def draft_chars(path: Path) -> Counter:
    """Return the count of each non-whitespace character a clerk typed in a draft (Markdown markup aside)."""
    if path.suffix == ".docx":
        return docx_chars(path)
    data = path.read_bytes()
    text = data.decode("gbk") if b"\xef\xbb\xbf" not in data[:3] and not _utf8(data) else data.decode("utf-8-sig")
    if path.suffix == ".md":
        text = MD_MARKUP.sub("", text)
    return Counter(re.sub(r"\s", "", text))


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@pytest.mark.parametrize("draft", CORPUS, ids=IDS)
def test_no_text_lost(batch, draft):
    rep = report(batch, draft)
    kept = docx_chars(formatted_docx(batch, draft))
    corrected = Counter(re.sub(r"\s", "", "".join(c["before"] for c in rep["corrections"])))
    lost = draft_chars(batch["paths"][draft.name]) - kept - corrected
    assert "".join(sorted(lost.elements())) == ""


def paragraph_texts(docx: Path) -> list[str]:
    return [re.sub(r"\s", "", p.text) for p in Document(str(docx)).paragraphs if p.text.strip()]


@pytest.mark.parametrize("draft", CORPUS, ids=IDS)
def test_notice_data_rebuilds_the_notice(batch, draft, tmp_path):
    data_dir = folder(batch, draft) / "notice_data"
    assert main(["notice", "--input", str(data_dir / "notice.yaml"), "--out", str(tmp_path)]) == 0
    rebuilt = next(tmp_path.glob("*.docx"))
    formatted = formatted_docx(batch, draft)
    if len(list(data_dir.iterdir())) == 1:  # no annex, no issued document: the same notice, byte for byte
        with zipfile.ZipFile(rebuilt) as a, zipfile.ZipFile(formatted) as b:
            assert a.read("word/document.xml") == b.read("word/document.xml")
    else:  # the formatted file also binds the annexes: the notice's paragraphs come first, in order
        texts = iter(paragraph_texts(formatted))
        assert all(any(t == u for u in texts) for t in paragraph_texts(rebuilt))


@pytest.mark.parametrize("draft", CORPUS, ids=IDS)
def test_formatted_notice_passes_check(batch, draft):
    rep = report(batch, draft)
    assert [f for f in rep["check"]["findings"] if f["severity"] == "error"] == []


def test_check_stage_passes_the_formatted_notices(batch, capsys):
    files = [str(formatted_docx(batch, d)) for d in CORPUS]
    assert main(["check", *files, "--json"]) == 0
    results = json.loads(capsys.readouterr().out)
    assert len(results) == len(CORPUS) and all(f["severity"] != "error" for r in results for f in r["findings"])


def test_recognition_figures(batch, capsys):
    expected = sum(len(d.elements) for d in CORPUS)
    found = expected - sum(len(missing_elements(report(batch, d), d)) for d in CORPUS)
    corrections = sum(len(d.corrections) for d in CORPUS)
    made = sum(len([c for c in d.corrections if c in [(x["code"], x["before"], x["after"])
                                                          for x in report(batch, d)["corrections"]]]) for d in CORPUS)
    with capsys.disabled():
        print(f"\nrecognition: {found}/{expected} elements ({found / expected:.1%}), "
              f"{made}/{corrections} corrections, {len(CORPUS)} drafts")
    assert found / expected >= RECOGNITION_FLOOR
    assert made / corrections >= RECOGNITION_FLOOR


# --- batches and failures -----------------------------------------------------------------------------
def test_batch_of_three_gives_three_folders_and_one_manifest(batch, tmp_path):
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    for draft in CORPUS[-4:-1]:
        shutil.copy(batch["paths"][draft.name], drafts)
    out = tmp_path / "out"
    assert main(["format", str(drafts), "--out", str(out), "--no-pdf"]) == 0
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == sorted(Path(d.name).stem for d in CORPUS[-4:-1])
    assert [p.relative_to(out) for p in out.rglob("manifest.json")] == [Path("manifest.json")]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    roles = Counter(f["role"] for f in manifest["files"]) if isinstance(manifest, dict) else Counter()
    assert roles["notice"] == 3 and roles["format_report"] == 3


def test_missing_number_reports_and_still_writes_data(tmp_path):
    out = tmp_path / "out"
    assert main(["format", str(missing_number(tmp_path)), "--out", str(out), "--no-pdf"]) == 1
    rep = json.loads((out / "format_report.json").read_text(encoding="utf-8"))
    assert any("发文字号" in p for p in rep["problems"])
    assert (out / "notice_data" / "notice.yaml").is_file()
    assert list(out.glob("*.docx")) == []


@pytest.mark.parametrize("name", ["草稿.pdf", "不存在.txt"])
def test_not_a_draft_is_a_usage_error(tmp_path, capsys, name):
    if name.endswith(".pdf"):
        (tmp_path / name).write_bytes(b"%PDF-1.4")
    assert main(["format", str(tmp_path / name), "--out", str(tmp_path / "out"), "--no-pdf"]) == 2
    assert re.search(r"[\u4e00-\u9fff]", capsys.readouterr().err)
    assert not (tmp_path / "out").exists()
