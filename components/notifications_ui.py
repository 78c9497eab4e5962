"""The volunteer's bell above every page: what happened to their hours and activities, and what starts
within a day, in their language; read ones stay listed, greyed, until newer ones push them out."""

from datetime import date

import streamlit as st

from components.feedback import attempt
from components.i18n import day_text, t
from components.usertext import plain
from db import clock
from db.notifications import inbox, mark_read

KINDS = {"hours_approved": "note.hours_approved", "hours_rejected": "note.hours_rejected", "promoted": "note.promoted",
         "activity_cancelled": "note.activity_cancelled", "activity_soon": "note.activity_soon"}


def _line(item: dict) -> str:
    params = {k: plain(v) if isinstance(v, str) else v for k, v in item["params"].items()}
    if "day" in params:
        day = date.fromisoformat(item["params"]["day"])
        params["day"] = t("note.today") if day == clock.today() else t("note.tomorrow") \
            if (day - clock.today()).days == 1 else day_text(day)
    text = t(KINDS.get(item["kind"], "note.unknown"), **params)
    return text if item["unread"] else f":gray[{text}]"


def bell(db, actor) -> None:
    box = inbox(db, actor)
    label = t("note.bell", n=box["unread"]) if box["unread"] else t("note.bell_none")
    with st.popover(label, icon=":material/notifications:"):
        if not box["items"]:
            st.caption(t("note.none"))
        for item in box["items"]:
            st.markdown(_line(item))
        if any(i["unread"] and i["at"] for i in box["items"]):
            if st.button(t("note.mark_read"), key="notes_read"):
                attempt(lambda: mark_read(db, actor))
