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

# What a finding says is wrong, one code for one meaning whatever the element (the element says where).
CODES = {
    "paper_size": "纸张不是 A4（210 × 297 毫米）",
    "orientation": "方向不符（页面横竖、横排页页码的转向）",
    "margin": "页边距不符（天头 37 毫米、订口 28 毫米）",
    "text_area": "版心尺寸不符（156 × 225 毫米）",
    "outside_text_area": "内容超出版心",
    "font": "字体不符",
    "size": "字号不符",
    "colour": "颜色不符",
    "theme_font": "使用了主题字体，公文字体会被替换",
    "font_not_embedded": "PDF 中的字体未嵌入",
    "font_fallback": "PDF 中的字体被替换为后备字体（DejaVu）",
    "alignment": "对齐方式不符",
    "indent": "缩进不符",
    "line_pitch": "行距不符（每页 22 行，行距约 28.9 磅）",
    "chars_per_line": "每行字数不符（每行 28 字）",
    "line_break": "换行位置不符",
    "missing": "未找到该要素",
    "extra": "多出不应有的内容（线条或文字）",
    "order": "先后次序不符",
    "count": "数量不符",
    "position": "位置不符",
    "spacing": "与相邻要素的距离不符",
    "wrong_page": "所在页不符",
    "new_page": "未另起一页",
    "number_format": "编号格式不符",
    "rule_width": "线条粗细不符",
    "shape": "形状不符",
    "overlap": "相互接触或重叠",
    "seal_cover": "印章未压在应压的文字上",
    "page_number_missing": "缺少页码",
    "page_number_extra": "不应有页码处有页码，或一页有多个页码",
    "page_number_value": "页码数字与页序不符",
    "page_number_position": "页码位置不符（单页居右、双页居左，各空一字）",
    "page_number_setting": "页码所需的页脚设置缺失（奇偶页不同、首页不同）",
    # the codes the text rules, the document and the packet checks report (rules.py, document.py, packet.py)
    "date_format": "日期写法不符（阿拉伯数字，年份写全）",
    "heading_number": "标题序号写法不符",
    "halfwidth_punctuation": "中文中使用了半角标点符号",
    "annex_name_punctuation": "附件名称后加了标点符号",
    "annex_order": "附件序号不连续",
    "annex_not_listed": "附件未在附件说明中列出",
    "annex_title_mismatch": "附件标题与附件说明不一致",
    "red_line_missing": "缺少红色分隔线",
    "page_number_restart": "页码重新起编，公文与附件的页码应连续",
    "colophon_not_last": "版记之后还有内容，版记应在最后",
    "not_measurable": "无法完成这一项检查，需人工核对",
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
        if self.code not in CODES:
            raise ValueError(f"unknown code {self.code!r}")
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
