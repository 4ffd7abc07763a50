"""Draw status.pdf: the counts of a consolidation, a bar chart per category, missing units and a problem summary."""

from __future__ import annotations

import io
from collections import Counter, defaultdict

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from ..core.problems import SEVERITY_LABELS, label
from ..forms.columns import CONTACT_TITLE
from ..pdf.fonts import cjk_fonts
from .records import UNMATCHED
from .report import ERRORS, MISSING, UNIT_STATUS_LABELS

MARGIN = 20 * mm
WIDTH, HEIGHT = A4
TEXT_WIDTH = WIDTH - 2 * MARGIN
TITLE_SIZE, HEADING_SIZE, BODY_SIZE, SMALL_SIZE = 18, 13, 10.5, 8.5  # points
LEADING = 1.5  # line height, in font sizes
CHART_HEIGHT = 62 * mm
NARROW_BAR = 4 * mm  # a bar narrower than this is labelled only when it has a value
LABEL_SIZES = (BODY_SIZE, SMALL_SIZE, 7)  # a category's name under its bars shrinks to fit its slot
COLOURS = {"ok": "#4E9A06", "errors": "#F57900", "missing": "#A0A0A0"}
SERIES = tuple((key, UNIT_STATUS_LABELS[key], colors.HexColor(colour)) for key, colour in COLOURS.items())
MAX_LISTED = 40


class Page:
    """Write lines top-down on A4 pages, starting a new page when the next block does not fit."""

    def __init__(self, canvas: Canvas, fonts: dict[str, str]):
        self.canvas, self.fonts, self.y, self.number = canvas, fonts, HEIGHT - MARGIN, 1

    def room(self, height: float) -> None:
        """Start a new page unless height fits above the bottom margin."""
        if self.y - height < MARGIN:
            self.finish()
            self.y = HEIGHT - MARGIN

    def finish(self) -> None:
        """Number the current page at its foot and close it."""
        self.canvas.setFont(self.fonts["song"], SMALL_SIZE)
        self.canvas.drawCentredString(WIDTH / 2, MARGIN / 2, f"第 {self.number} 页")
        self.canvas.showPage()
        self.number += 1

    def line(self, text: str, size: float = BODY_SIZE, font: str = "song", indent: float = 0,
             centred: bool = False) -> None:
        """Draw one line of text below the current position."""
        self.room(size * LEADING)
        self.y -= size * LEADING
        self.canvas.setFont(self.fonts[font], size)
        x = (WIDTH - pdfmetrics.stringWidth(text, self.fonts[font], size)) / 2 if centred else MARGIN + indent
        self.canvas.drawString(x, self.y + size * 0.3, text)

    def paragraph(self, text: str, size: float = BODY_SIZE, indent: float = 0) -> None:
        """Draw text wrapped to the text width (character by character, as Chinese wraps)."""
        for part in wrap(text, self.fonts["song"], size, TEXT_WIDTH - indent):
            self.line(part, size, indent=indent)

    def heading(self, text: str) -> None:
        """Draw a section heading with some space above it."""
        self.room(HEADING_SIZE * 4)
        self.y -= HEADING_SIZE * 0.6
        self.line(text, HEADING_SIZE, "hei")


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Split text into lines no wider than width."""
    lines, current = [], ""
    for char in text:
        if current and pdfmetrics.stringWidth(current + char, font, size) > width:
            lines.append(current)
            current = ""
        current += char
    return lines + [current] if current else lines


def status_pdf(report, title: str = CONTACT_TITLE, nouns: dict | None = None,
               answered: dict[str, str] | None = None) -> bytes:
    """Return status.pdf for a roster Report of the form named title (reportlab, embedded TrueType CJK fonts,
    reproducible bytes); nouns say what the rows are (联系人/人 by default); answered, from the history, gives
    the date each unit first answered (a line per unit)."""
    fonts = cjk_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, pageCompression=1)
    heading, nouns = f"{title}回执汇总情况", nouns or {"entries": "联系人", "measure": "人"}
    canvas.setTitle(heading)
    page = Page(canvas, fonts)
    _counts(page, report.counts, heading, nouns)
    _chart(page, report.counts["categories"])
    _missing(page, report.units)
    _problems(page, report, nouns)
    if answered is not None:
        _answered(page, report.units, answered)
    page.finish()
    canvas.save()
    return buffer.getvalue()


def _counts(page: Page, counts: dict, heading: str, nouns: dict) -> None:
    units, files, problems = counts["units"], counts["files"], counts["problems"]
    for line in wrap(heading, page.fonts["hei"], TITLE_SIZE, TEXT_WIDTH):
        page.line(line, TITLE_SIZE, "hei", centred=True)
    page.y -= BODY_SIZE
    page.paragraph(f"应报单位 {units['total']} 个：已报 {units['ok']} 个，有问题 {units['errors']} 个，"
                   f"未报 {units['missing']} 个。")
    page.paragraph(f"收到文件 {files['total']} 个：已汇总 {files['used']} 个，"
                   f"未采用 {files['superseded']} 个（同一单位另有文件已汇总），对应不到单位 {files['unmatched']} 个，"
                   f"无法读取 {files['unreadable']} 个，忽略 {files['ignored']} 个。")
    page.paragraph(f"汇总{nouns['entries']} {counts['people']} {nouns['measure']}；发现问题 {problems['total']} 处"
                   f"（错误 {problems['error']} 处，警告 {problems['warning']} 处）。")


def _chart(page: Page, categories: dict[str, dict[str, int]]) -> None:
    """Draw grouped bars of 已报 / 有问题 / 未报 per category, with a legend and value labels."""
    names = list(categories)  # in the order they first appear in the recipients list
    page.heading("各类单位报送情况")
    page.room(CHART_HEIGHT + 14 * mm)
    top = page.y - 8 * mm
    bottom = top - CHART_HEIGHT
    peak = axis_top(max([n for c in names for n in categories[c].values()] + [1]))
    _legend(page, top + 2 * mm)
    _axis(page, bottom, top, peak)
    slot = (TEXT_WIDTH - 12 * mm) / max(len(names), 1)
    labels = [fit_label(name, page.fonts["song"], slot - 1 * mm) for name in names]
    numbered = None in labels  # a name too long for its slot: the bars are numbered and the names listed below
    for i, name in enumerate(names):
        label = (SMALL_SIZE, [str(i + 1)]) if numbered else labels[i]
        _group(page, MARGIN + 12 * mm + i * slot, slot, bottom, top - bottom, peak, label, categories[name])
    page.y = bottom - 10 * mm
    if numbered:
        page.paragraph("图中编号：" + "；".join(f"{i + 1} {name}" for i, name in enumerate(names)), SMALL_SIZE)


def axis_top(peak: int) -> int:
    """Return the value at the top of the axis: peak rounded up to five equal whole steps."""
    return 5 * max(1, -(-peak // 5))


def _legend(page: Page, y: float) -> None:
    canvas, x = page.canvas, MARGIN + 12 * mm
    canvas.setFont(page.fonts["song"], SMALL_SIZE)
    for _, name, colour in SERIES:
        canvas.setFillColor(colour)
        canvas.rect(x, y, 3 * mm, 3 * mm, stroke=0, fill=1)
        canvas.setFillColor(colors.black)
        canvas.drawString(x + 4 * mm, y + 0.5 * mm, name)
        x += 20 * mm


def _axis(page: Page, bottom: float, top: float, peak: int) -> None:
    canvas, left = page.canvas, MARGIN + 10 * mm
    canvas.setStrokeColor(colors.black)
    canvas.setLineWidth(0.6)
    canvas.line(left, bottom, MARGIN + TEXT_WIDTH, bottom)
    canvas.line(left, bottom, left, top)
    step = peak // 5
    canvas.setFont(page.fonts["song"], SMALL_SIZE)
    for value in range(0, peak + 1, step):
        y = bottom + (top - bottom) * value / peak
        canvas.line(left - 1 * mm, y, left, y)
        canvas.drawRightString(left - 1.5 * mm, y - SMALL_SIZE * 0.35, str(value))


def _group(page: Page, x: float, slot: float, bottom: float, height: float, peak: int, label: tuple[float, list[str]],
           counts: dict[str, int]) -> None:
    canvas = page.canvas
    bar = min(slot / 4.5, 12 * mm)
    start = x + (slot - 3 * bar) / 2
    for j, (key, _, colour) in enumerate(SERIES):
        size = height * counts[key] / peak
        canvas.setFillColor(colour)
        canvas.rect(start + j * bar, bottom, bar * 0.9, size, stroke=0, fill=1)
        canvas.setFillColor(colors.black)
        canvas.setFont(page.fonts["song"], SMALL_SIZE)
        if counts[key] or bar >= NARROW_BAR:  # zeros on narrow bars would run into each other
            canvas.drawCentredString(start + j * bar + bar * 0.45, bottom + size + 1 * mm, str(counts[key]))
    size, lines = label
    canvas.setFont(page.fonts["song"], size)
    for k, line in enumerate(lines):
        canvas.drawCentredString(x + slot / 2, bottom - 4 * mm - k * size * 1.15, line)


def fit_label(name: str, font: str, width: float) -> tuple[float, list[str]] | None:
    """Return the font size and the (at most two) lines a category's name takes under its bars, never wider than
    width (a smaller size first, then two lines), or None when it does not fit even so."""
    for size in LABEL_SIZES:
        lines = wrap(name, font, size, width) or [""]
        if len(lines) == 1 or (size == LABEL_SIZES[-1] and len(lines) == 2):
            return size, lines
    return None


def _missing(page: Page, units) -> None:
    missing = [u for u in units if u.status == MISSING]
    page.heading(f"未报单位（{len(missing)} 个）")
    if not missing:
        page.paragraph("所有单位均已报送。")
    groups = defaultdict(list)
    for unit in missing:
        groups[unit.category].append(unit.name)
    for category, names in groups.items():
        page.paragraph(f"{category}（{len(names)} 个）：" + "、".join(names))


def _answered(page: Page, units, answered: dict[str, str]) -> None:
    """List every unit with the date it first answered (from the history), or 未报."""
    page.heading(f"各单位首次报送日期（已报送 {sum(u.id in answered for u in units)} 个）")
    for unit in units:
        page.line(f"{unit.name}：{answered.get(unit.id, '未报')}", SMALL_SIZE, indent=4 * mm)


def _problems(page: Page, report, nouns: dict) -> None:
    page.heading(f"问题摘要（{len(report.problems)} 处）")
    if not report.problems:
        page.paragraph("没有发现问题。")
    tally = Counter((p.code, p.severity) for p in report.problems)
    for (code, severity), n in sorted(tally.items(), key=lambda item: (item[0][1], -item[1], item[0][0])):
        page.paragraph(f"{SEVERITY_LABELS[severity]}　{label(code)}（{code}）：{n} 处", indent=4 * mm)
    _problem_units(page, report, nouns)


def _problem_units(page: Page, report, nouns: dict) -> None:
    """List the units with errors and what is wrong, then the files that match no unit."""
    unit_of = {f.shown_path: f.unit_id for f in report.files if f.status != "superseded"}
    errors = defaultdict(Counter)
    for problem in report.problems:
        if problem.is_error and unit_of.get(problem.shown_path):
            errors[unit_of[problem.shown_path]][label(problem.code)] += 1
    flagged = [u for u in report.units if u.status == ERRORS]
    if flagged:
        page.heading(f"有问题的单位（{len(flagged)} 个）")
    for unit in flagged[:MAX_LISTED]:
        found = "、".join(f"{name} {n} 处" for name, n in errors[unit.id].items()) or "有较新的文件无法读取"
        page.paragraph(f"{unit.name}：{found}", indent=4 * mm)
    if len(flagged) > MAX_LISTED:
        page.paragraph(f"……另有 {len(flagged) - MAX_LISTED} 个，详见 roster.xlsx 的“问题”工作表", indent=4 * mm)
    _unmatched_files(page, report, nouns)


def _unmatched_files(page: Page, report, nouns: dict) -> None:
    unmatched = [f.shown_path for f in report.files if f.status == UNMATCHED]
    if unmatched:
        page.heading(f"对应不到单位的文件（{len(unmatched)} 个，其中的{nouns['entries']}已汇总）")
    for path in unmatched[:MAX_LISTED]:
        page.paragraph(path, indent=4 * mm)
    if len(unmatched) > MAX_LISTED:
        page.paragraph(f"……另有 {len(unmatched) - MAX_LISTED} 个，详见 roster.xlsx 的“文件”工作表", indent=4 * mm)
