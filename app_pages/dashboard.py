"""The leaders' dashboard: filters (mirrored in the URL), KPI tiles against the previous period,
charts each with a one-line reading, PNG/SVG per chart, the meeting brief (PDF and .xlsx), and
meeting mode for a projector. Leaders and admins see the city; a coordinator their community
against the city. The parts live in components/dashboard; this module only lays them out."""

import time

import streamlit as st

from components.auth import session_actor
from components.dashboard import filters, sections, tiles
from components.dashboard.brief import Brief
from components.data import get_db
from components.export import chart_png, chart_svg
from components.feedback import show_error
from components.i18n import lang, t
from components.usertext import plain
from db import clock
from db import dashboard as figures
from db.communities import list_communities
from db.errors import LinliError
from db.permissions import CITY_VIEW, scope

db, actor = get_db(), session_actor()
names = sections.category_names()
communities = list_communities(db)
community_names = {c["id"]: c["name"] for c in communities}

filters.restore(set(community_names), names)
if not st.session_state["meeting"]:
    st.title(t("page.dashboard"))
    st.toggle(t("db.meeting"), key="meeting", help=t("db.meeting_help"))
    if not st.session_state["meeting"]:
        filters.widgets(actor, communities, community_names, names)
view = filters.current(actor)
filters.mirror(view)
try:
    figures.check_scope(actor, view.scope)
except LinliError as exc:
    show_error(exc)
    st.stop()

now, before = sections.kpis(view.scope), sections.kpis(view.scope.previous())
# A coordinator sees their community against the city (the only wider view they may see).
versus = sections.kpis(view.city) if scope(actor, "dashboard.read") is CITY_VIEW else None
scope_line = view.line(community_names, names)  # community names are typed by people: plain() where shown


def chart_block(chart: sections.Chart, downloads: bool) -> None:
    st.vega_lite_chart(chart.spec)
    with st.container(key=f"reading_{chart.key}"):
        st.markdown(f"**{plain(chart.reading)}**")
    if downloads:
        c1, c2, _ = st.columns([1, 1, 6])
        c1.download_button(t("db.png"), lambda: chart_png(chart.spec), file_name=f"{chart.key}.png",
                           mime="image/png", key=f"png_{chart.key}")
        c2.download_button(t("db.svg"), lambda: chart_svg(chart.spec), file_name=f"{chart.key}.svg",
                           mime="image/svg+xml", key=f"svg_{chart.key}")


def meeting_mode() -> None:
    """One idea per screen — a group of four figures or one chart — in projector type, nothing
    else on the screen but the period and scope in a corner. ←/→ or PageUp/PageDown (what a
    presentation clicker sends) turn the screens; Esc leaves. The CSS is static text."""
    slides = [("kpi", group) for group in tiles.GROUPS]
    slides += [("chart", c) for name in sections.SECTIONS for c in sections.section(name, view.scope, meeting=True)]
    n = min(st.session_state.setdefault("meeting_slide", 0), len(slides) - 1)
    st.markdown(MEETING_CSS, unsafe_allow_html=True)
    with st.container(key="meeting_corner"):
        st.caption(plain(scope_line))
    kind, content = slides[n]
    if kind == "kpi":
        st.header(t(content))
        tiles.draw(tiles.GROUPS[content], now, before, versus)
    else:
        chart_block(content, downloads=False)

    def turn(step: int) -> None:
        st.session_state["meeting_slide"] = min(max(n + step, 0), len(slides) - 1)

    def leave() -> None:
        st.session_state["meeting"] = False
        st.session_state["meeting_slide"] = 0

    with st.container(key="meeting_nav", horizontal=True):
        st.button("◀", key="slide_prev", on_click=turn, args=(-1,), shortcut="Left", help=t("db.prev"), type="tertiary")
        st.caption(t("db.section", n=n + 1, total=len(slides)))
        st.button("▶", key="slide_next", on_click=turn, args=(1,), shortcut="Right", help=t("db.next"), type="tertiary")
        st.button("✕", key="slide_exit", on_click=leave, shortcut="Esc", help=t("db.leave"), type="tertiary")
    with st.container(key="meeting_keys"):  # a clicker's keys, on buttons nobody needs to see
        st.button(t("db.prev"), key="slide_pageup", on_click=turn, args=(-1,), shortcut="PageUp")
        st.button(t("db.next"), key="slide_pagedown", on_click=turn, args=(1,), shortcut="PageDown")


MEETING_CSS = """<style>
[data-testid='stSidebar'], [data-testid='stSidebarCollapsedControl'], [data-testid='stHeader'],
[data-testid='stToolbar'], .st-key-meeting_keys {display: none}
[data-testid='stMainBlockContainer'] {max-width: 100%; padding: 2.5rem 3rem 1rem}
h2 {font-size: 3rem !important}
[data-testid='stMetricLabel'] p {font-size: 2rem !important}
[data-testid='stMetricValue'] {font-size: 5rem !important}
[data-testid='stMetricDelta'] {font-size: 1.75rem !important}
[class*='st-key-reading_'] p {font-size: 2rem !important}
.st-key-meeting_corner {position: fixed; top: .5rem; right: 2rem; left: auto; width: auto !important; z-index: 1000}
.st-key-meeting_corner p {font-size: 1.25rem !important}
.st-key-meeting_nav {position: fixed; bottom: .5rem; right: 2rem; width: auto; opacity: .35; z-index: 1000}
.st-key-meeting_nav:hover {opacity: 1}
</style>"""


def normal_mode() -> None:
    st.caption(plain(scope_line))
    made = []
    st.header(t("sec.kpi"))
    if view.scope.category:
        st.caption(t("db.tiles_every_category"))
    for keys in tiles.GROUPS.values():
        tiles.draw(keys, now, before, versus)
    for name in sections.SECTIONS:
        st.header(t(name))
        charts = sections.section(name, view.scope)
        if not charts:
            st.info(t("db.no_data"))
        for chart in charts:
            chart_block(chart, downloads=True)
        made += [c for c in charts if c.key != "coverage"]  # the brief ranks the gaps instead of the grid
    brief_buttons(made)


def brief_buttons(charts: list) -> None:
    """The brief is made on request, with a spinner (it renders every chart), and offered for
    download until the view changes."""
    st.header(t("db.brief_header"))
    wanted = (view, lang())
    if st.button(t("db.brief_make"), type="primary", key="brief_make"):
        with st.spinner(t("db.brief_making")):
            started = time.perf_counter()
            brief = Brief(t("db.brief_title"), f"{t('db.filters_used')}：{scope_line}",
                          t("db.brief_made", at=clock.shown(clock.stamp())), tuple(t(k) for k in tiles.HEADER_KEYS),
                          tiles.rows(now, before), charts, t("db.brief_page"))
            st.session_state["brief"] = (wanted, brief.pdf(), brief.xlsx(), time.perf_counter() - started)
    kept = st.session_state.get("brief")
    if kept and kept[0] == wanted:
        _, pdf, xlsx, seconds = kept
        st.caption(t("db.brief_ready", seconds=f"{seconds:.1f}"))
        stem = f"linli-brief-{view.scope.start}-{view.scope.end}"
        c1, c2, _ = st.columns([2, 2, 4])
        c1.download_button(t("db.brief_pdf"), pdf, file_name=f"{stem}.pdf", mime="application/pdf", key="brief_pdf")
        c2.download_button(t("db.brief_xlsx"), xlsx, file_name=f"{stem}.xlsx", key="brief_xlsx",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


if view.meeting:
    meeting_mode()
else:
    normal_mode()
