"""Test check's packet rules on the reference packet: page numbers run on, the 版记 comes last, annexes match the note."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from lxml import etree

from pipeline.check.document import check_document
from pipeline.cli import main
from tests.docx_surgery import NS, W, broken_copy, paragraph_with

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def packet(tmp_path_factory) -> Path:
    """Build the reference packet once."""
    out = tmp_path_factory.mktemp("packet")
    assert main(["packet", "--input", str(REPO / "inputs" / "notice.yaml"), "--out", str(out)]) == 0
    return next(out.glob("*（含附件）.docx"))


def codes(path: Path) -> list[tuple[str, str, str]]:
    """Return (element, code, severity) of every finding check makes on path."""
    return [(f.element, f.code, f.severity) for f in check_document(path).findings]


def test_the_reference_packet_has_no_error(packet):
    assert [c for c in codes(packet) if c[2] == "error"] == []
    assert ("annex_title", "annex_title_mismatch", "warning") in codes(packet)  # 联系人信息表 vs its longer form title


def test_page_numbers_starting_again_in_an_annex_are_reported(packet, tmp_path):
    def restart(root):  # annex 2 becomes its own section, numbered from 1 again
        label = paragraph_with(root, "附件2")
        before = label.getprevious()
        ppr = before.find("w:pPr", NS) if before.find("w:pPr", NS) is not None else etree.SubElement(before, f"{{{W}}}pPr")
        sect = copy.deepcopy(root.find("w:body/w:sectPr", NS))
        ppr.append(sect)
        etree.SubElement(root.find("w:body/w:sectPr", NS), f"{{{W}}}pgNumType").set(f"{{{W}}}start", "1")
    broken = broken_copy(packet, tmp_path / "restart.docx", restart)
    assert ("page_number", "page_number_restart", "error") in codes(broken)


def test_a_colophon_before_the_annexes_is_reported(packet, tmp_path):
    def move(root):
        body = root.find("w:body", NS)
        colophon = next(t for t in body.iter(f"{{{W}}}tbl") if "抄送" in "".join(t.itertext()))
        paragraph_with(root, "（此件公开发布）").addnext(colophon)
    broken = broken_copy(packet, tmp_path / "moved.docx", move)
    assert ("colophon", "colophon_not_last", "error") in codes(broken)


def test_an_annex_missing_from_the_note_is_reported(packet, tmp_path):
    def drop(root):
        third = paragraph_with(root, "3.活动联络群二维码")
        third.getparent().remove(third)
    broken = broken_copy(packet, tmp_path / "dropped.docx", drop)
    assert ("annex_label", "annex_not_listed", "error") in codes(broken)


def test_an_annex_title_unlike_its_note_is_an_error(packet, tmp_path):
    def rename(root):  # the annex's own title line (the note's line reads 1.\t…)
        title = [p for p in root.iter(f"{{{W}}}p") if "".join(p.itertext()) == "知识产权信息服务优秀案例分享活动工作方案"][0]
        title.find(".//w:t", NS).text = "活动日程安排"
        for t in title.findall(".//w:t", NS)[1:]:
            t.text = ""
    broken = broken_copy(packet, tmp_path / "renamed.docx", rename)
    assert ("annex_title", "annex_title_mismatch", "error") in codes(broken)
