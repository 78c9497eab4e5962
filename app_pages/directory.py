"""The directory (everyone): search, filter, open now or at a time, nearest first, map.
Large type and few clicks: residents are often elderly and on phones. ?community=ID pre-filters
(the service card's QR code opens this)."""

from datetime import date, datetime, time, timedelta

import pandas as pd
import streamlit as st

from components.auth import session_actor
from components.usertext import plain
from components.voice_ui import report_correction
from components.calendar_note import unknown_year_warning
from components.charts import outlets_map
from components.daycare_ui import holiday_text
from components.near_me import near_me
from components.data import get_db
from components.i18n import day_text, lang, t
from db.calendar import HOLIDAY, MAKEUP, added_names, day_status, holiday_name, overrides
from db.communities import list_communities
from db.models import DISTRICTS
from db.outlets import categories, nearest_first, search, with_hours
from db import clock

PAGE = 10
db, actor = get_db(), session_actor()
st.title(t("page.directory"))
cats = categories(db)
cat_name = {c["code"]: c["name_zh"] if lang() == "zh" else c["name_en"] for c in cats}
communities = list_communities(db)
by_id = {c["id"]: c for c in communities}
wanted = st.query_params.get("community")
preset = int(wanted) if wanted and wanted.isdigit() and int(wanted) in by_id else None

# ?community=ID (the service card's QR code) preselects the community and the distance origin as the
# widgets' defaults, not by writing their session state: a rerun that the browser asks for before it has
# drawn the folded filters (a tap, the location component reporting in) sends the widgets' defaults back,
# and a preset kept only in session state was then lost (seen in Chromium one visit in ~25).
# ?category=pharmacy (the home page's 找药店) preselects the category the same way.
kinds = [None, *cat_name]
kind = st.query_params.get("category")

# Results first: one search box, then the filters folded. It opens on "open now" — at night a list
# that starts with closed banks helps nobody.
text = st.text_input(t("dir.search"), max_chars=40, key="dir_text")
spot = near_me("dir_near_me")  # the browser's location, if the resident allows it
here = spot if spot and "lat" in spot else None
if spot and "error" in spot:
    st.caption(t("dir.near_me_fallback"))
with st.expander(t("dir.filters"), expanded=False):
    c1, c2, c3 = st.columns(3)
    district = c1.selectbox(t("dir.district"), [None, *DISTRICTS], format_func=lambda d: d or t("dir.all"),
                            key="dir_district")
    choices = [None, *[c["id"] for c in communities if district in (None, c["district"])]]
    community = c2.selectbox(t("dir.community"), choices, index=choices.index(preset) if preset in choices else 0,
                             format_func=lambda i: t("dir.all") if i is None else by_id[i]["name"], key="dir_community")
    category = c3.selectbox(t("dir.category"), kinds, index=kinds.index(kind) if kind in kinds else 0, format_func=lambda c: t("dir.all") if c is None else cat_name[c],
                            key="dir_category")
    c4, c5, c6 = st.columns(3)
    when_mode = c4.radio(t("dir.when"), ["now", "at", "any"], format_func=lambda m: t("dir.when." + m), horizontal=True,
                         key="dir_when")
    now = clock.now()
    when = now
    if when_mode == "at":
        when = datetime.combine(c5.date_input(t("dir.at_date"), value=now.date(), key="dir_at_date"),
                                c6.time_input(t("dir.at_time"), value=time(now.hour, 0), key="dir_at_time"))
    origins = [None, *by_id]
    near = st.selectbox(t("dir.near"), origins, index=origins.index(preset),
                        format_func=lambda i: t("dir.near_none") if i is None else f"{by_id[i]['name']}（{by_id[i]['district']}）",
                        key="dir_near")
    show_closed = st.checkbox(t("dir.show_closed"), key="dir_show_closed")

added = overrides(db)
status = day_status(when.date(), added)
unknown_year_warning(db, [when.date()])
if status == HOLIDAY:
    st.info(t("dir.holiday_note", day=when.date().isoformat(), name=holiday_text(holiday_name(when.date(), added_names(db)))))
elif status == MAKEUP:
    st.info(t("dir.makeup_note", day=when.date().isoformat()))

rows = with_hours(db, search(db, text, district, community, category, include_closed=show_closed), when)
not_open = 0
if when_mode != "any":
    listed = len(rows)
    rows = [r for r in rows if r["open_now"] or r["state"] == "closed"]
    not_open = listed - len(rows)
if here:
    rows = nearest_first(rows, here["lat"], here["lon"])
elif near:
    rows = nearest_first(rows, by_id[near]["lat"], by_id[near]["lon"])
st.subheader(t("dir.found", n=len(rows)))
if here:
    st.caption(t("dir.sorted_from_you"))
if not_open:
    st.caption(t("dir.not_open_hidden", n=not_open))
on_day = when.date() != clock.today()
day_label = day_text(when)


def map_link(r) -> str:
    """Directions in the phone's map app (Amap's URI API, which opens the app or its web page);
    our coordinates are WGS-84, which the API converts."""
    # The name is percent-encoded byte by byte: whatever was typed into it stays a name, never an address.
    name = "".join(f"%{b:02X}" for b in r["name"].encode())
    return (f"https://uri.amap.com/marker?position={r['lon']:.6f},{r['lat']:.6f}&name={name}"
            "&coordinate=wgs84&callnative=1")


def badges(r) -> str:
    """The outlet's state in colour (and in words: colour is never the only sign)."""
    if r["state"] != "open":
        return f":{'red' if r['state'] == 'closed' else 'orange'}-badge[{t('dir.state.' + r['state'])}]"
    line = f":green-badge[{t('dir.open')}]" if r["open_now"] else f":gray-badge[{t('dir.closed')}]"
    return line + (f" :blue-badge[{t('dir.always_open')}]" if r["always_open"] else "")


def state_line(r) -> str:
    parts = [badges(r)]
    if r["state"] == "paused":
        if r["pause_reason"]:
            parts.append(t("dir.paused_why", reason=plain(r["pause_reason"])))
        if r["paused_until"]:
            back = date.fromisoformat(r["paused_until"]) + timedelta(days=1)
            parts.append(t("dir.paused_until", day=day_text(back)))
        else:
            parts.append(t("dir.paused_open_end"))
        return " · ".join(parts)
    if r["state"] == "closed" or r["always_open"]:
        return " · ".join(parts)
    if on_day:
        parts.append(t("dir.on_day", day=day_label, hours="、".join(r["today"])) if r["today"]
                     else t("dir.on_day_closed", day=day_label))
    else:
        parts.append(t("dir.today", hours="、".join(r["today"])) if r["today"] else t("dir.today_closed"))
    if r["next_change"]:
        moment = r["next_change"].strftime("%H:%M") if r["next_change"].date() == when.date() \
            else r["next_change"].strftime("%m-%d %H:%M")
        parts.append(t("dir.closes_at" if r["open_now"] else "dir.opens_at", time=moment))
    return " · ".join(parts)


list_tab, map_tab = st.tabs([t("dir.list"), t("dir.map")], key="directory_tabs", on_change="rerun")
with list_tab:
    if list_tab.open:
        if not rows:
            st.info(t("dir.none"))
        # A page of 10: a resident wants the nearest few, and every card costs a render (on a phone,
        # the difference between a list at once and a wait).
        shown = st.session_state.get("directory_shown", PAGE)
        for r in rows[:shown]:
            with st.container(border=True):
                distance = f" · {t('dir.distance', m=r['distance_m'])}" if "distance_m" in r else ""
                st.markdown(f"### {plain(r['name'])}")
                st.markdown(f"{cat_name.get(r['category'], r['category'])} · {plain(r['community'])} · {plain(r['address'])}{distance}")
                st.markdown(state_line(r))
                if r["services"]:
                    st.caption(plain(r["services"]))
                if r["state"] != "closed":  # a shop closed for good has no number to call, no way there
                    phones = [p for p in r["phones"].split(", ") if p]
                    buttons = st.columns(len(phones[:2]) + 1)
                    for column, phone in zip(buttons, phones[:2]):
                        column.link_button(t("dir.call", phone=phone), f"tel:{phone.replace('-', '')}",
                                           icon=":material/call:", use_container_width=True)
                    buttons[-1].link_button(t("dir.navigate"), map_link(r), icon=":material/directions:",
                                            use_container_width=True)
                # Is this still true? When someone last checked, and a way to say it is not.
                st.caption(t("dir.verified", day=r["last_verified"]) if r["last_verified"] else t("dir.never_verified"))
                report_correction(db, actor, r)
        if len(rows) > shown and st.button(t("dir.more", n=len(rows) - shown)):
            st.session_state["directory_shown"] = shown + PAGE
            st.rerun()
with map_tab:
    if map_tab.open:
        st.caption(t("dir.map_note"))
        frame = pd.DataFrame([{"name": r["name"], "category_name": cat_name.get(r["category"], r["category"]),
                               "lon": r["lon"], "lat": r["lat"], "address": r["address"], "phones": r["phones"],
                               "hours": "、".join(r["today"])} for r in rows])
        labels = {"lon": t("col.lon"), "lat": t("col.lat"), "category": t("dir.category"), "name": t("out.name"),
                  "address": t("out.address"), "phones": t("dir.phone"), "hours": t("dir.when")}
        st.altair_chart(outlets_map(frame, t("dir.found", n=len(rows)), labels))
