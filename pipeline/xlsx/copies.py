"""Copy a deterministic xlsx package fast: each copy rewrites only the parts that differ, the rest stay compressed.

A package written by workbook_bytes (xlsx/writer.py) has its parts in a fixed order, fixed entry times
and attributes, each part deflated at the default level. PackageCopies reads such a package once and
keeps every part's compressed bytes; copy() writes a new package in the same layout with some parts
replaced, compressing only those. Its bytes equal what workbook_bytes would write for the same parts.

sheet_text and property_text escape text exactly as openpyxl writes it into a worksheet (ASCII, other
characters as character references) and into the document properties (UTF-8), so a part rewritten by
substitution is byte for byte the part openpyxl would have written.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib

from openpyxl.compat import safe_string

LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
CENTRAL_HEADER = struct.Struct("<4s4B4HL2L5H2L")
END_RECORD = struct.Struct("<4s4H2LH")
ZIP32_LIMIT = (1 << 31) - 1
UTF8_NAME = 0x800  # flag bit: the part name is UTF-8
# Characters XML 1.0 can hold: a text with any other cannot be written by substitution (openpyxl refuses it too).
XML_CHARS = re.compile("[\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]*")
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"}
_ESCAPED = re.compile("[&<>\r]")


def xml_safe(text: str) -> bool:
    """Tell whether text holds only characters an XML part can hold."""
    return XML_CHARS.fullmatch(text) is not None


def property_text(text: str) -> str:
    """Return text escaped as openpyxl writes it inside docProps/core.xml and custom.xml (UTF-8)."""
    return _ESCAPED.sub(lambda m: _ESCAPES[m.group()], text)


def sheet_text(text: str) -> str:
    """Return text escaped as openpyxl writes it inside a worksheet (ASCII; others as &#N;)."""
    return property_text(text).encode("ascii", "xmlcharrefreplace").decode("ascii")


def row_start(row: int, height: float) -> str:
    """Return how openpyxl starts a worksheet row of a custom height: '<row r="2" ht="54"'."""
    return f'<row r="{row}" ht="{safe_string(height)}"'


class PackageCopies:
    """Hold a deterministic package's parts, compressed once, and write copies with some parts replaced."""

    def __init__(self, package: bytes):
        source = zipfile.ZipFile(io.BytesIO(package))
        self.infos = source.infolist()
        self.parts = {info.filename: source.read(info) for info in self.infos}
        for info in self.infos:
            plain = info.compress_type == zipfile.ZIP_DEFLATED and not info.flag_bits & ~UTF8_NAME
            if not plain or info.file_size > ZIP32_LIMIT or info.extra or info.comment:
                raise ValueError(f"not a package written by workbook_bytes: {info.filename}")
        self.packed = {info.filename: _deflate(self.parts[info.filename]) for info in self.infos}
        self.crcs = {name: zlib.crc32(data) for name, data in self.parts.items()}

    def text(self, name: str) -> str:
        """Return a part's XML as text."""
        return self.parts[name].decode("utf-8")

    def copy(self, changed: dict[str, bytes]) -> bytes:
        """Return the package with the parts named in changed replaced by their new content (same order, times)."""
        unknown = set(changed) - set(self.parts)
        if unknown:
            raise KeyError(f"no such part: {sorted(unknown)}")
        out, central = io.BytesIO(), []
        for info in self.infos:
            name = info.filename
            if name in changed:
                data = changed[name]
                crc, packed, size = zlib.crc32(data), _deflate(data), len(data)
            else:
                crc, packed, size = self.crcs[name], self.packed[name], len(self.parts[name])
            central.append(_entry(out, info, crc, packed, size))
        start = out.tell()
        for record in central:
            out.write(record)
        out.write(END_RECORD.pack(b"PK\x05\x06", 0, 0, len(central), len(central), out.tell() - start, start, 0))
        return out.getvalue()


def _deflate(data: bytes) -> bytes:
    """Compress a part as zipfile does (raw deflate at the default level)."""
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def _entry(out: io.BytesIO, info: zipfile.ZipInfo, crc: int, packed: bytes, size: int) -> bytes:
    """Write one part's local header and data as zipfile does; return its central directory record."""
    name = info.filename.encode("utf-8" if info.flag_bits & UTF8_NAME else "ascii")
    year, month, day, hour, minute, second = info.date_time
    date, time = (year - 1980) << 9 | month << 5 | day, hour << 11 | minute << 5 | second // 2
    offset = out.tell()
    if offset > ZIP32_LIMIT or len(packed) > ZIP32_LIMIT:
        raise ValueError("package too large to copy")
    out.write(LOCAL_HEADER.pack(b"PK\x03\x04", info.extract_version, 0, info.flag_bits, zipfile.ZIP_DEFLATED,
                                time, date, crc, len(packed), size, len(name), 0))
    out.write(name)
    out.write(packed)
    return CENTRAL_HEADER.pack(b"PK\x01\x02", info.create_version, info.create_system, info.extract_version, 0,
                               info.flag_bits, zipfile.ZIP_DEFLATED, time, date, crc, len(packed), size, len(name),
                               0, 0, 0, info.internal_attr, info.external_attr, offset) + name
