"""Check the 版头 on the rendered first page for each format: mark position, joint marks, red lines, 令号, 签发人."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from .expected import mark_lines, signer_lines
from .pdf_match import lines_of, matched_lines
from .findings import Finding
from .pdf_model import Line, Pdf, Rule, dark_mask, ink_columns, ink_rows, load_pdf, red_mask, rules
from .standard import (near, DOC_MARK_TOL, DOC_MARK_TOP, FACE_TOL, LEFT, LETTER_BOTTOM_LINE, LETTER_LINE_X,
                       LETTER_MARK_TOP, LETTER_NUMBER_DROP, LINE_MM, LINE_PITCH, MARK_TOL, MINUTES_MARK_TOP,
                       ORDER_MARK_TOP, PAGE_H, POS_TOL, PX_PER_MM, RULE_GAP, TEXT_CENTRE, TEXT_RIGHT)

MARK_TOPS = {"信函格式": (LETTER_MARK_TOP, MARK_TOL), "文件格式": (DOC_MARK_TOP, DOC_MARK_TOL),
             "命令格式": (ORDER_MARK_TOP, DOC_MARK_TOL), "纪要格式": (MINUTES_MARK_TOP, DOC_MARK_TOL)}


def pdf_head(pdf_path: Path, fmt: str, data: dict) -> list[Finding]:
    """版头 on page 1: mark position per format, red lines, 发文字号 (令号) position."""
    pdf = load_pdf(pdf_path)
    number = lines_of(pdf, data, "number")
    red, dark = red_mask(pdf.raster(1)), dark_mask(pdf.raster(1))
    if fmt == "命令格式":
        return order_head(pdf, data, red)
    if fmt == "纪要格式":
        return _mark_faults(red, head_limit(pdf, data), *MARK_TOPS[fmt])
    if not number:
        return [Finding("missing", "number", f"PDF 中未找到发文字号“{data['number']}”", page=1, want=str(data["number"]))]
    if fmt == "信函格式":
        return letter_head(red, number[0], dark)
    above = len(signer_lines(data)) - 1 if data.get("signers") else 0  # 签发人 lines above the number's
    return document_head(red, number[0], dark, centred=not data.get("signers"), lines_above=above)


def head_limit(pdf: Pdf, data: dict) -> float:
    """Return the y (mm) of the first text line under the mark on page 1 (number, title or body)."""
    tops = [lines[0].mm("y0") for _, lines in matched_lines(pdf, data) if lines and lines[0].page == 1]
    return min(tops) if tops else PAGE_H / 2


def _mark_faults(red: Image.Image, above_mm: float, want_top: float, tol: float) -> list[Finding]:
    ink = ink_rows(red, 0, above_mm)
    if ink is None:
        return [Finding("missing", "mark", "首页第一行文字上方未找到红色发文机关标志", page=1, want="红色发文机关标志")]
    out = near("position", "mark", "发文机关标志上边缘", ink[0], want_top, tol, page=1)
    cols = ink_columns(red, ink[0], ink[1])
    return out + near("position", "mark", "发文机关标志的水平中心", (cols[0] + cols[1]) / 2, TEXT_CENTRE, POS_TOL, page=1)


def letter_head(red: Image.Image, number: Line, dark: Image.Image) -> list[Finding]:
    """信函格式: mark top 30 mm; double lines 4 mm under it (thick over thin) and at 277 mm (thin over thick)."""
    lines = rules(red)
    top, bottom = [r for r in lines if r.y < PAGE_H / 2], [r for r in lines if r.y >= PAGE_H / 2]
    if len(top) != 2 or len(bottom) != 2:
        return [Finding("count", "red_line", f"信函格式应在发文机关标志下有 2 条、页面下方有 2 条红色线，实为 {len(top)} 条"
                        f"和 {len(bottom)} 条", page=1, found=f"{len(top)} + {len(bottom)} 条", want="2 + 2 条")]
    ink = ink_rows(red, 0, top[0].top)
    out = _mark_faults(red, top[0].top, LETTER_MARK_TOP, MARK_TOL)
    out += near("spacing", "red_line", "上方红色双线与发文机关标志的距离", top[0].top - ink[1], RULE_GAP, POS_TOL,
                page=1) if ink else []
    out += _pair_faults("上方红色双线", top, thick_first=True)
    out += _pair_faults("下方红色双线", bottom, thick_first=False)
    out += near("position", "red_line", "下方红色双线（粗线）的中心", bottom[1].y, LETTER_BOTTOM_LINE, POS_TOL, page=1)
    out += near("position", "number", "发文字号右边缘", number.mm("x1"), TEXT_RIGHT, POS_TOL, page=1)
    if number.mm("y0") <= top[1].bottom:
        return out + [Finding("position", "number", f"发文字号上边缘（{number.mm('y0'):.1f} 毫米）不在红色双线"
                              f"（{top[1].bottom:.1f} 毫米）之下", page=1, found=f"{number.mm('y0'):.1f} 毫米",
                              want=f"> {top[1].bottom:.1f} 毫米")]
    ink = ink_rows(dark, top[1].bottom, number.mm("y1"))
    return out + near("spacing", "number", "发文字号与上方红色双线的距离", ink[0] - top[1].bottom, LETTER_NUMBER_DROP,
                      POS_TOL, page=1)


def _pair_faults(what: str, pair: list[Rule], thick_first: bool) -> list[Finding]:
    out = []
    for rule in pair:
        out += near("position", "red_line", f"{what}左端", rule.x0, LETTER_LINE_X[0], POS_TOL, page=1)
        out += near("position", "red_line", f"{what}右端", rule.x1, LETTER_LINE_X[1], POS_TOL, page=1)
    thick, thin = (pair[0], pair[1]) if thick_first else (pair[1], pair[0])
    if thick.thickness <= thin.thickness:
        order = "上粗下细" if thick_first else "上细下粗"
        found = f"{pair[0].thickness:.2f} / {pair[1].thickness:.2f} 毫米"
        out.append(Finding("rule_width", "red_line", f"{what}应{order}，自上而下实测为 {found}", page=1, found=found,
                           want=order))
    return out


def document_head(red: Image.Image, number: Line, dark: Image.Image, centred: bool = True,
                  lines_above: int = 0) -> list[Finding]:
    """文件格式: mark top 72 mm; 发文字号 two lines under it; red separator 4 mm under the 发文字号 across the 版心.

    lines_above counts the 签发人 lines standing above the number's own line (three or more 签发人).
    """
    below = [r for r in rules(red) if r.top > number.mm("y0")]
    if not below:
        return [Finding("missing", "red_line", "文件格式的发文字号下方未找到红色分隔线", page=1, want="红色分隔线")]
    sep = below[0]
    out = _mark_faults(red, number.mm("y0"), DOC_MARK_TOP, DOC_MARK_TOL)
    out += two_lines_below("number", "发文字号", red, number, lines_above)
    ink = ink_rows(dark, number.mm("y0"), sep.top)
    out += near("spacing", "red_line", "红色分隔线与发文字号的距离", sep.top - ink[1], RULE_GAP, POS_TOL, page=1) \
        if ink else [Finding("missing", "number", "红色分隔线上方未找到发文字号的字迹", page=1, want="发文字号")]
    out += near("position", "red_line", "红色分隔线左端", sep.x0, LEFT, POS_TOL, page=1)
    out += near("position", "red_line", "红色分隔线右端", sep.x1, TEXT_RIGHT, POS_TOL, page=1)
    centre = (number.mm("x0") + number.mm("x1")) / 2
    return out + (near("position", "number", "发文字号的水平中心", centre, TEXT_CENTRE, POS_TOL, page=1) if centred else [])


def two_lines_below(element: str, what: str, red: Image.Image, line: Line, lines_above: int = 0) -> list[Finding]:
    """A line two blank lines under the mark (after lines_above more): its top 2 to 3 lines below the mark's ink."""
    ink = ink_rows(red, 0, line.mm("y0"))
    if ink is None:
        return [Finding("missing", "mark", f"{what}上方未找到红色发文机关标志", page=line.page, want="红色发文机关标志")]
    gap = line.mm("y0") - ink[1] - lines_above * LINE_MM
    if 2 * LINE_MM - POS_TOL <= gap < 3 * LINE_MM:
        return []
    want = f"{2 * LINE_MM - POS_TOL:.1f}–{3 * LINE_MM:.1f} 毫米"
    return [Finding("spacing", element, f"{what}与发文机关标志的距离为 {gap:.2f} 毫米，应空二行（{want}）",
                    page=line.page, found=f"{gap:.2f} 毫米", want=want)]


def order_head(pdf: Pdf, data: dict, red: Image.Image) -> list[Finding]:
    """命令格式: mark top 57 mm; 令号 centred two lines below it; body two lines below the 令号; no red rule."""
    number, out = lines_of(pdf, data, "number"), []
    out += [Finding("extra", "red_line", f"命令格式的版头在 {r.y:.1f} 毫米处有红色线，命令不加分隔线", page=1,
                    found=f"{r.y:.1f} 毫米", want="无红色线") for r in rules(red)]
    if not number:
        return out + _mark_faults(red, head_limit(pdf, data), *MARK_TOPS["命令格式"]) + \
            [Finding("missing", "number", "PDF 中未找到令号", page=1, want="令号")]
    number = number[0]
    out += _mark_faults(red, number.mm("y0"), *MARK_TOPS["命令格式"]) + two_lines_below("number", "令号", red, number)
    out += near("position", "number", "令号的水平中心", number.centre()[0], TEXT_CENTRE, POS_TOL, page=number.page)
    first = next((lines[0] for item, lines in matched_lines(pdf, data)
                  if item.kind in ("title", "addressee", "body") and lines), None)
    if first is None:
        return out + [Finding("missing", "body", "命令格式的令号之后未找到正文", page=1, want="正文")]
    gap = first.y0 - number.y0
    return out + near("spacing", "body", "正文首行与令号的距离（空二行）", gap, 3 * LINE_PITCH, FACE_TOL, "pt",
                      page=first.page)


# --- joint marks (联合行文) -----------------------------------------------------------------
def pdf_joint_mark(pdf_path: Path, fmt: str, data: dict) -> list[Finding]:
    """Joint mark: the names stacked, each centred on the stack; the word right of it, centred vertically."""
    names, word = mark_lines(fmt, data)
    if len(names) < 2:
        return []
    pdf = load_pdf(pdf_path)
    red = red_mask(pdf.raster(1))
    ink = ink_rows(red, 0, head_limit(pdf, data))
    if ink is None:
        return [Finding("missing", "mark", "首页未找到红色发文机关标志", page=1, want="红色发文机关标志")]
    grid = np.asarray(red.crop((0, int(ink[0] * PX_PER_MM), red.width, int(ink[1] * PX_PER_MM)))) > 0
    split = _word_split(grid) if word else None
    if word and split is None:
        return [Finding("missing", "mark", f"联合发文机关标志的机关名称右侧未找到“{word}”（红色字迹间没有明显的空隙）",
                        page=1, want=word)]
    stack = grid[:, :split] if split else grid
    return _stack_faults(stack, ink[0], len(names)) + (_word_faults(grid, split, ink[0], word) if split else [])


def _runs(profile: np.ndarray, min_gap: int = 1) -> list[tuple[int, int]]:
    """Return the [start, end) runs of True in a 1-D profile, joining runs split by gaps under min_gap."""
    idx = np.flatnonzero(profile)
    if not idx.size:
        return []
    runs = [[idx[0], idx[0] + 1]]
    for i in idx[1:]:
        if i - runs[-1][1] < min_gap:
            runs[-1][1] = i + 1
        else:
            runs.append([i, i + 1])
    return [(a, b) for a, b in runs]


def _word_split(grid: np.ndarray) -> int | None:
    """Return the column where the word starts: the middle of the widest ink gap (at least 1 mm)."""
    runs = _runs(grid.any(axis=0))
    gaps = [(b2 - a1, a1, b2) for (_, a1), (b2, _) in zip(runs, runs[1:])]
    if not gaps or max(gaps)[0] < PX_PER_MM:
        return None
    _, end, start = max(gaps)
    return (end + start) // 2


def _stack_faults(stack: np.ndarray, top_mm: float, count: int) -> list[Finding]:
    rows = _runs(stack.any(axis=1), min_gap=2)
    if len(rows) != count:
        return [Finding("count", "mark", f"联合发文机关标志有 {len(rows)} 行红色机关名称，应为 {count} 行", page=1,
                        found=f"{len(rows)} 行", want=f"{count} 行")]
    centres = []
    for a, b in rows:
        cols = np.flatnonzero(stack[a:b].any(axis=0))
        centres.append((cols[0] + cols[-1] + 1) / 2 / PX_PER_MM)
    spread = max(centres) - min(centres)
    found = "、".join(f"{c:.1f}" for c in centres) + " 毫米"
    return [] if spread <= POS_TOL else \
        [Finding("alignment", "mark", f"联合发文机关标志的各机关名称未相互居中（中心分别在 {found}）", page=1,
                 found=found, want="各行中心相同")]


def _word_faults(grid: np.ndarray, split: int, top_mm: float, word: str) -> list[Finding]:
    stack_rows = np.flatnonzero(grid[:, :split].any(axis=1))
    word_rows = np.flatnonzero(grid[:, split:].any(axis=1))
    stack_mid = top_mm + (stack_rows[0] + stack_rows[-1] + 1) / 2 / PX_PER_MM
    word_mid = top_mm + (word_rows[0] + word_rows[-1] + 1) / 2 / PX_PER_MM
    return near("alignment", "mark", f"“{word}”的垂直中心（应与各机关名称整体的中心齐平）", word_mid, stack_mid, POS_TOL,
                page=1)


def mark_figures(pdf_path: Path, fmt: str, data: dict) -> dict:
    """Return the mark's ink box (mm) and, for a joint mark, the stack and word split (for reporting)."""
    pdf = load_pdf(pdf_path)
    red = red_mask(pdf.raster(1))
    ink = ink_rows(red, 0, head_limit(pdf, data))
    cols = ink_columns(red, *ink) if ink else None
    return {"mark_rows": ink, "mark_cols": cols}
