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
    """信息有误？: a small form in a popover under the outlet; the report queues for its community."""
    with st.popover(t("fix.button"), icon=":material/report:"):
        f = Fields(f"fix_{outlet['id']}")
        with st.form(f.form, clear_on_submit=False, border=False):
            kind = f(st.radio, t("fix.what"), "kind", options=CORRECTION_KINDS, format_func=lambda k: t("fix." + k),
                     index=None)
            detail = f(st.text_area, t("field.detail"), "detail", max_chars=200, height=80, placeholder=t("fix.detail_hint"))
            contact = f(st.text_input, t("field.contact"), "contact", max_chars=13, help=t("fix.contact_help"))
            if st.form_submit_button(t("fix.submit"), type="primary", key=f"{f.form}.submit"):
                attempt(lambda: corrections.report(db, actor, outlet["id"], {"kind": kind, "detail": detail,
                                                                             "contact": contact}),
                        "fix.thanks", fields=f)
