"""The page's way to the database: one connection per browser session, the schema migrated and
the demo city seeded once per process, read caches cleared after every write."""

import os
import sqlite3

import streamlit as st

from db.connection import connect
from db.store import db_path
from db.keys import DataKeyMissing, DataKeyWrong


@st.cache_resource(show_spinner=False)
def _prepare(path: str) -> None:
    """Migrate, and seed an empty database unless LINLI_DEMO=0 (once per process and path)."""
    db = connect(path)
    from seed.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, is_empty, seed_demo

    if demo_mode():
        if is_empty(db):
            seed_demo(db)
    else:
        # Live: the demo accounts' passwords are public, so any still using one is switched off.
        from db.users import disable_demo_accounts

        disable_demo_accounts(db, [a["username"] for a in DEMO_ACCOUNTS], DEMO_PASSWORD)
    db.close()


def demo_mode() -> bool:
    return os.environ.get("LINLI_DEMO", "1") != "0"


def get_db():
    """This session's connection. Sessions run on different threads and may write at once,
    so each has its own connection; SQLite's WAL and busy timeout arbitrate."""
    path = str(db_path())
    held = st.session_state.get("_db")
    if held is None or held[0] != path:
        try:
            _prepare(path)
        except (DataKeyMissing, DataKeyWrong) as exc:
            # Without the right key no page may read or write personal data: say why and stop.
            from components.i18n import t

            st.error(t(exc.key, **exc.params))
            st.stop()
        except sqlite3.DatabaseError:  # damaged or not a database: a sentence for the admin, no paths
            from components.i18n import t

            st.error(t("err.database_unreadable"))
            st.stop()
        held = (path, connect(path, migrate=False))
        st.session_state["_db"] = held
    return held[1]


def db_file() -> str:
    """The database file, part of every cache key: caches of two databases (tests, benchmarks) never mix."""
    return str(get_db().conn.execute("PRAGMA database_list").fetchone()[2])


def after_write() -> None:
    """Call after any successful write so cached reads show it."""
    st.cache_data.clear()
