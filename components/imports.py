"""The import flow both import pages share: read the file, preview every row with its errors,
write the error-free rows only when the coordinator confirms."""

import streamlit as st

from components.feedback import attempt, show_error
from components.i18n import t
from db.errors import LinliError


def problem_text(errors) -> str:
    return "；".join(f"{t('field.' + f)}: {t(k, **p)}" for f, k, p in errors)


def import_preview(read, preview, commit, key: str) -> None:
    """`read()` gives raw rows, `preview(rows)` the checked rows, `commit(rows)` writes them."""
    try:
        rows = preview(read())
    except LinliError as exc:
        show_error(exc)
        return
    good = [p for p in rows if not p["errors"]]
    st.write(t("transfer.preview", good=len(good), bad=len(rows) - len(good)))
    st.dataframe([{t("transfer.row"): p["row"],
                   **{t("field." + k): t("transfer.action." + v) if k == "action" else v for k, v in p["shown"].items()},
                   t("transfer.errors"): problem_text(p["errors"]) or t("transfer.ok"),
                   t("transfer.warnings"): problem_text(p.get("warnings", []))} for p in rows],
                 hide_index=True)
    if good and st.button(t("transfer.confirm", n=len(good)), type="primary", key=f"confirm_{key}"):
        attempt(lambda: commit(rows), "transfer.done", n=len(good))
