"""Test the sample seal and signature stamp: red ink on a transparent ground, true to size, the same bytes every run."""

from __future__ import annotations

import subprocess
import sys

import pytest
from paths import REPO
from PIL import Image

from tools import sample_seal
from tools.sample_seal import SEAL_FILE, STAMP_FILE

COMMITTED = REPO / "inputs" / "examples"
# File name: (size in mm, least share of fully opaque pixels)
EXPECTED = {SEAL_FILE: ((42.0, 42.0), 0.10), STAMP_FILE: ((40.0, 16.0), 0.15)}
needs_font = pytest.mark.skipif(sample_seal.find_font() is None, reason="no CJK font found by fontconfig")


def is_red(pixel: tuple) -> bool:
    """Tell whether an RGBA pixel's colour is seal red."""
    red, green, blue, _ = pixel
    return red > 150 and green < 110 and blue < 110


@pytest.fixture(scope="module")
def drawn(tmp_path_factory):
    """Return the folder the script drew both samples into."""
    folder = tmp_path_factory.mktemp("seal") / "out"
    assert sample_seal.main(["--out", str(folder)]) == 0
    return folder


def check_sample(path, name: str) -> None:
    """Assert one sample PNG is RGBA, sized in mm as expected, clear at the corners and inked only in red."""
    (width_mm, height_mm), least_opaque = EXPECTED[name]
    with Image.open(path) as image:
        assert image.mode == "RGBA" and image.format == "PNG"
        dpi_x, dpi_y = image.info["dpi"]
        assert image.width / dpi_x * 25.4 == pytest.approx(width_mm, abs=0.2)
        assert image.height / dpi_y * 25.4 == pytest.approx(height_mm, abs=0.2)
        corners = [(0, 0), (image.width - 1, 0), (0, image.height - 1), (image.width - 1, image.height - 1)]
        assert all(image.getpixel(corner)[3] == 0 for corner in corners)
        pixels = list(image.get_flattened_data())
    assert [p for p in pixels if p[3] > 0 and not is_red(p)] == []
    assert sum(p[3] == 255 for p in pixels) / len(pixels) >= least_opaque


@needs_font
@pytest.mark.parametrize("name", EXPECTED)
def test_a_drawn_sample_is_red_ink_on_a_transparent_ground_at_its_size(drawn, name):
    check_sample(drawn / name, name)


@needs_font
@pytest.mark.parametrize("name", EXPECTED)
def test_the_committed_sample_is_red_ink_on_a_transparent_ground_at_its_size(name):
    check_sample(COMMITTED / name, name)


@needs_font
def test_the_seal_is_496_pixels_at_300_dpi_its_ring_just_inside_the_edge(drawn):
    with Image.open(drawn / SEAL_FILE) as image:
        assert image.size == (496, 496) and image.info["dpi"][0] == pytest.approx(300, abs=0.01)
        alpha = image.getchannel("A")
    middle = image.width // 2
    assert alpha.getpixel((middle, 3)) == alpha.getpixel((3, middle)) == alpha.getpixel((middle, 1)) == 0
    assert alpha.getpixel((middle, 8)) == alpha.getpixel((8, middle)) == alpha.getpixel((middle, 487)) == 255


@needs_font
def test_two_runs_write_the_same_bytes_and_leave_no_temporary_files(drawn, tmp_path):
    assert sample_seal.main(["--out", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(EXPECTED)
    assert sorted(p.name for p in drawn.iterdir()) == sorted(EXPECTED)
    for name in EXPECTED:
        assert (tmp_path / name).read_bytes() == (drawn / name).read_bytes(), name


def test_the_samples_say_they_are_samples_and_name_no_agency():
    assert "示例" in sample_seal.SEAL_TEXT and "示例" in sample_seal.STAMP_TEXT
    assert SEAL_FILE == "示例印章.png" and STAMP_FILE == "示例签名章.png"
    words = sample_seal.SEAL_TEXT + sample_seal.SEAL_NOTE + sample_seal.STAMP_TEXT
    assert set(words) <= set("示例印章仅供测试签名"), "no word on a sample may come from a real seal"


def test_without_a_chinese_font_it_says_so_in_chinese_and_exits_2(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(sample_seal, "find_font", lambda: None)
    assert sample_seal.main(["--out", str(tmp_path / "out")]) == 2
    error = capsys.readouterr().err
    assert "中文字体" in error and "Traceback" not in error
    assert not (tmp_path / "out").exists()


def test_help_is_in_chinese():
    done = subprocess.run([sys.executable, "-m", "tools.sample_seal", "--help"],
                          check=False, capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0 and "用法" in done.stdout and "示例印章" in done.stdout and "--out" in done.stdout
