"""Import and export (coordinators: own community; admins: all). Imports are previewed with every
row's errors and written only when confirmed; rows with errors never are."""

from datetime import date

import streamlit as st

from components.auth import session_actor
from components.data import get_db
from components.imports import import_preview
from components.i18n import t
from components.spreadsheet import read_table, template_xlsx, to_csv, to_xlsx
from db.transfer import (HOURS_HEADERS, TEMPLATES, VOLUNTEER_HEADERS, commit_hours, commit_volunteers, default_period,
                         export_records, export_volunteers, preview_hours, preview_volunteers)

db, actor = get_db(), session_actor()
st.title(t("page.transfer"))
import_tab, export_tab = st.tabs([t("transfer.import"), t("transfer.export")], key="transfer_tabs",
                                 on_change="rerun")

KINDS = {"volunteers": (VOLUNTEER_HEADERS, preview_volunteers, commit_volunteers),
         "hours": (HOURS_HEADERS, preview_hours, commit_hours)}


with import_tab:
    if import_tab.open:
        kind = st.radio(t("transfer.kind"), list(KINDS), format_func=lambda k: t("transfer.kind." + k), horizontal=True)
        headers, preview_fn, commit_fn = KINDS[kind]
        st.caption(t("transfer.columns", columns="、".join(TEMPLATES[kind])))
        st.download_button(t("transfer.template"), template_xlsx(TEMPLATES[kind], t("transfer.kind." + kind)),
                           file_name=f"linli-{kind}-template.xlsx", key=f"template_{kind}",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        upload = st.file_uploader(t("transfer.upload"), type=["xlsx", "csv"], key=f"upload_{kind}")
        if upload is not None:
            import_preview(lambda: read_table(upload.name, upload.getvalue()), lambda rows: preview_fn(db, actor, rows),
                           lambda rows: commit_fn(db, actor, rows), kind)

with export_tab:
    if export_tab.open:
        st.caption(t("transfer.formula_note"))
        start, end = (date.fromisoformat(d) for d in default_period())
        p1, p2 = st.columns(2)
        since = p1.date_input(t("transfer.period_from"), value=start, key="export_from")
        until = p2.date_input(t("transfer.period_to"), value=end, key="export_to")
        period = (since.isoformat(), until.isoformat())
        for label, rows in ((t("transfer.roster"), lambda: export_volunteers(db, actor)),
                            (t("transfer.ledger_period", since=period[0], until=period[1]),
                             lambda: export_records(db, actor, period))):
            st.markdown(f"**{label}**")
            data = rows()
            c1, c2 = st.columns(2)
            c1.download_button(t("transfer.download_csv"), to_csv(data), file_name=f"{label}.csv", mime="text/csv")
            c2.download_button(t("transfer.download_xlsx"), to_xlsx(data, label), file_name=f"{label}.xlsx",
                               mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
