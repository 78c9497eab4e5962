"""Pieces of the activity pages: when an activity is, in words, and the lines of its card."""

from datetime import datetime

import streamlit as st

from components.forms import weekday_name
from components.i18n import day_text, t
from components.numbers import hours_text
from components.usertext import plain
from db import clock


def when_text(starts_at: str, ends_at: str) -> str:
    """12月12日（周六）09:00–12:00"""
    start = datetime.fromisoformat(starts_at)
    return t("ui.when", day=day_text(start), weekday=weekday_name(start.isoweekday()), starts=starts_at[11:],
             ends=ends_at[11:])


def span_text(shift: dict) -> str:
    """09:00–11:00"""
    return f"{shift['starts_at'][11:]}–{shift['ends_at'][11:]}"


def shift_text(shift: dict) -> str:
    """陪伴 09:00–11:00 · 已报名 2/2 · 候补 1"""
    parts = [f"**{plain(shift['name'])}** {span_text(shift)}",
             t("act.taken", n=shift["confirmed"], slots=shift["slots"])]
    if shift["waiting"]:
        parts.append(t("act.waiting", n=shift["waiting"]))
    return " · ".join(parts)


def activity_header(a: dict, category_names: dict[str, str]) -> None:
    st.markdown(f"#### {plain(a['title'])}")
    st.markdown(" · ".join([when_text(a["starts_at"], a["ends_at"]), plain(a.get("community", "")),
                            plain(a["place"]), category_names.get(a["category"], a["category"])]))
    if a["skills"]:
        st.caption(t("act.skills_wanted", skills=t("ui.list").join(category_names.get(k, k) for k in a["skills"])))
    if a.get("notes"):
        st.caption(plain(a["notes"]))


def signup_cards(rows: list[dict]) -> None:
    """A card per sign-up of the volunteer's (a phone shows a wide table one column at a time)."""
    for r in rows:
        status = (t("act.cancelled_mark") if r["activity_status"] == "cancelled"
                  else t("act.in_line", n=r["place_in_line"]) if r["status"] == "waitlist" else t("act.signed_up"))
        line = [when_text(r["starts_at"], r["ends_at"]), plain(r["shift"]), status]
        if r["signed_in_at"]:
            line.append(f"{t('act.col.in')} {clock.time_of(r['signed_in_at'])}")
        if r["signed_out_at"]:
            line.append(f"{t('act.col.out')} {clock.time_of(r['signed_out_at'])}")
        if r["minutes"]:
            line.append(t("act.hours_value", hours=hours_text(r["minutes"])))
        with st.container(border=True):
            st.markdown(f"**{plain(r['title'])}** · {plain(r['place'])}")
            st.markdown(" · ".join(line))


def coming(rows: list[dict]) -> list[dict]:
    """The sign-ups still to come (or running), soonest first."""
    now = clock.minute()
    return sorted((r for r in rows if r["ends_at"] > now and r["activity_status"] != "cancelled"),
                  key=lambda r: r["starts_at"])
