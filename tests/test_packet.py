"""Test the packet: notice then annexes from new pages, the 版记 last, continuous page numbers, the PDF."""

from __future__ import annotations

import re
import shutil
import subprocess

import docx
import pytest
import zxingcpp
from docx.oxml.ns import qn
from paths import SAMPLE_NOTICE
from PIL import Image
from seed import missing_in_order, seed_lines

from pipeline.notice.packet import build_packet
from pipeline.pdf.libreoffice import soffice


@pytest.fixture(scope="module")
def packet_path(documents):
    """Return the reference packet (built once per session)."""
    return documents.packet()


@pytest.fixture(scope="module")
def packet(packet_path):
    """Open the packet with python-docx."""
    return docx.Document(packet_path)


@pytest.fixture(scope="module")
def packet_pdf(documents, packet_path):
    """Return the packet rendered with LibreOffice (once per session)."""
    return documents.pdf(packet_path)


def _body_text(document) -> str:
    return re.sub(r"\s+", "", "".join(t.text or "" for t in document.element.body.iter(qn("w:t"))))


def test_packet_reproduces_every_seed_line_in_order(packet):
    header = "".join(p.text for p in packet.sections[0].first_page_header.paragraphs)
    assert missing_in_order(seed_lines(), header + _body_text(packet)) is None


def test_each_annex_starts_a_new_page_after_the_notes(packet):
    texts = [p.text for p in packet.paragraphs]
    labels = [p for p in packet.paragraphs if p.style.name == "附件标签"]
    assert [p.text for p in labels] == ["附件1", "附件2", "附件3"]
    assert all(p.paragraph_format.page_break_before for p in labels)
    assert texts.index("（此件公开发布）") < texts.index("附件1")


def test_colophon_is_the_last_table_after_annex_3(packet):
    body = list(packet.element.body)
    colophon = body[-3]
    assert colophon.tag == qn("w:tbl") and colophon.find(qn("w:tblPr")).find(qn("w:tblpPr")) is not None
    last_label = max(i for i, el in enumerate(body) if el.tag == qn("w:p") and "附件3" in "".join(t.text or "" for t in el.iter(qn("w:t"))))
    assert last_label < body.index(colophon)
    assert "抄送：" in "".join(t.text for t in colophon.iter(qn("w:t")))


def test_one_section_keeps_page_numbers_continuous(packet):
    sections = packet.sections
    assert len(sections) == 1 and sections[0].different_first_page_header_footer
    assert packet.settings.odd_and_even_pages_header_footer
    assert packet.element.body.xpath(".//w:pgNumType[@w:start]") == []
    footers = [sections[0].footer, sections[0].even_page_footer]
    assert all("PAGE" in "".join(f._element.xpath(".//w:instrText/text()")) for f in footers)


def test_packet_builds_to_identical_bytes(packet_path, tmp_path):
    assert build_packet(SAMPLE_NOTICE, tmp_path).read_bytes() == packet_path.read_bytes()


# On the rendered page ----------------------------------------------------------------
def _page_texts(pdf) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


def _footer_numbers(pdf) -> list[tuple[int, float] | None]:
    """Return each page's '— N —' number and its x centre in mm (None where absent)."""
    words = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = words.split("<page ")[1:]
    found = []
    for page in pages:
        numbers = re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">(\d+)</word>', page)
        low = [(int(n), (float(a) + float(b)) / 2 * 25.4 / 72) for a, y, b, n in numbers if float(y) * 25.4 / 72 > 265]
        found.append(low[0] if low else None)
    return found


@pytest.mark.skipif(soffice() is None, reason="LibreOffice not installed")
@pytest.mark.libreoffice
def test_page_numbers_run_on_from_page_2_odd_right_even_left(packet_pdf):
    numbers = _footer_numbers(packet_pdf)
    assert numbers[0] is None and len(numbers) >= 10
    assert [n for n, _ in numbers[1:]] == list(range(2, len(numbers) + 1))
    for number, x in numbers[1:]:
        assert (x > 150) if number % 2 else (x < 60), (number, x)


@pytest.mark.skipif(soffice() is None, reason="LibreOffice not installed")
@pytest.mark.libreoffice
def test_annexes_open_their_pages_and_colophon_ends_the_last(packet_pdf):
    pages = [re.sub(r"\s+", "", p) for p in _page_texts(packet_pdf)]
    starts = [i for i, p in enumerate(pages) if re.match(r"附件\d", p)]
    assert len(starts) == 3
    assert "抄送：" in pages[-1] and "2022年3月22日印发" in pages[-1]
    assert "抄送：" not in "".join(pages[:-1])


@pytest.mark.skipif(soffice() is None, reason="LibreOffice not installed")
@pytest.mark.libreoffice
def test_pdf_embeds_every_font(packet_pdf):
    listing = subprocess.run(["pdffonts", str(packet_pdf)], capture_output=True, text=True, check=True).stdout
    rows = listing.splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" for row in rows), listing


@pytest.mark.skipif(soffice() is None, reason="LibreOffice not installed")
@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler not installed")
def test_both_codes_decode_from_the_rendered_packet(packet_pdf, tmp_path):
    pages = _page_texts(packet_pdf)
    last = len(pages)
    subprocess.run(["pdftoppm", "-r", "200", "-f", str(last), "-l", str(last), "-png", str(packet_pdf), str(tmp_path / "p")], check=True)
    image = Image.open(next(tmp_path.glob("p-*.png")))
    texts = sorted(r.text for r in zxingcpp.read_barcodes(image))
    assert texts[0] == "http://cnipa.gensee.com/training/site/s/45703050"
    assert texts[1].startswith("https://weixin.qq.com/g/")


def test_without_libreoffice_pdf_step_names_what_it_skipped_and_how_to_install(packet_path, tmp_path):
    import os
    import sys

    from paths import REPO

    env = {**os.environ, "PATH": str(tmp_path)}  # no soffice on this PATH
    out = packet_path.parent
    skipped = subprocess.run([sys.executable, "-m", "pipeline", "pdf", "--out", str(out), "--if-available"],
                             capture_output=True, text=True, cwd=REPO, env=env)
    assert skipped.returncode == 0
    assert "跳过以下 PDF" in skipped.stdout and "通知（含附件）.pdf" in skipped.stdout
    assert "apt-get install" in skipped.stdout and "libreoffice" in skipped.stdout
    strict = subprocess.run([sys.executable, "-m", "pipeline", "pdf", "--out", str(out)],
                            capture_output=True, text=True, cwd=REPO, env=env)
    assert strict.returncode == 2 and "未找到 LibreOffice" in strict.stderr


PACKET_RULER_CHECKS = ("pdf_pages", "pdf_fonts", "pdf_head", "pdf_title", "pdf_main_found", "pdf_body_x_range",
                       "pdf_body_pitch", "pdf_chars_per_line", "pdf_signature", "pdf_page_numbers", "pdf_colophon")


@pytest.mark.skipif(soffice() is None, reason="LibreOffice not installed")
@pytest.mark.libreoffice
@pytest.mark.parametrize("check", PACKET_RULER_CHECKS)
def test_packet_pdf_meets_the_notice_rules(packet_pdf, check):
    from pipeline.check import ruler
    import yaml

    data = yaml.safe_load(SAMPLE_NOTICE.read_text(encoding="utf-8"))
    assert getattr(ruler, check)(packet_pdf, data["format"], data) == []


def _pages_words(pdf) -> list[list[tuple[float, float, str]]]:
    """Return each page's words as (x in mm, top y in mm, text)."""
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pattern = r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">([^<]+)</word>'
    return [[(float(x) * 25.4 / 72, float(y) * 25.4 / 72, w) for x, y, w in re.findall(pattern, page)]
            for page in xml.split("<page ")[1:]]


@pytest.mark.skipif(soffice() is None, reason="LibreOffice not installed")
@pytest.mark.libreoffice
def test_annex_label_sits_top_left_and_title_on_the_third_line(packet_pdf):
    line = 225 / 22  # mm per grid line; the 版心 starts 37 mm from the top
    titles = {"1": "知识产权信息服务优秀案例分享活动工作方案", "2": "各省级知识产权管理部门联系人信息表", "3": "活动联络群二维码"}
    seen = []
    for words in _pages_words(packet_pdf):
        if not words or not words[0][2].startswith("附件"):
            continue
        x, y, text = words[0]
        number = (text + words[1][2])[2:3]
        assert abs(x - 28) < 1 and 37 <= y < 37 + line, (text, x, y)
        title = next((wy for _, wy, w in words if titles[number].startswith(w) and len(w) > 3), None)
        assert title is not None and 37 + 2 * line <= title < 37 + 3 * line, (number, title)
        seen.append(number)
    assert seen == ["1", "2", "3"]


def test_both_codes_decode_from_the_word_packet(packet):
    import io

    blobs = [packet.part.related_parts[rid].blob for rid in packet.element.body.xpath(".//a:blip/@r:embed")]
    texts = sorted(r.text for blob in blobs for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(blob))))
    assert texts[0] == "http://cnipa.gensee.com/training/site/s/45703050"
    assert texts[1].startswith("https://weixin.qq.com/g/") and len(texts) == 2


def test_preview_of_a_damaged_pdf_gives_a_chinese_message(tmp_path):
    import json
    import sys

    from paths import REPO

    (tmp_path / "x.pdf").write_bytes(b"%PDF-1.4 broken")
    (tmp_path / "manifest.json").write_text(json.dumps({"files": [{"role": "packet_pdf", "path": "x.pdf", "sha256": ""}]}),
                                            encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "pipeline", "preview", "--out", str(tmp_path)],
                          capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 2 and "无法渲染" in done.stderr and "Traceback" not in done.stderr
