"""Describe what the ruler finds as records: a stable code, the element, a Chinese message, what was found and wanted.

A finding is never raised: every check returns a list of them (empty when the document passes), and the
`check` stage prints or serialises them. Tests and tools read the fields (code, element, page, paragraph),
never the message.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

ERROR, WARNING = "error", "warning"
SEVERITY_LABELS = {ERROR: "错误", WARNING: "警告"}

# The parts of a document a finding can be about, with their Chinese names (the vocabulary).
ELEMENTS = {
    "page": "版面", "mark": "发文机关标志", "red_line": "红色分隔线", "number": "发文字号", "signer": "签发人",
    "title": "标题", "addressee": "主送机关", "body": "正文", "heading1": "一级标题", "heading2": "二级标题",
    "heading3": "三级标题", "heading4": "四级标题", "annex_note": "附件说明", "signature": "署名", "seal": "印章",
    "date": "成文日期", "note": "附注", "colophon": "版记", "cc": "抄送机关", "printer": "印发机关和印发日期",
    "page_number": "页码", "punctuation": "标点符号", "annex_label": "附件标识", "annex_title": "附件标题",
    "table": "表格", "fonts": "字体",
}


@dataclass(frozen=True)
class Finding:
    """Hold one departure from GB/T 9704: code, element, Chinese message, and where (page, paragraph).

    page is the 1-based page of the rendered PDF (0 when not measured on a page); paragraph the 1-based
    paragraph of the .docx body in reading order, table cells included (0 when not tied to one); found and
    want are the measured and the standard's values as a clerk reads them (18 磅, 2号（22 磅）).
    """

    code: str
    element: str
    message: str
    severity: str = ERROR
    page: int = 0
    paragraph: int = 0
    found: str = ""
    want: str = ""

    def __post_init__(self) -> None:
        if self.element not in ELEMENTS:
            raise ValueError(f"unknown element {self.element!r}")
        if self.severity not in SEVERITY_LABELS:
            raise ValueError(f"unknown severity {self.severity!r}")

    def __str__(self) -> str:
        return self.message

    def as_dict(self) -> dict:
        """Return the finding as the JSON object `check --json` prints."""
        return asdict(self)

    def at(self, **where) -> "Finding":
        """Return this finding with location fields (page, paragraph) filled in."""
        return Finding(**{**asdict(self), **where})


def errors(findings: list[Finding]) -> list[Finding]:
    """Return the error-level findings (the ones that make `check` exit 1)."""
    return [f for f in findings if f.severity == ERROR]
