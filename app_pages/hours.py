"""Service hours (coordinators: own community; admins: all): record singly or for a group,
approve or reject in bulk, reverse approved records; admins set the star levels."""

import streamlit as st

from components.numbers import hours_text
from components.auth import session_actor
from components.data import get_db
from components.feedback import Fields, attempt
from components.forms import hours_form
from components.i18n import t
from components.tables import category_names, show_records
from db.categories import list_categories
from db.ledger import approve, list_records, record_hours, reject, reverse
from db.volunteers import active_volunteers, set_star_thresholds, star_thresholds
from db.permissions import may

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
        if not pending:
            st.info(t("hours.no_pending"))
        else:
            show_records(pending, names)
            # The multiselect has its own "select all" for bulk approval.
            chosen = st.multiselect(t("hours.select"), [r["id"] for r in pending],
                                    format_func=lambda i: next(f"{i} · {r['real_name']} · {r['service_date']} · "
                                                               f"{hours_text(r['minutes'])}h" for r in pending if r["id"] == i))
            c1, c2, c3 = st.columns([1, 1, 2])
            reason = c3.text_input(t("roster.reason"), max_chars=200, key="reject_reason")
            if c1.button(t("hours.approve_selected"), type="primary"):
                if not chosen:
                    st.warning(t("hours.pick_some"))
                else:
                    attempt(lambda: approve(db, actor, chosen), "hours.approved", n=len(chosen))
            if c2.button(t("hours.reject_selected")):
                if not chosen:
                    st.warning(t("hours.pick_some"))
                else:
                    attempt(lambda: reject(db, actor, chosen, reason), "hours.rejected", n=len(chosen))

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
