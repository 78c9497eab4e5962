"""Day care (everyone): a centre's week timetable (readable on a phone, printable), today at the
centre, the next sessions of a programme, and the centre's calendar as .ics."""

from datetime import timedelta

import streamlit as st

from components.usertext import plain
from components.auth import session_actor
from components.calendar_note import unknown_year_warning
from components.daycare_ui import centre_picker, reason_text, session_line
from components.data import get_db
from components.forms import weekday_name
from components.i18n import t
from db.daycare import calendar_context, centre_sessions, centres, next_sessions, programmes
from db.daycare_schedule import to_ical
from db import clock

db, actor = get_db(), session_actor()
st.title(t("page.daycare"))
all_centres = centres(db)
if not all_centres:
    st.info(t("man.nothing"))
    st.stop()
c = centre_picker(all_centres, "daycare_centre", actor.community_id)
st.caption(f"{plain(c['address'])} · " + t("dc.hotline", phone=plain(c["hotline"])))

today = clock.today()
week_tab, today_tab, next_tab = st.tabs([t("dc.week"), t("dc.today"), t("dc.next")], key="daycare_tabs",
                                        on_change="rerun")
with week_tab:
    if week_tab.open:
        picked = st.date_input(t("dc.week_of"), value=today, key="dc_week_of")
        monday = picked - timedelta(days=picked.weekday())
        week = centre_sessions(db, c["id"], monday, monday + timedelta(days=6))
        unknown_year_warning(db, [monday, monday + timedelta(days=6)])
        for offset in range(7):
            day = monday + timedelta(days=offset)
            todays = [s for s in week if s["date"] == day]
            if not todays:
                continue
            st.markdown(f"#### {weekday_name(day.isoweekday())} {day:%m-%d}")
            for s in todays:
                st.markdown("- " + session_line(s))
        st.caption(t("dc.print_note"))
        ctx = calendar_context(db, c["id"])
        ics = to_ical(c, programmes(db, c["id"]), (today - timedelta(days=30), today + timedelta(days=365)),
                      ctx["added"], ctx["closures"])
        st.download_button(t("dc.ics"), ics, file_name=f"daycare-{c['id']}.ics", mime="text/calendar")
with today_tab:
    if today_tab.open:
        todays = centre_sessions(db, c["id"], today, today)
        unknown_year_warning(db, [today])
        if not todays:
            st.info(t("dc.nothing_today"))
        for s in todays:
            st.markdown("### " + session_line(s))
with next_tab:
    if next_tab.open:
        progs = programmes(db, c["id"])
        if progs:
            pid = st.selectbox(t("dc.programme"), [p["id"] for p in progs],
                               format_func=lambda i: next(p["title"] for p in progs if p["id"] == i))
            for s in next_sessions(db, pid):
                status = "" if s["held"] else " · " + t("dc.not_held", reason=reason_text(s["reason"]))
                st.markdown(f"- {weekday_name(s['date'].isoweekday())} {s['date']} {s['start']:%H:%M}–{s['end']:%H:%M}{status}")
