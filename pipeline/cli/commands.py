"""Run each stage from its parsed arguments and say in Chinese what was made (one function per stage)."""

from __future__ import annotations

import json
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

from ..core.errors import InputError, PipelineError


def run_notice(args) -> str:
    """Run the notice stage with parsed arguments; return what to print."""
    from ..notice.notice import build_notice, load_notice

    paths = checked_inputs(args, load_notice)
    return "\n".join(f"已生成通知：{shown(build_notice(path, args.out, args.templates))}" for path in paths)


def run_annexes(args) -> str:
    """Run the annexes stage with parsed arguments; return what to print."""
    from ..notice.annexes import build_annexes_of, load_annex
    from ..notice.notice import load_notice

    lines = []
    for path in checked_inputs(args, lambda path: [load_annex(ref) for _, ref in load_notice(path).annexes if ref]):
        annexes = build_annexes_of(path, args.out, args.templates)
        lines += [f"已生成附件{a.number}：{a.file_name}" for a in annexes]
        lines += [f"警告：{w}" for a in annexes for w in a.warnings]
    return "\n".join(lines) if lines else "通知没有列出附件数据文件（annexes 的 source），未生成附件"


def run_packet(args) -> str:
    """Run the packet stage with parsed arguments; return what to print."""
    from ..notice.notice import load_notice
    from ..notice.packet import build_packet

    paths = checked_inputs(args, load_notice)
    return "\n".join(f"已生成合订本：{shown(build_packet(path, args.out, args.templates))}" for path in paths)


def inputs(args) -> list[Path]:
    """Return the notice data files a document stage builds, in order (inputs/notice.yaml when none is named)."""
    return args.input or [Path("inputs/notice.yaml")]


def checked_inputs(args, load) -> list[Path]:
    """Return the inputs, first loading each of several with load so that a bad one stops the run unwritten."""
    paths = inputs(args)
    problems = []
    for path in paths if len(paths) > 1 else ():
        try:
            load(path)
        except InputError as exc:
            problems += exc.errors
    if problems:
        raise InputError(problems)
    return paths


def run_preview(args) -> str:
    """Run the preview stage with parsed arguments; return what to print."""
    from ..pdf.libreoffice import preview_pages

    pages = preview_pages(args.out, args.role, args.out / "preview")
    return f"已生成预览 {len(pages)} 页：{shown(args.out / 'preview')}"


def run_forms(args) -> str:
    """Run the forms stage with parsed arguments; return what to print."""
    from ..forms.build import build_all_forms
    from ..notice.annexes import form_names
    from ..roster.readback import read_result

    names = form_names(args.notice, args.spec) if args.notice else None
    prefill = read_result(args.prefill).rows_by_unit() if args.prefill else None
    blank, copies = build_all_forms(args.spec, args.recipients, args.out, args.manifest, names, prefill)
    return f"已生成填报表：{shown(blank)}\n已生成 {len(copies)} 份个性化填报表：{shown(args.out)}"


def run_roster(args) -> str:
    """Run the roster stage with parsed arguments; return what to print."""
    from ..forms.spec import CONTACT_SPEC, read_spec
    from ..roster.limits import Limits
    from ..roster.report import summary
    from ..roster.stage import build_roster

    limits = Limits(**{name: value for name, value in vars(args).items() if name in Limits.__dataclass_fields__})
    spec = read_spec(args.spec) if args.spec else CONTACT_SPEC
    report = build_roster(args.returned, args.recipients, args.out, progress_bar(), manifest_dir=args.manifest,
                          limits=limits, spec=spec, history=args.history)
    return summary(report, args.out, spec)


def run_history(args) -> str:
    """Run the history stage with parsed arguments; return what to print."""
    from ..history import history_report, history_text, open_history

    if not args.db.is_file():
        raise PipelineError(f"找不到历史数据库：{args.db}（运行 roster 时用 --history 指定，make roster 写入 var/history.sqlite）")
    with open_history(args.db) as history:
        report = history_report(history, args.unit)
    return json.dumps(report, ensure_ascii=False, indent=2) if args.json else history_text(report).rstrip("\n")


def run_remind(args) -> str:
    """Run the remind stage with parsed arguments; return what to print."""
    from ..core.recipients import load_recipients
    from ..history import open_history
    from ..remind.stage import build_reminders
    from ..roster.next_round import known_contacts

    units = load_recipients(args.recipients) if args.recipients else []
    with ExitStack() as stack:
        history = stack.enter_context(open_history(args.history)) if args.history and args.history.is_file() else None
        contacts = known_contacts(units, history)
    made = build_reminders(args.report, args.input, args.out, reply_by=args.reply_by, number=args.number or "",
                           spec_path=args.spec, contacts=contacts)
    return "\n".join(made.lines())


def run_recipients(args) -> str:
    """Run the recipients stage with parsed arguments; return what to print."""
    from ..roster.next_round import recipients_from_roster

    count = recipients_from_roster(args.from_roster, args.out, args.recipients)
    return f"已写出收文单位名单（{count} 个单位，含上一轮的联系人和电话）：{shown(args.out)}"


def progress_bar(stream=None, width: int = 30):
    """Return a progress callback drawing a bar on stream (stderr), or None when it is not a terminal."""
    stream = stream or sys.stderr
    if not stream.isatty():
        return None

    def draw(done: int, total: int, path: str) -> None:
        filled = width * done // max(total, 1)
        stream.write(f"\r汇总回执 [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        stream.write("\n" if done == total else "")
        stream.flush()

    return draw


def run_format(args) -> tuple[str, int]:
    """Run the format stage with parsed arguments; return what to print."""
    from ..draft.stage import format_drafts
    from ..draft.summary import summary

    convert = {"convert": args.convert} if args.convert else {}  # a batch lends its LibreOffice
    results = format_drafts(args.drafts, args.out, args.layout or "", pdf=not args.no_pdf, **convert)
    text = summary(results) + f"\n输出在 {shown(args.out)}，清单见 manifest.json"
    return text, 0 if all(r.built for r in results) else 1


def run_check(args) -> tuple[str, int]:
    """Run the check stage with parsed arguments; return what to print."""
    from ..check.document import NotADocx, check_document, open_docx
    from ..check.report import report_json, report_text
    from ..pdf.libreoffice import NoLibreOffice, INSTALL_HINT, soffice, to_pdfs

    if args.pdf and not soffice():
        raise NoLibreOffice(INSTALL_HINT)
    with tempfile.TemporaryDirectory(prefix="gongwen-check-") as tmp:
        try:
            for path in args.files:
                open_docx(path)  # a file that is no .docx is named before LibreOffice is asked to render it
            pdfs = to_pdfs([(path, Path(tmp) / f"{n}.pdf") for n, path in enumerate(args.files)]) if args.pdf \
                else [None] * len(args.files)
            failed = next((pdf for pdf in pdfs if isinstance(pdf, PipelineError)), None)
            if failed:
                raise failed
            results = [check_document(path, pdf) for path, pdf in zip(args.files, pdfs)]
        except NotADocx as exc:
            raise PipelineError(str(exc)) from None
    text = report_json(results) if args.json else report_text(results)
    return text, 1 if any(c.failed for c in results) else 0


def run_templates(args) -> str:
    """Run the templates stage with parsed arguments; return what to print."""
    from ..notice.skeleton import build_notice_templates

    written = build_notice_templates(args.out)
    return "已重建模板：" + "、".join(str(p) for p in written)


def run_pdf(args) -> str:
    """Run the pdf stage with parsed arguments; return what to print."""
    from ..pdf.libreoffice import NoLibreOffice, convert_folders, pending_pdfs

    folders = args.out or [Path("outputs")]
    missing = [str(folder) for folder in folders if not folder.is_dir()]
    if missing:
        raise PipelineError(f"找不到输出文件夹：{'、'.join(missing)}（请先运行生成 .docx 的阶段，如 make notice，或用 --out 指定）")
    try:
        written = convert_folders(folders, args.role)
    except NoLibreOffice as exc:
        if not args.if_available:
            raise
        skipped = "、".join(shown(pdf) for out in folders for _, _, pdf in pending_pdfs(out, args.role))
        return f"跳过以下 PDF：{skipped}\n原因：{exc}"
    return "已生成 PDF：" + ("、".join(shown(p) for p in written) if written else "（清单中没有 .docx）")


def run_batch(args) -> tuple[str, int]:
    """Run the batch stage with parsed arguments: its commands print as they end; return the exit code."""
    from .batch import run_batch as batch

    code = batch(args.commands, args.jobs, args.pdf)
    return ("完成" if code == 0 else "未全部完成"), code


def run_doctor(args) -> str:
    """Run the doctor stage with parsed arguments; return what to print."""
    from ..pdf.doctor import diagnose

    checks = diagnose()
    lines = [("✓ " if ok else "✗ ") + what + ("" if ok else f"（缺少，软件包 {pkg}）") for ok, what, pkg in checks]
    missing = sorted({pkg for ok, _, pkg in checks if not ok})
    if missing:
        lines.append("安装缺少的部分（Debian/Ubuntu，需 root）：apt-get install -y " + " ".join(missing))
    else:
        lines.append("一切就绪：可以生成 PDF。")
    return "\n".join(lines)


def shown(path: Path) -> str:
    path = Path(path).resolve()
    return str(path.relative_to(Path.cwd())) if path.is_relative_to(Path.cwd()) else str(path)
