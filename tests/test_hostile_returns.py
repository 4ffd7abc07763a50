"""Feed the roster stage hostile returns: each must become a record, never a crash, a hang or lost honest rows.

Every hostile file is built inside its test (XML written by hand, zip headers patched, FIFOs, symlinks,
folders nested 1,000 deep …) and placed beside an honest return. Each test checks that (1) the hostile
file yields the right record, (2) every honest row is still in the roster, (3) the run ends in bounded
time (a hang guard, not a speed test).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import random
import re
import shutil
import resource
import socket
import stat
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path
from xml.sax.saxutils import escape

import docx
import openpyxl
import pytest
from openpyxl.packaging.custom import StringProperty

from pipeline import cli
from pipeline.core.errors import PipelineError
from pipeline.core.problems import CODES
from pipeline.core.recipients import load_recipients
from pipeline.core.text import CONTROLS
from pipeline.roster.limits import Limits
from pipeline.roster.sandbox import Sandbox
from pipeline.roster.stage import build_roster

from paths import REPO

RECIPIENTS = REPO / "inputs" / "recipients.csv"
LEGACY_XLS = REPO / "tests" / "data" / "roster_hebei.xls"  # a genuine .xls, mutated below into hostile ones
BOUND = 60.0  # seconds: a hang guard, far above what any of these runs takes
FAST = Limits(seconds=5)
HONEST = ("beijing", "张三", "13900000001")
HONEST_CSV = "姓名,手机号码\n张三,13900000001\n"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
DOS_DATE = ((2022 - 1980) << 9) | (3 << 5) | 22  # 2022-03-22, for zips written by hand
MB = 1024 * 1024


# Helpers -----------------------------------------------------------------------------------------------
@pytest.fixture
def returned(tmp_path) -> Path:
    """Return a returned folder holding one honest return: 北京.csv with one person (张三)."""
    folder = tmp_path / "returned"
    folder.mkdir()
    (folder / "北京.csv").write_text(HONEST_CSV, encoding="utf-8")
    return folder


def consolidate(folder: Path, limits: Limits = FAST):
    """Consolidate folder into folder/../out, check it ended within BOUND seconds, and return the Report."""
    start = time.monotonic()
    report = build_roster(folder, RECIPIENTS, folder.parent / "out", limits=limits)
    elapsed = time.monotonic() - start
    assert elapsed < BOUND, f"the run took {elapsed:.1f} s"
    assert {p.code for p in report.problems} <= set(CODES)
    return report


def outcome(report, shown: str) -> tuple[str, str, str]:
    """Return (status, problem code, reason) of one file: the problem is its unreadable or ignored record."""
    status = next(f.status for f in report.files if f.shown_path == shown)
    found = [(p.code, p.reason) for p in report.problems
             if p.shown_path == shown and p.code in ("unreadable_file", "ignored_file")]
    assert len(found) <= 1, found
    return (status, *(found[0] if found else ("", "")))


def statuses(report) -> dict[str, str]:
    """Return each file's status by its shown path."""
    return {f.shown_path: f.status for f in report.files}


def people(report) -> list[tuple[str, str, str]]:
    """Project the roster rows on (unit_id, name, mobile)."""
    return [(row["unit_id"], row["name"], row["mobile"]) for row in report.rows]


def assert_honest(report, *expected: tuple[str, str, str]) -> None:
    """Check the honest rows (HONEST and any others) are all in the roster, and the honest file was used."""
    found = people(report)
    for row in (HONEST, *expected):
        assert row in found, (row, found)
    assert statuses(report)["北京.csv"] == "used"


def dated(path: Path, when: float) -> Path:
    """Set a file's modification time."""
    os.utime(path, (when, when), follow_symlinks=False)
    return path


@contextlib.contextmanager
def fifo_rescuer(fifo: Path, after: float = 20.0):
    """Open the FIFO's write end every `after` seconds (in a separate process), so a reader stuck on it gets
    EOF: a hang becomes a slow run that the time bound reports, instead of a test that never ends."""
    code = ("import os, sys, time\n"
            "while True:\n"
            "    time.sleep(float(sys.argv[2]))\n"
            "    try:\n"
            "        os.close(os.open(sys.argv[1], os.O_WRONLY | os.O_NONBLOCK))\n"
            "    except OSError:\n"
            "        pass\n")
    rescuer = subprocess.Popen([sys.executable, "-c", code, str(fifo), str(after)])
    try:
        yield
    finally:
        rescuer.kill()
        rescuer.wait()


# Packages written by hand -------------------------------------------------------------------------------
def deflate(data: bytes, level: int = 6) -> bytes:
    """Return data as a raw deflate stream (what a zip member holds)."""
    packer = zlib.compressobj(level, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


def raw_zip(members: list[tuple[bytes, bytes, int, int]]) -> bytes:
    """Write a zip by hand: members are (name, deflated bytes, CRC-32, declared uncompressed size).

    Nothing is checked, so a member may have an empty name or lie about its size.
    """
    body, central = bytearray(), bytearray()
    for name, packed, crc, size in members:
        fields = struct.pack("<HHHHHIIIHH", 20, 0x800, 8, 0, DOS_DATE, crc, len(packed), size, len(name), 0)
        central += struct.pack("<IH", 0x02014B50, 20) + fields + struct.pack("<HHHII", 0, 0, 0, 0, len(body)) + name
        body += struct.pack("<I", 0x04034B50) + fields + name + packed
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(body), 0)
    return bytes(body + central + end)


def member(name: str, data: bytes) -> tuple[bytes, bytes, int, int]:
    """Return an honest raw_zip member."""
    return name.encode(), deflate(data), zlib.crc32(data), len(data)


def package_parts(sheet_part: str = "xl/worksheets/sheet1.xml") -> dict[str, str]:
    """Return the parts of a one-sheet xlsx other than the sheet itself (which lives at sheet_part)."""
    return {
        "[Content_Types].xml":
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            f'<Override PartName="/{sheet_part}" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels":
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_REL}">'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml":
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}">'
            '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels":
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_REL}">'
            f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="{sheet_part[3:]}"/></Relationships>',
    }


def hand_xlsx(path: Path, chunks, sheet_part: str = "xl/worksheets/sheet1.xml") -> Path:
    """Write a one-sheet xlsx by hand; the sheet XML is streamed from chunks (strings) into the package."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        for name, text in package_parts(sheet_part).items():
            package.writestr(name, text)
        with package.open(sheet_part, "w") as sheet:
            for chunk in [chunks] if isinstance(chunks, str) else chunks:
                sheet.write(chunk.encode("utf-8"))
    return path


def sheet_xml(rows: str, before: str = "", after: str = "") -> str:
    """Return a worksheet's XML: before the data (a dimension), the rows, after the data (merged cells)."""
    return (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">{before}'
            f'<sheetData>{rows}</sheetData>{after}</worksheet>')


def inline_row(number: int, *values: str) -> str:
    """Return a <row> of inline-string cells from column A."""
    cells = "".join(f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{escape(v)}</t></is></c>'
                    for i, v in enumerate(values))
    return f'<row r="{number}">{cells}</row>'


HEADER_ROWS = inline_row(1, "姓名", "手机号码") + inline_row(2, "吴刚", "13700001111")
FAR_CELL = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'


def member_data_offset(data: bytes, name: str) -> tuple[int, zipfile.ZipInfo]:
    """Return where a member's compressed bytes start in a zip, and its info."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        info = package.getinfo(name)
    name_length, extra_length = struct.unpack_from("<HH", data, info.header_offset + 26)
    return info.header_offset + 30 + name_length + extra_length, info


def damage(data: bytes, name: str) -> bytes:
    """Flip the bits of the middle half of a member's deflate stream (headers and sizes left intact)."""
    start, info = member_data_offset(data, name)
    out = bytearray(data)
    for at in range(start + info.compress_size // 4, start + info.compress_size * 3 // 4):
        out[at] ^= 0xFF
    return bytes(out)


def patch_headers(data: bytes, name: str, *, method: int | None = None, version: int | None = None) -> bytes:
    """Patch a member's compression method or 'version needed to extract' in its local and central headers."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        local = package.getinfo(name).header_offset
    raw = name.encode("utf-8")
    central = data.find(b"PK\x01\x02")
    while data[central + 46: central + 46 + struct.unpack_from("<H", data, central + 28)[0]] != raw:
        central = data.find(b"PK\x01\x02", central + 4)
        assert central != -1, name
    out = bytearray(data)
    for value, local_at, central_at in ((method, 8, 10), (version, 4, 6)):
        if value is not None:
            struct.pack_into("<H", out, local + local_at, value)
            struct.pack_into("<H", out, central + central_at, value)
    return bytes(out)


def zip_of(members: list[tuple[str, bytes]], when: tuple = (2022, 3, 22, 9, 0, 0)) -> bytes:
    """Return a zip (made by zipfile) of (name, bytes) members, all dated when."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in members:
            out.writestr(zipfile.ZipInfo(name, date_time=when), data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def word_with_table(path: Path, table_xml: str) -> Path:
    """Write a .docx made by python-docx whose one table is replaced by table_xml (written by hand)."""
    document = docx.Document()
    document.add_table(rows=1, cols=1)
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    xml = parts["word/document.xml"].decode("utf-8")
    assert xml.count("<w:tbl>") == 1
    parts["word/document.xml"] = re.sub(r"<w:tbl>.*</w:tbl>", lambda _: table_xml, xml, flags=re.S).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)
    return path


def word_cell(text: str, props: str = "") -> str:
    """Return a <w:tc> holding text, with extra cell properties (gridSpan, vMerge)."""
    run = f"<w:r><w:t>{escape(text)}</w:t></w:r>" if text else ""
    return f"<w:tc><w:tcPr>{props}</w:tcPr><w:p>{run}</w:p></w:tc>"


def word_table(rows: list[list[str]], columns: int) -> str:
    """Return a <w:tbl> of rows (each a list of <w:tc> strings) on a grid of columns."""
    grid = "".join('<w:gridCol w:w="2000"/>' for _ in range(columns))
    body = "".join(f"<w:tr>{''.join(cells)}</w:tr>" for cells in rows)
    return f'<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{body}</w:tbl>'


def personalised(path: Path, rows: list[list], recipient_id: str) -> Path:
    """Write a one-sheet .xlsx (openpyxl) carrying the custom document property recipient_id."""
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.custom_doc_props.append(StringProperty(name="recipient_id", value=recipient_id))
    book.save(path)
    return path


def peak_rss_mb() -> float:
    """Return this process's peak resident set size in MB (ru_maxrss is in KB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# 1. FIFOs ------------------------------------------------------------------------------------------------
def test_fifo_in_the_folder_is_ignored_and_a_fifo_as_recipients_is_a_usage_error(returned, tmp_path):
    os.mkfifo(returned / "x.csv")
    with fifo_rescuer(returned / "x.csv"):
        report = consolidate(returned)
    assert outcome(report, "x.csv") == ("ignored", "ignored_file", "special")
    assert next(p for p in report.problems if p.shown_path == "x.csv").severity == "warning"
    assert_honest(report)

    fifo = tmp_path / "recipients.csv"
    os.mkfifo(fifo)
    with fifo_rescuer(fifo):
        start = time.monotonic()
        with pytest.raises(PipelineError) as caught:
            load_recipients(fifo)
        assert caught.value.exit_code == 2 and "不是普通文件" in str(caught.value)
        with pytest.raises(PipelineError) as caught:
            build_roster(returned, fifo, tmp_path / "out2")
        assert caught.value.exit_code == 2
        assert time.monotonic() - start < BOUND
    assert not (tmp_path / "out2").exists()


# 2. Symlinks ---------------------------------------------------------------------------------------------
def test_symlinks_outside_or_to_folders_are_not_followed_and_one_to_a_file_inside_is_read(returned):
    os.symlink("/dev/zero", returned / "zero.csv")
    archive = returned / "存档"
    archive.mkdir()
    (archive / "data.csv").write_text("姓名,手机号码\n钱进,13912345678\n", encoding="utf-8")
    os.symlink("存档/data.csv", returned / "天津.csv")
    os.symlink("存档", returned / "河北")
    os.symlink(RECIPIENTS, returned / "河南.csv")  # a regular file, but outside the folder
    report = consolidate(returned)
    assert outcome(report, "zero.csv") == ("ignored", "ignored_file", "link_outside")
    assert outcome(report, "河南.csv") == ("ignored", "ignored_file", "link_outside")
    assert outcome(report, "河北") == ("ignored", "ignored_file", "link_folder")
    link = next(f for f in report.files if f.shown_path == "天津.csv")
    assert (link.status, link.unit_id, link.matched_by, link.people) == ("used", "tianjin", "file_name", 1)
    assert ("tianjin", "钱进", "13912345678") in people(report)
    assert not [f for f in report.files if f.shown_path.startswith("河北/")]  # the linked folder is not walked twice
    assert_honest(report)


def test_a_symlink_loop_is_a_record_not_a_crash(returned):
    os.symlink("loop.csv", returned / "loop.csv")
    os.symlink("b.csv", returned / "a.csv")
    os.symlink("a.csv", returned / "b.csv")
    report = consolidate(returned)
    for name in ("loop.csv", "a.csv", "b.csv"):
        assert outcome(report, name)[0] in ("ignored", "unreadable"), name
        assert outcome(report, name)[1], name
    assert_honest(report)


# 3. A sheet that reaches XFD1048576 ----------------------------------------------------------------------
def test_a_cell_at_xfd1048576_or_a_lying_dimension_is_refused(returned):
    hand_xlsx(returned / "河北.xlsx", sheet_xml(HEADER_ROWS))  # the same package, honest: read
    hand_xlsx(returned / "山西.xlsx", sheet_xml(HEADER_ROWS + FAR_CELL))
    hand_xlsx(returned / "山东.xlsx", sheet_xml(HEADER_ROWS, before='<dimension ref="A1:XFD1048576"/>'))
    report = consolidate(returned)
    for name in ("山西.xlsx", "山东.xlsx"):
        status, code, reason = outcome(report, name)
        assert (status, code) == ("unreadable", "unreadable_file"), name
        assert reason in ("too_many_rows", "too_many_columns"), (name, reason)
    assert_honest(report, ("hebei", "吴刚", "13700001111"))


def test_a_cell_at_xfd1048576_in_a_sheet_part_outside_xl_worksheets_is_refused_by_its_extent(returned):
    hand_xlsx(returned / "山西.xlsx", sheet_xml(HEADER_ROWS + FAR_CELL), sheet_part="xl/other/sheet1.xml")
    report = consolidate(returned)
    assert outcome(report, "山西.xlsx")[:2] == ("unreadable", "unreadable_file")
    assert_honest(report)
    assert outcome(report, "山西.xlsx")[2] in ("too_many_rows", "too_many_columns")


# 4. Merged cells -----------------------------------------------------------------------------------------
def test_two_hundred_thousand_merged_ranges_are_refused(returned):
    merges = "".join(f'<mergeCell ref="C{n}:D{n}"/>' for n in range(1, 200_001))
    hand_xlsx(returned / "山西.xlsx", sheet_xml(HEADER_ROWS, after=f'<mergeCells count="200000">{merges}</mergeCells>'))
    report = consolidate(returned)
    assert outcome(report, "山西.xlsx") == ("unreadable", "unreadable_file", "too_many_merged")
    assert_honest(report)


# 5. A million rows ---------------------------------------------------------------------------------------
def test_a_million_rows_in_a_sheet_or_a_csv_are_refused(returned):
    def rows():
        yield f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>'
        for start in range(1, 1_000_001, 50_000):
            yield "".join(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>x</t></is></c></row>'
                          for n in range(start, start + 50_000))
        yield "</sheetData></worksheet>"

    path = hand_xlsx(returned / "山西.xlsx", rows())
    assert path.stat().st_size < 20 * MB
    (returned / "河北.csv").write_bytes("姓名,手机号码\n".encode("utf-8") + b"x,1\n" * 1_000_000)
    report = consolidate(returned)
    assert outcome(report, "山西.xlsx") == ("unreadable", "unreadable_file", "too_many_rows")
    assert outcome(report, "河北.csv") == ("unreadable", "unreadable_file", "too_many_rows")
    assert_honest(report)


# 6. Word tables ------------------------------------------------------------------------------------------
def test_a_word_cell_spanning_a_hundred_million_columns_is_refused(returned):
    table = word_table([[word_cell("姓名"), word_cell("手机号码")],
                        [word_cell("吴刚", '<w:gridSpan w:val="100000000"/>'), word_cell("13700001111")]], 2)
    word_with_table(returned / "河北.docx", table)
    report = consolidate(returned)
    assert outcome(report, "河北.docx") == ("unreadable", "unreadable_file", "span_too_wide")
    assert_honest(report)


def test_a_word_column_merged_down_1500_rows_is_read_in_full(returned):
    rows = [[word_cell("工作单位"), word_cell("姓名"), word_cell("手机号码")]]
    for n in range(1500):
        unit = word_cell("天津市知识产权局", '<w:vMerge w:val="restart"/>') if n == 0 else word_cell("", "<w:vMerge/>")
        rows.append([unit, word_cell(f"职员{n}"), word_cell(f"137{n:08d}")])
    word_with_table(returned / "回执.docx", word_table(rows, 3))
    report = consolidate(returned)
    found = next(f for f in report.files if f.shown_path == "回执.docx")
    assert (found.status, found.unit_id, found.matched_by, found.people) == ("used", "tianjin", "column", 1500)
    assert [p for p in report.problems if p.shown_path == "回执.docx"] == []
    assert [r for r in people(report) if r[0] == "tianjin"] == [("tianjin", f"职员{n}", f"137{n:08d}")
                                                             for n in range(1500)]
    assert {row["unit"] for row in report.rows if row["unit_id"] == "tianjin"} == {"天津市知识产权局"}
    assert_honest(report)


# 7. Damaged deflate streams ------------------------------------------------------------------------------
def test_a_damaged_deflate_stream_makes_only_that_member_or_package_unreadable(returned):
    hebei = ("姓名,手机号码\n" + "".join(f"吴刚{n},137{n:08d}\n" for n in range(40))).encode("utf-8")
    tianjin = "姓名,手机号码\n钱进,13912345678\n".encode("utf-8")
    (returned / "两省.zip").write_bytes(damage(zip_of([("河北.csv", hebei), ("天津.csv", tianjin)]), "河北.csv"))
    book = io.BytesIO()
    personalised(book, [["姓名", "手机号码"]] + [[f"冯涛{n}", f"135{n:08d}"] for n in range(40)], "shanxi")
    (returned / "山西.xlsx").write_bytes(damage(book.getvalue(), "xl/worksheets/sheet1.xml"))
    report = consolidate(returned)
    assert outcome(report, "两省.zip!河北.csv") == ("unreadable", "unreadable_file", "corrupt")
    assert outcome(report, "两省.zip!天津.csv") == ("used", "", "")
    assert outcome(report, "山西.xlsx") == ("unreadable", "unreadable_file", "corrupt")
    assert not [r for r in people(report) if r[0] in ("hebei", "shanxi")]
    assert_honest(report, ("tianjin", "钱进", "13912345678"))


# 8. Zip headers a reader does not support ----------------------------------------------------------------
def test_a_zip_with_an_unsupported_method_or_version_is_unreadable_and_the_batch_goes_on(returned):
    tianjin = "姓名,手机号码\n钱进,13912345678\n".encode("utf-8")
    shanxi = "姓名,手机号码\n冯涛,13512340001\n".encode("utf-8")
    methods = zip_of([("山西.csv", shanxi), ("天津.csv", tianjin)])
    (returned / "两省.zip").write_bytes(patch_headers(methods, "山西.csv", method=99))
    (returned / "河北.zip").write_bytes(patch_headers(zip_of([("河北.csv", shanxi)]), "河北.csv", version=99))
    report = consolidate(returned)
    assert outcome(report, "两省.zip!山西.csv") == ("unreadable", "unreadable_file", "corrupt")
    assert outcome(report, "两省.zip!天津.csv") == ("used", "", "")
    assert outcome(report, "河北.zip") == ("unreadable", "unreadable_file", "corrupt")
    assert_honest(report, ("tianjin", "钱进", "13912345678"))


def test_a_zip_member_without_a_name_is_a_record_and_the_batch_goes_on(returned):
    tianjin = "姓名,手机号码\n钱进,13912345678\n".encode("utf-8")
    (returned / "两省.zip").write_bytes(raw_zip([member("", b"x,y\n1,2\n"), member("天津.csv", tianjin)]))
    report = consolidate(returned)
    nameless = [f for f in report.files if f.path == "两省.zip" and f.members != ("天津.csv",)]
    assert [f.status for f in nameless] == ["unreadable"]
    assert outcome(report, nameless[0].shown_path)[1:] == ("unreadable_file", "zip_name")
    assert_honest(report, ("tianjin", "钱进", "13912345678"))


# 9. A zip that lies about its sizes ----------------------------------------------------------------------
def test_a_zip_member_inflating_far_past_its_declared_size_is_refused_in_bounded_memory(returned):
    packer, zeros, parts, crc = zlib.compressobj(9, zlib.DEFLATED, -15), bytes(MB), [], 0
    for _ in range(320):  # 320 MB of zeros, deflated to about 320 KB, never held in memory at once
        parts.append(packer.compress(zeros))
        crc = zlib.crc32(zeros, crc)
    stream = b"".join(parts) + packer.flush()
    lie = 1000  # declared uncompressed size, in the local header and the central directory
    (returned / "炸弹.zip").write_bytes(raw_zip([("河北.csv".encode("utf-8"), stream, crc, lie)]))
    xlsx = [member(name, text.encode("utf-8")) for name, text in package_parts().items()]
    (returned / "山西.xlsx").write_bytes(raw_zip(xlsx + [(b"xl/worksheets/sheet1.xml", stream, crc, lie)]))
    before = peak_rss_mb()
    report = consolidate(returned)
    grown = peak_rss_mb() - before
    assert outcome(report, "炸弹.zip!河北.csv")[:2] == ("unreadable", "unreadable_file")
    assert outcome(report, "炸弹.zip!河北.csv")[2] in ("too_large", "zip_bomb", "corrupt")
    assert outcome(report, "山西.xlsx")[:2] == ("unreadable", "unreadable_file")
    assert outcome(report, "山西.xlsx")[2] in ("too_large", "zip_bomb", "corrupt")
    assert grown < 500, f"peak RSS grew by {grown:.0f} MB"
    assert_honest(report)


# 10. Folders nested 1,000 deep ---------------------------------------------------------------------------
def test_folders_nested_a_thousand_deep_are_cut_off_without_recursion(returned):
    shallow = returned.joinpath("1", "2", "3", "4", "5")
    shallow.mkdir(parents=True)
    (shallow / "天津.csv").write_text("姓名,手机号码\n钱进,13912345678\n", encoding="utf-8")
    folders, folder = [], returned / "深"
    try:
        for _ in range(1000):  # one mkdir at a time: os.makedirs would recurse 1,000 levels
            folder.mkdir()
            folders.append(folder)
            folder = folder / "d"
        bottom = folders[-1] / "河北.csv"
        bottom.write_text("姓名,手机号码\n吴刚,13700001111\n", encoding="utf-8")
        report = consolidate(returned)
        deep = [p for p in report.problems if p.reason == "too_deep"]
        assert [(p.code, p.path.count("/")) for p in deep] == [("unreadable_file", 33)]  # 深 + 32 × d/, cut below
        assert outcome(report, "1/2/3/4/5/天津.csv") == ("used", "", "")
        assert not [f for f in report.files if f.path.endswith("河北.csv")]
        assert_honest(report, ("tianjin", "钱进", "13912345678"))
    finally:
        if folders and (folders[-1] / "河北.csv").exists():
            (folders[-1] / "河北.csv").unlink()
        for made in reversed(folders):  # bottom up, without recursion (shutil.rmtree would recurse)
            made.rmdir()


# 11. '!' in a plain file name ----------------------------------------------------------------------------
def test_a_file_name_with_an_exclamation_mark_is_read_like_any_other(returned):
    name = "河北省联系人最终版!.csv"
    (returned / name).write_text("姓名,手机号码\n吴刚,13700001111\n", encoding="utf-8")
    (returned / "回执.zip").write_bytes(zip_of([("山西!最终版.csv", "姓名,手机号码\n冯涛,13512340001\n".encode())]))
    report = consolidate(returned)
    found = next(f for f in report.files if f.path == name)
    assert (found.members, found.status, found.unit_id, found.matched_by) == ((), "used", "hebei", "file_name")
    inner = next(f for f in report.files if f.path == "回执.zip")
    assert (inner.members, inner.status, inner.unit_id) == (("山西!最终版.csv",), "used", "shanxi")
    assert [row["source_file"] for row in report.rows if row["unit_id"] == "hebei"] == [name]
    assert [p for p in report.problems if p.path in (name, "回执.zip")] == []
    assert_honest(report, ("hebei", "吴刚", "13700001111"), ("shanxi", "冯涛", "13512340001"))


# 12. A form carrying another unit's recipient_id ---------------------------------------------------------
def test_a_spoofed_recipient_id_is_a_mismatch_and_never_supersedes_the_genuine_return(returned):
    dated(returned / "北京.csv", 1_647_700_000)  # 2022-03-19
    spoof = personalised(returned / "北京市知识产权局联系人（更正）.xlsx",
                         [["填报单位：天津市知识产权局"], ["姓名", "手机号码"], ["冒名", "13900000099"]], "beijing")
    dated(spoof, 1_647_900_000)  # 2022-03-22: newer than the genuine return
    report = consolidate(returned)
    mismatch = [p for p in report.problems if p.code == "unit_mismatch"]
    assert [(p.path, p.severity) for p in mismatch] == [(spoof.name, "error")]
    assert "北京市知识产权局" in mismatch[0].message and "天津市知识产权局" in mismatch[0].message
    assert statuses(report) == {"北京.csv": "used", spoof.name: "unmatched"}
    assert [r for r in people(report) if r[0] == "beijing"] == [HONEST]
    assert ("", "冒名", "13900000099") in people(report)  # kept, without a unit
    assert not [p for p in report.problems if p.code == "superseded_file"]
    units = {u.id: u.status for u in report.units}
    assert (units["beijing"], units["tianjin"]) == ("ok", "missing")
    assert_honest(report)


# 13. Times in the future ---------------------------------------------------------------------------------
FUTURE = 4_084_000_000  # 2099-06-01 (UTC+8)


def test_a_time_in_2099_is_a_warning_and_never_wins_as_newest(returned):
    dated(returned / "北京.csv", 1_647_700_000)
    (returned / "北京（更正）.zip").write_bytes(zip_of([("北京市知识产权局（更正）.csv",
                                                       "姓名,手机号码\n未来甲,13900000088\n".encode())],
                                                     when=(2099, 1, 1, 8, 0, 0)))
    dated(returned / "北京（更正）.zip", 1_647_700_000)
    (returned / "北京（最终）.csv").write_text("姓名,手机号码\n未来乙,13900000077\n", encoding="utf-8")
    dated(returned / "北京（最终）.csv", FUTURE)
    report = consolidate(returned)
    future = sorted((p.shown_path, p.severity) for p in report.problems if p.code == "future_time")
    assert future == [("北京（更正）.zip!北京市知识产权局（更正）.csv", "warning"), ("北京（最终）.csv", "warning")]
    assert statuses(report) == {"北京.csv": "used", "北京（更正）.zip!北京市知识产权局（更正）.csv": "superseded",
                                "北京（最终）.csv": "superseded"}
    assert [r for r in people(report) if r[0] == "beijing"] == [HONEST]
    assert_honest(report)


def test_the_future_time_warning_names_the_2099_date(returned):
    (returned / "北京（最终）.csv").write_text("姓名,手机号码\n未来乙,13900000077\n", encoding="utf-8")
    dated(returned / "北京（最终）.csv", FUTURE)
    report = consolidate(returned)
    warning = next(p for p in report.problems if p.code == "future_time")
    assert "2099-06-01" in warning.message, warning.message


# 14. Spreadsheet readers that fail, panic or abort -------------------------------------------------------
def _reader_aborts(data: bytes) -> bool:
    """Tell whether python-calamine kills its process on data (tried in a throwaway interpreter)."""
    code = ("import io, sys\nfrom python_calamine import CalamineWorkbook\n"
            "try:\n"
            "    book = CalamineWorkbook.from_filelike(io.BytesIO(sys.stdin.buffer.read()))\n"
            "    [book.get_sheet_by_name(n).to_python() for n in book.sheet_names]\n"
            "except BaseException:\n"
            "    pass\n")
    done = subprocess.run([sys.executable, "-c", code], input=data, capture_output=True, timeout=BOUND,
                          env={**os.environ, "RUST_BACKTRACE": "0"})
    return done.returncode < 0


def test_an_xls_that_breaks_the_spreadsheet_reader_is_unreadable_and_the_batch_goes_on(returned):
    (returned / "河北.xls").write_bytes(OLE + bytes((n * 37 + 11) % 256 for n in range(4096)))
    seed = LEGACY_XLS.read_bytes()
    (returned / "天津.xls").write_bytes(seed[:5174])  # cut short: calamine 0.9 panics (cfb.rs slice index)
    aborting = bytearray(seed)
    aborting[3769] = 0x7F  # one byte: calamine 0.9 asks for 1.3 TB and the allocator aborts the process
    (returned / "山西.xls").write_bytes(bytes(aborting))
    report = consolidate(returned)
    assert outcome(report, "河北.xls") == ("unreadable", "unreadable_file", "corrupt")
    assert outcome(report, "天津.xls") == ("unreadable", "unreadable_file", "corrupt")  # PanicException too
    expected = "reader_crashed" if _reader_aborts(bytes(aborting)) else "corrupt"
    assert outcome(report, "山西.xls") == ("unreadable", "unreadable_file", expected)
    assert_honest(report)


def _hostile_task(job: str) -> str:
    """Run one job in a sandbox worker: crash, hang, allocate 2 GB, or return the job upper-cased."""
    if job == "abort":
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # no core file
        os.abort()
    if job == "sleep":
        time.sleep(30)
    if job == "allocate":
        return str(len(bytearray(2 * 1024 * MB)))
    return job.upper()


def test_the_sandbox_survives_an_abort_a_timeout_and_an_allocation_past_its_limit():
    jobs = ["a", "abort", "b", "sleep", "c", "allocate", "d", "e"]
    start = time.monotonic()
    with Sandbox(_hostile_task, workers=2, memory_mb=256, seconds=1) as sandbox:
        results = {job: (outcome, result) for job, outcome, result in sandbox.map(lambda: jobs.pop(0) if jobs else None)}
        workers = [w.process for w in sandbox.workers]
    assert time.monotonic() - start < BOUND
    assert results["abort"] == ("reader_crashed", None)
    assert results["sleep"] == ("timeout", None)
    assert results["allocate"][0] in ("too_large", "reader_crashed")
    assert {job: results[job] for job in "abcde"} == {job: ("done", job.upper()) for job in "abcde"}
    assert not any(process.is_alive() for process in workers)


# 15. Control and direction characters --------------------------------------------------------------------
def test_control_and_direction_characters_are_dropped_from_the_roster_with_a_warning(returned):
    rows = [["工作单位", "姓名", "手机号码", "备注"],
            ["河北省知识产权局\u200f", "吴\u202e刚", "1370000\u200e1111", "甲\u2066乙\x07丙"]]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    (returned / "河北.csv").write_text(buffer.getvalue(), encoding="utf-8")
    book = openpyxl.Workbook()
    book.active.append(["姓名", "手机号码", "职务", "籍贯"])
    book.active.append(["冯\u202e涛\u200f", "13512340001", "\u202b处长\u202c", "太\u202e原"])
    book.save(returned / "山西.xlsx")
    (returned / "内蒙古\u202excod.csv").write_text("姓名,手机号码\n卫东,13604710001\n", encoding="utf-8")
    report = consolidate(returned)
    warned = sorted((p.path, p.field) for p in report.problems if p.code == "control_characters")
    assert warned == sorted([("山西.xlsx", "姓名"), ("山西.xlsx", "职务"), ("山西.xlsx", "籍贯"), ("河北.csv", "工作单位"),
                             ("河北.csv", "姓名"), ("河北.csv", "手机号码"), ("河北.csv", "备注")])
    assert {p.severity for p in report.problems if p.code == "control_characters"} == {"warning"}
    assert_honest(report, ("hebei", "吴刚", "13700001111"), ("shanxi", "冯涛", "13512340001"))
    hebei = next(row for row in report.rows if row["unit_id"] == "hebei")
    assert (hebei["unit"], hebei["note"]) == ("河北省知识产权局", "甲乙丙")
    assert ("neimenggu", "卫东", "13604710001") in people(report)
    out = returned.parent / "out"
    text = (out / "roster.csv").read_bytes().decode("utf-8-sig")
    assert not CONTROLS.search(text)
    assert all(word in text for word in ("吴刚", "冯涛", "处长", "甲乙丙", "内蒙古xcod.csv"))
    book = openpyxl.load_workbook(out / "roster.xlsx")
    values = [cell.value for sheet in book for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert not [value for value in values if CONTROLS.search(value)]
    assert {"吴刚", "冯涛", "内蒙古xcod.csv"} <= set(values)


# All of them at once, beside the sample returns -----------------------------------------------------------
def test_the_sample_returns_beside_every_hostile_file_give_the_sample_roster_in_seconds(tmp_path):
    folder = tmp_path / "returned"
    shutil.copytree(REPO / "inputs" / "returned", folder)
    os.mkfifo(folder / "管道.csv")
    os.symlink("/dev/zero", folder / "零.csv")
    hand_xlsx(folder / "远处.xlsx", sheet_xml(HEADER_ROWS + FAR_CELL))
    merges = "".join(f'<mergeCell ref="C{n}:D{n}"/>' for n in range(1, 200_001))
    hand_xlsx(folder / "合并.xlsx", sheet_xml(HEADER_ROWS, after=f'<mergeCells count="200000">{merges}</mergeCells>'))
    (folder / "百万行.csv").write_bytes("姓名,手机号码\n".encode("utf-8") + b"x,1\n" * 1_000_000)
    word_with_table(folder / "跨列.docx", word_table([[word_cell("姓名"), word_cell("手机号码")],
                                                      [word_cell("某", '<w:gridSpan w:val="100000000"/>'),
                                                       word_cell("13700001111")]], 2))
    (folder / "损坏.zip").write_bytes(damage(zip_of([("a.csv", b"x" * 5000)]), "a.csv"))
    (folder / "无名.zip").write_bytes(raw_zip([member("", HONEST_CSV.encode("utf-8"))]))
    deep = folder.joinpath(*["层"] * 40)
    deep.mkdir(parents=True)
    (folder / "说谎.zip").write_bytes(raw_zip([member("a.csv", b"x" * 5000)[:3] + (10,)]))  # declares 10 bytes
    (folder / "版本.zip").write_bytes(patch_headers(zip_of([("b.csv", HONEST_CSV.encode())]), "b.csv", version=99))
    seed = LEGACY_XLS.read_bytes()
    (folder / "截断.xls").write_bytes(seed[:5174])
    (folder / "中止.xls").write_bytes(seed[:3769] + b"\x7f" + seed[3770:])
    start = time.monotonic()
    report = build_roster(folder, RECIPIENTS, tmp_path / "out")
    elapsed = time.monotonic() - start
    assert elapsed < BOUND
    sample = build_roster(REPO / "inputs" / "returned", RECIPIENTS, tmp_path / "sample-out")
    assert report.rows == sample.rows
    assert report.counts["units"] == sample.counts["units"] == {"total": 48, "ok": 11, "errors": 7, "missing": 30}
    hostile = {f.shown_path: f.status for f in report.files if f.shown_path not in statuses(sample)}
    assert hostile == {"管道.csv": "ignored", "零.csv": "ignored", "远处.xlsx": "unreadable", "合并.xlsx": "unreadable",
                       "百万行.csv": "unreadable", "跨列.docx": "unreadable", "损坏.zip!a.csv": "unreadable",
                       "无名.zip!（无名文件）": "unreadable", "/".join(["层"] * 33) + "/": "unreadable",
                       "说谎.zip!a.csv": "unreadable", "版本.zip": "unreadable", "截断.xls": "unreadable",
                       "中止.xls": "unreadable"}


def test_a_member_named_like_a_nested_path_stays_apart_from_the_nested_file(returned):
    inner = zip_of([("a.csv", "姓名,手机号码\n吴刚,13700001111\n".encode())])
    (returned / "河北.zip").write_bytes(zip_of([("inner.zip", inner),
                                               ("inner.zip!a.csv", "姓名,手机号码\n冯涛,13512340001\n".encode())]))
    report = consolidate(returned)
    members = sorted(f.members for f in report.files if f.path == "河北.zip")
    assert members == [("inner.zip", "a.csv"), ("inner.zip!a.csv",)]
    assert sorted(p.code for p in report.problems if p.path == "河北.zip") == ["superseded_file"]
    assert_honest(report)


def test_an_archive_in_archives_shares_one_count_of_files(returned):
    csv_bytes = "姓名,手机号码\n吴刚,13700001111\n".encode()
    inner = zip_of([(f"{i}.csv", csv_bytes) for i in range(40)])
    (returned / "河北.zip").write_bytes(zip_of([(f"{i}.zip", inner) for i in range(40)]))  # 40 × 40 files
    start = time.monotonic()
    report = consolidate(returned)
    files = [f for f in report.files if f.path == "河北.zip"]
    assert time.monotonic() - start < BOUND
    assert len([f for f in files if len(f.members) == 2]) <= Limits().members - 40  # 500 in all, the 40 inner zips too
    assert "zip_members" in {p.reason for p in report.problems if p.path == "河北.zip"}
    assert_honest(report)


def test_a_damaged_lzma_member_is_a_record(returned):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_LZMA) as package:
        package.writestr("河北.csv", "姓名,手机号码\n" + "吴刚,13700001111\n" * 500)
    data = damage(buffer.getvalue(), "河北.csv")
    (returned / "坏.zip").write_bytes(data)
    report = consolidate(returned)
    assert outcome(report, "坏.zip!河北.csv") == ("unreadable", "unreadable_file", "corrupt")
    assert_honest(report)


def test_a_failure_of_our_own_code_on_one_file_is_logged_and_the_others_are_read(returned, tmp_path, monkeypatch):
    (returned / "河北.csv").write_text("姓名,手机号码\n吴刚,13700001111\n", encoding="utf-8")

    def broken(*args):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr("pipeline.roster.submission.clean_entry", broken)  # the readers are forked with it
    monkeypatch.setattr("pipeline.core.logs.LOG_DIR", tmp_path / "logs")
    report = build_roster(returned, RECIPIENTS, returned.parent / "out", limits=FAST)
    assert {(p.shown_path, p.reason) for p in report.problems if p.code == "unreadable_file"} == {
        ("北京.csv", "internal_error"), ("河北.csv", "internal_error")}
    logs = [log.read_text(encoding="utf-8") for log in (tmp_path / "logs").glob("roster-*.log")]
    assert len(logs) == 2 and all("ZeroDivisionError: a bug" in log for log in logs)
    assert all("日志" in p.note for p in report.problems if p.reason == "internal_error")


def test_far_cells_written_in_any_spelling_are_refused_before_the_reader(returned):
    quoted = (f"<?xml version='1.0'?><worksheet xmlns='{MAIN}'><sheetData>"
              "<row r='1'><c r='A1' t='inlineStr'><is><t>姓名</t></is></c></row>"
              "<row r='1048576'><c r='XFD1048576'/></row></sheetData></worksheet>")
    prefixed = (f'<x:worksheet xmlns:x="{MAIN}"><x:sheetData><x:row r="1"><x:c r="A1"/></x:row>'
                '<x:row\n r="1048576"><x:c s="0"\n r="XFD1048576"/></x:row></x:sheetData></x:worksheet>')
    hand_xlsx(returned / "山西.xlsx", quoted)
    hand_xlsx(returned / "山东.xlsx", prefixed)
    report = consolidate(returned, Limits(seconds=5, workers=0))  # in this process: a reader abort would end the run
    for name in ("山西.xlsx", "山东.xlsx"):
        assert outcome(report, name)[2] in ("too_many_rows", "too_many_columns"), name
    assert_honest(report)


def test_a_property_is_contradicted_only_by_the_cells_or_the_files_own_name(returned):
    form = personalised(returned.parent / "联系人.xlsx", [["姓名", "性别", "职务", "办公电话", "手机号码"],
                                                       ["钱进", "男", "处长", "022-23456789", "13912345678"]], "tianjin")
    (returned / "北京天津材料.zip").write_bytes(zip_of([("联系人.xlsx", form.read_bytes())]))
    report = consolidate(returned)
    assert outcome(report, "北京天津材料.zip!联系人.xlsx")[0] == "used"
    assert next(u.status for u in report.units if u.id == "tianjin") == "ok"
    assert_honest(report)


def test_a_cell_longer_than_excel_holds_is_cut_in_the_workbook_and_whole_in_the_csv(returned):
    note = "说明" * 30_000
    (returned / "河北.csv").write_text(f"姓名,手机号码,备注\n吴刚,13700001111,{note}\n", encoding="utf-8")
    report = consolidate(returned)
    out = returned.parent / "out"
    [cell] = [row[7] for row in openpyxl.load_workbook(out / "roster.xlsx")["汇总"].iter_rows(values_only=True)
              if row[2] == "吴刚"]
    assert len(cell) <= 32_767 and cell.endswith("已截断；全文见 roster.csv）")
    assert note in (out / "roster.csv").read_text(encoding="utf-8-sig")
    assert_honest(report, ("hebei", "吴刚", "13700001111"))


# Every other limit, each met with its own reason ------------------------------------------------------------
def test_size_columns_sheets_and_archive_depth_are_each_refused_with_their_own_reason(returned):
    (returned / "河北.csv").write_bytes("姓名,手机号码\n".encode("utf-8") + b"x" * (Limits().file_bytes + 1))
    (returned / "山西.csv").write_text(",".join(["姓名", "手机号码"] + [f"列{n}" for n in range(199)]) + "\n",
                                       encoding="utf-8")  # 201 columns
    hand_xlsx(returned / "辽宁.xlsx", sheet_xml(HEADER_ROWS + '<row r="3"><c r="GS3" t="inlineStr"><is><t>x</t></is></c></row>'))
    book = openpyxl.Workbook()
    for n in range(Limits().sheets):
        book.create_sheet(f"表{n}")
    book.save(returned / "吉林.xlsx")  # 101 worksheets
    level1 = zip_of([("天津.csv", "姓名,手机号码\n钱进,13912345678\n".encode())])
    (returned / "三层.zip").write_bytes(zip_of([("二层.zip", zip_of([("一层.zip", level1)]))]))
    report = consolidate(returned)
    assert [(p.code, p.shown_path, p.reason) for p in report.problems if p.code == "unreadable_file"] == [
        ("unreadable_file", "三层.zip!二层.zip!一层.zip", "zip_depth"), ("unreadable_file", "吉林.xlsx", "too_many_sheets"),
        ("unreadable_file", "山西.csv", "too_many_columns"), ("unreadable_file", "河北.csv", "too_large"),
        ("unreadable_file", "辽宁.xlsx", "too_many_columns")]
    assert_honest(report)


def test_a_socket_a_device_and_a_link_to_a_fifo_inside_are_ignored(returned):
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(str(returned / "套接字.csv"))
    os.mkfifo(returned / "管道")
    os.symlink("管道", returned / "天津.csv")
    expected = {"套接字.csv", "天津.csv", "管道"}
    try:
        os.mknod(returned / "设备.csv", 0o600 | stat.S_IFCHR, os.makedev(1, 5))  # /dev/zero's numbers
        expected.add("设备.csv")
    except PermissionError:
        pass  # only root may make a device node
    try:
        with fifo_rescuer(returned / "管道"):
            report = consolidate(returned)
    finally:
        listener.close()
    assert sorted((p.code, p.shown_path, p.reason) for p in report.problems) == [
        ("ignored_file", name, "special") for name in sorted(expected)]
    assert {f.shown_path: f.status for f in report.files if f.shown_path in expected} == dict.fromkeys(expected, "ignored")
    assert_honest(report)


def test_a_limit_raised_on_the_command_line_lets_a_large_return_through(returned, capsys):
    rows = "".join(f"职员{n},137{n:08d}\n" for n in range(Limits().rows + 2_000))
    (returned / "河北.csv").write_text("姓名,手机号码\n" + rows, encoding="utf-8")
    command = ["roster", "--returned", str(returned), "--recipients", str(RECIPIENTS), "--timeout", "20"]
    assert cli.main(command + ["--out", str(returned.parent / "default")]) == 0
    assert cli.main(command + ["--out", str(returned.parent / "raised"), "--max-rows", "20000"]) == 0
    capsys.readouterr()
    default, raised = (json.loads((returned.parent / out / "report.json").read_text(encoding="utf-8"))
                       for out in ("default", "raised"))
    assert [(p["code"], p["path"], p["reason"]) for p in default["problems"]] == [
        ("unreadable_file", "河北.csv", "too_many_rows")]
    assert [(p["code"], p["path"]) for p in raised["problems"]] == []
    assert (default["counts"]["people"], raised["counts"]["people"]) == (1, Limits().rows + 2_001)


# The run's own peak (VmHWM of its memory after exec): ru_maxrss would also hold the peak of the pytest process it was
# started from, since Linux keeps the larger of the two across execve.
PEAK_OF_A_RUN = """
import re, sys
from pipeline import cli
code = cli.main(sys.argv[1:])
status = open("/proc/self/status", encoding="ascii").read()
print(code, int(re.search(r"VmHWM:\\s+(\\d+) kB", status).group(1)) // 1024)
"""


def test_many_archives_are_expanded_one_at_a_time_in_bounded_memory(returned):
    noise = random.Random(7)
    data = b"".join(b"0" * 99 + noise.randbytes(1) for _ in range(19 * MB // 100))
    packed, crc = deflate(data), zlib.crc32(data)  # 19 MB, about 30 times smaller deflated: not a bomb
    assert len(data) < 100 * len(packed)
    archive = raw_zip([(f"{n}.csv".encode(), packed, crc, len(data)) for n in range(10)])  # 190 MB expanded
    for n in range(5):
        (returned / f"材料{n}.zip").write_bytes(archive)
    command = ["roster", "--returned", str(returned), "--recipients", str(RECIPIENTS), "--out",
               str(returned.parent / "out"), "--timeout", "20"]
    done = subprocess.run([sys.executable, "-c", PEAK_OF_A_RUN, *command], cwd=REPO, capture_output=True, text=True,
                          timeout=BOUND * 3)
    code, peak = map(int, done.stdout.split()[-2:])
    assert code == 0 and peak < 600, f"the run's own peak RSS was {peak} MB"  # one archive at a time: about 200 MB
    report = json.loads((returned.parent / "out" / "report.json").read_text(encoding="utf-8"))
    assert sorted((f["path"], f["status"]) for f in report["files"] if f["path"] != "北京.csv") == sorted(
        (f"材料{n}.zip", "unreadable") for n in range(5) for _ in range(10))
    assert [(r["unit_id"], r["name"]) for r in csv.DictReader(io.StringIO(
        (returned.parent / "out" / "roster.csv").read_text(encoding="utf-8-sig")))] == [("beijing", "张三")]


def test_a_recipient_id_contradicted_by_the_files_own_name_alone_is_a_mismatch(returned):
    dated(returned / "北京.csv", 1_647_700_000)  # 2022-03-19, older than the spoof
    spoof = personalised(returned / "天津市知识产权局联系人.xlsx", [["姓名", "手机号码"], ["冒名", "13900000099"]], "beijing")
    report = consolidate(returned)
    assert [(p.code, p.path, p.severity) for p in report.problems] == [("unit_mismatch", spoof.name, "error")]
    assert statuses(report) == {"北京.csv": "used", spoof.name: "unmatched"}
    assert {u.id: u.status for u in report.units if u.id in ("beijing", "tianjin")} == {"beijing": "ok",
                                                                                        "tianjin": "missing"}
    assert_honest(report)
