"""Change my password (every signed-in person). Required before anything else when someone else
chose the password: a one-time password from the coordinator, or an admin's reset."""

import time

import streamlit as st

from components.auth import session_actor
from components.data import get_db
from components.feedback import attempt
from components.i18n import t
from db.users import change_own_password, must_change_password

db, actor = get_db(), session_actor()
st.title(t("page.password"))
if must_change_password(db, actor.username):
    st.warning(t("pw.must_change"))
with st.form("change_password"):
    current = st.text_input(t("pw.current"), type="password")
    new = st.text_input(t("pw.new"), type="password", help=t("pw.rules"))
    again = st.text_input(t("pw.again"), type="password")
    if st.form_submit_button(t("pw.submit"), type="primary"):
        if new != again:
            st.error(t("pw.mismatch"))
        elif attempt(lambda: change_own_password(db, actor, current, new), "pw.changed", rerun=False):
            # This session, and a fresh login cookie for this browser, begin after the change: they stay.
            st.session_state["_auth_at"] = time.time()
            st.session_state["_remember_login"] = True
            st.rerun()
