"""Read what the roster needs from an OOXML package without loading it: a custom property, the sheet parts."""

from __future__ import annotations

import posixpath
import re

from lxml import etree

WORKSHEET = re.compile(r"xl/worksheets/[^/]+\.xml")
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
RELS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
SHEET_TYPES = ("/worksheet", "/dialogsheet", "/chartsheet", "/macrosheet")
MAX_RELS = 1024 * 1024  # bytes of the workbook's relationships part read to find its sheets
CUSTOM_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"
# A parser that never expands entities, reads a DTD or reaches the network (no XML bomb, no XXE).
SAFE_PARSER = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False)


def custom_property(package, name: str, limit: int = 1024 * 1024) -> str:
    """Read a custom document property (docProps/custom.xml) of an open OOXML zip package.

    Return its text, or '' when the part or the property is absent, the XML is bad, or the part is
    larger than limit bytes. The part is parsed without entities or a DTD; the workbook itself is never loaded.
    """
    try:
        info = package.getinfo("docProps/custom.xml")
        root = etree.fromstring(package.read(info), SAFE_PARSER) if info.file_size <= limit else None
    except Exception:  # noqa: BLE001 - no part, a damaged zip or bad XML all mean: no property
        return ""
    found = root.iter(f"{CUSTOM_NS}property") if root is not None else ()
    return next(((prop[0].text or "").strip() for prop in found if prop.get("name") == name and len(prop)), "")


def worksheet_parts(package) -> list[str]:
    """Return the names of the worksheet parts of an xlsx/xlsm package: those its workbook relationships
    point to (wherever they are stored), and any part stored where worksheets usually are."""
    named = {name for name in package.namelist() if WORKSHEET.fullmatch(name)}
    try:
        if package.getinfo(WORKBOOK_RELS).file_size > MAX_RELS:
            return sorted(named)
        rels = etree.fromstring(package.read(WORKBOOK_RELS), SAFE_PARSER)
    except Exception:  # noqa: BLE001 - no relationships, or damaged ones: the usual place is all there is
        return sorted(named)
    for rel in rels.iter(f"{RELS_NS}Relationship"):
        if rel.get("Type", "").endswith(SHEET_TYPES):
            target = rel.get("Target", "")
            named.add(target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target)))
    return sorted(name for name in named if name in package.NameToInfo)
