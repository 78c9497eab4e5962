"""Home: what Linli is, what this role can do, and the pages it may open."""

import streamlit as st

from components.auth import session_actor
from components.data import get_db
from components.i18n import t
from components.navigation import pages_for
from db.communities import city_summary

actor = session_actor()
st.title(t("app.title"))
st.markdown(f"**{t('app.tagline')}**")
st.write(t("home.intro"))

summary = city_summary(get_db())
cols = st.columns(3)
cols[0].metric(t("home.districts"), summary["districts"])
cols[1].metric(t("home.communities"), summary["communities"])
cols[2].metric(t("home.population"), f"{summary['population']:,}")

st.subheader(t("home.you_can"))
st.write(f"**{t('role.' + actor.role)}**: {t('home.can.' + actor.role)}")
for spec in pages_for(actor.role):
    if spec.home_key:
        st.page_link(spec.path, label=f"{t(spec.title_key)} — {t(spec.home_key)}", icon=spec.icon)
