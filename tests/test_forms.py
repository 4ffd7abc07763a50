"""Test the recipients list and the fill-in forms: validation, workbook layout, rules, protection, determinism."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import shutil
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from pipeline.core.errors import InputError
from pipeline.core.recipients import Recipient, load_recipients
from pipeline.forms.build import build_blank_form, build_forms
from pipeline.forms.spec import FormSpec, load_form_spec
from pipeline.forms.validation import mobile_rule, phone_rule
from pipeline.forms.workbook import sheet_name

from paths import REPO

RECIPIENTS = REPO / "inputs" / "recipients.csv"
AUTHORITY = "国家知识产权局办公室"
NOTICE_DATE = dt.date(2022, 3, 21)
COLUMNS = ("序号", "工作单位", "姓名", "性别", "职务/级别", "办公电话", "手机号码", "备注")
INSTRUCTION = "填表说明：请于2022年3月24日前将本表反馈我局公共服务司；手机号码填 11 位数字，办公电话按“区号-号码”填写。"
HEADER = "id,name,aliases,category\n"


# Fixtures ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def contact_spec() -> FormSpec:
    """Return the spec of annex 2 of the reference notice (联系人信息表, 20 rows)."""
    return FormSpec("各省级知识产权管理部门联系人信息表", COLUMNS, INSTRUCTION, 20)


@pytest.fixture(scope="module")
def sample_recipients() -> list[Recipient]:
    """Load the 48 units of inputs/recipients.csv."""
    return load_recipients(RECIPIENTS)


@pytest.fixture(scope="module")
def outputs(tmp_path_factory, contact_spec, sample_recipients) -> Path:
    """Build the blank form and the 48 personalised copies into one outputs directory."""
    out = tmp_path_factory.mktemp("outputs")
    build_blank_form(contact_spec, out / "附件2 联系人信息表.xlsx", authority=AUTHORITY, day=NOTICE_DATE)
    build_forms(sample_recipients, contact_spec, out / "forms", authority=AUTHORITY, day=NOTICE_DATE, manifest_dir=out)
    return out


@pytest.fixture(scope="module")
def blank_workbook(outputs):
    """Open the blank form."""
    return openpyxl.load_workbook(outputs / "附件2 联系人信息表.xlsx")


@pytest.fixture(scope="module")
def blank_sheet(blank_workbook):
    """Return the blank form's only sheet."""
    return blank_workbook.active


@pytest.fixture(scope="module")
def bingtuan_workbook(outputs):
    """Open the copy personalised for 新疆生产建设兵团知识产权局."""
    return openpyxl.load_workbook(outputs / "forms" / "附件2 联系人信息表-新疆生产建设兵团知识产权局.xlsx")


@pytest.fixture
def write_csv(tmp_path):
    """Return a function that writes recipients CSV text (UTF-8) to tmp_path."""

    def write(text: str, encoding: str = "utf-8") -> Path:
        path = tmp_path / "recipients.csv"
        path.write_text(text, encoding=encoding)
        return path

    return write


@pytest.fixture
def write_annex(tmp_path):
    """Return a function that writes annex YAML text to tmp_path."""

    def write(text: str) -> Path:
        path = tmp_path / "annex2.yaml"
        path.write_text(text, encoding="utf-8")
        return path

    return write


ANNEX2_YAML = """\
number: 2
title: 各省级知识产权管理部门联系人信息表
columns: [序号, 工作单位, 姓名, 性别, 职务/级别, 办公电话, 手机号码, 备注]
rows: 1
form:
  instruction: 填表说明：请于2022年3月24日前填写并反馈我局公共服务司。
  rows: 20
  reply_by: 2022-03-24
"""


def _errors(action) -> list[tuple]:
    with pytest.raises(InputError) as caught:
        action()
    return [(e.row, e.field) for e in caught.value.errors]


def _messages(action) -> str:
    with pytest.raises(InputError) as caught:
        action()
    return str(caught.value)


def _data_cells(sheet, spec_rows: int = 20):
    return [cell for row in sheet.iter_rows(min_row=4, max_row=3 + spec_rows, max_col=len(COLUMNS)) for cell in row]


def _validation(sheet, title: str):
    return next(dv for dv in sheet.data_validations.dataValidation if dv.promptTitle == title)


# Recipients: the sample list ------------------------------------------------------------
def test_sample_lists_48_units_in_their_categories(sample_recipients):
    counts = Counter(unit.category for unit in sample_recipients)
    assert counts == {"省级": 31, "兵团": 1, "计划单列市": 5, "副省级城市": 10, "其他": 1}
    assert len({unit.id for unit in sample_recipients}) == 48


def test_sample_names_the_addressed_units(sample_recipients):
    by_id = {unit.id: unit.name for unit in sample_recipients}
    assert (by_id["beijing"], by_id["xinjiang"]) == ("北京市知识产权局", "新疆维吾尔自治区知识产权局")
    assert (by_id["xinjiang-bingtuan"], by_id["sichuan-center"]) == ("新疆生产建设兵团知识产权局", "四川省知识产权服务促进中心")
    planned = {u.name[:2] for u in sample_recipients if u.category == "计划单列市"}
    assert planned == {"大连", "青岛", "宁波", "厦门", "深圳"}
    sub_provincial = {u.name[:2] for u in sample_recipients if u.category == "副省级城市"}
    assert sub_provincial == {"沈阳", "长春", "哈尔", "南京", "杭州", "济南", "武汉", "广州", "成都", "西安"}


def test_short_names_point_to_one_unit(sample_recipients):
    owner = {alias: unit.id for unit in sample_recipients for alias in unit.names}
    assert (owner["新疆"], owner["兵团"], owner["四川"], owner["北京局"]) == ("xinjiang", "xinjiang-bingtuan", "sichuan", "beijing")
    assert sum(len(unit.names) for unit in sample_recipients) == len(owner)


def test_ids_are_lowercase_ascii_slugs(sample_recipients):
    assert [u.id for u in sample_recipients if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", u.id)] == []
    assert {"beijing", "xinjiang-bingtuan", "sichuan-center", "shanxi", "shaanxi"} <= {u.id for u in sample_recipients}


def test_names_give_the_full_name_then_the_longest_alias_first():
    unit = Recipient("xinjiang", "新疆维吾尔自治区知识产权局", ("新疆", "新疆维吾尔自治区", "新疆局"), "省级", 2)
    assert unit.names == ("新疆维吾尔自治区知识产权局", "新疆维吾尔自治区", "新疆局", "新疆")


def test_row_is_the_csv_line_and_a_bom_is_accepted(write_csv):
    path = write_csv(HEADER + "beijing,北京市知识产权局,北京|北京市,省级\n\nshanghai,上海市知识产权局,,省级\n", "utf-8-sig")
    units = load_recipients(path)
    assert [(u.id, u.row, u.aliases) for u in units] == [("beijing", 2, ("北京", "北京市")), ("shanghai", 4, ())]


def test_sample_file_is_utf8_with_the_exact_header():
    with RECIPIENTS.open(encoding="utf-8", newline="") as handle:
        assert next(csv.reader(handle)) == ["id", "name", "aliases", "category"]


# Recipients: bad data -------------------------------------------------------------------
def test_duplicate_id_names_the_second_row(write_csv):
    path = write_csv(HEADER + "beijing,北京市知识产权局,北京,省级\nbeijing,天津市知识产权局,天津,省级\n")
    assert _errors(lambda: load_recipients(path)) == [(3, "id（编号）")]
    assert "第 2 行已用" in _messages(lambda: load_recipients(path))


def test_empty_name_and_empty_id_are_reported(write_csv):
    path = write_csv(HEADER + "beijing,,北京,省级\n,天津市知识产权局,天津,省级\n")
    assert _errors(lambda: load_recipients(path)) == [(2, "name（单位名称）"), (3, "id（编号）")]


def test_alias_shared_by_two_units_is_reported(write_csv):
    path = write_csv(HEADER + "xinjiang,新疆维吾尔自治区知识产权局,新疆,省级\n"
                              "xinjiang-bingtuan,新疆生产建设兵团知识产权局,新疆|兵团,兵团\n")
    assert _errors(lambda: load_recipients(path)) == [(3, "aliases（别名）")]
    assert "别名“新疆”同时属于 新疆维吾尔自治区知识产权局（第 2 行）和 新疆生产建设兵团知识产权局" in _messages(lambda: load_recipients(path))


def test_name_used_as_another_units_alias_is_reported(write_csv):
    path = write_csv(HEADER + "sichuan,四川省知识产权局,四川省知识产权服务促进中心,省级\n"
                              "sichuan-center,四川省知识产权服务促进中心,四川中心,其他\n")
    assert _errors(lambda: load_recipients(path)) == [(3, "name（单位名称）")]


@pytest.mark.parametrize("header, expected", [
    ("id,name,aliases\n", [(1, "category（类别）")]),
    ("id,name,aliases,category,remark\n", [(1, "remark")]),
    ("编号,name,aliases,category\n", [(1, "id（编号）"), (1, "编号")]),
])
def test_bad_header_is_reported_on_row_1(write_csv, header, expected):
    path = write_csv(header + "beijing,北京市知识产权局,北京,省级\n")
    assert _errors(lambda: load_recipients(path)) == expected


def test_every_bad_row_is_reported_at_once(write_csv):
    path = write_csv(HEADER + "Bei Jing,北京市知识产权局,北京,省级\ntianjin,天津市知识产权局,天津|天津,直辖市\n"
                              "hebei,河北省知识产权局,河北,省级,多余\n")
    assert _errors(lambda: load_recipients(path)) == [(2, "id（编号）"), (3, "aliases（别名）"), (4, "")]


def test_categories_are_free_text_and_an_empty_one_is_unsorted(write_csv):
    path = write_csv(HEADER + "dongcheng,示例市东城区市场监督管理局,东城区,市辖区\nxian-a,示例县市场监督管理局,示例县,县\n"
                              "kaifa,示例经济开发区管理委员会,开发区,\n")
    assert [(u.id, u.category) for u in load_recipients(path)] == [
        ("dongcheng", "市辖区"), ("xian-a", "县"), ("kaifa", "未分类")]


def test_missing_file_and_empty_list_are_input_errors(tmp_path, write_csv):
    assert _errors(lambda: load_recipients(tmp_path / "none.csv")) == [(None, "")]
    assert _errors(lambda: load_recipients(write_csv(HEADER))) == [(None, "")]


# Form spec from the annex YAML -------------------------------------------------------------
def test_form_spec_is_read_from_the_annex_file(write_annex):
    spec = load_form_spec(write_annex(ANNEX2_YAML))
    assert spec == FormSpec("各省级知识产权管理部门联系人信息表", COLUMNS, "填表说明：请于2022年3月24日前填写并反馈我局公共服务司。", 20)


def test_bad_form_spec_names_each_field_and_line(write_annex):
    text = ANNEX2_YAML.replace("title: 各省级知识产权管理部门联系人信息表", "title: ''")
    text = text.replace("[序号, 工作单位,", "[序号, 序号,").replace("rows: 20", "rows: 二十")
    assert sorted(_errors(lambda: load_form_spec(write_annex(text)))) == [(2, "title"), (3, "columns[2]"), (7, "form.rows")]


@pytest.mark.parametrize("rows", ["0", "501", "true", "20.5"])
def test_row_count_must_be_a_whole_number_from_1_to_500(write_annex, rows):
    text = ANNEX2_YAML.replace("rows: 20", f"rows: {rows}")
    assert _errors(lambda: load_form_spec(write_annex(text))) == [(7, "form.rows")]


def test_instruction_must_state_the_reply_date(write_annex):
    text = ANNEX2_YAML.replace("3月24日", "3月25日")
    assert _errors(lambda: load_form_spec(write_annex(text))) == [(6, "form.instruction")]
    assert "2022年3月24日" in _messages(lambda: load_form_spec(write_annex(text)))


# Blank form: layout ------------------------------------------------------------------------
def test_title_is_merged_bold_heiti_16pt_and_centred(blank_sheet):
    title = blank_sheet["A1"]
    assert (title.value, title.font.name, title.font.sz, title.font.b) == ("各省级知识产权管理部门联系人信息表", "黑体", 16, True)
    assert title.alignment.horizontal == "center"
    assert {str(r) for r in blank_sheet.merged_cells.ranges} == {"A1:H1", "A2:H2"}


def test_instruction_line_wraps_under_the_title(blank_sheet):
    assert (blank_sheet["A2"].value, blank_sheet["A2"].alignment.wrap_text) == (INSTRUCTION, True)


def test_header_row_is_bold_bordered_and_filled(blank_sheet):
    header = blank_sheet[3][: len(COLUMNS)]
    assert tuple(c.value for c in header) == COLUMNS
    assert all(c.font.b and c.border.left.style == "thin" and c.fill.fgColor.rgb.endswith("D9D9D9") for c in header)


def test_serial_numbers_are_prefilled_and_other_cells_empty(blank_sheet):
    assert [blank_sheet.cell(row, 1).value for row in range(4, 24)] == list(range(1, 21))
    assert all(c.value is None for c in _data_cells(blank_sheet) if c.column > 1)
    assert blank_sheet.max_row == 23


def test_every_data_cell_is_text_formatted_and_bordered(blank_sheet):
    cells = _data_cells(blank_sheet)
    assert len(cells) == 160
    assert {(c.number_format, c.border.bottom.style) for c in cells} == {("@", "thin")}


def test_unit_column_is_the_widest_and_headers_fit(blank_sheet):
    widths = {c.value: blank_sheet.column_dimensions[c.column_letter].width for c in blank_sheet[3]}
    assert max(widths, key=widths.get) == "工作单位"
    assert all(width >= 2 * len(name) for name, width in widths.items())


def test_no_cell_holds_a_formula(blank_sheet, bingtuan_workbook):
    for sheet in (blank_sheet, bingtuan_workbook.active):
        assert [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"] == []


def test_text_starting_with_equals_stays_text(tmp_path):
    spec = FormSpec("=HYPERLINK(\"x\")", ("序号", "工作单位"), "=1+1", 2)
    sheet = openpyxl.load_workbook(build_blank_form(spec, tmp_path / "f.xlsx", authority=AUTHORITY, day=NOTICE_DATE)).active
    assert [(c.value, c.data_type) for c in (sheet["A1"], sheet["A2"])] == [('=HYPERLINK("x")', "s"), ("=1+1", "s")]


def test_sheet_name_is_the_title_made_excel_safe(blank_sheet):
    assert blank_sheet.title == "各省级知识产权管理部门联系人信息表"
    long_name = sheet_name("关于[2022]年度知识产权信息服务优秀案例分享活动：各单位联系人/联络员信息汇总表")
    assert len(long_name) == 31 and not set(long_name) & set("[]:*?/\\")


# Blank form: data validation ----------------------------------------------------------------
def test_gender_is_a_male_female_list_on_every_data_row(blank_sheet):
    rule = _validation(blank_sheet, "性别")
    assert (rule.type, rule.formula1, str(rule.sqref)) == ("list", '"男,女"', "D4:D23")


def test_mobile_rule_requires_11_digits(blank_sheet):
    rule = _validation(blank_sheet, "手机号码")
    assert (rule.type, str(rule.sqref)) == ("custom", "G4:G23")
    assert "LEN(G4)=11" in rule.formula1 and "11 位" in rule.prompt


def test_phone_rule_requires_digits_and_one_hyphen(blank_sheet):
    rule = _validation(blank_sheet, "办公电话")
    assert (rule.type, str(rule.sqref)) == ("custom", "F4:F23")
    assert 'SUBSTITUTE(F4,"-","")' in rule.formula1 and "010-62083702" in rule.prompt


def test_every_rule_shows_a_chinese_prompt_and_stops_bad_input(blank_sheet):
    rules = blank_sheet.data_validations.dataValidation
    assert sorted(r.promptTitle for r in rules) == ["办公电话", "性别", "手机号码"]
    for rule in rules:
        assert (rule.showInputMessage, rule.showErrorMessage, rule.errorStyle, rule.allow_blank) == (True, True, "stop", True)
        assert rule.prompt and rule.errorTitle and rule.error and "请" in rule.error
        assert len(rule.formula1) <= 255 and len(rule.prompt) <= 255 and len(rule.errorTitle) <= 32


MOBILE_CASES = {"13912345678": True, "1391234567": False, "23912345678": False, "1391234567%": False,
                "1.391234567": False, " 1391234567": False, "1391234567 ": False, "139-1234567": False}
PHONE_CASES = {"010-62083702": True, "0755-12345678": True, "01062083702": False, "010--6208370": False,
               "-01062083702": False, "010-6208 370": False, "010-6208.702": False, "1-2": False, "010－62083702": False}


@pytest.mark.libreoffice
def test_rules_accept_and_reject_as_documented_in_libreoffice(tmp_path):
    """Evaluate the rule formulas in LibreOffice Calc (skipped without it)."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        pytest.skip("未安装 LibreOffice")
    cases = [(text, mobile_rule, ok) for text, ok in MOBILE_CASES.items()] + [(t, phone_rule, ok) for t, ok in PHONE_CASES.items()]
    book = openpyxl.Workbook()
    for row, (text, rule, _) in enumerate(cases, start=1):
        book.active.cell(row, 1).value = text
        book.active.cell(row, 2).value = f"=IF(ISERROR({rule(f'A{row}').formula1}),FALSE,{rule(f'A{row}').formula1})"
    book.save(tmp_path / "rules.xlsx")
    subprocess.run([exe, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless", "--convert-to", "csv",
                    "--outdir", str(tmp_path), str(tmp_path / "rules.xlsx")], capture_output=True, timeout=180)
    if not (tmp_path / "rules.csv").exists():
        pytest.skip("LibreOffice Calc 不可用（只装了 Writer）")
    results = [line.rsplit(",", 1)[1] == "TRUE" for line in (tmp_path / "rules.csv").read_text(encoding="utf-8").splitlines()]
    assert results == [ok for _, _, ok in cases]


# Blank form: view, print and protection -------------------------------------------------
def test_panes_are_frozen_below_the_header(blank_sheet):
    assert blank_sheet.freeze_panes == "A4"


def test_prints_on_a4_landscape_fitted_to_width_repeating_the_header(blank_sheet):
    setup = blank_sheet.page_setup
    assert (setup.paperSize, setup.orientation, setup.fitToWidth, setup.fitToHeight) == (9, "landscape", 1, 0)
    assert blank_sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert blank_sheet.print_title_rows == "$3:$3"
    assert blank_sheet.page_margins.left > 0.4


def test_narrow_table_prints_portrait(tmp_path):
    spec = FormSpec("回执", ("序号", "工作单位", "姓名"), "请填写。", 5)
    sheet = openpyxl.load_workbook(build_blank_form(spec, tmp_path / "r.xlsx", authority=AUTHORITY, day=NOTICE_DATE)).active
    assert (sheet.page_setup.orientation, sheet.page_setup.paperSize) == ("portrait", 9)


def test_sheet_is_protected_without_password_but_allows_resizing(blank_sheet):
    protection = blank_sheet.protection
    assert (protection.sheet, protection.password, protection.formatColumns, protection.formatRows) == (True, None, False, False)


def test_title_header_and_serials_are_locked_while_data_cells_are_not(blank_sheet):
    fixed = [blank_sheet["A1"], blank_sheet["A2"], *blank_sheet[3][:8], *[blank_sheet.cell(r, 1) for r in range(4, 24)]]
    assert all(cell.protection.locked for cell in fixed)
    assert not any(cell.protection.locked for cell in _data_cells(blank_sheet) if cell.column > 1)


def test_blank_form_carries_the_authority_and_notice_date(blank_workbook, outputs):
    props = blank_workbook.properties
    assert (props.creator, props.created, props.modified) == (AUTHORITY, dt.datetime(2022, 3, 21), dt.datetime(2022, 3, 21))
    with zipfile.ZipFile(outputs / "附件2 联系人信息表.xlsx") as package:
        assert {info.date_time for info in package.infolist()} == {(2022, 3, 21, 0, 0, 0)}


# Personalised copies ------------------------------------------------------------------------
def test_one_copy_per_unit_with_distinct_recipient_ids(outputs, sample_recipients):
    files = sorted((outputs / "forms").glob("*.xlsx"))
    ids = [{p.name: p.value for p in openpyxl.load_workbook(f).custom_doc_props}["recipient_id"] for f in files]
    assert (len(files), len(set(ids))) == (48, 48)
    assert set(ids) == {unit.id for unit in sample_recipients}


def test_copy_prefills_the_unit_and_names_it_above_the_table(bingtuan_workbook):
    sheet = bingtuan_workbook.active
    assert (sheet["B4"].value, sheet["B4"].protection.locked) == ("新疆生产建设兵团知识产权局", False)
    assert sheet["A2"].value.splitlines() == ["填报单位：新疆生产建设兵团知识产权局", INSTRUCTION]
    assert [sheet.cell(row, 2).value for row in range(5, 24)] == [None] * 19


def test_copy_is_tagged_with_the_recipient_id(bingtuan_workbook):
    assert [(p.name, p.value) for p in bingtuan_workbook.custom_doc_props] == [("recipient_id", "xinjiang-bingtuan")]


def test_manifest_lists_the_blank_form_and_each_copy_with_its_unit(outputs):
    files = json.loads((outputs / "manifest.json").read_text(encoding="utf-8"))["files"]
    roles = Counter(f["role"] for f in files)
    assert roles == {"annex2_form": 1, "form": 48}
    bingtuan = next(f for f in files if f.get("recipient_id") == "xinjiang-bingtuan")
    assert bingtuan["path"] == "forms/附件2 联系人信息表-新疆生产建设兵团知识产权局.xlsx"


def test_rebuilding_replaces_manifest_entries(tmp_path, contact_spec, sample_recipients):
    for _ in range(2):
        build_forms(sample_recipients[:2], contact_spec, tmp_path / "forms", authority=AUTHORITY, day=NOTICE_DATE,
                    manifest_dir=tmp_path)
    files = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))["files"]
    assert [f["recipient_id"] for f in files] == ["beijing", "tianjin"]


def test_file_names_are_safe_on_windows_and_distinct(tmp_path, contact_spec):
    units = [Recipient("odd", '某某局/办公室:"试点"', (), "其他", 2), Recipient("slash", "甲/乙", (), "其他", 3),
             Recipient("colon", "甲:乙", (), "其他", 4)]
    paths = build_forms(units, contact_spec, tmp_path / "forms", authority=AUTHORITY, day=NOTICE_DATE)
    assert [p.name for p in paths] == ["附件2 联系人信息表-某某局_办公室__试点_.xlsx", "附件2 联系人信息表-甲_乙（slash）.xlsx",
                                       "附件2 联系人信息表-甲_乙（colon）.xlsx"]


def test_same_inputs_give_identical_bytes(tmp_path, outputs, contact_spec, sample_recipients):
    again = build_forms(sample_recipients, contact_spec, tmp_path / "forms", authority=AUTHORITY, day=NOTICE_DATE)
    assert all(path.read_bytes() == (outputs / "forms" / path.name).read_bytes() for path in again)
    blank = build_blank_form(contact_spec, tmp_path / "附件2 联系人信息表.xlsx", authority=AUTHORITY, day=NOTICE_DATE)
    assert blank.read_bytes() == (outputs / blank.name).read_bytes()


def test_a_form_without_a_unit_column_is_personalised_above_the_table(tmp_path, sample_recipients):
    spec = FormSpec("回执", ("序号", "姓名"), "请填写。", 5)
    [path] = build_forms(sample_recipients[:1], spec, tmp_path / "forms", authority=AUTHORITY, day=NOTICE_DATE)
    book = openpyxl.load_workbook(path)
    assert book.active["A2"].value.splitlines() == ["填报单位：北京市知识产权局", "请填写。"]
    assert [(p.name, p.value) for p in book.custom_doc_props] == [("recipient_id", "beijing")]
    assert [book.active.cell(row, 2).value for row in range(4, 9)] == [None] * 5


def test_cli_rejects_bad_recipients_with_row_and_exit_2(tmp_path):
    import subprocess
    import sys

    bad = tmp_path / "recipients.csv"
    bad.write_text("id,name,aliases,category\nbj,北京市知识产权局,北京,省级\nbj,天津市知识产权局,天津,省级\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "pipeline", "forms", "--recipients", str(bad), "--out", str(tmp_path / "out" / "forms")],
                          capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 2
    assert "第3行" in done.stderr and "id" in done.stderr
    assert not (tmp_path / "out").exists()


def test_recipients_saved_as_gbk_by_excel_are_read(tmp_path):
    path = tmp_path / "recipients.csv"
    path.write_bytes("id,name,aliases,category\nbj,北京市知识产权局,北京|北京市,省级\n".encode("gbk"))
    assert [(u.id, u.name, u.aliases) for u in load_recipients(path)] == [("bj", "北京市知识产权局", ("北京", "北京市"))]
