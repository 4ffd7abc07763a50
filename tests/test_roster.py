"""Test the roster stage: every format and shape of return, value cleaning, matching, resubmissions, outputs."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import shutil
import time
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from pypdf import PdfReader

from pipeline.core.errors import PipelineError
from pipeline.core.problems import CODES
from pipeline.core.recipients import load_recipients
from pipeline.forms.build import build_forms, write_form
from pipeline.forms.spec import load_form_spec
from pipeline.pdf import fonts
from pipeline.roster import cleaning, header
from pipeline.roster.archive import member_time
from pipeline.roster.matching import UnitMatcher
from pipeline.roster.report import summary
from pipeline.cli import progress_bar
from pipeline.roster.stage import build_roster
from pipeline.roster.writers import ROSTER_COLUMNS
from pipeline.xlsx.package import custom_property
from tools.bench import generate
from tools.bench import main as bench_main

from paths import REPO

RECIPIENTS = REPO / "inputs" / "recipients.csv"
SAMPLE = REPO / "inputs" / "returned"
LEGACY_XLS = REPO / "tests" / "data" / "roster_hebei.xls"
DAY = dt.date(2022, 3, 21)
CHINA = dt.timezone(dt.timedelta(hours=8))
HEADER = ["序号", "工作单位", "姓名", "性别", "职务/级别", "办公电话", "手机号码", "备注"]


# Helpers -----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def units():
    """Load the 48 sample recipients."""
    return load_recipients(RECIPIENTS)


@pytest.fixture(scope="module")
def spec():
    """Load the annex 2 form spec (8 columns, 20 rows)."""
    return load_form_spec(REPO / "inputs" / "annex2.yaml")


@pytest.fixture
def returned(tmp_path) -> Path:
    """Return an empty folder for returned files."""
    folder = tmp_path / "returned"
    folder.mkdir()
    return folder


def run(folder: Path, progress=None):
    """Consolidate folder with the sample recipients into folder/../out and return the Report."""
    return build_roster(folder, RECIPIENTS, folder.parent / "out", progress)


def workbook(path: Path, rows: list[list], title: str = "Sheet1", merges: tuple[str, ...] = ()) -> Path:
    """Write rows into a one-sheet .xlsx (strings stay strings, numbers numbers)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for ref in merges:
        sheet.merge_cells(ref)
    book.save(path)
    return path


def filled_form(spec, unit, path: Path, people: list[tuple], folder: Path) -> Path:
    """Write the unit's personalised form and fill it in from row 4 as the unit would (openpyxl)."""
    blank = folder.parent / f"blank-{unit.id}.xlsx"
    write_form(spec, blank, authority="国家知识产权局办公室", day=DAY, unit=unit)
    book = openpyxl.load_workbook(blank)
    for r, person in enumerate(people, start=4):
        for c, value in enumerate(person, start=2):
            book.active.cell(r, c).value = value
    book.save(path)
    return path


def unit(units, unit_id: str):
    """Return the recipient with an id."""
    return next(u for u in units if u.id == unit_id)


def people(report, *keys: str) -> list[tuple]:
    """Project the roster rows on some columns."""
    return [tuple(row[k] for k in keys) for row in report.rows]


def problems(report) -> list[tuple]:
    """Project the problems on (file, sheet, row, column, code), checking each code is in the catalogue."""
    assert {p.code for p in report.problems} <= set(CODES)
    return [(p.shown_path, p.sheet, p.row, p.field, p.code) for p in report.problems]


def statuses(report) -> dict[str, str]:
    """Return each file's status by path."""
    return {f.shown_path: f.status for f in report.files}


def visible(folder: Path) -> list[str]:
    """Return the names of a folder's files a clerk sees (hidden bookkeeping files left out)."""
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


def unit_status(report, unit_id: str) -> str:
    """Return one unit's status."""
    return next(u.status for u in report.units if u.id == unit_id)


class GbkName(zipfile.ZipInfo):
    """Store a member name as GBK bytes without the UTF-8 flag, as Windows zip tools do."""

    def _encodeFilenameFlags(self):
        return self.filename.encode("gbk"), self.flag_bits & ~0x800


def archive(path: Path, members: list[tuple[str, bytes, tuple]], info=zipfile.ZipInfo) -> Path:
    """Write a zip of (name, bytes, date_time) members."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data, when in members:
            entry = info(name, date_time=when)
            entry.compress_type = zipfile.ZIP_DEFLATED
            out.writestr(entry, data)
    return path


def china_time(*when: int) -> float:
    """Return the timestamp of a wall-clock time in China Standard Time (UTC+8)."""
    return dt.datetime(*when, tzinfo=CHINA).timestamp()


def dated(path: Path, text: str, *when: int) -> Path:
    """Write a UTF-8 file and set its modification time to a China Standard Time wall clock."""
    path.write_text(text, encoding="utf-8")
    os.utime(path, (china_time(*when), china_time(*when)))
    return path


@pytest.fixture
def deny(monkeypatch):
    """Return a function that makes a folder unreadable (chmod 000; root also gets a failing os.scandir)."""
    denied: list[Path] = []
    real = os.scandir

    def scandir(path="."):
        if Path(os.fsdecode(os.fspath(path))) in denied:
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path)

    def make(folder: Path) -> Path:
        denied.append(folder)
        folder.chmod(0)
        if os.geteuid() == 0:  # root may open any folder: fail as a clerk's account would
            monkeypatch.setattr(os, "scandir", scandir)
        return folder

    yield make
    for folder in denied:
        folder.chmod(0o755)


@pytest.fixture
def zone(monkeypatch):
    """Return a function that switches the process time zone (TZ); the original is restored afterwards."""

    def switch(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    yield switch
    monkeypatch.undo()
    time.tzset()


def csv_bytes(rows: list[list[str]], encoding: str, delimiter: str = ",") -> bytes:
    """Return rows as CSV text in an encoding."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


# Personalised forms ------------------------------------------------------------------------------
def test_renamed_personalised_form_is_matched_by_its_recipient_id(returned, units, spec):
    filled_form(spec, unit(units, "tianjin"), returned / "新建 Microsoft Excel 工作表 (2).xlsx",
                [("天津市知识产权局", "钱进", "男", "处长", "022-23456789", "13912345678", None)], returned)
    report = run(returned)
    assert [(f.shown_path, f.status, f.unit_id, f.matched_by) for f in report.files] == [
        ("新建 Microsoft Excel 工作表 (2).xlsx", "used", "tianjin", "property")]
    assert people(report, "unit_id", "unit", "name", "source_sheet", "source_row") == [
        ("tianjin", "天津市知识产权局", "钱进", "各省级知识产权管理部门联系人信息表", 4)]
    assert (unit_status(report, "tianjin"), report.problems) == ("ok", [])


def test_custom_property_is_read_safely_from_the_package(tmp_path, units, spec):
    path = write_form(spec, tmp_path / "form.xlsx", authority="国家知识产权局办公室", day=DAY, unit=unit(units, "jilin"))
    assert custom_property(zipfile.ZipFile(path), "recipient_id") == "jilin"
    assert custom_property(zipfile.ZipFile(path), "other") == ""
    bomb = ('<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
            'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            '<property name="recipient_id"><vt:lpwstr>&b;</vt:lpwstr></property></Properties>')
    with zipfile.ZipFile(tmp_path / "bomb.xlsx", "w") as package:
        package.writestr("docProps/custom.xml", bomb)
    assert custom_property(zipfile.ZipFile(tmp_path / "bomb.xlsx"), "recipient_id") == ""
    assert custom_property(zipfile.ZipFile(io.BytesIO(_zip_without_parts())), "recipient_id") == ""


def _zip_without_parts() -> bytes:
    buffer = io.BytesIO()
    zipfile.ZipFile(buffer, "w").close()
    return buffer.getvalue()


def test_property_wins_over_the_file_name_and_a_foreign_unit_cell_is_flagged(returned, units, spec):
    filled_form(spec, unit(units, "liaoning"), returned / "大连市知识产权局.xlsx",
                [("辽宁省知识产权局", "沈阳", "男", "处长", "024-22345671", "13804001001", None),
                 ("大连市知识产权局", "韩梅", "女", "科长", "0411-82345672", "13804001002", None)], returned)
    report = run(returned)
    assert people(report, "unit_id", "name") == [("liaoning", "沈阳"), ("liaoning", "韩梅")]
    assert problems(report) == [("大连市知识产权局.xlsx", "各省级知识产权管理部门联系人信息表", 5, "工作单位", "unit_cell_mismatch")]
    assert unit_status(report, "dalian") == "missing"


def test_numbers_stored_as_numbers_and_untidy_values_are_cleaned(returned, units, spec):
    filled_form(spec, unit(units, "beijing"), returned / "北京.xlsx", [
        ("北京市知识产权局", "李　玥", "女士", "处长", 1062083702, 13800000000.0, "无"),
        ("北京市知识产权局", "赵 强", "M", "科员", "０１０－６２０８３７０３转１２３", "+86 138-0000-0001", "／"),
        ("北京市知识产权局", "孙立", "男性", "-", 2162345678, "138 0000 0002", "暂无"),
    ], returned)
    report = run(returned)
    assert people(report, "name", "gender", "title", "office_phone", "mobile", "note") == [
        ("李玥", "女", "处长", "010-62083702", "13800000000", ""),
        ("赵强", "男", "科员", "010-62083703-123", "13800000001", ""),
        ("孙立", "男", "", "021-62345678", "13800000002", "")]
    assert report.problems == []


# Shapes ---------------------------------------------------------------------------------------------
def test_header_pushed_down_renamed_and_shuffled_with_trailing_notes(returned):
    workbook(returned / "回执.xlsx", [
        ["河北省知识产权局联系人信息表"], ["填报单位：河北省知识产权局（盖章）      填报日期：2022年3月22日"], [],
        ["手机", "联系人", "座机", "单位名称", "职务", "性别"],
        ["13700001111", "吴刚", "0311-87654321", "河北省知识产权局", "副处长", "男"], [],
        ["13700001112", "郑丽", "0311-87654322", "河北省知识产权局", "主任科员", "女"],
        ["注：请于3月24日前报送。"], ["填表人：王芳        联系电话：0311-87654300"]])
    report = run(returned)
    assert people(report, "unit_id", "name", "gender", "title", "office_phone", "mobile", "source_row") == [
        ("hebei", "吴刚", "男", "副处长", "0311-87654321", "13700001111", 5),
        ("hebei", "郑丽", "女", "主任科员", "0311-87654322", "13700001112", 7)]
    assert (report.files[0].matched_by, report.problems) == ("line", [])


def test_header_split_under_a_merged_group_on_the_second_sheet(returned):
    book = openpyxl.Workbook()
    book.active.title = "填表说明"
    book.active["A1"] = "请在“联系人”工作表中填写，每人一行。"
    sheet = book.create_sheet("联系人")
    sheet["A1"] = "安徽省知识产权局联系人信息"
    for col, label in enumerate(["序号", "姓名", "性别", "职务/级别", "联系方式", None, "电子邮箱"], start=1):
        sheet.cell(2, col).value = label
    sheet.merge_cells("E2:F2")
    for col in (1, 2, 3, 4, 7):
        sheet.merge_cells(start_row=2, start_column=col, end_row=3, end_column=col)
    sheet["E3"], sheet["F3"] = "办公电话", "手机号码"
    sheet.append([1, "吕方", "男", "处长", "0551-62001001", "13905510001", "lvfang@example.com"])
    book.save(returned / "联系人.xlsx")
    report = run(returned)
    assert people(report, "unit_id", "name", "office_phone", "mobile", "note", "source_sheet", "source_row") == [
        ("anhui", "吕方", "0551-62001001", "13905510001", "电子邮箱：lvfang@example.com", "联系人", 4)]
    assert problems(report) == [("联系人.xlsx", "联系人", 3, "电子邮箱", "extra_column")]


def test_legacy_xls_is_read(returned):
    shutil.copy(LEGACY_XLS, returned / "河北.xls")
    report = run(returned)
    assert people(report, "unit_id", "name", "gender", "office_phone", "mobile", "note", "source_row") == [
        ("hebei", "吴刚", "男", "0311-87654321", "13700001111", "", 4),
        ("hebei", "郑丽", "女", "0311-87654322", "13700001112", "", 5)]


@pytest.mark.parametrize("encoding, prefix, delimiter", [
    ("utf-8", b"", ","), ("utf-8", b"\xef\xbb\xbf", ","), ("gbk", b"", ","), ("gb18030", b"", ","),
    ("utf-16", b"", "\t")])
def test_csv_in_every_encoding(returned, encoding, prefix, delimiter):
    name = "冯涛" if encoding != "gb18030" else "冯䶮"  # 䶮 is outside GBK
    rows = [["工作单位", "姓名", "性别", "职务", "办公电话", "手机号码"],
            ["山西省知识产权局", name, "男", "处长", "3514567890", "13512340001"]]
    (returned / "山西.csv").write_bytes(prefix + csv_bytes(rows, encoding, delimiter))
    report = run(returned)
    assert people(report, "unit_id", "name", "office_phone", "mobile", "source_sheet", "source_row") == [
        ("shanxi", name, "0351-4567890", "13512340001", "", 2)]


def test_word_table_with_a_unit_paragraph(returned):
    document = docx.Document()
    document.add_paragraph("填报单位：辽宁省知识产权局")
    table = document.add_table(rows=1, cols=5)
    for cell, label in zip(table.rows[0].cells, ["姓名", "性别", "职务", "办公电话", "手机号码"]):
        cell.text = label
    for cell, value in zip(table.add_row().cells, ["韩　梅", "女", "科长", "024-22345672", "13804001002"]):
        cell.text = value
    document.save(returned / "回执.docx")
    report = run(returned)
    assert people(report, "unit_id", "name", "source_sheet", "source_row") == [("liaoning", "韩梅", "表格1", 2)]
    assert report.files[0].matched_by == "line"


# Archives ----------------------------------------------------------------------------------------------
def test_zip_with_two_provinces_and_gbk_member_names(returned):
    jilin = csv_bytes([["工作单位", "姓名", "手机号码"], ["吉林省知识产权局", "杨帆", "13904310001"]], "gbk")
    hlj = io.BytesIO()
    workbook(hlj, [["填报单位：黑龙江省知识产权局"], ["姓名", "性别", "手机号码"], ["朱琳", "女", 13904510001]])
    path = archive(returned / "两省.zip", [("吉林/吉林省联系人.csv", jilin, (2022, 3, 22, 9, 0, 0)),
                                          ("黑龙江省联系人.xlsx", hlj.getvalue(), (2022, 3, 22, 10, 0, 0))], GbkName)
    assert {info.flag_bits & 0x800 for info in zipfile.ZipFile(path).infolist()} == {0}
    report = run(returned)
    assert people(report, "unit_id", "name", "source_file", "source_row") == [
        ("jilin", "杨帆", "两省.zip!吉林/吉林省联系人.csv", 2),
        ("heilongjiang", "朱琳", "两省.zip!黑龙江省联系人.xlsx", 3)]


def test_file_names_stored_as_gbk_bytes_on_disk_are_decoded(returned):
    with open(os.path.join(os.fsencode(returned), "北京市回执.csv".encode("gbk")), "wb") as handle:
        handle.write("姓名,手机号码\n李玥,13800138001\n".encode("gbk"))
    report = run(returned)
    assert people(report, "unit_id", "source_file") == [("beijing", "北京市回执.csv")]


def test_nested_and_password_protected_members(returned):
    inner = io.BytesIO()
    archive(inner, [("天津.csv", "姓名,手机号码\n钱进,13912345678\n".encode(), (2022, 3, 22, 0, 0, 0))])
    path = archive(returned / "外层.zip", [("内层.zip", inner.getvalue(), (2022, 3, 22, 0, 0, 0)),
                                          ("__MACOSX/._内层.zip", b"\x00\x05", (2022, 3, 22, 0, 0, 0)),
                                          ("河北.csv", b"locked", (2022, 3, 22, 0, 0, 0))])
    data = bytearray(path.read_bytes())
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # mark 河北.csv as encrypted
        at = data.rfind(signature)
        data[at + offset] |= 0x01
    path.write_bytes(bytes(data))
    report = run(returned)
    assert statuses(report) == {"外层.zip!__MACOSX/._内层.zip": "ignored", "外层.zip!内层.zip!天津.csv": "used",
                                "外层.zip!河北.csv": "unreadable"}
    assert "密码" in report.problems[0].message


def test_zip_bomb_is_refused_and_the_batch_goes_on(returned):
    archive(returned / "炸弹.zip", [("北京.csv", b"0" * 30_000_000, (2022, 3, 22, 0, 0, 0))])
    (returned / "四川.csv").write_text("姓名,手机号码\n曹宁,13908280001\n", encoding="utf-8")
    report = run(returned)
    assert problems(report) == [("炸弹.zip", "", None, "", "unreadable_file")]
    assert "压缩炸弹" in report.problems[0].message
    assert people(report, "unit_id", "name") == [("sichuan", "曹宁")]


def test_zip_with_too_many_members_is_refused(returned):
    archive(returned / "多.zip", [(f"{i}.csv", b"a", (2022, 3, 22, 0, 0, 0)) for i in range(501)])
    assert [(f.shown_path, f.status) for f in run(returned).files] == [("多.zip", "unreadable")]


# Resubmissions ------------------------------------------------------------------------------------------
def test_newest_file_of_a_unit_is_used_and_older_ones_superseded(returned, units, spec):
    old = filled_form(spec, unit(units, "tianjin"), returned / "天津（更正）.xlsx",
                      [("天津市知识产权局", "钱进", "男", "处长", "022-23456789", "1391234567", None)], returned)
    new = filled_form(spec, unit(units, "tianjin"), returned / "天津.xlsx",
                      [("天津市知识产权局", "钱进", "男", "处长", "022-23456789", "13912345678", None),
                       ("天津市知识产权局", "周敏", "女", "科员", "022-23456790", "13912345679", None)], returned)
    os.utime(old, (1_600_000_000, 1_600_000_000))
    os.utime(new, (1_600_000_100, 1_600_000_100))
    report = run(returned)
    assert statuses(report) == {"天津.xlsx": "used", "天津（更正）.xlsx": "superseded"}
    assert people(report, "name", "source_file") == [("钱进", "天津.xlsx"), ("周敏", "天津.xlsx")]
    assert problems(report) == [("天津（更正）.xlsx", "", None, "", "superseded_file")]
    assert next(u.files for u in report.units if u.id == "tianjin") == ["天津.xlsx", "天津（更正）.xlsx"]


def test_equal_times_are_broken_by_path(returned):
    for name in ("b山西.csv", "a山西.csv"):
        (returned / name).write_text(f"姓名,手机号码\n{name[0]},13512340001\n", encoding="utf-8")
        os.utime(returned / name, (1_600_000_000, 1_600_000_000))
    assert statuses(run(returned)) == {"a山西.csv": "superseded", "b山西.csv": "used"}


def test_zip_members_are_ordered_by_their_stored_date_time(returned):
    first = "姓名,手机号码\n秦岭,1390210001\n".encode()
    fixed = "姓名,手机号码\n秦岭,13902100001\n".encode()
    archive(returned / "上海.zip", [("上海（更正）.csv", fixed, (2022, 3, 23, 9, 0, 0)),
                                    ("上海（初稿）.csv", first, (2022, 3, 24, 9, 0, 0))])
    os.utime(returned / "上海.zip", (1_600_000_000, 1_600_000_000))
    report = run(returned)
    assert statuses(report) == {"上海.zip!上海（初稿）.csv": "used", "上海.zip!上海（更正）.csv": "superseded"}
    assert people(report, "mobile") == [("1390210001",)]


def test_a_newer_empty_file_never_hides_the_rows_of_an_older_one(returned):
    dated(returned / "贵州省知识产权局.csv", "姓名,手机号码\n欧阳明,13908510001\n", 2022, 3, 20)
    dated(returned / "贵州省知识产权局（空表）.csv", "姓名,手机号码\n", 2022, 3, 22)
    report = run(returned)
    assert statuses(report) == {"贵州省知识产权局.csv": "used", "贵州省知识产权局（空表）.csv": "superseded"}
    assert people(report, "unit_id", "name", "source_file") == [("guizhou", "欧阳明", "贵州省知识产权局.csv")]
    assert problems(report) == [("贵州省知识产权局（空表）.csv", "", None, "", "empty_newer_file")]
    assert report.problems[0].severity == "warning" and unit_status(report, "guizhou") == "ok"
    assert report.problems[0].message == (
        "文件“贵州省知识产权局（空表）.csv”只有表头，没有填写任何联系人，故未采用；"
        "已改用贵州省知识产权局较早的文件“贵州省知识产权局.csv”中的联系人汇总，请向该单位核实是否发错了文件")
    files = openpyxl.load_workbook(returned.parent / "out" / "roster.xlsx")["文件"]
    assert [(row[1].value, row[4].value) for row in files.iter_rows(min_row=2)] == [
        ("已汇总", "1"), ("未采用（同一单位另有文件已汇总）", "0")]


def test_newer_empty_and_unreadable_files_leave_the_older_rows_in_use(returned):
    dated(returned / "贵州.csv", "姓名,手机号码\n欧阳明,13908510001\n", 2022, 3, 20)
    dated(returned / "贵州（空表）.csv", "姓名,手机号码\n", 2022, 3, 21)
    dated(returned / "贵州（旧稿）.csv", "姓名,手机号码\n", 2022, 3, 19)
    (returned / "贵州（更正）.xlsx").write_bytes(b"PK\x03\x04broken")
    os.utime(returned / "贵州（更正）.xlsx", (china_time(2022, 3, 22), china_time(2022, 3, 22)))
    report = run(returned)
    assert statuses(report) == {"贵州.csv": "used", "贵州（空表）.csv": "superseded", "贵州（旧稿）.csv": "superseded",
                                "贵州（更正）.xlsx": "unreadable"}
    assert people(report, "name", "source_file") == [("欧阳明", "贵州.csv")]
    assert problems(report) == [("贵州（旧稿）.csv", "", None, "", "superseded_file"),
                                ("贵州（更正）.xlsx", "", None, "", "unreadable_file"),
                                ("贵州（空表）.csv", "", None, "", "empty_newer_file")]
    assert unit_status(report, "guizhou") == "errors"


def test_zip_member_times_do_not_depend_on_the_machine_time_zone(tmp_path, zone):
    for name in ("UTC0", "CST-8", "EST5EDT"):  # POSIX zones: UTC, UTC+8, New York
        zone(name)
        folder = tmp_path / name / "returned"
        folder.mkdir(parents=True)
        draft = "姓名,手机号码\n秦岭,1390210001\n".encode()
        archive(folder / "上海.zip", [("上海（初稿）.csv", draft, (2022, 3, 22, 10, 0, 0))])
        dated(folder / "上海（更正）.csv", "姓名,手机号码\n秦岭,13902100001\n", 2022, 3, 22, 10, 30)
        report = run(folder)
        assert statuses(report) == {"上海.zip!上海（初稿）.csv": "superseded", "上海（更正）.csv": "used"}, name
        member = zipfile.ZipInfo("a.csv", date_time=(2022, 3, 22, 10, 0, 0))
        assert member_time(member, 0.0) == china_time(2022, 3, 22, 10), name


# Problems ------------------------------------------------------------------------------------------------
def test_row_problems_name_file_sheet_row_and_column(returned):
    workbook(returned / "内蒙古.xlsx", [
        ["工作单位", "姓名", "性别", "办公电话", "手机号码"],
        ["内蒙古自治区知识产权局", "卫东", "不详", "6944001", "1360471000"],
        ["内蒙古自治区知识产权局", "", "女", "0471-6944002", "13604710002"],
        ["内蒙古自治区知识产权局", "蒋华", "女", "0471-6944003", ""],
        ["内蒙古自治区知识产权局", "韩雪", "女", "0471-6944004", "1.36047E+10"]], title="名单")
    report = run(returned)
    assert [(p.row, p.column, p.field, p.code, p.severity) for p in report.problems] == [
        (2, "C", "性别", "invalid_gender", "warning"), (2, "E", "手机号码", "invalid_mobile", "error"),
        (2, "D", "办公电话", "invalid_office_phone", "warning"), (3, "B", "姓名", "missing_name", "error"),
        (4, "E", "手机号码", "missing_mobile", "error"), (5, "E", "手机号码", "invalid_mobile", "error")]
    first = report.problems[1].message
    assert all(part in first for part in ("内蒙古.xlsx", "名单", "第 2 行", "E 列", "1360471000", "11 位"))
    assert "科学计数法" in report.problems[-1].message
    assert len(report.rows) == 4 and unit_status(report, "neimenggu") == "errors"
    assert report.files[0].matched_by == "column"


def test_word_table_problems_name_the_table_and_its_column(returned):
    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    for cell, value in zip(table.rows[0].cells + table.rows[1].cells, ["姓名", "性别", "手机号码", "韩梅", "女", "138"]):
        cell.text = value
    document.save(returned / "辽宁.docx")
    report = run(returned)
    assert problems(report) == [("辽宁.docx", "表格1", 2, "手机号码", "invalid_mobile")]
    assert report.problems[0].message.startswith("文件“辽宁.docx”表格1第 2 行 第3列（手机号码）")


def test_unreadable_and_fake_files_are_reported_and_noise_is_ignored(returned, units, spec):
    good = filled_form(spec, unit(units, "zhejiang"), returned / "good.xlsx",
                       [("浙江省知识产权局", "何平", "男", "处长", "0571-87001001", "13905710001", None)], returned)
    (returned / "浙江省知识产权局.xlsx").write_bytes(good.read_bytes()[:3000])
    os.utime(returned / "浙江省知识产权局.xlsx", (1_600_000_000, 1_600_000_000))  # older than good.xlsx
    (returned / "江苏省回执.pdf").write_bytes(b"%PDF-1.4\n%scan\n")
    (returned / "福建.xlsx").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 50)
    (returned / "~$good.xlsx").write_bytes(b"\x06owner" + b"\x00" * 100)
    (returned / ".~lock.good.xlsx#").write_text("owner,host", encoding="utf-8")
    (returned / "Thumbs.db").write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    (returned / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    report = run(returned)
    assert problems(report) == [("江苏省回执.pdf", "", None, "", "unreadable_file"),
                                ("浙江省知识产权局.xlsx", "", None, "", "unreadable_file"),
                                ("福建.xlsx", "", None, "", "unreadable_file")]
    assert sorted(f.shown_path for f in report.files if f.status == "ignored") == [
        ".DS_Store", ".~lock.good.xlsx#", "Thumbs.db", "~$good.xlsx"]
    assert (unit_status(report, "zhejiang"), unit_status(report, "jiangsu"), unit_status(report, "fujian")) == (
        "ok", "errors", "errors")
    assert "扫描件" in report.problems[0].message


def test_a_file_without_any_cell_is_empty_not_an_empty_return(returned):
    (returned / "北京.csv").write_bytes(b"")
    (returned / "天津.csv").write_bytes(b"\xef\xbb\xbf")
    (returned / "河北.csv").write_bytes(b"\r\n ,\r\n")
    (returned / "山西.xlsx").write_bytes(b"")
    workbook(returned / "上海.xlsx", [])
    report = run(returned)
    assert statuses(report) == {name: "unreadable" for name in ("上海.xlsx", "北京.csv", "天津.csv", "山西.xlsx", "河北.csv")}
    assert {p.code for p in report.problems} == {"unreadable_file"}
    assert all("文件是空的" in p.message for p in report.problems)
    assert report.problems[1].message.startswith("文件“北京.csv”无法读取：文件是空的")
    assert {unit_status(report, u) for u in ("beijing", "tianjin", "hebei", "shanxi", "shanghai")} == {"errors"}


def test_control_characters_in_cells_are_dropped(returned):
    (returned / "河北.csv").write_bytes("姓名,手机号码,备注\n\x00\x00,13700001111,\n李\x07玥,13700001112,a\x1b\x7fb\n"
                                       .encode("utf-8"))
    report = run(returned)
    assert people(report, "name", "mobile", "note") == [("", "13700001111", ""), ("李玥", "13700001112", "ab")]
    assert problems(report) == [("河北.csv", "", 2, "姓名", "missing_name"), ("河北.csv", "", 2, "姓名", "control_characters"),
                                ("河北.csv", "", 3, "姓名", "control_characters"),
                                ("河北.csv", "", 3, "备注", "control_characters")]
    data = (returned.parent / "out" / "roster.csv").read_bytes()
    assert not re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", data)


def test_an_unreadable_subfolder_is_reported_and_the_batch_goes_on(returned, deny):
    (returned / "北京.csv").write_text("姓名,手机号码\n李玥,13800138001\n", encoding="utf-8")
    (returned / "河北").mkdir()
    (returned / "河北" / "回执.csv").write_text("姓名,手机号码\n吴刚,13700001111\n", encoding="utf-8")
    deny(returned / "河北")
    report = run(returned)
    assert [(f.shown_path, f.status, f.unit_id) for f in report.files] == [("北京.csv", "used", "beijing"),
                                                                      ("河北/", "unreadable", "hebei")]
    assert problems(report) == [("河北/", "", None, "", "unreadable_file")]
    assert report.problems[0].message.startswith("文件夹“河北/”无法读取：无法打开这个文件夹")
    assert (people(report, "name"), unit_status(report, "hebei")) == ([("李玥",)], "errors")


def test_an_unreadable_returned_folder_is_a_usage_error(returned, deny):
    deny(returned)
    with pytest.raises(PipelineError, match="无法打开回执文件夹"):
        run(returned)


def test_a_newer_file_that_cannot_be_read_puts_the_unit_in_error(returned):
    (returned / "浙江.csv").write_text("姓名,手机号码\n何平,13905710001\n", encoding="utf-8")
    (returned / "浙江（更正）.xlsx").write_bytes(b"PK\x03\x04broken")
    os.utime(returned / "浙江.csv", (1_600_000_000, 1_600_000_000))
    report = run(returned)
    assert statuses(report) == {"浙江.csv": "used", "浙江（更正）.xlsx": "unreadable"}
    assert (people(report, "name"), unit_status(report, "zhejiang")) == ([("何平",)], "errors")


def test_duplicate_person_is_a_warning_on_both_units(returned):
    (returned / "北京.csv").write_text("姓名,手机号码\n李玥,13800138001\n", encoding="utf-8")
    (returned / "新疆生产建设兵团.csv").write_text("姓名,手机号码\n李　玥,13800138001\n", encoding="utf-8")
    report = run(returned)
    assert problems(report) == [("北京.csv", "", 2, "姓名", "duplicate_person"),
                                ("新疆生产建设兵团.csv", "", 2, "姓名", "duplicate_person")]
    assert "新疆生产建设兵团知识产权局" in report.problems[0].message
    assert (unit_status(report, "beijing"), unit_status(report, "xinjiang-bingtuan")) == ("ok", "ok")


def test_blank_form_is_an_empty_return_and_a_headless_list_has_no_header(returned, units, spec):
    filled_form(spec, unit(units, "fujian"), returned / "福建.xlsx", [], returned)
    workbook(returned / "河南.xlsx", [["河南省知识产权局"], ["金鑫", "13903710001"]])
    report = run(returned)
    assert problems(report) == [("河南.xlsx", "", None, "", "no_header"), ("福建.xlsx", "", None, "", "empty_return")]
    assert statuses(report) == {"河南.xlsx": "unreadable", "福建.xlsx": "used"}
    assert (unit_status(report, "fujian"), unit_status(report, "henan")) == ("errors", "errors")


def test_unmatched_file_keeps_its_rows_with_an_empty_unit_id(returned):
    workbook(returned / "名单.xlsx", [["单位", "联系人", "手机"], ["某服务联盟", "严格", "13600000001"]])
    report = run(returned)
    assert people(report, "unit_id", "unit", "name") == [("", "某服务联盟", "严格")]
    assert [(f.status, f.unit_id) for f in report.files] == [("unmatched", None)]
    assert problems(report) == [("名单.xlsx", "", None, "", "unmatched_file")]


# Matching ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("四川省知识产权服务促进中心", "sichuan-center"), ("四川省知识产权局", "sichuan"), ("四川中心联系人", "sichuan-center"),
    ("新疆生产建设兵团", "xinjiang-bingtuan"), ("新疆", "xinjiang"), ("附件2 联系人信息表-陕西省知识产权局", "shaanxi"),
    ("山西 联系人", "shanxi"), ("新建 Microsoft Excel 工作表 (2)", None)])
def test_full_names_before_aliases_and_the_longest_alias_wins(units, text, expected):
    found = UnitMatcher(units).match(text)
    assert (found.id if found else None) == expected


def test_file_names_match_units_longest_first(returned):
    names = ("新疆生产建设兵团联系人.csv", "新疆.csv", "四川省知识产权服务促进中心.csv", "四川省知识产权局.csv")
    for n, name in enumerate(names):
        (returned / name).write_text(f"姓名,手机号码\n甲,1390000000{n}\n", encoding="utf-8")
    report = run(returned)
    assert {f.shown_path: f.unit_id for f in report.files} == {
        "新疆生产建设兵团联系人.csv": "xinjiang-bingtuan", "新疆.csv": "xinjiang",
        "四川省知识产权服务促进中心.csv": "sichuan-center", "四川省知识产权局.csv": "sichuan"}


# Outputs -------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def sample_run(tmp_path_factory):
    """Consolidate the sample folder inputs/returned/ twice, into two output folders."""
    base = tmp_path_factory.mktemp("sample")
    before = snapshot(SAMPLE)
    reports = [build_roster(SAMPLE, RECIPIENTS, base / name) for name in ("out", "again")]
    return base, reports[0], before


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Return every file's bytes and modification time (ns)."""
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_sample_folder_shows_every_case(sample_run):
    _, report, _ = sample_run
    assert report.counts["units"] == {"total": 48, "ok": 11, "errors": 7, "missing": 30}
    assert report.counts["files"] == {"total": 23, "used": 14, "superseded": 1, "unmatched": 1, "unreadable": 4,
                                      "ignored": 3}
    assert {p.code for p in report.problems} >= {"unreadable_file", "no_header", "empty_return", "superseded_file",
                                                 "unmatched_file", "duplicate_person", "invalid_mobile",
                                                 "missing_mobile", "missing_name", "invalid_gender",
                                                 "invalid_office_phone", "extra_column"}
    matched = {f.unit_id for f in report.files if f.status == "used"}
    assert {"beijing", "tianjin", "hebei", "shanxi", "neimenggu", "liaoning", "jilin", "heilongjiang", "shanghai",
            "anhui", "hubei", "xinjiang-bingtuan", "sichuan-center", "fujian"} == matched


def test_roster_csv_has_the_fixed_header_a_bom_and_no_live_formula(sample_run):
    base, report, _ = sample_run
    data = (base / "out" / "roster.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == list(ROSTER_COLUMNS)
    assert data.splitlines()[0] == b"\xef\xbb\xbfunit_id,unit,name,gender,title,office_phone,mobile,note,source_file,source_sheet,source_row"
    assert len(rows) - 1 == len(report.rows) == report.counts["people"]
    formula_like = [r[7] for r in rows[1:] if r[7] and r[7][0] in "=+-@'"]
    assert formula_like == ["'=HYPERLINK(\"http://example.com\")", "'@SUM(A1)"]
    assert [r[6] for r in rows[1:] if r[2] == "李玥"] == ["13800138001", "13800138001"]
    assert "吉林黑龙江联系人.zip!吉林省知识产权局联系人信息表.xlsx" in {r[8] for r in rows}


def test_roster_xlsx_has_four_text_only_sheets(sample_run):
    base, report, _ = sample_run
    book = openpyxl.load_workbook(base / "out" / "roster.xlsx")
    assert book.sheetnames == ["汇总", "问题", "未报单位", "文件"]
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
    assert {c.data_type for c in cells if c.value is not None} <= {"s"}
    roster = book["汇总"]
    assert [c.value for c in roster[1]][:3] == ["单位编号", "单位", "姓名"]
    assert "=HYPERLINK(\"http://example.com\")" in {c.value for c in roster["H"]}
    assert (roster.freeze_panes, roster.auto_filter.ref, roster.max_row) == ("A2", "A1:K27", len(report.rows) + 1)
    assert roster.column_dimensions["B"].width > roster.column_dimensions["D"].width
    assert book["问题"].max_row == len(report.problems) + 1
    missing = [(r[0].value, r[2].value) for r in book["未报单位"].iter_rows(min_row=2)]
    assert len(missing) == 30 and ("dalian", "计划单列市") in missing


def test_roster_xlsx_widths_use_the_forms_text_width_and_its_stamp_is_fixed(returned):
    (returned / "北京.csv").write_text("姓名,手机号码,备注\n李玥,13800138001," + "é" * 20 + "\n", encoding="utf-8")
    run(returned)
    path = returned.parent / "out" / "roster.xlsx"
    sheet = openpyxl.load_workbook(path)["汇总"]
    assert (sheet.column_dimensions["H"].width, sheet.column_dimensions["B"].width) == (22, 18)  # é is narrow
    assert {info.date_time for info in zipfile.ZipFile(path).infolist()} == {(2022, 1, 1, 0, 0, 0)}
    assert openpyxl.load_workbook(path).properties.modified == dt.datetime(2022, 1, 1)


def test_problem_codes_are_a_stable_catalogue(sample_run):
    _, report, _ = sample_run
    assert CODES == ("missing_name", "missing_mobile", "invalid_mobile", "invalid_gender", "invalid_office_phone",
                     "duplicate_person", "unreadable_file", "ignored_file", "no_header", "unmatched_file",
                     "unit_mismatch", "superseded_file", "empty_return", "empty_newer_file", "future_time",
                     "unit_cell_mismatch", "extra_column", "control_characters")
    assert set(report.counts["codes"]) <= set(CODES)


def test_report_json_has_the_documented_shape(sample_run):
    base, report, _ = sample_run
    data = json.loads((base / "out" / "report.json").read_text(encoding="utf-8"))
    assert set(data) == {"units", "files", "problems", "counts"}
    assert set(data["units"][0]) == {"id", "name", "category", "status", "files"}
    assert set(data["files"][0]) == {"path", "members", "status", "unit_id"}
    assert set(data["problems"][0]) == {"path", "members", "sheet", "row", "column", "field", "code", "severity",
                                        "message", "note", "reason"}
    assert {f["status"] for f in data["files"]} == {"used", "superseded", "unmatched", "unreadable", "ignored"}
    assert {u["status"] for u in data["units"]} == {"ok", "errors", "missing"}
    shanghai = next(u for u in data["units"] if u["id"] == "shanghai")
    assert shanghai["files"] == ["上海市知识产权局报送材料.zip!附件2 联系人信息表-上海市知识产权局（更正）.xlsx",
                                 "上海市知识产权局报送材料.zip!附件2 联系人信息表-上海市知识产权局.xlsx"]


def test_status_pdf_embeds_a_cjk_font_and_lists_missing_units(sample_run):
    base, _, _ = sample_run
    reader = PdfReader(base / "out" / "status.pdf")
    text = "".join(page.extract_text() for page in reader.pages)
    assert all(part in text for part in ("回执汇总情况", "已报", "有问题", "未报", "大连市知识产权局", "问题摘要"))
    fonts = {font["/BaseFont"] for page in reader.pages for font in page["/Resources"]["/Font"].values()}
    assert any("CJK" in str(font) or "+" in str(font) for font in fonts)


def test_same_inputs_give_identical_outputs(sample_run):
    base, _, _ = sample_run
    for name in ("roster.xlsx", "roster.csv", "report.json", "status.pdf"):
        assert (base / "out" / name).read_bytes() == (base / "again" / name).read_bytes(), name


def test_inputs_are_never_modified(sample_run):
    _, _, before = sample_run
    assert snapshot(SAMPLE) == before


def test_sample_folder_stays_small():
    assert sum(p.stat().st_size for p in SAMPLE.rglob("*") if p.is_file()) < 300 * 1024


# Usage ---------------------------------------------------------------------------------------------------
def test_missing_folder_and_bad_recipients_are_usage_errors(tmp_path, returned):
    with pytest.raises(PipelineError, match="找不到回执文件夹"):
        build_roster(tmp_path / "none", RECIPIENTS, tmp_path / "out")
    with pytest.raises(PipelineError, match="不能在回执文件夹"):
        build_roster(returned, RECIPIENTS, returned)
    bad = tmp_path / "recipients.csv"
    bad.write_text("id,name\n", encoding="utf-8")
    with pytest.raises(PipelineError) as caught:
        build_roster(returned, bad, tmp_path / "out")
    assert caught.value.exit_code == 2 and "category" in str(caught.value)
    assert not (tmp_path / "out").exists()


def test_progress_is_reported_per_file(returned):
    for name in ("a.csv", "b.csv"):
        (returned / name).write_text("姓名,手机号码\n甲,13900000001\n", encoding="utf-8")
    calls = []
    run(returned, lambda done, total, path: calls.append((done, total, path)))
    assert [call[:2] for call in calls] == [(1, 2), (2, 2)]  # files finish in any order: readers run in parallel
    assert sorted(call[2] for call in calls) == ["a.csv", "b.csv"]
    assert progress_bar(io.StringIO()) is None  # not a terminal: no bar


def test_progress_bar_draws_on_a_terminal():
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    stream = Terminal()
    draw = progress_bar(stream, width=10)
    for done in (1, 2):
        draw(done, 2, "a.xlsx")
    assert stream.getvalue() == "\r汇总回执 [#####.....] 1/2\r汇总回执 [##########] 2/2\n"


def test_benchmark_generates_matchable_returns_and_prints_its_figures(tmp_path, capsys):
    recipients = generate(tmp_path / "gen", 10)
    report = build_roster(tmp_path / "gen" / "returned", recipients, tmp_path / "out")
    assert {u.status for u in report.units} <= {"ok", "errors"}
    assert sorted({f.matched_by for f in report.files}) == ["line", "property"]
    assert bench_main(["--n", "5", "--no-pandas", "--dir", str(tmp_path / "bench")]) == 0
    assert "roster：" in capsys.readouterr().out


def test_outputs_can_be_recorded_in_the_manifest(returned):
    (returned / "北京.csv").write_text("姓名,手机号码\n甲,13900000001\n", encoding="utf-8")
    build_roster(returned, RECIPIENTS, returned.parent / "outputs" / "roster", manifest_dir=returned.parent / "outputs")
    files = json.loads((returned.parent / "outputs" / "manifest.json").read_text(encoding="utf-8"))["files"]
    assert [(f["role"], f["path"]) for f in files] == [
        ("roster_csv", "roster/roster.csv"), ("roster_report", "roster/report.json"),
        ("roster_status", "roster/status.pdf"), ("roster_xlsx", "roster/roster.xlsx")]


def test_output_folder_inside_the_returned_folder_is_refused(returned):
    (returned / "北京.csv").write_text("姓名,手机号码\n甲,13900000001\n", encoding="utf-8")
    with pytest.raises(PipelineError, match="不能在回执文件夹"):
        build_roster(returned, RECIPIENTS, returned / "汇总")
    with pytest.raises(PipelineError, match="不能在回执文件夹"):
        build_roster(returned, RECIPIENTS, returned.parent / "out", manifest_dir=returned)
    assert sorted(p.name for p in returned.iterdir()) == ["北京.csv"]


# Cleaning rules --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("value, expected", [
    (1062083702.0, ("010-62083702", "")), ("2162345678", ("021-62345678", "")), (75586001234, ("0755-86001234", "")),
    ("(010)62083702", ("010-62083702", "")), ("010 6208 3702", ("010-62083702", "")),
    ("010-62083702-123", ("010-62083702-123", "")), ("0898－6666666（分机8）", ("0898-6666666-8", "")),
    ("+86 10 62083702", ("010-62083702", "")), ("无", ("", "")), ("62083702", ("62083702", "缺少区号")),
    ("13800138000", ("13800138000", "是手机号码，不是座机号码")),
    ("0-", ("0-", "位数不对或区号有误")), ("（0）", ("（0）", "位数不对或区号有误"))])
def test_office_phone_cleaning(value, expected):
    assert cleaning.clean_office_phone(value) == expected


@pytest.mark.parametrize("value, expected", [
    (13800000000.0, ("13800000000", "")), ("+86 138 0000 0000", ("13800000000", "")),
    ("１３８００００００００", ("13800000000", "")), ("138-0000-0000", ("13800000000", "")),
    ("1380000000", ("1380000000", "只有 10 位")), ("1.38E+10", ("1.38E+10", "显示为科学计数法，后几位已丢失")),
    ("13800000000/13900000000", ("13800000000/13900000000", "填了多个号码")), ("暂无", ("", ""))])
def test_mobile_cleaning(value, expected):
    assert cleaning.clean_mobile(value) == expected


@pytest.mark.parametrize("value, expected", [("男性", ("男", True)), ("M", ("男", True)), ("女士", ("女", True)),
                                             ("female", ("女", True)), ("-", ("", True)), ("不详", ("不详", False))])
def test_gender_variants(value, expected):
    assert cleaning.clean_gender(value) == expected


@pytest.mark.parametrize("label, expected", [
    ("联系人", "name"), ("座机", "office_phone"), ("手机", "mobile"), ("单位名称", "unit"), ("职务", "title"),
    ("手机号码（11位）", "mobile"), ("职务/级别", "title"), ("* 姓 名", "name"), ("电子邮箱", None),
    ("各省级知识产权管理部门联系人信息表", None)])
def test_header_names_map_to_columns(label, expected):
    assert header.field_of(label) == expected


# The full loop ---------------------------------------------------------------------------------------------
def test_every_personalised_form_comes_back_matched_by_its_id(tmp_path, units, spec):
    forms = build_forms(units, spec, tmp_path / "forms", authority="国家知识产权局办公室", day=DAY)
    returned = tmp_path / "returned"
    returned.mkdir()
    for n, (path, recipient) in enumerate(zip(forms, units)):
        book = openpyxl.load_workbook(path)
        book.active["C4"], book.active["G4"] = f"联系人{n}", f"139{n:08d}"
        name = f"新建 Microsoft Excel 工作表 ({n}).xlsx" if n % 3 == 0 else path.name
        book.save(returned / name)
    report = build_roster(returned, RECIPIENTS, tmp_path / "out")
    assert {(u.status, len(u.files)) for u in report.units} == {("ok", 1)}
    assert {f.matched_by for f in report.files} == {"property"}
    assert [row["unit_id"] for row in report.rows] == [u.id for u in units]
    assert report.problems == []


def test_cli_runs_on_the_sample_and_reports_usage_errors_in_chinese(tmp_path):
    import subprocess
    import sys

    def run(*args):
        return subprocess.run([sys.executable, "-m", "pipeline", "roster", *args], capture_output=True, text=True, cwd=REPO)

    recipients = str(REPO / "inputs" / "recipients.csv")
    done = run("--returned", str(REPO / "inputs" / "returned"), "--recipients", recipients, "--out", str(tmp_path / "out"))
    assert done.returncode == 0 and "已汇总 26 人" in done.stdout
    assert visible(tmp_path / "out") == ["manifest.json", "report.json", "roster.csv", "roster.xlsx", "status.pdf"]
    missing = run("--returned", str(tmp_path / "nowhere"), "--recipients", recipients, "--out", str(tmp_path / "o2"))
    assert missing.returncode == 2 and "nowhere" in missing.stderr and "错误" in missing.stderr


def test_without_a_chinese_truetype_font_the_roster_is_written_without_status_pdf(tmp_path, monkeypatch):


    def no_font():
        raise fonts.NoCjkFont(fonts.FONT_HINT)

    monkeypatch.setattr("pipeline.roster.status.cjk_fonts", no_font)
    report = build_roster(REPO / "inputs" / "returned", REPO / "inputs" / "recipients.csv", tmp_path)
    assert visible(tmp_path) == ["manifest.json", "report.json", "roster.csv", "roster.xlsx"]
    assert "apt-get install" in summary(report, tmp_path)
