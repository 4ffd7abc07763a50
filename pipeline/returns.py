"""Read the returned files of every format (xlsx/xlsm/xls/ods, csv, docx, zip) into raw sheets of cells.

Nothing here interprets the cells: a file becomes a RawFile with one RawSheet per worksheet or Word
table, each a list of rows (row 0 is the sheet's row 1) of raw values. A file that cannot be read
becomes a RawFile with a Chinese reason instead of sheets, and the batch goes on; so does a subfolder
that cannot be opened (its path ends in /). Files are only read: their content and modification times
are never touched.

Times: a loose file's time is its modification time (a true instant). A zip member only stores a
wall-clock date_time without a zone; it is read as China Standard Time (UTC+8), since the returns come
from Chinese units, so that comparing members with loose files never depends on the machine's zone.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from python_calamine import CalamineWorkbook, PasswordError

from .ooxml import custom_property
from .source import decode_text

SPREADSHEET, WORD, TEXT, ARCHIVE = "spreadsheet", "word", "text", "archive"
IGNORED_NAMES = {"thumbs.db", "ehthumbs.db", ".ds_store", "desktop.ini"}
IGNORED_PREFIXES = ("~$", ".", "~wrl")  # Office lock files, hidden files (.DS_Store, ._x, .~lock.x#), Word temp files
MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_SHEET_CELLS = 5_000_000
MAX_MEMBERS = 500  # files in one archive
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024  # declared uncompressed bytes of one archive, nested ones included
MAX_RATIO = 100  # uncompressed / compressed size of one member ...
RATIO_FLOOR = 1024 * 1024  # ... checked for members larger than this (small text compresses well)
MAX_DEPTH = 2  # an archive inside an archive is read; one more level is refused
UTF8_FLAG = 0x800
ENCRYPTED_FLAG = 0x1
CHINA_TIME = dt.timezone(dt.timedelta(hours=8), "UTC+8")  # the zone a zip member's stored date_time is read in
TEXT_EXTENSIONS = {".csv", ".txt", ".tsv"}
SPREADSHEET_EXTENSIONS = {".xlsx", ".xlsm", ".xls", ".ods", ".xlsb", ".et"}
DELIMITERS = (",", "\t", ";")

REASONS = {
    "corrupt": "文件已损坏或不完整（可能未下载完整），请联系该单位重新发送",
    "pdf": "是 PDF 文件（可能是扫描件），无法读取其中的表格，请联系该单位报送 Excel 表格",
    "image": "是图片（可能是拍照或扫描件），无法读取其中的表格，请联系该单位报送 Excel 表格",
    "password": "设有打开密码，无法读取，请联系该单位去掉密码后重新发送",
    "old_word": "是旧版 Word（.doc）或 RTF 文件，请用 Word 或 WPS 另存为 .docx 或 .xlsx 后放回文件夹",
    "html": "是网页（HTML）格式的表格，请用 Excel 或 WPS 打开后另存为 .xlsx 再放回文件夹",
    "encoding": "文本编码无法识别（应为 UTF-8 或 GBK），请用 Excel 或 WPS 另存为 .xlsx",
    "too_big": "文件过大（超过 100 MB），不像是填报表，未读取",
    "sheet_too_big": "工作表过大（超过 500 万个单元格），不像是填报表，未读取",
    "no_table": "是 Word 文件，但其中没有表格",
    "zip_members": f"压缩包内文件过多（超过 {MAX_MEMBERS} 个），已拒绝解压",
    "zip_bomb": "压缩包解压后过大或压缩比异常（疑似“压缩炸弹”），已拒绝解压",
    "zip_password": "压缩包设有密码，无法解压，请联系该单位重新发送",
    "zip_depth": "压缩包嵌套过深，已拒绝解压",
    "os_error": "无法打开（没有读取权限，或文件正被其他程序占用）",
    "folder": "无法打开这个文件夹（没有读取权限，或已被移走），其中的文件都未能汇总，请检查后重新汇总",
    "empty": "文件是空的，没有任何内容（不是只有表头），请联系该单位重新发送",
    "unsupported": "不是可读取的表格文件（支持 .xlsx、.xlsm、.xls、.ods、.csv、.docx 和 .zip）",
}


@dataclass
class RawSheet:
    """Hold the cells of one worksheet or Word table: rows[0] is row 1; notes are text outside the grid."""

    name: str
    rows: list[list]
    notes: tuple[str, ...] = ()
    grid: bool = True  # True: spreadsheet columns (A, B, …); False: a Word table (第 N 列)


@dataclass
class RawFile:
    """Hold what was read from one file (or archive member): its sheets, or why it could not be read."""

    path: str  # relative to the returned folder, '/' separators; an archive member is ARCHIVE.zip!MEMBER
    mtime: float
    sheets: list[RawSheet] = field(default_factory=list)
    recipient_id: str = ""
    error: str = ""  # a Chinese reason when the file is unreadable
    ignored: bool = False


class Budget:
    """Count the bytes an archive (and the archives inside it) may still expand to."""

    def __init__(self, limit: int = MAX_UNZIPPED_BYTES):
        self.left = limit

    def take(self, size: int) -> bool:
        """Spend size bytes; return False when that would exceed the limit."""
        self.left -= size
        return self.left >= 0


# Listing -----------------------------------------------------------------------------
def is_ignored(path: str) -> bool:
    """Tell whether a file is noise nobody sent on purpose: lock files, hidden files, Thumbs.db, macOS forks."""
    name = path.rsplit("/", 1)[-1].rsplit("!", 1)[-1].lower()
    return name in IGNORED_NAMES or name.startswith(IGNORED_PREFIXES) or "__macosx/" in path.lower()


def list_files(root: Path, skip: Path | None = None) -> list[Path]:
    """Return every file under root (recursively, sorted by relative path), leaving out the folder skip.

    A subfolder that cannot be opened is listed itself, so that read_path reports it.
    """
    skip = skip.resolve() if skip else None
    found: list[Path] = []
    for folder, dirs, files in os.walk(root, onerror=lambda error: found.append(Path(error.filename))):
        dirs[:] = [d for d in dirs if skip is None or Path(folder, d).resolve() != skip]
        found += [Path(folder, name) for name in files]
    return sorted(found, key=lambda p: p.relative_to(root).as_posix())


def read_path(root: Path, path: Path) -> list[RawFile]:
    """Read one file of the returned folder: one RawFile, or one per member of an archive."""
    relative = display_path(path.relative_to(root).as_posix())
    try:
        stat = path.stat()
        if path.is_dir():  # listed because it could not be opened
            return [RawFile(relative + "/", stat.st_mtime, error=REASONS["folder"])]
        if is_ignored(relative):
            return [RawFile(relative, stat.st_mtime, ignored=True)]
        if stat.st_size > MAX_FILE_BYTES:
            return [RawFile(relative, stat.st_mtime, error=REASONS["too_big"])]
        data = path.read_bytes()
    except OSError:
        return [RawFile(relative, 0.0, error=REASONS["os_error"])]
    return read_bytes(relative, data, stat.st_mtime)


def display_path(path: str) -> str:
    """Return a path as clean text: names unpacked on Linux from a Windows zip are often GBK bytes."""
    raw = os.fsencode(path)
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", errors="replace")


def read_bytes(name: str, data: bytes, mtime: float, depth: int = 0, budget: Budget | None = None) -> list[RawFile]:
    """Read a file's bytes according to what they are (not only what the name says)."""
    if not data:
        return [RawFile(name, mtime, error=REASONS["empty"])]
    package = open_zip(data)
    kind = sniff(name, data, package)
    if kind == ARCHIVE:
        return read_archive(name, package, mtime, depth, budget or Budget())
    if kind in REASONS:
        return [RawFile(name, mtime, error=REASONS[kind])]
    try:
        if kind == SPREADSHEET:
            return [read_spreadsheet(name, data, mtime, package)]
        return [(read_word if kind == WORD else read_text)(name, data, mtime)]
    except PasswordError:
        return [RawFile(name, mtime, error=REASONS["password"])]
    except Exception:  # noqa: BLE001 - any failure of a third-party reader on a bad file is a record, not a crash
        return [RawFile(name, mtime, error=REASONS["corrupt"])]


# Recognising a file by its content ------------------------------------------------------
def open_zip(data: bytes) -> zipfile.ZipFile | None:
    """Open bytes that start like a zip package (xlsx, docx, zip); None when they do not or it is damaged."""
    if not data.startswith(b"PK"):
        return None
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        return None


def sniff(name: str, data: bytes, package: zipfile.ZipFile | None = None) -> str:
    """Return the kind of a file (spreadsheet, word, text, archive) or a REASONS key when it cannot be read."""
    head = data[:8]
    if head.startswith(b"PK"):
        return _sniff_zip(package)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return _sniff_ole(name, data)
    return _sniff_other(name, data)


def _sniff_zip(package: zipfile.ZipFile | None) -> str:
    if package is None:
        return "corrupt"
    names = set(package.namelist())
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names or "content.xml" in names:
        return SPREADSHEET
    if "word/document.xml" in names:
        return WORD
    return ARCHIVE


def _sniff_ole(name: str, data: bytes) -> str:
    """Tell an old .xls from a password-protected .xlsx or an old Word document (all OLE containers)."""
    if "EncryptedPackage".encode("utf-16-le") in data:
        return "password"
    if "WordDocument".encode("utf-16-le") in data or name.lower().endswith((".doc", ".wps")):
        return "old_word"
    return SPREADSHEET


def _sniff_other(name: str, data: bytes) -> str:
    head = data[:16].lstrip()
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM", b"II*\x00", b"MM\x00*")):
        return "image"
    if head.startswith(b"{\\rtf"):
        return "old_word"
    if head[:1] == b"<" and b"<table" in data[:65536].lower():
        return "html"
    suffix = Path(name.rsplit("!", 1)[-1]).suffix.lower()
    if suffix in TEXT_EXTENSIONS or (suffix in SPREADSHEET_EXTENSIONS and _looks_like_text(data)):
        return TEXT
    return "corrupt" if suffix in SPREADSHEET_EXTENSIONS | {".docx", ".zip"} else "unsupported"


def _looks_like_text(data: bytes) -> bool:
    sample = data[:4096]
    return sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or (bool(sample) and b"\x00" not in sample)


# Spreadsheets ---------------------------------------------------------------------------
def read_spreadsheet(name: str, data: bytes, mtime: float, package: zipfile.ZipFile | None = None) -> RawFile:
    """Read every worksheet of an .xlsx/.xlsm/.xls/.ods with python-calamine, and the recipient_id property."""
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    found = RawFile(name, mtime, recipient_id=custom_property(package, "recipient_id") if package else "")
    for sheet_name in workbook.sheet_names:
        sheet = _worksheet(workbook, sheet_name)
        if sheet is None:
            return RawFile(name, mtime, error=REASONS["sheet_too_big"])
        found.sheets.append(sheet)
    return found


def _worksheet(workbook, name: str) -> RawSheet | None:
    """Return a sheet's cells from A1 with merged ranges filled from their first cell (None if absurdly large)."""
    try:
        sheet = workbook.get_sheet_by_name(name)
    except Exception:  # noqa: BLE001 - a chart sheet or a damaged sheet has no cells to read
        return RawSheet(name, [])
    end = sheet.end
    if end and (end[0] + 1) * (end[1] + 1) > MAX_SHEET_CELLS:
        return None
    rows = sheet.to_python(skip_empty_area=False)
    _fill_merged(rows, sheet.merged_cell_ranges or [])
    return RawSheet(name, rows)


def _fill_merged(rows: list[list], ranges) -> None:
    """Copy the value of each merged range's first cell into the range's other cells."""
    for (top, left), (bottom, right) in ranges:
        if top >= len(rows) or left >= len(rows[top]):
            continue
        value = rows[top][left]
        for r in range(top, min(bottom, len(rows) - 1) + 1):
            for c in range(left, min(right, len(rows[r]) - 1) + 1):
                rows[r][c] = value


# Word ------------------------------------------------------------------------------------
def read_word(name: str, data: bytes, mtime: float) -> RawFile:
    """Read every table of a .docx as a sheet named 表格N; body paragraphs become each sheet's notes."""
    import docx  # python-docx; imported here because most returns are spreadsheets

    document = docx.Document(io.BytesIO(data))
    notes = tuple(p.text for p in document.paragraphs if p.text.strip())
    sheets = [RawSheet(f"表格{i}", [[cell.text for cell in row.cells] for row in table.rows], notes, grid=False)
              for i, table in enumerate(document.tables, start=1)]
    if not sheets:
        return RawFile(name, mtime, error=REASONS["no_table"])
    return RawFile(name, mtime, sheets=sheets)


# Text (CSV) -------------------------------------------------------------------------------
def read_text(name: str, data: bytes, mtime: float) -> RawFile:
    """Read a CSV (or tab-separated text) in UTF-8, UTF-8 with BOM, UTF-16 or GBK/GB18030 as one sheet."""
    text = decode_text(data)
    if text is None:
        return RawFile(name, mtime, error=REASONS["encoding"])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(text))
    return RawFile(name, mtime, sheets=[RawSheet("", [list(row) for row in reader])])


def delimiter(text: str) -> str:
    """Guess the field separator from the first lines: the one that appears most often."""
    sample = "\n".join(text.splitlines()[:20])
    return max(DELIMITERS, key=sample.count)


# Archives ---------------------------------------------------------------------------------
def read_archive(name: str, archive: zipfile.ZipFile, mtime: float, depth: int, budget: Budget) -> list[RawFile]:
    """Read every member of a zip as if it were a file in the folder, refusing bombs and deep nesting."""
    members = [info for info in archive.infolist() if not info.is_dir()]
    refusal = _refusal(members, depth, budget)
    if refusal:
        return [RawFile(name, mtime, error=REASONS[refusal])]
    found = []
    for info in sorted(members, key=member_name):
        found += _read_member(archive, info, f"{name}!{member_name(info)}", mtime, depth, budget)
    return found


def _refusal(members: list[zipfile.ZipInfo], depth: int, budget: Budget) -> str:
    """Return why an archive is refused (a REASONS key), or '' when it may be expanded."""
    if depth >= MAX_DEPTH:
        return "zip_depth"
    if len(members) > MAX_MEMBERS:
        return "zip_members"
    if not budget.take(sum(info.file_size for info in members)):
        return "zip_bomb"
    if any(_inflates(info) for info in members):
        return "zip_bomb"
    return ""


def _inflates(info: zipfile.ZipInfo) -> bool:
    """Tell whether a large member expands more than MAX_RATIO times (a zip bomb's signature)."""
    return info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1)


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: str, mtime: float, depth: int,
                 budget: Budget) -> list[RawFile]:
    when = member_time(info, mtime)
    if is_ignored(path):
        return [RawFile(path, when, ignored=True)]
    if info.flag_bits & ENCRYPTED_FLAG:
        return [RawFile(path, when, error=REASONS["zip_password"])]
    try:
        data = archive.read(info)  # zipfile never returns more than the declared (checked) size
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, ValueError):
        return [RawFile(path, when, error=REASONS["corrupt"])]
    return read_bytes(path, data, when, depth + 1, budget)


def member_name(info: zipfile.ZipInfo) -> str:
    """Return a member's name, decoding GBK (or UTF-8) names stored without the zip UTF-8 flag."""
    if info.flag_bits & UTF8_FLAG:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def member_time(info: zipfile.ZipInfo, fallback: float) -> float:
    """Return a member's stored date_time read as China Standard Time, as a timestamp; fallback if invalid."""
    try:
        return dt.datetime(*info.date_time, tzinfo=CHINA_TIME).timestamp()
    except (OverflowError, ValueError, TypeError):
        return fallback
