"""Manage outlets (coordinators: own community; admins: all): add, edit, close, re-verify;
import and export (our CSV and HSDS); admins also keep the holiday calendar."""

from datetime import date

import streamlit as st

from components.auth import session_actor
from components.data import get_db
from components.feedback import Fields, attempt
from components.hours_editor import hours_editor
from components.imports import import_preview
from components.i18n import lang, t
from components.spreadsheet import neutralise, read_table, to_csv
from components.usertext import plain
from db import outlet_transfer
from db.assessment import corrections
from db.calendar import overrides as calendar_overrides
from db.communities import list_communities
from db.models import OUTLET_STATUSES
from db.outlets import categories, create_outlet, get_outlet, pause, search, set_status, update_outlet, verify
from db import clock
from db.permissions import community_filter, may

STALE_SHOWN = 50  # a page of work; the rest waits (the tab says how many)
db, actor = get_db(), session_actor()
st.title(t("page.outlets_admin"))
cats = categories(db)
cat_name = {c["code"]: c["name_zh"] if lang() == "zh" else c["name_en"] for c in cats}
communities = [c for c in list_communities(db) if may(actor, "outlets.manage", c["id"])]
community_name = {c["id"]: c["name"] for c in communities}
if not communities:  # a new installation before its communities are entered
    st.info(t("man.nothing"))
    st.stop()


def outlet_form(f: Fields, current: dict | None = None) -> dict | None:
    """The outlet's fields; a refused save keeps them and says beside each what is wrong."""
    current = current or {}
    with st.form(f.form, clear_on_submit=False):
        c1, c2 = st.columns(2)
        name = f(c1.text_input, t("out.name"), "name", value=current.get("name", ""), max_chars=60)
        category = f(c2.selectbox, t("dir.category"), "category", options=list(cat_name), format_func=cat_name.get,
                     index=list(cat_name).index(current["category"]) if current else 0)
        c3, c4 = st.columns(2)
        ids = list(community_name)
        community = f(c3.selectbox, t("dir.community"), "community_id", options=ids, format_func=community_name.get,
                      index=ids.index(current["community_id"]) if current.get("community_id") in ids else 0)
        address = f(c4.text_input, t("out.address"), "address", value=current.get("address", ""), max_chars=100)
        c5, c6 = st.columns(2)
        first = next((c for c in communities if c["id"] == current.get("community_id")), communities[0])
        lat = f(c5.number_input, t("col.lat"), "lat", value=float(current.get("lat", first["lat"])), format="%.6f")
        lon = f(c6.number_input, t("col.lon"), "lon", value=float(current.get("lon", first["lon"])), format="%.6f")
        phones = f(st.text_input, t("out.phones"), "phones", value=current.get("phones", ""), max_chars=100)
        st.markdown(f"**{t('out.hours')}**")
        hours = hours_editor(f.form, current.get("opening_hours", ""), calendar_overrides(db))
        f.slot("opening_hours")
        services = f(st.text_input, t("out.services"), "services", value=current.get("services", ""), max_chars=200)
        c7, c8 = st.columns(2)
        status = f(c7.selectbox, t("out.status"), "status", options=OUTLET_STATUSES,
                   format_func=lambda s: t("status." + s), index=OUTLET_STATUSES.index(current.get("status", "open")))
        verified = f(c8.date_input, t("out.verified"), "last_verified",
                     value=date.fromisoformat(current["last_verified"]) if current.get("last_verified") else clock.today(),
                     max_value=clock.today())
        accessibility = f(st.text_input, t("out.accessibility"), "accessibility", value=current.get("accessibility", ""),
                          max_chars=200)
        if st.form_submit_button(t("form.save"), type="primary", key=f"{f.form}.submit"):
            return {"name": name, "category": category, "community_id": community, "address": address, "lat": lat,
                    "lon": lon, "phones": phones, "opening_hours": hours, "services": services, "status": status,
                    "last_verified": verified, "accessibility": accessibility,
                    "source": current.get("source") or actor.username}
    return None


reports, old = corrections.queue(db, actor), corrections.stale(db, actor)
# The tabs' labels stay the same whatever waits (the chosen tab is kept by its label); the counts
# are inside, and the navigation counts the reports.
edit_tab, fix_tab, stale_tab, transfer_tab = st.tabs(
    [t("out.tab_edit"), t("fix.tab"), t("fix.stale_tab"), t("out.tab_import")], key="outlets_tabs", on_change="rerun")

with fix_tab:
    if fix_tab.open:
        st.markdown(f"**{t('fix.waiting', n=len(reports))}**")
        st.caption(t("fix.queue_intro"))
        if not reports:
            st.info(t("fix.queue_empty"))
        for r in reports[:STALE_SHOWN]:
            with st.container(border=True):
                st.markdown(f"**{plain(r['name'])}** · {plain(r['community'])} · {t('fix.' + r['kind'])}")
                if r["detail"]:
                    st.markdown(plain(r["detail"]))
                st.caption(" · ".join([t("fix.reported_at", at=clock.shown(r["reported_at"])),
                                       t("fix.contact_is", phone=r["contact"]) if r["contact"] else t("fix.no_contact"),
                                       t("dir.verified", day=r["last_verified"]) if r["last_verified"] else t("dir.never_verified")]))
                with st.expander(t("fix.accept")):
                    f = Fields(f"accept_{r['correction_id']}")
                    data = outlet_form(f, r)
                    if data:
                        attempt(lambda: corrections.accept(db, actor, r["correction_id"], data), "fix.accepted", fields=f)
                f = Fields(f"reject_{r['correction_id']}")
                with st.form(f.form, clear_on_submit=False):
                    reason = f(st.text_input, t("fix.reject_reason"), "reason", max_chars=200)
                    if st.form_submit_button(t("fix.reject"), key=f"{f.form}.submit"):
                        attempt(lambda: corrections.reject(db, actor, r["correction_id"], reason), "fix.rejected", fields=f)

with stale_tab:
    if stale_tab.open:
        st.markdown(f"**{t('fix.stale_count', n=len(old))}**")
        st.caption(t("fix.stale_intro", days=corrections.STALE_DAYS))
        if not old:
            st.info(t("fix.stale_none"))
        for r in old[:STALE_SHOWN]:
            c1, c2 = st.columns([4, 1], vertical_alignment="center")
            c1.markdown(f"**{plain(r['name'])}** · {plain(r['community'])} · {plain(r['phones']) or '—'} · "
                        + (t("dir.verified", day=r["last_verified"]) if r["last_verified"] else t("dir.never_verified")))
            if c2.button(t("fix.still_true"), key=f"still_{r['id']}"):
                attempt(lambda: verify(db, actor, r["id"]), "out.verified_done")
        if len(old) > STALE_SHOWN:
            st.caption(t("fix.more", n=len(old) - STALE_SHOWN))

with edit_tab:
    if edit_tab.open:
        # One above the other: the week of opening hours needs the page's width.
        with st.expander(t("out.add"), expanded=False):
            f = Fields("add_outlet")
            data = outlet_form(f)
            if data:
                attempt(lambda: create_outlet(db, actor, data), "out.saved", fields=f)
        st.subheader(t("out.edit"))
        mine = search(db, community_id=community_filter(actor, "outlets.manage"), include_closed=True)
        # Labels by id, made once: a search per option is quadratic (5,000 outlets: a second).
        labels = {r["id"]: f"{r['name']} · {r['community']} · {t('status.' + r['status'])}" for r in mine}
        chosen = st.selectbox(t("out.pick"), [None, *labels], format_func=lambda i: "—" if i is None else labels[i])
        if chosen:
            current = get_outlet(db, chosen)
            b1, b2 = st.columns(2)
            if b1.button(t("out.verify"), key=f"verify_{chosen}"):
                attempt(lambda: verify(db, actor, chosen), "out.verified_done")
            if current["status"] == "open":
                if b2.button(t("out.close"), key=f"close_{chosen}"):
                    attempt(lambda: set_status(db, actor, chosen, "closed"), "out.status_done")
                f = Fields(f"pause_{chosen}")
                with st.form(f.form, clear_on_submit=False):
                    p1, p2 = st.columns(2)
                    reason = f(p1.text_input, t("out.pause_reason"), "reason", max_chars=30)
                    until = f(p2.date_input, t("out.pause_until"), "until", value=None, min_value=clock.today())
                    if st.form_submit_button(t("out.pause"), key=f"{f.form}.submit"):
                        attempt(lambda: pause(db, actor, chosen, {"reason": reason, "until": until}),
                                "out.pause_done", fields=f)
            elif b2.button(t("out.reopen"), key=f"reopen_{chosen}"):
                attempt(lambda: set_status(db, actor, chosen, "open"), "out.status_done")
            f = Fields(f"edit_outlet_{chosen}")
            data = outlet_form(f, current)
            if data:
                attempt(lambda: update_outlet(db, actor, chosen, data), "out.saved", fields=f)

with transfer_tab:
    if transfer_tab.open:
        fmt = st.radio(t("out.format"), ["linli", "hsds"], format_func=lambda f: t("out.format." + f), horizontal=True)
        upload = st.file_uploader(t("out.upload"), type=["csv", "xlsx"] if fmt == "linli" else ["zip"], key=f"outlets_{fmt}")
        if upload is not None:
            def read():
                if fmt == "linli":
                    return read_table(upload.name, upload.getvalue())
                return outlet_transfer.read_hsds(db, upload.getvalue())

            import_preview(read, lambda rows: outlet_transfer.preview(db, actor, rows),
                           lambda rows: outlet_transfer.commit(db, actor, rows), f"outlets_{fmt}")
        st.caption(t("transfer.formula_note"))
        c1, c2 = st.columns(2)
        c1.download_button(t("out.download_linli"), to_csv(outlet_transfer.export_rows(db, actor)),
                           file_name="outlets.csv", mime="text/csv")
        c2.download_button(t("out.download_hsds"), outlet_transfer.export_hsds(db, actor, neutralise),
                           file_name="outlets-hsds.zip", mime="application/zip")
