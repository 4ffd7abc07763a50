"""Declare the command line: one sub-command per stage, its arguments and help in Chinese."""

from __future__ import annotations

import argparse
import datetime as dt
import os
from pathlib import Path

from .. import __version__
from ..core.resources import TEMPLATE_DIR
from ..core.schema import MAX_YEAR, MIN_YEAR
from .commands import (
    run_annexes, run_batch, run_check, run_doctor, run_format, run_forms, run_history, run_notice, run_packet, run_pdf, run_preview, run_recipients, run_remind, run_roster, run_templates,
)

# argparse's own words, in Chinese (argparse looks its messages up through the module's gettext).
ARGPARSE_CHINESE = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "expected one argument": "需要一个值",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择：%(value)r（可选：%(choices)s）",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "invalid %(type)s value: %(value)r": "无效的值：%(value)r",
    "ambiguous option: %(option)s could match %(matches)s": "参数 %(option)s 不完整，可能是：%(matches)s",
    "expected at least one argument": "至少需要一个值",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
}
argparse._ = lambda text: ARGPARSE_CHINESE.get(text, text)


def _document_arguments(stage) -> None:
    stage.add_argument("--input", type=Path, action="append", metavar="INPUT",
                       help="通知数据文件（默认 inputs/notice.yaml；可重复，在一次运行中依次生成几份）")
    stage.add_argument("--out", type=Path, default=Path("outputs"), help="输出目录（默认 outputs/）")
    stage.add_argument("--templates", type=Path, default=TEMPLATE_DIR, help="模板目录（默认随程序安装的 templates/）")


def parser() -> argparse.ArgumentParser:
    """Build the argument parser with one sub-command per stage."""
    top = argparse.ArgumentParser(prog="python -m pipeline", description="公文生成与回执汇总流水线（GB/T 9704-2012）")
    top.add_argument("--version", action="version", version=__version__, help="显示版本号并退出")
    stages = top.add_subparsers(dest="stage", required=True, metavar="STAGE")

    notice = stages.add_parser("notice", help="由数据文件生成通知（.docx）", description="由 YAML 数据文件和 Word 模板生成符合 GB/T 9704 的通知。")
    _document_arguments(notice)
    notice.set_defaults(run=run_notice)

    annexes = stages.add_parser("annexes", help="生成通知所列的各附件（.docx，附件3 另有转发用 PDF）",
                                description="按通知数据中 annexes 的 source 生成各附件：工作方案、联系人信息表、二维码页。")
    _document_arguments(annexes)
    annexes.set_defaults(run=run_annexes)

    packet = stages.add_parser("packet", help="把通知和附件合成一个文件（版记在最后一页）",
                               description="把通知和各附件合成一个 .docx：附件在附注之后另页起排，版记在最后一页，页码连续。")
    _document_arguments(packet)
    packet.set_defaults(run=run_packet)

    forms = stages.add_parser("forms", help="生成 Excel 填报表，并为每个收文单位生成一份预填单位的表",
                              description="按表格说明（--spec，列名、类型、必填、可选值等）生成 Excel 填报表，并按收文单位名单为每个单位"
                                          "生成一份（--out 目录）；每列按类型设置数据有效性和输入提示。不需要通知；给出 --notice 时按通知的"
                                          "附件说明命名，并取通知的发文机关和日期。")
    forms.add_argument("--recipients", type=Path, default=Path("inputs/recipients.csv"), help="收文单位名单 CSV（id,name,aliases,category）")
    forms.add_argument("--out", type=Path, default=Path("outputs/forms"), help="个性化填报表目录（默认 outputs/forms/）")
    forms.add_argument("--spec", type=Path, default=Path("inputs/annex2.yaml"), help="表格说明数据文件（默认 inputs/annex2.yaml）")
    forms.add_argument("--notice", type=Path, help="通知数据文件（可选：取附件名称、发文机关与日期）")
    forms.add_argument("--manifest", type=Path, help="空白填报表与 manifest.json 所在目录（默认与 --out 相同）")
    forms.add_argument("--prefill", type=Path, metavar="ROSTER_DIR",
                       help="上一轮汇总的输出目录（含 report.json 和 roster.csv）：把各单位上次报的内容预填进它的表")
    forms.set_defaults(run=run_forms)

    roster = stages.add_parser("roster", help="汇总各单位交回的表格：名单、问题报告、未报单位和进度图",
                               description="把 --returned 目录中各单位交回的表格（xlsx/xls/csv/docx/zip）汇总为 roster.csv、"
                                           "roster.xlsx、report.json 和 status.pdf。数据中的问题记入报告，不会中断运行。")
    roster.add_argument("--returned", type=Path, required=True, help="交回文件所在目录（只读，不会改动）")
    roster.add_argument("--recipients", type=Path, required=True, help="收文单位名单 CSV（id,name,aliases,category）")
    roster.add_argument("--out", type=Path, required=True, help="输出目录，如 outputs/roster/")
    roster.add_argument("--spec", type=Path, help="表格说明数据文件（列名、别名、类型；默认为联系人信息表）")
    roster.add_argument("--manifest", type=Path, help="把输出记入此目录的 manifest.json（默认与 --out 相同）")
    roster.add_argument("--history", type=Path, metavar="FILE",
                        help="把本次汇总记入此 SQLite 历史数据库（如 var/history.sqlite；不存在时新建），并在进度图中写明各单位首次报送日期")
    _limit_arguments(roster)
    roster.set_defaults(run=run_roster)

    remind = stages.add_parser("remind", help="由汇总结果生成催报函、更正函、催报电话清单和各单位的更正表",
                               description="读取汇总的 report.json（及同一文件夹的 roster.csv），写出：给未报单位的催报函（信函格式，"
                                           "附填报表）、给报送有误单位的更正函（附问题清单）、催报电话清单（.xlsx 和 .csv），以及每个有误单位"
                                           "一份预填其所报内容、标出问题的更正表。")
    remind.add_argument("--report", type=Path, required=True, help="汇总输出的 report.json，如 outputs/roster/report.json")
    remind.add_argument("--input", type=Path, default=Path("inputs/notice.yaml"), help="原通知的数据文件（默认 inputs/notice.yaml）")
    remind.add_argument("--out", type=Path, required=True, help="输出目录，如 outputs/remind/")
    remind.add_argument("--reply-by", type=_day, metavar="YYYY-MM-DD", help="新的截止日期（默认 7 天后）")
    remind.add_argument("--number", help="催报函、更正函的发文字号（不写时为占位编号，check 会提示）")
    remind.add_argument("--spec", type=Path, help="填报表的表格说明（默认为原通知中带 columns 的附件）")
    remind.add_argument("--recipients", type=Path, help="收文单位名单（其中的 contact、phone 列用于催报电话清单）")
    remind.add_argument("--history", type=Path, metavar="FILE", help="历史数据库（名单中没有联系人时，用该单位上一轮报的联系人）")
    remind.set_defaults(run=run_remind)

    recipients = stages.add_parser("recipients", help="由一次汇总生成下一轮的收文单位名单（带上一轮的联系人和电话）",
                                   description="读取汇总输出目录中的 report.json 和 roster.csv，写出与 inputs/recipients.csv "
                                               "同格式的名单，另加 contact（联系人）和 phone（电话）两列。")
    recipients.add_argument("--from-roster", type=Path, required=True, metavar="ROSTER_DIR", help="汇总的输出目录，如 outputs/roster/")
    recipients.add_argument("--out", type=Path, required=True, help="要写出的名单 CSV")
    recipients.add_argument("--recipients", type=Path, help="原来的收文单位名单（用于保留各单位的别名）")
    recipients.set_defaults(run=run_recipients)

    history = stages.add_parser("history", help="列出历次汇总及其间的变化（新增、删去、改动的联系人，新报送的单位）",
                                description="读取 roster --history 记录的 SQLite 数据库，按时间列出每次汇总的数量，以及与前一次相比"
                                            "各单位的变化：新增、删去或逐项改动的条目，新报送的单位，被更正件取代的文件。")
    history.add_argument("--db", type=Path, required=True, help="历史数据库文件，如 var/history.sqlite")
    history.add_argument("--unit", help="只看这个单位（单位编号，如 beijing）")
    history.add_argument("--json", action="store_true", help="以 JSON 输出")
    history.set_defaults(run=run_history)

    preview = stages.add_parser("preview", help="把合订本 PDF 的每页转成 PNG（outputs/preview/）",
                                description="把清单中某个 PDF（默认合订本）的每一页渲染为 PNG，便于快速查看。")
    preview.add_argument("--out", type=Path, default=Path("outputs"), help="输出目录（默认 outputs/）")
    preview.add_argument("--role", default="packet_pdf", help="要预览的 PDF 的角色（默认 packet_pdf）")
    preview.set_defaults(run=run_preview)

    fmt = stages.add_parser("format", help="把草稿（.docx/.txt/.md）排成符合 GB/T 9704 的公文，并给出识别报告",
                            description="识别草稿中的版头、标题、主送、正文各级标题、附件说明、署名、日期、附注、版记、印发的文件和附件，"
                                        "按标准更正标点、日期和序号，生成公文 .docx、可修改的数据文件（notice_data/）和 format_report.json。"
                                        "给出多个草稿或一个文件夹时逐个处理，每个草稿一个子文件夹。")
    fmt.add_argument("drafts", type=Path, nargs="+", metavar="DRAFT", help="草稿文件或包含草稿的文件夹")
    fmt.add_argument("--out", type=Path, required=True, help="输出目录，如 outputs/format/")
    fmt.add_argument("--layout", choices=("信函格式", "文件格式", "命令格式", "纪要格式"),
                     help="版式（默认由发文字号和发文机关标志判断）")
    fmt.add_argument("--no-pdf", action="store_true", help="不生成 PDF（默认有 LibreOffice 时生成）")
    fmt.set_defaults(run=run_format, convert=None)

    check = stages.add_parser("check", help="按 GB/T 9704 检查任意 .docx 公文，列出每处不符合的地方",
                              description="自动识别公文各要素，检查页面、字体字号、颜色、缩进、行距、序号、日期、标点、红线、页码、版记和附件。"
                                          "有错误时退出码为 1，文件无法打开时为 2。")
    check.add_argument("files", type=Path, nargs="+", metavar="FILE", help="要检查的 .docx 文件")
    check.add_argument("--pdf", action="store_true", help="再用 LibreOffice 排版后量取页面（位置、换页、替换字体）")
    check.add_argument("--json", action="store_true", help="以 JSON 输出检查结果")
    check.set_defaults(run=run_check)

    templates = stages.add_parser("templates", help="按版式常量重建 Word 模板（会覆盖模板里的手工修改）",
                                  description="按 pipeline/core/gbt9704.py 中的版式常量重建 templates/ 下的通知模板。")
    templates.add_argument("--out", type=Path, default=Path("templates"), help="模板目录（默认 templates/）")
    templates.set_defaults(run=run_templates)

    pdf = stages.add_parser("pdf", help="用 LibreOffice 把输出清单中的 .docx 转成 PDF",
                            description="用 LibreOffice 把 outputs/manifest.json 中的 .docx 转成同名 PDF，字体按 templates/fontconfig 映射。")
    pdf.add_argument("--out", type=Path, action="append", help="输出目录（默认 outputs/；可重复，各目录的文件由同一个 LibreOffice 转换）")
    pdf.add_argument("--role", action="append", help="只转换这些角色（可重复，如 --role notice）")
    pdf.add_argument("--if-available", action="store_true", help="没有 LibreOffice 时只提示并跳过，不报错")
    pdf.set_defaults(run=run_pdf)
    batch = stages.add_parser("batch", help="在一个进程中并行运行几个阶段，最后一次生成全部 PDF（make all 用它）",
                              description="每个 COMMAND 是一个阶段的完整命令行（如 \"notice --input inputs/notice.yaml --out outputs\"），"
                                          "全部先检查一遍用法再运行；各命令在复制出的进程中同时运行（最多 --jobs 个），单独一个 then "
                                          "表示等前面的命令都完成再往下；有命令出错时，then 之后的命令不再运行。format 的 PDF 和 --pdf "
                                          "目录清单中各 .docx 的 PDF 留到最后一起生成：只启动 --jobs 个 LibreOffice，按文件大小分配，"
                                          "同时转换（没有 LibreOffice 时跳过并说明如何安装）。")
    batch.add_argument("commands", nargs="+", metavar="COMMAND", help="阶段的命令行（不含 python -m pipeline），或 then")
    batch.add_argument("--jobs", type=_count(1), default=os.cpu_count() or 2, metavar="N", help="同时运行的命令数，也是最后同时转换 PDF 的 LibreOffice 数（默认 CPU 核数）")
    batch.add_argument("--pdf", type=Path, action="append", default=[], metavar="DIR",
                       help="最后把这个输出目录清单中的 .docx 转成 PDF（可重复）")
    batch.set_defaults(run=run_batch)
    doctor = stages.add_parser("doctor", help="检查生成 PDF 所需的软件和字体", description="检查 LibreOffice、poppler 和映射所需的字体，并给出安装命令。")
    doctor.set_defaults(run=run_doctor)
    return top


LIMIT_FLAGS = {  # flag → Limits field
    "--max-file-mb": "file_mb", "--max-unzipped-mb": "unzipped_mb", "--max-rows": "rows", "--max-columns": "columns",
    "--max-merged": "merged", "--max-sheets": "sheets", "--max-span": "span", "--max-members": "members",
    "--max-archive-depth": "archive_depth", "--max-depth": "depth", "--max-memory-mb": "memory_mb",
    "--timeout": "seconds", "--workers": "workers",
}
LIMIT_HELP = {
    "file_mb": "单个文件（或压缩包内单个文件）的大小上限，MB", "unzipped_mb": "一个压缩包（或 xlsx/docx）解压后的总大小上限，MB",
    "rows": "每个工作表或 Word 表格的行数上限", "columns": "每个工作表的列数上限", "merged": "每个工作表的合并单元格上限",
    "sheets": "每个工作簿的工作表数（每个 Word 文件的表格数）上限", "span": "Word 表格单元格跨越的列数上限",
    "members": "压缩包内的文件数上限", "archive_depth": "压缩包嵌套的层数上限",
    "depth": "回执文件夹的嵌套层数上限", "memory_mb": "读取一个文件的进程可增加的内存上限，MB",
    "seconds": "读取一个文件的时间上限，秒", "workers": "并行读取文件的进程数（0：在本进程内读取，不设防护）",
}


def _limit_arguments(stage) -> None:
    from ..roster.limits import Limits

    defaults = Limits()
    for flag, name in LIMIT_FLAGS.items():
        kind = _count(0) if name == "workers" else _number(float if name == "seconds" else int)
        stage.add_argument(flag, dest=name, type=kind, default=getattr(defaults, name), metavar="N",
                           help=f"{LIMIT_HELP[name]}（默认 {getattr(defaults, name)}）")


def _day(text: str) -> dt.date:
    """Parse a YYYY-MM-DD date argument."""
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是日期，应写作 YYYY-MM-DD（如 2022-03-31）") from None
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise argparse.ArgumentTypeError(f"日期 {day} 不在 {MIN_YEAR}—{MAX_YEAR} 年之间，请检查年份")
    return day


def _number(kind):
    """Return an argparse type accepting only numbers above zero (a limit of 0 would refuse every file)."""
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"“{text}”不是数字") from None
        if not value > 0:
            raise argparse.ArgumentTypeError(f"应大于 0，而不是 {text}")
        return value
    return parse


def _count(least: int):
    """Return an argparse type accepting whole numbers from least up."""
    def parse(text: str) -> int:
        if not text.isdigit() or int(text) < least:
            raise argparse.ArgumentTypeError(f"应为不小于 {least} 的整数，而不是“{text}”")
        return int(text)
    return parse
