"""证书核验: anyone holding a printed 志愿服务记录证明 — an employer, a school — checks it by the code
printed on it (or by scanning its QR code, which opens this page with the code filled in). Shows what
the certificate certifies and whether the ledger still holds those hours; nothing more of the person."""

import streamlit as st

from components.auth import session_actor
from components.data import get_db
from components.feedback import show_error
from components.i18n import t
from components.numbers import hours_text
from components.usertext import plain
from db.certificates import verify
from db.errors import LinliError

db, actor = get_db(), session_actor()
st.title(t("page.verify"))
st.caption(t("verify.intro"))
if "verify.code" not in st.session_state:  # the QR code's address fills the field once
    st.session_state["verify.code"] = st.query_params.get("code", "")[:20]
with st.form("verify", clear_on_submit=False):
    code = st.text_input(t("verify.code"), key="verify.code", max_chars=20, placeholder="7K2M-9X4P-3W8R")
    asked = st.form_submit_button(t("verify.submit"), type="primary", key="verify.submit")
# Checked once per press (or once for the QR code's address), then shown on every run: another
# rerun right after (a component in the page reporting in) must not take the answer away.
if asked or (code and "verify_answer" not in st.session_state):
    try:
        st.session_state["verify_answer"] = verify(db, actor, code)
    except LinliError as exc:
        st.session_state["verify_answer"] = exc
found = st.session_state.get("verify_answer")
if isinstance(found, LinliError):
    show_error(found)
elif found:
    with st.container(border=True):
        if found["status"] == "valid":
            st.success(t("verify.valid", number=found["number"]))
        elif found["status"] == "revoked":
            st.error(t("verify.revoked", number=found["number"], day=found["revoked_on"]))
        else:
            st.warning(t("verify.reduced", number=found["number"], hours=hours_text(found["minutes_now"])))
        st.markdown("\n".join(f"- **{t(label)}**{t('ui.colon')}{plain(value)}" for label, value in (
            ("verify.name", found["name"]),
            ("verify.volunteer_number", found["volunteer_number"]),
            ("verify.hours", t("verify.hours_value", hours=hours_text(found["total_minutes"]))),
            ("verify.period", f"{found['period_from']} ～ {found['period_to']}"),
            ("verify.issuer", f"{found['district']}{found['community']}"),
            ("verify.issued_on", found["issued_on"]))))
