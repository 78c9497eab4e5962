"""Streamlit's own words in the user's language, where Streamlit lets us set them: an empty
selectbox or multiselect says "Choose an option" unless given a placeholder. Rather than repeat the
placeholder at every one of ~40 call sites, the two widgets get it by default here (the module-level
st.selectbox is bound at import, so it is replaced too). Strings Streamlit offers no way to set
(the file uploader's "Upload", "Skip to main content") are rewritten in the browser by look.py."""

import functools

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from components.i18n import t

_DEFAULTS = {"selectbox": "ui.choose_one", "multiselect": "ui.choose_many"}


def _with_placeholder(method, key):
    if getattr(method, "_linli", False):
        return method

    @functools.wraps(method)
    def widget(self, *args, **kwargs):
        kwargs.setdefault("placeholder", t(key))
        return method(self, *args, **kwargs)

    widget._linli = True
    return widget


def install() -> None:
    for name, key in _DEFAULTS.items():
        setattr(DeltaGenerator, name, _with_placeholder(getattr(DeltaGenerator, name), key))
        setattr(st, name, getattr(st._main, name))  # st.selectbox is st._main's method, bound at import
