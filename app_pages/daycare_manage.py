"""Manage day care (the centre's community coordinator; admins): programmes, closures, members,
bookings with waitlist, check-in, the kitchen's meal count, and volunteers who helped."""

from datetime import time

import streamlit as st

from components.usertext import plain
from components.auth import session_actor
from components.calendar_note import unknown_year_warning
from components.daycare_ui import centre_picker, reason_text
from components.data import get_db
from components.feedback import Fields, attempt
from components.forms import weekday_name
from components.i18n import t
from db.communities import list_communities
from db.daycare import (add_closure, add_member, add_programme, book, cancel_booking, centre_sessions, centres,
                        check_in, meals, members, record_helpers, roster)
from db.models import PROGRAMME_KINDS, WEEKDAY_CODES
from db.volunteers import active_volunteers
from db import clock
from db.permissions import may

db, actor = get_db(), session_actor()
st.title(t("page.daycare_manage"))
mine = [c for c in centres(db) if may(actor, "daycare.manage", c["community_id"])]
if not mine:
    st.info(t("man.nothing"))
    st.stop()
c = centre_picker(mine, "manage_centre", actor.community_id)
labels = [t("dm.programmes"), t("dm.closures"), t("dm.members"), t("dm.bookings"), t("dm.checkin"), t("dm.meals"),
          t("dm.helpers")]
prog_tab, closure_tab, member_tab, booking_tab, checkin_tab, meal_tab, helper_tab = st.tabs(
    labels, key="daycare_manage_tabs", on_change="rerun")


def pick_session(key: str):
    """A day and one of its sessions at this centre."""
    day = st.date_input(t("dm.day"), value=clock.today(), key=key + "_day")
    todays = [s for s in centre_sessions(db, c["id"], day, day)]
    unknown_year_warning(db, [day])
    if not todays:
        st.info(t("dm.no_sessions"))
        return day, None
    # The options are the programmes, not positions in the day's list: with positions, changing
    # the day kept "the second session" while the box still showed the old day's label, and a
    # coordinator checked people in to a session they had not chosen.
    by_programme = {s["programme_id"]: s for s in todays}
    chosen = st.selectbox(t("dm.session"), list(by_programme), key=key + "_session",
                          format_func=lambda p: f"{by_programme[p]['start']:%H:%M} {by_programme[p]['title']} · "
                          f"{by_programme[p]['room']}" + ("" if by_programme[p]["held"] else
                                                           f" · {reason_text(by_programme[p]['reason'])}"))
    return day, by_programme[chosen]


with prog_tab:
    if prog_tab.open:
        with st.form("programme"):
            c1, c2, c3 = st.columns(3)
            title = c1.text_input(t("dm.title"), max_chars=40)
            kind = c2.selectbox(t("dm.kind"), PROGRAMME_KINDS, format_func=lambda k: t("kind." + k))
            room = c3.text_input(t("dm.room"), max_chars=20)
            byday = st.multiselect(t("dm.byday"), WEEKDAY_CODES, format_func=lambda d: weekday_name(WEEKDAY_CODES.index(d) + 1))
            c4, c5, c6 = st.columns(3)
            opens = c4.time_input(t("dm.opens"), value=time(9, 0), step=900)
            closes = c5.time_input(t("dm.closes"), value=time(10, 0), step=900)
            capacity = c6.number_input(t("dm.capacity"), min_value=1, max_value=500, value=20)
            c7, c8, c9 = st.columns(3)
            valid_from = c7.date_input(t("dm.valid_from"), value=clock.today())
            valid_to = c8.date_input(t("dm.valid_to"), value=None)
            lead = c9.text_input(t("dm.lead"), max_chars=40)
            notes = st.text_input(t("dm.notes"), max_chars=200)
            if st.form_submit_button(t("form.create"), type="primary"):
                attempt(lambda: add_programme(db, actor, {
                    "centre_id": c["id"], "title": title, "kind": kind, "room": room, "capacity": capacity,
                    "lead": lead, "notes": notes, "byday": byday, "opens_at": opens, "closes_at": closes,
                    "valid_from": valid_from, "valid_to": valid_to}), "dm.added")

with closure_tab:
    if closure_tab.open:
        with st.form("closure"):
            c1, c2 = st.columns([1, 2])
            day = c1.date_input(t("dm.day"), value=clock.today())
            reason = c2.text_input(t("dm.reason"), max_chars=60)
            if st.form_submit_button(t("cal.add")):
                attempt(lambda: add_closure(db, actor, {"centre_id": c["id"], "day": day, "reason": reason}),
                        "dm.closure_added")

with member_tab:
    if member_tab.open:
        people = members(db, actor, c["id"])
        st.dataframe([{t("dm.name"): m["name"], t("dm.birth_year"): m["birth_year"], t("dm.community"): m["community"],
                       t("dm.emergency_contact"): m["emergency_contact"], t("dm.emergency_phone"): m["emergency_phone"],
                       t("dm.diet"): m["diet"], t("dm.mobility"): m["mobility"]} for m in people], hide_index=True)
        f = Fields("member")
        with st.form(f.form, clear_on_submit=False):
            c1, c2, c3 = st.columns(3)
            name = f(c1.text_input, t("dm.name"), "name", max_chars=20)
            born = f(c2.number_input, t("dm.birth_year"), "birth_year", min_value=1900, max_value=2010, value=1945)
            communities = list_communities(db)
            community = f(c3.selectbox, t("dm.community"), "community_id", options=[x["id"] for x in communities],
                          index=[x["id"] for x in communities].index(c["community_id"]),
                          format_func=lambda i: next(x["name"] for x in communities if x["id"] == i))
            c4, c5 = st.columns(2)
            contact = f(c4.text_input, t("dm.emergency_contact"), "emergency_contact", max_chars=20)
            phone = f(c5.text_input, t("dm.emergency_phone"), "emergency_phone", max_chars=13)
            c6, c7 = st.columns(2)
            diet = f(c6.text_input, t("dm.diet"), "diet", max_chars=100)
            mobility = f(c7.text_input, t("dm.mobility"), "mobility", max_chars=100)
            if st.form_submit_button(t("form.create"), key="member.submit"):
                attempt(lambda: add_member(db, actor, {"centre_id": c["id"], "name": name, "birth_year": born,
                                                       "community_id": community, "emergency_contact": contact,
                                                       "emergency_phone": phone, "diet": diet, "mobility": mobility}),
                        "dm.member_added", fields=f)

with booking_tab:
    if booking_tab.open:
        day, session = pick_session("book")
        if session:
            people = members(db, actor, c["id"])
            member = st.selectbox(t("dm.member"), [m["id"] for m in people],
                                  format_func=lambda i: next(m["name"] for m in people if m["id"] == i))
            waitlist = st.checkbox(t("dm.waitlist"))
            b1, b2 = st.columns(2)
            if b1.button(t("dm.book"), type="primary"):
                attempt(lambda: book(db, actor, session["programme_id"], day, member, waitlist),
                        lambda status: t("dm.booked" if status == "booked" else "dm.waitlisted"))
            if b2.button(t("dm.cancel")):
                attempt(lambda: cancel_booking(db, actor, session["programme_id"], day, member),
                        lambda promoted: t("dm.promoted" if promoted else "dm.cancelled"))
            for r in roster(db, actor, session["programme_id"], day):
                state = t("dm.state.booked") if r["status"] == "booked" else t("dm.state.waitlist", n=r["position"])
                st.write(f"{plain(r['name'])} · {state}")

with checkin_tab:
    if checkin_tab.open:
        day, session = pick_session("checkin")
        if session:
            for r in roster(db, actor, session["programme_id"], day):
                if r["status"] != "booked":
                    continue
                c1, c2, c3 = st.columns([3, 1, 1])
                seen = {None: t("dm.attended.none"), 1: t("dm.attended.1"), 0: t("dm.attended.0")}[r["attended"]]
                c1.write(f"**{plain(r['name'])}** · {plain(r['diet']) or '—'} · {plain(r['mobility']) or '—'} · {seen}")
                if c2.button(t("dm.present"), key=f"in_{r['member_id']}"):
                    attempt(lambda: check_in(db, actor, session["programme_id"], day, r["member_id"], True), "dm.checked")
                if c3.button(t("dm.absent"), key=f"out_{r['member_id']}"):
                    attempt(lambda: check_in(db, actor, session["programme_id"], day, r["member_id"], False), "dm.checked")

with meal_tab:
    if meal_tab.open:
        day = st.date_input(t("dm.day"), value=clock.today(), key="meal_day")
        counts = meals(db, c["id"], day)
        m1, m2 = st.columns(2)
        m1.metric(t("dm.meals_booked"), counts["booked_meals"])
        m2.metric(t("dm.meals_present"), counts["present"])

with helper_tab:
    if helper_tab.open:
        day, session = pick_session("helpers")
        if session:
            people = active_volunteers(db, actor)
            chosen = st.multiselect(t("hours.volunteers"), [v["id"] for v in people],
                                    format_func=lambda i: next(f"{v['real_name']} · {v['number']}" for v in people if v["id"] == i))
            if st.button(t("hours.save")) and chosen:
                attempt(lambda: record_helpers(db, actor, session["programme_id"], day, chosen), "dm.helpers_saved",
                        n=len(chosen))
