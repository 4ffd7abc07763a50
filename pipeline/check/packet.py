"""Check a packet holds together: page numbers run on across its sections, and the 版记 comes last."""

from __future__ import annotations

from .findings import Finding
from .recognition import Recognition
from .standard import NS, w
from .wordml import Docx

COLOPHON = ("cc", "printer", "colophon_addressee")


def page_numbers_continue(doc: Docx) -> list[Finding]:
    """Report a section after the first that starts its page numbers again (annexes number on, 一 1 一 …)."""
    out = []
    for n, sect in enumerate(doc.sections[1:], start=2):
        start = sect.find("w:pgNumType", NS)
        if start is not None and start.get(w("start")) is not None:
            out.append(Finding("page_number_restart", "page_number",
                               f"第 {n} 节的页码从 {start.get(w('start'))} 重新起编；公文与附件的页码应连续",
                               found=f"从 {start.get(w('start'))} 起", want="接续前一页"))
    return out


def colophon_last(r: Recognition) -> list[Finding]:
    """Report a 版记 followed by other content (it belongs on the document's last page, after the annexes)."""
    ends = [e.paragraph for e in r.elements if e.element in COLOPHON and e.paragraph]
    later = [e for e in r.elements if ends and e.element not in COLOPHON and e.paragraph > max(ends)]
    if not later:
        return []
    return [Finding("colophon_not_last", "colophon", f"版记之后还有内容（第 {later[0].paragraph} 段“{later[0].text[:12]}”）；"
                    "版记应在公文最后一页的最后", paragraph=max(ends), found=f"第 {later[0].paragraph} 段在版记之后",
                    want="版记在最后")]
