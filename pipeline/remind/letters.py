"""Write the 催报 letter and the 更正 letter as notice data, and build each through the notice stage (信函格式).

Both letters come from the original notice's authority and name it by its title and 发文字号; the 催报
letter carries the form's Word table as its annex, the 更正 letter a table of each unit's problems. The
data files are written into a temporary folder and built like any notice, so the letters follow GB/T 9704
exactly as the notices do.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path


from ..core import source
from ..core.dump import yaml_bytes
from ..core.errors import InputError, PipelineError
from ..core.output import docx_bytes
from ..core.problems import Problem
from ..core.text import chinese_date
from ..forms.spec import FormSpec
from ..notice.notice import NUMBER_RE, Notice, load_notice
from ..notice.packet import compose_packet
from ..notice.parties import LETTER_FORMAT
from ..roster.readback import Unit

NOTICE_FILE, ANNEX_FILE = "notice.yaml", "annex1.yaml"
PLACEHOLDER_SERIAL = "0"  # the serial of a 发文字号 not yet assigned (the notice stage accepts it, check flags it)
CLOSING = "特此函告。"
MAX_TABLE_ROWS = 500  # rows of the problem table (about 40 pages)
ANNEX_TITLE = "报送问题清单"  # the 更正 letter's annex (one line: the checker reads a one-line annex title)


@dataclass(frozen=True)
class Original:
    """Hold what the letters take from the original notice and its form: who, what, which number, by when."""

    notice: Notice
    spec: FormSpec
    spec_path: Path

    @property
    def title(self) -> str:
        """Return the original notice's title on one line."""
        return self.notice.title.replace("\n", "")

    @property
    def cited(self) -> str:
        """Return how the letters cite the original: 《title》（number）."""
        return f"《{self.title}》" + (f"（{self.notice.number}）" if self.notice.number else "")

    @property
    def form_title(self) -> str:
        """Return the form's title (the annex of the 催报 letter)."""
        return self.spec.title


def letter_number(original: Original, number: str, today: dt.date) -> tuple[str, bool]:
    """Return the letters' 发文字号 and whether it is a placeholder: number as given (checked), else the
    original's 机关代字 with this year and serial 0 (国知办函服字〔2025〕0号)."""
    if number:
        if not NUMBER_RE.match(number):
            raise PipelineError(f"发文字号“{number}”格式不对：应为“机关代字〔年份〕序号号”，如 国知办函服字〔{today.year}〕12号"
                                "（年份用六角括号〔〕，序号不加“第”、不编虚位）")
        return number, False
    found = NUMBER_RE.match(original.notice.number or "")
    if not found:
        raise PipelineError(f"原通知 {original.notice.source} 没有“机关代字〔年份〕序号号”形式的发文字号，无法为催报函留出占位的"
                            "发文字号；请用 --number 写明催报函的发文字号")
    return f"{found['code']}〔{today.year}〕{PLACEHOLDER_SERIAL}号", True


def reminder_files(original: Original, units: list[Unit], number: str, today: dt.date,
                   reply_by: dt.date) -> dict[str, dict]:
    """Return the 催报 letter's data files: the letter to the missing units and the form as its annex."""
    spec, old = original.spec, original.spec.reply_by
    asked = f"请各单位于{chinese_date(old)}前报送{spec.title}" if old else f"请各单位报送{spec.title}"
    body = [f"{original.notice.authority}于{chinese_date(original.notice.date)}印发{original.cited}，{asked}。"
            f"截至{chinese_date(today)}，你单位尚未报送。",
            f"请抓紧按附件格式填写，于{chinese_date(reply_by)}前报送。如已报送，请与联系人核实。"]
    letter = _letter(original, units, number, f"关于催报{spec.title}的函", body, today)
    letter["annexes"] = [{"name": spec.title, "source": ANNEX_FILE}]
    return {NOTICE_FILE: letter, ANNEX_FILE: _form_annex(original.spec_path)}


def corrections_files(original: Original, units: list[Unit], issues: dict[str, list[Problem]], number: str,
                      today: dt.date, reply_by: dt.date) -> dict[str, dict]:
    """Return the 更正 letter's data files: the letter to the units whose returns have errors, and the table
    of each unit's problems as its annex."""
    spec, old = original.spec, original.spec.reply_by
    asked = f"请各单位于{chinese_date(old)}前报送{spec.title}" if old else f"请各单位报送{spec.title}"
    annex_title = ANNEX_TITLE
    body = [f"{original.notice.authority}于{chinese_date(original.notice.date)}印发{original.cited}，{asked}。"
            "经汇总核对，你单位报送的材料存在问题，具体见附件。",
            f"请逐项核实，在随本函发送的更正表（已填入你单位报送的内容，有问题的单元格已标出）中改正后，"
            f"于{chinese_date(reply_by)}前重新报送。"]
    letter = _letter(original, units, number, f"关于更正{spec.title}报送问题的函", body, today)
    letter["annexes"] = [{"name": annex_title, "source": ANNEX_FILE}]
    rows = [row for unit in units for row in problem_rows(unit, issues.get(unit.id, []))]
    if len(rows) > MAX_TABLE_ROWS:  # a 公文 annex stays readable; every problem is still in the sheets
        rows = rows[:MAX_TABLE_ROWS - 1] + [["……", "", "", "", f"另有 {len(rows) - MAX_TABLE_ROWS + 1} 处问题，"
                                                              "见各单位的更正表"]]
    table = {"columns": ["单位", "文件", "行", "列", "问题"], "merge": ["单位"], "rows": rows}
    return {NOTICE_FILE: letter, ANNEX_FILE: {"number": 1, "title": annex_title, "body": [{"table": table}]}}


def problem_rows(unit: Unit, issues: list[Problem]) -> list[list[str]]:
    """Return a unit's rows of the problem table: 单位, 文件, 行, 列, 问题 (errors first)."""
    ordered = sorted(issues, key=lambda i: not i.is_error)
    if not ordered:
        return [[unit.name, "", "", "", "报送的文件有错误，请核实后重新报送"]]
    return [[unit.name, i.shown_path, "" if i.row is None else str(i.row), i.column or i.field,
             i.short if i.is_error else f"（提示）{i.short}"] for i in ordered]


def _letter(original: Original, units: list[Unit], number: str, about: str, body: list[str], today: dt.date) -> dict:
    """Return the notice data of a letter from the original's authority to units (主送: their names)."""
    parties = original.notice.parties
    data = {"format": LETTER_FORMAT, "authority": _one_or_many(parties.authorities)}
    if parties.marks and parties.marks != parties.authorities:
        data["mark"] = _one_or_many(parties.marks)
    data |= {"number": number, "title": f"{original.notice.authority}{about}",
             "addressees": "、".join(u.name for u in units) + "：", "body": body, "closing": CLOSING,
             "signature": _one_or_many(parties.signatures or parties.authorities), "date": today}
    if original.notice.note:
        data["note"] = original.notice.note
    return data


def _one_or_many(names: list[str]):
    return names[0] if len(names) == 1 else list(names)


def _form_annex(spec_path: Path) -> dict:
    """Return the form's data file as annex 1 of the letter (the same columns, rows and lines around the table)."""
    data = dict(source.parse(spec_path).data)
    data["number"] = 1
    return data


def letter_bytes(files: dict[str, dict], today: dt.date) -> bytes:
    """Build a letter (with its annex) from its data files in a temporary folder; return the .docx bytes."""
    with tempfile.TemporaryDirectory(prefix="gongwen-remind-") as tmp:
        folder = Path(tmp)
        for name, data in files.items():
            (folder / name).write_bytes(yaml_bytes(data))
        try:
            notice = load_notice(folder / NOTICE_FILE)
            return docx_bytes(compose_packet(notice), today)
        except InputError as exc:  # the data is generated: what it names is the report's or the notice's text
            lines = [e.message.replace(str(folder) + "/", "") for e in exc.errors]
            raise PipelineError("无法生成函件（汇总报告或原通知中的文字不符合要求）：\n"
                                + "\n".join(f"  - {line}" for line in lines)) from None
