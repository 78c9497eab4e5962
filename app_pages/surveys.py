"""满意度调查 for the offices: define a survey (leaders' office, admins), print answer slips for a
community (its coordinator, or the office), and read the results per community with their
response counts and 95 % intervals; each answer as given is for admins."""

from datetime import timedelta

import pandas as pd
import streamlit as st

from components import charts
from components.auth import session_actor
from components.data import get_db
from components.feedback import Fields, attempt
from components.i18n import t
from components.links import public_base
from components.pdf import survey_slips_pdf
from components.spreadsheet import to_xlsx
from db import clock
from db.assessment import surveys
from db.communities import list_communities
from db.models import SURVEY_KINDS
from db.permissions import may

db, actor = get_db(), session_actor()
st.title(t("page.surveys"))
communities = list_communities(db)
names = {c["id"]: c["name"] for c in communities}
mine = surveys.listing(db, actor)
manages = may(actor, "surveys.manage")
# The questions most offices ask (民政 satisfaction surveys): a start to edit, not a rule.
STANDARD = [
    {"kind": "scale", "text": "您对社区志愿服务的总体满意度", "choices": ""},
    {"kind": "scale", "text": "您对身边便民服务网点的满意度", "choices": ""},
    {"kind": "scale", "text": "您对社区为老服务（日间照料、助餐）的满意度", "choices": ""},
    {"kind": "choice", "text": "您最希望社区增加哪项服务", "choices": "家政／助医／维修／助餐／文体活动"},
    {"kind": "text", "text": "您对社区服务的意见和建议", "choices": ""},
]


def state(s: dict) -> str:
    if s["status"] == "withdrawn":
        return t("sv.state.withdrawn")
    today = clock.today().isoformat()
    return t("sv.state.upcoming" if today < s["opens_on"] else "sv.state.closed" if today > s["closes_on"] else "sv.state.open")


def label(s: dict) -> str:
    return f"{s['title']} · {s['opens_on']}–{s['closes_on']} · {state(s)}"


tab_names = [t("sv.results"), t("sv.slips")] + ([t("sv.new")] if manages else [])
tabs = st.tabs(tab_names, key="surveys_tabs", on_change="rerun")

with tabs[0]:
    if tabs[0].open:
        if not mine:
            st.info(t("sv.none"))
        chosen = st.selectbox(t("sv.pick"), [s["id"] for s in mine], key="sv_results_pick",
                              format_func=lambda i: label(next(s for s in mine if s["id"] == i))) if mine else None
        if chosen:
            # communities with answers first, the most answered at the top
            result = sorted(surveys.results(db, actor, chosen), key=lambda r: (-r["responses"], r["community"]))
            scales = [q for q in (result[0]["questions"] if result else []) if q["kind"] == "scale"]
            if scales and len(result) > 1:
                asked = st.selectbox(t("sv.chart_question"), range(len(scales)), format_func=lambda i: scales[i]["text"],
                                     key="sv_chart_question")
                points = [{"community": r["community"], "n": q["n"], "mean": q["mean"],
                           "low": max(1, q["mean"] - (q["interval"] or 0)), "high": min(5, q["mean"] + (q["interval"] or 0))}
                          for r in result for q in r["questions"] if q["id"] == scales[asked]["id"] and q["n"] >= 2]
                if points:
                    labels = {"community": t("dir.community"), "mean": t("sv.mean"), "low": t("sv.low"), "high": t("sv.high"),
                              "n": t("sv.responses")}
                    st.altair_chart(charts.styled(charts.survey_means(pd.DataFrame(points), scales[asked]["text"], labels)))
            rows = []
            for r in result:
                row = {t("dir.community"): r["community"], t("sv.issued"): r["issued"], t("sv.responses"): r["responses"],
                       t("sv.rate"): f"{r['response_rate']:.0%}" if r["response_rate"] is not None else "—"}
                for q in r["questions"]:
                    if q["kind"] == "scale":
                        row[q["text"]] = "—" if q["mean"] is None else (
                            f"{q['mean']:.2f} ± {q['interval']:.2f}" if q["interval"] is not None else f"{q['mean']:.2f}")
                    elif q["kind"] == "choice":
                        top = max(q["shares"].items(), key=lambda kv: kv[1] or 0)
                        row[q["text"]] = f"{top[0]} {top[1]:.0%}" if top[1] else "—"
                row[t("sv.reading")] = t("sv.few", n=surveys.SMALL_SAMPLE) if r["few"] else ""
                rows.append(row)
            st.caption(t("sv.results_note"))
            st.dataframe(pd.DataFrame(rows), hide_index=True)  # a dataframe shows text as text
            sheet = t("sv.results")  # made when pressed, outside this run: its words are made now
            st.download_button(t("sv.download"), lambda: to_xlsx(rows, sheet),
                               file_name=f"survey-{chosen}.xlsx", key="sv_results_xlsx")
            if may(actor, "surveys.raw"):
                with st.expander(t("sv.raw")):
                    raw = surveys.raw(db, actor, chosen)
                    st.dataframe(pd.DataFrame(raw), hide_index=True)
                    raw_sheet = t("sv.raw")
                    st.download_button(t("sv.download_raw"), lambda: to_xlsx(raw, raw_sheet),
                                       file_name=f"survey-{chosen}-answers.xlsx", key="sv_raw_xlsx")
            if manages and next(s for s in mine if s["id"] == chosen)["status"] == "active":
                if st.button(t("sv.withdraw"), key=f"withdraw_{chosen}"):
                    attempt(lambda: surveys.withdraw(db, actor, chosen), "sv.withdrawn")

with tabs[1]:
    if tabs[1].open:
        st.caption(t("sv.slips_intro"))
        live = [s for s in mine if s["status"] == "active" and s["closes_on"] >= clock.today().isoformat()]
        if not live:
            st.info(t("sv.none_live"))
        else:
            pick = st.selectbox(t("sv.pick"), [s["id"] for s in live], key="sv_slips_pick",
                                format_func=lambda i: label(next(s for s in live if s["id"] == i)))
            s = surveys.survey(db, pick)
            places = [c for c in s["community_ids"] if may(actor, "surveys.codes", c)]
            where = st.selectbox(t("dir.community"), places, format_func=names.get, key="sv_slips_community")
            f = Fields("slips")
            with st.form(f.form, clear_on_submit=False):
                count = f(st.number_input, t("sv.count"), "count", min_value=1, max_value=500, value=40, step=8)
                if st.form_submit_button(t("sv.issue"), type="primary", key="slips.submit"):
                    attempt(lambda: surveys.issue_codes(db, actor, pick, where, int(count)),
                            lambda codes: t("sv.issued_done", n=len(codes)), fields=f)
            unused = surveys.unused_codes(db, actor, pick, where)
            st.markdown(t("sv.unused", n=len(unused)))
            if unused:
                base = public_base()  # the PDF is made when pressed, outside this run: the address is read now
                url_of = lambda code: f"{base}/survey?code={code}"  # noqa: E731
                st.download_button(t("sv.print"), lambda: survey_slips_pdf(s, names[where], unused, url_of),
                                   file_name=f"survey-{pick}-{where}-slips.pdf", mime="application/pdf",
                                   key="sv_slips_pdf", type="primary")

if manages:
    with tabs[2]:
        if tabs[2].open:
            f = Fields("new_survey")
            with st.form(f.form, clear_on_submit=False):
                title = f(st.text_input, t("sv.title"), "title", max_chars=60, value=t("sv.title_default", year=clock.today().year))
                intro = f(st.text_area, t("sv.intro"), "intro", max_chars=300, height=80, value=t("sv.intro_default"))
                c1, c2 = st.columns(2)
                opens = f(c1.date_input, t("sv.opens"), "opens_on", value=clock.today())
                closes = f(c2.date_input, t("sv.closes"), "closes_on", value=clock.today() + timedelta(days=30))
                everywhere = st.checkbox(t("sv.all_communities"), key="new_survey.all", value=True)
                picked = f(st.multiselect, t("sv.communities"), "community_ids", options=list(names), format_func=names.get)
                st.markdown(f"**{t('sv.questions')}**")
                st.caption(t("sv.questions_help"))
                edited = st.data_editor(pd.DataFrame(STANDARD), num_rows="dynamic", hide_index=True, key="new_survey.questions",
                                        column_config={
                                            "kind": st.column_config.SelectboxColumn(t("sv.kind"), options=SURVEY_KINDS, required=True),
                                            "text": st.column_config.TextColumn(t("sv.question"), max_chars=100, required=True),
                                            "choices": st.column_config.TextColumn(t("sv.choices"), max_chars=200)})
                f.slot("questions")
                if st.form_submit_button(t("sv.create"), type="primary", key="new_survey.submit"):
                    questions = [{"kind": q["kind"], "text": q["text"] or "",
                                  "choices": [c for c in str(q["choices"] or "").replace("/", "／").split("／") if c.strip()]}
                                 for q in edited.to_dict("records") if q.get("kind")]
                    attempt(lambda: surveys.create(db, actor, {
                        "title": title, "intro": intro, "opens_on": opens, "closes_on": closes, "questions": questions,
                        "community_ids": list(names) if everywhere else picked}), "sv.created", fields=f)
