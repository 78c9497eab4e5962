"""Login with streamlit-authenticator against the users table, lockout, and the current Actor."""

import time

import jwt
import streamlit as st
import streamlit_authenticator as stauth
from streamlit_authenticator.utilities import LoginError

from components.i18n import t
from db.keys import secret
from db.models import PUBLIC, Actor
from db.users import actor_for, check_login, cookie_revoked, login_credentials, record_logout

COOKIE_NAME = "linli_auth"
COOKIE_DAYS = 7


def cookie_key() -> str:
    """secrets.toml, then LINLI_COOKIE_KEY, then a random key generated on first start."""
    return secret("cookie_key")


def authenticator(db) -> stauth.Authenticate:
    """Built on every run from the users table, so a role change or lock applies at once."""
    auth = stauth.Authenticate(login_credentials(db), COOKIE_NAME, cookie_key(), COOKIE_DAYS,
                               auto_hash=False, login_sleep_time=0)
    st.session_state["_authenticator"] = auth
    return auth


def current_actor(db, auth: stauth.Authenticate) -> Actor:
    """Who is using this session: the signed-in account (by form or cookie), else the public.
    Checked on every run, not only when the session starts: a logout elsewhere, a password reset,
    a role change or a deactivation since this session began signs it out here."""
    if not st.session_state.get("authentication_status"):
        token = _verified_cookie()
        if token is None:
            # Absent, forged (alg "none", another key), malformed or expired: the library must not
            # try it either (it would raise on some of these), so this run ignores the cookie.
            st.session_state["logout"] = COOKIE_NAME in st.context.cookies
        # The cookie's JWT holds only the username and expiry; it was issued COOKIE_DAYS before
        # that expiry. One issued before the account's sessions were last ended is refused.
        issued = token["exp_date"] - COOKIE_DAYS * 86400 if token else None
        if token and cookie_revoked(db, token["username"], issued):
            st.session_state["logout"] = True  # the library then skips the cookie this session
        elif token:
            st.session_state["_auth_at"] = issued
    try:
        auth.login(location="unrendered")
    except LoginError:
        pass
    username = st.session_state.get("username")
    if not st.session_state.get("authentication_status") or not username:
        return PUBLIC
    actor = actor_for(db, username)
    if actor is None or cookie_revoked(db, username, st.session_state.get("_auth_at", 0)):
        auth.logout(location="unrendered")
        st.session_state["_login_refusal"] = "login.inactive" if actor is None else "login.ended"
        return PUBLIC
    return actor


def client_address() -> str:
    """The browser's address: the TCP peer, or — when the peer is this machine, i.e. our own reverse
    proxy (Streamlit then reports none) — the X-Forwarded-For that deploy/nginx-linli.conf sets to
    the real client, overwriting whatever the client sent. "" when unknown."""
    address = st.context.ip_address
    if isinstance(address, str):
        return address
    try:
        forwarded = st.context.headers.get("X-Forwarded-For")
    except Exception:  # no request headers (a test harness)
        return ""
    return forwarded.split(",")[-1].strip()[:64] if isinstance(forwarded, str) else ""


def _verified_cookie() -> dict | None:
    """The login cookie's claims if it is a valid HS256 token signed with our key, else None."""
    raw = st.context.cookies.get(COOKIE_NAME)
    if not raw:
        return None
    try:
        claims = jwt.decode(raw, cookie_key(), algorithms=["HS256"])
    except jwt.PyJWTError:
        return None
    if not isinstance(claims.get("username"), str) or not isinstance(claims.get("exp_date"), (int, float)):
        return None
    return claims if claims["exp_date"] > time.time() else None


def login_form(db) -> None:
    """The login form. The password is checked by db.users.check_login (attempts reserved in the
    database, so guessing is slow from any number of tabs); every refusal reads the same, so it
    tells a stranger nothing about the account. Success hands the session to the library, which
    then sets and reads the login cookie."""
    auth: stauth.Authenticate = st.session_state["_authenticator"]
    refusal = st.session_state.pop("_login_refusal", None)
    with st.form("login"):
        st.subheader(t("login.form"))
        username = st.text_input(t("login.username"), key="login_username", autocomplete="username")
        password = st.text_input(t("login.password"), type="password", key="login_password",
                                 autocomplete="current-password")
        submitted = st.form_submit_button(t("login.submit"), key="login_submit")
    if submitted:
        name = username.strip().lower()
        if not name or not password:
            refusal = "login.empty"
        elif check_login(db, name, password, client_address()):
            account = auth.authentication_controller.authentication_model.credentials["usernames"].get(name, {})
            st.session_state.update(authentication_status=True, username=name, name=account.get("name", name),
                                    roles=account.get("roles"), logout=False, _auth_at=time.time())
            # The rerun rebuilds the navigation for the new role; it would also discard the cookie
            # set now, so the next run sets it (see remember_login).
            st.session_state["_remember_login"] = True
            st.rerun()
        else:
            refusal = "login.failed"
    if refusal:
        st.error(t(refusal))


def remember_login(auth: stauth.Authenticate) -> None:
    """Set the re-authentication cookie after a form login, on every run until the browser reports
    it set (the cookie component's value, key "set", turns True). Set once, a rerun that came before
    the component had loaded — a busy machine, another component reporting in — removed it unrun,
    and the login did not survive the next page load."""
    if not (st.session_state.get("_remember_login") and st.session_state.get("authentication_status")):
        return
    if st.session_state.get("set") is True:
        st.session_state["_remember_login"] = False
    else:
        auth.cookie_controller.set_cookie()


def logout_button(db, auth: stauth.Authenticate) -> None:
    def remember(details: dict) -> None:
        if details.get("username"):
            record_logout(db, details["username"], time.time())

    auth.logout(button_name=t("app.logout"), location="sidebar", key="logout_button", callback=remember)


def session_actor() -> Actor:
    """The Actor app.py resolved for this run."""
    return st.session_state.get("actor", PUBLIC)
