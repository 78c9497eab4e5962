"""Volunteers (coordinators: own community; admins: all): roster, sign-up review, direct entry."""

import math

import streamlit as st

from components.usertext import plain
from components.numbers import hours_text
from components.auth import session_actor
from components.data import get_db
from components.feedback import Fields, attempt
from components.forms import volunteer_form, weekday_name
from components.i18n import t
from components.tables import category_names, show_records
from db.categories import list_categories
from db.communities import list_communities
from db.ledger import list_records
from db.volunteers import (PAGE_SIZE, age, approve_signup, get_volunteer, pending_signups, register,
                           reject_signup, search, set_active, star_level, star_thresholds)
from components.certificate import certificate_panel
from db.permissions import may

db, actor = get_db(), session_actor()
categories = list_categories(db)
names = category_names(categories)
thresholds = star_thresholds(db)
communities = [c for c in list_communities(db) if may(actor, "volunteers.read", c["id"])]

st.title(t("page.volunteers"))
# Stateful tabs (key + rerun): the open tab survives reruns and only its content runs.
roster_tab, pending_tab, register_tab = st.tabs(
    [t("roster.tab"), t("roster.pending_tab"), t("roster.register_tab")], key="volunteer_tabs", on_change="rerun")

with roster_tab:
    if roster_tab.open:
        c1, c2, c3, c4, c5 = st.columns([3, 2, 2, 2, 1])
        text = c1.text_input(t("roster.search"), max_chars=40)
        community = c2.selectbox(t("vol.community"), [None, *communities],
                                 format_func=lambda c: t("roster.all") if c is None else c["name"],
                                 disabled=len(communities) < 2)
        skill = c3.selectbox(t("vol.skills"), [None, *names], format_func=lambda s: t("roster.all") if s is None else names[s])
        status = c4.selectbox(t("vol.status"), [None, "active", "pending", "inactive", "rejected"],
                              format_func=lambda s: t("roster.all") if s is None else t("status." + s))
        stars = c5.selectbox(t("vol.stars"), [None, *range(len(thresholds) + 1)],
                             format_func=lambda s: t("roster.all") if s is None else "★" * s or "0")
        filters = dict(text=text, community_id=community["id"] if community else None, skill=skill,
                       status=status, stars=stars)
        page = st.session_state.get("roster_page", 1)
        rows, total = search(db, actor, page=page - 1, **filters)
        pages = max(1, math.ceil(total / PAGE_SIZE))
        if page > pages:  # the filters changed under a later page: start again at page 1
            page = st.session_state["roster_page"] = 1
            rows, total = search(db, actor, page=0, **filters)
        if pages > 1:
            st.number_input(t("roster.page"), min_value=1, max_value=pages, step=1, key="roster_page")
        st.caption(t("roster.count", total=total, page=page, pages=pages) + " · " + t("roster.masked_note"))
        if not rows:
            st.info(t("roster.empty"))
        else:
            st.dataframe([{t("vol.number"): r["number"] or "—", t("vol.real_name"): r["real_name"],
                           t("vol.gender"): t("gender." + r["gender"]), t("roster.age"): age(r["birth_year"]),
                           t("vol.id_number"): r["id_masked"], t("vol.phone"): r["phone"],
                           t("vol.community"): r["community"], t("vol.status"): t("status." + r["status"]),
                           t("vol.hours"): r["approved_minutes"] // 6 / 10,
                           t("vol.stars"): "★" * star_level(r["approved_minutes"] / 60, thresholds) or "—"} for r in rows],
                         hide_index=True)
            chosen = st.selectbox(t("roster.detail"), [None, *rows],
                                  format_func=lambda r: "—" if r is None else f"{r['real_name']} · {r['number'] or t('status.pending')}")
            if chosen:
                v = get_volunteer(db, actor, chosen["id"])
                hours = v["approved_minutes"] / 60
                st.subheader(f"{plain(v['real_name'])} · {v['number'] or t('status.' + v['status'])}")
                m1, m2, m3, m4 = st.columns(4)
                m1.metric(t("vol.hours"), hours_text(v["approved_minutes"]))
                m2.metric(t("vol.stars"), "★" * star_level(hours, thresholds) or "—")
                m3.metric(t("vol.phone"), v["phone"])
                m4.metric(t("vol.id_number"), v["id_masked"])
                st.write(f"**{t('vol.skills')}**: {'、'.join(names.get(s, s) for s in v['skills']) or '—'} · "
                         f"**{t('vol.days')}**: {'、'.join(weekday_name(d) for d in v['availability'].get('days', [])) or '—'} · "
                         f"**{t('vol.parts')}**: {'、'.join(t('part.' + p) for p in v['availability'].get('parts', [])) or '—'}")
                if v["status"] in ("active", "inactive"):
                    label = t("roster.deactivate") if v["status"] == "active" else t("roster.activate")
                    if st.button(label, key=f"status_{v['id']}"):
                        attempt(lambda: set_active(db, actor, v["id"], v["status"] != "active"), "roster.status_changed")
                records, _ = list_records(db, actor, volunteer_id=v["id"], page_size=200)
                st.markdown(f"**{t('roster.records')}**")
                show_records(records, names, with_volunteer=False)
                if v["number"]:
                    certificate_panel(db, actor, v["id"], key=f"cert_{v['id']}", heading=t("cert.for_volunteer"))

def keep_login(p: dict, result: dict) -> dict:
    if result["password"]:
        st.session_state.setdefault("issued_logins", []).append({
            t("vol.real_name"): p["real_name"], t("roster.number"): result["number"],
            t("col.username"): result["username"], t("roster.one_time_password"): result["password"]})
    return result


def issued_text(issued: list[dict]) -> str:
    """The list to print and hand out: one line per person."""
    return "\n".join("  ".join(str(v) for v in row.values()) for row in issued) + "\n"


with pending_tab:
    if pending_tab.open:
        pending = pending_signups(db, actor)
        st.caption(t("roster.pending_count", n=len(pending)))
        if not pending:
            st.info(t("roster.no_pending"))
        issued = st.session_state.setdefault("issued_logins", [])
        if issued:
            # Every one-time password of this sitting, until the coordinator clears them: approving the
            # next sign-up no longer hides the last one's password.
            st.markdown(f"**{t('roster.issued', n=len(issued))}**")
            st.dataframe(issued, hide_index=True)
            d1, d2 = st.columns([1, 3])
            d1.download_button(t("roster.issued_download"), data=issued_text(issued), file_name="linli-logins.txt",
                               mime="text/plain", key="issued_download")
            if d2.button(t("roster.issued_clear"), key="issued_clear"):
                st.session_state["issued_logins"] = []
                st.rerun()
        for p in pending:
            with st.container(border=True):
                st.markdown(f"**{plain(p['real_name'])}** · {t('gender.' + p['gender'])} · {age(p['birth_year'])} · "
                            f"{p['id_masked']} · {p['phone']} · {plain(p['community'])} · {p['created_at'][:10]}")
                offered = [" ".join(names.get(k, k) for k in p["skills"]) or "—",
                           "、".join(weekday_name(d) for d in p["availability"].get("days", [])) or "—",
                           "、".join(t("part." + x) for x in p["availability"].get("parts", [])) or "—"]
                st.markdown(t("roster.offers", skills=offered[0], days=offered[1], parts=offered[2]))
                if p["notes"]:
                    st.caption(plain(p["notes"]))
                c1, c2 = st.columns(2)
                with c1.form(f"approve_{p['id']}"):
                    login = st.checkbox(t("roster.create_login"), value=True)
                    if st.form_submit_button(t("roster.approve"), type="primary"):
                        # The one-time password is shown once, in the message of the next run; only
                        # its hash is stored.
                        attempt(lambda: keep_login(p, approve_signup(db, actor, p["id"], create_login=login)),
                                lambda r: t("roster.approved_login" if r["password"] else "roster.approved", **r))
                with c2.form(f"reject_{p['id']}"):
                    reason = st.text_input(t("roster.reason"), max_chars=200)
                    if st.form_submit_button(t("roster.reject")):
                        attempt(lambda: reject_signup(db, actor, p["id"], reason), "roster.rejected")

with register_tab:
    if register_tab.open:
        fields = Fields("register")
        data = volunteer_form(fields, communities, categories, consent=False, submit_label=t("form.create"))
        if data:
            attempt(lambda: register(db, actor, data), "roster.registered", fields=fields)
