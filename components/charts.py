"""Altair chart builders: DataFrames in, alt.Chart out (testable with chart.to_dict()).
Colours come from colour-blind-safe schemes; every chart has a title and tooltips."""

import altair as alt
import pandas as pd

CATEGORY_SCHEME = "tableau20"
SEQUENTIAL_SCHEME = "viridis"  # colour-blind safe, readable on a projector
# Okabe–Ito: the colour-blind-safe qualitative palette, for the dashboard's categories.
OKABE_ITO = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000",
             "#999999", "#117733", "#882255", "#44AA99", "#332288", "#DDCC77", "#AA4499"]
PROJECTOR = {"titleFontSize": 20, "labelFontSize": 14, "axisTitleFontSize": 15}
# Every bar keeps its label: Vega otherwise drops labels it thinks overlap (two of five district
# names vanished on screen) and cuts long ones.
EVERY_LABEL = {"labelOverlap": False, "labelLimit": 0}


MEETING = {"titleFontSize": 30, "labelFontSize": 20, "axisTitleFontSize": 22}  # read from the back of a room
MEETING_HEIGHT = 660  # 1080 px less the title, the reading and the corner line


def styled(chart: alt.Chart, meeting: bool = False) -> alt.Chart:
    """Large type (larger still in meeting mode, for the projector), and a font stack that renders
    Chinese in exported images."""
    size = MEETING if meeting else PROJECTOR
    if meeting and isinstance(chart.height, int):  # a projector screen holds one chart: let it fill it
        chart = chart.properties(height=MEETING_HEIGHT)
    # configure() first: called last, it replaced the whole config and every size with it.
    return (chart.configure(font="DejaVu Sans, Droid Sans Fallback, sans-serif")
            .configure_title(fontSize=size["titleFontSize"], anchor="start")
            .configure_axis(labelFontSize=size["labelFontSize"], titleFontSize=size["axisTitleFontSize"])
            .configure_legend(labelFontSize=size["labelFontSize"], titleFontSize=size["labelFontSize"], labelLimit=0))


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


def hours_by_month(df: pd.DataFrame, title: str, labels: dict[str, str]) -> alt.Chart:
    """Stacked bars of approved hours per month and category, with the same months a year
    earlier as a dashed line. df: month (YYYY-MM), category_name, hours, and year_ago (bool)."""
    current = df[~df["year_ago"]] if not df.empty else df
    earlier = df[df["year_ago"]] if not df.empty else df
    bars = alt.Chart(current).mark_bar().encode(
        x=alt.X("month:O", title=labels["month"],
                axis=alt.Axis(labelExpr=labels.get("month_expr", "datum.value"), labelLimit=0,
                              labelAngle=0 if current["month"].nunique() <= 12 else -45)),
        y=alt.Y("sum(hours):Q", title=labels["hours"]),
        color=alt.Color("category_name:N", title=labels["category"], scale=alt.Scale(range=OKABE_ITO)),
        tooltip=[alt.Tooltip("month:O", title=labels["month"]), alt.Tooltip("category_name:N", title=labels["category"]),
                 alt.Tooltip("sum(hours):Q", title=labels["hours"], format=",.0f")])
    if earlier.empty:
        return bars.properties(title=title, height=360)
    shifted = earlier.assign(month=earlier["month"].map(lambda m: f"{int(m[:4]) + 1}{m[4:]}"))
    line = alt.Chart(shifted).mark_line(point=True, strokeDash=[6, 4], color="#444444").encode(
        x="month:O", y=alt.Y("sum(hours):Q"),
        tooltip=[alt.Tooltip("month:O", title=labels["month"]),
                 alt.Tooltip("sum(hours):Q", title=labels["year_ago"], format=",.0f")])
    return alt.layer(bars, line).properties(title=title, height=360)


def by_area(df: pd.DataFrame, title: str, labels: dict[str, str], measure: str, meeting: bool = False,
            value_format: str | None = None) -> alt.Chart:
    """Horizontal bars per community or district, sorted, for one measure (per 1,000 residents, or
    a share with value_format ".0%"). df: area, hours, active, hours_per_1000, active_per_1000."""
    return alt.Chart(df, title=title).mark_bar(color=OKABE_ITO[4]).encode(
        y=alt.Y("area:N", title=labels["area"], sort="-x", axis=alt.Axis(**EVERY_LABEL)),
        x=alt.X(f"{measure}:Q", title=labels[measure],
                axis=alt.Axis(format=value_format) if value_format else alt.Undefined),
        tooltip=[alt.Tooltip("area:N", title=labels["area"]),
                 alt.Tooltip("hours:Q", title=labels["hours"], format=",.0f"),
                 alt.Tooltip("active:Q", title=labels["active"]),
                 alt.Tooltip("hours_per_1000:Q", title=labels["hours_per_1000"], format=",.1f"),
                 alt.Tooltip("active_per_1000:Q", title=labels["active_per_1000"], format=",.1f"),
                 *([alt.Tooltip(f"{measure}:Q", title=labels[measure], format=value_format)] if value_format else [])],
    ).properties(height=alt.Step((100 if meeting else 36) if len(df) <= 12 else (32 if meeting else 20)))
    # room per bar: five districts or ninety communities, larger on a projector


def simple_bars(df: pd.DataFrame, title: str, x: str, y: str, x_title: str, y_title: str,
                colour: str = OKABE_ITO[2], sort=None, label_expr: str = "datum.value",
                value_format: str = ",.2f") -> alt.Chart:
    """One measure per label (stars, registrations, funnel stages, occupancy, time to claim);
    value_format (d3) for the value axis and tooltip: ".0%" for a rate."""
    return alt.Chart(df, title=title).mark_bar(color=colour).encode(
        x=alt.X(f"{x}:N", title=x_title, sort=sort, axis=alt.Axis(labelAngle=0 if len(df) < 8 else -40,
                                                                  labelExpr=label_expr, **EVERY_LABEL)),
        y=alt.Y(f"{y}:Q", title=y_title, axis=alt.Axis(format=value_format) if "%" in value_format else alt.Undefined),
        tooltip=[alt.Tooltip(f"{x}:N", title=x_title), alt.Tooltip(f"{y}:Q", title=y_title, format=value_format)],
    ).properties(height=300)


def weekly_lines(df: pd.DataFrame, title: str, labels: dict[str, str]) -> alt.Chart:
    """Attendance per week and centre. df: week_start (the week's Monday), centre, attended. Each
    week is a position labelled by its Monday in the reader's words (11月2日): a time axis would
    put its ticks on Sundays, between the points."""
    many = df["week_start"].nunique() > 16 if not df.empty else False
    return alt.Chart(df, title=title).mark_line(point=True).encode(
        x=alt.X("week_start:O", title=labels["week"],
                axis=alt.Axis(labelExpr=labels["week_expr"], labelAngle=-45 if many else 0, labelOverlap=many,
                              labelLimit=0)),
        y=alt.Y("attended:Q", title=labels["attended"]),
        color=alt.Color("centre:N", title=labels["centre"], scale=alt.Scale(range=OKABE_ITO)),
        tooltip=[alt.Tooltip("centre:N", title=labels["centre"]), alt.Tooltip("week_start:O", title=labels["week"]),
                 alt.Tooltip("attended:Q", title=labels["attended"])],
    ).properties(height=300)


def ranked_gaps(df: pd.DataFrame, title: str, labels: dict[str, str]) -> alt.Chart:
    """The largest coverage gaps, largest first: how far the nearest outlet of the kind is from
    the community centre, each bar with its distance written at its end. df: label, km, km_text."""
    base = alt.Chart(df, title=title).encode(
        y=alt.Y("label:N", title=labels["label"], sort=None, axis=alt.Axis(**EVERY_LABEL)),
        x=alt.X("km:Q", title=labels["km"]),
        tooltip=[alt.Tooltip("label:N", title=labels["label"]), alt.Tooltip("km_text:N", title=labels["km"])])
    bars = base.mark_bar(color=OKABE_ITO[5])
    text = base.mark_text(align="left", dx=6, fontSize=16).encode(text="km_text:N")
    return (bars + text).properties(height=alt.Step(44))


def ranked_scores(df: pd.DataFrame, title: str, labels: dict[str, str], meeting: bool = False) -> alt.Chart:
    """The scorecard's total per community, best at the top; `group` colours the bars (the top and
    the bottom of the city, or a community beside its district's and the city's means) and is named
    in the legend, so colour is never the only sign. df: label, score, group."""
    groups = list(dict.fromkeys(df["group"]))
    return alt.Chart(df, title=title).mark_bar().encode(
        y=alt.Y("label:N", title=labels["label"], sort=list(df["label"]), axis=alt.Axis(**EVERY_LABEL)),
        x=alt.X("score:Q", title=labels["score"], scale=alt.Scale(domain=[0, 100])),
        color=alt.Color("group:N", title=labels["group"], scale=alt.Scale(domain=groups, range=OKABE_ITO[1:1 + len(groups)])),
        tooltip=[alt.Tooltip("label:N", title=labels["label"]), alt.Tooltip("score:Q", title=labels["score"], format=".1f")],
    ).properties(height=alt.Step(100 if meeting and len(df) <= 5 else 32 if meeting else 22))


def survey_means(df: pd.DataFrame, title: str, labels: dict[str, str]) -> alt.Chart:
    """One 1–5 question's mean per community with its 95 % interval as a bar through the point: a
    wide bar says "few answers", so a ranking is not read into noise. df: community, mean, low, high, n."""
    base = alt.Chart(df, title=title).encode(
        y=alt.Y("community:N", title=labels["community"], sort=alt.EncodingSortField("mean", order="descending"),
                axis=alt.Axis(**EVERY_LABEL)))
    tips = [alt.Tooltip("community:N", title=labels["community"]), alt.Tooltip("mean:Q", title=labels["mean"], format=".2f"),
            alt.Tooltip("low:Q", title=labels["low"], format=".2f"), alt.Tooltip("high:Q", title=labels["high"], format=".2f"),
            alt.Tooltip("n:Q", title=labels["n"])]
    interval = base.mark_rule(color=OKABE_ITO[0], strokeWidth=2).encode(
        x=alt.X("low:Q", title=labels["mean"], scale=alt.Scale(domain=[1, 5]), axis=alt.Axis(values=[1, 2, 3, 4, 5])),
        x2="high:Q", tooltip=tips)
    point = base.mark_point(filled=True, size=70, color=OKABE_ITO[4]).encode(x="mean:Q", tooltip=tips)
    return (interval + point).properties(height=alt.Step(22))
