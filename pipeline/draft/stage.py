"""Format drafts into notices: recognise, standardise, write the data files, build, check, report (one or a batch)."""

from __future__ import annotations

import json
import tempfile
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from ..check.document import check_document
from ..check.recognize import recognise
from ..check.recognition import Recognition
from ..core.errors import PipelineError
from ..core.logs import write_log
from ..core.outset import OutputSet
from ..notice.annexes import build_annexes_of
from ..notice.notice import build_notice
from ..notice.packet import build_packet
from ..pdf.libreoffice import Converter, soffice, to_pdfs
from .notice_data import NOTICE_FILE, notice_files, yaml_bytes
from .read import SUFFIXES, read_draft
from .standardise import Corrector, remove_controls

REPORT = "format_report.json"
DATA_DIR = "notice_data"


@dataclass
class Formatted:
    """Hold one draft's result: its report, the files written (role, name), and whether it built."""

    draft: Path
    report: dict
    files: list[tuple[str, str]] = field(default_factory=list)
    to_convert: str = ""  # the built notice's name in the set, while its PDF is still to be made

    @property
    def built(self) -> bool:
        """Return True when the formatted notice was written."""
        return any(role == "notice" for role, _ in self.files)


def drafts_in(paths: list[Path]) -> list[Path]:
    """Return the drafts named, a folder standing for the drafts directly inside it (sorted); raise on a wrong name."""
    out = []
    for path in map(Path, paths):
        if path.is_dir():
            out += sorted(p for p in path.iterdir() if p.suffix.lower() in SUFFIXES and not p.is_dir()
                          and not p.name.startswith(("~$", ".")))
        elif not path.exists():
            raise PipelineError(f"找不到草稿 {path}")
        elif path.suffix.lower() not in SUFFIXES:
            raise PipelineError(f"{path}：草稿应为 .docx、.txt 或 .md 文件（.doc、.wps 请先另存为 .docx）")
        else:
            out.append(path)
    if not out:
        raise PipelineError("没有找到草稿：请给出 .docx、.txt 或 .md 文件，或包含这些文件的文件夹")
    return out


def format_drafts(paths: list[Path], out_dir: Path, layout: str = "", pdf: bool = True,
                  convert: Converter = to_pdfs) -> list[Formatted]:
    """Format each draft into out_dir (a batch: one folder a draft), written as one set with one manifest; convert
    makes the PDFs of (.docx, .pdf) pairs, by default in one LibreOffice of its own."""
    drafts = drafts_in(paths)
    prefixes = _prefixes(drafts)
    results = []
    with OutputSet(out_dir) as outputs:
        for draft, prefix in zip(drafts, prefixes):
            results.append(_formatted(draft, outputs, prefix, layout, pdf))
        _convert(results, outputs, convert)  # one LibreOffice for every draft's PDF
        for result, prefix in zip(results, prefixes):
            _write_report(result, outputs, prefix)
        outputs.write_manifest([(role, name, {"draft": r.draft.name}) for r in results for role, name in r.files])
        outputs.commit()
    return results


def _prefixes(drafts: list[Path]) -> list[str]:
    """Return each draft's folder in a batch (its name, numbered when two drafts share one); none for one draft."""
    if len(drafts) == 1:
        return [""]
    seen: dict[str, int] = {}
    out = []
    for d in drafts:
        stem = d.stem.strip() or "草稿"
        seen[stem] = seen.get(stem, 0) + 1
        out.append(f"{stem}/" if seen[stem] == 1 else f"{stem}（{seen[stem]}）/")
    return out


def _formatted(draft: Path, outputs: OutputSet, prefix: str, layout: str, pdf: bool) -> Formatted:
    """Format one draft into the set, its PDF left to make; a failure is recorded in its report."""
    result = Formatted(draft, {"draft": str(draft), "problems": []})
    try:
        _format(result, outputs, prefix, layout, pdf)
    except PipelineError as exc:
        result.report["problems"].append(str(exc))
    except Exception:  # noqa: BLE001 - one draft's unexpected failure must not cost the clerk the others
        _unexpected(result)
    return result


def _unexpected(result: Formatted) -> None:
    """Log the failure being handled and tell the clerk in the draft's report where the log is."""
    log = write_log("format", f"{result.draft}\n\n{traceback.format_exc()}")
    result.report["problems"].append(f"程序处理这份草稿时出错，未能生成公文；详细信息已写入 {log}，请把这个文件发给维护人员")


def _convert(results: list[Formatted], outputs: OutputSet, convert: Converter) -> None:
    """Make the PDF of every built notice that wants one, all in one LibreOffice; a failure goes to its draft's report."""
    waiting = [r for r in results if r.to_convert]
    if not waiting:
        return
    names = [r.to_convert.removesuffix(".docx") + ".pdf" for r in waiting]
    try:
        made = convert([(outputs.staging / r.to_convert, outputs.path(name)) for r, name in zip(waiting, names)])
    except PipelineError as exc:
        made = [exc] * len(waiting)
    except Exception:  # noqa: BLE001 - as for one draft: report it in each draft's report, keep the notices
        for result in waiting:
            _unexpected(result)
        made = [None] * len(waiting)
    for result, name, pdf in zip(waiting, names, made):
        result.to_convert = ""
        if isinstance(pdf, PipelineError):
            result.report["problems"].append(str(pdf).replace(str(outputs.staging), str(outputs.out_dir)))
        elif pdf is not None:
            result.files.append(("notice_pdf", name))


def _format(result: Formatted, outputs: OutputSet, prefix: str, layout: str, pdf: bool) -> None:
    """Read, recognise and standardise the draft, write its data files, and build when nothing is missing."""
    blocks = read_draft(result.draft)
    cleaned = remove_controls(blocks)
    r = recognise(blocks, layout)
    fix = Corrector(r.elements)
    fix.made += cleaned
    files, missing = notice_files(r, fix)
    result.report.update(_recognition_report(r, fix, missing))
    for name, data in files.items():
        outputs.write(f"{prefix}{DATA_DIR}/{name}", yaml_bytes(data))
        result.files.append(("notice_data", f"{prefix}{DATA_DIR}/{name}"))
    if not missing:
        _build(result, outputs, prefix, pdf)


def _recognition_report(r: Recognition, fix: Corrector, missing: list[str]) -> dict:
    return {"layout": r.layout, "layout_source": r.layout_source,
            "elements": [vars(e) for e in r.elements],
            "corrections": [c.as_dict() for c in fix.made],
            "unplaced": [{"paragraph": line.paragraph, "text": line.text, "placed_in": "body"} for line in r.unplaced],
            "problems": missing}


def _build(result: Formatted, outputs: OutputSet, prefix: str, pdf: bool) -> None:
    """Build the notice (with its issued document and annexes in one file) from the data files, then check it."""
    data_dir = outputs.staging / prefix / DATA_DIR
    with tempfile.TemporaryDirectory(prefix="gongwen-format-") as tmp:
        try:
            notice = build_notice(data_dir / NOTICE_FILE, Path(tmp))
            whole = build_packet(data_dir / NOTICE_FILE, Path(tmp)) if build_annexes_of(data_dir / NOTICE_FILE, Path(tmp)) \
                else notice
        except PipelineError as exc:  # name the data file where the clerk will find it, not where it was staged
            result.report["problems"].append(str(exc).replace(str(outputs.staging), str(outputs.out_dir)))
            return
        name = f"{prefix}{whole.name}"
        outputs.write(name, whole.read_bytes())
        result.files.append(("notice", name))
    checked = check_document(outputs.staging / name)
    result.report["check"] = {"errors": sum(f.severity == "error" for f in checked.findings),
                              "warnings": sum(f.severity == "warning" for f in checked.findings),
                              "findings": [f.as_dict() for f in checked.findings]}
    if pdf and soffice():
        result.to_convert = name


def _write_report(result: Formatted, outputs: OutputSet, prefix: str) -> None:
    name = f"{prefix}{REPORT}"
    outputs.write(name, (json.dumps(result.report, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    result.files.append(("format_report", name))
