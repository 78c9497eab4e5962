"""The dashboard's charts, section by section: figures from db.dashboard (cached per filter set,
cleared on every write), each chart a finished Vega-Lite spec with its one-line reading computed
from its own data, and the table behind it (the brief's spreadsheet)."""

from typing import NamedTuple

import pandas as pd
import streamlit as st

from components import charts
from components.data import figures_key, get_db
from components.i18n import lang, t
from db import dashboard as figures
from db.assessment import scorecard
from db.categories import list_categories
from db.daycare import attendance_by_week
from db.outlets import categories as outlet_categories
from db.outlets import coverage
from db.versions import AREAS

SECTIONS = ["sec.volunteers", "sec.exchange", "sec.coverage", "sec.daycare", "sec.scorecard"]
ENDS_SHOWN = 10  # the scorecard on a projector: the city's first ten and last ten
GAPS_SHOWN = 10  # a room reads ten rows; the full grid stays on the coverage page


# Entries per cached function: keys carry the data version, so entries of older versions die when
# another process writes; the bound keeps a busy city from filling memory with them within the hour.
CACHED = 1000


class Chart(NamedTuple):
    key: str
    title: str
    reading: str
    spec: dict
    table: list[dict]  # what the chart shows, with headers in the reader's language


@st.cache_data(show_spinner=False, ttl=3600, max_entries=CACHED)
def _figure(name: str, s: figures.Scope, path: str, *args):
    return getattr(figures, name)(get_db(), s, *args)


@st.cache_data(show_spinner=False, ttl=3600, max_entries=CACHED)
def _coverage(district, community_id, path: str) -> list[dict]:
    return coverage(get_db(), district=district, community_id=community_id)


# The areas of the data (db/versions.py) each cached part reads: a write recomputes only the parts
# that read what it changed (a need claimed leaves the ledger's figures, the costly ones, warm).
EVERYTHING = tuple(AREAS)
SECTION_AREAS = {"sec.volunteers": ("ledger", "activities"), "sec.exchange": ("exchange",),
                 "sec.coverage": ("directory",), "sec.daycare": ("daycare",), "sec.scorecard": EVERYTHING}


@st.cache_data(show_spinner=False, ttl=3600, max_entries=CACHED)
def _kpis(s: figures.Scope, path: str) -> dict:
    # The costly parts come from their own caches, each keyed on the areas it reads, fetched inside
    # rather than passed in: a cached function hashes its arguments on every call, and at city scale
    # hashing the coverage cells cost more than computing the figures.
    return figures.kpis(get_db(), s, _coverage(s.district, s.community_id, figures_key("directory")),
                        _figure("daycare", s, figures_key("daycare")), led=_figure("ledger", s, figures_key("ledger")),
                        held=_figure("activities", s, figures_key("activities")))


@st.cache_data(show_spinner=False, ttl=3600, max_entries=CACHED)
def _scorecard_table(start, end, path: str) -> list[dict]:
    # the ledger's per-community pass and the coverage cells from their own caches, as for the tiles
    return scorecard.table(get_db(), start, end, cells=_coverage(None, None, figures_key("directory")),
                           ledger=lambda period: _figure("by_area", period, figures_key("ledger")))


def scorecard_table(start, end) -> list[dict]:
    """The city's scorecard for a period, the same for every reader (each sees their part of it,
    db.assessment.scorecard.scorecard): one computation for the dashboard and the scorecard page."""
    return _scorecard_table(start, end, figures_key(*EVERYTHING))


def kpis(s: figures.Scope) -> dict:
    """The tiles' figures; one coverage computation serves every period of the same place."""
    return _kpis(s, figures_key(*EVERYTHING))


def category_names() -> dict[str, str]:
    return {c["code"]: c["name_zh"] if lang() == "zh" else c["name_en"] for c in list_categories(get_db())}


def _pct(x) -> str:
    return f"{x:.0%}"


def _table(df: pd.DataFrame, columns: dict[str, str]) -> list[dict]:
    return df[list(columns)].rename(columns=columns).to_dict("records")


def _month_expr() -> str:
    """2026-03 reads 2026年3月 in Chinese."""
    return ("slice(datum.value, 0, 4) + '年' + toNumber(slice(datum.value, 5)) + '月'"
            if lang() == "zh" else "datum.value")


def _month_text(month: str) -> str:
    return f"{month[:4]}年{int(month[5:])}月" if lang() == "zh" else month


def _volunteers(s: figures.Scope, path: str, names: dict, meeting: bool) -> list[Chart]:
    out = []
    months = pd.DataFrame(_figure("hours_by_month", s, path))
    if not months.empty:
        months["category_name"] = months["category"].map(names)
        current = months[~months["year_ago"]]
        top = current.groupby("category_name")["hours"].sum().sort_values(ascending=False)
        reading = t("read.hours_by_month", hours=f"{current['hours'].sum():,.0f}", top=top.index[0] if len(top) else "—",
                    share=_pct(top.iloc[0] / top.sum()) if len(top) and top.sum() else "—")
        table = _table(months.assign(year_ago=months["year_ago"].map({True: t("lab.year_ago"), False: ""})),
                       {"month": t("lab.month"), "category_name": t("lab.category"), "hours": t("lab.hours"),
                        "year_ago": t("lab.year_ago")})
        if current["month"].nunique() >= 2:
            labels = {"month": t("lab.month"), "hours": t("lab.hours"), "category": t("lab.category"),
                      "year_ago": t("lab.year_ago"), "month_expr": _month_expr()}
            out.append(Chart("hours_by_month", t("ch.hours_by_month"), reading,
                             charts.hours_by_month(months, t("ch.hours_by_month"), labels), table))
        else:  # one month is no trend: that month's hours by category, and the reading says so
            by_category = top.reset_index().rename(columns={"category_name": "category"})
            out.append(Chart("hours_by_month", t("ch.hours_one_month"), t("read.one_month") + reading,
                             charts.simple_bars(by_category, t("ch.hours_one_month"), "category", "hours",
                                                t("lab.category"), t("lab.hours"), charts.OKABE_ITO[0], sort="-y"),
                             table))
    level = "community" if s.district or s.community_id else "district"
    areas = pd.DataFrame(_figure("by_area", s, path, level))
    if not areas.empty and areas["hours"].sum() > 0:
        labels = {"area": t("lab.area"), "hours": t("lab.hours"), "active": t("lab.active"),
                  "hours_per_1000": t("kpi.hours_per_1000"), "active_per_1000": t("lab.active") + " / 1000"}
        table = _table(areas, labels)
        title = t("ch.hours_by_area", level=t("level." + level))
        reading = t("read.hours_by_area", top=areas.iloc[0]["area"], value=f"{areas.iloc[0]['hours_per_1000']:.1f}",
                    bottom=areas.iloc[-1]["area"], low=f"{areas.iloc[-1]['hours_per_1000']:.1f}")
        out.append(Chart("hours_by_area", title, reading, charts.by_area(areas, title, labels, "hours_per_1000", meeting),
                         table))
        best = areas.sort_values("active_per_1000", ascending=False).iloc[0]
        title = t("ch.active_by_area", level=t("level." + level))
        out.append(Chart("active_by_area", title,
                         t("read.active_by_area", top=best["area"], value=f"{best['active_per_1000']:.1f}"),
                         charts.by_area(areas, title, labels, "active_per_1000", meeting), table))
        shares = areas.dropna(subset=["derived_share"])
        if not shares.empty:  # hours that come from attendance or a confirmed need, not typed in
            title = t("ch.derived_by_area", level=t("level." + level))
            low = shares.sort_values("derived_share").iloc[0]
            share_labels = {**labels, "derived_share": t("kpi.derived_share")}
            out.append(Chart("derived_by_area", title,
                             t("read.derived_by_area", bottom=low["area"], value=_pct(low["derived_share"])),
                             charts.by_area(shares, title, share_labels, "derived_share", meeting, ".0%"),
                             _table(shares, share_labels)))
    stars = pd.DataFrame(_figure("star_distribution", s, path))
    if stars["volunteers"].sum():
        stars["label"] = stars["stars"].map(lambda n: "★" * n if n else "0")
        share = stars[stars["stars"] > 0]["volunteers"].sum() / stars["volunteers"].sum()
        out.append(Chart("stars", t("ch.stars"), t("read.stars", share=_pct(share)),
                         charts.simple_bars(stars, t("ch.stars"), "label", "volunteers", t("lab.stars"),
                                            t("lab.volunteers")),
                         _table(stars, {"label": t("lab.stars"), "volunteers": t("lab.volunteers")})))
    regs = pd.DataFrame(_figure("registrations_by_month", s, path))
    if not regs.empty:
        top = regs.sort_values("registrations", ascending=False).iloc[0]
        out.append(Chart("registrations", t("ch.registrations"),
                         t("read.registrations", total=f"{int(regs['registrations'].sum()):,}", top=_month_text(top["month"]),
                           n=int(top["registrations"])),
                         charts.simple_bars(regs, t("ch.registrations"), "month", "registrations", t("lab.month"),
                                            t("lab.registrations"), charts.OKABE_ITO[0], label_expr=_month_expr()),
                         _table(regs, {"month": t("lab.month"), "registrations": t("lab.registrations")})))
    return out


def _exchange(s: figures.Scope, path: str, names: dict, meeting: bool) -> list[Chart]:
    out = []
    stages = pd.DataFrame(_figure("funnel", s, path))
    if stages["needs"].sum():
        stages["label"] = stages["stage"].map(lambda x: t("stage." + x))
        posted, confirmed = int(stages.iloc[0]["needs"]), int(stages.iloc[3]["needs"])
        out.append(Chart("funnel", t("ch.funnel"),
                         t("read.funnel", posted=posted, confirmed=confirmed, rate=_pct(confirmed / posted) if posted else "—"),
                         charts.simple_bars(stages, t("ch.funnel"), "label", "needs", t("lab.stage"), t("lab.needs"),
                                            charts.OKABE_ITO[4], sort=list(stages["label"])),
                         _table(stages, {"label": t("lab.stage"), "needs": t("lab.needs")})))
    waits = pd.DataFrame(_figure("time_to_claim", s, path))
    if not waits.empty:
        waits["label"] = waits["category"].map(names)
        slow = waits.sort_values("median_hours", ascending=False).iloc[0]
        out.append(Chart("time_to_claim", t("ch.time_to_claim"),
                         t("read.time_to_claim", top=slow["label"], value=f"{slow['median_hours']:.1f}"),
                         charts.simple_bars(waits, t("ch.time_to_claim"), "label", "median_hours", t("lab.category"),
                                            t("lab.median_hours"), charts.OKABE_ITO[5], sort="-y"),
                         _table(waits, {"label": t("lab.category"), "median_hours": t("lab.median_hours"),
                                        "posted": t("lab.needs")})))
    return out


def _coverage_charts(s: figures.Scope, path: str, names: dict, meeting: bool) -> list[Chart]:
    cells = pd.DataFrame(_coverage(s.district, s.community_id, path))
    if cells.empty:
        return []
    kinds = {c["code"]: c["name_zh"] if lang() == "zh" else c["name_en"] for c in outlet_categories(get_db())}
    cells["category_name"] = cells["category"].map(kinds)
    gaps = cells[cells["within"] == 0].copy()
    worst = gaps["category_name"].value_counts()
    out = []
    if not meeting:  # the full grid is for a screen up close; a room reads the ranked gaps
        labels = {"category": t("lab.category"), "community": t("db.community"), "within": t("lab.outlets"),
                  "nearest": t("cov.nearest", m="")}
        reading = t("read.coverage", share=_pct(1 - len(gaps) / len(cells)),
                    worst=worst.index[0] if len(worst) else "—", n=int(worst.iloc[0]) if len(worst) else 0)
        out.append(Chart("coverage", t("ch.coverage"), reading, charts.coverage_heatmap(cells, t("ch.coverage"), labels),
                         _table(cells, {"community": t("db.community"), "category_name": t("lab.category"),
                                        "within": t("lab.outlets"), "nearest_m": t("lab.nearest_m")})))
    if gaps.empty:
        return out
    # Largest first: no outlet of that kind anywhere, then the farthest nearest outlet.
    gaps["none"] = gaps["nearest_m"].isna()
    gaps = gaps.sort_values(["none", "nearest_m"], ascending=[False, False]).head(GAPS_SHOWN)
    gaps["label"] = gaps["community"] + " · " + gaps["category_name"]
    gaps["km"] = (gaps["nearest_m"] / 1000).round(1)
    gaps["km_text"] = gaps["km"].map(lambda km: t("lab.none_anywhere") if pd.isna(km) else t("lab.km", km=f"{km:.1f}"))
    first = gaps.iloc[0]
    reading = t("read.gaps", n=int((cells["within"] == 0).sum()), community=first["community"],
                category=first["category_name"], km=first["km_text"])
    title = t("ch.gaps", n=len(gaps))
    out.append(Chart("gaps", title, reading, charts.ranked_gaps(gaps, title, {"label": t("lab.gap"), "km": t("lab.nearest_km")}),
                     _table(gaps, {"community": t("db.community"), "category_name": t("lab.category"),
                                   "km_text": t("lab.nearest_km")})))
    return out


def _daycare(s: figures.Scope, path: str, names: dict, meeting: bool) -> list[Chart]:
    out = []
    care = pd.DataFrame(_figure("daycare", s, path))
    if not care.empty and care["places"].sum():
        care = care.dropna(subset=["occupancy"])
        ranked = care.sort_values("occupancy", ascending=False)
        out.append(Chart("occupancy", t("ch.occupancy"),
                         t("read.occupancy", top=ranked.iloc[0]["centre"], value=_pct(ranked.iloc[0]["occupancy"]),
                           bottom=ranked.iloc[-1]["centre"], low=_pct(ranked.iloc[-1]["occupancy"])),
                         charts.simple_bars(care, t("ch.occupancy"), "centre", "occupancy", t("lab.centre"),
                                            t("lab.occupancy"), charts.OKABE_ITO[1], sort="-y",
                                            value_format=".0%"),
                         _table(ranked, {"centre": t("lab.centre"), "occupancy": t("lab.occupancy")})))
    weeks = pd.DataFrame(attendance_by_week(get_db(), s.start, s.end, district=s.district, community_id=s.community_id))
    if not weeks.empty:
        labels = {"week": t("lab.week"), "attended": t("lab.attended"), "centre": t("lab.centre"),
                  "week_expr": ("toNumber(slice(datum.value, 5, 7)) + '月' + toNumber(slice(datum.value, 8, 10)) + '日'"
                                if lang() == "zh" else "slice(datum.value, 5)")}
        out.append(Chart("attendance", t("ch.attendance"), t("read.attendance", total=f"{int(weeks['attended'].sum()):,}"),
                         charts.weekly_lines(weeks, t("ch.attendance"), labels),
                         _table(weeks, {"week_start": t("lab.week"), "centre": t("lab.centre"),
                                        "attended": t("lab.attended")})))
    return out


def _scorecard(s: figures.Scope, path: str, names: dict, meeting: bool) -> list[Chart]:
    """The 考核表's totals: a community beside its district's and the city's means, or the
    communities of the district or city ranked (the first and last ten when there are more)."""
    if (s.end - s.start).days > 366:
        return []  # a scorecard covers at most a year
    rows = _scorecard_table(s.start, s.end, path)
    if s.community_id:
        own = next(r for r in rows if r["community_id"] == s.community_id)
        shown = [{**own, "label": own["community"], "group": t("sc.group.own")},
                 {**scorecard.mean_row([r for r in rows if r["district"] == own["district"]], ""),
                  "label": t("sc.district_mean", name=own["district"]), "group": t("sc.group.mean")},
                 {**scorecard.mean_row(rows, ""), "label": t("sc.city_mean"), "group": t("sc.group.mean")}]
        reading = t("read.scorecard_own", community=own["community"], score=f"{own['score'] or 0:.1f}",
                    rank=own["rank_city"] or "—", of=own["rank_city_of"],
                    change="—" if own["change"] is None else f"{own['change']:+.1f}")
    else:
        listed = [r for r in rows if r["score"] is not None and s.district in (None, r["district"])]
        if not listed:
            return []
        ends = len(listed) > 2 * ENDS_SHOWN
        shown = [{**r, "label": r["community"], "group": t("sc.group.top") if ends and n < ENDS_SHOWN else
                  t("sc.group.bottom") if ends else t("sc.group.all")}
                 for n, r in enumerate(listed) if not ends or n < ENDS_SHOWN or n >= len(listed) - ENDS_SHOWN]
        reading = t("read.scorecard", top=listed[0]["community"], score=f"{listed[0]['score']:.1f}",
                    bottom=listed[-1]["community"], low=f"{listed[-1]['score']:.1f}", n=len(listed))
    frame = pd.DataFrame(shown)
    frame["score"] = frame["score"].fillna(0)
    labels = {"label": t("db.community"), "score": t("sc.col.score"), "group": t("sc.group")}
    table = [{t("db.community"): r["label"], t("sc.col.score"): None if r["score"] is None else round(r["score"], 1),
              t("sc.col.rank_city"): r.get("rank_city"), t("sc.col.rank_district"): r.get("rank_district"),
              t("sc.col.change"): None if r.get("change") is None else round(r["change"], 1)} for r in shown]
    return [Chart("scorecard", t("ch.scorecard"), reading, charts.ranked_scores(frame, t("ch.scorecard"), labels, meeting),
                  table)]


# Charts a service category cannot narrow (volunteers, outlets and day care have none): with a
# category chosen, their readings say they show every category.
ALL_CATEGORIES = {"stars", "registrations", "coverage", "gaps", "occupancy", "attendance", "scorecard"}

BUILDERS = {"sec.volunteers": _volunteers, "sec.exchange": _exchange, "sec.coverage": _coverage_charts,
            "sec.daycare": _daycare, "sec.scorecard": _scorecard}


def build(section: str, s: figures.Scope, path: str, names: dict[str, str], meeting: bool = False) -> list[Chart]:
    """A section's charts (altair objects, not yet styled)."""
    made = BUILDERS[section](s, path, names, meeting)
    if s.category:
        made = [c._replace(reading=c.reading + t("db.every_category")) if c.key in ALL_CATEGORIES else c for c in made]
    return made


@st.cache_data(show_spinner=False, ttl=3600, max_entries=CACHED)
def _section(section: str, s: figures.Scope, language: str, path: str, meeting: bool) -> list[Chart]:
    """Cached per filter set, language and mode. Not validated against the Vega-Lite schema
    here (a third of a cold run); tests validate every chart of every section in both modes."""
    return [c._replace(spec=charts.styled(c.spec, meeting).to_dict(validate=False))
            for c in build(section, s, path, category_names(), meeting)]


def section(name: str, s: figures.Scope, meeting: bool = False) -> list[Chart]:
    return _section(name, s, lang(), figures_key(*SECTION_AREAS[name]), meeting)
