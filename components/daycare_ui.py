"""Shared pieces of the day-care pages."""

from datetime import date

import streamlit as st

from components.usertext import plain
from components.forms import weekday_name
from components.i18n import t


def reason_text(reason: str) -> str:
    """'holiday:National Day' → 国庆节; 'closure:设备检修' → 设备检修."""
    kind, _, detail = reason.partition(":")
    if kind == "holiday":
        return holiday_text(detail)
    if kind == "workday":  # a make-up working day runs another weekday's timetable
        return t("dc.workday", weekday=weekday_name(date.fromisoformat(detail).isoweekday()))
    return plain(detail)  # a closure's reason, as the coordinator typed it


def holiday_text(name: str) -> str:
    """chinesecalendar's English name in the user's language (春节); an admin's own name as given."""
    key = "holiday." + name
    translated = t(key)
    return translated if translated != key else (plain(name) or t("day.holiday"))


def session_line(s: dict) -> str:
    head = f"**{s['start']:%H:%M}–{s['end']:%H:%M} {plain(s['title'])}** · {t('kind.' + s['kind'])} · {plain(s['room'])}"
    if not s["held"]:
        return f"~~{head}~~ · {t('dc.not_held', reason=reason_text(s['reason']))}"
    tail = t("dc.places", booked=s["booked"], capacity=s["capacity"])
    if s["reason"] == "makeup":
        tail += " · " + t("dc.makeup")
    return f"{head} · {tail}"


def centre_picker(centres: list[dict], key: str, default_community: int | None = None) -> dict:
    ids = [c["id"] for c in centres]
    default = next((i for i, c in enumerate(centres) if c["community_id"] == default_community), 0)
    chosen = st.selectbox(t("dc.centre"), ids, index=default, key=key,
                          format_func=lambda i: next(c["name"] for c in centres if c["id"] == i))
    return next(c for c in centres if c["id"] == chosen)
