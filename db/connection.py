"""One way to open the database: WAL, foreign keys, a busy timeout, migrations applied."""

import os
import sqlite3
from pathlib import Path

import sqlite_utils

from db.store import BUSY_TIMEOUT_MS, location


def connect(path: str | Path | None = None, migrate: bool = True) -> sqlite_utils.Database:
    """Open (and create) the database file, or the PostgreSQL store when given (or configured
    with) a postgresql:// URL; `migrate` brings the schema up to date."""
    from db import postgres

    target = path if path is not None else location()
    if postgres.is_url(target):
        db = postgres.Database(target)
        if migrate:
            _migrate(db)
        return db
    path = Path(target)
    if str(path) != ":memory:":
        path.parent.mkdir(parents=True, exist_ok=True)
    # check_same_thread=False: Streamlit reruns a session's script on new threads.
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    db = sqlite_utils.Database(conn)
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA foreign_keys = ON")
    # INSERT OR REPLACE deletes the row it replaces; only with recursive triggers does that delete
    # meet the trigger that keeps approved records final.
    db.execute("PRAGMA recursive_triggers = ON")
    if str(path) != ":memory:":
        with db.ensure_autocommit_on():
            db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
    if str(path) != ":memory:":
        _owner_only(path)
    if migrate:
        _migrate(db)
    return db


def _migrate(db) -> None:
    from db.keys import verify_data_key
    from db.migrations import migrate as apply_migrations

    apply_migrations(db)
    verify_data_key(db)


def _owner_only(path: Path) -> None:
    """The database holds personal data: readable by its owner only (and its WAL files)."""
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            if p.exists() and p.stat().st_mode & 0o077:
                os.chmod(p, 0o600)
        except OSError:
            pass  # not ours to change (a read-only mount): the deployment's permissions apply
