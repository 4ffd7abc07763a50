"""Red-team the notice's newer data fields through the CLI, as a hostile or careless clerk would.

Covers authority/signature/mark/mark_word, signers, seals (odd files and odd PNGs), signed_by, proxy_seal,
present/absent/observers, issued, n1–n4 and explicit numbers, annex bound, addressees_in_colophon, 命令 and
纪要 formats, joint seals, and every example with one field removed. The rule under test: bad input exits 2
with a Chinese message naming the file, the field and its line, and writes nothing; legitimate input builds.
Exit 1 (internal error), a traceback, a run over 20 s, or a .docx written from bad data is a bug; the bugs these
tests found (crashes past 99 headings, invisible or mile-long seals, silently dropped agencies, a 95-second table,
English or misleading messages) are fixed.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import docx
import pytest
import yaml
from PIL import Image

from guards import Hang, deadline
from paths import REPO

from pipeline.cli import main as cli_main

EXAMPLES = REPO / "inputs" / "examples"
EXAMPLE_NAMES = ("joint_request.yaml", "joint_notice_with_seals.yaml", "issued_plan_notice.yaml", "order.yaml",
                 "minutes.yaml", "landscape_annex_notice.yaml")
HANG_SECONDS = 20
CHINESE = re.compile(r"[\u4e00-\u9fff]")
LINE = re.compile(r"第\d+行")
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
EMU_PER_MM = 36000
TEXT_W_MM = 156.0  # 版心 width
TEXT_W_PT = TEXT_W_MM / 25.4 * 72


# Running the CLI -----------------------------------------------------------------------------
class Run:
    """Hold one CLI run: exit code, printed text, seconds taken, and the .docx files written."""

    def __init__(self, code: int, text: str, seconds: float, out: Path):
        self.code, self.text, self.seconds, self.out = code, text, seconds, out
        self.docx = sorted(out.glob("*.docx")) if out.exists() else []

    def document(self):
        assert self.docx, f"no .docx written: {self.text}"
        return docx.Document(self.docx[0])


def workdir(tmp_path: Path) -> Path:
    """Copy the examples (images, parts, annex files) into tmp_path/w and return it."""
    work = tmp_path / "w"
    shutil.copytree(EXAMPLES, work)
    return work


def example(name: str) -> dict:
    return yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8"))


def write(work: Path, data, name: str = "hostile.yaml") -> Path:
    path = work / name
    text = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path


def cli(path: Path, timeout: float = HANG_SECONDS) -> Run:
    """Run `python -m pipeline notice` on path: its main() in this process (what `python -m pipeline` calls, without
    starting an interpreter each time), printed text captured; a run over timeout fails the test, and so does an
    exception escaping the CLI (in a separate process: exit 1 with a traceback)."""
    out = path.parent / "out"
    stdout, stderr = io.StringIO(), io.StringIO()
    start = time.monotonic()
    try:
        with deadline(timeout), redirect_stdout(stdout), redirect_stderr(stderr):
            code = cli_main(["notice", "--input", str(path), "--out", str(out)])
    except Hang:
        pytest.fail(f"hang: `pipeline notice` still running after {timeout} s")
    except SystemExit as exc:  # argparse's usage error
        code = exc.code
    return Run(code, stdout.getvalue() + stderr.getvalue(), time.monotonic() - start, out)


def run(tmp_path: Path, base: str | None = None, work: Path | None = None, **changes) -> Run:
    """Build an example changed by changes (a value None removes the key) and run the CLI on it."""
    work = work or workdir(tmp_path)
    data = example(base) if base else {}
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return cli(write(work, data))


def no_crash(result: Run) -> None:
    assert result.code != 1 and "Traceback" not in result.text and "程序内部" not in result.text, result.text
    assert result.code in (0, 2), result.text


def refused(result: Run, field: str) -> None:
    """Exit 2, Chinese message naming field and a line, nothing written."""
    no_crash(result)
    assert result.code == 2, f"expected exit 2, got {result.code}: {result.text}"
    assert CHINESE.search(result.text), result.text
    assert f"字段 {field}" in result.text, f"message does not name {field}: {result.text}"
    assert LINE.search(result.text), f"message names no line: {result.text}"
    assert not result.docx, f"a .docx was written despite bad data: {result.docx}"


def built(result: Run) -> None:
    no_crash(result)
    assert result.code == 0, result.text
    assert len(result.docx) == 1


def refused_or_built(result: Run, field: str) -> None:
    """Either outcome is acceptable (a legitimate but odd input), provided a refusal is a proper one."""
    if result.code == 2:
        refused(result, field)
    else:
        built(result)


def all_text(document) -> str:
    """Return every w:t of the main document part joined (body, tables, text boxes)."""
    return "".join(t.text or "" for t in document.element.iter(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"))


def picture_boxes(document) -> list[tuple[float, float, float, float]]:
    """Return (x, y, width, height) in mm of every floating picture (seal, 签名章)."""
    boxes = []
    for anchor in document.element.body.iter(f"{{{WP}}}anchor"):
        x = int(anchor.find(f"{{{WP}}}positionH/{{{WP}}}posOffset").text) / EMU_PER_MM
        y = int(anchor.find(f"{{{WP}}}positionV/{{{WP}}}posOffset").text) / EMU_PER_MM
        extent = anchor.find(f"{{{WP}}}extent")
        boxes.append((x, y, int(extent.get("cx")) / EMU_PER_MM, int(extent.get("cy")) / EMU_PER_MM))
    return boxes


# Images ----------------------------------------------------------------------------------------
def png(image: Image.Image, **save) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", **save)
    return buffer.getvalue()


def seal_png(width: int = 300, height: int = 300, dpi=None) -> bytes:
    """A transparent RGBA PNG with one opaque red pixel (a usable, if plain, seal)."""
    image = Image.new("RGBA", (width, height), (255, 0, 0, 0))
    image.putpixel((0, 0), (255, 0, 0, 255))
    return png(image, **({"dpi": dpi} if dpi else {}))


def header_only_png(width: int, height: int) -> bytes:
    """A PNG whose IHDR declares width × height but whose data is a few bytes (a decompression-bomb header)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))


def palette_trns_png() -> bytes:
    image = Image.new("P", (200, 200), 0)
    image.putpalette([255, 255, 255, 255, 0, 0] + [0] * 762)
    image.putpixel((5, 5), 1)
    return png(image, transparency=0)


def grey_alpha_png() -> bytes:
    image = Image.new("LA", (200, 200), (0, 0))
    image.putpixel((5, 5), (128, 255))
    return png(image)


def animated_png() -> bytes:
    frames = [Image.new("RGBA", (100, 100), (255, 0, 0, 0)), Image.new("RGBA", (100, 100), (255, 0, 0, 128))]
    frames[0].putpixel((1, 1), (255, 0, 0, 255))
    buffer = io.BytesIO()
    frames[0].save(buffer, "PNG", save_all=True, append_images=frames[1:])
    return buffer.getvalue()


def gif_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("P", (100, 100), 0).save(buffer, "GIF", transparency=0)
    return buffer.getvalue()


BAD_IMAGES = {  # name → bytes written as a .png
    "truncated": lambda: seal_png()[:500],
    "declared_20000x20000": lambda: header_only_png(20000, 20000),
    "gif_renamed": gif_bytes,
    "empty_file": lambda: b"",
    "opaque": lambda: png(Image.new("RGBA", (100, 100), (255, 0, 0, 255))),
    "text_file": lambda: "这不是图片".encode("utf-8"),
}
GOOD_IMAGES = {
    "palette_with_trns": palette_trns_png,
    "grey_alpha": grey_alpha_png,
    "animated": animated_png,
    "dpi_1": lambda: seal_png(300, 300, (1, 1)),
    "dpi_100000": lambda: seal_png(300, 300, (100000, 100000)),
}


def sealed(tmp_path: Path, image: bytes | None = None, key: str = "seals", special=None) -> Run:
    """Run the single-seal example (or the 签名章 of the order) with its image replaced."""
    work = workdir(tmp_path)
    target = work / "hostile.png"
    if special:
        special(target)
    else:
        target.write_bytes(image)
    if key == "seals":
        return run(tmp_path, "issued_plan_notice.yaml", work, seals=["hostile.png"])
    return run(tmp_path, "order.yaml", work, signed_by=[{"title": "县长", "stamp": "hostile.png"}])


# Every example, one field removed at a time --------------------------------------------------
REMOVALS = [(name, key) for name in EXAMPLE_NAMES for key in example(name)]


@pytest.mark.parametrize(("name", "key"), REMOVALS, ids=[f"{n[:-5]}-{k}" for n, k in REMOVALS])
def test_an_example_with_one_field_removed_builds_or_names_that_field(tmp_path, name, key):
    result = run(tmp_path, name, **{key: None})
    if result.code == 2:
        refused(result, key)
    else:
        built(result)


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_every_example_builds_unchanged(tmp_path, name):
    built(run(tmp_path, name))


# authority / signature / mark / mark_word --------------------------------------------------------
@pytest.mark.parametrize("value", [
    [], [["江宁县知识产权局", "江宁县财政局"], "乙局"], {"a": 1}, [{"a": 1}], True,
    [f"机关{i}" for i in range(500)], ["江宁\x07局", "乙局"], ["江宁\ufffe局", "乙局"], ["局" * 10_000, "乙局"],
], ids=["empty", "nested", "dict", "list_of_dict", "bool", "500", "control", "ufffe", "10000_chars"])
def test_odd_authority_is_refused(tmp_path, value):
    refused(run(tmp_path, "joint_notice_with_seals.yaml", authority=value), "authority")


@pytest.mark.parametrize("value", [[["甲"], "乙"], [f"机关{i}" for i in range(500)], ["局" * 10_000, "乙"],
                                   ["甲\x1b", "乙"]], ids=["nested", "500", "10000_chars", "control"])
def test_odd_signature_is_refused(tmp_path, value):
    refused(run(tmp_path, "joint_notice_with_seals.yaml", signature=value), "signature")


@pytest.mark.parametrize("value", [[["甲"]], {"a": "b"}, ["局"] * 500, ["局" * 10_000], ["甲\ufffe"]],
                         ids=["nested", "dict", "500", "10000_chars", "ufffe"])
def test_odd_mark_is_refused(tmp_path, value):
    refused(run(tmp_path, "joint_notice_with_seals.yaml", mark=value), "mark")


@pytest.mark.parametrize("value", [["文件"], "文件" * 6, {"a": 1}], ids=["list", "too_long", "dict"])
def test_odd_mark_word_is_refused(tmp_path, value):
    refused(run(tmp_path, "joint_notice_with_seals.yaml", mark_word=value), "mark_word")


@pytest.mark.parametrize("changes", [
    {"authority": [1, 2]}, {"mark": []}, {"mark_word": ""}, {"mark_word": "   "}, {"signature": []},
    {"mark": ["甲局"] * 20}, {"authority": [f"第{i}局" for i in range(20)]},
], ids=["numbers", "empty_mark", "empty_word", "blank_word", "empty_signature", "20_marks", "20_agencies"])
def test_odd_but_legible_parties_build(tmp_path, changes):
    built(run(tmp_path, "joint_notice_with_seals.yaml", **changes))


@pytest.mark.parametrize("base", ["joint_request.yaml", "landscape_annex_notice.yaml"])
def test_authority_of_only_empty_items_is_refused(tmp_path, base):
    refused(run(tmp_path, base, authority=[None, None]), "authority")


@pytest.mark.parametrize("item", [None, "   "], ids=["null", "blank"])
def test_an_empty_authority_item_is_refused(tmp_path, item):
    refused(run(tmp_path, "joint_request.yaml", authority=[item, "江宁县财政局"]), "authority[1]")


def test_mark_word_of_a_single_agency_is_used_or_refused(tmp_path):
    result = run(tmp_path, "issued_plan_notice.yaml", mark=None, authority="江宁县知识产权局", mark_word="简报")
    if result.code == 2:
        refused(result, "mark_word")
    else:
        built(result)
        assert "简报" in all_text(result.document()), "mark_word 简报 silently dropped"


def test_joint_minutes_keep_every_agency_or_are_refused(tmp_path):
    result = run(tmp_path, "minutes.yaml", authority=["甲局", "乙局"], mark=None)
    if result.code == 2:
        refused(result, "authority")
    else:
        built(result)
        assert "乙局" in all_text(result.document()), "second agency of a joint 纪要 silently dropped"


# signers --------------------------------------------------------------------------------------
@pytest.mark.parametrize(("changes", "field"), [
    ({"signers": "王建国"}, "signers"),
    ({"signers": "王建国，李明华"}, "signers"),
    ({"signers": [f"王{i}" for i in range(100)]}, "signers"),
    ({"signers": ["王" * 21]}, "signers[1]"),
    ({"signers": ["王" * 10_000]}, "signers[1]"),
    ({"signers": [None]}, "signers[1]"),
    ({"signers": ["   "]}, "signers[1]"),
    ({"signers": [["王"]]}, "signers[1]"),
    ({"signers": ["王\x07"]}, "signers[1]"),
    ({"format": "信函格式"}, "signers"),
    ({"format": "命令格式", "number": "第1号"}, "signers"),
    ({"format": "纪要格式"}, "signers"),
], ids=["string", "string_with_comma", "100", "21_chars", "10000_chars", "null", "blank", "nested", "control",
        "letter", "order", "minutes"])
def test_odd_signers_are_refused(tmp_path, changes, field):
    refused(run(tmp_path, "joint_request.yaml", **changes), field)


@pytest.mark.parametrize("signers", [[], ["王建国", "李明华", "张三"], [f"王{i}" for i in range(40)]],
                         ids=["empty", "three", "forty"])
def test_legitimate_signers_build(tmp_path, signers):
    built(run(tmp_path, "joint_request.yaml", signers=signers))


def test_long_signer_names_stay_inside_the_text_block(tmp_path):
    result = run(tmp_path, "joint_request.yaml", signers=["王" * 20, "李" * 20])
    if result.code == 2:
        return refused(result, "signers")
    built(result)
    number_lines = [p for p in result.document().paragraphs if p.style.name == "发文字号"]
    stops = [t.position.pt for p in number_lines for t in p.paragraph_format.tab_stops]
    assert all(0 <= s <= TEXT_W_PT for s in stops), f"签发人 tab stops outside the 版心: {stops}"


# seals -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", BAD_IMAGES)
@pytest.mark.parametrize("key", ["seals", "signed_by"])
def test_a_bad_seal_image_is_refused(tmp_path, key, name):
    field = "seals[1]" if key == "seals" else "signed_by[1].stamp"
    refused(sealed(tmp_path, BAD_IMAGES[name](), key), field)


SPECIAL_FILES = {
    "folder": lambda p: p.mkdir(),
    "fifo": lambda p: os.mkfifo(p),
    "dev_zero": lambda p: os.symlink("/dev/zero", p),
    "self_loop": lambda p: os.symlink(p, p),
}


@pytest.mark.parametrize("name", SPECIAL_FILES)
def test_a_seal_that_is_not_a_regular_file_is_refused_without_hanging(tmp_path, name):
    result = sealed(tmp_path, key="seals", special=SPECIAL_FILES[name])
    refused(result, "seals[1]")
    assert result.seconds < HANG_SECONDS


@pytest.mark.parametrize("name", ["folder", "fifo", "dev_zero"])
def test_a_seal_that_is_not_a_regular_file_is_explained_in_chinese(tmp_path, name):
    result = sealed(tmp_path, key="seals", special=SPECIAL_FILES[name])
    refused(result, "seals[1]")
    assert "not a regular file" not in result.text and "Errno" not in result.text, result.text


def test_a_symlinked_seal_is_used_or_refused_in_chinese(tmp_path):
    result = sealed(tmp_path, key="seals", special=lambda p: os.symlink(p.parent / "示例印章.png", p))
    if result.code == 2:
        refused(result, "seals[1]")
        assert "Errno" not in result.text and "symbolic" not in result.text, result.text
    else:
        built(result)


@pytest.mark.parametrize("name", GOOD_IMAGES)
def test_a_legitimate_transparent_png_seal_builds(tmp_path, name):
    built(sealed(tmp_path, GOOD_IMAGES[name]()))


@pytest.mark.parametrize("dpi", [(1, 1), (100000, 100000)], ids=["dpi_1", "dpi_100000"])
def test_an_absurd_dpi_falls_back_to_the_standard_seal_size(tmp_path, dpi):
    result = sealed(tmp_path, seal_png(300, 300, dpi))
    built(result)
    (_, _, width, height), = picture_boxes(result.document())
    assert abs(width - 42) < 0.1 and abs(height - 42) < 0.1


@pytest.mark.parametrize("image", [lambda: seal_png(5, 500), lambda: seal_png(3000, 3000, (72, 72)),
                                   lambda: seal_png(2, 2, (2400, 2400))], ids=["5x500", "1058mm", "0.02mm"])
def test_a_seal_of_implausible_printed_size_is_refused_or_kept_on_the_page(tmp_path, image):
    result = sealed(tmp_path, image())
    if result.code == 2:
        return refused(result, "seals[1]")
    built(result)
    for x, _, width, height in picture_boxes(result.document()):
        assert 10 <= width <= TEXT_W_MM and 10 <= height <= TEXT_W_MM, f"seal printed {width:.1f} × {height:.1f} mm"
        assert x >= 0 and x + width <= TEXT_W_MM, f"seal from {x:.1f} to {x + width:.1f} mm, outside the 版心"


@pytest.mark.parametrize("image", [
    lambda: png(Image.new("RGBA", (1, 1), (0, 0, 0, 0))),
    lambda: png(Image.new("RGB", (100, 100), (1, 2, 3)), transparency=(1, 2, 3)),
], ids=["1x1_transparent", "rgb_all_trns"])
def test_a_fully_transparent_seal_is_refused(tmp_path, image):
    refused(sealed(tmp_path, image()), "seals[1]")


def test_a_one_bit_png_with_transparency_is_accepted(tmp_path):
    image = Image.new("1", (100, 100), 1)
    image.putpixel((1, 1), 0)
    built(sealed(tmp_path, png(image, transparency=1)))


@pytest.mark.parametrize(("seals", "field"), [
    ("示例印章.png", "seals"), ([None, "示例印章.png"], "seals[1]"), (["", "示例印章.png"], "seals[1]"),
    ([{"a": 1}], "seals[1]"), (["示例印章.png"] * 3, "seals"), (["nope.png"], "seals[1]"),
    (["../../../../../etc/passwd"], "seals[1]"), ([1, 2], "seals[1]"),
], ids=["string", "null_item", "empty_item", "dict_item", "more_than_signatures", "missing", "passwd", "numbers"])
def test_odd_seals_lists_are_refused(tmp_path, seals, field):
    refused(run(tmp_path, "joint_notice_with_seals.yaml", seals=seals), field)


def test_an_empty_seals_list_builds_unsealed(tmp_path):
    built(run(tmp_path, "joint_notice_with_seals.yaml", seals=[]))


def test_fewer_seals_than_signatures_are_refused(tmp_path):
    """The last seal must also press the date: one seal for each signature, or none."""
    refused(run(tmp_path, "joint_notice_with_seals.yaml", seals=["示例印章.png"]), "seals")


@pytest.mark.parametrize("count", [4, 5, 6, 7, 8])
def test_four_to_eight_joint_seals_stay_inside_the_text_block(tmp_path, count):
    result = run(tmp_path, "joint_notice_with_seals.yaml", authority=[f"江宁县第{i}局" for i in range(count)],
                 signature=None, seals=["示例印章.png"] * count)
    built(result)
    boxes = picture_boxes(result.document())
    assert len(boxes) == count
    for x, _, width, _ in boxes:
        assert x >= 0 and x + width <= TEXT_W_MM + 0.1, f"seal from {x:.1f} to {x + width:.1f} mm"


# signed_by and proxy_seal ----------------------------------------------------------------------------
@pytest.mark.parametrize(("signed_by", "field"), [
    ([{"stamp": "示例签名章.png"}], "signed_by[1].title"),
    ([{"title": "", "stamp": "示例签名章.png"}], "signed_by[1].title"),
    ("县长", "signed_by"),
    (["县长"], "signed_by[1]"),
    ({"title": "县长", "name": "王"}, "signed_by"),
    ([{"title": "县长", "stamp": "nope.png"}], "signed_by[1].stamp"),
    ([{"title": "县长", "stamp": "parts"}], "signed_by[1].stamp"),
    ([{"title": "县长", "stamp": ["示例签名章.png"]}], "signed_by[1].stamp"),
    ([{"title": "县长", "stamp": ""}], "signed_by[1]"),
    ([None], "signed_by[1]"),
    ([{"title": f"副县长{i}", "name": "王"} for i in range(30)], "signed_by"),
    ([{"title": "县长", "stamps": "示例签名章.png"}], "signed_by[1].stamps"),
    ([{"title": "县" * 101, "name": "王"}], "signed_by[1].title"),
], ids=["no_title", "empty_title", "string", "list_of_strings", "dict", "missing_stamp", "folder_stamp",
        "list_stamp", "empty_stamp", "null", "30", "misspelt_key", "title_101"])
def test_odd_signed_by_is_refused(tmp_path, signed_by, field):
    refused(run(tmp_path, "order.yaml", signed_by=signed_by), field)


def test_twenty_signature_stamps_build(tmp_path):
    built(run(tmp_path, "order.yaml", signed_by=[{"title": f"副县长{i}", "stamp": "示例签名章.png"} for i in range(20)]))


def test_signed_by_with_seals_is_refused(tmp_path):
    refused(run(tmp_path, "issued_plan_notice.yaml", signed_by=[{"title": "局长", "name": "王"}]), "signed_by")


@pytest.mark.parametrize(("value", "ok"), [("代" * 200, True), ("代" * 201, False), (["某局代章"], False),
                                           ("某局\x07代章", False), ("（）", True)],
                         ids=["200", "201", "list", "control", "empty_parens"])
def test_proxy_seal_limits(tmp_path, value, ok):
    result = run(tmp_path, "issued_plan_notice.yaml", proxy_seal=value)
    built(result) if ok else refused(result, "proxy_seal")


# present / absent / observers ------------------------------------------------------------------
@pytest.mark.parametrize(("key", "value"), [
    ("present", ["王建国", "李明华"]), ("present", {"a": "b"}), ("present", True), ("absent", ["王"] * 50_000),
    ("observers", "王建国，" * 12_500), ("present", "王\ufffe"),
], ids=["list", "dict", "bool", "list_50000", "50000_chars", "ufffe"])
def test_odd_attendance_is_refused(tmp_path, key, value):
    refused(run(tmp_path, "minutes.yaml", **{key: value}), key)


@pytest.mark.parametrize(("base", "key"), [("joint_notice_with_seals.yaml", "present"), ("order.yaml", "observers"),
                                           ("landscape_annex_notice.yaml", "absent")])
def test_attendance_outside_minutes_is_refused(tmp_path, base, key):
    refused(run(tmp_path, base, **{key: "王建国"}), key)


def test_long_attendance_within_the_limit_builds(tmp_path):
    built(run(tmp_path, "minutes.yaml", present="王建国，" * 4_900))


# issued --------------------------------------------------------------------------------------------
def test_issued_pointing_at_the_notice_itself_is_refused(tmp_path):
    work = workdir(tmp_path)
    data = example("issued_plan_notice.yaml")
    data["issued"] = "hostile.yaml"
    result = cli(write(work, data))
    no_crash(result)
    assert result.code == 2 and not result.docx and CHINESE.search(result.text), result.text


@pytest.mark.parametrize(("target", "make"), [
    ("parts", None), ("示例印章.png", None), ("plain.txt", "hello world\n"), ("list.yaml", "- a\n- b\n"),
    ("empty.yaml", ""), ("fifo.yaml", "FIFO"), ("/dev/zero", None),
], ids=["folder", "png", "plain_text", "yaml_list", "empty", "fifo", "dev_zero"])
def test_issued_that_is_not_a_data_file_is_refused(tmp_path, target, make):
    work = workdir(tmp_path)
    if make == "FIFO":
        os.mkfifo(work / target)
    elif make is not None:
        (work / target).write_text(make, encoding="utf-8")
    result = run(tmp_path, "issued_plan_notice.yaml", work, issued=target)
    no_crash(result)
    assert result.code == 2 and not result.docx and CHINESE.search(result.text), result.text
    assert result.seconds < HANG_SECONDS


@pytest.mark.parametrize("target", ["parts", "fifo.yaml"], ids=["folder", "fifo"])
def test_issued_folder_or_fifo_is_not_called_missing(tmp_path, target):
    work = workdir(tmp_path)
    if target == "fifo.yaml":
        os.mkfifo(work / target)
    result = run(tmp_path, "issued_plan_notice.yaml", work, issued=target)
    refused(result, "issued")
    assert "不存在" not in result.text, result.text


def test_issued_through_a_symlink_is_used_or_explained(tmp_path):
    work = workdir(tmp_path)
    os.symlink(work / "parts" / "patent_plan.yaml", work / "plan_link.yaml")
    result = run(tmp_path, "issued_plan_notice.yaml", work, issued="plan_link.yaml")
    if result.code == 2:
        refused(result, "issued")
        assert "系统错误" not in result.text, result.text
    else:
        built(result)


@pytest.mark.parametrize(("text", "field"), [
    ("title: 方案\nlandscape: maybe\nbody:\n  - 正文。\n", "landscape"),
    ("body:\n  - 正文。\n", "title"),
    ("title: 方案\n", "body"),
    ("title: 方案\nbody:\n  - n1: ''\n", "body[1].n1"),
    ("title: 方案\nbody:\n  - 正文。\nissued: x.yaml\n", "issued"),
], ids=["landscape_maybe", "no_title", "no_body", "empty_n1", "nested_issued"])
def test_errors_in_the_issued_file_name_that_file_and_field(tmp_path, text, field):
    work = workdir(tmp_path)
    (work / "plan.yaml").write_text(text, encoding="utf-8")
    result = run(tmp_path, "issued_plan_notice.yaml", work, issued="plan.yaml")
    refused(result, field)
    assert "plan.yaml" in result.text


def test_issued_list_is_refused(tmp_path):
    refused(run(tmp_path, "issued_plan_notice.yaml", issued=["parts/patent_plan.yaml"]), "issued")


def issued_table(tmp_path, columns: int, rows: int) -> Run:
    """Build the issued example with an issued file holding one table of columns × rows cells."""
    work = workdir(tmp_path)
    names = [f"列{i}" for i in range(columns)]
    plan = {"title": "大表", "body": [{"table": {"columns": names, "rows": [["x"] * columns for _ in range(rows)]}}]}
    (work / "big.yaml").write_text(yaml.safe_dump(plan, allow_unicode=True), encoding="utf-8")
    return run(tmp_path, "issued_plan_notice.yaml", work, issued="big.yaml")


@pytest.mark.parametrize(("rows", "reasons"), [(2000, ("数据项",)), (1000, ("body[1]", "单元格"))],
                         ids=["yaml_values", "table_cells"])
def test_an_issued_table_too_big_is_refused_quickly(tmp_path, rows, reasons):
    """64 × 2000 cells exceed the YAML file's 100,000 values; 64 × 1000 pass them but not the table's
    20,000-cell limit (a 公文 table that size belongs in an Excel annex). Either is refused at once."""
    result = issued_table(tmp_path, 64, rows)
    no_crash(result)
    assert result.code == 2 and not result.docx and "big.yaml" in result.text, result.text
    assert all(reason in result.text for reason in reasons), result.text


def test_issued_table_of_20_columns_and_900_rows_builds(tmp_path):
    """A table just under the cell limit (18,020 cells) builds within the test's time limit."""
    built(issued_table(tmp_path, 20, 900))


def test_issued_landscape_true_builds(tmp_path):
    work = workdir(tmp_path)
    (work / "plan.yaml").write_text("title: 方案\nlandscape: true\nbody:\n  - 正文。\n", encoding="utf-8")
    built(run(tmp_path, "issued_plan_notice.yaml", work, issued="plan.yaml"))


# body: n1–n4 and explicit numbers ---------------------------------------------------------------------
def body_run(tmp_path, body: list) -> Run:
    return run(tmp_path, "joint_notice_with_seals.yaml", body=["前言。", *body])


@pytest.mark.parametrize(("item", "field"), [
    ({"n1": ""}, "body[2].n1"), ({"n1": None}, "body[2].n1"), ({"n2": "   "}, "body[2].n2"),
    ({"n3": ["甲"]}, "body[2].n3"), ({"n1": "甲", "h1": "乙"}, "body[2]"), ({"n4": "甲", "center": "乙"}, "body[2]"),
    ({"h1": "甲", "number": ["三、"]}, "body[2].number"), ({"h1": "甲", "number": {"a": 1}}, "body[2].number"),
    ({"h1": "甲", "number": True}, "body[2].number"), ({"h1": "甲", "number": "\x01"}, "body[2].number"),
    ({"number": "一、"}, "body[2]"), ({"h1": "", "number": "一、"}, "body[2].h1"),
], ids=["n1_empty", "n1_null", "n2_blank", "n3_list", "n1_and_h1", "n4_and_center", "number_list", "number_dict",
        "number_bool", "number_control", "number_alone", "empty_heading_with_number"])
def test_odd_body_items_are_refused(tmp_path, item, field):
    refused(body_run(tmp_path, [item]), field)


@pytest.mark.parametrize("item", [{"n1": 5}, {"h1": "甲", "number": 3}, {"h1": "甲", "number": 1.5},
                                  {"h1": "甲", "number": None}, {"h1": "甲", "number": "一百、"}, {"h1": "甲", "number": "零、"}],
                         ids=["n1_number", "number_int", "number_float", "number_null", "number_100", "number_0"])
def test_numbers_written_as_numbers_build(tmp_path, item):
    built(body_run(tmp_path, [item, {"h1": "乙"}]))


@pytest.mark.parametrize("body", [
    [{"h1": "甲", "number": "九十九、"}, {"h1": "乙"}],
    [{"h1": "x"}, {"n2": "甲", "number": "（九十九）"}, {"n2": "乙"}],
    [{"h1": f"标题{i}"} for i in range(120)],
    [{"h1": "x"}, *({"n2": f"段{i}"} for i in range(120))],
    [{"h3": f"标题{i}"} for i in range(120)],
    [{"h3": "甲", "number": "1000."}, {"h3": "乙"}],
], ids=["explicit_99_then_auto", "explicit_n2_99_then_auto", "120_h1", "120_n2", "120_h3_arabic", "h3_1000_then_auto"])
def test_numbering_beyond_99_never_crashes(tmp_path, body):
    refused_or_built(body_run(tmp_path, body), "body")


@pytest.mark.parametrize("item", [{"h1": "甲", "number": "十十、"}, {"h1": "甲", "number": "十一十、"},
                                  {"h3": "甲", "number": "9" * 5000 + "."}, {"h4": "甲", "number": "（" + "9" * 5000 + "）"}],
                         ids=["shi_shi", "shi_yi_shi", "5000_digits_h3", "5000_digits_h4"])
def test_an_unreadable_explicit_number_never_crashes(tmp_path, item):
    refused_or_built(body_run(tmp_path, [item, {next(iter(item)): "乙"}]), "body")


@pytest.mark.parametrize(("item", "lost"), [
    ({"n1": "甲甲甲", "text": "乙乙乙"}, "乙乙乙"),
    ({"center": "丙丙丙", "text": "丁丁丁"}, "丁丁丁"),
    ({"table": {"columns": ["a"], "rows": [["x"]]}, "text": "戊戊戊"}, "戊戊戊"),
], ids=["n1_text", "center_text", "table_text"])
def test_text_beside_a_numbered_paragraph_is_printed_or_refused(tmp_path, item, lost):
    result = body_run(tmp_path, [item])
    if result.code == 2:
        return refused(result, "body[2]")
    built(result)
    assert lost in all_text(result.document()), f"{lost} silently dropped"


# annex bound, addressees_in_colophon, 命令格式, 纪要格式 -------------------------------------------------
@pytest.mark.parametrize("value", ["否", "false", 0, "no ", ["false"]], ids=["fou", "false_text", "zero", "no", "list"])
def test_annex_bound_must_be_true_or_false(tmp_path, value):
    data = example("landscape_annex_notice.yaml")
    annexes = [dict(data["annexes"][0], bound=value), data["annexes"][1]]
    refused(run(tmp_path, "landscape_annex_notice.yaml", annexes=annexes), "annexes[1].bound")


@pytest.mark.parametrize(("base", "changes"), [
    ("landscape_annex_notice.yaml", {"addressees": None}), ("landscape_annex_notice.yaml", {"addressees": ""}),
    ("order.yaml", {}), ("minutes.yaml", {}),
], ids=["letter_none", "letter_empty", "order", "minutes"])
def test_addressees_in_colophon_without_addressees_is_refused(tmp_path, base, changes):
    refused(run(tmp_path, base, addressees_in_colophon=True, **changes), "addressees")


@pytest.mark.parametrize("value", ["是", "yes", 1], ids=["shi", "yes", "one"])
def test_addressees_in_colophon_must_be_true_or_false(tmp_path, value):
    refused(run(tmp_path, "landscape_annex_notice.yaml", addressees_in_colophon=value), "addressees_in_colophon")


@pytest.mark.parametrize("number", ["第0号", "第01号", "第００号", "第５号", "第五号", 5, "宁政〔2024〕5号", "第-1号"])
def test_order_number_must_read_di_n_hao(tmp_path, number):
    refused(run(tmp_path, "order.yaml", number=number), "number")


@pytest.mark.parametrize("changes", [{"mark": None}, {"mark": None, "number": None}, {"mark": []}],
                         ids=["no_mark", "no_mark_no_number", "empty_mark"])
def test_minutes_without_mark_build(tmp_path, changes):
    result = run(tmp_path, "minutes.yaml", **changes)
    built(result)
    assert "江宁县知识产权局纪要" in all_text(result.document())
