"""The leaders' dashboard: filters (kept in the URL), KPI tiles against the previous period,
altair charts each with a one-line reading, meeting mode, PNG/SVG per chart and a PDF brief.
Leaders and admins see the city; a coordinator their community against the city."""

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from components import charts
from components.auth import session_actor
from components.data import get_db
from components.export import brief_pdf, chart_png, chart_svg
from components.feedback import show_error
from components.i18n import lang, t
from db import dashboard as figures
from db.categories import list_categories
from db.communities import list_communities
from db.errors import LinliError
from db.models import DISTRICTS
from db.outlets import categories as outlet_categories
from db.outlets import coverage
from db import clock

db, actor = get_db(), session_actor()
names = {c["code"]: c["name_zh"] if lang() == "zh" else c["name_en"] for c in list_categories(db)}
communities = list_communities(db)
community_name = {c["id"]: c["name"] for c in communities}
PERIODS = ["this_month", "last_month", "quarter", "year", "custom"]


def period_dates(kind: str, today: date, custom: tuple[date, date]) -> tuple[date, date]:
    first = today.replace(day=1)
    if kind == "this_month":
        return first, today
    if kind == "last_month":
        end = first - timedelta(days=1)
        return end.replace(day=1), end
    if kind == "quarter":
        return date(today.year, 3 * ((today.month - 1) // 3) + 1, 1), today
    if kind == "year":
        return date(today.year, 1, 1), today
    return custom


# --- filters: the widgets (stable keys) are the state; the URL is read once per session, so a
# shared link opens the same view, and then only mirrors the widgets (rebuilding the widgets from
# the URL on every run lost every second change) ------------------------------------------------
st.title(t("page.dashboard"))


def from_url() -> dict:
    """The filters a link asks for, each checked; anything else falls back to the default."""
    q = st.query_params
    today = clock.today()
    try:
        custom = (date.fromisoformat(q.get("from", "")), date.fromisoformat(q.get("to", "")))
    except ValueError:  # missing or not a date (year 0001 parses; check_scope refuses it below)
        custom = (today - timedelta(days=30), today)
    community = q.get("community", "")
    # "" and 0 stand for "all": a keyed selectbox holding None shows no choice at all.
    return {"db_period": q.get("period") if q.get("period") in PERIODS else "this_month",
            "db_district": q.get("district") if q.get("district") in DISTRICTS else "",
            "db_community": int(community) if community.isdigit() and int(community) in community_name else 0,
            "db_category": q.get("category") if q.get("category") in names else "",
            "db_from": custom[0], "db_to": custom[1], "meeting": q.get("meeting") == "1"}


if "db_period" not in st.session_state:
    st.session_state.update(from_url())
meeting = st.toggle(t("db.meeting"), key="meeting")
if not meeting:
    cols = st.columns([2, 2, 2, 2, 2])
    cols[0].selectbox(t("db.period"), PERIODS, key="db_period", format_func=lambda p: t("db.period." + p))
    if st.session_state["db_period"] == "custom":
        c1, c2 = st.columns(2)
        bounds = {"min_value": figures.EARLIEST, "max_value": clock.today()}
        for key in ("db_from", "db_to"):  # a link's dates are kept inside what the pickers allow
            st.session_state[key] = min(max(st.session_state[key], figures.EARLIEST), clock.today())
        c1.date_input(t("db.from"), key="db_from", **bounds)
        c2.date_input(t("db.to"), key="db_to", **bounds)
    if actor.role != "coordinator":
        cols[1].selectbox(t("db.district"), ["", *DISTRICTS], key="db_district", format_func=lambda d: d or t("db.all"))
        choices = [c["id"] for c in communities if st.session_state["db_district"] in ("", c["district"])]
        if st.session_state["db_community"] not in choices:  # a community of another district: all of this one
            st.session_state["db_community"] = 0
        cols[2].selectbox(t("db.community"), [0, *choices], key="db_community",
                          format_func=lambda i: community_name[i] if i else t("db.all"))
    cols[3].selectbox(t("db.category"), ["", *names], key="db_category",
                      format_func=lambda c: names[c] if c else t("db.all"))
period, category = st.session_state["db_period"], st.session_state["db_category"] or None
district, community = st.session_state["db_district"] or None, st.session_state["db_community"] or None
custom = (st.session_state["db_from"], st.session_state["db_to"])
if actor.role == "coordinator":
    district, community = None, actor.community_id

wanted = {"period": period, "district": district, "community": community, "category": category,
          "from": custom[0].isoformat() if period == "custom" else None,
          "to": custom[1].isoformat() if period == "custom" else None, "meeting": "1" if meeting else None,
          "lang": st.session_state.get("lang")}
for key, value in wanted.items():
    if value is None:
        st.query_params.pop(key, None)
    elif st.query_params.get(key) != str(value):
        st.query_params[key] = str(value)

start, end = period_dates(period, clock.today(), custom)
scope = figures.Scope(start, end, district, community, category)
city = figures.Scope(start, end, None, None, category)
try:
    figures.check_scope(actor, scope)
except LinliError as exc:
    show_error(exc)
    st.stop()


# --- figures, cached per filter set (cleared on every write) ----------------------------------
@st.cache_data(show_spinner=False, ttl=3600)
def cached(name: str, s: figures.Scope, path: str, *args):
    return getattr(figures, name)(db, s, *args)


path = str(db.conn.execute("PRAGMA database_list").fetchone()[2])


@st.cache_data(show_spinner=False, ttl=3600)
def cached_coverage(district_, community_, path_):
    return coverage(db, district=district_, community_id=community_)


# One coverage computation serves this period's tiles, the previous period's and the heatmap.
cells_here = cached_coverage(district, community, path)
now = cached("kpis", scope, path, cells_here)
before = cached("kpis", scope.previous(), path, cells_here)
versus = cached("kpis", city, path, cached_coverage(None, None, path)) if actor.role == "coordinator" else None

where = community_name.get(community) or district or t("db.city")
scope_line = t("db.scope", start=start, end=end, where=where, category=names.get(category, t("db.all")))
st.caption(scope_line)

FORMATS = {"registered": "{:,.0f}", "active_volunteers": "{:,.0f}", "hours": "{:,.0f}", "hours_per_1000": "{:,.1f}",
           "needs_posted": "{:,.0f}", "needs_fulfilled": "{:,.0f}", "fulfilment_rate": "{:.0%}",
           "median_hours_to_claim": "{:,.1f}", "outlets": "{:,.0f}", "coverage": "{:.0%}", "occupancy": "{:.0%}",
           "meals": "{:,.0f}"}


RATES = {"fulfilment_rate", "coverage", "occupancy"}


def fmt(key, value):
    return "—" if value is None else FORMATS[key].format(value)


def change_text(key) -> str | None:
    """Against the previous period: rates in percentage points (29% after 71% is −42 points, not
    −59%), counts as a relative change."""
    if key in RATES:
        if now[key] is None or before[key] is None:
            return None
        return t("db.points", n=f"{(now[key] - before[key]) * 100:+.1f}")
    delta = figures.change(now[key], before[key])
    return None if delta is None else f"{delta:+.0%}"


def kpi_tiles():
    keys = list(FORMATS)
    for row in range(0, len(keys), 4):
        for col, key in zip(st.columns(4), keys[row:row + 4]):
            help_text = t("db.vs_city", value=fmt(key, versus[key])) if versus else None
            # Waiting longer is worse: that tile's arrow turns red when the figure rises.
            col.metric(t("kpi." + key), fmt(key, now[key]), change_text(key),
                       help=help_text, border=True,
                       delta_color="inverse" if key == "median_hours_to_claim" else "normal")


def frame(rows):
    return pd.DataFrame(rows)


def pct(x):
    return f"{x:.0%}"


def volunteer_charts():
    out = []
    months = frame(cached("hours_by_month", scope, path))
    if not months.empty:
        months["category_name"] = months["category"].map(names)
        current = months[~months["year_ago"]]
        top = current.groupby("category_name")["hours"].sum().sort_values(ascending=False)
        reading = t("read.hours_by_month", hours=f"{current['hours'].sum():,.0f}", top=top.index[0] if len(top) else "—",
                    share=pct(top.iloc[0] / top.sum()) if len(top) and top.sum() else "—")
        labels = {"month": t("lab.month"), "hours": t("lab.hours"), "category": t("lab.category"), "year_ago": t("lab.year_ago"),
                  # 2026-03 reads 2026年3月 in Chinese
                  "month_expr": ("slice(datum.value, 0, 4) + '年' + toNumber(slice(datum.value, 5)) + '月'"
                                 if lang() == "zh" else "datum.value")}
        if current["month"].nunique() >= 2:
            out.append(("hours_by_month", t("ch.hours_by_month"), reading,
                        charts.hours_by_month(months, t("ch.hours_by_month"), labels)))
        else:  # one month is no trend: that month's hours by category, and the reading says so
            by_category = top.reset_index().rename(columns={"category_name": "category"})
            out.append(("hours_by_month", t("ch.hours_one_month"), t("read.one_month") + reading,
                        charts.simple_bars(by_category, t("ch.hours_one_month"), "category", "hours",
                                           t("lab.category"), t("lab.hours"), charts.OKABE_ITO[0], sort="-y")))
    level = "community" if district or community else "district"
    areas = frame(cached("by_area", scope, path, level))
    if not areas.empty and areas["hours"].sum() > 0:
        labels = {"area": t("lab.area"), "hours": t("lab.hours"), "active": t("lab.active"),
                  "hours_per_1000": t("kpi.hours_per_1000"), "active_per_1000": t("lab.active") + " / 1000"}
        title = t("ch.hours_by_area", level=t("level." + level))
        reading = t("read.hours_by_area", top=areas.iloc[0]["area"], value=f"{areas.iloc[0]['hours_per_1000']:.1f}",
                    bottom=areas.iloc[-1]["area"], low=f"{areas.iloc[-1]['hours_per_1000']:.1f}")
        out.append(("hours_by_area", title, reading, charts.by_area(areas, title, labels, "hours_per_1000")))
        best = areas.sort_values("active_per_1000", ascending=False).iloc[0]
        title = t("ch.active_by_area", level=t("level." + level))
        out.append(("active_by_area", title, t("read.active_by_area", top=best["area"], value=f"{best['active_per_1000']:.1f}"),
                    charts.by_area(areas, title, labels, "active_per_1000")))
    stars = frame(cached("star_distribution", scope, path))
    if stars["volunteers"].sum():
        stars["label"] = stars["stars"].map(lambda s: "★" * s if s else "0")
        share = stars[stars["stars"] > 0]["volunteers"].sum() / stars["volunteers"].sum()
        out.append(("stars", t("ch.stars"), t("read.stars", share=pct(share)),
                    charts.simple_bars(stars, t("ch.stars"), "label", "volunteers", t("lab.stars"), t("lab.volunteers"),
                                       sort=None)))
    regs = frame(cached("registrations_by_month", scope, path))
    if not regs.empty:
        top = regs.sort_values("registrations", ascending=False).iloc[0]
        out.append(("registrations", t("ch.registrations"),
                    t("read.registrations", total=int(regs["registrations"].sum()), top=top["month"], n=int(top["registrations"])),
                    charts.simple_bars(regs, t("ch.registrations"), "month", "registrations", t("lab.month"),
                                       t("lab.registrations"), charts.OKABE_ITO[0])))
    return out


def exchange_charts():
    out = []
    stages = frame(cached("funnel", scope, path))
    if stages["needs"].sum():
        stages["label"] = stages["stage"].map(lambda s: t("stage." + s))
        posted, confirmed = int(stages.iloc[0]["needs"]), int(stages.iloc[3]["needs"])
        out.append(("funnel", t("ch.funnel"), t("read.funnel", posted=posted, confirmed=confirmed,
                                                 rate=pct(confirmed / posted) if posted else "—"),
                    charts.simple_bars(stages, t("ch.funnel"), "label", "needs", t("lab.stage"), t("lab.needs"),
                                       charts.OKABE_ITO[4], sort=list(stages["label"]))))
    waits = frame(cached("time_to_claim", scope, path))
    if not waits.empty:
        waits["label"] = waits["category"].map(names)
        slow = waits.sort_values("median_hours", ascending=False).iloc[0]
        out.append(("time_to_claim", t("ch.time_to_claim"), t("read.time_to_claim", top=slow["label"],
                                                                value=f"{slow['median_hours']:.1f}"),
                    charts.simple_bars(waits, t("ch.time_to_claim"), "label", "median_hours", t("lab.category"),
                                       t("lab.median_hours"), charts.OKABE_ITO[5], sort="-y")))
    return out


def coverage_charts():
    cells = frame(cached_coverage(district, community, path))
    if cells.empty:
        return []
    cat_names = {c["code"]: c["name_zh"] if lang() == "zh" else c["name_en"] for c in outlet_categories(db)}
    cells["category_name"] = cells["category"].map(cat_names)
    gaps = cells[cells["within"] == 0]
    worst = gaps["category_name"].value_counts()
    reading = t("read.coverage", share=pct(1 - len(gaps) / len(cells)), worst=worst.index[0] if len(worst) else "—",
                n=int(worst.iloc[0]) if len(worst) else 0)
    labels = {"category": t("lab.category"), "community": t("db.community"), "within": t("lab.outlets"),
              "nearest": t("cov.nearest", m="")}
    return [("coverage", t("ch.coverage"), reading, charts.coverage_heatmap(cells, t("ch.coverage"), labels))]


def daycare_charts():
    out = []
    care = frame(cached("daycare", scope, path))
    if not care.empty and care["places"].sum():
        care = care.dropna(subset=["occupancy"])
        ranked = care.sort_values("occupancy", ascending=False)
        out.append(("occupancy", t("ch.occupancy"),
                    t("read.occupancy", top=ranked.iloc[0]["centre"], value=pct(ranked.iloc[0]["occupancy"]),
                      bottom=ranked.iloc[-1]["centre"], low=pct(ranked.iloc[-1]["occupancy"])),
                    charts.simple_bars(care, t("ch.occupancy"), "centre", "occupancy", t("lab.centre"), t("lab.occupancy"),
                                       charts.OKABE_ITO[1], sort="-y")))
    from db.daycare import attendance_by_week

    weeks = frame(attendance_by_week(db, start, end, district=scope.district, community_id=scope.community_id))
    if not weeks.empty:
        out.append(("attendance", t("ch.attendance"), t("read.attendance", total=int(weeks["attended"].sum())),
                    charts.weekly_lines(weeks, t("ch.attendance"),
                                        {"week": t("lab.week"), "attended": t("lab.attended"), "centre": t("lab.centre")})))
    return out


BUILDERS = {"sec.volunteers": volunteer_charts, "sec.exchange": exchange_charts, "sec.coverage": coverage_charts,
            "sec.daycare": daycare_charts}


@st.cache_data(show_spinner=False, ttl=3600)
def section_specs(section: str, s: figures.Scope, language: str, path_: str,
                  meeting_: bool = False) -> list[tuple[str, str, str, dict]]:
    """A section's charts as finished Vega-Lite specs, cached per filter set, language and mode:
    building and validating altair charts is most of a warm run's work."""
    return [(key, title, reading, charts.styled(chart, meeting_).to_dict())
            for key, title, reading, chart in BUILDERS[section]()]


SECTIONS = [("sec.kpi", None), ("sec.volunteers", True), ("sec.exchange", True), ("sec.coverage", True),
            ("sec.daycare", True)]


def built(section: str):
    return section_specs(section, scope, lang(), path, meeting)


def draw(section_charts):
    if not section_charts:
        st.info(t("db.no_data"))
    for key, title, reading, chart in section_charts:
        st.vega_lite_chart(chart)
        st.markdown(f"**{reading}**")
        if not meeting:
            c1, c2, _ = st.columns([1, 1, 6])
            c1.download_button(t("db.png"), lambda chart=chart: chart_png(chart), file_name=f"{key}.png",
                               mime="image/png", key=f"png_{key}")
            c2.download_button(t("db.svg"), lambda chart=chart: chart_svg(chart), file_name=f"{key}.svg",
                               mime="image/svg+xml", key=f"svg_{key}")


if meeting:
    # Meeting mode: no sidebar, no filters, one section at a time in large type. The CSS is
    # static text (no user input reaches it).
    st.markdown("<style>[data-testid='stSidebar'],[data-testid='stSidebarCollapsedControl']{display:none}"
                " [data-testid='stMetricValue']{font-size:3rem} .stMarkdown p{font-size:1.4rem}</style>",
                unsafe_allow_html=True)
    n = st.session_state.setdefault("meeting_section", 0)
    title_key, build = SECTIONS[n]
    st.header(t(title_key))
    # Statements, not a bare expression: Streamlit's magic would print its value ("None").
    if build is None:
        kpi_tiles()
    else:
        draw(built(title_key))
    c1, c2, c3 = st.columns([1, 2, 1])
    if c1.button(t("db.prev"), disabled=n == 0):
        st.session_state["meeting_section"] = n - 1
        st.rerun()
    c2.caption(t("db.section", n=n + 1, total=len(SECTIONS)))
    if c3.button(t("db.next"), disabled=n == len(SECTIONS) - 1):
        st.session_state["meeting_section"] = n + 1
        st.rerun()
else:
    every_chart = []
    for title_key, build in SECTIONS:
        st.header(t(title_key))
        if build is None:
            kpi_tiles()
        else:
            made = built(title_key)
            every_chart += made
            draw(made)

    def brief() -> bytes:
        rows = []
        for key in FORMATS:
            rows.append((t("kpi." + key), fmt(key, now[key]), fmt(key, before[key]), change_text(key) or "—"))
        return brief_pdf(t("db.brief_title"), f"{t('db.filters_used')}：{scope_line}", rows,
                         (t("kpi.figure"), t("kpi.value"), t("kpi.previous"), t("kpi.change")),
                         [(title, reading, chart) for _, title, reading, chart in every_chart])

    st.download_button(t("db.brief"), brief, file_name=f"linli-brief-{start}-{end}.pdf", mime="application/pdf",
                       type="primary")
