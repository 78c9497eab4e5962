"""The browser's own location, when the resident allows it: a button in a small component (no
network, no build step). Returns {"lat", "lon", "accuracy"} or {"error": code}, or None before
the button is pressed."""

from pathlib import Path

import streamlit.components.v1 as components

from components.i18n import t

_component = components.declare_component("near_me", path=str(Path(__file__).parent))


def near_me(key: str) -> dict | None:
    return _component(label=t("dir.near_me"), asking=t("dir.near_me_asking"), refused=t("dir.near_me_refused"),
                      unavailable=t("dir.near_me_unavailable"), key=key, default=None)
