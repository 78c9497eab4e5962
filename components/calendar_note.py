"""Say so when a page shows days whose holiday arrangement nobody has entered yet: without it a
Spring Festival day would silently look like an ordinary working day."""

from datetime import date

import streamlit as st

from components.auth import session_actor
from components.i18n import t
from db.calendar import overrides, unknown_years
from db.permissions import may


def unknown_year_warning(db, days: list[date]) -> None:
    """Residents learn what it means for them; an admin learns what to do about it."""
    key = "cal.unknown_year_admin" if may(session_actor(), "calendar.edit") else "cal.unknown_year"
    for year in unknown_years(days, overrides(db)):
        st.warning(t(key, year=year))
