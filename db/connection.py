"""One way to open the database: WAL, foreign keys, a busy timeout, migrations applied."""

import os
import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from db.errors import LinliError

DEFAULT_PATH = "data/linli.db"
BUSY_TIMEOUT_MS = 5000
# Retries on top of the busy timeout: a writer that still finds the file locked
# after these waits gets a clear "busy" message instead of sqlite's raw error.
LOCK_RETRIES = 4


def db_path() -> Path:
    return Path(os.environ.get("LINLI_DB_PATH", DEFAULT_PATH))


def connect(path: str | Path | None = None, migrate: bool = True) -> sqlite_utils.Database:
    """Open (and create) the database file; `migrate` brings the schema up to date."""
    path = Path(path) if path is not None else db_path()
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
        from db.keys import verify_data_key
        from db.migrations import migrate as apply_migrations

        apply_migrations(db)
        verify_data_key(db)
    return db


def _owner_only(path: Path) -> None:
    """The database holds personal data: readable by its owner only (and its WAL files)."""
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            if p.exists() and p.stat().st_mode & 0o077:
                os.chmod(p, 0o600)
        except OSError:
            pass  # not ours to change (a read-only mount): the deployment's permissions apply


class DatabaseBusy(LinliError):
    key = "err.busy"


class StorageFailed(LinliError):
    """The disk is full or failing: nothing was written, and the message says so without paths."""
    key = "err.storage"


@contextmanager
def write(db: sqlite_utils.Database):
    """One write transaction. BEGIN IMMEDIATE takes the write lock up front, so two
    writers never deadlock upgrading read locks; a locked file is retried, then reported."""
    for attempt in range(LOCK_RETRIES + 1):
        try:
            db.conn.execute("BEGIN IMMEDIATE")
            break
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            if attempt == LOCK_RETRIES:
                raise DatabaseBusy() from exc
            time.sleep(0.05 * (attempt + 1))
    try:
        yield db
        db.conn.execute("COMMIT")
    except BaseException as exc:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        if isinstance(exc, sqlite3.OperationalError) and ("full" in str(exc) or "I/O" in str(exc)):
            raise StorageFailed() from exc
        raise
