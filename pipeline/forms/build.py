"""Write the fill-in forms: the blank form and one personalised copy per recipient unit (a set swapped in whole)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..core.manifest import manifest_entries, record, record_all
from ..core.errors import PipelineError
from ..core.output import atomic_write, is_inside
from ..core.outset import OutputSet
from ..core.recipients import Recipient, load_recipients
from ..core.text import file_name, safe_file_part
from .copies import FormCopies, form_bytes
from .spec import FormSpec, load_form_spec
from .workbook import check_spec

FORM_STEM = "附件2 联系人信息表"
BLANK_ROLE, FORM_ROLE = "annex2_form", "form"


def form_file_name(unit: Recipient, stem: str = FORM_STEM, tag: str = "") -> str:
    """Return the personalised form's file name, such as '附件2 联系人信息表-北京市知识产权局.xlsx'."""
    return file_name(f"{safe_file_part(stem)}-{unit.name}", ".xlsx", tag)


def _file_names(units: list[Recipient], stem: str) -> list[str]:
    """Return one distinct file name per unit (the id is added when two names clash, also after a long name's cut)."""
    names = [form_file_name(u, stem) for u in units]
    counts = Counter(names)
    return [n if counts[n] == 1 else form_file_name(u, stem, f"（{u.id}）") for n, u in zip(names, units)]


@dataclass(frozen=True)
class FormNames:
    """Name the forms of one annex: file stem (附件2 联系人信息表), the blank form's role, author and date."""

    stem: str = FORM_STEM
    role: str = BLANK_ROLE
    authority: str = ""
    day: dt.date = dt.date(2022, 1, 1)


def write_form(spec: FormSpec, path: Path, *, authority: str, day: dt.date, unit: Recipient | None = None) -> Path:
    """Build one form (blank, or personalised for unit) and write it atomically."""
    return atomic_write(Path(path), form_bytes(spec, authority=authority, day=day, unit=unit))


def build_blank_form(spec: FormSpec, path: Path, *, authority: str, day: dt.date,
                     manifest_dir: Path | None = None, role: str = BLANK_ROLE) -> Path:
    """Write the blank fill-in form to path and record it (role annex2_form) in the manifest.

    The manifest is manifest_dir/manifest.json, by default in the folder of path.
    """
    path = write_form(spec, path, authority=authority, day=day)
    record(Path(manifest_dir) if manifest_dir else path.parent, role, path)
    return path


def build_forms(recipients: list[Recipient], spec: FormSpec, out_dir: Path, *, authority: str, day: dt.date,
                manifest_dir: Path | None = None, stem: str = FORM_STEM, blank_role: str = "",
                prefill: dict[str, list[dict[str, str]]] | None = None) -> list[Path]:
    """Write one personalised form per unit into out_dir, as one set, and record each (role form, recipient_id).

    The form is built once with openpyxl; each copy rewrites only the parts naming its unit (FormCopies),
    except a unit with prefilled rows, whose copy openpyxl builds. The manifest is written once, after all
    the forms: manifest_dir/manifest.json, by default out_dir's own (written inside the set). With
    blank_role, the blank form is written too: into the set when the manifest is inside it, else into
    manifest_dir. Return the forms' paths (the blank form's last).
    """
    out_dir, stamp = Path(out_dir), {"authority": authority, "day": day}
    check_spec(spec, personalised=True)
    manifest_dir = Path(manifest_dir) if manifest_dir else out_dir
    inside = manifest_dir.resolve() == out_dir.resolve()
    names = _file_names(list(recipients), stem)
    items = [(FORM_ROLE, name, {"recipient_id": unit.id}) for unit, name in zip(recipients, names)]
    blank = (blank_role, file_name(stem, ".xlsx"), form_bytes(spec, **stamp)) if blank_role else None
    with OutputSet(out_dir, names + ([blank[1]] if blank and inside else [])) as outputs:
        prefill, copies = prefill or {}, FormCopies(spec, **stamp)
        paths = [outputs.write(name, copies.form(unit, prefill.get(unit.id, ())))
                 for unit, name in zip(recipients, names)]
        if blank and inside:
            paths.append(outputs.write(blank[1], blank[2]))
            items.append((blank[0], blank[1], {}))
        if inside:
            outputs.write_manifest(items)
        outputs.commit()
        if not inside:
            written = [(role, out_dir / name, extra) for role, name, extra in items]
            if blank:
                paths.append(atomic_write(manifest_dir / blank[1], blank[2]))
                written.append((blank[0], paths[-1], {}))
            record_all(manifest_dir, written)
    return paths


def spec_names(spec: FormSpec) -> FormNames:
    """Name a form's files after its own spec (no notice): 附件N <title> or the title, its authority and date."""
    stem = f"附件{spec.number} {spec.title}" if spec.number else spec.title
    role = f"annex{spec.number}_form" if spec.number else "blank_form"
    return FormNames(stem, role, spec.authority, spec.date or spec.reply_by or FormNames.day)


def build_all_forms(spec_path: Path, recipients_path: Path, out_dir: Path, manifest_dir: Path | None,
                    names: FormNames | None = None, prefill: dict[str, list[dict[str, str]]] | None = None
                    ) -> tuple[Path, list[Path]]:
    """Write the blank form into the manifest folder and one personalised copy per unit into out_dir.

    names default to the spec's own (spec_names); prefill holds each unit's known rows (by unit id).
    Everything is read and checked before anything is written. The manifest folder defaults to out_dir.
    """
    spec, units = load_form_spec(spec_path), load_recipients(recipients_path)
    names = names or spec_names(spec)
    manifest_dir = Path(manifest_dir or out_dir)
    for what, folder in (("填报表文件夹（--out）", Path(out_dir)), ("清单所在文件夹（--manifest）", manifest_dir)):
        if folder.exists() and not folder.is_dir():
            raise PipelineError(f"{what} {folder} 已存在且不是文件夹")
    if is_inside(manifest_dir, out_dir) and manifest_dir.resolve() != Path(out_dir).resolve():
        raise PipelineError(f"清单所在文件夹（--manifest）{manifest_dir} 不能在填报表文件夹（--out）{out_dir} 之内："
                            "填报表文件夹每次整体替换，其中不能有别的文件夹；请不写 --manifest，或另选一个文件夹")
    manifest_entries(manifest_dir)  # a damaged manifest is reported now, before any form is replaced
    paths = build_forms(units, spec, out_dir, manifest_dir=manifest_dir, stem=names.stem, blank_role=names.role,
                        authority=names.authority, day=names.day, prefill=prefill)
    return paths[-1], paths[:-1]
