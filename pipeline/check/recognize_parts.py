"""Recognise the parts of a 公文 after its title: 主体, signature and date, notes, issued document, annexes, 版记."""

from __future__ import annotations

from . import patterns as P
from .body_items import annex_items, body_items
from .reading import Grid, Line
from .recognition import Recognition


# --- 主体 and signature --------------------------------------------------------------------------
def main_end(items: list, at: int) -> int:
    """Return where the notice's main part ends: an annex label, a page break or the 版记."""
    for i in range(at, len(items)):
        b = items[i]
        if isinstance(b, Line) and i > at and (is_annex_label(b) or b.page_break or colophon_kind(b)):
            return i
        if isinstance(b, Grid) and i > at and (b.page_break or _colophon_rows(b)):
            return i
    return len(items)


def date_index(items: list, at: int, end: int) -> int | None:
    """Return the index of the 成文日期: the last line before end that is a date alone."""
    for i in range(end - 1, at - 1, -1):
        b = items[i]
        if isinstance(b, Line) and P.parse_date(b.text):
            return i
        if isinstance(b, Line) and not _after_date(b):
            return None
    return None


def _after_date(line: Line) -> bool:
    """Return True when a line may follow the date: a 附注 or 公开方式, or a contact line."""
    text = P.squash(line.text)
    return bool(P.PARENTHESISED.match(text)) or text.startswith(("联系人", "联系电话", "此件"))


def read_signature(items: list, at: int, date_at: int, r: Recognition) -> int:
    """Read the date, the 代章 line and the names above it; return where the 主体 ends."""
    date_line = items[date_at]
    r.data["date"] = P.squash(date_line.text)
    r.add("date", date_line, 1.0, r.data["date"])
    start = date_at
    while start > at and isinstance(items[start - 1], Line) and date_at - start < 4:
        line, text = items[start - 1], P.squash(items[start - 1].text)
        if P.PROXY_SEAL.match(text) and "proxy_seal" not in r.data:
            r.data["proxy_seal"] = text
            r.add("proxy_seal", line, 0.9)
        elif _is_signature(line, start - 1, at, "signature" not in r.data):
            names = P.split_names(line.text)
            r.data.setdefault("signature", [])[:0] = [P.squash(n) for n in names]
            for name in names:
                r.add("signature", line, 0.9 if line.align == "right" or len(names) > 1 else 0.75, name.strip())
        else:
            break
        start -= 1
    return start


def _is_signature(line: Line, index: int, at: int, nearest: bool) -> bool:
    """Return True when a line above the date signs: the nearest short name, or one pushed right, or an agency's."""
    text = P.squash(line.text)
    if not P.looks_like_name(text) or P.heading(text) or P.ANNEX_ITEM.match(text) or P.CLOSING.match(text):
        return False
    placed = nearest or line.align in ("right", "center") or all(P.is_agency(n) for n in P.split_names(line.text))
    return placed and not is_annex_label(line) and index > at


def read_main(items: list, r: Recognition) -> None:
    """Read the 主体 between 主送 and the signature: body, closing, 附件说明, 出席/请假/列席."""
    body: list = []
    i, noted = 0, False
    while i < len(items):
        b = items[i]
        if isinstance(b, Line) and P.ANNEX_NOTE.match(P.collapse(b.text)):
            i, noted = _annex_note(items, i, r), True
            continue
        if isinstance(b, Line) and P.ATTENDANCE.match(P.collapse(b.text)):
            _attendance(b, r)
        elif noted:  # text between the 附件说明 and the signature has no place of its own
            r.unplaced += [b] if isinstance(b, Line) else b.lines
        else:
            body.append(b)
        i += 1
    if body and isinstance(body[-1], Line) and P.CLOSING.match(P.squash(body[-1].text)):
        r.data["closing"] = P.collapse(body[-1].text)
        r.add("closing", body.pop(), 0.9)
    r.data["body"] = body_items(body, r.add)


def _annex_note(items: list, i: int, r: Recognition) -> int:
    """Read 附件：1.名称 and the numbered names below it; return the index after them."""
    first = items[i]
    rest = P.ANNEX_NOTE.match(P.collapse(first.text))["rest"]
    names, lines = [], [first]
    item = P.ANNEX_ITEM.match(P.squash(rest))
    names.append(item["name"] if item else P.collapse(rest))
    j = i + 1
    while item and j < len(items) and isinstance(items[j], Line):
        nxt = P.ANNEX_ITEM.match(P.squash(items[j].text))
        if not nxt or int(nxt["n"]) != len(names) + 1:
            break
        names.append(nxt["name"])
        lines.append(items[j])
        j += 1
    r.data["annexes"] = [n for n in names if n]
    for line in lines:
        r.add("annex_note", line, 0.95)
    return j


def _attendance(line: Line, r: Recognition) -> None:
    m = P.ATTENDANCE.match(P.collapse(line.text))
    key = {"出席": "present", "请假": "absent", "列席": "observers"}[P.squash(m["label"])]
    r.data[key] = m["names"].strip()
    r.add("attendance", line, 0.95)


# --- after the date: 附注, issued document, annexes, 版记 -------------------------------------------
def read_tail(items: list, r: Recognition) -> None:
    """Read what follows the date: notes, the 版记, an issued document and the annexes."""
    i = 0
    while i < len(items):
        b = items[i]
        if isinstance(b, Grid) and _colophon_rows(b):
            for line in _colophon_rows(b):
                _colophon(line, r) or r.unplaced.append(line)
            i += 1
        elif isinstance(b, Line) and _colophon(b, r):
            i += 1
        elif isinstance(b, Line) and is_annex_label(b):
            i = _annex(items, i, r)
        elif isinstance(b, Line) and _note(b, r):
            i += 1
        elif isinstance(b, Line) and r.issued is None and not r.annexes and (b.page_break or _names_issued(b, r)):
            i = _issued(items, i, r)
        else:
            r.unplaced.append(b) if isinstance(b, Line) else r.unplaced.extend(b.lines)
            i += 1


def _colophon_rows(grid: Grid) -> list[Line]:
    """Return a 版记 table's rows as lines (cells side by side), or none when the table is not a 版记."""
    rows = [Line("  ".join(c for c in row if c.strip()), grid.paragraph) for row in grid.rows]
    return rows if any(colophon_kind(line) for line in rows) else []


def _ends_part(b) -> bool:
    """Return True when a block ends an issued document or an annex: the next label or the 版记."""
    if isinstance(b, Grid):
        return bool(_colophon_rows(b))
    return is_annex_label(b) or bool(colophon_kind(b))


def colophon_kind(line: Line) -> str:
    text = P.collapse(line.text)
    return "cc" if P.COPY_TO.match(text) else "colophon_addressee" if P.COLOPHON_TO.match(text) else \
        "printer" if P.PRINTER.match(P.squash(text)) or P.PRINTER.match(text) else ""


def _colophon(line: Line, r: Recognition) -> bool:
    """Record a 版记 line (抄送, 主送, 印发机关和日期); return True when it was one."""
    kind, text = colophon_kind(line), P.collapse(line.text)
    if kind == "cc":
        r.data["copy_to"] = P.COPY_TO.match(text)["rest"].strip()
    elif kind == "colophon_addressee":
        r.data["addressees"] = P.COLOPHON_TO.match(text)["rest"].strip()
        r.data["addressees_in_colophon"] = True
    elif kind == "printer":
        m = P.PRINTER.match(text)
        r.data["printer"], r.data["print_date"] = P.collapse(m["printer"]), P.squash(m["date"])
    if kind:
        part, r.part = r.part, "main"
        r.add(kind, line, 1.0)
        r.part = part
    return bool(kind)


def _note(line: Line, r: Recognition) -> bool:
    """Record a 附注 or 公开方式 line after the date; return True when it was one."""
    text = P.collapse(line.text)
    m = P.PARENTHESISED.match(text)
    inner = m["inner"].strip() if m else text
    if P.PUBLICATION.match(inner) and "publication" not in r.data:
        r.data["publication"] = inner
        r.add("publication", line, 0.95)
        return True
    if m or text.startswith(("联系人", "联系电话")):
        r.data["note"] = (r.data["note"] + "；" + inner) if "note" in r.data else inner
        r.add("note", line, 0.9 if m else 0.6)
        return True
    return False


def is_annex_label(line: Line) -> bool:
    return bool(P.ANNEX_LABEL.match(P.squash(line.text)))


def _names_issued(line: Line, r: Recognition) -> bool:
    """Return True when a line is the title of a document the body says it issues (印发《…》)."""
    text = P.squash(line.text)
    return P.is_title_end(text) and f"《{text}》" in P.squash(str(r.data.get("body", "")))


def _issued(items: list, i: int, r: Recognition) -> int:
    """Read an issued document: its title, then its body up to an annex label or the 版记."""
    j = i
    title = []
    while j < len(items) and isinstance(items[j], Line) and len(title) < 3 and not P.heading(items[j].text) \
            and not any(c in items[j].text for c in "。：:；") and len(P.squash(items[j].text)) <= 40:
        title.append(items[j])
        j += 1
        if P.is_title_end(items[j - 1].text):
            break
    body_at = j
    r.part = "issued"
    while j < len(items) and not _ends_part(items[j]):
        j += 1
    for line in title:
        r.add("issued_title", line, 0.85)
    r.issued = {"title": "".join(P.collapse(t.text) for t in title), "body": body_items(items[body_at:j], r.add)}
    return j


def _annex(items: list, i: int, r: Recognition) -> int:
    """Read one annex: its label (附件2), its title, then its content up to the next label or the 版记."""
    label = items[i]
    r.part = "annex"
    r.add("annex_label", label, 0.95)
    number = P.annex_number(label.text)
    j, title = i + 1, ""
    if j < len(items) and isinstance(items[j], Line) and not is_annex_label(items[j]):
        title = P.collapse(items[j].text)
        r.add("annex_title", items[j], 0.85)
        j += 1
    start = j
    while j < len(items) and not _ends_part(items[j]):
        j += 1
    r.annexes.append({"number": number or len(r.annexes) + 1, "label": P.squash(label.text), "title": title,
                      "body": annex_items(items[start:j], r.add)})
    return j
