"""Pieces of the exchange pages: the need form and the need card."""

from datetime import datetime, time, timedelta

import streamlit as st

from components.feedback import Fields
from components.usertext import plain
from components.i18n import day_text, t
from db import clock


def need_form(f: Fields, communities: list[dict], names: dict[str, str], *, community_id: int | None = None,
              family: list[dict] | None = None, submit: str) -> dict | None:
    """A need's fields; returns raw values (db/ validates). `community_id` fixes the community;
    `family` (a volunteer redeeming time) asks for whom: themself or a registered family member."""
    redeem = family is not None
    with st.form(f.form, clear_on_submit=False):
        c1, c2 = st.columns([2, 1])
        title = f(c1.text_input, t("ex.title"), "title", max_chars=60)
        category = f(c2.selectbox, t("ex.category"), "category", options=list(names), format_func=names.get)
        description = f(st.text_area, t("ex.description"), "description", max_chars=500, height=80)
        ids = [c["id"] for c in communities]
        if community_id is None:
            chosen = f(st.selectbox, t("ex.community"), "community_id", options=ids,
                       format_func=lambda i: next(f"{c['name']}（{c['district']}）" for c in communities if c["id"] == i))
        else:
            chosen = community_id
        c3, c4, c5 = st.columns(3)
        for_whom = None
        if redeem:
            for_whom = f(c3.selectbox, t("my.relation"), "family_member_id", options=[None, *[m["id"] for m in family]],
                         format_func=lambda i: t("rel.self") if i is None else next(
                             f"{m['name']}（{t('rel.' + m['relation'])}）" for m in family if m["id"] == i))
            requester = ""
        else:
            requester = f(c3.text_input, t("ex.requester"), "requester_name", max_chars=20)
        phone = f(c4.text_input, t("ex.phone"), "requester_phone", max_chars=13)
        address = f(c5.text_input, t("ex.address"), "address", max_chars=100)
        c6, c7, c8 = st.columns(3)
        start_day = f(c6.date_input, t("ex.window_start"), "window_start", value=clock.today() + timedelta(days=1))
        start_time = f(c7.time_input, t("ex.window_time"), "window_time", value=time(9, 0), step=1800)
        urgency = f(c8.selectbox, t("ex.urgency"), "urgency", options=[1, 2, 3], format_func=lambda u: t(f"urgency.{u}"))
        c9, c10 = st.columns(2)
        minutes = f(c9.number_input, t("my.redeem_minutes") if redeem else t("ex.est_minutes"), "est_minutes",
                    min_value=15, max_value=480, value=60, step=15)
        expires = f(c10.date_input, t("ex.expires"), "expires_at", value=clock.today() + timedelta(days=7))
        if st.form_submit_button(submit, type="primary", key=f"{f.form}.submit"):
            data = {"title": title, "category": category, "description": description, "community_id": chosen,
                    "requester_name": requester, "requester_phone": phone, "address": address,
                    "window_start": datetime.combine(start_day, start_time), "urgency": urgency,
                    "est_minutes": minutes, "expires_at": datetime.combine(expires, time(23, 59))}
            if redeem:
                data.update(relation="self" if for_whom is None else "", family_member_id=for_whom)
            return data
    return None


def need_card(r: dict, names: dict[str, str]) -> None:
    """One need as a bordered card: title, state, where, who, when; contact only if visible."""
    age = clock.now() - clock.parse(r["created_at"])
    posted = t("ex.age_days", days=age.days) if age.days else t("ex.age_hours", hours=age.seconds // 3600)
    st.markdown(f"**{plain(r['title'])}** · {t('urgency.' + str(r['urgency']))} · {t('exst.' + r['shown_status'])}")
    parts = [names.get(r["category"], r["category"]), plain(r["community"]), posted]
    if r.get("claimer"):
        parts.append(t("ex.claimed_by", name=plain(r["claimer"])))
    if r.get("offerer"):
        parts.append(t("ex.offered_by", name=plain(r["offerer"])))
    st.caption(" · ".join(parts))
    if r.get("window_start") or r.get("est_minutes"):
        st.markdown(wanted_text(r["window_start"], r["est_minutes"]))
    contact = " · ".join(plain(x) for x in (r["requester_name"], r["requester_phone"], r["address"]) if x)
    if r["description"] or contact:
        st.write(" · ".join(x for x in (plain(r["description"]), contact) if x))
    if r.get("contacts_visible") and r["requester_phone"]:
        number = r["requester_phone"].split(",")[0].replace("-", "").strip()
        st.link_button(t("ex.call_requester"), f"tel:{number}", icon=":material/call:")


def wanted_text(window_start: str | None, minutes: int | None) -> str:
    """希望 12月3日 09:00，约 60 分钟: when the resident wants help and for how long."""
    if window_start:
        moment = datetime.fromisoformat(window_start)
        when = f"{day_text(moment)} {moment:%H:%M}"
    else:
        when = "—"
    return t("ex.wanted", when=when, minutes=minutes or "—")
