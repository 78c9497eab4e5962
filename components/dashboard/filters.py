"""The dashboard's filters. The keyed widgets are the state; a link is read once per session (a
shared URL opens the same view) and then only mirrors the widgets — rebuilding the widgets from
the URL on every run lost every second change. Everything downstream gets one `View`."""

from dataclasses import dataclass
from datetime import date, timedelta

import streamlit as st

from components.i18n import t
from db import clock
from db import dashboard as figures
from db.models import DISTRICTS

PERIODS = ["this_month", "last_month", "quarter", "year", "custom"]
KEYS = ("db_period", "db_district", "db_community", "db_category", "db_from", "db_to", "meeting")


@dataclass(frozen=True)
class View:
    """What the leader asked to see: the period's name, the slice of the city, and the mode."""
    period: str
    scope: figures.Scope
    meeting: bool = False

    @property
    def city(self) -> figures.Scope:
        """The same period and category for the whole city (a coordinator's comparison)."""
        s = self.scope
        return figures.Scope(s.start, s.end, None, None, s.category)

    def where(self, community_names: dict[int, str]) -> str:
        return community_names.get(self.scope.community_id) or self.scope.district or t("db.city")

    def line(self, community_names: dict[int, str], category_names: dict[str, str]) -> str:
        """The scope line under the title, in the meeting corner and on the brief."""
        s = self.scope
        return t("db.scope", start=s.start, end=s.end, where=self.where(community_names),
                 category=category_names.get(s.category, t("db.all")))


def period_dates(kind: str, today: date, custom: tuple[date, date]) -> tuple[date, date]:
    first = today.replace(day=1)
    if kind == "this_month":
        return first, today
    if kind == "last_month":
        end = first - timedelta(days=1)
        return end.replace(day=1), end
    if kind == "quarter":
        return date(today.year, 3 * ((today.month - 1) // 3) + 1, 1), today
    if kind == "year":
        return date(today.year, 1, 1), today
    return custom


def _from_url(community_ids, category_codes) -> dict:
    """The filters a link asks for, each checked; anything else falls back to the default."""
    q = st.query_params
    today = clock.today()
    try:
        custom = (date.fromisoformat(q.get("from", "")), date.fromisoformat(q.get("to", "")))
    except ValueError:  # missing or not a date (year 0001 parses; check_scope refuses it)
        custom = (today - timedelta(days=30), today)
    community = q.get("community", "")
    # "" and 0 stand for "all": a keyed selectbox holding None shows no choice at all.
    return {"db_period": q.get("period") if q.get("period") in PERIODS else "this_month",
            "db_district": q.get("district") if q.get("district") in DISTRICTS else "",
            "db_community": int(community) if community.isdigit() and int(community) in community_ids else 0,
            "db_category": q.get("category") if q.get("category") in category_codes else "",
            "db_from": custom[0], "db_to": custom[1], "meeting": q.get("meeting") == "1"}


def restore(community_ids, category_codes) -> None:
    """Once per session from the link; afterwards keep the values through runs that draw no
    filter widget (meeting mode), which Streamlit would otherwise forget."""
    if "db_period" not in st.session_state:
        st.session_state.update(_from_url(community_ids, category_codes))
    for key in KEYS:
        st.session_state[key] = st.session_state[key]


def widgets(actor, communities: list[dict], community_names: dict[int, str], category_names: dict[str, str]) -> None:
    cols = st.columns(5)
    cols[0].selectbox(t("db.period"), PERIODS, key="db_period", format_func=lambda p: t("db.period." + p))
    if st.session_state["db_period"] == "custom":
        c1, c2 = st.columns(2)
        bounds = {"min_value": figures.EARLIEST, "max_value": clock.today()}
        for key in ("db_from", "db_to"):  # a link's dates are kept inside what the pickers allow
            st.session_state[key] = min(max(st.session_state[key], figures.EARLIEST), clock.today())
        c1.date_input(t("db.from"), key="db_from", **bounds)
        c2.date_input(t("db.to"), key="db_to", **bounds)
    if actor.role != "coordinator":
        cols[1].selectbox(t("db.district"), ["", *DISTRICTS], key="db_district", format_func=lambda d: d or t("db.all"))
        choices = [c["id"] for c in communities if st.session_state["db_district"] in ("", c["district"])]
        if st.session_state["db_community"] not in choices:  # a community of another district: all of this one
            st.session_state["db_community"] = 0
        cols[2].selectbox(t("db.community"), [0, *choices], key="db_community",
                          format_func=lambda i: community_names[i] if i else t("db.all"))
    cols[3].selectbox(t("db.category"), ["", *category_names], key="db_category",
                      format_func=lambda c: category_names[c] if c else t("db.all"))


def current(actor) -> View:
    """The view the widgets hold; a coordinator's is always their own community."""
    s = st.session_state
    period = s["db_period"]
    district, community = s["db_district"] or None, s["db_community"] or None
    if actor.role == "coordinator":
        district, community = None, actor.community_id
    start, end = period_dates(period, clock.today(), (s["db_from"], s["db_to"]))
    return View(period, figures.Scope(start, end, district, community, s["db_category"] or None), bool(s["meeting"]))


def mirror(view: View) -> None:
    """The URL follows the view, so the address bar is always a link to what is on screen."""
    s = view.scope
    custom = view.period == "custom"
    wanted = {"period": view.period, "district": s.district, "community": s.community_id, "category": s.category,
              "from": s.start.isoformat() if custom else None, "to": s.end.isoformat() if custom else None,
              "meeting": "1" if view.meeting else None, "lang": st.session_state.get("lang")}
    for key, value in wanted.items():
        if value is None:
            st.query_params.pop(key, None)
        elif st.query_params.get(key) != str(value):
            st.query_params[key] = str(value)
