"""Forms used on more than one page: the volunteer's details and one activity's hours."""

from datetime import date, time

import streamlit as st

from components.i18n import lang, t
from db.models import DAY_PARTS
from db import clock

WEEKDAYS_ZH = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]
WEEKDAYS_EN = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def weekday_name(iso_day: int) -> str:
    return (WEEKDAYS_ZH if lang() == "zh" else WEEKDAYS_EN)[iso_day - 1]


def volunteer_form(key: str, communities: list[dict], categories: list[dict], *, consent: bool,
                   submit_label: str) -> dict | None:
    """The 《志愿服务记录办法》 fields; returns the raw values when submitted (db/ validates)."""
    names = {c["code"]: (c["name_zh"] if lang() == "zh" else c["name_en"]) for c in categories}
    with st.form(key, clear_on_submit=False):
        c1, c2 = st.columns(2)
        real_name = c1.text_input(t("vol.real_name"), max_chars=20)
        gender = c2.radio(t("vol.gender"), ["M", "F"], format_func=lambda g: t("gender." + g), horizontal=True)
        c3, c4 = st.columns(2)
        birth = c3.date_input(t("vol.birth_date"), value=date(1980, 1, 1), min_value=date(1900, 1, 1),
                              max_value=clock.today())
        id_number = c4.text_input(t("vol.id_number"), max_chars=18, help=t("vol.id_help"))
        c5, c6 = st.columns(2)
        phone = c5.text_input(t("vol.phone"), max_chars=13)
        community = c6.selectbox(t("vol.community"), communities, format_func=lambda c: f"{c['name']}（{c['district']}）")
        skills = st.multiselect(t("vol.skills"), list(names), format_func=names.get)
        c7, c8 = st.columns(2)
        days = c7.multiselect(t("vol.days"), list(range(1, 8)), format_func=weekday_name)
        parts = c8.multiselect(t("vol.parts"), list(DAY_PARTS), format_func=lambda p: t("part." + p))
        party = st.checkbox(t("vol.party_member"))
        notes = st.text_area(t("vol.notes"), max_chars=200, height=80)
        agreed = st.checkbox(t("vol.consent")) if consent else True
        if st.form_submit_button(submit_label, type="primary"):
            return {"real_name": real_name, "gender": gender, "birth_date": birth, "id_number": id_number,
                    "phone": phone, "community_id": community["id"] if community else 0, "skills": skills,
                    "availability": {"days": days, "parts": parts}, "party_member": party, "notes": notes,
                    "consent": agreed}
    return None


def hours_form(key: str, volunteers: list[dict], categories: list[dict], *, group: bool) -> dict | None:
    """One activity for one or several volunteers; returns raw values when submitted."""
    names = {c["code"]: (c["name_zh"] if lang() == "zh" else c["name_en"]) for c in categories}
    with st.form(key):
        if group:
            chosen = st.multiselect(t("hours.volunteers"), volunteers,
                                    format_func=lambda v: f"{v['real_name']} · {v['number']}")
        else:
            chosen = volunteers
        c1, c2 = st.columns(2)
        activity = c1.text_input(t("hours.activity"), max_chars=60)
        category = c2.selectbox(t("hours.category"), list(names), format_func=names.get)
        c3, c4, c5 = st.columns(3)
        day = c3.date_input(t("hours.date"), value=clock.today(), max_value=None)
        start = c4.time_input(t("hours.start"), value=time(9, 0), step=900)
        end = c5.time_input(t("hours.end"), value=time(11, 0), step=900)
        use_times = st.checkbox(t("hours.use_times"), value=True)
        minutes = st.number_input(t("hours.minutes"), min_value=0, max_value=1440, value=120, step=15)
        c6, c7 = st.columns(2)
        place = c6.text_input(t("hours.place"), max_chars=60)
        beneficiary = c7.text_input(t("hours.beneficiary"), max_chars=40)
        content = st.text_area(t("hours.content"), max_chars=200, height=80)
        st.caption(t("hours.travel_note"))
        if st.form_submit_button(t("hours.save"), type="primary"):
            return {"volunteer_ids": [v["id"] for v in chosen], "activity": activity, "service_date": day,
                    "start_time": start if use_times else None, "end_time": end if use_times else None,
                    "minutes": None if use_times else (minutes or None), "place": place,
                    "beneficiary": beneficiary, "content": content, "category": category}
    return None
