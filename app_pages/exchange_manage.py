"""Manage needs (coordinators: own community; admins: all): review public posts, post for
residents who do not use phones, match and assign volunteers, confirm done needs, cancel; enter a
resident's rating given by phone, and share a rating's comment with the volunteer."""

import streamlit as st

from components.usertext import plain
from components.numbers import hours_text
from components.auth import session_actor
from components.data import get_db
from components.exchange_ui import need_card, need_form
from components.feedback import Fields, attempt
from components.i18n import lang, t
from components.voice_ui import rating_form, stars_text
from db import clock
from db.assessment import ratings
from db.categories import list_categories
from db.communities import list_communities
from db.exchange import board, cancel, claim, confirm, moderate, post_need, suggestions
from db.permissions import community_filter

db, actor = get_db(), session_actor()
st.title(t("page.exchange_manage"))
names = {c["code"]: c["name_zh"] if lang() == "zh" else c["name_en"] for c in list_categories(db)}
scope = community_filter(actor, "needs.moderate")
communities = [c for c in list_communities(db) if scope in (None, c["id"])]

tabs = st.tabs([t("man.moderate"), t("man.post"), t("man.match"), t("man.confirm"), t("man.cancel"), t("rate.tab")],
               key="manage_tabs", on_change="rerun")
moderate_tab, post_tab, match_tab, confirm_tab, cancel_tab, ratings_tab = tabs

with moderate_tab:
    if moderate_tab.open:
        pending = board(db, actor, "need", scope, status="pending")
        if not pending:
            st.info(t("man.nothing"))
        for r in pending:
            with st.container(border=True):
                need_card(r, names)
                c1, c2, c3 = st.columns([1, 1, 3])
                reason = c3.text_input(t("roster.reason"), key=f"why_{r['id']}", max_chars=200)
                if c1.button(t("man.approve"), key=f"ok_{r['id']}", type="primary"):
                    attempt(lambda: moderate(db, actor, r["id"], True), "man.moderated")
                if c2.button(t("man.reject"), key=f"no_{r['id']}"):
                    attempt(lambda: moderate(db, actor, r["id"], False, reason), "man.moderated")

with post_tab:
    if post_tab.open:
        fields = Fields("post_for_resident")
        data = need_form(fields, communities, names, community_id=scope, submit=t("ex.post"))
        if data:
            attempt(lambda: post_need(db, actor, data), "ex.posted", fields=fields)

with match_tab:
    if match_tab.open:
        open_needs = [r for r in board(db, actor, "need", scope, status="open")]
        chosen = st.selectbox(t("man.pick_need"), [None, *[r["id"] for r in open_needs]],
                              format_func=lambda i: "—" if i is None else next(
                                  f"#{r['id']} {r['title']} · {names[r['category']]} · {r['community']} · {t('urgency.' + str(r['urgency']))}"
                                  for r in open_needs if r["id"] == i))
        if chosen:
            need_card(next(r for r in open_needs if r["id"] == chosen), names)
            st.markdown(f"**{t('man.suggested')}**")
            people = suggestions(db, actor, chosen)
            if not people:
                st.info(t("man.no_suggestions"))
            for v in people:
                c1, c2 = st.columns([4, 1])
                c1.write(f"{plain(v['real_name'])} · {v['number']} · {t('man.fits') + ' ✓' if v['fits'] else ''} · "
                         f"{t('man.last_served')} {v['last_served'] or '—'} · "
                         f"{t('man.recent_hours')} {hours_text(v['recent_minutes'])}")
                if c2.button(t("man.assign"), key=f"assign_{chosen}_{v['id']}"):
                    attempt(lambda: claim(db, actor, chosen, v["id"]), "man.assigned")

with confirm_tab:
    if confirm_tab.open:
        done = board(db, actor, "need", scope, status="done")
        if not done:
            st.info(t("man.nothing"))
        for r in done:
            with st.container(border=True):
                need_card(r, names)
                st.caption(t("man.actual", minutes=r["actual_minutes"]))
                if st.button(t("man.confirm"), key=f"confirm_{r['id']}", type="primary"):
                    attempt(lambda: confirm(db, actor, r["id"]), lambda record: t("man.confirmed", id=record))

with cancel_tab:
    if cancel_tab.open:
        live = [r for s in ("pending", "open", "claimed") for r in board(db, actor, "need", scope, status=s)]
        chosen = st.selectbox(t("man.pick_need"), [None, *[r["id"] for r in live]], key="cancel_pick",
                              format_func=lambda i: "—" if i is None else next(
                                  f"#{r['id']} {r['title']} · {t('exst.' + r['shown_status'])}" for r in live if r["id"] == i))
        reason = st.text_input(t("roster.reason"), key="cancel_reason", max_chars=200)
        if chosen and st.button(t("man.cancel")):
            attempt(lambda: cancel(db, actor, chosen, reason), "man.cancelled")

with ratings_tab:
    if ratings_tab.open:
        waiting = ratings.to_rate(db, actor)
        st.markdown(f"**{t('rate.waiting', n=len(waiting))}**")
        st.caption(t("rate.on_behalf_intro"))
        for r in waiting[:20]:
            with st.expander(f"#{r['id']} {plain(r['title'])} · {plain(r['community'])} · {plain(r['claimer'] or '—')}"
                             f" · {clock.shown(r['confirmed_at'])}"):
                rating_form(f"rate_{r['id']}", lambda data, rid=r["id"]: ratings.rate(db, actor, rid, data), on_behalf=True)
        st.markdown(f"**{t('rate.given')}**")
        where = scope or st.selectbox(t("dir.community"), [c["id"] for c in communities], key="rate_community",
                                      format_func=lambda i: next(c["name"] for c in communities if c["id"] == i))
        given = ratings.of_community(db, actor, where)
        if not given:
            st.info(t("rate.none_yet"))
        for g in given:
            c1, c2 = st.columns([5, 1], vertical_alignment="center")
            line = [stars_text(g["stars"]), f"#{g['request_id']} {plain(g['title'])}", plain(g["volunteer"] or "—"),
                    clock.shown(g["rated_at"])]
            if g["on_behalf"]:
                line.append(t("rate.by_staff"))
            c1.markdown(" · ".join(line) + (f"  \n{plain(g['comment'])}" if g["comment"] else ""))
            if g["comment"]:
                label = t("rate.unshare") if g["shared"] else t("rate.share")
                if c2.button(label, key=f"share_{g['id']}"):
                    attempt(lambda: ratings.share(db, actor, g["id"], not g["shared"]), "rate.shared_done")
