"""The KPI tiles: each figure formatted, compared with the previous period, in groups of
four (one group per meeting-mode screen). The brief's figures table uses the same text."""

import streamlit as st

from components.i18n import t
from db import dashboard as figures

FORMATS = {"registered": "{:,.0f}", "active_volunteers": "{:,.0f}", "hours": "{:,.0f}", "hours_per_1000": "{:,.1f}",
           "needs_posted": "{:,.0f}", "needs_fulfilled": "{:,.0f}", "fulfilment_rate": "{:.0%}",
           "median_hours_to_claim": "{:,.1f}", "outlets": "{:,.0f}", "coverage": "{:.0%}", "occupancy": "{:.0%}",
           "meals": "{:,.0f}", "activities_held": "{:,.0f}", "signups": "{:,.0f}", "attendance_rate": "{:.0%}",
           "derived_share": "{:.0%}"}
GROUPS = {"sec.volunteers": ["registered", "active_volunteers", "hours", "hours_per_1000"],
          "sec.exchange": ["needs_posted", "needs_fulfilled", "fulfilment_rate", "median_hours_to_claim"],
          "sec.places": ["outlets", "coverage", "occupancy", "meals"],
          "sec.activities": ["activities_held", "signups", "attendance_rate", "derived_share"]}
RATES = {"fulfilment_rate", "coverage", "occupancy", "attendance_rate", "derived_share"}
WORSE_WHEN_HIGHER = {"median_hours_to_claim"}  # waiting longer is worse: its arrow turns red when it rises


def fmt(key: str, value) -> str:
    return "—" if value is None else FORMATS[key].format(value)


def change_text(key: str, now: dict, before: dict) -> str | None:
    """Against the previous period: rates in percentage points (29% after 71% is −42 points, not
    −59%), counts as a relative change."""
    if key in RATES:
        if now[key] is None or before[key] is None:
            return None
        return t("db.points", n=f"{(now[key] - before[key]) * 100:+.1f}")
    delta = figures.change(now[key], before[key])
    return None if delta is None else f"{delta:+.0%}"


def draw(keys: list[str], now: dict, before: dict, versus: dict | None) -> None:
    for col, key in zip(st.columns(len(keys)), keys):
        help_text = t("db.vs_city", value=fmt(key, versus[key])) if versus else None
        col.metric(t("kpi." + key), fmt(key, now[key]), change_text(key, now, before), help=help_text, border=True,
                   delta_color="inverse" if key in WORSE_WHEN_HIGHER else "normal")


def rows(now: dict, before: dict) -> list[tuple[str, str, str, str]]:
    """The brief's table: figure, this period, previous period, change."""
    return [(t("kpi." + key), fmt(key, now[key]), fmt(key, before[key]), change_text(key, now, before) or "—")
            for key in FORMATS]


HEADER_KEYS = ("kpi.figure", "kpi.value", "kpi.previous", "kpi.change")
