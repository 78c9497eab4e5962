"""Users (admins): add accounts, change role and scope, reset passwords, deactivate, unlock."""

import streamlit as st

from components.auth import session_actor
from components.data import get_db
from components.feedback import Fields, attempt
from components.i18n import t
from db import clock
from db.communities import list_communities
from db.models import ROLES
from db.users import (change_role, create_user, is_locked, list_users, reset_password,
                      set_active, unlock)

db, actor = get_db(), session_actor()
st.title(t("users.title"))

users = list_users(db, actor)
st.dataframe(
    [{t("col.username"): u["username"], t("col.display_name"): u["display_name"],
      t("col.role"): t("role." + u["role"]), t("col.community"): u["community"] or "—",
      t("col.active"): bool(u["active"]),
      t("col.failed_logins"): (f"{u['failed_logins']} · {t('users.locked')}"
                               if is_locked(db, u["username"]) else str(u["failed_logins"])),
      t("col.created_at"): clock.shown(u["created_at"])} for u in users],
    hide_index=True)

community_names = [None] + [c["name"] for c in list_communities(db)]


def community_label(name):
    return t("users.no_community") if name is None else name


left, right = st.columns(2)
with left:
    st.subheader(t("users.add"))
    f = Fields("add_user")
    with st.form(f.form, clear_on_submit=False):
        username = f(st.text_input, t("col.username"), "username", max_chars=32)
        display_name = f(st.text_input, t("col.display_name"), "display_name", max_chars=40)
        role = f(st.selectbox, t("col.role"), "role", options=ROLES, format_func=lambda r: t("role." + r))
        community = f(st.selectbox, t("col.community"), "community", options=community_names, format_func=community_label)
        password = f(st.text_input, t("login.password"), "password", type="password")
        if st.form_submit_button(t("form.create"), key="add_user.submit"):
            attempt(lambda: create_user(db, actor, {"username": username, "display_name": display_name,
                                                     "role": role, "community": community,
                                                     "password": password}),
                    "users.created", fields=f, username=username.strip().lower())

with right:
    st.subheader(t("users.manage"))
    chosen = st.selectbox(t("users.pick"), users,
                          format_func=lambda u: f"{u['username']} · {u['display_name']}")
    if chosen:
        with st.form(f"role_{chosen['id']}"):
            new_role = st.selectbox(t("col.role"), ROLES, index=ROLES.index(chosen["role"]),
                                    format_func=lambda r: t("role." + r))
            new_community = st.selectbox(t("col.community"), community_names, format_func=community_label,
                                         index=community_names.index(chosen["community"]))
            if st.form_submit_button(t("users.change_role")):
                attempt(lambda: change_role(db, actor, chosen["id"], {"role": new_role, "community": new_community}),
                        "users.role_changed")
        # The one form that forgets what was typed, on purpose: a password never stays on screen.
        with st.form(f"password_{chosen['id']}", clear_on_submit=True):
            new_password = st.text_input(t("users.new_password"), type="password")
            if st.form_submit_button(t("users.reset_password")):
                attempt(lambda: reset_password(db, actor, chosen["id"], {"password": new_password}),
                        "users.password_reset")
        b1, b2 = st.columns(2)
        if chosen["failed_logins"] and b1.button(t("users.unlock")):
            attempt(lambda: unlock(db, actor, chosen["id"]), "users.unlocked")
        if chosen["active"]:
            if b2.button(t("users.deactivate")):
                attempt(lambda: set_active(db, actor, chosen["id"], False), "users.deactivated")
        elif b2.button(t("users.activate")):
            attempt(lambda: set_active(db, actor, chosen["id"], True), "users.activated")
