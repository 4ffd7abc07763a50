"""Write the two sample drafts of inputs/drafts/ the way a clerk types them (fictional agencies, byte-stable)."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from pipeline.core.output import atomic_write, docx_bytes

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "inputs" / "drafts"
DAY = dt.date(2024, 6, 3)

NOTICE = [  # (text, how): how is centre, right, red, break (page break before), or plain
    ("青禾市知识产权局文件", "red"),
    ("青知发[2024]07号", "centre"),
    ("青禾市知识产权局关于开展2024年", "centre"),
    ("知识产权服务进园区活动的通知", "centre"),
    ("各区县知识产权局,青禾高新区管委会,有关服务机构:", "plain"),
    ("    为推动知识产权服务资源向产业园区集聚,市知识产权局决定于2024年06月至10月开展知识产权服务进园区活动。现将有关事项通知如下:", "plain"),
    ("一.活动内容", "plain"),
    ("(一)政策宣讲", "plain"),
    ("组织专家走进园区,解读专利转化运用、质押融资等政策。", "plain"),
    ("(二)专利导航", "plain"),
    ("1、摸清需求。各园区于6月20日前报送企业需求清单。", "plain"),
    ("2、精准服务。服务机构按清单逐一对接,形成服务台账。", "plain"),
    ("二.工作要求", "plain"),
    ("各单位要明确一名联络员,填写联络员信息表(见附件2),于2024年6月14日前发送至 qhip_fw@example.cn 。", "plain"),
    ("    特此通知。", "plain"),
    ("附件:1.园区知识产权服务需求清单。", "plain"),
    ("      2.联络员信息表", "plain"),
    ("                                    青禾市知识产权局", "plain"),
    ("                                    二〇二四年六月三日", "plain"),
    ("(联系人:运用促进处 林晓,电话:0791-86120000)", "plain"),
    ("(此件公开发布)", "plain"),
    ("附件1", "break"),
    ("园区知识产权服务需求清单", "centre"),
    ("请各园区按下表填报需求,可加行。", "plain"),
    ("TABLE", "plain"),
    ("附件2", "break"),
    ("联络员信息表", "centre"),
    ("TABLE2", "plain"),
    ("抄送:市人民政府办公室,市科学技术局。", "break"),
    ("青禾市知识产权局办公室          2024年6月4日印发", "plain"),
]
TABLES = {"TABLE": [["序号", "园区名称", "需求类型", "联系人"], ["1", "青禾高新区", "专利导航", ""],
                    ["2", "青禾经开区", "质押融资", ""]],
          "TABLE2": [["单位", "姓名", "职务", "手机号码"], ["", "", "", ""]]}

LETTER = """青禾市科学技术局
青科函〔2024〕21号

青禾市科学技术局关于商请推荐科技特派员的函

市农业农村局:
    为深入推进科技服务乡村振兴,我局拟于2024年7月组织新一批科技特派员下乡服务。现商请贵局推荐熟悉种植、养殖技术的专业人员10至15名,并于2024年06月28日前将推荐名单(含姓名、单位、专业方向、联系电话)反馈我局。
    专此函达。

                                        青禾市科学技术局
                                        2024年6月10日
(联系人:农村科技处 周宁,电话:0791-86123456)
"""


def write_notice(path: Path) -> Path:
    """Write the sample notice draft: typed in 宋体 with manual numbering, spaces and a Chinese-numeral date."""
    doc = Document()
    doc.styles["Normal"].font.name = "宋体"
    doc.styles["Normal"].element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    for text, how in NOTICE:
        if text in TABLES:
            _table(doc, TABLES[text])
            continue
        p = doc.add_paragraph()
        if how == "break":
            p.add_run().add_break(WD_BREAK.PAGE)
        run = p.add_run(text)
        if how in ("centre", "red"):
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if how == "red":
            run.font.color.rgb, run.font.size, run.bold = RGBColor(0xFF, 0, 0), Pt(26), True
    return atomic_write(path, docx_bytes(doc, DAY))


def _table(doc, rows: list[list[str]]) -> None:
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text


def write_letter(path: Path) -> Path:
    """Write the sample letter draft as a GBK text file, as Notepad on a Chinese Windows saves it."""
    return atomic_write(path, LETTER.replace("\n", "\r\n").encode("gbk"))


def main(argv: list[str] | None = None) -> int:
    """Write both drafts into --out."""
    parser = argparse.ArgumentParser(description="写出 inputs/drafts/ 中的两份示例草稿（虚构机关）。")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="输出文件夹（默认 inputs/drafts/）")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for path in (write_notice(args.out / "园区活动通知（草稿）.docx"), write_letter(args.out / "商请推荐科技特派员的函（草稿）.txt")):
        print(f"已写出 {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
