"""Altair chart builders: DataFrames in, alt.Chart out (testable with chart.to_dict()).
Colours come from colour-blind-safe schemes; every chart has a title and tooltips."""

import altair as alt
import pandas as pd

CATEGORY_SCHEME = "tableau20"
SEQUENTIAL_SCHEME = "viridis"  # colour-blind safe, readable on a projector


def outlets_map(df: pd.DataFrame, title: str, labels: dict[str, str]) -> alt.Chart:
    """Outlets as points on plain axes (longitude × latitude) — no tiles, so it works offline.
    df: name, category_name, lon, lat, address, phones, hours."""
    if df.empty:
        df = pd.DataFrame(columns=["name", "category_name", "lon", "lat", "address", "phones", "hours"])
    return (
        alt.Chart(df, title=title)
        .mark_circle(size=90, opacity=0.85, stroke="white", strokeWidth=0.5)
        .encode(
            x=alt.X("lon:Q", title=labels["lon"], scale=alt.Scale(zero=False)),
            y=alt.Y("lat:Q", title=labels["lat"], scale=alt.Scale(zero=False)),
            color=alt.Color("category_name:N", title=labels["category"], scale=alt.Scale(scheme=CATEGORY_SCHEME)),
            tooltip=[alt.Tooltip("name:N", title=labels["name"]), alt.Tooltip("category_name:N", title=labels["category"]),
                     alt.Tooltip("address:N", title=labels["address"]), alt.Tooltip("phones:N", title=labels["phones"]),
                     alt.Tooltip("hours:N", title=labels["hours"])],
        )
        .properties(height=480)
        .interactive()
    )


def coverage_heatmap(cells: pd.DataFrame, title: str, labels: dict[str, str]) -> alt.Chart:
    """Community × category, coloured by outlets within the radius; gaps (0) marked with ✕.
    cells: community, category_name, within, nearest_m."""
    base = alt.Chart(cells, title=title).encode(
        x=alt.X("category_name:N", title=labels["category"], sort=None, axis=alt.Axis(labelAngle=-40)),
        y=alt.Y("community:N", title=labels["community"], sort=None),
        tooltip=[alt.Tooltip("community:N", title=labels["community"]),
                 alt.Tooltip("category_name:N", title=labels["category"]),
                 alt.Tooltip("within:Q", title=labels["within"]),
                 alt.Tooltip("nearest_m:Q", title=labels["nearest"])],
    )
    heat = base.mark_rect(stroke="white", strokeWidth=0.5).encode(
        color=alt.Color("within:Q", title=labels["within"], scale=alt.Scale(scheme=SEQUENTIAL_SCHEME, domainMin=0)))
    gaps = base.transform_filter("datum.within == 0").mark_text(text="✕", color="#d62728", fontSize=11)
    rows = max(1, cells["community"].nunique()) if not cells.empty else 1
    return (heat + gaps).properties(height=min(22 * rows + 40, 2200))
