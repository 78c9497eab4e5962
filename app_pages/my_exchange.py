"""My services and time bank (volunteers): needs I claimed (done, release), offer a service,
the time bank: balance, redeem for myself or family, confirm, and the statement."""

from datetime import datetime, timedelta

import streamlit as st

from components.usertext import plain
from components.numbers import hours_text
from components.auth import session_actor
from components.data import get_db
from components.exchange_ui import need_card, need_form
from components.feedback import Fields, attempt
from components.i18n import lang, t
from components.voice_ui import average_text, rating_form, stars_text
from db.assessment import ratings
from db.categories import list_categories
from db.communities import list_communities
from db.exchange import board, confirm, mark_done, my_claims, post_need, publish_offer, release
from db.timebank import add_family_member, available_minutes, balance, family, statement
from db import clock

db, actor = get_db(), session_actor()
st.title(t("page.my_exchange"))
volunteer_id = actor.volunteer_id
if volunteer_id is None:
    st.warning(t("my.not_linked"))
    st.stop()
names = {c["code"]: c["name_zh"] if lang() == "zh" else c["name_en"] for c in list_categories(db)}

claims_tab, offer_tab, bank_tab = st.tabs([t("my.claims"), t("my.offer"), t("my.timebank")], key="my_exchange_tabs",
                                          on_change="rerun")
with claims_tab:
    if claims_tab.open:
        voice = ratings.of_volunteer(db, actor, volunteer_id)
        st.markdown(f"**{t('rate.mine')}** {average_text(voice['average'], voice['count'])}")
        for g in voice["shared"]:
            st.caption(f"{stars_text(g['stars'])} · {plain(g['comment'])} · {clock.shown(g['rated_at'])}")
        mine = my_claims(db, actor)
        if not mine:
            st.info(t("man.nothing"))
        for r in mine:
            with st.container(border=True):
                r["shown_status"] = r["status"]
                need_card({**r, "claimer": None, "offerer": None}, names)
                if r["status"] == "claimed":
                    with st.form(f"done_{r['id']}"):
                        minutes = st.number_input(t("my.actual_minutes"), min_value=1, max_value=1440,
                                                  value=int(r["est_minutes"]), step=15)
                        if st.form_submit_button(t("my.done"), type="primary"):
                            attempt(lambda: mark_done(db, actor, r["id"], int(minutes)), "my.marked_done")
                    with st.form(f"release_{r['id']}"):
                        reason = st.text_input(t("roster.reason"), max_chars=200)
                        if st.form_submit_button(t("my.release")):
                            attempt(lambda: release(db, actor, r["id"], reason), "my.released")

with offer_tab:
    if offer_tab.open:
        with st.form("offer"):
            title = st.text_input(t("ex.title"), max_chars=60)
            category = st.selectbox(t("ex.category"), list(names), format_func=names.get)
            description = st.text_area(t("ex.description"), max_chars=500, height=80)
            until = st.date_input(t("ex.expires"), value=(clock.now() + timedelta(days=30)).date())
            if st.form_submit_button(t("my.offer"), type="primary"):
                attempt(lambda: publish_offer(db, actor, {"title": title, "category": category, "description": description,
                                                          "expires_at": datetime.combine(until, datetime.max.time())}),
                        "my.offer_done")

with bank_tab:
    if bank_tab.open:
        c1, c2 = st.columns(2)
        c1.metric(t("my.balance_total"), f"{hours_text(balance(db, volunteer_id))} h")
        c2.metric(t("my.balance"), f"{hours_text(available_minutes(db, volunteer_id))} h")
        relatives = family(db, actor)
        with st.expander(t("my.redeem")):
            communities = list_communities(db)
            redeem_fields = Fields("redeem")
            data = need_form(redeem_fields, communities, names, community_id=actor.community_id, family=relatives,
                             submit=t("ex.post"))
            if data:
                member = data.pop("family_member_id")  # post_need fills the family member's details
                attempt(lambda: post_need(db, actor, data, redeem_minutes=data["est_minutes"], family_member_id=member),
                        "my.redeemed", fields=redeem_fields, minutes=data["est_minutes"])
        with st.expander(t("my.family")):
            for f in relatives:
                st.write(f"{plain(f['name'])} · {t('rel.' + f['relation'])} · {plain(f['phone']) or '—'} · {plain(f['address']) or '—'}")
            f = Fields("family")
            with st.form(f.form, clear_on_submit=False):
                c1, c2 = st.columns(2)
                name = f(c1.text_input, t("dm.name"), "name", max_chars=20)
                relation = f(c2.selectbox, t("my.relation"), "relation",
                             options=["parent", "spouse", "child", "grandparent", "sibling", "other"],
                             format_func=lambda r: t("rel." + r))
                c3, c4 = st.columns(2)
                phone = f(c3.text_input, t("ex.phone"), "phone", max_chars=13)
                address = f(c4.text_input, t("ex.address"), "address", max_chars=100)
                if st.form_submit_button(t("my.add_family"), key="family.submit"):
                    attempt(lambda: add_family_member(db, actor, {"name": name, "relation": relation, "phone": phone,
                                                                  "address": address}), "my.family_added", fields=f)
        for_me = [r for r in board(db, actor, "need", actor.community_id, status="done") if r["redeemer_id"] == volunteer_id]
        if for_me:
            st.markdown(f"**{t('my.confirm_for_me')}**")
            for r in for_me:
                with st.container(border=True):
                    need_card(r, names)
                    if st.button(t("man.confirm"), key=f"confirm_mine_{r['id']}"):
                        attempt(lambda: confirm(db, actor, r["id"]), lambda record: t("man.confirmed", id=record))
        for r in ratings.to_rate(db, actor):
            with st.expander(t("rate.yours", title=plain(r["title"]), who=plain(r["claimer"] or "—"))):
                rating_form(f"rate_mine_{r['id']}", lambda data, rid=r["id"]: ratings.rate(db, actor, rid, data))
        st.markdown(f"**{t('my.statement')}**")
        rows = statement(db, actor)
        st.dataframe([{t("st.day"): r["day"], t("st.kind"): t("st." + r["kind"]), t("st.what"): r["what"],
                       t("st.minutes"): r["minutes"], t("st.balance"): r["balance"]} for r in reversed(rows)],
                     hide_index=True)
