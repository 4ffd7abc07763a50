"""Convert Word documents to PDF with LibreOffice, mapping the 公文 font names to free fonts."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..core.errors import PipelineError
from ..core.manifest import manifest_entries, record
from ..core.output import atomic_write
from ..core.resources import FONTCONFIG

CONVERT_TIMEOUT_SECONDS = 300
INSTALL_HINT = (
    "未找到 LibreOffice，无法生成 PDF（.docx/.xlsx 不受影响）。安装方法（Debian/Ubuntu，需 root）：\n"
    "  apt-get install -y libreoffice-writer-nogui poppler-utils "
    "fonts-noto-cjk fonts-arphic-uming fonts-arphic-ukai fonts-liberation2"
)


class NoLibreOffice(PipelineError):
    """Report that LibreOffice is not installed."""


def soffice() -> str | None:
    """Return the LibreOffice executable, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def render_env() -> dict[str, str]:
    """Return an environment whose fontconfig maps 仿宋_GB2312 and friends to installed fonts."""
    return {**os.environ, "FONTCONFIG_FILE": str(FONTCONFIG)}


def to_pdf(docx_path: Path, pdf_path: Path) -> Path:
    """Convert one .docx to PDF at pdf_path (atomically); raise NoLibreOffice if absent."""
    exe = soffice()
    if exe is None:
        raise NoLibreOffice(INSTALL_HINT)
    with tempfile.TemporaryDirectory(prefix="gongwen-pdf-") as tmp:
        tmp_path = Path(tmp)
        source = tmp_path / "in.docx"
        shutil.copyfile(docx_path, source)
        command = [exe, f"-env:UserInstallation={tmp_path.as_uri()}/profile", "--headless",
                   "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)]
        try:
            done = subprocess.run(command, env=render_env(), capture_output=True, text=True, timeout=CONVERT_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            raise PipelineError(f"LibreOffice 转换 {docx_path} 超过 5 分钟未完成，已放弃（可关闭正在运行的 LibreOffice 后重试）") from None
        produced = tmp_path / "in.pdf"
        if done.returncode != 0 or not produced.exists():
            raise PipelineError(f"LibreOffice 转换 {docx_path} 失败：{done.stderr.strip() or done.stdout.strip()}")
        return atomic_write(pdf_path, produced.read_bytes())


def pending_pdfs(out_dir: Path, roles: list[str] | None = None) -> list[tuple[str, Path, Path]]:
    """List (PDF role, .docx, .pdf) for each manifest .docx (or those roles) that LibreOffice should convert."""
    entries = manifest_entries(out_dir)
    made_elsewhere = {e["role"]: e["path"] for e in entries if not e["path"].endswith(".docx")}
    pending = []
    for entry in entries:
        if not entry["path"].endswith(".docx") or (roles and entry["role"] not in roles):
            continue
        docx_path = Path(out_dir) / entry["path"]
        relative = Path(entry["path"]).with_suffix(".pdf").as_posix()
        role = f"{entry['role']}_pdf"
        if made_elsewhere.get(role, relative) == relative:  # else its own stage makes it (附件3's one-page PDF)
            pending.append((role, docx_path, docx_path.with_suffix(".pdf")))
    return pending


def convert_outputs(out_dir: Path, roles: list[str] | None = None) -> list[Path]:
    """Convert every .docx named in out_dir/manifest.json (or only those roles) to PDF beside it."""
    written = []
    for role, docx_path, pdf_path in pending_pdfs(out_dir, roles):
        written.append(to_pdf(docx_path, pdf_path))
        record(out_dir, role, pdf_path)
    return written


def preview_pages(out_dir: Path, role: str, preview_dir: Path, dpi: int = 80) -> list[Path]:
    """Render each page of the PDF of a manifest role to PNG in preview_dir."""
    entry = next((e for e in manifest_entries(out_dir) if e["role"] == role), None)
    if entry is None:
        raise PipelineError(f"清单中没有角色为 {role} 的文件，请先运行 make all（需要 LibreOffice）")
    if not shutil.which("pdftoppm"):
        raise PipelineError("未找到 pdftoppm，无法生成预览。安装方法：apt-get install -y poppler-utils")
    preview_dir.mkdir(parents=True, exist_ok=True)
    for old in preview_dir.glob("page-*.png"):
        old.unlink()
    done = subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(Path(out_dir) / entry["path"]), str(preview_dir / "page")],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise PipelineError(f"无法渲染 {entry['path']} 的预览（文件可能已损坏，请重新运行 make pdf）")
    return sorted(preview_dir.glob("page-*.png"))
