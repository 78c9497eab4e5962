"""扫码签到: where the QR code on site leads. The code is remembered with the moment it was opened
(the server's clock), so a volunteer who must log in first still signs in with it for ten minutes;
then one big button: 签到, or 签退 at the end."""

import streamlit as st

from components.auth import login_form, session_actor
from components.data import get_db
from components.feedback import attempt, show_error
from components.i18n import t
from components.usertext import plain
from db import attendance, clock
from db.errors import LinliError

db, actor = get_db(), session_actor()
st.title(t("page.sign_in"))

code = st.query_params.get("t", "")[:80]
if code and st.session_state.get("scan", {}).get("code") != code:
    st.session_state["scan"] = {"code": code, "at": clock.now()}
    st.session_state.pop("scan_look", None)
scan = st.session_state.get("scan")


def press(which: str) -> dict:
    do = attendance.sign_in if which == "in" else attendance.sign_out
    result = do(db, actor, scan["code"], scan["at"])
    st.session_state.pop("scan_look", None)  # what the next press would do has changed
    return result


if not scan:
    st.info(t("scan.no_code"))
elif actor.role == "public":
    st.info(t("scan.login_first"))
    login_form(db)
elif actor.volunteer_id is None:
    st.warning(t("scan.not_volunteer"))
else:
    # Looked up once per code and person (a refusal is written down once), then kept across reruns.
    if st.session_state.get("scan_look", (None,))[0] != (scan["code"], actor.username):
        try:
            found = attendance.look(db, actor, scan["code"], scan["at"])
        except LinliError as exc:
            found = exc
        st.session_state["scan_look"] = ((scan["code"], actor.username), found)
    found = st.session_state["scan_look"][1]
    if isinstance(found, LinliError):
        show_error(found)
    else:
        with st.container(border=True):
            st.markdown(f"#### {plain(found['activity']['title'])}")
            st.caption(plain(found["activity"]["place"]))
            if found["next"] == "done":
                st.success(t("scan.done", at=found["at"]))
            else:
                s = found["signup"]
                st.markdown(t("scan.shift", name=plain(s["shift"]), starts=s["starts_at"][11:], ends=s["ends_at"][11:]))
                which = found["next"]
                button, done = ("scan.sign_in", "scan.signed_in") if which == "in" else ("scan.sign_out", "scan.signed_out")
                if st.button(t(button), type="primary", width="stretch", key="scan.press"):
                    attempt(lambda: press(which), lambda r: t(done, at=r["at"].strftime("%H:%M")))
