"""考核表: the scorecard per community for a period — nine figures, each scored 60–100 against the
city's communities, weighted, ranked within the district and the city, with the change since the
period before. Leaders and admins see every community; a coordinator their own beside their
district's and the city's means. Exported to Excel for the 以奖代补 meeting; admins set the weights."""

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from components.auth import session_actor
from components.dashboard.sections import scorecard_table
from components.data import get_db
from components.feedback import attempt, show_error
from components.i18n import t
from components.spreadsheet import to_xlsx
from db import clock
from db.assessment import scorecard
from db.errors import LinliError
from db.models import DISTRICTS
from db.permissions import may

db, actor = get_db(), session_actor()
st.title(t("page.scorecard"))


def quarter_start(d: date) -> date:
    return date(d.year, 3 * ((d.month - 1) // 3) + 1, 1)


today = clock.today()
this_quarter = quarter_start(today)
last_quarter = quarter_start(this_quarter - timedelta(days=1))
PERIODS = {
    "quarter": (this_quarter, today),
    "last_quarter": (last_quarter, this_quarter - timedelta(days=1)),
    "year": (date(today.year, 1, 1), today),
    "last_year": (date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)),
}
c1, c2, c3 = st.columns([3, 2, 2])
choice = c1.radio(t("sc.period"), [*PERIODS, "custom"], format_func=lambda p: t("sc.period." + p), horizontal=True,
                  key="sc_period")
if choice == "custom":
    start = c2.date_input(t("sv.opens"), value=last_quarter, max_value=today, key="sc_from")
    end = c3.date_input(t("sv.closes"), value=this_quarter - timedelta(days=1), max_value=today, key="sc_to")
else:
    start, end = PERIODS[choice]
    c2.caption(t("sc.period_is", start=start.isoformat(), end=end.isoformat()))

try:
    scorecard.check(actor, start, end)  # before the table is computed: a refused period costs nothing
    # the city's table, cached with the dashboard's; what this reader may see of it is cut in db/
    card = scorecard.scorecard(db, actor, start, end, scorecard_table(start, end))
except LinliError as exc:
    show_error(exc)
    st.stop()

FIGURE_FORMAT = {"hours_per_1000": "{:.1f}", "active_per_1000": "{:.1f}", "completion": "{:.0%}", "hours_to_claim": "{:.1f}",
                 "service_rating": "{:.2f}", "survey_score": "{:.2f}", "coverage": "{:.0%}", "freshness": "{:.0%}",
                 "occupancy": "{:.0%}"}


def shown(value, fmt: str = "{:.1f}") -> str:
    return "—" if value is None else fmt.format(value)


def change_text(r: dict) -> str:
    if r.get("change") is None:
        return "—"
    moved = r.get("rank_change")
    places = "" if not moved else t("sc.up", n=moved) if moved > 0 else t("sc.down", n=-moved)
    return f"{r['change']:+.1f}{places}"


def row_out(r: dict, ranked: bool = True) -> dict:
    out = {t("sc.col.community"): r["community"], t("sc.col.district"): r["district"] or "",
           t("sc.col.score"): shown(r["score"])}
    # every row the same columns (a mean has no rank): the workbook's header is the first row's
    out[t("sc.col.rank_city")] = f"{r['rank_city']}/{r['rank_city_of']}" if ranked and r.get("rank_city") else "—"
    out[t("sc.col.rank_district")] = f"{r['rank_district']}/{r['rank_district_of']}" if ranked and r.get("rank_district") else "—"
    out[t("sc.col.change")] = change_text(r)
    for f in scorecard.FIGURES:
        out[t("sc.fig." + f.key)] = shown(r[f.key], FIGURE_FORMAT[f.key])
        out[t("sc.score_of", figure=t("sc.fig." + f.key))] = shown(r[f"{f.key}_score"])
    return out


if card["district"] is not None:  # a coordinator: their community beside the district and the city
    own = card["rows"][0]
    st.metric(t("sc.own_score", community=own["community"]), shown(own["score"]),
              delta=None if own["change"] is None else f"{own['change']:+.1f}")
    st.markdown(t("sc.own_ranks", city=own["rank_city"] or "—", city_of=own["rank_city_of"],
                  district=own["rank_district"] or "—", district_of=own["rank_district_of"], name=own["district"]))
    rows = [row_out(own), row_out({**card["district"], "community": t("sc.district_mean", name=own["district"])}, False),
            row_out({**card["city"], "community": t("sc.city_mean")}, False)]
else:
    district = st.selectbox(t("dir.district"), [None, *DISTRICTS], format_func=lambda d: d or t("dir.all"), key="sc_district")
    listed = [r for r in card["rows"] if district in (None, r["district"])]
    rows = [row_out(r) for r in listed] + [row_out({**card["city"], "community": t("sc.city_mean")}, False)]
st.dataframe(pd.DataFrame(rows), hide_index=True, height=min(38 * (len(rows) + 1), 640))
sheet = t("page.scorecard")  # the workbook is made when pressed, outside this run: its words are made now
st.download_button(t("sc.download"), lambda: to_xlsx(rows, sheet), type="primary",
                   file_name=f"scorecard-{start}-{end}.xlsx", key="sc_xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

with st.expander(t("sc.method")):
    st.markdown(t("sc.method_text", floor=int(scorecard.FLOOR)))
    st.markdown("\n".join(f"- {t('sc.fig.' + f.key)}：{t('sc.why.' + f.key)} · {t('sc.weight_is', w=card['weights'][f.key])}"
                          for f in scorecard.FIGURES))
if may(actor, "settings.edit"):
    with st.expander(t("sc.weights")):
        with st.form("sc_weights"):
            cols = st.columns(3)
            given = {f.key: cols[i % 3].number_input(t("sc.fig." + f.key), min_value=0, max_value=100,
                                                     value=card["weights"][f.key], step=5, key=f"w_{f.key}")
                     for i, f in enumerate(scorecard.FIGURES)}
            if st.form_submit_button(t("sc.save_weights")):
                attempt(lambda: scorecard.set_weights(db, actor, {k: int(v) for k, v in given.items()}), "sc.weights_saved")
