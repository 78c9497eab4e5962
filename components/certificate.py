"""The certificate panel: pick a period, record a certificate, download its PDF."""

from datetime import date

import streamlit as st

from components.numbers import hours_text
from components.feedback import Fields, attempt
from components.i18n import t
from components.links import public_base
from components.pdf import certificate_pdf
from db.categories import list_categories
from db.certificates import certificates_of, issue_certificate, revoke
from db.permissions import may
from db import clock


def certificate_panel(db, actor, volunteer_id: int, key: str, heading: str) -> None:
    st.markdown(f"**{heading}**")
    with st.form(key):
        c1, c2 = st.columns(2)
        start = c1.date_input(t("my.period_from"), value=date(clock.today().year, 1, 1))
        end = c2.date_input(t("my.period_to"), value=clock.today())
        submitted = st.form_submit_button(t("my.issue"))
    if submitted:
        cert = attempt(lambda: issue_certificate(db, actor, volunteer_id, {"period_from": start, "period_to": end}),
                       rerun=False)
        if cert:
            st.session_state[key + "_issued"] = cert
    cert = st.session_state.get(key + "_issued")
    if cert and cert["volunteer_id"] == volunteer_id:
        hours = hours_text(cert["total_minutes"])
        st.success(t("my.issued", number=cert["number"], hours=hours))
        link = f"{public_base()}/verify?code={cert['verify_code']}"
        st.download_button(t("my.download"), certificate_pdf(cert, _zh_names(db), link),
                           file_name=f"{cert['number']}.pdf", mime="application/pdf", key=key + "_download")
    issued = certificates_of(db, volunteer_id)
    if issued:
        st.caption(t("my.past_certificates") + t("ui.colon") + t("ui.list").join(
            c["number"] + t("ui.paren", text=f"{c['period_from']}～{c['period_to']}{t('ui.list')}{hours_text(c['total_minutes'])}h"
                            + (t("ui.list") + t("cert.revoked_mark") if c["revoked_at"] else ""))
            for c in issued[:5]))
    live = [c for c in issued if not c["revoked_at"]]
    if live and may(actor, "certificates.revoke", live[0]["community_id"]):
        with st.expander(t("cert.revoke")):
            st.caption(t("cert.revoke_help"))
            f = Fields(key + "_revoke")
            with st.form(f.form, clear_on_submit=False):
                which = f(st.selectbox, t("cert.revoke_which"), "certificate", options=[c["id"] for c in live],
                          format_func=lambda i: next(c["number"] for c in live if c["id"] == i))
                reason = f(st.text_input, t("cert.revoke_reason"), "reason", max_chars=200)
                if st.form_submit_button(t("cert.revoke"), key=f"{f.form}.submit"):
                    attempt(lambda: revoke(db, actor, which, reason), "cert.revoked", fields=f)


def _zh_names(db) -> dict[str, str]:
    # The certificate is an official Chinese document whatever the UI language.
    return {c["code"]: c["name_zh"] for c in list_categories(db)}
