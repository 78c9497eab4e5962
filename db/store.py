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
# Retries on top of the busy timeout: a writer that still finds the file locked
# after these waits gets a clear "busy" message instead of sqlite's raw error.
LOCK_RETRIES = 4


def db_path() -> Path:
    return Path(os.environ.get("LINLI_DB_PATH", DEFAULT_PATH))


class DatabaseBusy(LinliError):
    key = "err.busy"


class StorageFailed(LinliError):
    """The disk is full or failing: nothing was written, and the message says so without paths."""
    key = "err.storage"


def data_version(db: sqlite_utils.Database) -> int:
    """Moves with every write that changes what the figures show (write(figures=True)), in whichever
    process it ran: the key of every cached figure, so no process shows figures older than the store."""
    row = db.execute("SELECT value FROM settings WHERE key = 'data_version'").fetchone()
    return int(row[0]) if row else 0


@contextmanager
def write(db: sqlite_utils.Database, figures: bool = True):
    """One write transaction. BEGIN IMMEDIATE takes the write lock up front, so two
    writers never deadlock upgrading read locks; a locked file is retried, then reported.
    `figures=False` for bookkeeping only (a look-up counted against its limit, a login attempt):
    it leaves the data version, and so every process's cached figures, alone."""
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
        if figures:  # a no-op before migration 0023 has added the row
            db.conn.execute("UPDATE settings SET value = CAST(value AS INTEGER) + 1 WHERE key = 'data_version'")
        db.conn.execute("COMMIT")
    except BaseException as exc:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        if isinstance(exc, sqlite3.OperationalError) and ("full" in str(exc) or "I/O" in str(exc)):
            raise StorageFailed() from exc
        raise
