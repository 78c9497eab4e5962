"""The meeting brief: the same figures as a PDF to hand out (filters, the KPI table, then a page
per chart with its reading, the date and page numbers on every page) and as an .xlsx for whoever
writes the report (the KPI table, then one sheet per chart with the numbers behind it)."""

import io
import re
from concurrent.futures import ThreadPoolExecutor

from openpyxl import Workbook
from openpyxl.styles import Font
from PIL import Image

from components.export import chart_png
from components.pdf import new_pdf


class Brief:
    def __init__(self, title: str, filters: str, made: str, header: tuple[str, ...], kpi_rows: list[tuple[str, ...]],
                 charts: list, page_text: str):
        """page_text: a catalogue text with {title}, {made}, {n} and {total}; charts: sections.Chart."""
        self.title, self.filters, self.made, self.header = title, filters, made, header
        self.kpi_rows, self.charts, self.page_text = kpi_rows, charts, page_text

    def pdf(self) -> bytes:
        total = 1 + len(self.charts)  # the figures fit on the first page; then one page per chart
        # vl-convert renders outside the interpreter lock: the charts' images are made side by side
        # while the fonts load and the first page is written.
        with ThreadPoolExecutor(max_workers=4) as pool:
            images = pool.map(lambda c: chart_png(c.spec, scale=1.5), self.charts)
            pdf = new_pdf(footer=lambda n: self.page_text.format(title=self.title, made=self.made, n=n, total=total))
            pdf.font_size(20)
            pdf.line_cell(0, 12, self.title, new_line=True)
            pdf.font_size(11)
            pdf.paragraph(0, 7, self.filters)
            pdf.ln(3)
            pdf.font_size(10.5)
            pdf.table((70, 40, 40, 30), [self.header, *self.kpi_rows], 8, aligns=("L", "R", "R", "R"))
            for chart, png in zip(self.charts, images):
                pdf.add_page()
                pdf.font_size(14)
                pdf.paragraph(0, 8, chart.title)
                pdf.font_size(11)
                pdf.paragraph(0, 7, chart.reading)
                pdf.ln(2)
                width, height = Image.open(io.BytesIO(png)).size
                room = pdf.h - pdf.b_margin - pdf.get_y() - 2  # a tall chart shrinks to the page
                pdf.image(io.BytesIO(png), w=min(pdf.epw, room * width / height))
        assert pdf.page == total, "the page count printed in the footers must be the real one"
        return bytes(pdf.output())

    def xlsx(self) -> bytes:
        book = Workbook()
        sheet = book.active
        sheet.title = _sheet_name(self.header[0], set())
        for row in ([self.title], [self.filters], [self.made], [], self.header, *self.kpi_rows):
            _append(sheet, row)
        sheet["A1"].font = Font(bold=True, size=14)
        sheet.column_dimensions["A"].width = 28
        used = {sheet.title}
        for chart in self.charts:
            page = book.create_sheet(_sheet_name(chart.title, used))
            for row in ([chart.title], [chart.reading], []):
                _append(page, row)
            page["A1"].font = Font(bold=True)
            if chart.table:
                columns = list(chart.table[0])
                _append(page, columns)
                for row in chart.table:
                    _append(page, [row[c] for c in columns])
            page.column_dimensions["A"].width = 24
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()


def _append(sheet, values) -> None:
    """A row whose text stays text: openpyxl would store "=…" as a formula, and a community or
    centre name is typed by a person. Numbers stay numbers, for whoever sums them."""
    sheet.append([v.isoformat() if hasattr(v, "isoformat") else v for v in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def _sheet_name(title: str, used: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the book."""
    base = re.sub(r"[\[\]:*?/\\]", " ", title)[:28].strip() or "Sheet"
    name, n = base, 2
    while name in used:
        name, n = f"{base[:26]} {n}", n + 1
    used.add(name)
    return name
