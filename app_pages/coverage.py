"""15-minute coverage: for every community and basic category, the open outlets within a walking
radius of the community centre; the gaps, and a community × category heatmap."""

import pandas as pd
import streamlit as st

from components.auth import session_actor
from components.charts import coverage_heatmap
from components.data import get_db
from components.i18n import lang, t
from db.models import DISTRICTS
from db.outlets import WALK_RADIUS_M, categories, coverage

db, actor = get_db(), session_actor()
st.title(t("page.coverage"))
cat_name = {c["code"]: c["name_zh"] if lang() == "zh" else c["name_en"] for c in categories(db)}
c1, c2 = st.columns(2)
radius = c1.slider(t("cov.radius"), min_value=300, max_value=3000, value=WALK_RADIUS_M, step=100)
# Coordinators look at their own community's district by default; everyone may widen it.
district = c2.selectbox(t("dir.district"), [None, *DISTRICTS], format_func=lambda d: d or t("dir.all"))

cells = coverage(db, radius, district)
covered = sum(1 for c in cells if c["within"])
pct = round(100 * covered / len(cells)) if cells else 0
st.metric(t("cov.share", covered=covered, total=len(cells), pct=pct), f"{pct}%")
gaps = [c for c in cells if c["within"] == 0]
if gaps:
    worst = pd.Series([g["category"] for g in gaps]).value_counts().index[0]
    st.write(t("cov.reading", pct=pct, worst=cat_name[worst]))

gap_tab, map_tab = st.tabs([t("cov.gaps", n=len(gaps)), t("cov.heatmap", radius=radius)])
with gap_tab:
    if not gaps:
        st.success(t("cov.no_gaps"))
    else:
        st.dataframe([{t("dir.district"): g["district"], t("dir.community"): g["community"],
                       t("dir.category"): cat_name[g["category"]],
                       t("cov.radius"): (t("cov.nearest", m=g["nearest_m"]) if g["nearest_m"] is not None
                                         else t("cov.none_anywhere"))} for g in gaps], hide_index=True)
with map_tab:
    frame = pd.DataFrame([{**c, "category_name": cat_name[c["category"]]} for c in cells])
    labels = {"category": t("dir.category"), "community": t("dir.community"),
              "within": t("cov.radius") + " ≤", "nearest": t("cov.nearest", m="")}
    st.altair_chart(coverage_heatmap(frame, t("cov.heatmap", radius=radius), labels))
