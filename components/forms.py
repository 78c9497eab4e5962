"""Forms used on more than one page: the volunteer's details and one activity's hours."""

from datetime import time

import streamlit as st

from components.feedback import Fields
from components.i18n import lang, t
from db.models import DAY_PARTS
from db import clock

WEEKDAYS_ZH = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]
WEEKDAYS_EN = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def weekday_name(iso_day: int) -> str:
    return (WEEKDAYS_ZH if lang() == "zh" else WEEKDAYS_EN)[iso_day - 1]


def volunteer_form(f: Fields, communities: list[dict], categories: list[dict], *, consent: bool,
                   submit_label: str) -> dict | None:
    """The 《志愿服务记录办法》 fields; returns the raw values when submitted (db/ validates). Birth
    date and gender are read from the ID number, not typed a second time."""
    names = {c["code"]: (c["name_zh"] if lang() == "zh" else c["name_en"]) for c in categories}
    with st.form(f.form, clear_on_submit=False):
        c1, c2 = st.columns(2)
        real_name = f(c1.text_input, t("vol.real_name"), "real_name", max_chars=20)
        id_number = f(c2.text_input, t("vol.id_number"), "id_number", max_chars=18, help=t("vol.id_help"))
        c5, c6 = st.columns(2)
        phone = f(c5.text_input, t("vol.phone"), "phone", max_chars=13)
        community = f(c6.selectbox, t("vol.community"), "community_id", options=communities,
                      format_func=lambda c: f"{c['name']}（{c['district']}）")
        skills = f(st.multiselect, t("vol.skills"), "skills", options=list(names), format_func=names.get)
        c7, c8 = st.columns(2)
        days = f(c7.multiselect, t("vol.days"), "days", options=list(range(1, 8)), format_func=weekday_name)
        parts = f(c8.multiselect, t("vol.parts"), "parts", options=list(DAY_PARTS), format_func=lambda p: t("part." + p))
        party = f(st.checkbox, t("vol.party_member"), "party_member")
        notes = f(st.text_area, t("vol.notes"), "notes", max_chars=200, height=80)
        agreed = f(st.checkbox, t("vol.consent"), "consent") if consent else True
        if st.form_submit_button(submit_label, type="primary", key=f"{f.form}.submit"):
            return {"real_name": real_name, "id_number": id_number,
                    "phone": phone, "community_id": community["id"] if community else 0, "skills": skills,
                    "availability": {"days": days, "parts": parts}, "party_member": party, "notes": notes,
                    "consent": agreed}
    return None


def hours_form(f: Fields, volunteers: list[dict], categories: list[dict], *, group: bool) -> dict | None:
    """One activity for one or several volunteers; returns raw values when submitted."""
    names = {c["code"]: (c["name_zh"] if lang() == "zh" else c["name_en"]) for c in categories}
    with st.form(f.form, clear_on_submit=False):
        if group:
            chosen = f(st.multiselect, t("hours.volunteers"), "volunteer_ids", options=volunteers,
                       format_func=lambda v: f"{v['real_name']} · {v['number']}")
        else:
            chosen = volunteers
        c1, c2 = st.columns(2)
        activity = f(c1.text_input, t("hours.activity"), "activity", max_chars=60)
        category = f(c2.selectbox, t("hours.category"), "category", options=list(names), format_func=names.get)
        c3, c4, c5 = st.columns(3)
        day = f(c3.date_input, t("hours.date"), "service_date", value=clock.today(), max_value=None)
        start = f(c4.time_input, t("hours.start"), "start_time", value=time(9, 0), step=900)
        end = f(c5.time_input, t("hours.end"), "end_time", value=time(11, 0), step=900)
        use_times = f(st.checkbox, t("hours.use_times"), "use_times", value=True)
        minutes = f(st.number_input, t("hours.minutes"), "minutes", min_value=0, max_value=1440, value=120, step=15)
        c6, c7 = st.columns(2)
        place = f(c6.text_input, t("hours.place"), "place", max_chars=60)
        beneficiary = f(c7.text_input, t("hours.beneficiary"), "beneficiary", max_chars=40)
        content = f(st.text_area, t("hours.content"), "content", max_chars=200, height=80)
        st.caption(t("hours.travel_note"))
        if st.form_submit_button(t("hours.save"), type="primary", key=f"{f.form}.submit"):
            return {"volunteer_ids": [v["id"] for v in chosen], "activity": activity, "service_date": day,
                    "start_time": start if use_times else None, "end_time": end if use_times else None,
                    "minutes": None if use_times else (minutes or None), "place": place,
                    "beneficiary": beneficiary, "content": content, "category": category}
    return None
