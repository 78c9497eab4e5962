"""The service card (便民服务卡) of one community: hotlines and the nearest outlets in large type,
with a QR code that opens the directory filtered to the community; printable and as PDF."""

import streamlit as st

from components.usertext import plain
from components.auth import session_actor
from components.calendar_note import unknown_year_warning
from components.data import get_db
from components.i18n import lang, t
from components.links import public_base
from components.opening_text import week_text
from components.pdf import qr_png, service_card_pdf
from db import clock
from db.communities import list_communities
from db.outlets import categories, service_card

db, actor = get_db(), session_actor()
communities = list_communities(db)
if not communities:  # a new installation before its communities are entered
    st.title(t("page.service_card"))
    st.info(t("man.nothing"))
    st.stop()
ids = [c["id"] for c in communities]
default = ids.index(actor.community_id) if actor.community_id in ids else 0
community_id = st.selectbox(t("card.pick"), ids, index=default,
                            format_func=lambda i: next(f"{c['name']}（{c['district']}）" for c in communities if c["id"] == i))
card = service_card(db, community_id)
unknown_year_warning(db, [clock.today()])
cats = categories(db)
names = {c["code"]: c["name_zh"] if lang() == "zh" else c["name_en"] for c in cats}
zh_names = {c["code"]: c["name_zh"] for c in cats}


url = f"{public_base()}/directory?community={community_id}"
qr = qr_png(url)

st.title(t("card.title", community=plain(card["community"]["name"])))
st.subheader(t("card.hotlines"))
for h in card["hotlines"]:
    st.markdown(f"#### {names[h['category']]}{t('ui.colon')}[{plain(h['phones'])}](tel:{h['phones'].split(', ')[0].replace('-', '')})")
    st.caption(plain(h["name"]))
st.markdown(f"**{t('card.national_title')}**{t('ui.gap')}" + t("ui.gap").join(
    f"[{n}](tel:{n}) {t('card.national.' + n)}" for n in card["national"]))
st.subheader(t("card.nearest"))
st.dataframe([{t("dir.category"): names[r["category"]], t("out.name"): r["name"], t("dir.phone"): r["phones"],
               t("card.week"): week_text(r["week"], r["holiday"], lang()),
               t("cov.radius"): t("dir.distance", m=r["distance_m"])} for r in card["nearest"]], hide_index=True)
c1, c2 = st.columns([1, 3])
c1.image(qr, width=180, alt=t("card.qr_alt"))
c2.markdown(f"**{t('card.qr')}**")
c2.caption(plain(url))  # plain text wraps on a phone; a code block scrolls (a region the keyboard cannot reach)
# The PDF is made when the button is pressed, not on every run of the page (loading the CJK
# font alone takes half a second).
st.download_button(t("card.download"), lambda: service_card_pdf(card, zh_names, qr, url),
                   file_name=f"service-card-{community_id}.pdf", mime="application/pdf", type="primary")
