"""Service hours (coordinators: own community; admins: all): record singly or for a group,
approve or reject in bulk, reverse approved records; admins set the star levels."""

from datetime import timedelta

import streamlit as st

from components.numbers import hours_text
from components.auth import session_actor
from components.data import get_db
from components.feedback import Fields, attempt
from components.forms import hours_form
from components.i18n import t
from components.tables import category_names, records_rows, show_records
from db.categories import list_categories
from db.ledger import (approve, four_eyes_minutes, list_records, may_approve, record_hours, reject, reverse,
                       reverse_all, set_four_eyes_minutes)
from db.volunteers import active_volunteers, set_star_thresholds, star_thresholds
from db.permissions import may
from db import clock

UNDO_WINDOW = timedelta(minutes=10)

db, actor = get_db(), session_actor()
categories = list_categories(db)
names = category_names(categories)
st.title(t("page.hours"))

tabs = [t("hours.record_tab"), t("hours.pending_tab"), t("hours.ledger_tab")]
if may(actor, "settings.edit"):
    tabs.append(t("hours.settings_tab"))
# Stateful tabs (key + rerun): the open tab survives reruns and only its content runs.
record_tab, pending_tab, ledger_tab, *settings_tab = st.tabs(tabs, key="hours_tabs", on_change="rerun")

with record_tab:
    if record_tab.open:
        fields = Fields("record_hours")
        data = hours_form(fields, active_volunteers(db, actor), categories, group=True)
        if data:
            attempt(lambda: record_hours(db, actor, data), "hours.saved", fields=fields, n=len(data["volunteer_ids"]))

with pending_tab:
    if pending_tab.open:
        pending, pending_total = list_records(db, actor, status="pending", page_size=500)
        st.caption(t("hours.pending_count", n=pending_total))
        undo = st.session_state.get("hours_undo")
        if undo and clock.now() - undo["at"] < UNDO_WINDOW:
            # Approved records are final: undoing reverses them (the approval and its reversal
            # both stay on record), all or none.
            if st.button(t("hours.undo", n=len(undo["ids"])), key="hours_undo_button", icon=":material/undo:"):
                st.session_state.pop("hours_undo")
                attempt(lambda: reverse_all(db, actor, undo["ids"], t("hours.undo_reason")), "hours.undone",
                        n=len(undo["ids"]))
        if not pending:
            st.info(t("hours.no_pending"))
        else:
            c1, c2, c3 = st.columns(3)
            sources = sorted({r["source"] for r in pending})
            source = c1.selectbox(t("hours.filter_source"), [None, *sources], key="pending_source",
                                  format_func=lambda x: t("ex.all") if x is None else t("source." + x))
            words = c2.text_input(t("hours.filter_activity"), key="pending_activity", max_chars=40).strip()
            day = c3.date_input(t("hours.filter_date"), value=None, key="pending_date")
            shown = [r for r in pending if source in (None, r["source"]) and words in r["activity"]
                     and (day is None or r["service_date"] == day.isoformat())]
            # Four eyes: what this person entered (or their own hours) waits for someone else.
            limit = four_eyes_minutes(db)
            others = {r["id"] for r in shown if may_approve(actor, r, limit)}
            if others:
                with st.expander(t("hours.four_eyes_waiting", n=len(others))):
                    st.caption(t("hours.four_eyes_help"))
                    st.dataframe(records_rows([r for r in shown if r["id"] in others], names), hide_index=True)
                shown = [r for r in shown if r["id"] not in others]
            every = st.checkbox(t("hours.tick_all", n=len(shown)), key="pending_all")
            pick = t("hours.pick")
            rows = [{pick: every, **row} for row in records_rows(shown, names)]
            # The ticks belong to these rows: a new filter or a new set of records starts afresh.
            ids = [r["id"] for r in shown]
            edited = st.data_editor(rows, key=f"pending_ticks_{hash((tuple(ids), every))}", hide_index=True,
                                    disabled=[k for k in (rows[0] if rows else {}) if k != pick],
                                    column_config={pick: st.column_config.CheckboxColumn(pick, width="small")})
            chosen = [r["id"] for r, row in zip(shown, edited) if row[pick]]
            hours = sum(r["minutes"] for r in shown if r["id"] in chosen)
            b1, b2, b3 = st.columns([1, 1, 2])
            reason = b3.text_input(t("roster.reason"), max_chars=200, key="reject_reason")
            if b1.button(t("hours.approve_selected_n", n=len(chosen)), type="primary", disabled=not chosen):
                st.session_state["hours_confirm"] = chosen
            if b2.button(t("hours.reject_selected_n", n=len(chosen)), disabled=not chosen):
                attempt(lambda: reject(db, actor, chosen, reason), "hours.rejected", n=len(chosen))
            asked = st.session_state.get("hours_confirm")
            if asked:
                if sorted(asked) != sorted(chosen):
                    st.session_state.pop("hours_confirm")  # the ticks changed: ask again
                else:
                    st.warning(t("hours.confirm_approve", n=len(asked), hours=hours_text(hours)))
                    y, n = st.columns([1, 4])
                    if y.button(t("hours.confirm_yes"), type="primary", key="hours_confirm_yes"):
                        st.session_state.pop("hours_confirm")
                        st.session_state["hours_undo"] = {"ids": asked, "at": clock.now()}
                        attempt(lambda: approve(db, actor, asked), "hours.approved", n=len(asked))
                    if n.button(t("hours.confirm_no"), key="hours_confirm_no"):
                        st.session_state.pop("hours_confirm")
                        st.rerun()

with ledger_tab:
    if ledger_tab.open:
        records, total = list_records(db, actor, page_size=200)
        show_records(records, names)
        st.caption(f"{min(total, 200)} / {total}")
        st.markdown(f"**{t('hours.reverse')}**")
        st.caption(t("hours.reverse_help"))
        with st.form("reverse"):
            c1, c2 = st.columns([1, 3])
            record_id = c1.number_input(t("hours.reverse_id"), min_value=1, step=1)
            why = c2.text_input(t("roster.reason"), max_chars=200)
            if st.form_submit_button(t("hours.reverse")):
                attempt(lambda: reverse(db, actor, int(record_id), why), lambda new_id: t("hours.reversed", id=new_id))

if settings_tab:
    with settings_tab[0]:
        if settings_tab[0].open:
            with st.form("stars"):
                text = st.text_input(t("hours.thresholds"), value=", ".join(str(h) for h in star_thresholds(db)))
                if st.form_submit_button(t("form.save")):
                    try:
                        hours = [int(x) for x in text.replace("，", ",").split(",") if x.strip()]
                    except ValueError:
                        hours = None
                    if hours is None:
                        st.error(t("err.not_a_number"))
                    else:
                        attempt(lambda: set_star_thresholds(db, actor, hours), "hours.thresholds_saved")
            with st.form("four_eyes"):
                limit = st.number_input(t("hours.four_eyes_limit"), min_value=0, max_value=1440, step=15,
                                        value=four_eyes_minutes(db), key="four_eyes.minutes",
                                        help=t("hours.four_eyes_limit_help"))
                if st.form_submit_button(t("form.save"), key="four_eyes.submit"):
                    attempt(lambda: set_four_eyes_minutes(db, actor, int(limit)), "hours.four_eyes_saved")
