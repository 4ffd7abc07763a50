"""Test the command line's one error boundary: Chinese messages, exit codes, a log for internal errors."""

from __future__ import annotations

import re
from pathlib import Path

import json

import pytest
from paths import REPO

from pipeline import cli
from pipeline.notice import notice

SAMPLE = REPO / "inputs" / "notice.yaml"


def test_an_internal_error_becomes_a_chinese_message_with_a_log(tmp_path, monkeypatch, capsys):
    def broken(*args):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(notice, "render_notice", broken)
    monkeypatch.setattr("pipeline.core.logs.LOG_DIR", tmp_path / "logs")
    assert cli.main(["notice", "--input", str(SAMPLE), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    log = Path(re.search(r"已写入 (\S+\.log)", err).group(1))
    assert "程序内部出错" in err and "Traceback" not in err
    assert "ZeroDivisionError: boom" in log.read_text(encoding="utf-8")
    assert not (tmp_path / "out").exists()


def test_ctrl_c_is_reported_without_a_traceback(tmp_path, monkeypatch, capsys):
    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(notice, "render_notice", interrupted)
    assert cli.main(["notice", "--input", str(SAMPLE), "--out", str(tmp_path / "out")]) == 130
    assert "已中断" in capsys.readouterr().err


def test_usage_errors_are_chinese_with_exit_2(capsys):
    with pytest.raises(SystemExit) as caught:
        cli.main(["roster", "--returned"])
    assert caught.value.code == 2 and "需要一个值" in capsys.readouterr().err


def test_forms_record_themselves_in_a_manifest_folder_elsewhere(tmp_path):
    args = ["forms", "--notice", str(SAMPLE), "--spec", str(REPO / "inputs" / "annex2.yaml"),
            "--recipients", str(REPO / "inputs" / "recipients.csv"), "--out", str(tmp_path / "forms"),
            "--manifest", str(tmp_path / "elsewhere")]
    assert cli.main(args) == 0
    entries = json.loads((tmp_path / "elsewhere" / "manifest.json").read_text(encoding="utf-8"))["files"]
    assert len(entries) == 49 and all((tmp_path / "elsewhere" / e["path"]).is_file() for e in entries)
    assert {e["path"].split("/")[0] for e in entries} == {"..", "附件2 联系人信息表.xlsx"}


def test_forms_refuse_a_manifest_place_that_is_a_file_before_writing(tmp_path, capsys):
    (tmp_path / "elsewhere").write_text("x", encoding="utf-8")
    args = ["forms", "--notice", str(SAMPLE), "--spec", str(REPO / "inputs" / "annex2.yaml"),
            "--recipients", str(REPO / "inputs" / "recipients.csv"), "--out", str(tmp_path / "forms"),
            "--manifest", str(tmp_path / "elsewhere")]
    assert cli.main(args) == 2
    assert "不是文件夹" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["elsewhere"]


def test_forms_write_their_manifest_beside_them_by_default(tmp_path):
    args = ["forms", "--notice", str(SAMPLE), "--spec", str(REPO / "inputs" / "annex2.yaml"),
            "--recipients", str(REPO / "inputs" / "recipients.csv"), "--out", str(tmp_path / "forms")]
    assert cli.main(args) == 0
    assert (tmp_path / "forms" / "manifest.json").is_file() and (tmp_path / "forms" / "附件2 联系人信息表.xlsx").is_file()
    assert cli.main(args) == 0  # a second run replaces its own set


@pytest.mark.parametrize("flag", list(cli.LIMIT_FLAGS))
def test_every_limit_can_be_raised_from_the_command_line(flag):
    args = cli.parser().parse_args(["roster", "--returned", "r", "--recipients", "c", "--out", "o", flag, "7"])
    assert getattr(args, cli.LIMIT_FLAGS[flag]) == 7


@pytest.mark.parametrize("flag, value", [("--max-rows", "-5"), ("--max-file-mb", "0"), ("--timeout", "0"),
                                         ("--max-memory-mb", "十"), ("--workers", "-1")])
def test_a_limit_that_would_refuse_every_file_is_a_usage_error(flag, value, capsys):
    with pytest.raises(SystemExit) as caught:
        cli.parser().parse_args(["roster", "--returned", "r", "--recipients", "c", "--out", "o", flag, value])
    assert caught.value.code == 2 and flag in capsys.readouterr().err


def test_an_ambiguous_option_is_explained_in_chinese(capsys):
    with pytest.raises(SystemExit):
        cli.parser().parse_args(["roster", "--returned", "r", "--recipients", "c", "--out", "o", "--max", "3"])
    assert "不完整，可能是" in capsys.readouterr().err


def test_a_reader_that_goes_away_is_not_an_internal_error(tmp_path):
    import subprocess
    import sys

    args = [sys.executable, "-m", "pipeline", "roster", "--returned", str(REPO / "inputs" / "returned"),
            "--recipients", str(REPO / "inputs" / "recipients.csv"), "--out", str(tmp_path / "out")]
    process = subprocess.Popen(args, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()  # like `| head -0`: nobody reads what the stage prints
    with process.stderr:
        assert process.wait(timeout=120) == 0
        assert "内部出错" not in process.stderr.read().decode("utf-8")


def test_a_document_stage_builds_several_inputs_in_one_run(tmp_path, capsys):
    examples = REPO / "inputs" / "examples"
    args = ["notice", "--input", str(examples / "order.yaml"), "--input", str(examples / "minutes.yaml"),
            "--out", str(tmp_path)]
    assert cli.main(args) == 0
    printed = capsys.readouterr().out.splitlines()
    assert len(printed) == 2 and all(line.startswith("已生成通知：") for line in printed)
    assert len(list(tmp_path.glob("*.docx"))) == 2


@pytest.mark.parametrize("stage", ["notice", "annexes", "packet"])
def test_a_bad_input_among_several_stops_the_run_before_any_file_is_written(tmp_path, capsys, stage):
    bad = tmp_path / "bad.yaml"
    text = SAMPLE.read_text(encoding="utf-8").replace("date: 2022-03-21", "date: 1979-12-31")
    bad.write_text(text.replace("source: annex", f"source: {SAMPLE.parent}/annex"), encoding="utf-8")
    missing = tmp_path / "missing.yaml"
    out = tmp_path / "out"
    code = cli.main([stage, "--input", str(SAMPLE), "--input", str(bad), "--input", str(missing), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert f"{bad}：第32行，字段 date：日期 1979-12-31 不在 1980—2099 年之间" in err and f"{missing}：文件不存在" in err
    assert not out.exists()


@pytest.mark.parametrize("day", ["2100-01-01", "1979-12-31"])
def test_a_reply_date_on_the_command_line_outside_1980_to_2099_is_a_usage_error(day, capsys):
    with pytest.raises(SystemExit) as caught:
        cli.parser().parse_args(["remind", "--report", "r.json", "--out", "o", "--reply-by", day])
    assert caught.value.code == 2 and f"日期 {day} 不在 1980—2099 年之间" in capsys.readouterr().err


def test_pdf_of_a_folder_that_does_not_exist_is_a_usage_error(tmp_path, capsys):
    assert cli.main(["pdf", "--out", str(tmp_path / "outptus"), "--if-available"]) == 2
    assert f"找不到输出文件夹：{tmp_path / 'outptus'}" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
