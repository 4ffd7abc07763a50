"""Share fixtures: the repository paths, a writer for notice data files, and the generated documents and their
PDFs, built and rendered once per test session (tests/renders.py caches renders by the bytes' hash)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml
from paths import EXAMPLE_NOTICE, REPO, SAMPLE_NOTICE

import renders

EXAMPLES = REPO / "inputs" / "examples"
LANDSCAPE_NOTICE = EXAMPLES / "landscape_annex_notice.yaml"
# Every module whose tests run LibreOffice: marked `libreoffice` (make test-fast leaves them out) and kept on one
# xdist worker (--dist loadgroup), so the documents they share are built and rendered once.
LIBREOFFICE_MODULES = {"test_notice_ruler.py", "test_examples_ruler.py", "test_landscape.py", "test_packet.py"}


def pytest_runtest_setup(item):
    """Tell renders which test is running: it refuses to render for a test not marked libreoffice."""
    renders.current_test[:] = [item]


def pytest_collection_modifyitems(config, items):
    """Group the LibreOffice modules' tests on one xdist worker."""
    for item in items:
        if item.path.name in LIBREOFFICE_MODULES:
            item.add_marker(pytest.mark.xdist_group("libreoffice"))


@pytest.fixture(scope="session", autouse=True)
def _render_cache(tmp_path_factory) -> None:
    """Keep the PDF renders in one folder shared by the xdist workers of this run."""
    base = tmp_path_factory.getbasetemp()
    renders.use_cache_root((base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "renders")


@pytest.fixture
def notice_data() -> dict:
    """Return the sample notice's data as a dict (annex sources made absolute), to be altered by a test."""
    data = yaml.safe_load(SAMPLE_NOTICE.read_text(encoding="utf-8"))
    for annex in data["annexes"]:
        annex["source"] = str(SAMPLE_NOTICE.parent / annex["source"])
    return data


@pytest.fixture
def notice_text() -> str:
    """Return the sample notice's YAML text with annex sources made absolute, to be edited by a test."""
    text = SAMPLE_NOTICE.read_text(encoding="utf-8")
    return re.sub(r"source: (\S+)", lambda m: f"source: {SAMPLE_NOTICE.parent / m.group(1)}", text)


@pytest.fixture
def write_notice(tmp_path):
    """Return a function that writes notice data (a dict or raw YAML text) to a file in tmp_path."""

    def write(data, name: str = "notice.yaml") -> Path:
        path = tmp_path / name
        text = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        path.write_text(text, encoding="utf-8")
        return path

    return write


# The generated documents, built once per session -----------------------------------------------------------
def _colophon_addressee(root: Path) -> Path:
    """Write the county notice with addressees_in_colophon (the 版记-主送 case); return its path."""
    path = root / "colophon_addressee.yaml"
    text = EXAMPLE_NOTICE.read_text(encoding="utf-8")
    path.write_text(text.replace("\ncopy_to:", "\naddressees_in_colophon: true\ncopy_to:"), encoding="utf-8")
    return path


def _landscape(out: Path) -> dict:
    from pipeline.notice.annexes import build_annexes
    from pipeline.notice.notice import load_notice
    from pipeline.notice.packet import build_packet

    annexes = build_annexes(load_notice(LANDSCAPE_NOTICE), out)
    return {"annexes": [out / a.file_name for a in annexes], "packet": build_packet(LANDSCAPE_NOTICE, out), "out": out}


NOTICE_SOURCES = {  # document → its data file (a callable: written into the session folder)
    "sample_letter": SAMPLE_NOTICE,  # 信函格式, the sample notice
    "county": EXAMPLE_NOTICE,  # 文件格式, the county example
    "joint_request": EXAMPLES / "joint_request.yaml",
    "joint_seals": EXAMPLES / "joint_notice_with_seals.yaml",
    "issued": EXAMPLES / "issued_plan_notice.yaml",
    "order": EXAMPLES / "order.yaml",
    "minutes": EXAMPLES / "minutes.yaml",
    "colophon_addressee": _colophon_addressee,
}


class Documents:
    """Build each generated document once on first use, and render all of them in one LibreOffice run."""

    def __init__(self, root: Path):
        self.root, self.docx, self.built, self.rendered = root, {}, {}, False

    def source(self, name: str) -> Path:
        """Return the data file of a notice."""
        source = NOTICE_SOURCES[name]
        return source if isinstance(source, Path) else source(self.root)

    def notice(self, name: str) -> Path:
        """Return the .docx of a notice (NOTICE_SOURCES)."""
        from pipeline.notice.notice import build_notice

        if name not in self.docx:
            out = self.root / name
            out.mkdir()
            self.docx[name] = build_notice(self.source(name), out)
        return self.docx[name]

    def packet(self) -> Path:
        """Return the sample packet (notice and annexes)."""
        from pipeline.notice.packet import build_packet

        if "packet" not in self.docx:
            self.docx["packet"] = build_packet(SAMPLE_NOTICE, self.root / "packet")
        return self.docx["packet"]

    def landscape(self) -> dict:
        """Return the landscape example's annexes, packet and output folder."""
        if "landscape" not in self.built:
            self.built["landscape"] = _landscape(self.root / "landscape")
        return self.built["landscape"]

    def all_docx(self) -> list[Path]:
        """Build every document; return their .docx files."""
        built = self.landscape()
        return [*(self.notice(name) for name in NOTICE_SOURCES), self.packet(), built["annexes"][0], built["packet"]]

    def pdf(self, docx: Path) -> Path:
        """Return the PDF of one of these documents, rendering all of them on the first call (one soffice run)."""
        if not self.rendered:
            renders.render_all(self.all_docx())
            self.rendered = True
        return renders.render(docx)


@pytest.fixture(scope="session")
def documents(tmp_path_factory) -> Documents:
    """Return the session's generated documents (read them, do not change them: copy first)."""
    return Documents(tmp_path_factory.mktemp("documents"))
