"""Volunteer sign-up (public): real-name details with consent; lands as pending."""

import streamlit as st

from components.auth import session_actor
from components.data import get_db
from components.feedback import Fields, attempt
from components.forms import volunteer_form
from components.i18n import t
from db.categories import list_categories
from db.communities import list_communities
from db.volunteers import sign_up

db = get_db()
st.title(t("page.signup"))
st.write(t("vol.signup_intro"))
fields = Fields("signup")
data = volunteer_form(fields, list_communities(db), list_categories(db), consent=True,
                      submit_label=t("vol.submit_signup"))
if data:
    attempt(lambda: sign_up(db, data, session_actor()), "vol.signup_done", fields=fields)
