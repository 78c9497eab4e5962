"""Residents' voice on the pages: the 1–5 rating of a need done, and 信息有误？ under an outlet."""

import streamlit as st

from components.feedback import Fields, attempt
from components.i18n import t
from db.assessment import corrections
from db.models import CORRECTION_KINDS

STARS = (5, 4, 3, 2, 1)  # the best first: the usual answer is the first one a thumb reaches


def stars_text(stars: int) -> str:
    return f"{'★' * stars}{'☆' * (5 - stars)} {t(f'rate.{stars}')}"


def average_text(average: float | None, count: int) -> str:
    return t("rate.average", average=f"{average:.1f}", n=count) if count else t("rate.none_yet")


def rating_form(key: str, save, on_behalf: bool = False) -> None:
    """Stars and an optional comment, handed to `save(data)` (a db write that validates them)."""
    f = Fields(key)
    with st.form(f.form, clear_on_submit=False):
        if on_behalf:
            st.caption(t("rate.on_behalf_note"))
        stars = f(st.radio, t("field.stars"), "stars", options=STARS, format_func=stars_text, index=None)
        comment = f(st.text_area, t("field.comment"), "comment", max_chars=200, height=80)
        if st.form_submit_button(t("rate.submit"), type="primary", key=f"{f.form}.submit"):
            attempt(lambda: save({"stars": stars, "comment": comment}), "rate.thanks", fields=f)


def report_correction(db, actor, outlet: dict) -> None:
    """信息有误？ under an outlet: a small button; pressed, the short form opens under it (one form
    on the page at a time: ten cards of forms cost a phone a second). The report queues for the
    outlet's community."""
    key = f"fix_{outlet['id']}"
    if st.session_state.get("fixing") != outlet["id"]:
        if st.button(t("fix.button"), key=f"{key}.open", icon=":material/report:", type="tertiary"):
            st.session_state["fixing"] = outlet["id"]
            st.rerun()
        return

    def send():
        made = corrections.report(db, actor, outlet["id"], {"kind": kind, "detail": detail, "contact": contact})
        st.session_state.pop("fixing", None)  # sent: the form closes
        return made

    f = Fields(key)
    with st.form(f.form, clear_on_submit=False):
        st.markdown(f"**{t('fix.button')}**")
        kind = f(st.radio, t("fix.what"), "kind", options=CORRECTION_KINDS, format_func=lambda k: t("fix." + k), index=None)
        detail = f(st.text_area, t("field.detail"), "detail", max_chars=200, height=80, placeholder=t("fix.detail_hint"))
        contact = f(st.text_input, t("field.contact"), "contact", max_chars=13, help=t("fix.contact_help"))
        send_col, cancel_col = st.columns(2)
        if send_col.form_submit_button(t("fix.submit"), type="primary", key=f"{f.form}.submit", use_container_width=True):
            attempt(send, "fix.thanks", fields=f)
        if cancel_col.form_submit_button(t("fix.cancel"), key=f"{f.form}.cancel", use_container_width=True):
            st.session_state.pop("fixing", None)
            st.rerun()
