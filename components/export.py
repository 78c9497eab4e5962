"""Charts to PNG/SVG (vl-convert, offline, with the bundled fonts) and the meeting brief PDF."""

import io
from functools import lru_cache

import altair as alt
import vl_convert as vlc

from components.pdf import FONTS, new_pdf


@lru_cache(maxsize=1)
def _fonts() -> None:
    vlc.register_font_directory(str(FONTS))


def _spec(chart: alt.Chart | dict) -> dict:
    return chart if isinstance(chart, dict) else chart.to_dict()


def chart_png(chart: alt.Chart | dict, scale: float = 2) -> bytes:
    _fonts()
    return vlc.vegalite_to_png(_spec(chart), scale=scale)


def chart_svg(chart: alt.Chart | dict) -> str:
    _fonts()
    return vlc.vegalite_to_svg(_spec(chart))


def brief_pdf(title: str, filters: str, kpi_rows: list[tuple[str, str, str, str]], kpi_header: tuple[str, str, str, str],
              charts: list[tuple[str, str, alt.Chart | dict]]) -> bytes:
    """The meeting brief: filters used, the KPI table, then every chart with its one-line reading."""
    pdf = new_pdf()
    pdf.set_font("cjk", size=20)
    pdf.cell(0, 12, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=11)
    pdf.multi_cell(0, 7, filters, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    widths = (70, 40, 40, 30)
    pdf.set_font("cjk", size=10.5)
    for text, width in zip(kpi_header, widths):
        pdf.cell(width, 8, text, border=1, align="C")
    pdf.ln()
    for row in kpi_rows:
        for text, width in zip(row, widths):
            pdf.cell(width, 8, text, border=1, align="L" if width == 70 else "R")
        pdf.ln()
    for heading, reading, chart in charts:
        png = chart_png(chart, scale=1.5)
        pdf.add_page()
        pdf.set_font("cjk", size=14)
        pdf.multi_cell(0, 8, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("cjk", size=11)
        pdf.multi_cell(0, 7, reading, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        from PIL import Image

        width, height = Image.open(io.BytesIO(png)).size
        room = pdf.h - pdf.b_margin - pdf.get_y() - 2  # tall charts (the heatmap) shrink to the page
        w = min(pdf.epw, room * width / height)
        pdf.image(io.BytesIO(png), w=w)
    return bytes(pdf.output())
