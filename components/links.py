"""Addresses printed on paper (QR codes on the service card and on certificates): they must open
Linli from a resident's phone, so they start from LINLI_PUBLIC_URL when it is set (the address
residents use), else from the address of this request."""

import os

import streamlit as st

from components.navigation import PAGES


def public_base() -> str:
    base = os.environ.get("LINLI_PUBLIC_URL") or getattr(st.context, "url", None) or "http://localhost:8501"
    base = base.split("?")[0].rstrip("/")
    head, _, last = base.rpartition("/")
    if "://" in head and last in {p.path.removeprefix("app_pages/").removesuffix(".py") for p in PAGES}:
        base = head  # the page this request is on is not part of the base
    return base
