"""Give the columns of a fill-in form their Excel data-validation rules (性别, 手机号码, 办公电话)."""

from __future__ import annotations

from openpyxl.worksheet.datavalidation import DataValidation


def gender_rule(ref: str) -> DataValidation:
    """Return the 性别 rule: a drop-down list of 男 and 女."""
    return _rule("list", '"男,女"', "性别", "请从下拉列表中选择“男”或“女”。",
                 "性别填写有误", "性别只能填“男”或“女”，请从下拉列表中选择。")


def mobile_rule(ref: str) -> DataValidation:
    """Return the 手机号码 rule: 11 digits starting with 1 (works on text and on numbers)."""
    formula = f'AND(LEN({ref})=11,LEFT({ref},1)="1",TEXT(--{ref},"00000000000")={ref}&"")'
    return _rule("custom", formula, "手机号码", "请填写 11 位手机号码，只写数字，不加空格、横线或 +86，如 13912345678。",
                 "手机号码格式不对", "手机号码应为以 1 开头的 11 位数字，不含空格、横线或 +86，请重新输入。")


def phone_rule(ref: str) -> DataValidation:
    """Return the 办公电话 rule: digits with one hyphen (区号-号码), 7 to 16 characters.

    16 keeps every number within the 15 significant digits Excel can compare exactly.
    """
    digits = f'SUBSTITUTE({ref},"-","")'
    formula = (f'AND(LEN({ref})>=7,LEN({ref})<=16,LEN({ref})-LEN({digits})=1,LEFT({ref},1)<>"-",'
               f'RIGHT({ref},1)<>"-",TEXT(--{digits},REPT("0",LEN({digits})))={digits})')
    return _rule("custom", formula, "办公电话", "请按“区号-号码”填写，用一个半角连字符“-”，如 010-62083702；只含数字和“-”，共 7～16 位。",
                 "办公电话格式不对", "办公电话应为“区号-号码”，如 010-62083702：只含数字和一个半角“-”，共 7～16 位，请重新输入。")


RULES = {"性别": gender_rule, "手机号码": mobile_rule, "办公电话": phone_rule}


def _rule(kind: str, formula: str, title: str, prompt: str, error_title: str, error: str) -> DataValidation:
    return DataValidation(type=kind, formula1=formula, allow_blank=True, showInputMessage=True, showErrorMessage=True,
                          promptTitle=title, prompt=prompt, errorTitle=error_title, error=error, errorStyle="stop")
