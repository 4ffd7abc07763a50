"""Test the normaliser of one returned cell per column type: good values cleaned, bad ones kept and named."""

from __future__ import annotations

import datetime as dt
import string

import pytest

from pipeline.forms.columns import Column
from pipeline.roster.values import clean_value

FULL_WIDTH = {ord(c): ord(c) + 0xFEE0 for c in string.digits + string.ascii_letters + ".,-@"}


def full_width(value: str) -> str:
    """Return ASCII digits, letters and .,-@ as their full-width forms (１２００．５)."""
    return value.translate(FULL_WIDTH)


def id_number(body: str) -> str:
    """Return 17 digits with their GB 11643 check character, computed here from weights 2^k mod 11."""
    total = sum(int(d) * pow(2, 17 - i, 11) for i, d in enumerate(body))
    check = (12 - total % 11) % 11
    return body + ("X" if check == 10 else str(check))


def credit_code(body: str) -> str:
    """Return 17 characters with their GB 32100 check character, computed here from weights 3^i mod 31."""
    alphabet = [c for c in string.digits + string.ascii_uppercase if c not in "IOZSV"]
    total = sum(alphabet.index(c) * pow(3, i, 31) for i, c in enumerate(body))
    return body + alphabet[(31 - total % 31) % 31]


def other(check: str, alphabet: str = "0123456789X") -> str:
    """Return a check character that is not the right one."""
    return next(c for c in alphabet if c != check)


def outcome(column: Column, raw) -> tuple[str, str | None]:
    """Return what the normaliser makes of a cell: the value and the issue's code (None when fine)."""
    value, issue = clean_value(column, raw)
    return value, issue.code if issue else None


def why(column: Column, raw) -> str:
    """Return the reason given for a bad cell."""
    issue = clean_value(column, raw)[1]
    assert issue is not None and issue.field == column.key
    return issue.why


# Synthetic numbers (area 99 does not exist), never a real person's or organisation's.
ID = id_number("99010119900307123")
ID_X = next(n for n in (id_number(f"99010119850101{s:03d}") for s in range(1000)) if n.endswith("X"))
ID_WRONG = ID[:17] + other(ID[17])
ID_BAD_BIRTH = id_number("99010119900230123")
CREDIT = credit_code("91990000MA0000001")
CREDIT_WRONG = CREDIT[:17] + other(CREDIT[17], "0123456789ABCDEFGHJKLMNPQRTUWXY")

TEXT = Column("备注", "note")
SQUEEZED = Column("职务", "title", squeeze=True)
PERSON = Column("姓名", "name", "person")
INDEX = Column("序号", "seq", "index")
GENDER = Column("性别", "gender", "gender")
MOBILE = Column("手机号码", "mobile", "mobile")
LANDLINE = Column("办公电话", "office_phone", "landline")
PHONE = Column("电话", "phone", "phone")
EMAIL = Column("邮箱", "email", "email")
ID_CARD = Column("身份证号码", "id_card", "id_card")
CREDIT_CODE = Column("统一社会信用代码", "credit_code", "credit_code")
DATE = Column("日期", "date", "date")
INTEGER = Column("人数", "count", "integer")
DECIMAL = Column("金额", "amount", "decimal")
CHOICE = Column("是否参加", "attend", "choice", choices=("是", "否"))
LETTERS = Column("等级", "grade", "choice", choices=("Ａ级", "B级"))
BOUNDED_INTEGER = Column("人数", "count", "integer", minimum=0, maximum=100)
BOUNDED_DECIMAL = Column("比例", "share", "decimal", minimum=0.5, maximum=2)
BOUNDED_DATE = Column("日期", "date", "date", minimum=dt.date(2021, 1, 1), maximum=dt.date(2021, 12, 31))

CASES = [
    # empty and placeholder cells, whatever the type
    (ID_CARD, None, ("", None)), (DATE, "  ", ("", None)), (EMAIL, "无", ("", None)), (MOBILE, "／", ("", None)),
    (INTEGER, 0, ("0", None)), (DECIMAL, "0", ("0", None)), (INTEGER, "—", ("", None)),
    # text, names, index, unit
    (TEXT, "  第一  批  ", ("第一 批", None)), (SQUEEZED, "处　长", ("处长", None)), (TEXT, "处 长", ("处 长", None)),
    (PERSON, "李　玥", ("李玥", None)), (INDEX, 3, ("3", None)), (INDEX, "甲", ("甲", None)),
    (Column("工作单位", "unit", "unit"), " 某某局 ", ("某某局", None)),
    # gender
    (GENDER, "男性", ("男", None)), (GENDER, "F", ("女", None)), (GENDER, "未知", ("未知", "invalid_gender")),
    # mobile, landline, phone
    (MOBILE, 13800138000, ("13800138000", None)), (MOBILE, "+86 138-0013-8000", ("13800138000", None)),
    (MOBILE, "1380013800", ("1380013800", "invalid_mobile")),
    (LANDLINE, "010-62083702", ("010-62083702", None)), (LANDLINE, 1062083702, ("010-62083702", None)),
    (LANDLINE, "13800138000", ("13800138000", "invalid_office_phone")),
    (PHONE, "13800138000", ("13800138000", None)), (PHONE, "１３８００１３８０００", ("13800138000", None)),
    (PHONE, "(010)62083702转123", ("010-62083702-123", None)), (PHONE, "62083702", ("62083702", "invalid_phone")),
    (PHONE, "电话待定", ("电话待定", "invalid_phone")),
    # email
    (EMAIL, "Zhang.San@Example.COM", ("Zhang.San@example.com", None)),
    (EMAIL, "zhang＠163.com", ("zhang@163.com", None)), (EMAIL, full_width("li@qq.com"), ("li@qq.com", None)),
    (EMAIL, " mailto:wang@gov.cn ", ("wang@gov.cn", None)), (EMAIL, "张三@单位.中国", ("张三@单位.中国", None)),
    (EMAIL, "zhang @ 163 .com", ("zhang@163.com", None)),
    (EMAIL, "zhang163.com", ("zhang163.com", "invalid_email")), (EMAIL, "zhang@163", ("zhang@163", "invalid_email")),
    (EMAIL, "a@b@c.com", ("a@b@c.com", "invalid_email")), (EMAIL, "@163.com", ("@163.com", "invalid_email")),
    (EMAIL, "zhang@163..com", ("zhang@163..com", "invalid_email")),
    # id_card
    (ID_CARD, ID, (ID, None)), (ID_CARD, ID_X.lower(), (ID_X, None)), (ID_CARD, full_width(ID), (ID, None)),
    (ID_CARD, f"{ID[:6]} {ID[6:14]} {ID[14:]}", (ID, None)), (ID_CARD, int(ID), (ID, None)),
    (ID_CARD, ID_WRONG, (ID_WRONG, "invalid_id_card")), (ID_CARD, ID[:17], (ID[:17], "invalid_id_card")),
    (ID_CARD, ID_BAD_BIRTH, (ID_BAD_BIRTH, "invalid_id_card")),
    (ID_CARD, ID[:5] + "A" + ID[6:], (ID[:5] + "A" + ID[6:], "invalid_id_card")),
    # credit_code
    (CREDIT_CODE, CREDIT, (CREDIT, None)), (CREDIT_CODE, CREDIT.lower(), (CREDIT, None)),
    (CREDIT_CODE, f"{CREDIT[:8]}-{CREDIT[8:]}", (CREDIT, None)), (CREDIT_CODE, full_width(CREDIT), (CREDIT, None)),
    (CREDIT_CODE, CREDIT_WRONG, (CREDIT_WRONG, "invalid_credit_code")),
    (CREDIT_CODE, CREDIT[:16], (CREDIT[:16], "invalid_credit_code")),
    (CREDIT_CODE, CREDIT[:9] + "O" + CREDIT[10:], (CREDIT[:9] + "O" + CREDIT[10:], "invalid_credit_code")),
    # date
    (DATE, 45000, ("2023-03-15", None)), (DATE, 44256.0, ("2021-03-01", None)), (DATE, 44256.75, ("2021-03-01", None)),
    (DATE, 1, ("1900-01-01", None)), (DATE, 59, ("1900-02-28", None)), (DATE, 61, ("1900-03-01", None)),
    (DATE, 60, ("60", "invalid_date")), (DATE, 2958466, ("2958466", "invalid_date")),
    (DATE, -3, ("-3", "invalid_date")),
    (DATE, dt.datetime(2021, 3, 5, 14, 30), ("2021-03-05", None)), (DATE, dt.date(2021, 3, 5), ("2021-03-05", None)),
    (DATE, "2021-03-05", ("2021-03-05", None)), (DATE, "2021-3-5", ("2021-03-05", None)),
    (DATE, "2021年3月5日", ("2021-03-05", None)), (DATE, "2021 年 3 月 5 日", ("2021-03-05", None)),
    (DATE, "2021/3/5", ("2021-03-05", None)), (DATE, "2021.3.5", ("2021-03-05", None)),
    (DATE, "20210305", ("2021-03-05", None)), (DATE, 20210305, ("2021-03-05", None)),
    (DATE, "２０２１年３月５日", ("2021-03-05", None)), (DATE, full_width("2021-03-05"), ("2021-03-05", None)),
    (DATE, "2021-03-05 09:30", ("2021-03-05", None)), (DATE, "2021/3/5 9:30:00", ("2021-03-05", None)),
    (DATE, "2021-03-05T09:30:00", ("2021-03-05", None)), (DATE, "45000", ("2023-03-15", None)),
    (DATE, "2021-02-30", ("2021-02-30", "invalid_date")), (DATE, "三月", ("三月", "invalid_date")),
    (DATE, "2021-3/5", ("2021-3/5", "invalid_date")), (DATE, "2021-13-01", ("2021-13-01", "invalid_date")),
    (DATE, dt.time(9, 30), ("09:30:00", "invalid_date")), (DATE, True, ("是", "invalid_date")),
    # integer
    (INTEGER, 1200, ("1200", None)), (INTEGER, 1200.0, ("1200", None)), (INTEGER, "1,200", ("1200", None)),
    (INTEGER, "1，200", ("1200", None)), (INTEGER, "１２００", ("1200", None)), (INTEGER, " 1200 ", ("1200", None)),
    (INTEGER, "1200.0", ("1200", None)), (INTEGER, "-5", ("-5", None)), (INTEGER, "1,234,567", ("1234567", None)),
    (INTEGER, 1200.5, ("1200.5", "invalid_integer")), (INTEGER, "1200.5", ("1200.5", "invalid_integer")),
    (INTEGER, "12人", ("12人", "invalid_integer")), (INTEGER, "1,20", ("1,20", "invalid_integer")),
    (INTEGER, "十二", ("十二", "invalid_integer")), (INTEGER, False, ("否", "invalid_integer")),
    # decimal
    (DECIMAL, "1,200.5", ("1200.5", None)), (DECIMAL, "１２００．５", ("1200.5", None)), (DECIMAL, "-3", ("-3", None)),
    (DECIMAL, "3.50", ("3.5", None)), (DECIMAL, 1200.5, ("1200.5", None)), (DECIMAL, 0.1 + 0.2, ("0.3", None)),
    (DECIMAL, 1200.0, ("1200", None)), (DECIMAL, 7, ("7", None)), (DECIMAL, "−3", ("-3", None)),
    (DECIMAL, ".5", ("0.5", None)), (DECIMAL, "1e3", ("1e3", "invalid_decimal")),
    (DECIMAL, "15%", ("15%", "invalid_decimal")), (DECIMAL, "3万", ("3万", "invalid_decimal")),
    (DECIMAL, "约 3", ("约 3", "invalid_decimal")), (DECIMAL, float("nan"), ("nan", "invalid_decimal")),
    # choice
    (CHOICE, "是", ("是", None)), (CHOICE, " 否 ", ("否", None)), (CHOICE, True, ("是", None)),
    (CHOICE, "对", ("对", "invalid_choice")), (LETTERS, "A级", ("Ａ级", None)), (LETTERS, "Ｂ级", ("B级", None)),
    (LETTERS, "b级", ("b级", "invalid_choice")),
    # bounds: the value is kept, the issue is out_of_range
    (BOUNDED_INTEGER, "0", ("0", None)), (BOUNDED_INTEGER, 100, ("100", None)),
    (BOUNDED_INTEGER, -1, ("-1", "out_of_range")), (BOUNDED_INTEGER, "1,200", ("1200", "out_of_range")),
    (BOUNDED_DECIMAL, "0.5", ("0.5", None)), (BOUNDED_DECIMAL, 2.0, ("2", None)),
    (BOUNDED_DECIMAL, "0.49", ("0.49", "out_of_range")), (BOUNDED_DECIMAL, "2.01", ("2.01", "out_of_range")),
    (BOUNDED_DATE, "2021年1月1日", ("2021-01-01", None)), (BOUNDED_DATE, 44256, ("2021-03-01", None)),
    (BOUNDED_DATE, "2020-12-31", ("2020-12-31", "out_of_range")), (BOUNDED_DATE, 45000, ("2023-03-15", "out_of_range")),
    (BOUNDED_DATE, "2021-02-30", ("2021-02-30", "invalid_date")),
]


@pytest.mark.parametrize(("column", "raw", "expected"), CASES,
                         ids=[f"{c.type}-{raw!r}" for c, raw, _ in CASES])
def test_a_cell_is_cleaned_or_named_by_its_type(column, raw, expected):
    assert outcome(column, raw) == expected


REASONS = [
    (ID_CARD, ID_WRONG, f"校验码不对，应为 {ID[17]}"), (ID_CARD, ID[:17], "只有 17 位"),
    (ID_CARD, ID + "1", "有 19 位（应为 18 位）"), (ID_CARD, ID_BAD_BIRTH, "出生日期不对（19900230）"),
    (ID_CARD, ID[:5] + "A" + ID[6:], "含有非法字符"), (ID_CARD, "X" + ID[1:], "含有非法字符（X 只能是最后一位）"),
    (ID_CARD, float(ID[:17] + "0"), "显示为科学计数法，后几位已丢失"),
    (ID_CARD, "1.10105E+17", "显示为科学计数法，后几位已丢失"),
    (CREDIT_CODE, CREDIT_WRONG, f"校验码不对，应为 {CREDIT[17]}"), (CREDIT_CODE, CREDIT[:16], "只有 16 位"),
    (CREDIT_CODE, CREDIT[:9] + "O" + CREDIT[10:], "含有非法字符 O（代码中不用字母 I、O、Z、S、V）"),
    (MOBILE, "1380013800", "只有 10 位"), (PHONE, "62083702", "缺少区号"),
    (PHONE, "1.38001E+10", "显示为科学计数法，后几位已丢失"),
    (EMAIL, "zhang163.com", "（缺少“@”）"), (EMAIL, "zhang@163", "（“@”后面的域名不完整，如 163.com）"),
    (DATE, "2021-02-30", "（没有 2021 年 2 月 30 日这一天）"), (DATE, 60, "（序号 60 是 Excel 虚构的 1900-02-29）"),
    (INTEGER, "1200.5", "（有小数部分）"), (INTEGER, "1,20", "（千位分隔符“,”的位置不对）"),
    (DECIMAL, "15%", "（含有“%”）"), (DECIMAL, "3万", "（含有“万”）"), (DECIMAL, "12人", "（含有数字以外的字符）"),
    (CHOICE, "对", "（应为：是、否）"),
    (BOUNDED_INTEGER, -1, "小于下限 0"), (BOUNDED_INTEGER, 101, "大于上限 100"),
    (BOUNDED_DECIMAL, 0.25, "小于下限 0.5"), (BOUNDED_DECIMAL, 3, "大于上限 2"),
    (BOUNDED_DATE, "2020-12-31", "早于下限 2021-01-01"), (BOUNDED_DATE, "2022-01-01", "晚于上限 2021-12-31"),
]


@pytest.mark.parametrize(("column", "raw", "reason"), REASONS, ids=[f"{c.type}-{raw!r}" for c, raw, _ in REASONS])
def test_a_bad_cell_says_why(column, raw, reason):
    assert why(column, raw) == reason


def test_an_issue_keeps_the_value_as_written():
    value, issue = clean_value(DATE, "  2021年2月30日 ")
    assert (value, issue.field, issue.value) == ("2021年2月30日", "date", "2021年2月30日")


def test_a_number_cell_that_lost_digits_is_returned_as_shown():
    value, issue = clean_value(ID_CARD, 1.10105e17)
    assert (value, issue.code) == ("1.10105e+17", "invalid_id_card")


def test_any_one_digit_changed_is_caught():
    altered = [ID[:i] + str((int(ID[i]) + 1) % 10) + ID[i + 1:] for i in range(17)]
    assert {outcome(ID_CARD, number)[1] for number in altered} == {"invalid_id_card"}
