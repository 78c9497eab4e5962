"""Where the database is, and how to write to it: one transaction per write, a locked file retried
then reported, a full disk reported without paths. (db.connection opens it.)"""

import os
import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from db.errors import LinliError

DEFAULT_PATH = "data/linli.db"
# How long a writer waits for another's transaction before retrying (SQLite's busy timeout,
# PostgreSQL's lock_timeout on the write lock).
BUSY_TIMEOUT_MS = 5000
# Retries on top of the busy timeout: a writer that still finds the file locked
# after these waits gets a clear "busy" message instead of sqlite's raw error.
LOCK_RETRIES = 4


def db_path() -> Path:
    return Path(os.environ.get("LINLI_DB_PATH", DEFAULT_PATH))


def location() -> str:
    """The store: LINLI_DATABASE_URL (PostgreSQL) when set, else the SQLite file at LINLI_DB_PATH."""
    return os.environ.get("LINLI_DATABASE_URL") or str(db_path())


def where(db) -> str:
    """The store a connection is open on, as connect() takes it: its URL or its file's path."""
    if is_postgres(db):
        return db.url
    return db.conn.execute("PRAGMA database_list").fetchone()[2]


def is_postgres(db) -> bool:
    """The store is PostgreSQL (db/postgres.py): the few engine-specific steps branch on this."""
    return getattr(db, "engine", "sqlite") == "postgresql"


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
        if _disk_failed(exc):
            raise StorageFailed() from exc
        raise


def _disk_failed(exc: BaseException) -> bool:
    if isinstance(exc, sqlite3.OperationalError):
        return "full" in str(exc) or "I/O" in str(exc)
    return getattr(exc, "sqlstate", None) in ("53100", "58030")  # PostgreSQL: disk full, I/O error
