"""Test that the Excel fill-in form follows its columns' types: rules, number formats, widths, locking, lists."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from pipeline.core.recipients import Recipient
from pipeline.forms.build import build_forms, write_form
from pipeline.forms.columns import Column
from pipeline.forms.spec import FormSpec
from pipeline.forms.validation import any_phone_formula, email_formula, landline_formula, mobile_formula, rule
from pipeline.forms.workbook import form_workbook

AUTHORITY = "国家知识产权局办公室"
DAY = dt.date(2022, 3, 21)
ROWS = 12
DEGREES = ("博士", "硕士", "本科", "大专及以下")
MAJORS = tuple(f"知识产权专业方向第{i}号" for i in range(1, 31))  # joined: far over 255 characters
COLUMNS = (
    Column("序号", "seq", "index"),
    Column("填报单位", "unit", "unit"),
    Column("姓名", "name", "person", required=True),
    Column("性别", "gender", "gender"),
    Column("情况说明", "remark", "text", required=True),
    Column("学历", "degree", "choice", choices=DEGREES),
    Column("专业", "major", "choice", choices=MAJORS),
    Column("手机", "mobile", "mobile", required=True),
    Column("座机", "landline", "landline"),
    Column("联系电话", "phone", "phone"),
    Column("电子邮箱", "email", "email"),
    Column("身份证号码", "id_card", "id_card"),
    Column("统一社会信用代码", "credit_code", "credit_code"),
    Column("成立日期", "founded", "date", minimum=dt.date(1949, 10, 1), maximum=dt.date(2022, 12, 31)),
    Column("填报日期", "filled", "date"),
    Column("职工人数", "staff", "integer", minimum=0, maximum=100000),
    Column("年龄", "age", "integer", maximum=150),
    Column("人数", "count", "integer"),
    Column("注册资本（万元）", "capital", "decimal", minimum=0),
    Column("面积", "area", "decimal"),
)
SPEC = FormSpec("企业信息表", COLUMNS, "填表说明：请于2022年3月24日前反馈。", ROWS)
UNIT = Recipient("beijing", "北京市知识产权局", ("北京",), "省级", 2)
LETTER = {c.name: get_column_letter(i) for i, c in enumerate(COLUMNS, start=1)}
ROW_1, ROW_N = 4, 3 + ROWS
# name → (type, operator, formula1, formula2) of its rule; operator None is Excel's default (between)
RULES = {
    "性别": ("list", None, '"男,女"', None),
    "学历": ("list", None, '"博士,硕士,本科,大专及以下"', None),
    "专业": ("list", None, "'选项'!$A$1:$A$30", None),
    "手机": ("custom", None, mobile_formula("H4"), None),
    "座机": ("custom", None, landline_formula("I4"), None),
    "联系电话": ("custom", None, any_phone_formula("J4"), None),
    "电子邮箱": ("custom", None, email_formula("K4"), None),
    "身份证号码": ("textLength", "equal", "18", None),
    "统一社会信用代码": ("textLength", "equal", "18", None),
    "成立日期": ("date", "between", "18172", "44926"),  # 1949-10-01 and 2022-12-31 as Excel serials
    "填报日期": ("date", "between", "1", "2958465"),  # 1900-01-01 … 9999-12-31
    "职工人数": ("whole", "between", "0", "100000"),
    "年龄": ("whole", "lessThanOrEqual", "150", None),
    "人数": ("whole", "between", "-999999999", "999999999"),
    "注册资本（万元）": ("decimal", "greaterThanOrEqual", "0", None),
    "面积": ("decimal", "between", "-999999999999999", "999999999999999"),
}
FORMATS = {"序号": "@", "填报单位": "@", "姓名": "@", "性别": "@", "情况说明": "@", "学历": "@", "专业": "@", "手机": "@",
           "座机": "@", "联系电话": "@", "电子邮箱": "@", "身份证号码": "@", "统一社会信用代码": "@", "成立日期": "yyyy-mm-dd",
           "填报日期": "yyyy-mm-dd", "职工人数": "0", "年龄": "0", "人数": "0", "注册资本（万元）": "General", "面积": "General"}
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    """Write the blank typed form and the copy personalised for 北京市知识产权局."""
    out = tmp_path_factory.mktemp("typed")
    blank = out / "blank.xlsx"
    form_workbook(SPEC).save(blank)
    [copy] = build_forms([UNIT], SPEC, out / "forms", authority=AUTHORITY, day=DAY)
    return {"blank": blank, "copy": copy}


@pytest.fixture(scope="module")
def book(files):
    """Open the blank typed form."""
    return openpyxl.load_workbook(files["blank"])


@pytest.fixture(scope="module")
def sheet(book):
    """Return the typed form's sheet."""
    return book.active


@pytest.fixture(scope="module")
def copy(files):
    """Open the personalised copy."""
    return openpyxl.load_workbook(files["copy"])


def _rules(sheet) -> dict[str, object]:
    return {dv.promptTitle: dv for dv in sheet.data_validations.dataValidation}


def _column_cells(sheet, name: str):
    letter = LETTER[name]
    return [sheet[f"{letter}{row}"] for row in range(ROW_1, ROW_N + 1)]


# Rules ------------------------------------------------------------------------------------------
def test_each_typed_column_has_one_rule_and_free_columns_none(sheet):
    titles = [dv.promptTitle for dv in sheet.data_validations.dataValidation]
    assert sorted(titles) == sorted(RULES)


@pytest.mark.parametrize("name", list(RULES))
def test_rule_of_each_type_covers_exactly_its_data_cells(sheet, name):
    found = _rules(sheet)[name]
    assert str(found.sqref) == f"{LETTER[name]}{ROW_1}:{LETTER[name]}{ROW_N}"
    assert (found.type, found.operator, found.formula1, found.formula2) == RULES[name]


@pytest.mark.parametrize("name", list(RULES))
def test_rule_of_each_type_speaks_chinese_and_stops_bad_input(sheet, name):
    found = _rules(sheet)[name]
    assert (found.showInputMessage, found.showErrorMessage, found.errorStyle, found.allow_blank) == (True, True, "stop", True)
    assert CHINESE.search(found.prompt) and CHINESE.search(found.errorTitle) and "请" in found.error
    assert found.errorTitle.startswith(name) and found.error.startswith(name)
    assert len(found.formula1) <= 255 and len(found.prompt) <= 255 and len(found.errorTitle) <= 32 and len(found.error) <= 225


def test_required_columns_prompt_says_so(sheet):
    rules = _rules(sheet)
    assert rules["手机"].prompt.startswith("必填。请填写 11 位手机号码")
    assert [name for name, dv in rules.items() if "必填" in dv.prompt] == ["手机"]


def test_messages_name_the_type_and_the_bounds(sheet):
    rules = _rules(sheet)
    assert "男" in rules["性别"].prompt and "大专及以下" in rules["学历"].prompt
    assert "在 1949-10-01 至 2022-12-31 之间" in rules["成立日期"].prompt
    assert "在 0 至 100000 之间" in rules["职工人数"].error and "不大于 150" in rules["年龄"].prompt
    assert "不小于 0" in rules["注册资本（万元）"].prompt and "小数" in rules["面积"].prompt
    assert "13912345678" in rules["联系电话"].prompt and "010-62083702" in rules["联系电话"].prompt
    assert "@" in rules["电子邮箱"].prompt and "18 位" in rules["身份证号码"].prompt and "18 位" in rules["统一社会信用代码"].prompt


def test_free_columns_and_a_choice_without_choices_get_no_rule():
    assert [rule(Column("甲", "a", kind), "A4") for kind in ("text", "person", "unit", "index", "choice")] == [None] * 5
    assert rule(Column("甲", "a", "text", required=True), "A4") is None


def test_contact_columns_keep_their_rules_when_typed_by_name():
    spec = FormSpec("回执", ("序号", "姓名", "性别", "办公电话", "手机号码"), "请填写。", 3)
    rules = _rules(form_workbook(spec).active)
    assert rules["手机号码"].prompt == "请填写 11 位手机号码，只写数字，不加空格、横线或 +86，如 13912345678。"
    assert (rules["性别"].errorTitle, rules["办公电话"].errorTitle) == ("性别填写有误", "办公电话格式不对")


# Long lists -------------------------------------------------------------------------------------
def test_a_list_over_255_characters_is_read_from_a_hidden_sheet(book):
    assert len('"' + ",".join(MAJORS) + '"') > 255
    options = book["选项"]
    assert (book.sheetnames, options.sheet_state, options.protection.sheet) == (["企业信息表", "选项"], "hidden", True)
    assert [options.cell(row, 1).value for row in range(1, 31)] == list(MAJORS) and options["A31"].value is None
    assert book.active is book.worksheets[0]


def test_choices_with_commas_or_quotes_go_to_the_sheet_each_in_its_column(tmp_path):
    spec = FormSpec("选项", (Column("甲", "a", "choice", choices=("1,2", "3")), Column("乙", "b", "choice", choices=('"x"', "=y")),
                           Column("丙", "c", "choice", choices=("是", "否"))), "请填写。", 2)
    book = form_workbook(spec)
    book.save(tmp_path / "c.xlsx")
    book = openpyxl.load_workbook(tmp_path / "c.xlsx")
    hidden = book.worksheets[1]
    assert (book.sheetnames, hidden.sheet_state) == (["选项", "选项（下拉列表）"], "hidden")
    assert [[c.value for c in row] for row in hidden.iter_rows()] == [["1,2", '"x"'], ["3", "=y"]]
    assert [dv.formula1 for dv in book.active.data_validations.dataValidation] == [
        "'选项（下拉列表）'!$A$1:$A$2", "'选项（下拉列表）'!$B$1:$B$2", '"是,否"']


# Cells ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", list(FORMATS))
def test_data_cells_take_their_types_number_format(sheet, name):
    assert {cell.number_format for cell in _column_cells(sheet, name)} == {FORMATS[name]}


def test_serials_go_into_the_index_column_which_stays_locked(sheet):
    cells = _column_cells(sheet, "序号")
    assert [c.value for c in cells] == list(range(1, ROWS + 1)) and all(c.protection.locked for c in cells)
    others = [c for name in LETTER if name != "序号" for c in _column_cells(sheet, name)]
    assert not any(c.protection.locked for c in others) and all(c.value is None for c in others)
    assert sheet.protection.sheet is True


def test_index_column_is_numbered_wherever_it_stands():
    spec = FormSpec("名单", (Column("姓名", "name", "person"), Column("编号", "no", "index")), "请填写。", 3)
    sheet = form_workbook(spec).active
    assert [sheet.cell(row, 2).value for row in range(4, 7)] == [1, 2, 3] and sheet["B4"].protection.locked
    assert sheet["A4"].value is None and not sheet["A4"].protection.locked


def test_headers_are_exactly_the_names_and_required_ones_are_red(sheet):
    headers = [cell.value for cell in sheet[3]]
    assert headers == [c.name for c in COLUMNS]
    red = [cell.value for cell in sheet[3] if cell.font.color is not None and cell.font.color.rgb.endswith("C00000")]
    assert red == ["姓名", "情况说明", "手机"]


def test_widths_and_alignment_follow_the_types(sheet):
    width = {name: sheet.column_dimensions[letter].width for name, letter in LETTER.items()}
    assert (width["身份证号码"], width["统一社会信用代码"], width["成立日期"], width["手机"], width["电子邮箱"]) == (22, 22, 13, 15, 24)
    assert width["专业"] == 26 and width["情况说明"] == 12  # the longest choice; the header text
    centred = {name for name in LETTER if sheet[f"{LETTER[name]}4"].alignment.horizontal == "center"}
    assert centred == {"序号", "姓名", "性别", "手机", "座机", "联系电话", "身份证号码", "统一社会信用代码", "成立日期", "填报日期",
                       "职工人数", "年龄", "人数", "注册资本（万元）", "面积"}


# Page -------------------------------------------------------------------------------------------
def test_wide_form_prints_landscape_fitted_to_the_width(sheet):
    setup = sheet.page_setup
    assert (setup.paperSize, setup.orientation, setup.fitToWidth, setup.fitToHeight) == (9, "landscape", 1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert sheet.print_area == f"'企业信息表'!$A$1:${LETTER['面积']}${ROW_N}"


def test_narrow_typed_form_prints_portrait(tmp_path):
    spec = FormSpec("回执", COLUMNS[:3] + (COLUMNS[13],), "请填写。", 5)
    path = write_form(spec, tmp_path / "r.xlsx", authority=AUTHORITY, day=DAY)
    sheet = openpyxl.load_workbook(path).active
    assert (sheet.page_setup.orientation, sheet.page_setup.fitToWidth) == ("portrait", 1)


# Personalised copies ----------------------------------------------------------------------------
def test_copy_prefills_the_unit_column_and_names_the_unit(copy):
    sheet = copy.active
    assert (sheet[f"{LETTER['填报单位']}4"].value, sheet[f"{LETTER['填报单位']}5"].value) == ("北京市知识产权局", None)
    assert sheet["A2"].value.splitlines() == ["填报单位：北京市知识产权局", SPEC.instruction]
    assert [(p.name, p.value) for p in copy.custom_doc_props] == [("recipient_id", "beijing")]
    assert len(sheet.data_validations.dataValidation) == len(RULES) and copy["选项"].sheet_state == "hidden"


def test_copy_without_a_unit_column_is_still_personalised(tmp_path):
    spec = FormSpec("回执", COLUMNS[2:6], "请填写。", 3)
    [path] = build_forms([UNIT], spec, tmp_path / "forms", authority=AUTHORITY, day=DAY)
    book = openpyxl.load_workbook(path)
    assert book.active["A2"].value.splitlines() == ["填报单位：北京市知识产权局", "请填写。"]
    assert [(p.name, p.value) for p in book.custom_doc_props] == [("recipient_id", "beijing")]
    assert all(cell.value is None for row in book.active.iter_rows(min_row=4) for cell in row)


def test_same_typed_inputs_give_identical_bytes(tmp_path, files):
    again = build_forms([UNIT], SPEC, tmp_path / "forms", authority=AUTHORITY, day=DAY)
    assert again[0].read_bytes() == files["copy"].read_bytes()


# LibreOffice ------------------------------------------------------------------------------------
EMAIL_CASES = {"zhangsan@example.com": True, "a.b@c.d.cn": True, "zhangsan@example": False, "zhangsan.example.com": False,
               "a@b@c.com": False, "@example.com": False, "zhang san@example.com": False, "a@b.": False, "a@.com": False,
               "zhangsan＠example.com": False}
PHONE_CASES = ("13912345678", "1391234567", "23912345678", "1.391234567", " 1391234567", "139-1234567", "010-62083702",
               "0755-12345678", "01062083702", "010--6208370", "-01062083702", "01062083702-", "010-6208 370", "1-2",
               "010－62083702", "13912345678-", "139123456789")


CSV_UTF8 = "csv:Text - txt - csv (StarCalc):44,34,76"  # comma, double quote, UTF-8


def _soffice(tmp_path: Path, target: str, *paths: Path) -> Path:
    """Convert paths with LibreOffice into a folder of tmp_path; return the folder (skip without LibreOffice)."""
    exe = shutil.which("soffice")
    if exe is None:
        pytest.skip("未安装 LibreOffice")
    out = tmp_path / target.split(":")[0]
    subprocess.run([exe, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless", "--convert-to", target,
                    "--outdir", str(out), *map(str, paths)], capture_output=True, timeout=240, check=False)
    return out


@pytest.mark.libreoffice
def test_libreoffice_opens_the_typed_form_and_keeps_its_rules(tmp_path, files):
    out = _soffice(tmp_path, "xlsx", files["copy"])
    book = openpyxl.load_workbook(out / files["copy"].name)
    assert book.active["B4"].value == "北京市知识产权局" and book["选项"].sheet_state == "hidden"
    kept = {dv.promptTitle: dv for dv in book.active.data_validations.dataValidation}
    assert set(kept) == set(RULES)
    for name, (kind, operator, formula1, formula2) in RULES.items():
        found = kept[name]
        assert (found.type, found.formula1) == (kind, formula1.replace("'选项'", "选项")), name  # LibreOffice drops the quotes
        if kind not in ("list", "custom"):
            assert (found.operator, found.formula2 if operator == "between" else None) == (operator, formula2), name


@pytest.mark.libreoffice
def test_libreoffice_reads_the_form_and_agrees_with_the_phone_and_email_formulas(tmp_path, files):
    cases = [(text, email_formula, ok) for text, ok in EMAIL_CASES.items()]
    cases += [(text, any_phone_formula, None) for text in PHONE_CASES]
    book = openpyxl.Workbook()
    for row, (text, formula, _) in enumerate(cases, start=1):
        book.active.cell(row, 1).value = text
        for col, make in enumerate((formula, mobile_formula, landline_formula), start=2):
            rule = make(f"A{row}")
            book.active.cell(row, col).value = f"=IF(ISERROR({rule}),FALSE,{rule})"
    book.save(tmp_path / "rules.xlsx")
    out = _soffice(tmp_path, CSV_UTF8, tmp_path / "rules.xlsx", files["copy"])
    if not (out / "rules.csv").exists():
        pytest.skip("LibreOffice Calc 不可用（只装了 Writer）")
    form = list(csv.reader(io.StringIO((out / files["copy"].with_suffix(".csv").name).read_text(encoding="utf-8"))))
    assert form[2] == [c.name for c in COLUMNS] and form[3][:2] == ["1", "北京市知识产权局"]
    lines = csv.reader(io.StringIO((out / "rules.csv").read_text(encoding="utf-8")))
    results = [[value == "TRUE" for value in line[1:]] for line in lines]
    assert len(results) == len(cases)
    for (text, formula, ok), (own, mobile, landline) in zip(cases, results):
        assert own == (ok if formula is email_formula else mobile or landline), text
