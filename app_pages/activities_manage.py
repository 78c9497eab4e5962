"""活动组织 (coordinators; admins for any community): publish an activity with its shifts, keep its
roster (add people without a smartphone, tick 签到/签退 by hand), show the rotating sign-in QR code on
site, and approve the hours attendance derives, in one batch."""

from datetime import datetime, time, timedelta

import pandas as pd
import streamlit as st

from components.activity_ui import activity_header, span_text, when_text
from components.auth import session_actor
from components.data import get_db
from components.feedback import Fields, attempt
from components.i18n import t
from components.tables import category_names
from components.links import public_base
from components.numbers import hours_text
from components.pdf import qr_png
from components.usertext import plain
from db import attendance, clock
from db.activities import activity, cancel_activity, managed, places, publish, sign_up
from db.categories import list_categories
from db.communities import list_communities
from db.permissions import COMMUNITY, scope
from db.volunteers import active_volunteers

db, actor = get_db(), session_actor()
st.title(t("page.activities_manage"))
names = category_names(list_categories(db))
communities = {c["id"]: c["name"] for c in list_communities(db)}
own = actor.community_id if scope(actor, "activities.manage") is COMMUNITY else None


def publish_form() -> None:
    f = Fields("activity")
    with st.form(f.form, clear_on_submit=False):
        c1, c2 = st.columns([2, 1])
        title = f(c1.text_input, t("act.title"), "title", max_chars=60)
        category = f(c2.selectbox, t("act.category"), "category", options=list(names), format_func=names.get)
        community = own if own is not None else f(st.selectbox, t("act.community"), "community_id",
                                                  options=list(communities), format_func=communities.get)
        c8, c9 = st.columns([2, 1])
        known = places(db, own) if own is not None else []
        chosen = c8.selectbox(t("act.place_known"), [None, *known], key="activity.place_known",
                              format_func=lambda x: t("act.place_other") if x is None else x) if known else None
        place = f(c8.text_input, t("act.place_typed") if known else t("act.place"), "place", max_chars=100)
        skills = f(c9.multiselect, t("act.skills"), "skills", options=list(names), format_func=names.get)
        notes = f(st.text_area, t("act.notes"), "notes", max_chars=500, height=80)
        c3, c4, c5 = st.columns(3)
        day = f(c3.date_input, t("act.day"), "day", value=clock.today() + timedelta(days=7))
        starts = f(c4.time_input, t("act.starts"), "starts", value=time(9, 0), step=900)
        ends = f(c5.time_input, t("act.ends"), "ends", value=time(11, 0), step=900)
        st.markdown(t("act.shifts"))
        shifts = st.data_editor(
            pd.DataFrame([{"name": t("act.default_shift"), "starts": time(9, 0), "ends": time(11, 0), "slots": 10}]),
            num_rows="dynamic", hide_index=True, key="activity.shift_rows", width="stretch",
            column_config={"name": st.column_config.TextColumn(t("act.shift_name"), max_chars=30, required=True),
                           "starts": st.column_config.TimeColumn(t("act.starts"), format="HH:mm", step=900, required=True),
                           "ends": st.column_config.TimeColumn(t("act.ends"), format="HH:mm", step=900, required=True),
                           "slots": st.column_config.NumberColumn(t("act.slots"), min_value=1, max_value=500, step=1,
                                                                  required=True)})
        f.slot("shifts")
        c6, c7 = st.columns(2)
        cancel_hours = f(c6.number_input, t("act.cancel_hours"), "cancel_hours", min_value=0, max_value=72, value=2)
        weeks = f(c7.number_input, t("act.repeat_weeks"), "repeat_weeks", min_value=1, max_value=26, value=1)
        sent = st.form_submit_button(t("act.publish"), type="primary", key="activity.submit")
    if sent:
        rows = [{k: (None if pd.isna(v) else int(v) if k == "slots" else v) for k, v in r.items()}
                for r in shifts.to_dict("records") if not all(pd.isna(v) for v in r.values())]
        data = {"community_id": community, "title": title, "category": category, "place": chosen or place, "notes": notes,
                "skills": skills,
                "day": day, "starts": starts, "ends": ends, "shifts": rows, "cancel_hours": cancel_hours,
                "repeat_weeks": weeks}
        attempt(lambda: publish(db, actor, data), lambda ids: t("act.published", n=len(ids)), fields=f)


@st.fragment(run_every=5)
def sign_in_code(activity_id: int) -> None:
    """The code of the moment, redrawn every few seconds (it changes every 30)."""
    url = f"{public_base()}/sign_in?t={attendance.token(activity_id)}"
    st.image(qr_png(url, border=4), width=320)
    st.caption(t("act.qr_help"))
    st.caption(t("act.qr_link", url=url))


def opened(r: dict) -> bool:
    """签到 by hand opens when scanning does (half an hour before the shift)."""
    return clock.now() >= datetime.fromisoformat(r["starts_at"]) - attendance.EARLY


def roster_view(a: dict) -> None:
    rows = attendance.hours_to_approve(db, actor, a["id"])
    if not rows:
        st.info(t("act.roster_none"))
    for r in rows:
        c1, c2, c3, c4 = st.columns([3, 2, 2, 2], vertical_alignment="center")
        c1.markdown(f"**{plain(r['real_name'])}** {r['number']} · {plain(r['shift'])}"
                    + (f" · {t('act.status.waitlist')}" if r["status"] == "waitlist" else ""))
        for column, which in ((c2, "in"), (c3, "out")):
            stamp = r[f"signed_{which}_at"]
            if stamp:
                column.markdown(f"{t('act.col.' + which)} {clock.time_of(stamp)} · {t('act.how.' + r[which + '_source'])}")
            elif r["status"] == "confirmed" and (which == "in" or r["signed_in_at"]) and opened(r):
                label = t("act.tick_in") if which == "in" else t("act.tick_out")
                with column.popover(label):
                    moment = st.time_input(t("act.tick_time"), value=clock.now().time().replace(second=0, microsecond=0),
                                           step=60, key=f"tick_{which}_time_{r['id']}")
                    if st.button(label, key=f"tick_{which}_{r['id']}", type="primary"):
                        day = datetime.strptime(r["starts_at"][:10], "%Y-%m-%d").date()
                        attempt(lambda: attendance.tick(db, actor, r["id"], which, datetime.combine(day, moment)),
                                "act.ticked")
        if r["problem"] and r["problem"] != "waitlist":
            c4.caption(t("act.problem." + r["problem"]))
        elif r["problem"] is None:
            c4.caption(t("act.hours_value", hours=hours_text(r["minutes"])))
    with st.expander(t("act.add")):
        people = active_volunteers(db, actor, a["community_id"])
        with st.form(f"add_{a['id']}"):
            who = st.selectbox(t("act.add_who"), [p["id"] for p in people],
                               format_func=lambda i: next(f"{p['real_name']} {p['number']}" for p in people if p["id"] == i))
            shift = st.selectbox(t("act.add_shift"), [s["id"] for s in a["shifts"]],
                                 format_func=lambda i: next(f"{s['name']} {span_text(s)}" for s in a["shifts"] if s["id"] == i))
            if st.form_submit_button(t("act.add_submit"), key=f"add_submit_{a['id']}"):
                attempt(lambda: sign_up(db, actor, shift, who), "act.added")
    if a["starts_at"] <= clock.minute():
        approve_view(a, rows)


def approve_view(a: dict, rows: list[dict]) -> None:
    st.subheader(t("act.approve"))
    ready = [r for r in rows if r["problem"] is None]
    waiting = sum(1 for r in rows if r["problem"] in ("no_sign_in", "no_sign_out"))
    if not ready:
        st.caption(t("act.nothing_ready"))
        return
    st.dataframe([{t("act.add_who"): r["real_name"], t("act.col.shift"): r["shift"],
                   t("act.col.in"): r["start"].strftime("%H:%M"), t("act.col.out"): r["end"].strftime("%H:%M"),
                   t("act.col.hours"): hours_text(r["minutes"]),
                   t("act.col.how"): t("source." + r["source"])} for r in ready], hide_index=True)
    if waiting:
        st.warning(t("act.approve_waiting", n=waiting))
    total = sum(r["minutes"] for r in ready)
    if st.button(t("act.approve_button", n=len(ready), hours=hours_text(total)), type="primary", key=f"approve_{a['id']}"):
        attempt(lambda: attendance.approve_activity(db, actor, a["id"]),
                lambda done: t("act.approved_msg", n=done["records"], hours=hours_text(done["minutes"])))


def roster_tab() -> None:
    rows = managed(db, actor)
    if not rows:
        st.info(t("act.managed_none"))
        return
    picked = st.selectbox(t("act.pick"), [r["id"] for r in rows], key="act.manage_pick",
                          format_func=lambda i: next(f"{when_text(r['starts_at'], r['ends_at'])} {r['title']}"
                                                     + (f"（{t('act.cancelled_mark')}）" if r["status"] == "cancelled" else "")
                                                     for r in rows if r["id"] == i))
    a = activity(db, picked)
    with st.container(border=True):
        activity_header({**a, "community": communities.get(a["community_id"], "")}, names)
    if a["status"] == "cancelled":
        st.warning(t("act.activity_cancelled"))
        return
    if st.toggle(t("act.show_qr"), key=f"qr_{picked}"):
        sign_in_code(picked)
    roster_view(a)
    if a["starts_at"] > clock.minute():
        with st.expander(t("act.cancel_activity")):
            with st.form(f"cancel_{picked}"):
                reason = st.text_input(t("act.cancel_reason"), max_chars=200)
                if st.form_submit_button(t("act.cancel_activity"), key=f"cancel_submit_{picked}"):
                    attempt(lambda: cancel_activity(db, actor, picked, reason), "act.activity_cancelled")


roster_tab_, publish_tab = st.tabs([t("act.roster"), t("act.publish")], key="manage_tabs", on_change="rerun")
with roster_tab_:
    if roster_tab_.open:
        roster_tab()
with publish_tab:
    if publish_tab.open:
        publish_form()
