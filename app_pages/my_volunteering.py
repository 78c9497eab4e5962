"""My volunteering (volunteers): profile, stars and progress, the next activities signed up for,
records, report hours, certificate."""

import streamlit as st

from components.usertext import plain
from components.numbers import hours_left_text, hours_text
from components.activity_ui import coming, signup_cards
from components.auth import session_actor
from components.certificate import certificate_panel
from components.data import get_db
from components.feedback import Fields, attempt
from components.forms import hours_form, weekday_name
from components.i18n import t
from components.tables import category_names, show_records
from db.activities import mine
from db.categories import list_categories
from db.ledger import list_records, record_hours
from db.volunteers import get_volunteer, next_star, star_level, star_thresholds

db, actor = get_db(), session_actor()
st.title(t("page.my_volunteering"))
volunteer_id = actor.volunteer_id
if volunteer_id is None:
    st.warning(t("my.not_linked"))
    st.stop()

v = get_volunteer(db, actor, volunteer_id)
categories = list_categories(db)
names = category_names(categories)
thresholds = star_thresholds(db)
hours = v["approved_minutes"] / 60
level = star_level(hours, thresholds)

c1, c2, c3 = st.columns(3)
c1.metric(t("my.total"), hours_text(v["approved_minutes"]))
c2.metric(t("my.stars"), "★" * level or "—")
c3.metric(t("vol.number"), v["number"] or t("status." + v["status"]))
upcoming = next_star(hours, thresholds)
if upcoming:
    target, share = upcoming
    st.progress(min(max(share, 0.0), 1.0), text=t("my.next_star", stars=level + 1, left=hours_left_text(target * 60 - v["approved_minutes"])))
else:
    st.success(t("my.top_star"))

next_ones = coming(mine(db, actor))[:3]
if next_ones:
    st.markdown(f"**{t('act.next')}**")
    signup_cards(next_ones)
st.page_link("app_pages/activities.py", label=t("act.find_more"), icon=":material/diversity_3:")

with st.expander(t("my.profile")):
    st.write(f"**{plain(v['real_name'])}** · {t('gender.' + v['gender'])} · {t('vol.born', year=v['birth_year'])} · {v['id_masked']} · "
             f"{v['phone']} · {plain(v['community'])}")
    st.write(f"{t('vol.skills')}: {'、'.join(names.get(s, s) for s in v['skills']) or '—'}；"
             f"{t('vol.days')}: {'、'.join(weekday_name(d) for d in v['availability'].get('days', [])) or '—'}")

records_tab, report_tab, cert_tab = st.tabs([t("my.records"), t("my.report"), t("my.certificate")],
                                            key="my_tabs", on_change="rerun")
with records_tab:
    if records_tab.open:
        records, _ = list_records(db, actor, volunteer_id=volunteer_id, page_size=500)
        show_records(records, names, with_volunteer=False)
with report_tab:
    if report_tab.open:
        fields = Fields("report_hours")
        data = hours_form(fields, [{"id": volunteer_id}], categories, group=False)
        if data:
            attempt(lambda: record_hours(db, actor, data), "hours.saved", fields=fields, n=1)
with cert_tab:
    if cert_tab.open:
        if v["number"]:
            certificate_panel(db, actor, volunteer_id, key="my_cert", heading=t("my.certificate"))
