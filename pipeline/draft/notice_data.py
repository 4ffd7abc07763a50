"""Write what a draft was recognised to be as notice data files: notice.yaml, its annexes, its issued document."""

from __future__ import annotations

from ..check.body_items import body_items
from ..check.recognition import Recognition
from ..core import dump
from .standardise import Corrector, annex_names, standard_body, standard_date, standard_number

NOTICE_FILE, ISSUED_FILE = "notice.yaml", "issued.yaml"
KEY_ORDER = ("format", "copy_number", "secrecy", "urgency", "authority", "mark", "mark_word", "signers", "number",
             "title", "addressees", "addressees_in_colophon", "body", "closing", "annexes", "present", "absent",
             "observers", "signature", "proxy_seal", "signed_by", "date", "note", "publication", "issued", "copy_to",
             "printer", "print_date")
HEADER = "# 由草稿识别生成（python -m pipeline format）。核对后可改任一项，再运行：python -m pipeline notice --input 本文件\n"
NEEDS = {"number": "发文字号（如 某某函〔2024〕1号）", "title": "标题", "addressees": "主送机关（标题下一行，以冒号结尾）",
         "date": "成文日期（如 2024年5月8日）"}


def notice_files(r: Recognition, fix: Corrector) -> tuple[dict[str, dict], list[str]]:
    """Return {file name: data} for the notice and its parts, and what is missing for it to build."""
    data = {k: v for k, v in r.data.items()}
    data["body"] = standard_body((data.get("body") or []) + body_items(r.unplaced, _unrecorded), fix)
    for key in ("title", "addressees", "closing", "note", "publication", "copy_to", "present", "absent", "observers"):
        if data.get(key):
            data[key] = fix.text(_element(key), data[key])
    if data.get("number"):
        data["number"] = fix.note("number", "number_form", data["number"], standard_number(data["number"]))
    for key, element in (("date", "date"), ("print_date", "printer")):
        if data.get(key):
            data[key] = standard_date(data[key], element, fix) or data[key]
    files = {NOTICE_FILE: data}
    data["annexes"] = _annexes(r, data.get("annexes") or [], fix, files)
    if r.issued:
        files[ISSUED_FILE] = {"title": fix.text("issued_title", r.issued["title"]),
                              "body": standard_body(r.issued["body"], fix)}
        data["issued"] = ISSUED_FILE
    files[NOTICE_FILE] = _ordered({k: v for k, v in data.items() if v not in (None, "", []) or k == "mark_word"})
    return files, _missing(files[NOTICE_FILE])


def _unrecorded(*_) -> None:
    """Record nothing: unplaced lines are reported as such, not as recognised elements."""


def _element(key: str) -> str:
    return {"addressees": "addressee", "copy_to": "cc", "publication": "note", "present": "attendance",
            "absent": "attendance", "observers": "attendance", "closing": "closing"}.get(key, key)


def _annexes(r: Recognition, listed: list[str], fix: Corrector, files: dict) -> list:
    """Return the 附件说明 entries: each annex typed in the draft gets its data file (annexN.yaml)."""
    names = annex_names(listed, fix)
    typed = {a["number"]: a for a in r.annexes}
    count = max([len(names)] + list(typed))
    out = []
    for n in range(1, count + 1):
        annex = typed.get(n)
        name = names[n - 1] if n <= len(names) else (annex["title"] if annex else f"附件{n}")
        if annex and annex.get("label", "附件").rstrip(":：") not in ("附件", f"附件{n}"):
            fix.note("annex_label", "annex_label_form", annex["label"], f"附件{n}")
        if annex and annex["body"]:
            files[f"annex{n}.yaml"] = {"number": n, "title": fix.text("annex_title", annex["title"] or name),
                                       "body": standard_body(annex["body"], fix, "body")}
            out.append({"name": name, "source": f"annex{n}.yaml"})
        else:
            out.append(name)
    return out


def _ordered(data: dict) -> dict:
    return {k: data[k] for k in KEY_ORDER if k in data} | {k: v for k, v in data.items() if k not in KEY_ORDER}


def _missing(data: dict) -> list[str]:
    """Return what the layout needs and the draft did not give (a 纪要 needs no number, a 命令 no title)."""
    fmt = data.get("format")
    skip = {"纪要格式": {"number", "addressees"}, "命令格式": {"title", "addressees"}}.get(fmt, set())
    if data.get("addressees_in_colophon"):
        skip = skip | {"addressees"}
    out = [f"草稿中未找到{what}" for key, what in NEEDS.items() if key not in skip and not data.get(key)]
    if not data.get("body"):
        out.append("草稿中未找到正文")
    if not data.get("authority"):
        out.append("草稿中未找到发文机关（版头的发文机关标志或文末的署名）")
    if fmt == "命令格式":
        out.append("命令格式须有签发人的签名章图片：请在 notice.yaml 的 signed_by 中为每位签发人写上 stamp（PNG 文件）后运行 notice 阶段")
    if isinstance(data.get("date"), str):
        out.append(f"成文日期“{data['date']}”无法识别为日期")
    return out


def yaml_bytes(data: dict, header: str = HEADER) -> bytes:
    """Return a notice data file's YAML, headed by the note on how it was made."""
    return dump.yaml_bytes(data, header)
