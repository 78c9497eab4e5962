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
    pdf.font_size(20)
    pdf.line_cell(0, 12, title, new_line=True)
    pdf.font_size(11)
    pdf.paragraph(0, 7, filters)
    pdf.ln(3)
    pdf.font_size(10.5)
    pdf.table((70, 40, 40, 30), [kpi_header, *kpi_rows], 8, aligns=("L", "R", "R", "R"))
    for heading, reading, chart in charts:
        png = chart_png(chart, scale=1.5)
        pdf.add_page()
        pdf.font_size(14)
        pdf.paragraph(0, 8, heading)
        pdf.font_size(11)
        pdf.paragraph(0, 7, reading)
        pdf.ln(2)
        from PIL import Image

        width, height = Image.open(io.BytesIO(png)).size
        room = pdf.h - pdf.b_margin - pdf.get_y() - 2  # tall charts (the heatmap) shrink to the page
        w = min(pdf.epw, room * width / height)
        pdf.image(io.BytesIO(png), w=w)
    return bytes(pdf.output())
