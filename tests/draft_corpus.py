"""Build drafts the way clerks type them (Word/WPS .docx, GBK or BOM text, Markdown), each with what format must find.

Each entry of CORPUS is a Draft: a builder writing the draft into a folder, the elements the recogniser must
report (element, a fragment of its text) and the corrections it must record (code, before, after).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Pt

SPACES = " " * 30  # what a clerk types to push a signature to the right
WIDE = "\u3000" * 2  # two full-width spaces: a typed first-line indent


@dataclass
class Draft:
    """Hold one corpus draft: its file name, its builder, and what recognition must find and correct."""

    name: str
    build: Callable[[Path], Path]
    elements: list[tuple[str, str]]
    corrections: list[tuple[str, str, str]] = field(default_factory=list)
    layout: str = ""  # the layout format must infer ("" when not asserted)
    data: dict = field(default_factory=dict)  # values notice_data/notice.yaml must hold
    unplaced: list[str] = field(default_factory=list)  # lines with no place of their own (kept at the body's end)


# --- .docx drafts ------------------------------------------------------------------------------------
def _font(run, name: str) -> None:
    run.font.name = name
    run.font.size = Pt(12)
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def docx_draft(path: Path, blocks: list, font: str = "宋体") -> Path:
    """Write a .docx from blocks: a str is a paragraph; tuples give ("right"|"center", text), ("soft", [lines]),
    ("page",) a page break ending the previous paragraph, ("table", rows), ("indent", text) a first-line indent."""
    doc = Document()
    last = None
    for block in blocks:
        kind, *args = (block,) if isinstance(block, str) else block
        if isinstance(block, str):
            last = doc.add_paragraph()
            _font(last.add_run(block), font)
        elif kind == "page":
            last = last or doc.add_paragraph()
            last.add_run().add_break(WD_BREAK.PAGE)
        elif kind == "table":
            rows = args[0]
            table = doc.add_table(rows=len(rows), cols=len(rows[0]))
            table.style = "Table Grid"
            for r, row in enumerate(rows):
                for c, text in enumerate(row):
                    _font(table.cell(r, c).paragraphs[0].add_run(text), font)
            last = None
        elif kind == "soft":
            last = doc.add_paragraph()
            last.alignment = WD_ALIGN_PARAGRAPH.RIGHT if len(args) > 1 and args[1] == "right" else None
            for i, line in enumerate(args[0]):
                run = last.add_run(line)
                _font(run, font)
                if i < len(args[0]) - 1:
                    run.add_break()
        else:
            last = doc.add_paragraph()
            _font(last.add_run(args[0]), font)
            if kind == "right":
                last.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            elif kind == "center":
                last.alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif kind == "indent":
                last.paragraph_format.first_line_indent = Pt(24)
    doc.save(path)
    return path


def _numbering(folder: Path) -> Path:
    return docx_draft(folder / "各种序号.docx", [
        ("center", "江宁县人民政府办公室文件"),
        ("center", "宁政办发[2024]3号"),
        ("center", "江宁县人民政府办公室关于做好2024年防汛工作的通知"),
        "各乡镇人民政府，县各有关部门：",
        "    为切实做好今年防汛工作，确保人民群众生命财产安全，现将有关事项通知如下：",
        "一、总体要求",
        "\t坚持人民至上、生命至上，立足防大汛、抗大洪。",
        "二.重点任务",
        WIDE + "各地要对照任务清单逐项落实。",
        "（一）隐患排查",
        "    各乡镇要全面排查山洪灾害危险区。",
        "(二)物资储备",
        "    县应急局要储备足量的防汛物资。",
        "1.编袋和砂石料",
        "    按每公里堤防储备。",
        "2、救生衣",
        "    按危险区人口配备。",
        "3．冲锋舟",
        "    由县应急局统一调配。",
        "（1）县城区",
        "    配备两艘。",
        "(2)乡镇",
        "    各配备一艘。",
        "特此通知。",
        ("right", "江宁县人民政府办公室"),
        ("right", "2024年5月8日"),
    ], font="微软雅黑")


NUMBERING = Draft("各种序号.docx", _numbering, [
    ("mark", "江宁县人民政府办公室"), ("number", "宁政办发[2024]3号"), ("title", "关于做好2024年防汛工作的通知"),
    ("addressee", "各乡镇人民政府，县各有关部门："), ("body", "为切实做好今年防汛工作"),
    ("heading1", "总体要求"), ("body", "坚持人民至上"), ("heading1", "重点任务"), ("body", "对照任务清单"),
    ("heading2", "隐患排查"), ("body", "全面排查山洪"), ("heading2", "物资储备"), ("body", "储备足量"),
    ("heading3", "编袋和砂石料"), ("body", "按每公里堤防"), ("heading3", "救生衣"), ("body", "按危险区人口"),
    ("heading3", "冲锋舟"), ("body", "统一调配"), ("heading4", "县城区"), ("body", "配备两艘"),
    ("heading4", "乡镇"), ("body", "各配备一艘"), ("closing", "特此通知"), ("signature", "江宁县人民政府办公室"),
    ("date", "2024年5月8日"),
], [
    ("number_form", "宁政办发[2024]3号", "宁政办发〔2024〕3号"), ("heading_number", "二.", "二、"),
    ("heading_number", "(二)", "（二）"), ("heading_number", "2、", "2."), ("heading_number", "3．", "3."),
    ("heading_number", "(2)", "（2）"),
], "文件格式")


def _run_in(folder: Path) -> Path:
    return docx_draft(folder / "段中标题.docx", [
        ("center", "江宁县教育局文件"),
        ("center", "宁教发〔2024〕12号"),
        ("center", "江宁县教育局关于加强中小学校园安全"),
        ("center", "管理工作的通知"),
        "各中小学校：",
        ("indent", "为进一步加强校园安全管理，现就有关事项通知如下。"),
        "一、加强组织领导。各学校要成立校园安全工作领导小组，校长为第一责任人。",
        "二、落实安全责任。各学校要把安全责任分解到岗、落实到人。",
        "（一）严格门卫管理。外来人员一律登记后进入。",
        "（二）加强巡查。每日巡查不少于两次,发现问题及时整改。",
        "1.开展应急演练。每学期至少开展两次疏散演练。",
        "特此通知。",
        SPACES + "江宁县教育局",
        SPACES + "2024年3月1日",
    ])


RUN_IN = Draft("段中标题.docx", _run_in, [
    ("mark", "江宁县教育局"), ("number", "宁教发〔2024〕12号"), ("title", "关于加强中小学校园安全"),
    ("title", "管理工作的通知"), ("addressee", "各中小学校"), ("body", "为进一步加强校园安全管理"),
    ("heading1", "加强组织领导。"), ("heading1", "落实安全责任。"), ("heading2", "严格门卫管理。"),
    ("heading2", "加强巡查。"), ("heading3", "开展应急演练。"), ("closing", "特此通知"),
    ("signature", "江宁县教育局"), ("date", "2024年3月1日"),
], [
    ("halfwidth_punctuation", "每日巡查不少于两次,发现问题及时整改。", "每日巡查不少于两次，发现问题及时整改。"),
], "文件格式")


def _annexes(folder: Path) -> Path:
    return docx_draft(folder / "带附件.docx", [
        ("center", "江宁县科学技术局文件"),
        ("right", "宁科发〔2024〕第007号"),
        ("center", "江宁县科学技术局关于申报2024年度科技计划项目的通知"),
        "各有关单位：",
        "    根据工作安排，现组织申报2024年度县科技计划项目。请各单位于6月30日前报送申报材料。",
        "附件：1.项目申报书。",
        "      2.推荐汇总表",
        ("soft", ["江宁县科学技术局", "2024年5月20日"], "right"),
        ("page",),
        "附件1",
        ("center", "项目申报书"),
        "一、项目基本情况",
        "    项目名称、承担单位、起止时间。",
        ("table", [["项目名称", "承担单位", "起止时间"], ["", "", ""]]),
        ("page",),
        "附件2",
        ("center", "推荐汇总表"),
        ("table", [["序号", "项目名称", "推荐单位", "联系电话"], ["1", "", "", ""], ["2", "", "", ""]]),
    ])


ANNEXES = Draft("带附件.docx", _annexes, [
    ("mark", "江宁县科学技术局"), ("number", "宁科发〔2024〕第007号"), ("title", "申报2024年度科技计划项目的通知"),
    ("addressee", "各有关单位"), ("body", "现组织申报"), ("annex_note", "项目申报书"), ("annex_note", "推荐汇总表"),
    ("signature", "江宁县科学技术局"), ("date", "2024年5月20日"), ("annex_label", "附件1"),
    ("annex_title", "项目申报书"), ("heading1", "项目基本情况"), ("table", "表格"), ("annex_label", "附件2"),
    ("annex_title", "推荐汇总表"), ("table", "表格"),
], [
    ("number_form", "宁科发〔2024〕第007号", "宁科发〔2024〕7号"), ("annex_name_punctuation", "项目申报书。", "项目申报书"),
], "文件格式")


def _joint(folder: Path) -> Path:
    return docx_draft(folder / "联合行文.docx", [
        ("center", "江宁县财政局  江宁县农业农村局"),
        ("center", "宁财农〔2024〕21号"),
        ("center", "江宁县财政局 江宁县农业农村局关于下达2024年农业补贴资金的通知"),
        "各乡镇人民政府：",
        "    经研究，现将2024年农业补贴资金下达给你们，请按规定用途使用，确保专款专用。",
        "特此通知。",
        ("right", "江宁县财政局        江宁县农业农村局"),
        ("right", "2024年6月3日"),
        "抄送：县人民政府办公室，县审计局。",
        "江宁县财政局办公室          2024年6月4日印发",
    ], font="仿宋")


JOINT = Draft("联合行文.docx", _joint, [
    ("mark", "江宁县财政局"), ("mark", "江宁县农业农村局"), ("number", "宁财农〔2024〕21号"),
    ("title", "下达2024年农业补贴资金的通知"), ("addressee", "各乡镇人民政府"), ("body", "现将2024年农业补贴资金"),
    ("closing", "特此通知"), ("signature", "江宁县财政局"), ("signature", "江宁县农业农村局"), ("date", "2024年6月3日"),
    ("cc", "县人民政府办公室"), ("printer", "江宁县财政局办公室"),
], [], "文件格式", {"authority": ["江宁县财政局", "江宁县农业农村局"], "copy_to": "县人民政府办公室，县审计局。",
                 "printer": "江宁县财政局办公室"})


def _minutes(folder: Path) -> Path:
    return docx_draft(folder / "会议纪要.docx", [
        ("center", "江宁县知识产权局局务会议纪要"),
        ("center", "第6期"),
        ("center", "关于专利转化运用专项行动有关事项的会议纪要"),
        "    2024年4月12日，县知识产权局局长王建国主持召开局务会议。纪要如下：",
        "一、会议听取了专项行动工作方案起草情况的汇报。会议原则同意工作方案。",
        "二、会议研究了专项资金安排。会议同意安排专项资金200万元。",
        "出席：王建国，李明华，张志强",
        "请假：何永强（出差）",
        "列席：县财政局 郑海涛",
        ("right", "2024年4月12日"),
        "抄送：县人民政府办公室。",
        "江宁县知识产权局办公室  2024年4月15日印发",
    ])


MINUTES = Draft("会议纪要.docx", _minutes, [
    ("mark", "江宁县知识产权局局务会议纪要"), ("number", "第6期"), ("title", "专利转化运用专项行动"),
    ("body", "主持召开局务会议"), ("heading1", "会议听取了专项行动工作方案起草情况的汇报。"),
    ("heading1", "会议研究了专项资金安排。"), ("attendance", "王建国"), ("attendance", "何永强"),
    ("attendance", "郑海涛"), ("date", "2024年4月12日"), ("cc", "县人民政府办公室"), ("printer", "江宁县知识产权局办公室"),
], [], "纪要格式", {"present": "王建国，李明华，张志强", "absent": "何永强（出差）", "observers": "县财政局 郑海涛"})


def _issued(folder: Path) -> Path:
    return docx_draft(folder / "印发方案.docx", [
        ("center", "江宁县人民政府文件"),
        ("center", "宁政发〔2024〕9号"),
        ("center", "江宁县人民政府关于印发《江宁县专利转化运用专项行动实施方案》的通知"),
        "各乡镇人民政府，县政府各部门：",
        "    现将《江宁县专利转化运用专项行动实施方案》印发给你们，请认真贯彻执行。",
        ("right", "江宁县人民政府"),
        ("right", "二〇二四年五月八日"),
        "（联系人：赵磊，电话：025-52109999）",
        "（此件公开发布）",
        ("page",),
        ("center", "江宁县专利转化运用专项行动实施方案"),
        "    为推动专利产业化，制定本方案。",
        "一、工作目标",
        "    到2025年底，全县专利转化率明显提升。",
        "二、保障措施",
        "    各部门要加强协同。",
    ])


ISSUED = Draft("印发方案.docx", _issued, [
    ("mark", "江宁县人民政府"), ("number", "宁政发〔2024〕9号"), ("title", "关于印发《江宁县专利转化运用专项行动实施方案》的通知"),
    ("addressee", "各乡镇人民政府"), ("body", "印发给你们"), ("signature", "江宁县人民政府"), ("date", "二〇二四年五月八日"),
    ("note", "联系人：赵磊"), ("publication", "此件公开发布"), ("issued_title", "江宁县专利转化运用专项行动实施方案"), ("body", "制定本方案"),
    ("heading1", "工作目标"), ("body", "专利转化率明显提升"), ("heading1", "保障措施"), ("body", "加强协同"),
], [("date_form", "二〇二四年五月八日", "2024年5月8日")], "文件格式")


# --- text and Markdown drafts ----------------------------------------------------------------------------
LETTER_TEXT = """国家知识产权局办公室
国知办函服字(2022)第270号
国家知识产权局办公室关于举办知识产权信息服务优秀案例分享活动的函
各省、自治区、直辖市知识产权局:
    为推广知识产权信息服务经验,我办定于2022年4月举办优秀案例分享活动。请各单位于4月10日前报送案例,联系邮箱 case@cnipa.gov.cn。
    一.活动安排
    活动采用线上方式,时间为10:30至12:00。
    二.有关要求
    请各单位高度重视。
    特此函告。
                                    国家知识产权局办公室
                                    2022年03月21日
（联系人：王明，电话：010-62084567）
"""


def _letter(folder: Path) -> Path:
    path = folder / "函GBK.txt"
    path.write_bytes(LETTER_TEXT.replace("\n", "\r\n").encode("gbk"))
    return path


LETTER = Draft("函GBK.txt", _letter, [
    ("mark", "国家知识产权局办公室"), ("number", "国知办函服字(2022)第270号"), ("title", "优秀案例分享活动的函"),
    ("addressee", "各省、自治区、直辖市知识产权局"), ("body", "为推广知识产权信息服务经验"), ("heading1", "活动安排"),
    ("body", "活动采用线上方式"), ("heading1", "有关要求"), ("body", "高度重视"), ("closing", "特此函告"),
    ("signature", "国家知识产权局办公室"), ("date", "2022年03月21日"), ("note", "联系人：王明"),
], [
    ("number_form", "国知办函服字(2022)第270号", "国知办函服字〔2022〕270号"), ("date_form", "2022年03月21日", "2022年3月21日"),
    ("heading_number", "一.", "一、"), ("heading_number", "二.", "二、"),
    ("halfwidth_punctuation", "各省、自治区、直辖市知识产权局:", "各省、自治区、直辖市知识产权局："),
    ("halfwidth_punctuation", "活动采用线上方式,时间为10:30至12:00。", "活动采用线上方式，时间为10:30至12:00。"),
], "信函格式")

REQUEST_TEXT = """江宁县人民政府文件
宁政发〔2024〕30号        签发人：王建国
江宁县人民政府关于建设县级科技创新中心的请示
市人民政府：
\t为提升县域科技创新能力，我县拟建设县级科技创新中心，总投资约1.2亿元。
\t一、建设内容
\t包括研发平台、孵化器和公共服务平台。
\t二、资金来源
\t县财政安排6000万元，其余申请市级补助。
\t妥否，请批示。
\t\t\t\t\t\t\t江宁县人民政府
\t\t\t\t\t\t\t2024年7月1日
（联系人：李明，电话：025-52100000）
"""


def _request(folder: Path) -> Path:
    path = folder / "请示.txt"
    path.write_bytes(REQUEST_TEXT.encode("utf-8-sig"))
    return path


REQUEST = Draft("请示.txt", _request, [
    ("number", "宁政发〔2024〕30号"), ("signer", "王建国"), ("title", "关于建设县级科技创新中心的请示"),
    ("addressee", "市人民政府"), ("body", "拟建设县级科技创新中心"), ("heading1", "建设内容"), ("body", "研发平台"),
    ("heading1", "资金来源"), ("body", "县财政安排"), ("closing", "妥否，请批示"), ("signature", "江宁县人民政府"),
    ("date", "2024年7月1日"), ("note", "联系人：李明"),
], [], "文件格式", {"signers": ["王建国"], "authority": "江宁县人民政府"})

MARKDOWN_TEXT = """江宁县市场监督管理局文件

宁市监发[2024]15号

# 江宁县市场监督管理局关于开展民生计量器具专项监督检查的通知

各市场监管所，县直有关单位：

为加强民生计量监督管理，县局决定开展专项监督检查。

## 检查范围

集贸市场、商场超市、**加油站**使用的计量器具。

### 检查重点

重点查看是否按期检定。

## 工作要求

各单位要认真组织实施。

| 阶段 | 时间 |
|---|---|
| 自查 | 4月 |
| 检查 | 6月 |

特此通知。

江宁县市场监督管理局

2024年3月28日

（此件主动公开）
"""


def _markdown(folder: Path) -> Path:
    path = folder / "通知.md"
    path.write_text(MARKDOWN_TEXT, encoding="utf-8")
    return path


MARKDOWN = Draft("通知.md", _markdown, [
    ("mark", "江宁县市场监督管理局"), ("number", "宁市监发[2024]15号"), ("title", "民生计量器具专项监督检查的通知"),
    ("addressee", "各市场监管所"), ("body", "为加强民生计量监督管理"), ("heading1", "检查范围"), ("body", "加油站"),
    ("heading2", "检查重点"), ("body", "按期检定"), ("heading1", "工作要求"), ("body", "认真组织实施"), ("table", "表格"),
    ("closing", "特此通知"), ("signature", "江宁县市场监督管理局"), ("date", "2024年3月28日"),
    ("publication", "此件主动公开"),
], [("number_form", "宁市监发[2024]15号", "宁市监发〔2024〕15号")], "文件格式")

STACKED_TEXT = """000001
秘密★1年
特急
江宁县财政局
江宁县农业农村局
文件
宁财农〔2024〕22号
江宁县财政局 江宁县农业农村局关于下达2024年农机购置补贴资金的通知
各乡镇人民政府：
    现将2024年农机购置补贴资金下达给你们，资金分配和绩效目标见附件。
附件：1、资金分配表
      2、绩效目标表
    请认真贯彻执行
                    江宁县财政局      江宁县农业农村局
                    2024年6月10日
\f附件一
资金分配表
    各乡镇资金分配以县农业农村局核定数为准。
\f附件二
绩效目标表
    完成农机购置补贴目标任务。
"""


def _stacked(folder: Path) -> Path:
    path = folder / "分行标志.txt"
    path.write_text(STACKED_TEXT, encoding="utf-8")
    return path


STACKED = Draft("分行标志.txt", _stacked, [
    ("copy_number", "000001"), ("secrecy", "秘密★1年"), ("urgency", "特急"), ("mark", "江宁县财政局"),
    ("mark", "江宁县农业农村局"), ("mark", "文件"), ("number", "宁财农〔2024〕22号"), ("title", "农机购置补贴资金的通知"),
    ("addressee", "各乡镇人民政府"), ("body", "现将2024年农机购置补贴资金"), ("annex_note", "资金分配表"),
    ("annex_note", "绩效目标表"), ("signature", "江宁县财政局"), ("date", "2024年6月10日"),
    ("annex_label", "附件一"), ("annex_title", "资金分配表"), ("body", "以县农业农村局核定数为准"),
    ("annex_label", "附件二"), ("annex_title", "绩效目标表"), ("body", "完成农机购置补贴目标任务"),
], [("annex_label_form", "附件一", "附件1"), ("annex_label_form", "附件二", "附件2"),
    ("annex_number_form", "1、", "1."), ("annex_number_form", "2、", "2.")], "文件格式",
    {"authority": ["江宁县财政局", "江宁县农业农村局"], "copy_number": "000001", "secrecy": "秘密★1年", "urgency": "特急",
     "annexes": [{"name": "资金分配表", "source": "annex1.yaml"}, {"name": "绩效目标表", "source": "annex2.yaml"}]},
    ["请认真贯彻执行"])  # typed after the 附件说明: reported, and kept at the end of the body

CORPUS = [NUMBERING, RUN_IN, ANNEXES, JOINT, MINUTES, ISSUED, LETTER, REQUEST, MARKDOWN, STACKED]

MISSING_NUMBER_TEXT = """江宁县教育局关于做好暑期安全工作的通知
各中小学校：
    请各学校做好暑期安全教育。
江宁县教育局
2024年7月1日
"""


def missing_number(folder: Path) -> Path:
    """Write a draft without its 发文字号 (format must report it and still write notice_data)."""
    path = folder / "缺字号.txt"
    path.write_text(MISSING_NUMBER_TEXT, encoding="utf-8")
    return path
