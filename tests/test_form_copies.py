"""Test the fast personalised copies: identical to the forms openpyxl builds, deterministic, one manifest write."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import subprocess
import zipfile

import openpyxl
import pytest

import pipeline.core.manifest as manifest_module
import pipeline.core.outset as outset_module
from pipeline.core.output import normalize_zip, zip_time
from pipeline.core.recipients import Recipient, load_recipients
from pipeline.forms.build import build_all_forms, build_forms
from pipeline.forms.columns import Column
from pipeline.forms.copies import NAME_MARKER, FormCopies
from pipeline.forms.prefill import fill_rows
from pipeline.forms.spec import FormSpec, load_form_spec
from pipeline.forms.workbook import form_workbook
from pipeline.xlsx.copies import PackageCopies, property_text, sheet_text
from pipeline.xlsx.writer import stamp_workbook, workbook_bytes

from paths import REPO

AUTHORITY = "国家知识产权局办公室"
DAY = dt.date(2022, 3, 21)
CONTACT = load_form_spec(REPO / "inputs" / "annex2.yaml")
COMPANIES = load_form_spec(REPO / "inputs" / "examples" / "companies" / "spec.yaml")
NO_UNIT = FormSpec("推荐企业名单", (Column("序号", "seq", "index"), Column("企业名称", "company", "text", required=True),
                                    Column("手机", "mobile", "mobile")), "", 5)
LONG_CHOICES = FormSpec("学历情况表", (Column("填报单位", "unit", "unit"), Column("姓名", "name", "person"),
                                       Column("专业", "major", "choice",
                                              choices=tuple(f"知识产权专业方向第{i}号" for i in range(1, 31)))),
                        "请如实填写。 ", 8)
SPECS = {"contact": CONTACT, "companies": COMPANIES, "no_unit_column": NO_UNIT, "long_choices": LONG_CHOICES}
NAMES = ("北京市知识产权局", "A&B<研究院>\"甲\"'乙'", "&amp;&lt;]]>", "新疆生产建设兵团知识产权局" * 14, "𠀀𪚥知识产权局",
         " 前后有空格　", "=SUM(A1:A9)", "第一行\n第二行\t制表")


def old_form(spec: FormSpec, unit: Recipient | None = None, rows: list[dict] = ()) -> bytes:
    """Build a form the way the stage did before copies: the whole workbook with openpyxl, for this unit."""
    workbook = form_workbook(spec, unit)
    fill_rows(workbook.active, spec, list(rows))
    stamp_workbook(workbook, spec.title + (f"（{unit.name}）" if unit else ""), AUTHORITY, DAY)
    return workbook_bytes(workbook, DAY)


def unit(i: int, name: str) -> Recipient:
    """Return a recipient unit numbered i named name."""
    return Recipient(f"u{i:03d}", name, (), "省级", i + 2)


def content(data: bytes) -> dict:
    """Return what a clerk and the roster see of a workbook, as openpyxl reads it: cells, styles, rules, setup."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheets = {}
    for sheet in book.worksheets:
        cells = {cell.coordinate: (cell.value, cell.data_type, cell.number_format, repr(cell.font), repr(cell.fill),
                                   repr(cell.border), repr(cell.alignment), repr(cell.protection))
                 for row in sheet.iter_rows() for cell in row}
        rules = sorted((dv.type, dv.formula1, dv.formula2, dv.operator, str(dv.sqref), dv.promptTitle, dv.prompt,
                        dv.errorTitle, dv.error, dv.allow_blank) for dv in sheet.data_validations.dataValidation)
        sheets[sheet.title] = {
            "cells": cells, "merged": sorted(map(str, sheet.merged_cells.ranges)), "rules": rules,
            "state": sheet.sheet_state, "freeze": sheet.freeze_panes, "protection": repr(sheet.protection),
            "setup": repr(sheet.page_setup), "margins": repr(sheet.page_margins), "options": repr(sheet.print_options),
            "titles": sheet.print_title_rows, "area": sheet.print_area, "footer": sheet.oddFooter.center.text,
            "rows": {i: (d.height, d.customHeight) for i, d in sheet.row_dimensions.items()},
            "columns": {k: d.width for k, d in sheet.column_dimensions.items()}}
    props = book.properties
    return {"sheets": sheets, "custom": {p.name: p.value for p in book.custom_doc_props.props},
            "core": (props.title, props.creator, props.lastModifiedBy, props.created, props.modified)}


# The copies equal the forms openpyxl builds -----------------------------------------------------
@pytest.mark.parametrize("spec_name", SPECS)
def test_copies_are_byte_identical_to_the_openpyxl_forms(spec_name):
    spec = SPECS[spec_name]
    copies = FormCopies(spec, authority=AUTHORITY, day=DAY)
    assert copies.sheet, "the template must allow substitution"
    for i, name in enumerate(NAMES):
        assert copies.form(unit(i, name)) == old_form(spec, unit(i, name)), name


@pytest.mark.parametrize("spec_name", SPECS)
def test_copies_have_the_same_content_cell_by_cell(spec_name):
    spec = SPECS[spec_name]
    copies = FormCopies(spec, authority=AUTHORITY, day=DAY)
    for i, name in enumerate(NAMES[:4] + NAMES[5:6]):
        fast, old = content(copies.form(unit(i, name))), content(old_form(spec, unit(i, name)))
        assert fast == old, name
        assert fast["custom"] == {"recipient_id": f"u{i:03d}"} and fast["core"][0] == f"{spec.title}（{name}）"
        sheet = fast["sheets"][next(iter(fast["sheets"]))]["cells"]
        assert sheet["A2"][0].startswith(f"填报单位：{name}\n")
        if spec.unit_column is not None:
            column = spec.columns.index(spec.unit_column)
            assert sheet[f"{'ABCDEFGH'[column]}4"][0] == name
    assert NAME_MARKER not in str(fast)


def test_the_stage_writes_the_openpyxl_forms_for_every_sample_unit(tmp_path):
    units = load_recipients(REPO / "inputs" / "recipients.csv")
    paths = build_forms(units, CONTACT, tmp_path / "forms", authority=AUTHORITY, day=DAY)
    assert len(paths) == len(units) == 48
    for path, one in zip(paths, units):
        assert path.read_bytes() == old_form(CONTACT, one), one.name


def test_a_unit_with_prefilled_rows_is_built_by_openpyxl_and_the_others_copied(tmp_path):
    units = [unit(1, "北京市知识产权局"), unit(2, "天津市知识产权局")]
    rows = [{"name": "李玥", "gender": "女", "mobile": "13800138001", "office_phone": "010-62083702"},
            {"name": "王强", "mobile": "13800138002"}]
    paths = build_forms(units, CONTACT, tmp_path / "forms", authority=AUTHORITY, day=DAY, prefill={"u001": rows})
    assert paths[0].read_bytes() == old_form(CONTACT, units[0], rows)
    assert paths[1].read_bytes() == old_form(CONTACT, units[1])
    sheet = openpyxl.load_workbook(paths[0]).active
    assert [sheet.cell(r, 3).value for r in (4, 5, 6)] == ["李玥", "王强", None]


def test_a_name_xml_cannot_hold_falls_back_to_openpyxl(monkeypatch):
    copies = FormCopies(CONTACT, authority=AUTHORITY, day=DAY)
    calls = []
    monkeypatch.setattr("pipeline.forms.copies.form_bytes", lambda *a, **k: calls.append(k["unit"]) or b"openpyxl")
    bad = unit(1, "北京\x01局")
    assert copies.form(bad) == b"openpyxl" and calls == [bad]


def test_a_spec_holding_the_marker_is_never_substituted():
    spec = FormSpec(f"表{NAME_MARKER}", CONTACT.columns, CONTACT.instruction, 3)
    copies = FormCopies(spec, authority=AUTHORITY, day=DAY)
    assert copies.sheet == ""
    assert copies.form(unit(1, "北京市知识产权局")) == old_form(spec, unit(1, "北京市知识产权局"))


# Determinism and the package copier -------------------------------------------------------------
def test_two_runs_write_byte_identical_sets(tmp_path):
    units = [unit(i, name) for i, name in enumerate(NAMES[:4])]
    written = []
    for run in ("a", "b"):
        build_forms(units, COMPANIES, tmp_path / run, authority=AUTHORITY, day=DAY, blank_role="blank_form")
        written.append({p.name: p.read_bytes() for p in sorted((tmp_path / run).iterdir())})
    assert written[0] == written[1] and len(written[0]) == len(units) + 3  # the forms, blank form, manifest, marker


def test_an_unchanged_copy_is_the_package_itself_and_a_changed_one_what_zipfile_writes():
    package = old_form(CONTACT, unit(1, "北京市知识产权局"))
    copies = PackageCopies(package)
    assert copies.copy({}) == package
    changed = {"docProps/core.xml": copies.parts["docProps/core.xml"].replace("北京".encode(), "天津".encode()),
               "xl/styles.xml": copies.parts["xl/styles.xml"] + b"\n"}
    rebuilt = io.BytesIO()
    with zipfile.ZipFile(rebuilt, "w") as out:
        for info in zipfile.ZipFile(io.BytesIO(package)).infolist():
            out.writestr(info.filename, changed.get(info.filename, copies.parts[info.filename]))
    assert copies.copy(changed) == normalize_zip(rebuilt.getvalue(), zip_time(DAY))
    with pytest.raises(KeyError):
        copies.copy({"xl/nothing.xml": b""})


def test_text_is_escaped_as_openpyxl_writes_it():
    assert sheet_text("A&B<c>\"'\r\n北") == "A&amp;B&lt;c&gt;\"'&#13;\n&#21271;"
    assert property_text("A&B<c>\"'\r\n北") == "A&amp;B&lt;c&gt;\"'&#13;\n北"
    assert sheet_text("𠀀") == "&#131072;"


# The manifest is written once per stage ------------------------------------------------------------
@pytest.fixture
def manifest_writes(monkeypatch) -> list[int]:
    """Count the manifests written (through the set, or by a locked update of another folder's manifest)."""
    writes = []

    def counted(entries):
        writes.append(len(entries))
        return original(entries)

    original = manifest_module.manifest_bytes
    monkeypatch.setattr(manifest_module, "manifest_bytes", counted)
    monkeypatch.setattr(outset_module, "manifest_bytes", counted)
    return writes


def test_the_stage_writes_the_manifest_once_beside_the_forms(tmp_path, manifest_writes):
    recipients = tmp_path / "recipients.csv"
    recipients.write_text("id,name,aliases,category\n" + "".join(f"u{i},测试{i}市知识产权局,,县\n" for i in range(30)),
                          encoding="utf-8")
    build_all_forms(REPO / "inputs" / "annex2.yaml", recipients, tmp_path / "outputs" / "forms", tmp_path / "outputs")
    assert manifest_writes == [31]  # 30 forms and the blank form, in one write
    build_all_forms(REPO / "inputs" / "annex2.yaml", recipients, tmp_path / "forms", None)
    assert manifest_writes == [31, 31]


# LibreOffice opens the copies -----------------------------------------------------------------------
def test_libreoffice_opens_the_copies_and_reads_the_unit(tmp_path):
    exe = shutil.which("soffice")
    if exe is None:
        pytest.skip("未安装 LibreOffice")
    cases = {"contact": (CONTACT, NAMES[1]), "no_unit": (NO_UNIT, NAMES[2]), "long": (LONG_CHOICES, NAMES[3]),
             "astral": (COMPANIES, NAMES[4])}
    for stem, (spec, name) in cases.items():
        (tmp_path / f"{stem}.xlsx").write_bytes(FormCopies(spec, authority=AUTHORITY, day=DAY).form(unit(1, name)))
    out = tmp_path / "csv"
    subprocess.run([exe, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless", "--convert-to",
                    "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(out),
                    *(str(tmp_path / f"{stem}.xlsx") for stem in cases)], capture_output=True, timeout=240, check=False)
    for stem, (spec, name) in cases.items():
        rows = list(csv.reader(io.StringIO((out / f"{stem}.csv").read_text(encoding="utf-8"), newline="")))
        assert rows[0][0] == spec.title and rows[1][0].startswith(f"填报单位：{name}"), stem
        if spec.unit_column is not None:
            assert rows[3][spec.columns.index(spec.unit_column)] == name, stem
