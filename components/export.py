"""Charts to PNG/SVG (vl-convert, offline, with the bundled fonts)."""

from functools import lru_cache

import altair as alt
import vl_convert as vlc

from components.pdf import FONTS


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
