"""Log in. In demo mode the demo accounts are listed so a visitor can try every role."""

import streamlit as st

from components.auth import login_form
from components.data import demo_mode, get_db
from components.i18n import t

st.title(t("page.login"))
login_form(get_db())

if demo_mode():
    from seed.demo import DEMO_ACCOUNTS, DEMO_PASSWORD

    with st.expander(t("login.demo_accounts", password=DEMO_PASSWORD), expanded=True):
        st.table([{t("col.username"): a["username"], t("col.role"): t("role." + a["role"]),
                   t("col.community"): a["community"] or "—"} for a in DEMO_ACCOUNTS])
