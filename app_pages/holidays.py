"""Holidays and make-up working days (admins): the State Council's arrangement for a year pasted
or uploaded at once, a range of days (春节 7 days) or one day added, a day removed; every change
audited. The directory's "open now" and the day-care timetables follow it."""

from datetime import date

import streamlit as st

from components.auth import session_actor
from components.calendar_note import unknown_year_warning
from components.data import get_db
from components.feedback import Fields, attempt
from components.i18n import t
from components.spreadsheet import decode_text
from db import clock
from db.calendar import covered_years, list_days
from db.calendar_days import add_range, import_arrangement, remove_day

db, actor = get_db(), session_actor()
st.title(t("page.holidays"))
first, last = covered_years()
st.caption(t("cal.covered", first=first, last=last))
today = clock.today()
unknown_year_warning(db, [today, date(today.year + 1, 1, 1)])
st.subheader(t("cal.import"))
st.caption(t("cal.import_help"))
pasted = st.text_area(t("cal.paste"), height=150, key="arrangement_text",
                      placeholder=t("cal.paste_example"))
upload = st.file_uploader(t("cal.upload"), type=["csv", "json", "txt"], key="arrangement_file")
if st.button(t("cal.import_button"), key="arrangement_import"):
    content = decode_text(upload.getvalue()) if upload is not None else pasted
    attempt(lambda: import_arrangement(db, actor, content), lambda n: t("cal.imported", n=n))
st.subheader(t("cal.add_range"))
f = Fields("calendar_range")
with st.form(f.form, clear_on_submit=False):
    c1, c2, c3, c4 = st.columns(4)
    start = f(c1.date_input, t("cal.first_day"), "start", value=date(last + 1, 1, 1))
    end = f(c2.date_input, t("cal.last_day"), "end", value=None)
    kind = f(c3.selectbox, t("cal.kind"), "kind", options=["holiday", "workday"], format_func=lambda k: t("cal.kind." + k))
    name = f(c4.text_input, t("cal.name"), "name", max_chars=40)
    if st.form_submit_button(t("cal.add"), key="calendar_range.submit"):
        attempt(lambda: add_range(db, actor, {"start": start, "end": end or start, "kind": kind, "name": name}),
                lambda n: t("cal.added_n", n=n), fields=f)
days = list_days(db)
if days:
    st.dataframe([{t("cal.day"): d["day"], t("cal.kind"): t("cal.kind." + d["kind"]), t("cal.name"): d["name"],
                   t("audit.actor"): d["added_by"]} for d in days], hide_index=True)
    gone = st.selectbox(t("cal.day"), [d["day"] for d in days], key="remove_day")
    if st.button(t("cal.remove")):
        attempt(lambda: remove_day(db, actor, gone), "cal.removed")
