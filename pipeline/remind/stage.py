"""Turn a consolidation into the next action: a 催报 letter, a 更正 letter, a call list and correction sheets.

build_reminders() reads the roster's report.json and roster.csv (strictly: report.py), the original
notice and its form, builds every file in memory, and only then writes them into out_dir as one set
(core/outset.py) with manifest.json roles: reminder (催报函.docx, to the missing units), reminder_corrections
(更正函.docx, to the units whose returns have errors), call_list (催报电话清单.xlsx and .csv) and correction
(更正表/<form title>-<单位名称>-更正.xlsx, one per unit with errors, with its recipient_id). A usage error
(a bad report, notice, spec, date or number) is a PipelineError before anything is written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ..core import source
from ..core.errors import PipelineError
from ..core.output import is_inside
from ..core.outset import OutputSet
from ..core.text import chinese_date
from ..forms.spec import load_form_spec
from ..notice.notice import load_notice
from ..roster.report import ERRORS, MISSING
from .calls import call_list_csv, call_list_xlsx, call_rows
from .letters import Original, corrections_files, letter_bytes, letter_number, reminder_files
from ..roster.readback import RosterResult, read_result
from .sheets import correction_bytes, correction_name

REMINDER, CORRECTIONS = "催报函.docx", "更正函.docx"
CALL_LIST = "催报电话清单"
SHEETS_DIR = "更正表"
DEFAULT_DAYS = 7  # the new deadline, when none is given: a week from today


@dataclass
class Reminders:
    """Hold what build_reminders wrote: each role's files, the counts, and the letters' 发文字号."""

    out_dir: Path
    missing: int
    errors: int
    number: str
    placeholder: bool  # the 发文字号 is the visible placeholder (serial 0) for the clerk to replace
    reply_by: dt.date
    reminder: Path | None = None
    corrections: Path | None = None
    call_list: list[Path] = field(default_factory=list)
    sheets: dict[str, Path] = field(default_factory=dict)  # unit id → its correction sheet

    def lines(self) -> list[str]:
        """Return the Chinese lines the command prints."""
        out = [f"未报 {self.missing} 个单位，有问题 {self.errors} 个单位；新的截止日期 {chinese_date(self.reply_by)}"]
        out.append(f"催报函：{self.reminder}" if self.reminder else "没有未报的单位，未生成催报函")
        out.append(f"更正函：{self.corrections}" if self.corrections else "没有报送有误的单位，未生成更正函")
        if self.sheets:
            out.append(f"更正表 {len(self.sheets)} 份：{self.out_dir / SHEETS_DIR}")
        out += [f"催报电话清单：{path}" for path in self.call_list]
        if self.placeholder and (self.reminder or self.corrections):
            out.append(f"发文字号“{self.number}”是占位的，请改为实际编号（或用 --number 重新生成）后再印发")
        return out


def build_reminders(report_path: Path, notice_path: Path, out_dir: Path, *, reply_by: dt.date | None = None,
                    number: str = "", spec_path: Path | None = None,
                    contacts: dict[str, tuple[str, str]] | None = None, today: dt.date | None = None) -> Reminders:
    """Write the reminders of a consolidation into out_dir as one set; return what was written.

    report_path is the roster's report.json (roster.csv beside it); notice_path the original notice;
    spec_path its form (default: the notice's annex whose data file has columns:). reply_by is the new
    deadline (default: today + 7 days); number the letters' 发文字号 (default: a placeholder that check
    reports); contacts maps a unit id to (联系人, 电话) for the call list.
    """
    today = today or dt.date.today()
    reply_by = reply_by or today + dt.timedelta(days=DEFAULT_DAYS)
    if reply_by <= today:
        raise PipelineError(f"新的截止日期 {chinese_date(reply_by)} 应晚于今天（{chinese_date(today)}）")
    notice = load_notice(notice_path)
    spec_path = Path(spec_path) if spec_path else form_annex(notice)
    original = Original(notice, load_form_spec(spec_path), spec_path)
    out_dir = Path(out_dir)
    result = read_result(report_path, original.spec)
    _check_out_dir(Path(report_path), out_dir)
    number, placeholder = letter_number(original, number, today)
    made = Reminders(out_dir, len(result.with_status(MISSING)), len(result.with_status(ERRORS)), number, placeholder,
                     reply_by)
    files = _files(result, original, number, reply_by, today, contacts or {})
    names = [name for _, name, _, _ in files]
    with OutputSet(out_dir, names) as outputs:
        for _, name, data, _ in files:
            outputs.write(name, data)
        outputs.write_manifest([(role, name, extra) for role, name, _, extra in files])
        outputs.commit()
    for role, name, _, extra in files:
        _record(made, role, out_dir / name, extra)
    return made


def form_annex(notice) -> Path:
    """Return the data file of the notice's form: its first annex whose data file has columns:."""
    for _, ref in notice.annexes:
        if ref is not None and "columns" in source.parse(ref).data:
            return ref
    raise PipelineError(f"通知 {notice.source} 的附件中没有填报表（数据文件写有 columns: 的附件）；请用 --spec 指定表格说明")


def _check_out_dir(report_path: Path, out_dir: Path) -> None:
    """Refuse an output folder that holds the roster's outputs (it is replaced as a whole)."""
    roster_dir = report_path.parent.absolute()
    if is_inside(roster_dir, out_dir.absolute()):
        raise PipelineError(f"输出文件夹 {out_dir} 不能是汇总报告所在的文件夹 {roster_dir} 或它的上级（输出文件夹会被整体替换）；"
                            "请另选一个专用的文件夹，如 outputs/remind")


def _files(result: RosterResult, original: Original, number: str, reply_by: dt.date, today: dt.date,
           contacts: dict[str, tuple[str, str]]) -> list[tuple[str, str, bytes, dict]]:
    """Build every file in memory: (role, name in the set, bytes, manifest extras)."""
    missing, errors = result.with_status(MISSING), result.with_status(ERRORS)
    issues = {u.id: result.problems_of(u.id) for u in result.units}
    files = []
    if missing:
        data = letter_bytes(reminder_files(original, missing, number, today, reply_by), today)
        files.append(("reminder", REMINDER, data, {}))
    if errors:
        data = letter_bytes(corrections_files(original, errors, issues, number, today, reply_by), today)
        files.append(("reminder_corrections", CORRECTIONS, data, {}))
    rows = call_rows(list(result.units), issues, contacts, original.form_title)
    authority = original.notice.authority
    files.append(("call_list", f"{CALL_LIST}.xlsx", call_list_xlsx(rows, authority, today), {}))
    files.append(("call_list", f"{CALL_LIST}.csv", call_list_csv(rows), {}))
    taken: set[str] = set()
    for unit in errors:
        name = correction_name(original.form_title, unit)
        name = name if name not in taken else name.removesuffix(".xlsx") + f"（{unit.id}）.xlsx"
        taken.add(name)
        data = correction_bytes(original.spec, unit, result.rows_of(unit.id), issues[unit.id], authority=authority,
                                reply_by=reply_by, today=today)
        files.append(("correction", f"{SHEETS_DIR}/{name}", data, {"recipient_id": unit.id}))
    return files


def _record(made: Reminders, role: str, path: Path, extra: dict) -> None:
    if role == "reminder":
        made.reminder = path
    elif role == "reminder_corrections":
        made.corrections = path
    elif role == "call_list":
        made.call_list.append(path)
    else:
        made.sheets[extra["recipient_id"]] = path
