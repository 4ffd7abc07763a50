"""Check the signatory part on the rendered page: 署名 and 成文日期, seals, joint names, 代章 and signature stamps."""

from __future__ import annotations

from pathlib import Path

from .expected import signature_names
from .findings import Finding
from .pdf_ink import Blob, circles_touch, overlaps, red_blobs
from .pdf_match import all_of, last_text_line, lines_of
from .pdf_model import Line, Pdf, load_pdf, red_mask
from .standard import (CHAR_MM, FACE_TOL, LEFT, LINE_MM, LINE_PITCH, POS_TOL, SEAL_ROUND_TOL, SEAL_SIZE,
                       SEALS_PER_ROW, TEXT_RIGHT, figure, near)

EDGE_TOL = 0.5  # mm: ink against a text box edge (glyph side bearings)


def pdf_signature(pdf_path: Path, fmt: str, data: dict) -> list[Finding]:
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


NOT_FOUND = Finding("missing", "signature", "PDF 中未找到署名或成文日期", want="署名、成文日期")


def pdf_single_signature(pdf_path: Path, fmt: str, data: dict) -> list[Finding]:
    """署名 right-indented 2 characters; 成文日期 starts 2 characters right of the name (± ½ character)."""
    names, date = _signature_lines(load_pdf(pdf_path), data)
    if not names or not date:
        return [NOT_FOUND]
    return _date_under_name(names[0], date)


def _date_under_name(name: Line, date: Line) -> list[Finding]:
    tol, right, page = CHAR_MM / 2, TEXT_RIGHT - 2 * CHAR_MM, date.page
    if date.mm("x1") - date.mm("x0") > name.mm("x1") - name.mm("x0") - 2 * CHAR_MM + tol:  # the longer-date rule
        out = near("position", "date", "成文日期右边缘（日期长于署名时右空二字）", date.mm("x1"), right, tol, page=page)
        return out + near("position", "signature", "署名起点（在成文日期起点左二字）", name.mm("x0"),
                          date.mm("x0") - 2 * CHAR_MM, tol, page=name.page)
    out = near("position", "signature", "署名右边缘（右空二字）", name.mm("x1"), right, tol, page=name.page)
    return out + near("position", "date", "成文日期起点（在署名首字右二字）", date.mm("x0"), name.mm("x0") + 2 * CHAR_MM,
                      tol, page=page)


def pdf_joint_signature(pdf_path: Path, fmt: str, data: dict) -> list[Finding]:
    """Joint, no seal: the lead name right-indented 2 characters (unless the date is longer), the others each on
    the next line, then the date placed against the lead name as for one agency."""
    want = signature_names(data)
    if len(want) < 2 or data.get("seals") or data.get("signed_by"):
        return []
    names, date = _signature_lines(load_pdf(pdf_path), data)
    if len(names) != len(want) or not date:
        return [Finding("missing", "signature", f"联合署名只找到 {len(names)} 个（应为 {len(want)} 个），"
                        f"{'找到' if date else '未找到'}成文日期", found=f"{len(names)} 个署名", want=f"{len(want)} 个署名")]
    tol, edge = CHAR_MM / 2, TEXT_RIGHT - 2 * CHAR_MM
    longer = date.mm("x1") - date.mm("x0") > names[0].mm("x1") - names[0].mm("x0") - 2 * CHAR_MM + tol
    out = [] if longer else near("position", "signature", "主办机关署名右边缘（右空二字）", names[0].mm("x1"), edge, tol,
                                 page=names[0].page)
    out += [Finding("position", "signature", f"署名“{n.text}”右边缘在 {n.mm('x1'):.1f} 毫米，超出右空二字的位置",
                    page=n.page, found=f"{n.mm('x1'):.1f} 毫米", want=f"≤ {figure(edge)} 毫米")
            for n in names[1:] if n.mm("x1") > edge + CHAR_MM / 2]
    following = names[1:] + ([date] if not data.get("proxy_seal") else [])
    out += [f for a, b in zip(names, following) for f in _next_line(a, b, "date" if b is date else "signature")]
    return out + [f for f in _date_under_name(names[0], date) if longer or f.element != "signature"]


def _next_line(a: Line, b: Line, element: str) -> list[Finding]:
    if a.page != b.page:
        return [Finding("wrong_page", element, f"“{b.text}”在第{b.page}页，其上一行“{a.text}”在第{a.page}页",
                        page=b.page, found=f"第 {b.page} 页", want=f"第 {a.page} 页")]
    return near("spacing", element, f"“{b.text}”与上一行“{a.text}”的距离（应紧接下一行）", b.y0 - a.y0, LINE_PITCH,
                FACE_TOL, "pt", page=b.page)


# --- seals ----------------------------------------------------------------------------------
def seal_blobs(pdf: Pdf, page: int) -> list[Blob]:
    """Return the round red blobs of seal size on a page, in rows top to bottom, left to right."""
    low, high = SEAL_SIZE
    return [b for b in red_blobs(red_mask(pdf.raster(page)))
            if low <= b.width <= high and low <= b.height <= high]


def pdf_seals(pdf_path: Path, fmt: str, data: dict) -> list[Finding]:
    """Seals: one per name, centred on it (the last also over the date), below the body, apart, in the 版心."""
    if not data.get("seals"):
        return []
    pdf = load_pdf(pdf_path)
    names, date = _signature_lines(pdf, data)
    if not names or not date:
        return [NOT_FOUND]
    seals, page = seal_blobs(pdf, date.page), date.page
    if len(seals) != len(data["seals"]):
        return [Finding("count", "seal", f"第{page}页有 {len(seals)} 个圆形红色印章，应为 {len(data['seals'])} 个",
                        page=page, found=f"{len(seals)} 个", want=f"{len(data['seals'])} 个")] + _merged_seals(pdf, page)
    out = _seal_shape_faults(seals, page) + _seal_gap_faults(pdf, data, seals, page)
    out += near("position", "date", "成文日期右边缘（右空四字）", date.mm("x1"), TEXT_RIGHT - 4 * CHAR_MM, POS_TOL,
                page=page)
    if len(names) == 1:
        out += near("position", "signature", "署名的水平中心（应以成文日期为准居中）", names[0].centre()[0],
                    date.centre()[0], POS_TOL, page=page)
    else:
        out += _side_by_side(names)
    paired = [min(seals, key=lambda s, n=name: abs(s.cx - n.centre()[0]) + abs(s.cy - n.centre()[1]))
              for name in names]
    out += [Finding("seal_cover", "seal", f"署名“{a.text}”与“{b.text}”共用一个印章，应各盖一个", page=page,
                    found="共用一个印章", want="每个署名一个印章") for i, a in enumerate(names) for b in names[i + 1:]
            if paired[names.index(a)] is paired[names.index(b)]]
    proxy = lines_of(pdf, data, "proxy_seal") if len(names) == 1 else None
    out += [f for seal, name in zip(paired, names) for f in _seal_on(seal, name, "署名", centred=not proxy)]
    if proxy:  # a 代章 line between name and date: it and the date are what the seal's lower half presses
        out += _seal_on(paired[-1], proxy[0], "代章")
    return out + _seal_on(paired[-1], date, "成文日期")


def _merged_seals(pdf: Pdf, page: int) -> list[Finding]:
    """Report red blobs larger than one seal: seals that touch or overlap merge into one."""
    return [Finding("overlap", "seal", f"印章相互接触，连成一块 {b.width:.1f} × {b.height:.1f} 毫米的红色区域"
                    f"（横跨 {b.x0:.1f}–{b.x1:.1f} 毫米）", page=page, found=f"{b.width:.1f} × {b.height:.1f} 毫米",
                    want="各印章互不相交")
            for b in red_blobs(red_mask(pdf.raster(page))) if max(b.width, b.height) > SEAL_SIZE[1]]


def _seal_shape_faults(seals: list[Blob], page: int) -> list[Finding]:
    out = [Finding("shape", "seal", f"位于（{s.cx:.1f}, {s.cy:.1f}）毫米的印章不圆：{s.width:.1f} × {s.height:.1f} 毫米",
                   page=page, found=f"{s.width:.1f} × {s.height:.1f} 毫米", want="圆形")
           for s in seals if abs(s.width - s.height) > SEAL_ROUND_TOL]
    out += [Finding("outside_text_area", "seal", f"位于（{s.cx:.1f}, {s.cy:.1f}）毫米的印章横跨 {s.x0:.1f}–{s.x1:.1f} 毫米，"
                    f"超出版心（{LEFT:g}–{TEXT_RIGHT:g} 毫米）", page=page, found=f"{s.x0:.1f}–{s.x1:.1f} 毫米",
                    want=f"{LEFT:g}–{TEXT_RIGHT:g} 毫米")
            for s in seals if s.x0 < LEFT - EDGE_TOL or s.x1 > TEXT_RIGHT + EDGE_TOL]
    out += [Finding("count", "seal", f"一排有 {len(r)} 个印章，每排最多 {SEALS_PER_ROW} 个", page=page,
                    found=f"{len(r)} 个", want=f"≤ {SEALS_PER_ROW} 个") for r in _rows(seals) if len(r) > SEALS_PER_ROW]
    return out + [Finding("overlap", "seal", f"横向位于 {a.cx:.1f} 和 {b.cx:.1f} 毫米的两个印章相互接触", page=page,
                          found="相互接触", want="各印章互不相交")
                  for i, a in enumerate(seals) for b in seals[i + 1:] if circles_touch(a, b)]


def _rows(seals: list[Blob]) -> list[list[Blob]]:
    rows: list[list[Blob]] = []
    for seal in seals:
        if rows and abs(rows[-1][0].cy - seal.cy) <= POS_TOL:
            rows[-1].append(seal)
        else:
            rows.append([seal])
    return rows


def _seal_gap_faults(pdf: Pdf, data: dict, seals: list[Blob], page: int) -> list[Finding]:
    """The (first row of) seals' top within one line below the last line of the body or 附件说明."""
    last = last_text_line(pdf, data)
    if last is None or last.page != page:
        return [Finding("wrong_page", "seal", f"第{page}页的印章上方没有正文（印章和成文日期独占一页）", page=page,
                        found="印章上方无正文", want="与正文同页")]
    gap = min(s.y0 for s in seals) - last.mm("y1")
    if -EDGE_TOL <= gap <= LINE_MM:
        return []
    want = f"0–{LINE_MM:.1f} 毫米"
    return [Finding("spacing", "seal", f"印章上边缘距正文末行 {gap:.2f} 毫米，应在一行之内（{want}）", page=page,
                    found=f"{gap:.2f} 毫米", want=want)]


def _side_by_side(names: list[Line]) -> list[Finding]:
    out = []
    for a, b in zip(names, names[1:]):
        same_row = abs(a.centre()[1] - b.centre()[1]) <= POS_TOL
        if same_row and b.mm("x0") <= a.mm("x1"):
            out.append(Finding("order", "signature", f"署名“{b.text}”不在“{a.text}”右侧（应按发文机关顺序并排）",
                               page=b.page, found=f"“{b.text}”在左", want=f"“{a.text}”在左"))
    return out


def _seal_on(seal: Blob, line: Line, what: str, centred: bool = True) -> list[Finding]:
    """A seal covers the text, centred on it horizontally, the text's centre a little below the seal's.

    With a 代章 line under a single name (centred False for the name), the name need only lie under the
    seal: the 代章 line and the date then sit below the seal's centre.
    """
    x, y = line.centre()
    box = Blob(line.mm("x0"), line.mm("y0"), line.mm("x1"), line.mm("y1"))
    out = [] if overlaps(seal, box) else [Finding("seal_cover", "seal", f"{what}“{line.text}”未压在印章下",
                                                  page=line.page, found="未压", want="印章压在其上")]
    if what == "署名":
        out += near("position", "seal", f"印章的水平中心（应以署名“{line.text}”居中）", seal.cx, x, POS_TOL,
                    page=line.page)
    if centred and not seal.cy < y < seal.y1:
        want = f"{seal.cy:.1f}–{seal.y1:.1f} 毫米"
        out.append(Finding("seal_cover", "seal", f"{what}“{line.text}”的中心高度为 {y:.1f} 毫米，应在印章中心与下边缘之间"
                           f"（{want}），即印章下压{what}", page=line.page, found=f"{y:.1f} 毫米", want=want))
    return out


# --- 代章 -------------------------------------------------------------------------------------
def pdf_proxy_seal(pdf_path: Path, fmt: str, data: dict) -> list[Finding]:
    """代章: `（…代章）` on the line right under the (last) signature name."""
    if not data.get("proxy_seal"):
        return []
    pdf = load_pdf(pdf_path)
    names, proxy = _signature_lines(pdf, data)[0], lines_of(pdf, data, "proxy_seal")
    if not names or not proxy:
        return [Finding("missing", "signature", "PDF 中未找到代章一行或其上的署名", want="署名、代章")]
    return _next_line(names[-1], proxy[0], "signature")


# --- 签发人签名章 (命令) ------------------------------------------------------------------------
def pdf_signed_by(pdf_path: Path, fmt: str, data: dict) -> list[Finding]:
    """Stamp right-indented 4 characters, two lines under the body; title 2 characters left, centred on it;
    the date one blank line under the stamp, right-indented 4 characters."""
    if not data.get("signed_by"):
        return []
    pdf = load_pdf(pdf_path)
    titles = [lines[0] for _, lines in all_of(pdf, data, "signer_title") if lines]
    date, last = lines_of(pdf, data, "date"), last_text_line(pdf, data)
    if len(titles) != len(data["signed_by"]) or not date or last is None:
        return [Finding("missing", "signature", "PDF 中未找到签发人职务、成文日期或正文", want="职务、成文日期、正文")]
    page = titles[0].page
    stamps = [b for b in red_blobs(red_mask(pdf.raster(page)), titles[0].mm("y0") - LINE_MM)
              if b.y1 < date[0].mm("y1")]
    if len(stamps) != len(titles):
        return [Finding("count", "seal", f"职务旁有 {len(stamps)} 个红色签名章，应为 {len(titles)} 个", page=page,
                        found=f"{len(stamps)} 个", want=f"{len(titles)} 个")]
    out = near("spacing", "signature", "签发人职务与正文末行的距离（空二行）", titles[0].mm("y0") - last.mm("y0"),
               3 * LINE_MM, LINE_MM / 2, page=page)
    out += [f for stamp, title in zip(stamps, titles) for f in _stamp_faults(stamp, title)]
    return out + _stamp_date_faults(stamps[-1], date[0])


def _stamp_faults(stamp: Blob, title: Line) -> list[Finding]:
    page = title.page
    out = near("position", "seal", "签名章右边缘（右空四字）", stamp.x1, TEXT_RIGHT - 4 * CHAR_MM, POS_TOL, page=page)
    out += near("position", "signature", f"职务“{title.text}”右边缘（在签名章左二字）", title.mm("x1"),
                stamp.x0 - 2 * CHAR_MM, POS_TOL, page=page)
    return out + near("alignment", "signature", f"职务“{title.text}”的中心高度（应与签名章中心齐平）", title.centre()[1],
                      stamp.cy, POS_TOL, page=page)


def _stamp_date_faults(stamp: Blob, date: Line) -> list[Finding]:
    out = near("position", "date", "成文日期右边缘（右空四字）", date.mm("x1"), TEXT_RIGHT - 4 * CHAR_MM, POS_TOL,
               page=date.page)
    gap = date.mm("y0") - stamp.y1
    if LINE_MM / 2 <= gap <= 1.5 * LINE_MM:
        return out
    want = f"{LINE_MM / 2:.1f}–{1.5 * LINE_MM:.1f} 毫米"
    return out + [Finding("spacing", "date", f"成文日期与签名章的距离为 {gap:.2f} 毫米，应空一行（{want}）",
                          page=date.page, found=f"{gap:.2f} 毫米", want=want)]


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
