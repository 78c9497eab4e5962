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
