"""Give each typed column of a fill-in form its Excel data-validation rule, with Chinese prompts and error messages."""

from __future__ import annotations

import datetime as dt

from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.datavalidation import DataValidation

from .columns import GENDERS, KNOWN, Column

LIST_LIMIT = 255  # characters of an inline list formula ("a,b,c"); a longer list is read from a sheet
TITLE_LIMIT, PROMPT_LIMIT, ERROR_LIMIT = 32, 255, 225  # what Excel shows of a rule's titles and messages
DATES = (dt.date(1900, 1, 1), dt.date(9999, 12, 31))  # a date column's range when it gives no min or max
WHOLE = (-999_999_999, 999_999_999)  # an integer column's range when it gives no min or max
DECIMAL = (-999_999_999_999_999, 999_999_999_999_999)  # a decimal column's: 15 digits, what Excel keeps exact
REQUIRED = "必填。"
EXAMPLE_DATE = "2022-03-24"


# The contact form's rules, by their ref (the first data cell) -------------------------------------
def gender_rule(ref: str, name: str = "性别") -> DataValidation:
    """Return the 性别 rule: a drop-down list of 男 and 女."""
    return _list_rule(name, list_formula(GENDERS), "请从下拉列表中选择“男”或“女”。",
                      f"{_short(name)}只能填“男”或“女”，请从下拉列表中选择。")


def mobile_rule(ref: str, name: str = "手机号码") -> DataValidation:
    """Return the 手机号码 rule: 11 digits starting with 1 (works on text and on numbers)."""
    return _rule("custom", mobile_formula(ref), name, "请填写 11 位手机号码，只写数字，不加空格、横线或 +86，如 13912345678。",
                 "格式不对", f"{_short(name)}应为以 1 开头的 11 位数字，不含空格、横线或 +86，请重新输入。")


def phone_rule(ref: str, name: str = "办公电话") -> DataValidation:
    """Return the 办公电话 (landline) rule: digits with one hyphen (区号-号码), 7 to 16 characters.

    16 keeps every number within the 15 significant digits Excel can compare exactly.
    """
    return _rule("custom", landline_formula(ref), name,
                 "请按“区号-号码”填写，用一个半角连字符“-”，如 010-62083702；只含数字和“-”，共 7～16 位。", "格式不对",
                 f"{_short(name)}应为“区号-号码”，如 010-62083702：只含数字和一个半角“-”，共 7～16 位，请重新输入。")


# Formulas ------------------------------------------------------------------------------------------
def mobile_formula(ref: str) -> str:
    """Return the formula true for a mobile number in ref: 11 digits starting with 1."""
    return f'AND(LEN({ref})=11,LEFT({ref},1)="1",TEXT(--{ref},"00000000000")={ref}&"")'


def landline_formula(ref: str) -> str:
    """Return the formula true for a landline number in ref: 区号-号码, digits and one hyphen, 7 to 16 long."""
    digits = f'SUBSTITUTE({ref},"-","")'
    return (f'AND(LEN({ref})>=7,LEN({ref})<=16,LEN({ref})-LEN({digits})=1,LEFT({ref},1)<>"-",'
            f'RIGHT({ref},1)<>"-",TEXT(--{digits},REPT("0",LEN({digits})))={digits})')


def any_phone_formula(ref: str) -> str:
    """Return the formula true for a mobile or a landline number in ref (either formula above, in one).

    Written as one AND (only digits once the hyphens are gone, no hyphen at either end, then 11 digits
    starting with 1 and no hyphen, or one hyphen in 7 to 16 characters) rather than OR of the two
    formulas: that OR would exceed Excel's 255 characters (this one fits with a column like BL4) and
    turn into an error, not FALSE, for a landline number given to the mobile formula.
    """
    digits = f'SUBSTITUTE({ref},"-","")'
    return (f'AND(TEXT(--{digits},REPT(0,LEN({digits})))={digits},LEFT({ref})<>"-",RIGHT({ref})<>"-",'
            f'OR(AND(LEN({ref})=11,LEFT({ref})="1",ISERROR(FIND("-",{ref}))),'
            f'AND(LEN({ref})-LEN({digits})=1,LEN({ref})>6,LEN({ref})<17)))')


def email_formula(ref: str) -> str:
    """Return the formula true for an e-mail address in ref: one @, not first, a dot after the next character, no space."""
    return (f'AND(LEN({ref})-LEN(SUBSTITUTE({ref},"@",""))=1,LEFT({ref},1)<>"@",'
            f'ISNUMBER(FIND(".",{ref},FIND("@",{ref})+2)),RIGHT({ref},1)<>".",LEN({ref})=LEN(SUBSTITUTE({ref}," ","")))')


def list_formula(options) -> str | None:
    """Return the inline list formula of options ('"男,女"'), or None when they must be read from a sheet.

    An inline list can hold no comma or double quote, and Excel takes at most 255 characters.
    """
    if any("," in option or '"' in option for option in options):
        return None
    formula = '"' + ",".join(options) + '"'
    return formula if len(formula) <= LIST_LIMIT else None


# One rule per type ---------------------------------------------------------------------------------
def rule(column: Column, ref: str, source: str = "") -> DataValidation | None:
    """Return the data-validation rule of a column whose first data cell is ref, or None (free text, names, 序号,
    and a choice column without choices, which a checked spec never has).

    A gender or choice list is read from source (a range such as '选项'!$A$1:$A$40) when given, else written
    inline; list_formula tells whether it fits inline. A required column's prompt starts with 必填; the
    contact form's own columns keep the prompts their forms always had.
    """
    build = BUILDERS.get(column.type)
    if build is None or (column.type == "choice" and not column.choices):
        return None
    found = build(column, ref, source)
    if column.required and column != KNOWN.get(column.name):
        found.prompt = _clip(REQUIRED + found.prompt, PROMPT_LIMIT)
    return found


def _gender(column: Column, ref: str, source: str) -> DataValidation:
    found = gender_rule(ref, column.name)
    found.formula1 = source or found.formula1
    return found


def _choice(column: Column, ref: str, source: str) -> DataValidation:
    shown = "请从下拉列表中选择：" + "、".join(column.choices) + "。"
    prompt = shown if len(shown) <= PROMPT_LIMIT else "请从下拉列表中选择一项。"
    formula = source or list_formula(column.choices)
    if formula is None:
        raise ValueError(f"“{column.name}”的选项须写在工作表中（source）")
    return _list_rule(column.name, formula, prompt, f"{_short(column.name)}只能填下拉列表中的选项，请从下拉列表中选择。")


def _mobile(column: Column, ref: str, source: str) -> DataValidation:
    return mobile_rule(ref, column.name)


def _landline(column: Column, ref: str, source: str) -> DataValidation:
    return phone_rule(ref, column.name)


def _any_phone(column: Column, ref: str, source: str) -> DataValidation:
    name = column.name
    return _rule("custom", any_phone_formula(ref), name,
                 "请填写 11 位手机号码（如 13912345678），或按“区号-号码”填写座机号码（如 010-62083702）；只写数字和半角“-”，"
                 "不加空格或 +86。", "格式不对",
                 f"{_short(name)}应为 11 位手机号码，或“区号-号码”形式的座机号码（如 010-62083702），只含数字和一个半角“-”，请重新输入。")


def _email(column: Column, ref: str, source: str) -> DataValidation:
    name = column.name
    return _rule("custom", email_formula(ref), name, "请填写电子邮箱，如 zhangsan@example.com；用半角“@”，不加空格。",
                 "格式不对", f"{_short(name)}应为电子邮箱，如 zhangsan@example.com：含一个半角“@”，其后有“.”，不含空格，请重新输入。")


def _id_card(column: Column, ref: str, source: str) -> DataValidation:
    name = column.name
    return _length_rule(name, "请填写 18 位公民身份号码（最后一位可以是 X），不加空格。",
                        f"{_short(name)}应为 18 位公民身份号码（最后一位可以是 X），请核对后重新输入。")


def _credit_code(column: Column, ref: str, source: str) -> DataValidation:
    name = column.name
    return _length_rule(name, "请填写 18 位统一社会信用代码（数字和大写字母），不加空格。",
                        f"{_short(name)}应为 18 位统一社会信用代码，请核对后重新输入。")


def _date(column: Column, ref: str, source: str) -> DataValidation:
    low, high = column.minimum or DATES[0], column.maximum or DATES[1]
    limits = _limits(column, "不早于", "不晚于", "在 {} 至 {} 之间", str)
    found = _rule("date", _serial(low), column.name, f"请按“年-月-日”填写日期，如 {EXAMPLE_DATE}{limits}。",
                  "格式不对", f"{_short(column.name)}应为日期，如 {EXAMPLE_DATE}{limits}，请重新输入。")
    found.operator, found.formula2 = "between", _serial(high)
    return found


def _number(column: Column, ref: str, source: str) -> DataValidation:
    whole = column.type == "integer"
    kind, asked, what, default = ("whole", "整数", "整数", WHOLE) if whole else ("decimal", "数字（可带小数）", "数字", DECIMAL)
    limits = _limits(column, "不小于", "不大于", "在 {} 至 {} 之间", _figure)
    low, high = column.minimum, column.maximum
    if low is not None and high is None:
        operator, formulas = "greaterThanOrEqual", (low,)
    elif high is not None and low is None:
        operator, formulas = "lessThanOrEqual", (high,)
    else:
        operator, formulas = "between", (default[0] if low is None else low, default[1] if high is None else high)
    found = _rule(kind, _figure(formulas[0]), column.name, f"请填写{asked}{limits}。", "格式不对",
                  f"{_short(column.name)}应为{what}{limits}，请重新输入。")
    found.operator = operator
    found.formula2 = _figure(formulas[1]) if len(formulas) > 1 else None
    return found


BUILDERS = {"gender": _gender, "choice": _choice, "mobile": _mobile, "landline": _landline, "phone": _any_phone,
            "email": _email, "id_card": _id_card, "credit_code": _credit_code, "date": _date,
            "integer": _number, "decimal": _number}


# Helpers -------------------------------------------------------------------------------------------
def _limits(column: Column, above: str, below: str, between: str, shown) -> str:
    """Return how a bounded column's min and max read in a message (“，不小于 0”), or ''."""
    low, high = column.minimum, column.maximum
    if low is not None and high is not None:
        return "，" + between.format(shown(low), shown(high))
    if low is not None:
        return f"，{above} {shown(low)}"
    return f"，{below} {shown(high)}" if high is not None else ""


def _serial(day: dt.date) -> str:
    """Return a date as the serial number Excel itself writes in a date rule (1900 date system)."""
    return str(int(to_excel(day)))


def _figure(value) -> str:
    """Return a number as a formula writes it: 12, -3.5, 1e+20 (never 12.0)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value) if isinstance(value, int) else f"{value:.15g}"


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _list_rule(name: str, formula: str, prompt: str, error: str) -> DataValidation:
    return _rule("list", formula, name, prompt, "填写有误", error)


def _length_rule(name: str, prompt: str, error: str) -> DataValidation:
    found = _rule("textLength", "18", name, prompt, "格式不对", error)
    found.operator = "equal"
    return found


def _short(name: str) -> str:
    """Return a column's name as a message quotes it: at most 20 characters."""
    return _clip(name, 20)


def _rule(kind: str, formula: str, name: str, prompt: str, error_title: str, error: str) -> DataValidation:
    """Return a rule titled by the column's name; error_title follows the name (格式不对)."""
    return DataValidation(type=kind, formula1=formula, allow_blank=True, showInputMessage=True, showErrorMessage=True,
                          promptTitle=_clip(name, TITLE_LIMIT), prompt=_clip(prompt, PROMPT_LIMIT),
                          errorTitle=_short(name) + error_title, error=_clip(error, ERROR_LIMIT), errorStyle="stop")
