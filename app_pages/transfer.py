"""Import and export (coordinators: own community; admins: all). Imports are previewed with every
row's errors and written only when confirmed; rows with errors never are."""

import streamlit as st

from components.auth import session_actor
from components.data import get_db
from components.feedback import attempt, show_error
from components.i18n import t
from components.spreadsheet import read_table, to_csv, to_xlsx
from db.errors import LinliError
from db.transfer import (HOURS_HEADERS, VOLUNTEER_HEADERS, commit_hours, commit_volunteers, default_period,
                         export_records, export_volunteers, preview_hours, preview_volunteers)

db, actor = get_db(), session_actor()
st.title(t("page.transfer"))
import_tab, export_tab = st.tabs([t("transfer.import"), t("transfer.export")], key="transfer_tabs",
                                 on_change="rerun")

KINDS = {"volunteers": (VOLUNTEER_HEADERS, preview_volunteers, commit_volunteers),
         "hours": (HOURS_HEADERS, preview_hours, commit_hours)}


def problem_text(errors) -> str:
    return "；".join(f"{t('field.' + f)}: {t(k, **p)}" for f, k, p in errors)


with import_tab:
    if import_tab.open:
        kind = st.radio(t("transfer.kind"), list(KINDS), format_func=lambda k: t("transfer.kind." + k), horizontal=True)
        headers, preview_fn, commit_fn = KINDS[kind]
        st.caption(t("transfer.columns", columns="、".join(h for h in headers if not h.isascii())))
        upload = st.file_uploader(t("transfer.upload"), type=["xlsx", "csv"], key=f"upload_{kind}")
        if upload is not None:
            try:
                preview = preview_fn(db, actor, read_table(upload.name, upload.getvalue()))
            except LinliError as exc:
                show_error(exc)
                preview = None
            if preview is not None:
                good = [p for p in preview if not p["errors"]]
                st.write(t("transfer.preview", good=len(good), bad=len(preview) - len(good)))
                st.dataframe([{t("transfer.row"): p["row"], **{t("field." + k): v for k, v in p["shown"].items()},
                               t("transfer.errors"): problem_text(p["errors"]) or t("transfer.ok")} for p in preview],
                             hide_index=True)
                if good and st.button(t("transfer.confirm", n=len(good)), type="primary", key=f"confirm_{kind}"):
                    attempt(lambda: commit_fn(db, actor, preview), "transfer.done", n=len(good))

with export_tab:
    if export_tab.open:
        st.caption(t("transfer.formula_note"))
        for label, rows in ((t("transfer.roster"), lambda: export_volunteers(db, actor)),
                            (t("transfer.ledger"), lambda: export_records(db, actor, default_period()))):
            st.markdown(f"**{label}**")
            data = rows()
            c1, c2 = st.columns(2)
            c1.download_button(t("transfer.download_csv"), to_csv(data), file_name=f"{label}.csv", mime="text/csv")
            c2.download_button(t("transfer.download_xlsx"), to_xlsx(data, label), file_name=f"{label}.xlsx",
                               mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
