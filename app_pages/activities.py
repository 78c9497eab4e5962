"""志愿活动 (everyone): upcoming activities by community and category, each with its shifts and
places left and an .ics for the phone's calendar; a volunteer 报名 in one tap (or joins the waiting
list), cancels, and sees their own activities with attendance and hours."""

import streamlit as st

from components.activity_ui import activity_header, shift_text, signup_cards
from components.auth import session_actor
from components.data import get_db
from components.feedback import attempt
from components.i18n import t
from components.tables import category_names
from components.links import public_base
from db.activities import cancel_signup, mine, shifts_of, sign_up, to_ical, upcoming
from db.categories import list_categories
from db.communities import list_communities

db, actor = get_db(), session_actor()
st.title(t("page.activities"))
names = category_names(list_categories(db))
communities = list_communities(db)
volunteer = actor.volunteer_id is not None
my_rows = mine(db, actor) if volunteer else []
my_shifts = {r["shift_id"]: r for r in my_rows}


def _joined(result: dict) -> str:
    return t("act.confirmed_msg") if result["status"] == "confirmed" else t("act.waitlisted_msg", n=result["place_in_line"])


def upcoming_list() -> None:
    c1, c2 = st.columns(2)
    ids = [c["id"] for c in communities]
    community = c1.selectbox(t("act.community"), [None, *ids],
                             index=(ids.index(actor.community_id) + 1) if actor.community_id in ids else 0,
                             format_func=lambda i: t("act.all") if i is None else next(c["name"] for c in communities if c["id"] == i),
                             key="act.community")
    category = c2.selectbox(t("act.category"), [None, *names], format_func=lambda c: t("act.all") if c is None else names[c],
                            key="act.category")
    rows = upcoming(db, community, category)
    wanted = st.query_params.get("id")  # an .ics or a notification links to one activity
    if wanted and wanted.isdigit():
        rows = [r for r in rows if r["id"] == int(wanted)] or rows
    if not rows:
        st.info(t("act.none"))
    shifts = shifts_of(db, [r["id"] for r in rows])
    for a in rows:
        with st.container(border=True):
            activity_header(a, names)
            for s in shifts.get(a["id"], []):
                left, right = st.columns([3, 1], vertical_alignment="center")
                left.markdown(shift_text(s))
                with right:
                    shift_action(a, s)
            if not volunteer:
                st.caption(t("act.login_to_join"))
            elif a["community_id"] != actor.community_id:
                st.caption(t("act.other_community"))
            url = f"{public_base()}/activities?id={a['id']}"
            # made when pressed (a lambda), not for every card on every run
            st.download_button(t("act.ics"), lambda a=a, url=url: to_ical({**a, "shifts": shifts.get(a["id"], [])},
                                                                          a["community"], url), file_name=f"activity-{a['id']}.ics",
                               mime="text/calendar", key=f"ics_{a['id']}", icon=":material/event:")


def shift_action(a: dict, s: dict) -> None:
    """The one button a volunteer of the community has for a shift: 报名, 候补报名, or cancel."""
    if not volunteer or a["community_id"] != actor.community_id:
        return
    held = my_shifts.get(s["id"])
    if held is None:
        full = s["confirmed"] >= s["slots"]
        if st.button(t("act.join_waitlist" if full else "act.sign_up"), key=f"join_{s['id']}",
                     type="secondary" if full else "primary", width="stretch"):
            attempt(lambda: sign_up(db, actor, s["id"]), _joined)
    else:
        waiting = held["status"] == "waitlist"
        st.caption(t("act.in_line", n=held["place_in_line"]) if waiting else t("act.signed_up"))
        if st.button(t("act.leave_waitlist" if waiting else "act.cancel"), key=f"leave_{s['id']}",
                     width="stretch"):
            attempt(lambda: cancel_signup(db, actor, held["id"]), "act.cancelled_msg")


if volunteer:
    up_tab, mine_tab = st.tabs([t("act.upcoming"), t("act.mine")], key="activity_tabs", on_change="rerun")
    with up_tab:
        if up_tab.open:
            upcoming_list()
    with mine_tab:
        if mine_tab.open:
            if not my_rows:
                st.info(t("act.mine_none"))
            signup_cards(my_rows)
else:
    upcoming_list()
