"""Check the signatory part on the rendered page: 署名 and 成文日期, seals, joint names, 代章 and signature stamps."""

from __future__ import annotations

from pathlib import Path

from .expected import signature_names
from .pdf_ink import Blob, circles_touch, overlaps, red_blobs
from .pdf_match import all_of, last_text_line, lines_of
from .pdf_model import Line, Pdf, load_pdf, red_mask
from .standard import (near, CHAR_MM, FACE_TOL, LEFT, LINE_MM, LINE_PITCH, POS_TOL, SEAL_ROUND_TOL, SEAL_SIZE,
                       SEALS_PER_ROW, TEXT_RIGHT)

EDGE_TOL = 0.5  # mm: ink against a text box edge (glyph side bearings)


def pdf_signature(pdf_path: Path, fmt: str, data: dict) -> list[str]:
    """署名 and 成文日期 laid out by case: one agency or several, without seal, with seals, with a stamp."""
    names = signature_names(data)
    if data.get("signed_by"):
        return pdf_signed_by(pdf_path, fmt, data)
    if data.get("seals"):
        return pdf_seals(pdf_path, fmt, data)
    if len(names) > 1:
        return pdf_joint_signature(pdf_path, fmt, data)
    return pdf_single_signature(pdf_path, fmt, data) if names else []


def _signature_lines(pdf: Pdf, data: dict) -> tuple[list[Line], Line | None]:
    names = [lines[0] for _, lines in all_of(pdf, data, "signature") if lines]
    date = lines_of(pdf, data, "date")
    return names, date[0] if date else None


def pdf_single_signature(pdf_path: Path, fmt: str, data: dict) -> list[str]:
    """署名 right-indented 2 characters; 成文日期 starts 2 characters right of the name (± ½ character)."""
    names, date = _signature_lines(load_pdf(pdf_path), data)
    if not names or not date:
        return ["signature or date not found in the PDF"]
    return _date_under_name(names[0], date)


def _date_under_name(name: Line, date: Line) -> list[str]:
    tol, right = CHAR_MM / 2, TEXT_RIGHT - 2 * CHAR_MM
    if date.mm("x1") - date.mm("x0") > name.mm("x1") - name.mm("x0") - 2 * CHAR_MM + tol:  # the longer-date rule
        out = near("成文日期 right edge (date longer than name)", date.mm("x1"), right, tol)
        return out + near("署名 start (2 characters left of the date)", name.mm("x0"), date.mm("x0") - 2 * CHAR_MM, tol)
    out = near("署名 right edge (2 characters from the right margin)", name.mm("x1"), right, tol)
    return out + near("成文日期 start (2 characters right of the name's first character)",
                       date.mm("x0"), name.mm("x0") + 2 * CHAR_MM, tol)


def pdf_joint_signature(pdf_path: Path, fmt: str, data: dict) -> list[str]:
    """Joint, no seal: the lead name right-indented 2 characters (unless the date is longer), the others each on
    the next line, then the date placed against the lead name as for one agency."""
    want = signature_names(data)
    if len(want) < 2 or data.get("seals") or data.get("signed_by"):
        return []
    names, date = _signature_lines(load_pdf(pdf_path), data)
    if len(names) != len(want) or not date:
        return [f"joint signature: found {len(names)} of {len(want)} names and {'a' if date else 'no'} date"]
    tol = CHAR_MM / 2
    longer = date.mm("x1") - date.mm("x0") > names[0].mm("x1") - names[0].mm("x0") - 2 * CHAR_MM + tol
    out = [] if longer else near("lead 署名 right edge (2 characters from the right margin)", names[0].mm("x1"),
                                 TEXT_RIGHT - 2 * CHAR_MM, tol)
    out += [f"署名 {n.text!r} right edge {n.mm('x1'):.1f} mm, beyond the 2-character right indent"
            for n in names[1:] if n.mm("x1") > TEXT_RIGHT - 2 * CHAR_MM + CHAR_MM / 2]
    following = names[1:] + ([date] if not data.get("proxy_seal") else [])
    out += [f for a, b in zip(names, following) for f in _next_line(a, b)]
    return out + [f for f in _date_under_name(names[0], date) if longer or not f.startswith("署名")]


def _next_line(a: Line, b: Line) -> list[str]:
    if a.page != b.page:
        return [f"{b.text!r} is on page {b.page}, the line above it on page {a.page}"]
    return near(f"{b.text!r} on the line after {a.text!r}", b.y0 - a.y0, LINE_PITCH, FACE_TOL, "pt")


# --- seals ----------------------------------------------------------------------------------
def seal_blobs(pdf: Pdf, page: int) -> list[Blob]:
    """Return the round red blobs of seal size on a page, in rows top to bottom, left to right."""
    low, high = SEAL_SIZE
    return [b for b in red_blobs(red_mask(pdf.raster(page)))
            if low <= b.width <= high and low <= b.height <= high]


def pdf_seals(pdf_path: Path, fmt: str, data: dict) -> list[str]:
    """Seals: one per name, centred on it (the last also over the date), below the body, apart, in the 版心."""
    if not data.get("seals"):
        return []
    pdf = load_pdf(pdf_path)
    names, date = _signature_lines(pdf, data)
    if not names or not date:
        return ["signature or date not found in the PDF"]
    seals = seal_blobs(pdf, date.page)
    if len(seals) != len(data["seals"]):
        return [f"page {date.page}: found {len(seals)} round red seals, want {len(data['seals'])}"] + \
            _merged_seals(pdf, date.page)
    out = _seal_shape_faults(seals) + _seal_gap_faults(pdf, data, seals, date.page)
    out += near("成文日期 right edge (4 characters from the right margin)", date.mm("x1"),
                TEXT_RIGHT - 4 * CHAR_MM, POS_TOL)
    if len(names) == 1:
        out += near("署名 centre x over the date", names[0].centre()[0], date.centre()[0], POS_TOL)
    else:
        out += _side_by_side(names)
    paired = [min(seals, key=lambda s, n=name: abs(s.cx - n.centre()[0]) + abs(s.cy - n.centre()[1]))
              for name in names]
    out += [f"署名 {a.text!r} and {b.text!r} share one seal" for i, a in enumerate(names) for b in names[i + 1:]
            if paired[names.index(a)] is paired[names.index(b)]]
    proxy = lines_of(pdf, data, "proxy_seal") if len(names) == 1 else None
    out += [f for seal, name in zip(paired, names) for f in _seal_on(seal, name, "署名", centred=not proxy)]
    if proxy:  # a 代章 line between name and date: it and the date are what the seal's lower half presses
        out += _seal_on(paired[-1], proxy[0], "代章")
    return out + _seal_on(paired[-1], date, "成文日期")


def _merged_seals(pdf: Pdf, page: int) -> list[str]:
    """Report red blobs larger than one seal: seals that touch or overlap merge into one."""
    return [f"seals touch each other: one red blob of {b.width:.1f} × {b.height:.1f} mm at x {b.x0:.1f}..{b.x1:.1f} mm"
            for b in red_blobs(red_mask(pdf.raster(page))) if max(b.width, b.height) > SEAL_SIZE[1]]


def _seal_shape_faults(seals: list[Blob]) -> list[str]:
    out = [f"seal at ({s.cx:.1f}, {s.cy:.1f}) mm not round: {s.width:.1f} × {s.height:.1f} mm"
           for s in seals if abs(s.width - s.height) > SEAL_ROUND_TOL]
    out += [f"seal at ({s.cx:.1f}, {s.cy:.1f}) mm spans x {s.x0:.1f}..{s.x1:.1f} mm, outside the 版心 "
            f"{LEFT:g}..{TEXT_RIGHT:g} mm" for s in seals if s.x0 < LEFT - EDGE_TOL or s.x1 > TEXT_RIGHT + EDGE_TOL]
    rows = _rows(seals)
    out += [f"{len(r)} seals in one row, want at most {SEALS_PER_ROW}" for r in rows if len(r) > SEALS_PER_ROW]
    return out + [f"seals at x {a.cx:.1f} and {b.cx:.1f} mm touch each other" for i, a in enumerate(seals)
                  for b in seals[i + 1:] if circles_touch(a, b)]


def _rows(seals: list[Blob]) -> list[list[Blob]]:
    rows: list[list[Blob]] = []
    for seal in seals:
        if rows and abs(rows[-1][0].cy - seal.cy) <= POS_TOL:
            rows[-1].append(seal)
        else:
            rows.append([seal])
    return rows


def _seal_gap_faults(pdf: Pdf, data: dict, seals: list[Blob], page: int) -> list[str]:
    """The (first row of) seals' top within one line below the last line of the body or 附件说明."""
    last = last_text_line(pdf, data)
    if last is None or last.page != page:
        return [f"the seals on page {page} have no body text above them on the page (seal and date alone)"]
    gap = min(s.y0 for s in seals) - last.mm("y1")
    if -EDGE_TOL <= gap <= LINE_MM:
        return []
    return [f"seal top below the last body line: {gap:.2f} mm, want 0 to {LINE_MM:.1f} mm (within one line)"]


def _side_by_side(names: list[Line]) -> list[str]:
    out = []
    for a, b in zip(names, names[1:]):
        same_row = abs(a.centre()[1] - b.centre()[1]) <= POS_TOL
        if same_row and b.mm("x0") <= a.mm("x1"):
            out.append(f"署名 {b.text!r} not right of {a.text!r} (agency order, side by side)")
    return out


def _seal_on(seal: Blob, line: Line, what: str, centred: bool = True) -> list[str]:
    """A seal covers the text, centred on it horizontally, the text's centre a little below the seal's.

    With a 代章 line under a single name (centred False for the name), the name need only lie under the
    seal: the 代章 line and the date then sit below the seal's centre.
    """
    x, y = line.centre()
    box = Blob(line.mm("x0"), line.mm("y0"), line.mm("x1"), line.mm("y1"))
    out = [] if overlaps(seal, box) else [f"{what} {line.text!r} is not under a seal"]
    if what == "署名":
        out += near(f"seal centre x on the {what} {line.text!r}", seal.cx, x, POS_TOL)
    if centred and not seal.cy < y < seal.y1:
        out.append(f"{what} {line.text!r} centre y {y:.1f} mm: want below the seal centre {seal.cy:.1f} mm, "
                   f"above its bottom {seal.y1:.1f} mm")
    return out


# --- 代章 -------------------------------------------------------------------------------------
def pdf_proxy_seal(pdf_path: Path, fmt: str, data: dict) -> list[str]:
    """代章: `（…代章）` on the line right under the (last) signature name."""
    if not data.get("proxy_seal"):
        return []
    pdf = load_pdf(pdf_path)
    names, proxy = _signature_lines(pdf, data)[0], lines_of(pdf, data, "proxy_seal")
    if not names or not proxy:
        return ["代章 line or the signature above it not found in the PDF"]
    return _next_line(names[-1], proxy[0])


# --- 签发人签名章 (命令) ------------------------------------------------------------------------
def pdf_signed_by(pdf_path: Path, fmt: str, data: dict) -> list[str]:
    """Stamp right-indented 4 characters, two lines under the body; title 2 characters left, centred on it;
    the date one blank line under the stamp, right-indented 4 characters."""
    if not data.get("signed_by"):
        return []
    pdf = load_pdf(pdf_path)
    titles = [lines[0] for _, lines in all_of(pdf, data, "signer_title") if lines]
    date, last = lines_of(pdf, data, "date"), last_text_line(pdf, data)
    if len(titles) != len(data["signed_by"]) or not date or last is None:
        return ["签发人 title, date or body not found in the PDF"]
    stamps = [b for b in red_blobs(red_mask(pdf.raster(titles[0].page)), titles[0].mm("y0") - LINE_MM)
              if b.y1 < date[0].mm("y1")]
    if len(stamps) != len(titles):
        return [f"found {len(stamps)} red signature stamps beside the titles, want {len(titles)}"]
    out = near("签发人 title line below the body (two blank lines)", titles[0].mm("y0") - last.mm("y0"),
               3 * LINE_MM, LINE_MM / 2)
    out += [f for stamp, title in zip(stamps, titles) for f in _stamp_faults(stamp, title)]
    return out + _stamp_date_faults(stamps[-1], date[0])


def _stamp_faults(stamp: Blob, title: Line) -> list[str]:
    out = near("signature stamp right edge (4 characters from the right margin)", stamp.x1,
               TEXT_RIGHT - 4 * CHAR_MM, POS_TOL)
    out += near(f"title {title.text!r} right edge (2 characters left of the stamp)", title.mm("x1"),
                stamp.x0 - 2 * CHAR_MM, POS_TOL)
    return out + near(f"title {title.text!r} centre y on the stamp", title.centre()[1], stamp.cy, POS_TOL)


def _stamp_date_faults(stamp: Blob, date: Line) -> list[str]:
    out = near("成文日期 right edge (4 characters from the right margin)", date.mm("x1"),
               TEXT_RIGHT - 4 * CHAR_MM, POS_TOL)
    gap = date.mm("y0") - stamp.y1
    if LINE_MM / 2 <= gap <= 1.5 * LINE_MM:
        return out
    return out + [f"成文日期 below the signature stamp: {gap:.2f} mm, want one blank line "
                  f"({LINE_MM / 2:.1f} to {1.5 * LINE_MM:.1f} mm)"]


def signature_figures(pdf_path: Path, data: dict) -> dict:
    """Return the measured signatory figures (mm) for reporting: seals, names, date, body's last line."""
    pdf = load_pdf(pdf_path)
    names, date = _signature_lines(pdf, data)
    last = last_text_line(pdf, data)
    seals = seal_blobs(pdf, date.page) if date else []
    box = (lambda ln: tuple(round(v, 1) for v in (ln.mm("x0"), ln.mm("y0"), ln.mm("x1"), ln.mm("y1"))))
    return {"names": [(n.text, box(n)) for n in names], "date": box(date) if date else None,
            "last_body_line": box(last) if last else None,
            "seals": [tuple(round(v, 1) for v in (s.x0, s.y0, s.x1, s.y1)) for s in seals]}
