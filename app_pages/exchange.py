"""The exchange board (everyone): needs sorted by urgency then age, offers; residents ask for
help or request an offer (moderated); volunteers claim open needs of their community."""

import streamlit as st

from components.auth import session_actor
from components.data import get_db
from components.exchange_ui import need_card, need_form, wanted_text
from components.feedback import Fields, attempt, show_error
from components.usertext import plain
from components.i18n import lang, t
from db.categories import list_categories
from db.communities import list_communities
from db.errors import LinliError
from components.voice_ui import rating_form, stars_text
from db.assessment import ratings
from db.exchange import board, claim, post_need, reference, request_offer, track
from db import clock
from db.permissions import COMMUNITY, scope

db, actor = get_db(), session_actor()
st.title(t("page.exchange"))
names = {c["code"]: c["name_zh"] if lang() == "zh" else c["name_en"] for c in list_categories(db)}
communities = list_communities(db)
mine = actor.volunteer_id
my_community = actor.community_id

if st.query_params.get("tab") == "post" and "exchange_tabs" not in st.session_state:
    st.session_state["exchange_tabs"] = t("ex.post")  # the home page's 我要求助 opens the form
needs_tab, offers_tab, post_tab, track_tab = st.tabs([t("ex.needs"), t("ex.offers"), t("ex.post"), t("ex.track")],
                                                     key="exchange_tabs", on_change="rerun")
with needs_tab:
    if needs_tab.open:
        c1, c2, c3, c4 = st.columns(4)
        ids = [c["id"] for c in communities]
        community = c1.selectbox(t("ex.community"), [None, *ids], index=(ids.index(my_community) + 1) if my_community in ids else 0,
                                 format_func=lambda i: t("ex.all") if i is None else next(c["name"] for c in communities if c["id"] == i))
        category = c2.selectbox(t("ex.category"), [None, *names], format_func=lambda c: t("ex.all") if c is None else names[c])
        statuses = ["open", "claimed", "done", "confirmed", "expired", "cancelled"]
        status = c3.selectbox(t("ex.status"), [None, *statuses], format_func=lambda s: t("ex.all") if s is None else t("exst." + s))
        urgency = c4.selectbox(t("ex.urgency"), [None, 3, 2, 1], format_func=lambda u: t("ex.all") if u is None else t(f"urgency.{u}"))
        rows = board(db, actor, "need", community, category, status, urgency)
        if not rows:
            st.info(t("ex.none"))
        for r in rows:
            with st.container(border=True):
                need_card(r, names)
                if mine and r["shown_status"] == "open" and r["community_id"] == my_community:
                    if st.button(t("ex.claim"), key=f"claim_{r['id']}", type="primary"):
                        attempt(lambda: claim(db, actor, r["id"]), "ex.claimed")

with offers_tab:
    if offers_tab.open:
        offers = [o for o in board(db, actor, "offer") if o["shown_status"] == "open"]
        if not offers:
            st.info(t("ex.none"))
        for o in offers:
            with st.container(border=True):
                need_card(o, names)
                if actor.role == "public":
                    with st.expander(t("ex.request_offer")):
                        with st.form(f"offer_{o['id']}"):
                            who = st.text_input(t("ex.requester"), max_chars=20)
                            phone = st.text_input(t("ex.phone"), max_chars=13)
                            address = st.text_input(t("ex.address"), max_chars=100)
                            if st.form_submit_button(t("ex.request_offer")):
                                from datetime import timedelta

                                attempt(lambda: request_offer(db, actor, o["id"], {
                                    "requester_name": who, "requester_phone": phone, "address": address,
                                    "expires_at": clock.now() + timedelta(days=14)}), "ex.requested")

with post_tab:
    if post_tab.open:
        if actor.role == "public":
            st.caption(t("ex.post_public_note"))
        fixed = my_community if scope(actor, "needs.post") is COMMUNITY else None
        fields = Fields("post_need")
        data = need_form(fields, communities, names, community_id=fixed, submit=t("ex.post"))
        if data:
            attempt(lambda: post_need(db, actor, data),
                    (lambda rid: t("ex.posted_reference", reference=reference(rid))) if actor.role == "public" else "ex.posted",
                    fields=fields)

with track_tab:
    if track_tab.open:
        st.caption(t("ex.track_intro"))
        f = Fields("track")
        with st.form(f.form, clear_on_submit=False):
            c1, c2 = st.columns(2)
            number = f(c1.text_input, t("ex.track_number"), "number", max_chars=12)
            phone = f(c2.text_input, t("ex.phone"), "phone", max_chars=13)
            asked = st.form_submit_button(t("ex.track_submit"), type="primary", key="track.submit")
        if asked:
            try:
                st.session_state["track_found"] = (track(db, actor, number, phone), number, phone)
            except LinliError as exc:
                st.session_state.pop("track_found", None)
                show_error(exc)
        # Kept for the session: the resident rates the need below without asking again.
        if st.session_state.get("track_found"):
            found, number, phone = st.session_state["track_found"]
            with st.container(border=True):
                st.markdown(f"**{plain(t('ex.track_result', reference=found['reference'], title=found['title']))}**")
                line = [t("exst." + found["status"]), plain(found["community"]), clock.shown(found["created_at"])]
                if found["claimer"]:
                    line.append(t("ex.track_claimed_by", name=plain(found["claimer"])))
                if found["reason"]:
                    line.append(t("ex.track_rejected", reason=plain(found["reason"])))
                st.markdown(" · ".join(line))
                st.markdown(wanted_text(found["window_start"], found["est_minutes"]))
                if found["status"] == "confirmed":
                    given = ratings.rated(db, [int(found["reference"][2:])])
                    if given:
                        st.markdown(t("rate.done", stars=stars_text(next(iter(given.values())))))
                    else:
                        st.markdown(f"**{t('rate.ask')}**")
                        rating_form("rate_track", lambda data: ratings.rate_by_resident(db, actor, number, phone, data))
