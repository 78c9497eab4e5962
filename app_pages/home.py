"""Home: what Linli is, what this role can do, and the pages it may open."""

import streamlit as st

from components.auth import session_actor
from components.data import get_db
from components.i18n import t
from components.navigation import pages_for
from db.communities import city_summary

ENTRIES = [("app_pages/directory.py", "home.big.directory", ":material/local_pharmacy:", {"category": "pharmacy"}),
           ("app_pages/exchange.py", "home.big.help", ":material/volunteer_activism:", {"tab": "post"}),
           ("app_pages/service_card.py", "home.big.card", ":material/contact_phone:", None),
           ("app_pages/daycare.py", "home.big.daycare", ":material/elderly:", None)]

actor = session_actor()
st.title(t("app.title"))
# What residents come for, first and large (a phone, often an older hand): four entries.
with st.container(key="home_tiles"):
    for row in (ENTRIES[:2], ENTRIES[2:]):
        for column, (path, label, icon, params) in zip(st.columns(2), row):
            column.page_link(path, label=t(label), icon=icon, query_params=params, use_container_width=True)
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
