"""The page's way to the database: one connection per browser session, the schema migrated and
the demo city seeded once (whatever the number of processes), cached figures keyed on the data
versions of what they read."""

import fcntl
import os
import sqlite3
import time
from contextlib import contextmanager

import psycopg
import streamlit as st

from db.connection import connect
from db import postgres
from db.store import location
from db.versions import versions
from db.keys import DataKeyMissing, DataKeyWrong


@st.cache_resource(show_spinner=False)
def _prepare(path: str) -> None:
    """Migrate, and seed an empty database unless LINLI_DEMO=0 (once per process and path). Several
    app processes may start on one new file at once: one at a time, so the schema is migrated and the
    demo city seeded once."""
    _prepare_file(path)


def _prepare_file(path: str) -> None:
    with _one_process_at_a_time(path):
        _migrate_and_seed(path)


@contextmanager
def _one_process_at_a_time(path: str):
    if postgres.is_url(path):
        with postgres.one_at_a_time(path):
            yield
        return
    lock = open(f"{path}.lock", "a")  # beside the database (and, like it, for its owner only)
    try:
        os.chmod(lock.name, 0o600)
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield
    finally:
        lock.close()  # closing releases the lock


def _migrate_and_seed(path: str) -> None:
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
    path = location()
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
        except psycopg.OperationalError:  # PostgreSQL down or unreachable: a sentence, no URL (it may hold a password)
            from components.i18n import t

            st.error(t("err.database_unreachable"))
            st.stop()
        held = (path, connect(path, migrate=False))
        st.session_state["_db"] = held
    return held[1]


# How stale a cached figure may be: every process re-reads the store's data versions at most this
# often, so a write anywhere shows in every process's figures within these seconds, and a stream of
# writes recomputes a view at most once per period per process instead of on every look. The
# session that wrote sees its own write at once.
FRESH_SECONDS = 10
_seen: dict[str, tuple[float, dict[str, int]]] = {}  # per process: store -> (when read, versions)


def figures_key(*areas: str) -> str:
    """Part of every cached figure's key: the store (caches of two databases, in tests and
    benchmarks, never mix) and the data versions of the areas the figure reads (db/versions.py), as
    this process last read them (at most FRESH_SECONDS ago)."""
    db = get_db()
    path = st.session_state["_db"][0]
    now = time.monotonic()
    seen = _seen.get(path)
    if seen is None or now - seen[0] > FRESH_SECONDS or st.session_state.get("_wrote_at", 0) > seen[0]:
        seen = _seen[path] = (now, versions(db))
    return f"{path}@" + ".".join(f"{area}{seen[1][area]}" for area in (*areas, "places"))


def after_write() -> None:
    """Call after a successful write in this session: its next figures are read afresh (the other
    sessions' within FRESH_SECONDS). Nothing is cleared: the other sessions' warm figures stay."""
    st.session_state["_wrote_at"] = time.monotonic()
