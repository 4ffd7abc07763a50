"""Name the limits every returned file is read within, and why a file could not be read (reason codes)."""

from __future__ import annotations

import os
from dataclasses import dataclass

MB = 1024 * 1024
EMPTY = "文件是空的，没有任何内容（不是只有表头），请联系该单位重新发送"


@dataclass(frozen=True)
class Limits:
    """Bound the work one returned file may cause; each limit can be raised from the command line."""

    file_mb: int = 20  # size of one file, or of one file inside an archive
    unzipped_mb: int = 200  # what one archive (or one xlsx/docx package) may expand to, all parts together
    rows: int = 10_000  # rows of one sheet or Word table (the last used row number, for a spreadsheet)
    columns: int = 200  # columns of one sheet
    merged: int = 5_000  # merged ranges of one sheet
    sheets: int = 100  # worksheets of one workbook, tables of one Word document
    span: int = 64  # columns one Word table cell may span
    depth: int = 32  # folder levels below the returned folder
    members: int = 500  # files in one archive
    archive_depth: int = 2  # an archive inside an archive is read; one more level is refused
    memory_mb: int = 1024  # address space a reader process may add
    seconds: float = 30  # time one file may take to read
    workers: int = min(8, (os.cpu_count() or 1) + 1)  # reader processes, one more than the cores: the main
    # process reads files and gathers results meanwhile (0: read in this process, unguarded)

    @property
    def file_bytes(self) -> int:
        """Return file_mb in bytes."""
        return self.file_mb * MB

    @property
    def unzipped_bytes(self) -> int:
        """Return unzipped_mb in bytes."""
        return self.unzipped_mb * MB


def reasons(limits: Limits) -> dict[str, str]:
    """Return the Chinese note of every reason a file cannot be read, with the limits filled in."""
    return {
        "corrupt": "文件已损坏或不完整（可能未下载完整），请联系该单位重新发送",
        "pdf": "是 PDF 文件（可能是扫描件），无法读取其中的表格，请联系该单位报送 Excel 表格",
        "image": "是图片（可能是拍照或扫描件），无法读取其中的表格，请联系该单位报送 Excel 表格",
        "password": "设有打开密码，无法读取，请联系该单位去掉密码后重新发送",
        "old_word": "是旧版 Word（.doc）或 RTF 文件，请用 Word 或 WPS 另存为 .docx 或 .xlsx 后放回文件夹",
        "html": "是网页（HTML）格式的表格，请用 Excel 或 WPS 打开后另存为 .xlsx 再放回文件夹",
        "encoding": "文本编码无法识别（应为 UTF-8 或 GBK），请用 Excel 或 WPS 另存为 .xlsx",
        "too_large": f"文件过大（超过 {limits.file_mb} MB，或解压后超过 {limits.unzipped_mb} MB），不像是填报表，未读取"
                     "（确需读取时可用 --max-file-mb、--max-unzipped-mb 放宽）",
        "too_many_rows": f"工作表或表格超过 {limits.rows} 行，不像是填报表，未读取（确需读取时可用 --max-rows 放宽）",
        "too_many_columns": f"工作表超过 {limits.columns} 列，不像是填报表，未读取（确需读取时可用 --max-columns 放宽）",
        "too_many_merged": f"工作表中的合并单元格超过 {limits.merged} 处，不像是填报表，未读取（可用 --max-merged 放宽）",
        "too_many_sheets": f"工作表或表格超过 {limits.sheets} 个，不像是填报表，未读取（可用 --max-sheets 放宽）",
        "span_too_wide": f"Word 表格中有单元格跨越超过 {limits.span} 列，不像是填报表，未读取（可用 --max-span 放宽）",
        "timeout": f"读取超过 {limits.seconds:g} 秒仍未完成（压缩包连同其中的文件共用这一时间），已放弃（可用 --timeout 放宽）",
        "reader_crashed": "读取时表格读取程序异常退出（文件可能已损坏或经过特殊构造），请联系该单位另存后重新发送",
        "internal_error": "汇总程序读取这个文件时出错（是程序的问题，不是文件的问题），请把日志发给维护人员；"
                          "其余文件已照常汇总",
        "no_table": "是 Word 文件，但其中没有表格",
        "zip_members": f"压缩包内文件过多（超过 {limits.members} 个），已拒绝解压（可用 --max-members 放宽）",
        "zip_bomb": "压缩包解压后过大或压缩比异常（疑似“压缩炸弹”），已拒绝解压",
        "zip_password": "压缩包设有密码，无法解压，请联系该单位重新发送",
        "zip_depth": f"压缩包嵌套超过 {limits.archive_depth} 层，已拒绝解压（可用 --max-archive-depth 放宽）",
        "zip_name": "压缩包中的这个文件没有名字，无法读取",
        "os_error": "无法打开（没有读取权限，或文件正被其他程序占用）",
        "folder": "无法打开这个文件夹（没有读取权限，或已被移走），其中的文件都未能汇总，请检查后重新汇总",
        "too_deep": f"文件夹嵌套超过 {limits.depth} 层，更深处的文件未读取（可用 --max-depth 放宽）",
        "empty": EMPTY,
        "unsupported": "不是可读取的表格文件（支持 .xlsx、.xlsm、.xls、.ods、.csv、.docx 和 .zip）",
    }


# Why a file is set aside without being read (an ignored_file warning).
SET_ASIDE = {
    "special": "不是普通文件（可能是管道、设备或套接字），未读取",
    "link_outside": "是指向回执文件夹之外的链接，未读取",
    "link_folder": "是指向文件夹的链接，未跟随",
}
