"""Pieces of the activity pages: when an activity is, in words, and the lines of its card."""

import json
from datetime import datetime

import streamlit as st

from components.forms import weekday_name
from components.i18n import day_text, t
from components.usertext import plain
from db.activities import MINUTE


def when_text(starts_at: str, ends_at: str) -> str:
    """12月12日（周六）09:00–12:00"""
    start = datetime.strptime(starts_at, MINUTE)
    return t("ui.when", day=day_text(start), weekday=weekday_name(start.isoweekday()), starts=starts_at[11:],
             ends=ends_at[11:])


def shift_text(shift: dict) -> str:
    """陪伴 09:00–11:00 · 已报名 2/2 · 候补 1"""
    parts = [f"**{plain(shift['name'])}** {shift['starts_at'][11:]}–{shift['ends_at'][11:]}",
             t("act.taken", n=shift["confirmed"], slots=shift["slots"])]
    if shift["waiting"]:
        parts.append(t("act.waiting", n=shift["waiting"]))
    return " · ".join(parts)


def activity_header(a: dict, category_names: dict[str, str]) -> None:
    st.markdown(f"#### {plain(a['title'])}")
    st.markdown(" · ".join([when_text(a["starts_at"], a["ends_at"]), plain(a.get("community", "")),
                            plain(a["place"]), category_names.get(a["category"], a["category"])]))
    skills = json.loads(a["skills"]) if isinstance(a.get("skills"), str) else a.get("skills") or []
    if skills:
        st.caption(t("act.skills_wanted", skills=t("ui.list").join(category_names.get(k, k) for k in skills)))
    if a.get("notes"):
        st.caption(plain(a["notes"]))
