"""Linli 邻里 — entry point: page config, language, login, and the navigation for the role."""

from dataclasses import replace

import streamlit as st

from components.auth import authenticator, client_address, current_actor, logout_button, remember_login
from components.data import demo_mode, get_db
from components.feedback import show_flash
from catalogue import DEFAULT_LANG, LANGS
from components.i18n import t
from components import streamlit_words
from components.look import apply_look
from components.navigation import navigation
from components.notifications_ui import bell
from db.todo import waiting
from db.users import must_change_password

st.set_page_config(page_title="Linli 邻里", page_icon="🏘️", layout="wide")
streamlit_words.install()


def choose_language() -> None:
    """Chinese by default; ?lang=en in the URL or the sidebar switch; kept for the session."""
    if "lang" not in st.session_state:
        wanted = st.query_params.get("lang", DEFAULT_LANG)
        st.session_state["lang"] = wanted if wanted in LANGS else DEFAULT_LANG
    choice = st.sidebar.radio(t("app.language"), list(LANGS), format_func=LANGS.get, horizontal=True,
                              index=list(LANGS).index(st.session_state["lang"]), key="_lang_choice")
    if choice != st.session_state["lang"]:
        st.session_state["lang"] = choice
        st.query_params["lang"] = choice
        st.rerun()


choose_language()
db = get_db()
auth = authenticator(db)
apply_look(auth.cookie_controller.cookie_model.cookie_manager)
# The client's address travels with the actor: anonymous writes are rate-limited by it.
actor = replace(current_actor(db, auth), source=client_address())
remember_login(auth)
st.session_state["actor"] = actor

with st.sidebar:
    if actor.role != "public":
        st.caption(t("app.signed_in_as", name=st.session_state.get("name") or actor.username,
                     role=t("role." + actor.role)))
        logout_button(db, auth)
        if not st.session_state.get("authentication_status"):
            st.rerun()  # just logged out: rebuild the navigation for the public
    if demo_mode():
        st.caption(t("app.demo_mode"))

page = navigation(actor.role, actor.role != "public" and must_change_password(db, actor.username), waiting(db, actor))
show_flash()
if actor.volunteer_id is not None:
    bell(db, actor)  # on top of every page, where a phone shows it (its sidebar is folded away)
page.run()
