"""Test annex 3: QR generation and decoding, print size, checks, data validation and the one-page PDF."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest
import zxingcpp
from PIL import Image, ImageDraw
from paths import REPO

from pipeline.core.errors import InputError, PipelineError
from pipeline.pdf import fonts
from pipeline.qr import codes, data, sheet

SAMPLE = REPO / "inputs" / "annex3.yaml"
GROUP_IMAGE = REPO / "inputs" / "group_qr.png"
LIVE_URL = "http://cnipa.gensee.com/training/site/s/45703050"
SEED_SENTENCE = "该二维码7天内(3月24日前)有效,重新进入将更新"
NOTICE_DATE = dt.date(2022, 3, 21)


@pytest.fixture
def annex() -> data.QrAnnex:
    """Return the sample annex 3."""
    return data.load_qr_annex(SAMPLE)


@pytest.fixture
def write_annex(tmp_path):
    """Return a function writing annex YAML (the sample with replacements) beside a copy of the group image."""
    shutil.copyfile(GROUP_IMAGE, tmp_path / GROUP_IMAGE.name)

    def write(*replacements: tuple[str, str]) -> Path:
        text = SAMPLE.read_text(encoding="utf-8")
        for old, new in replacements:
            assert old in text
            text = text.replace(old, new)
        path = tmp_path / "annex3.yaml"
        path.write_text(text, encoding="utf-8")
        return path

    return write


def _png_image(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def _line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


# Generated codes ------------------------------------------------------------------
def test_generated_code_decodes_to_its_payload():
    assert codes.decode_qr(codes.qr_png(LIVE_URL)) == LIVE_URL


def test_generated_code_prints_at_least_30_mm_wide():
    image = _png_image(codes.qr_png(LIVE_URL))
    width_mm = image.width / image.info["dpi"][0] * 25.4
    assert codes.QR_WIDTH_MM >= 30
    assert width_mm == pytest.approx(codes.QR_WIDTH_MM, abs=0.05)


def test_generated_code_has_a_quiet_zone_of_four_modules():
    data = codes.qr_png(LIVE_URL)
    found = codes.read_qr(data)
    modules = 17 + 4 * int(found.extra["Version"])
    image = _png_image(data).convert("L")
    left, top, right, bottom = Image.eval(image, lambda v: 255 - v).getbbox()  # the dark modules
    module_px = (right - left) / modules
    assert module_px == int(module_px) and module_px >= 1
    margins = {left, top, image.width - right, image.height - bottom}
    assert margins == {4 * module_px}


def test_generated_code_has_error_correction_m_or_better():
    found = codes.read_qr(codes.qr_png(LIVE_URL))
    assert found.ec_level in ("M", "Q", "H")
    assert found.ec_level == codes.QR_EC_LETTER


def test_print_width_of_a_generated_code_is_the_chosen_width():
    assert codes.print_width_mm(codes.qr_png(LIVE_URL)) == pytest.approx(codes.QR_WIDTH_MM)


# Saved images ----------------------------------------------------------------------
def test_stand_in_group_image_decodes_and_is_small():
    assert codes.decode_qr(GROUP_IMAGE.read_bytes()).startswith("https://weixin.qq.com/g/")
    assert GROUP_IMAGE.stat().st_size < 50_000


def test_saved_card_prints_wider_so_its_code_keeps_the_chosen_width():
    assert codes.print_width_mm(GROUP_IMAGE.read_bytes()) > codes.QR_WIDTH_MM


def test_code_image_is_generated_or_read_as_is(annex):
    live, group = annex.codes
    assert codes.code_image(group, annex.base_dir) == GROUP_IMAGE.read_bytes()
    assert codes.code_image(live, annex.base_dir) == codes.qr_png(LIVE_URL)


def test_non_qr_image_gives_a_chinese_warning(write_annex):
    path = write_annex()
    drawing = Image.new("RGB", (300, 300), "white")
    ImageDraw.Draw(drawing).ellipse((40, 40, 260, 260), outline="red", width=8)
    drawing.save(path.parent / GROUP_IMAGE.name)
    assert codes.decode_qr((path.parent / GROUP_IMAGE.name).read_bytes()) is None
    warnings = data.check_codes(data.load_qr_annex(path), NOTICE_DATE)
    assert warnings == ["附件3 的二维码图片 group_qr.png 无法识别为二维码，请重新保存"]


def test_decode_qr_of_bytes_that_are_no_image_is_none():
    assert codes.decode_qr(b"not a picture") is None


# Expiry and validity -----------------------------------------------------------------
def test_sample_has_no_warning_on_the_notice_date(annex):
    assert data.check_codes(annex, NOTICE_DATE) == []


def test_code_expiring_before_the_reply_date_is_reported(write_annex):
    annex = data.load_qr_annex(write_annex(("valid_until: 2022-03-24", "valid_until: 2022-03-23")))
    warnings = data.check_codes(annex, NOTICE_DATE)
    assert len(warnings) == 1
    assert "2022年3月23日后失效" in warnings[0] and "早于回复截止日期2022年3月24日" in warnings[0]


def test_expired_code_is_reported_relative_to_today(annex):
    warnings = data.check_codes(annex, dt.date(2022, 3, 25))
    assert warnings == ["附件3 的“联系人微信群二维码”已于2022年3月24日过期，请重新保存二维码并更新 valid_until"]
    assert data.check_codes(annex, dt.date(2022, 3, 24)) == []


def test_validity_sentence_equals_the_seed(annex):
    assert data.validity_sentence(annex, annex.codes[1]) == SEED_SENTENCE
    assert data.validity_sentence(annex, annex.codes[0]) == ""


def test_seed_holds_the_same_sentence():
    seed = (REPO / "tests" / "data" / "seed_notice.txt").read_text(encoding="utf-8")
    assert SEED_SENTENCE in seed


# Data validation ----------------------------------------------------------------------
def test_sample_annex_is_read(annex):
    assert (annex.number, annex.title, annex.reply_by) == (3, "活动联络群二维码", dt.date(2022, 3, 24))
    assert [c.payload for c in annex.codes] == [LIVE_URL, None]
    assert annex.codes[0].show_payload and annex.codes[1].image == "group_qr.png"
    assert (annex.codes[1].valid_until, annex.codes[1].valid_days) == (dt.date(2022, 3, 24), 7)


@pytest.mark.parametrize(
    ("replacement", "field", "line_text", "hint"),
    [
        (("title: 活动联络群二维码", "heading: 活动联络群二维码"), "title", "number: 3", "缺少此项"),
        (("    show_payload: true", "    image: group_qr.png"), "codes[1]", "- caption: 分享", "只能填一项"),
        (("image: group_qr.png", "image: missing.png"), "codes[2].image", "image: missing.png", "不存在"),
        (("valid_until: 2022-03-24", "valid_until: 2022-02-30"), "codes[2].valid_until", "valid_until", "不是有效日期"),
        (("valid_days: 7 ", "valid_days: 七 "), "codes[2].valid_days", "valid_days", "正整数"),
        (("{day}日前", "{hour}时前"), "validity", "validity:", "占位符"),
        (("{day}日前", "{day:s}日前"), "validity", "validity:", "占位符"),
        (("payload: http://cnipa.gensee.com/training/site/s/45703050", "payload: http://example.cn/" + "x" * 4000),
         "codes[1].payload", "payload:", "太长"),
    ],
    ids=["title-missing", "payload-and-image", "image-missing", "impossible-date", "days-not-a-number",
         "unknown-placeholder", "format-spec", "payload-too-long"],
)
def test_bad_annex_data_names_field_and_line(write_annex, replacement, field, line_text, hint):
    path = write_annex(replacement)
    with pytest.raises(InputError) as caught:
        data.load_qr_annex(path)
    [error] = [e for e in caught.value.errors if e.code != "unknown_key"]
    assert (error.field, error.row) == (field, _line_of(path, line_text))
    assert hint in error.message and str(path) in str(caught.value)


def test_code_without_payload_or_image_is_rejected(write_annex):
    path = write_annex(("    payload: http://cnipa.gensee.com/training/site/s/45703050\n", ""))
    with pytest.raises(InputError) as caught:
        data.load_qr_annex(path)
    assert [(e.field, e.row) for e in caught.value.errors] == [("codes[1]", _line_of(path, "- caption: 分享"))]


def test_valid_until_without_valid_days_is_rejected(write_annex):
    with pytest.raises(InputError) as caught:
        data.load_qr_annex(write_annex(("    valid_days: 7", "    # valid_days: 7")))
    assert [e.field for e in caught.value.errors] == ["codes[2]"]
    assert "valid_days" in caught.value.errors[0].note


# Fonts ----------------------------------------------------------------------------------
def test_missing_truetype_font_names_the_packages(monkeypatch):
    monkeypatch.setattr(fonts, "find_truetype_font", lambda family: None)
    with pytest.raises(fonts.NoCjkFont) as caught:
        fonts.cjk_fonts()
    assert "apt-get install -y fonts-arphic-uming fonts-arphic-ukai" in str(caught.value)
    assert isinstance(caught.value, PipelineError)


@pytest.mark.skipif(shutil.which("fc-list") is None, reason="fontconfig (fc-list) is not installed")
def test_cff_fonts_are_not_taken_as_truetype():
    listed = subprocess.run(["fc-list", "-f", "%{fontformat}\n", "Noto Sans CJK SC"], capture_output=True, text=True).stdout
    if "CFF" not in listed.split() or "TrueType" in listed.split():
        pytest.skip("Noto Sans CJK SC (CFF) is not installed")
    assert fonts.find_truetype_font("Noto Sans CJK SC") is None


# PDF ----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def pdf_path(tmp_path_factory) -> Path:
    """Build the sample annex 3 PDF once (skip when no TrueType Chinese font is installed)."""
    try:
        fonts.cjk_fonts()
    except fonts.NoCjkFont as exc:
        pytest.skip(str(exc))
    return sheet.build_qr_pdf(data.load_qr_annex(SAMPLE), None, tmp_path_factory.mktemp("qr") / "附件3.pdf")


def test_pdf_is_one_a4_page(pdf_path):
    reader = pypdf.PdfReader(pdf_path)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (float(box.width) / 72 * 25.4, float(box.height) / 72 * 25.4) == (pytest.approx(210, abs=0.1), pytest.approx(297, abs=0.1))


def test_pdf_embeds_every_font(pdf_path):
    fonts = pypdf.PdfReader(pdf_path).pages[0]["/Resources"]["/Font"]
    assert len(fonts) >= 1
    for font in fonts.values():
        descriptor = font.get_object()["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor or "/FontFile3" in descriptor


def test_pdf_text_has_label_title_address_captions_and_validity(pdf_path):
    text = pypdf.PdfReader(pdf_path).pages[0].extract_text()
    for expected in ("附件3", "活动联络群二维码", "分享活动直播地址及二维码：", LIVE_URL, "联系人微信群二维码", SEED_SENTENCE):
        assert expected in text


def test_pdf_links_the_address(pdf_path):
    annotations = [a.get_object() for a in pypdf.PdfReader(pdf_path).pages[0].get("/Annots", [])]
    assert [a["/A"]["/URI"] for a in annotations] == [LIVE_URL]


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler (pdftoppm) is not installed")
def test_both_codes_decode_from_the_rendered_page(pdf_path, tmp_path):
    subprocess.run(["pdftoppm", "-r", "200", "-png", "-singlefile", str(pdf_path), str(tmp_path / "page")], check=True)
    found = zxingcpp.read_barcodes(Image.open(tmp_path / "page.png"), formats=zxingcpp.BarcodeFormat.QRCode)
    texts = sorted(b.text for b in found)
    assert texts == sorted([LIVE_URL, codes.decode_qr(GROUP_IMAGE.read_bytes())])


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler (pdftoppm) is not installed")
def test_codes_print_at_least_30_mm_wide_on_the_page(pdf_path, tmp_path):
    subprocess.run(["pdftoppm", "-r", "200", "-png", "-singlefile", str(pdf_path), str(tmp_path / "page")], check=True)
    for barcode in zxingcpp.read_barcodes(Image.open(tmp_path / "page.png"), formats=zxingcpp.BarcodeFormat.QRCode):
        xs = [barcode.position.top_left.x, barcode.position.top_right.x, barcode.position.bottom_right.x]
        modules = 17 + 4 * int(barcode.extra["Version"])
        width_mm = (max(xs) - min(xs)) * (modules + 8) / modules / 200 * 25.4
        assert width_mm == pytest.approx(codes.QR_WIDTH_MM, abs=1.0)


def test_two_builds_give_identical_bytes(pdf_path, tmp_path):
    again = sheet.build_qr_pdf(data.load_qr_annex(SAMPLE), None, tmp_path / "again.pdf")
    assert again.read_bytes() == pdf_path.read_bytes()


def test_too_many_codes_do_not_fit_on_one_page(write_annex, tmp_path):
    try:
        fonts.cjk_fonts()
    except fonts.NoCjkFont as exc:
        pytest.skip(str(exc))
    extra = "".join(f"  - caption: 二维码{i}\n    payload: https://example.com/{i}\n" for i in range(4))
    path = write_annex(("  - caption: 联系人微信群二维码", extra + "  - caption: 联系人微信群二维码"))
    with pytest.raises(sheet.PageOverflow, match="超出一页"):
        sheet.build_qr_pdf(data.load_qr_annex(path), None, tmp_path / "full.pdf")
    assert not (tmp_path / "full.pdf").exists()
