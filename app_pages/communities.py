"""Communities: everyone reads the list; admins add and edit."""

import streamlit as st

from components.auth import session_actor
from components.data import get_db
from components.feedback import Fields, attempt
from components.i18n import t
from db.communities import create_community, list_communities, update_community
from db.models import DISTRICTS
from db.permissions import may

db, actor = get_db(), session_actor()
st.title(t("communities.title"))

district = st.selectbox(t("communities.filter_district"), [None, *DISTRICTS],
                        format_func=lambda d: t("communities.all") if d is None else d)
rows = list_communities(db, district)
st.dataframe(
    [{t("col.name"): r["name"], t("col.district"): r["district"], t("col.kind"): t("kind." + r["kind"]),
      t("col.households"): r["households"], t("col.population"): r["population"],
      t("col.lat"): r["lat"], t("col.lon"): r["lon"]} for r in rows],
    hide_index=True)


def community_form(f: Fields, current: dict | None = None) -> dict | None:
    """The add/edit form; returns the entered values when submitted."""
    current = current or {}
    with st.form(f.form, clear_on_submit=False):
        name = f(st.text_input, t("col.name"), "name", value=current.get("name", ""), max_chars=40)
        c1, c2 = st.columns(2)
        district_choice = f(c1.selectbox, t("col.district"), "district", options=DISTRICTS,
                            index=DISTRICTS.index(current.get("district", DISTRICTS[0])))
        kind = f(c2.selectbox, t("col.kind"), "kind", options=["urban", "rural"], format_func=lambda k: t("kind." + k),
                 index=["urban", "rural"].index(current.get("kind", "urban")))
        c3, c4 = st.columns(2)
        households = f(c3.number_input, t("col.households"), "households", min_value=0, step=1,
                       value=int(current.get("households", 0)))
        population = f(c4.number_input, t("col.population"), "population", min_value=0, step=1,
                       value=int(current.get("population", 0)))
        c5, c6 = st.columns(2)
        lat = f(c5.number_input, t("col.lat"), "lat", value=float(current.get("lat", 30.66)), format="%.5f")
        lon = f(c6.number_input, t("col.lon"), "lon", value=float(current.get("lon", 117.49)), format="%.5f")
        if st.form_submit_button(t("form.save") if current else t("form.create"), key=f"{f.form}.submit"):
            return {"name": name, "district": district_choice, "kind": kind, "households": households,
                    "population": population, "lat": lat, "lon": lon}
    return None


if may(actor, "communities.edit"):
    left, right = st.columns(2)
    with left:
        st.subheader(t("communities.add"))
        add_fields = Fields("add_community")
        data = community_form(add_fields)
        if data:
            attempt(lambda: create_community(db, actor, data), "communities.saved", fields=add_fields)
    with right:
        st.subheader(t("communities.edit"))
        everyone = list_communities(db)
        chosen = st.selectbox(t("communities.pick"), everyone, format_func=lambda r: f"{r['name']}（{r['district']}）")
        if chosen:
            edit_fields = Fields(f"edit_community_{chosen['id']}")
            data = community_form(edit_fields, chosen)
            if data:
                attempt(lambda: update_community(db, actor, chosen["id"], data), "communities.saved", fields=edit_fields)
