"""Test `format` on drafts a clerk could hand it by mistake: each one is reported, nothing is lost, the batch goes on."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
import yaml

from pipeline.cli import main
from pipeline.draft import stage

HEAD = "江宁县某局\n宁某发〔2024〕3号\n关于做好某项工作的通知\n各乡镇人民政府：\n"
TAIL = "江宁县某局\n2024年5月8日\n"
GOOD = HEAD + "请各单位认真做好有关工作。\n" + TAIL


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def run(tmp_path: Path, *drafts: Path) -> tuple[int, Path]:
    out = tmp_path / "out"
    return main(["format", *map(str, drafts), "--out", str(out), "--no-pdf"]), out


def report_of(out: Path, stem: str = "") -> dict:
    return json.loads(((out / stem) if stem else out).joinpath("format_report.json").read_text(encoding="utf-8"))


def notice_data(out: Path, stem: str = "") -> dict:
    return yaml.safe_load(((out / stem) if stem else out).joinpath("notice_data", "notice.yaml").read_text(encoding="utf-8"))


def test_a_fifo_a_binary_file_and_a_broken_docx_are_reported_and_the_good_draft_is_built(tmp_path):
    folder = tmp_path / "drafts"
    folder.mkdir()
    os.mkfifo(folder / "管道.txt")
    (folder / "乱码.txt").write_bytes(bytes(range(128, 256)) * 40)
    (folder / "损坏.docx").write_bytes(b"PK\x03\x04 not a zip at all")
    write(folder, "好的.txt", GOOD)
    code, out = run(tmp_path, folder)
    problems = {stem: report_of(out, stem)["problems"] for stem in ("管道", "乱码", "损坏")}
    assert code == 1
    assert "不是普通文件" in problems["管道"][0] and "编码无法识别" in problems["乱码"][0]
    assert "无法作为 Word 文档打开" in problems["损坏"][0]
    assert list((out / "好的").glob("*.docx")), "the good draft of the batch was not built"


def test_one_draft_that_breaks_the_program_costs_only_itself(tmp_path, monkeypatch):
    real = stage.recognise

    def fragile(blocks, layout=""):
        if any("炸" in getattr(b, "text", "") for b in blocks):
            raise RuntimeError("boom")
        return real(blocks, layout)
    monkeypatch.setattr(stage, "recognise", fragile)
    code, out = run(tmp_path, write(tmp_path, "坏.txt", GOOD.replace("认真", "炸")), write(tmp_path, "好.txt", GOOD))
    assert code == 1
    assert "详细信息已写入" in report_of(out, "坏")["problems"][0]
    assert list((out / "好").glob("*.docx"))


def test_control_characters_are_removed_and_recorded(tmp_path):
    code, out = run(tmp_path, write(tmp_path, "d.txt", GOOD.replace("认真", "认\x07真\u202e")))
    fixes = [(c["code"], c["before"], c["after"]) for c in report_of(out)["corrections"]]
    assert code == 0
    assert ("control_characters", "请各单位认\x07真\u202e做好有关工作。", "请各单位认真做好有关工作。") in fixes


def test_a_table_too_wide_for_a_notice_keeps_every_column_and_names_the_data_file(tmp_path):
    row = "|" + "|".join(f"列{i}" for i in range(80)) + "|\n"
    code, out = run(tmp_path, write(tmp_path, "d.md", HEAD + "正文。\n" + row + row.replace("列", "值") + TAIL))
    data = notice_data(out)
    problems = "\n".join(report_of(out)["problems"])
    assert code == 1
    assert len(data["body"][1]["table"]["columns"]) == 80
    assert str(out / "notice_data" / "notice.yaml") in problems and ".staging" not in problems


def test_too_many_lines_is_refused_with_a_reason(tmp_path):
    code, out = run(tmp_path, write(tmp_path, "d.txt", HEAD + "一段。\n" * 5_001 + TAIL))
    assert code == 1 and "超过 5000 段" in report_of(out)["problems"][0]


def test_a_line_between_the_annex_note_and_the_signature_is_kept_in_the_body_and_reported(tmp_path):
    text = HEAD + "请各单位认真做好有关工作。\n附件：工作方案\n请于月底前报送。\n" + TAIL
    code, out = run(tmp_path, write(tmp_path, "d.txt", text))
    assert code == 0
    assert "请于月底前报送。" in notice_data(out)["body"]
    assert [u["text"] for u in report_of(out)["unplaced"]] == ["请于月底前报送。"]


def test_padded_months_and_days_colon_headings_and_a_mark_without_its_word(tmp_path):
    text = HEAD + "一、报送时间：2024年06月至7月，6月03日前报送。\n" + TAIL
    code, out = run(tmp_path, write(tmp_path, "d.txt", text))
    data = notice_data(out)
    assert code == 0
    assert data["body"] == [{"h1": "报送时间：", "text": "2024年6月至7月，6月3日前报送。"}]


def test_a_mark_typed_without_its_word_stays_without_it(tmp_path):
    text = "江宁县某局\n宁某发〔2024〕3号\n关于做好某项工作的通知\n各乡镇人民政府：\n正文。\n江宁县某局\n2024年5月8日\n"
    code, out = run(tmp_path, write(tmp_path, "d.txt", text))
    data = notice_data(out)
    assert code == 0 and data["format"] == "文件格式" and data.get("mark_word", "absent") == ""


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_check_measures_turned_pages_of_a_packet_with_a_wide_table(tmp_path, capsys):
    repo = Path(__file__).resolve().parent.parent
    source = repo / "inputs" / "examples" / "landscape_annex_notice.yaml"
    out = tmp_path / "out"
    assert main(["packet", "--input", str(source), "--out", str(out)]) == 0
    capsys.readouterr()
    packet = next(out.glob("*（含附件）.docx"))
    assert main(["check", "--pdf", "--json", str(packet)]) == 0
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert [f for f in findings if f["severity"] == "error"] == []
