"""Opening hours as a coordinator fills them in: a week of rows (休息, opening, closing, an
optional lunch break), a rule for public holidays, or 24 hours; OSM syntax stays as the advanced
way. Used inside a form: returns the OSM expression to save (db/ validates it)."""

from datetime import time

import streamlit as st

from components.forms import weekday_name
from components.i18n import t
from db import clock
from db.opening import expression_for, grid_of

PLAIN_WEEK = ({d: [(time(8, 0), time(18, 0))] if d <= 5 else [(time(9, 0), time(17, 0))] for d in range(1, 8)}, "same")


def hours_editor(key: str, expression: str, added: dict | None = None) -> str:
    grid = grid_of(expression, clock.today(), added) if expression else PLAIN_WEEK
    way = st.radio(t("oh.way"), ["grid", "osm"], index=0 if grid else 1, horizontal=True, key=f"{key}.way",
                   format_func=lambda w: t("oh.way." + w))
    week, holiday = grid or PLAIN_WEEK
    always = st.checkbox(t("dir.always_open"), value=expression == "24/7", key=f"{key}.always")
    chosen = {}
    widths = [0.7, 0.7, 1, 1, 0.7, 1, 1]
    for col, word in zip(st.columns(widths), ["", t("oh.closed"), t("oh.opens_short"), t("oh.closes_short"),
                                               t("oh.lunch"), t("oh.lunch_from_short"), t("oh.lunch_to_short")]):
        col.caption(word)
    for d in range(1, 8):
        spans = [] if expression == "24/7" else week.get(d, [])
        day = weekday_name(d)
        cols = st.columns(widths, vertical_alignment="center")
        cols[0].markdown(f"**{day}**")
        # The header row says what each column is; every field still carries its full name for
        # screen readers and tests ("周一开门").
        hidden = {"label_visibility": "collapsed"}
        closed = cols[1].checkbox(t("oh.closed_on", day=day), value=not spans and expression != "24/7",
                                  key=f"{key}.closed{d}", **hidden)
        opens = cols[2].time_input(t("oh.opens", day=day), value=spans[0][0] if spans else time(9, 0), step=900,
                                   key=f"{key}.opens{d}", **hidden)
        closes = cols[3].time_input(t("oh.closes", day=day), value=spans[-1][1] if spans else time(17, 0), step=900,
                                    key=f"{key}.closes{d}", **hidden)
        has_lunch = cols[4].checkbox(t("oh.lunch_on", day=day), value=len(spans) == 2, key=f"{key}.lunch{d}", **hidden)
        lunch_from = cols[5].time_input(t("oh.lunch_from", day=day), value=spans[0][1] if len(spans) == 2 else time(12, 0),
                                        step=900, key=f"{key}.lunch_from{d}", **hidden)
        lunch_to = cols[6].time_input(t("oh.lunch_to", day=day), value=spans[1][0] if len(spans) == 2 else time(14, 0),
                                      step=900, key=f"{key}.lunch_to{d}", **hidden)
        chosen[d] = [] if closed else ([(opens, lunch_from), (lunch_to, closes)] if has_lunch else [(opens, closes)])
    h1, h2, h3 = st.columns([1.6, 1.2, 1.2])
    rule = h1.selectbox(t("oh.holiday"), ["same", "off", "own"], key=f"{key}.holiday",
                        index=["same", "off"].index(holiday) if holiday in ("same", "off") else 2,
                        format_func=lambda r: t("oh.holiday." + r))
    own = holiday if isinstance(holiday, list) and holiday else [(time(9, 0), time(12, 0))]
    h_opens = h2.time_input(t("oh.holiday_opens"), value=own[0][0], step=900, key=f"{key}.holiday_opens")
    h_closes = h3.time_input(t("oh.holiday_closes"), value=own[-1][1], step=900, key=f"{key}.holiday_closes")
    with st.expander(t("oh.osm")):
        typed = st.text_input(t("oh.osm_field"), value=expression or expression_for(*PLAIN_WEEK), max_chars=200,
                              key=f"{key}.osm", help=t("oh.osm_help"))
    if way == "osm":
        return typed
    if always:
        return "24/7"
    return expression_for(chosen, [(h_opens, h_closes)] if rule == "own" else rule)
