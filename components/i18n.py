"""The session's language: `t(key)` speaks it, from the one catalogue (package catalogue)."""

from catalogue import DEFAULT_LANG, translate


def lang() -> str:
    import streamlit as st

    return st.session_state.get("lang", DEFAULT_LANG)


def t(key: str, **params) -> str:
    return translate(key, lang(), **params)
