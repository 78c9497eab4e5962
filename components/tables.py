"""Tables drawn the same way on every page, with labels in the user's language."""

import streamlit as st

from components.i18n import lang, t


def category_names(categories: list[dict]) -> dict[str, str]:
    return {c["code"]: (c["name_zh"] if lang() == "zh" else c["name_en"]) for c in categories}


def record_note(r: dict) -> str:
    if r["reverses_id"]:
        return t("note.reverses", id=r["reverses_id"]) + (f" · {r['content']}" if r["content"] else "")
    if r.get("reversed_by"):
        return t("note.reversed_by", id=r["reversed_by"])
    if r["status"] == "rejected":
        return t("note.rejected", reason=r["reject_reason"] or "")
    return ""


def records_rows(records: list[dict], names: dict[str, str], with_volunteer: bool = True) -> list[dict]:
    rows = []
    for r in records:
        row = {t("col.id"): r["id"]}
        if with_volunteer:
            row[t("col.volunteer")] = f"{r['real_name']} · {r['number'] or '—'}"
        row.update({
            t("col.date"): r["service_date"],
            t("col.time"): f"{r['start_time']}–{r['end_time']}" if r["start_time"] else "",
            t("col.activity"): r["activity"],
            t("col.category"): names.get(r["category"], r["category"]),
            t("col.hours"): round(r["minutes"] / 60, 2),
            t("col.status"): t("status." + r["status"]),
            t("col.source"): t("source." + r["source"]),
            t("col.note"): record_note(r),
        })
        rows.append(row)
    return rows


def show_records(records: list[dict], names: dict[str, str], with_volunteer: bool = True) -> None:
    if records:
        st.dataframe(records_rows(records, names, with_volunteer), hide_index=True)
