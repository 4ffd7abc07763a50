"""Turn body blocks into docxtpl values: tables built as sub-documents, pictures inlined."""

from __future__ import annotations

import io

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage

from ..docx import ooxml
from ..core import gbt9704 as L
from .blocks import Block, Table


LANDSCAPE_COLUMNS = 8  # a table with more columns turns its document landscape (横排表格) unless landscape: false


def is_landscape(data: dict, blocks: list[Block]) -> bool:
    """Tell whether a document goes on landscape pages: as its landscape flag says, else when a table is too wide."""
    if "landscape" in data:
        return data["landscape"]
    return any(b.kind == "table" and len(b.table.columns) > LANDSCAPE_COLUMNS for b in blocks)


def blocks_context(template: DocxTemplate, blocks: list[Block], width_mm: float = L.TEXT_WIDTH_MM) -> list[dict]:
    """Return body blocks as template variables, tables built width_mm wide as sub-documents, pictures inlined."""
    values = []
    for block in blocks:
        value = block.context()
        if block.kind == "table":
            value["table"] = build_table(template, block.table, width_mm)
        elif block.kind == "image":
            value["image"] = InlineImage(template, io.BytesIO(block.image), width=Mm(block.width_mm))
        values.append(value)
    return values


def build_table(template: DocxTemplate, table: Table, width_mm: float = L.TEXT_WIDTH_MM):
    """Build a bordered table (header row repeated, merged columns) width_mm wide as a docxtpl sub-document."""
    subdoc = template.new_subdoc()
    grid = subdoc.add_table(rows=len(table.rows) + 1, cols=len(table.columns))
    widths = L.table_column_widths(table.columns, table.rows, width_mm)
    ooxml.set_table_geometry(grid, width_mm, widths, side_margin_mm=L.TABLE_CELL_MARGIN_MM)
    line = (L.border_eighths(L.TABLE_RULE_MM), L.BLACK)
    ooxml.set_table_borders(grid, top=line, left=line, bottom=line, right=line, insideH=line, insideV=line)
    head, text = subdoc.styles["表头"].style_id, subdoc.styles["表格文字"].style_id
    rows = list(grid.rows)
    _fill_row(rows[0], table.columns, head)
    ooxml.repeat_as_header(rows[0])
    for row, values in zip(rows[1:], table.rows):
        _fill_row(row, values, text)
        if table.row_height_mm:
            row.height_rule, row.height = WD_ROW_HEIGHT_RULE.AT_LEAST, Mm(table.row_height_mm)
    for column in range(len(table.columns)):
        for first, last in table.merged_runs(column):
            merged = grid.cell(first + 1, column).merge(grid.cell(last + 1, column))
            _fill_cell(merged, table.rows[first][column], text)
    return subdoc


def _fill_row(row, values: list[str], style: str) -> None:
    ooxml.keep_row_on_one_page(row)
    for cell, value in zip(row.cells, values):
        _fill_cell(cell, value, style)


def _fill_cell(cell, value: str, style_id: str) -> None:
    cell.text = value
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    for paragraph in cell.paragraphs:
        ooxml.set_style_id(paragraph, style_id)
