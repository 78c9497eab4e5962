"""满意度调查 for residents: a slip's QR code opens this page with its one-time code (or the code is
typed in); the resident gives a phone number and answers on their phone. No account: the code
answers once, and a phone number once per survey."""

import streamlit as st

from components.auth import session_actor
from components.data import get_db
from components.feedback import Fields, attempt, show_error
from components.i18n import t
from components.usertext import plain
from components.voice_ui import STARS
from db.assessment import surveys
from db.errors import LinliError

db, actor = get_db(), session_actor()
st.title(t("page.survey"))

if st.session_state.get("survey_done"):
    st.success(t("sv.thanks"))
    # a community centre's tablet passes from one household to the next
    if st.button(t("sv.another")):
        st.session_state.pop("survey_done")
        st.query_params.pop("code", None)
        st.rerun()
    st.stop()

typed = st.query_params.get("code", "")[:20]
if not typed:
    with st.form("survey_code"):
        typed = st.text_input(t("sv.code"), max_chars=12, help=t("sv.code_help"))
        if not st.form_submit_button(t("sv.open"), type="primary"):
            st.stop()
code = surveys.normalise_code(typed)
# Looked up once per code (every look counts against the hourly limit), then kept across reruns.
if st.session_state.get("survey_look", (None,))[0] != code:
    try:
        found = surveys.open_by_code(db, actor, code)
    except LinliError as exc:
        found = exc
    st.session_state["survey_look"] = (code, found)
found = st.session_state["survey_look"][1]
if isinstance(found, LinliError):
    show_error(found)
    st.stop()

st.markdown(f"### {plain(found['title'])}")
st.caption(t("sv.for", community=plain(found["community"]), closes=found["closes_on"]))
if found["intro"]:
    st.markdown(plain(found["intro"]))
f = Fields("survey")
with st.form(f.form, clear_on_submit=False):
    answers = {}
    for q in found["questions"]:
        label = f"{q['position']}. {q['text']}"
        if q["kind"] == "scale":
            answers[q["id"]] = f(st.radio, label, f"answers.{q['id']}", options=STARS, index=None,
                                 format_func=lambda s: t(f"sv.scale.{s}"))
        elif q["kind"] == "choice":
            answers[q["id"]] = f(st.radio, label, f"answers.{q['id']}", options=range(len(q["choices"])), index=None,
                                 format_func=lambda i, q=q: q["choices"][i])
        else:
            answers[q["id"]] = f(st.text_area, label, f"answers.{q['id']}", max_chars=200, height=80)
    phone = f(st.text_input, t("sv.phone"), "phone", max_chars=13, help=t("sv.phone_help"))
    if st.form_submit_button(t("sv.submit"), type="primary", key="survey.submit"):
        answers = {k: v for k, v in answers.items() if v is not None and v != ""}
        if attempt(lambda: surveys.answer(db, actor, found["code"], {"phone": phone, "answers": answers}),
                   rerun=False, fields=f):
            st.session_state["survey_done"] = True
            st.session_state.pop("survey_look", None)
            st.rerun()
