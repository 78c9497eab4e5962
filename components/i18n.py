"""The session's language: `t(key)` speaks it, from the one catalogue (package catalogue)."""

from catalogue import DEFAULT_LANG, translate


def lang() -> str:
    import streamlit as st

    return st.session_state.get("lang", DEFAULT_LANG)


def t(key: str, **params) -> str:
    return translate(key, lang(), **params)


def day_text(day) -> str:
    """A day of this year as people say it: 3月8日 in Chinese, 8 Mar in English."""
    return f"{day.month}月{day.day}日" if lang() == "zh" else f"{day.day} {day:%b}"
