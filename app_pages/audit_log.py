"""Audit log (admins): who changed what, filterable."""

from datetime import timedelta

import streamlit as st

from components.auth import session_actor
from components.data import get_db
from components.i18n import t
from db.audit import PAGE_SIZE, distinct_values, entries
from db import clock

db, actor = get_db(), session_actor()
st.title(t("audit.title"))

c1, c2, c3, c4, c5 = st.columns(5)
everyone = "—"
who = c1.selectbox(t("audit.actor"), [everyone, *distinct_values(db, actor, "actor")])
table = c2.selectbox(t("audit.table"), [everyone, *distinct_values(db, actor, "table_name")])
action = c3.selectbox(t("audit.action"), [everyone, *distinct_values(db, actor, "action")])
since = c4.date_input(t("audit.since"), value=None)
until = c5.date_input(t("audit.until"), value=None)

rows = entries(db, actor, actor_name=None if who == everyone else who,
               table=None if table == everyone else table, action=None if action == everyone else action,
               since=since.isoformat() if since else None,
               until=(until + timedelta(days=1)).isoformat() if until else None)
if not rows:
    st.info(t("audit.empty"))
else:
    st.caption(t("audit.showing", n=min(len(rows), PAGE_SIZE)))
    st.dataframe([{t("col.at"): clock.shown(r["at"]), t("audit.actor"): r["actor"], t("audit.action"): r["action"],
                   t("audit.table"): r["table_name"], t("col.row_id"): r["row_id"],
                   t("col.before"): r["before"], t("col.after"): r["after"]} for r in rows],
                 hide_index=True)
