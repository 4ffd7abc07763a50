"""Write the returns of the typed example form (推荐企业汇总表) as units send them, mistakes planted (all fictitious)."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

from pipeline.core.output import atomic_write
from pipeline.core.recipients import Recipient, load_recipients
from pipeline.forms.spec import FormSpec, load_form_spec
from pipeline.forms.workbook import form_workbook
from pipeline.xlsx.writer import stamp_workbook, workbook_bytes

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "inputs" / "examples" / "companies"
DEFAULT_OUT = EXAMPLE / "returned"
DAY = dt.date(2025, 5, 28)  # when the units filled the forms in: fixed core properties and zip entry times

TITLE = "知识产权质押融资推荐企业汇总表"
STEM = "附件1 " + TITLE  # the personalised forms' file names: STEM-<unit name>.xlsx
HEADER = ("序号", "推荐单位", "企业名称", "统一社会信用代码", "成立日期", "研发投入（万元）", "是否高新技术企业", "联系电话")
FIRST_DATA_ROW = 4  # title, instruction and header above it

CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

UNITS = {  # id → full name, as in inputs/examples/companies/recipients.csv
    "dongcheng": "示例市东城区市场监督管理局", "xicheng": "示例市西城区市场监督管理局",
    "nancheng": "示例市南城区市场监督管理局", "beicheng": "示例市北城区市场监督管理局",
    "xian-a": "示例市甲县市场监督管理局", "xian-b": "示例市乙县市场监督管理局", "xian-c": "示例市丙县市场监督管理局",
    "xian-d": "示例市丁县市场监督管理局", "donghu": "示例市东湖市市场监督管理局", "xiling": "示例市西岭市市场监督管理局",
    "jingkai": "示例市经济技术开发区管理委员会", "gaoxin": "示例市高新技术产业开发区管理委员会",
}


def check_character(body: str) -> str:
    """Return the GB 32100 check character of a 17-character credit code body."""
    total = sum(CODE_ALPHABET.index(char) * weight for char, weight in zip(body, CODE_WEIGHTS, strict=True))
    return CODE_ALPHABET[(31 - total % 31) % 31]


def credit_code(unit: int, serial: int) -> str:
    """Return a fictitious but valid credit code: 企业 (91), region 9901NN (no such province), org MA + serial."""
    body = f"919901{unit:02d}MA{serial:07d}"
    return body + check_character(body)


def wrong_check(code: str) -> str:
    """Return a credit code with its check character replaced by another one (a typing slip)."""
    right = CODE_ALPHABET.index(code[-1])
    return code[:-1] + CODE_ALPHABET[(right + 7) % len(CODE_ALPHABET)]


def spaced_lower(code: str) -> str:
    """Return a credit code as a clerk retypes it: lower case, in groups of four."""
    lower = code.lower()
    return " ".join(lower[i:i + 4] for i in range(0, len(lower), 4))


# Units, companies and codes are fictitious: region 9901NN belongs to no province; check characters per GB 32100.
CODE = {  # company → its credit code
    "星辰光电": credit_code(1, 1101), "云帆智能": credit_code(1, 1102), "澄明新材料": credit_code(1, 1103),
    "青禾生物": credit_code(2, 2101), "知远软件": credit_code(2, 2102), "汇川检测": credit_code(2, 2103),
    "朗月纺织": credit_code(3, 3101), "晴川环保": credit_code(3, 3102),
    "北辰机械": credit_code(4, 4101), "松石食品": credit_code(4, 4102), "远山农业": credit_code(4, 4103),
    "禾丰种业": credit_code(5, 5101), "无名企业": credit_code(5, 5102), "启明电子": credit_code(5, 5103),
    "溪谷茶业": credit_code(6, 6101), "泓远医疗": credit_code(6, 6102), "翠屏陶瓷": credit_code(6, 6103),
    "锦程物流": credit_code(7, 7101), "安澜化工": credit_code(7, 7102),
    "东湖光学": credit_code(9, 9101),
    "瀚海半导体": credit_code(11, 11101), "卓越精密": credit_code(11, 11102),
    "天穹航天": credit_code(12, 12101), "数智未来": credit_code(12, 12102),
}


@dataclass(frozen=True)
class Return:
    """Describe one returned file: the unit that sent it, its name, how it was made, and its rows.

    kind is form (the unit's personalised form as the forms stage builds it: header on row 3, recipient_id), sheet
    (a workbook of the unit's own, header on row 1, no property) or csv (GBK text, header on line 1, with
    header given). Each row holds the cells after 序号: 推荐单位, 企业名称, 代码, 成立日期, 研发投入, 是否高新, 电话.
    """

    unit: str
    name: str
    kind: str
    rows: tuple[tuple, ...]
    header: tuple[str, ...] = HEADER


def form_name(unit: str) -> str:
    """Return the file name of a unit's personalised form as sent out."""
    return f"{STEM}-{UNITS[unit]}.xlsx"


RETURNS = (
    # 东城区: renamed its form; real Excel date cells, numbers as numbers, a mobile typed as a number.
    Return("dongcheng", "东城区推荐企业（最终版）.xlsx", "form", (
        (UNITS["dongcheng"], "示例星辰光电科技有限公司", CODE["星辰光电"], dt.datetime(2016, 4, 18), 356.8, "是",
         13800010001),
        (None, "示例云帆智能装备有限公司", CODE["云帆智能"], dt.datetime(2019, 11, 2), 1200, "是", "0591-87650001"),
        (None, "示例澄明新材料股份有限公司", CODE["澄明新材料"], dt.datetime(2012, 8, 30), 2480, "否", "13800010003"),
    )),
    # 西城区: dates and amounts typed as text in every way clerks write them; a code retyped in lower case.
    Return("xicheng", form_name("xicheng"), "form", (
        (UNITS["xicheng"], "示例青禾生物医药有限公司", spaced_lower(CODE["青禾生物"]), "2021年3月5日", "1,200.5", "是",
         "138 0002 0001"),
        (None, "示例知远软件有限公司", CODE["知远软件"], "2020/7/16", "86.5", "否", "13800020002"),
        (None, "示例汇川检测技术有限公司", CODE["汇川检测"], "2018.10.9", "2,000", "是", "0591-87650002"),
    )),
    # 南城区: copied the rows into a workbook of its own (no property, a plain name); dates became serial numbers.
    Return("nancheng", "推荐企业名单.xlsx", "sheet", (
        ("南城区市场监管局", "示例朗月纺织有限公司", CODE["朗月纺织"], 44260, 95, "否", "13800030001"),
        ("南城区市场监管局", "示例晴川环保科技有限公司", CODE["晴川环保"], 43101, 410.25, "是", "13800030002"),
    )),
    # 北城区: a code with a wrong check character, 是的 for 是.
    Return("beicheng", form_name("beicheng"), "form", (
        (UNITS["beicheng"], "示例北辰机械制造有限公司", wrong_check(CODE["北辰机械"]), "2014-09-01", 620, "是",
         "13800040001"),
        (None, "示例松石食品有限公司", CODE["松石食品"], "2017-03-15", 45, "是的", "13800040002"),
        (None, "示例远山农业科技有限公司", CODE["远山农业"], "2019-06-20", 130, "否", "13800040003"),
    )),
    # 甲县: a row without 企业名称, a negative 研发投入.
    Return("xian-a", form_name("xian-a"), "form", (
        (UNITS["xian-a"], "示例禾丰种业有限公司", CODE["禾丰种业"], "2010-05-06", 88, "否", "13800050001"),
        (None, None, CODE["无名企业"], "2022-01-10", 12, "否", "13800050002"),
        (None, "示例启明电子有限公司", CODE["启明电子"], "2020-12-01", -50, "是", "13800050003"),
    )),
    # 乙县: 2月30日, a mobile one digit short.
    Return("xian-b", form_name("xian-b"), "form", (
        (UNITS["xian-b"], "示例溪谷茶业有限公司", CODE["溪谷茶业"], "2021-02-30", 66, "否", "13800060001"),
        (None, "示例泓远医疗器械有限公司", CODE["泓远医疗"], "2016-08-08", 540, "是", "1380006002"),
        (None, "示例翠屏陶瓷有限公司", CODE["翠屏陶瓷"], "2013-11-11", 20, "否", "13800060003"),
    )),
    # 丙县: exported its sheet as GBK CSV and called 企业名称 公司名称.
    Return("xian-c", "丙县推荐企业汇总.csv", "csv", (
        (UNITS["xian-c"], "示例锦程物流有限公司", CODE["锦程物流"], "2017-05-20", "1,050", "否", "13800070001"),
        ("", "示例安澜化工有限公司", CODE["安澜化工"], "2011-02-28", "300", "是", "0591-87650007"),
    ), header=("序号", "推荐单位", "公司名称") + HEADER[3:]),
    # 东湖市: recommends a company 东城区 recommends too.
    Return("donghu", form_name("donghu"), "form", (
        (UNITS["donghu"], "示例澄明新材料股份有限公司", CODE["澄明新材料"], "2012-08-30", 2480, "否", "13800090001"),
        (None, "示例东湖光学仪器有限公司", CODE["东湖光学"], "2015-03-03", 760, "是", "13800090002"),
    )),
    Return("jingkai", form_name("jingkai"), "form", (
        (UNITS["jingkai"], "示例瀚海半导体有限公司", CODE["瀚海半导体"], "2015-06-01", 3120.75, "是", "13800110001"),
        (None, "示例卓越精密部件有限公司", CODE["卓越精密"], dt.datetime(2018, 1, 22), 0, "否", "0591-87650011"),
    )),
    Return("gaoxin", form_name("gaoxin"), "form", (
        (UNITS["gaoxin"], "示例天穹航天科技有限公司", CODE["天穹航天"], "2019-09-09", 4500, "是", "13800120001"),
        (None, "示例数智未来信息技术有限公司", CODE["数智未来"], "2022年12月1日", "15.5", "否", "13800120002"),
    )),
)

# Every problem the roster must report: (file, row, column header as written, code).
PLANTED = (
    ("东城区推荐企业（最终版）.xlsx", 6, "统一社会信用代码", "duplicate_row"),
    (form_name("beicheng"), 4, "统一社会信用代码", "invalid_credit_code"),
    (form_name("beicheng"), 5, "是否高新技术企业", "invalid_choice"),
    (form_name("xian-a"), 5, "企业名称", "missing_value"),
    (form_name("xian-a"), 6, "研发投入（万元）", "out_of_range"),
    (form_name("xian-b"), 4, "成立日期", "invalid_date"),
    (form_name("xian-b"), 5, "联系电话", "invalid_phone"),
    (form_name("donghu"), 4, "统一社会信用代码", "duplicate_row"),
)
EXPECTED_MISSING = ("xian-d", "xiling")  # the units that sent nothing, in the recipients' order
EXPECTED_STATUS = {unit: "ok" for unit in UNITS} | {"beicheng": "errors", "xian-a": "errors", "xian-b": "errors"} \
    | dict.fromkeys(EXPECTED_MISSING, "missing")

# The roster rows of the rows written correctly: (unit_id, company, credit_code, founded, rd_spend, hitech, phone,
# source_file, source_row); unit is the unit's full name.
EXPECTED_ROWS = (
    ("dongcheng", "示例星辰光电科技有限公司", CODE["星辰光电"], "2016-04-18", "356.8", "是", "13800010001",
     "东城区推荐企业（最终版）.xlsx", 4),
    ("dongcheng", "示例云帆智能装备有限公司", CODE["云帆智能"], "2019-11-02", "1200", "是", "0591-87650001",
     "东城区推荐企业（最终版）.xlsx", 5),
    ("dongcheng", "示例澄明新材料股份有限公司", CODE["澄明新材料"], "2012-08-30", "2480", "否", "13800010003",
     "东城区推荐企业（最终版）.xlsx", 6),
    ("xicheng", "示例青禾生物医药有限公司", CODE["青禾生物"], "2021-03-05", "1200.5", "是", "13800020001",
     form_name("xicheng"), 4),
    ("xicheng", "示例知远软件有限公司", CODE["知远软件"], "2020-07-16", "86.5", "否", "13800020002", form_name("xicheng"), 5),
    ("xicheng", "示例汇川检测技术有限公司", CODE["汇川检测"], "2018-10-09", "2000", "是", "0591-87650002",
     form_name("xicheng"), 6),
    ("nancheng", "示例朗月纺织有限公司", CODE["朗月纺织"], "2021-03-05", "95", "否", "13800030001", "推荐企业名单.xlsx", 2),
    ("nancheng", "示例晴川环保科技有限公司", CODE["晴川环保"], "2018-01-01", "410.25", "是", "13800030002",
     "推荐企业名单.xlsx", 3),
    ("beicheng", "示例远山农业科技有限公司", CODE["远山农业"], "2019-06-20", "130", "否", "13800040003",
     form_name("beicheng"), 6),
    ("xian-a", "示例禾丰种业有限公司", CODE["禾丰种业"], "2010-05-06", "88", "否", "13800050001", form_name("xian-a"), 4),
    ("xian-b", "示例翠屏陶瓷有限公司", CODE["翠屏陶瓷"], "2013-11-11", "20", "否", "13800060003", form_name("xian-b"), 6),
    ("xian-c", "示例锦程物流有限公司", CODE["锦程物流"], "2017-05-20", "1050", "否", "13800070001", "丙县推荐企业汇总.csv", 2),
    ("xian-c", "示例安澜化工有限公司", CODE["安澜化工"], "2011-02-28", "300", "是", "0591-87650007", "丙县推荐企业汇总.csv", 3),
    ("donghu", "示例东湖光学仪器有限公司", CODE["东湖光学"], "2015-03-03", "760", "是", "13800090002", form_name("donghu"), 5),
    ("jingkai", "示例瀚海半导体有限公司", CODE["瀚海半导体"], "2015-06-01", "3120.75", "是", "13800110001",
     form_name("jingkai"), 4),
    ("jingkai", "示例卓越精密部件有限公司", CODE["卓越精密"], "2018-01-22", "0", "否", "0591-87650011", form_name("jingkai"), 5),
    ("gaoxin", "示例天穹航天科技有限公司", CODE["天穹航天"], "2019-09-09", "4500", "是", "13800120001", form_name("gaoxin"), 4),
    ("gaoxin", "示例数智未来信息技术有限公司", CODE["数智未来"], "2022-12-01", "15.5", "否", "13800120002",
     form_name("gaoxin"), 5),
)


def filled_form(item: Return, spec: FormSpec, unit: Recipient) -> Workbook:
    """Return the unit's personalised form (as the forms stage builds it) with its rows typed in from row 4."""
    book = form_workbook(spec, unit)
    for r, row in enumerate(item.rows, start=FIRST_DATA_ROW):
        for c, value in enumerate(row, start=2):
            if value is not None:
                book.active.cell(r, c).value = value
    return book


def own_sheet(item: Return) -> Workbook:
    """Return a workbook of the unit's own: the header on row 1, then its rows numbered 1, 2, …"""
    book = Workbook()
    book.active.append(item.header)
    for n, row in enumerate(item.rows, start=1):
        book.active.append((n, *row))
    return book


def csv_export(item: Return) -> bytes:
    """Return the rows as a GBK CSV with CRLF lines, as Excel on a Chinese Windows saves it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(item.header)
    writer.writerows((n, *("" if v is None else v for v in row)) for n, row in enumerate(item.rows, start=1))
    return buffer.getvalue().encode("gbk")


def return_bytes(item: Return, spec: FormSpec, unit: Recipient) -> bytes:
    """Return the bytes of one returned file (deterministic: fixed properties and zip entry times)."""
    if item.kind == "csv":
        return csv_export(item)
    book = filled_form(item, spec, unit) if item.kind == "form" else own_sheet(item)
    stamp_workbook(book, TITLE, unit.name, DAY)
    return workbook_bytes(book, DAY)


def write_returns(out: Path) -> list[Path]:
    """Write every returned file into out (forms built from the example's spec and recipients); return their paths."""
    spec, units = load_form_spec(EXAMPLE / "spec.yaml"), {u.id: u for u in load_recipients(EXAMPLE / "recipients.csv")}
    return [atomic_write(Path(out) / item.name, return_bytes(item, spec, units[item.unit])) for item in RETURNS]


def main(argv: list[str] | None = None) -> int:
    """Write the returned copies into --out."""
    parser = argparse.ArgumentParser(description="写出示例填报表（推荐企业汇总表）各单位交回的文件，含常见填写错误（虚构单位和企业）。")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="输出文件夹（默认 inputs/examples/companies/returned/）")
    args = parser.parse_args(argv)
    for path in write_returns(args.out):
        print(f"已写出 {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
