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
        real_name = c1.text_input(t("vol.real_name"), max_chars=20, key=f"{key}.real_name")
        gender = c2.radio(t("vol.gender"), ["M", "F"], key=f"{key}.gender", format_func=lambda g: t("gender." + g), horizontal=True)
        c3, c4 = st.columns(2)
        birth = c3.date_input(t("vol.birth_date"), value=date(1980, 1, 1), key=f"{key}.birth_date", min_value=date(1900, 1, 1),
                              max_value=clock.today())
        id_number = c4.text_input(t("vol.id_number"), max_chars=18, key=f"{key}.id_number", help=t("vol.id_help"))
        c5, c6 = st.columns(2)
        phone = c5.text_input(t("vol.phone"), max_chars=13, key=f"{key}.phone")
        community = c6.selectbox(t("vol.community"), communities, key=f"{key}.community", format_func=lambda c: f"{c['name']}（{c['district']}）")
        skills = st.multiselect(t("vol.skills"), list(names), key=f"{key}.skills", format_func=names.get)
        c7, c8 = st.columns(2)
        days = c7.multiselect(t("vol.days"), list(range(1, 8)), key=f"{key}.days", format_func=weekday_name)
        parts = c8.multiselect(t("vol.parts"), list(DAY_PARTS), key=f"{key}.parts", format_func=lambda p: t("part." + p))
        party = st.checkbox(t("vol.party_member"), key=f"{key}.party_member")
        notes = st.text_area(t("vol.notes"), max_chars=200, key=f"{key}.notes", height=80)
        agreed = st.checkbox(t("vol.consent"), key=f"{key}.consent") if consent else True
        if st.form_submit_button(submit_label, type="primary", key=f"{key}.submit"):
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
            chosen = st.multiselect(t("hours.volunteers"), volunteers, key=f"{key}.volunteers",
                                    format_func=lambda v: f"{v['real_name']} · {v['number']}")
        else:
            chosen = volunteers
        c1, c2 = st.columns(2)
        activity = c1.text_input(t("hours.activity"), max_chars=60, key=f"{key}.activity")
        category = c2.selectbox(t("hours.category"), list(names), key=f"{key}.category", format_func=names.get)
        c3, c4, c5 = st.columns(3)
        day = c3.date_input(t("hours.date"), value=clock.today(), key=f"{key}.service_date", max_value=None)
        start = c4.time_input(t("hours.start"), value=time(9, 0), key=f"{key}.start_time", step=900)
        end = c5.time_input(t("hours.end"), value=time(11, 0), key=f"{key}.end_time", step=900)
        use_times = st.checkbox(t("hours.use_times"), value=True, key=f"{key}.use_times")
        minutes = st.number_input(t("hours.minutes"), min_value=0, key=f"{key}.minutes", max_value=1440, value=120, step=15)
        c6, c7 = st.columns(2)
        place = c6.text_input(t("hours.place"), max_chars=60, key=f"{key}.place")
        beneficiary = c7.text_input(t("hours.beneficiary"), max_chars=40, key=f"{key}.beneficiary")
        content = st.text_area(t("hours.content"), max_chars=200, key=f"{key}.content", height=80)
        st.caption(t("hours.travel_note"))
        if st.form_submit_button(t("hours.save"), type="primary", key=f"{key}.submit"):
            return {"volunteer_ids": [v["id"] for v in chosen], "activity": activity, "service_date": day,
                    "start_time": start if use_times else None, "end_time": end if use_times else None,
                    "minutes": None if use_times else (minutes or None), "place": place,
                    "beneficiary": beneficiary, "content": content, "category": category}
    return None
