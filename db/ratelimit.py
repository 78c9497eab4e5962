"""Rate limits on what anyone can do without an account: posting needs and signing up. Counted
per client address and per phone number over a sliding hour, in the database (every app process
shares them); the refusal says how long to wait. Call inside the write transaction. The table's
other user is login attempts (db.users.check_login), through the same functions."""

import time

from sqlite_utils import Database

from db.errors import Conflict
from db.models import Actor

WINDOW = 3600
LIMITS = {"need": {"source": 10, "phone": 3}, "signup": {"source": 5, "phone": 2},
          "track": {"source": 30, "phone": 10}, "verify": {"source": 60},
          # a survey slip's code is tried (a community centre's tablet may serve many households);
          # a correction to the directory is reported
          "survey": {"source": 60, "phone": 5}, "correction": {"source": 10, "phone": 5}}
KEEP = 86400  # the longest any caller looks back (login failures: a day); older events are dropped


def recent(db: Database, key: str, window: float, now: float) -> list[float]:
    """When `key` happened within the last `window` seconds, oldest first. This table is shared
    (anonymous writes here, login attempts in db.users): events are dropped only after KEEP, so a
    short window never cuts another caller's longer history."""
    db.execute("DELETE FROM rate_events WHERE at < ?", [now - KEEP])
    return [r["at"] for r in db.query("SELECT at FROM rate_events WHERE key = ? AND at > ? ORDER BY at",
                                      [key, now - window])]


def count(db: Database, key: str, now: float) -> None:
    db.execute("INSERT INTO rate_events (key, at) VALUES (?, ?)", [key, now])


def forget(db: Database, key: str, prefix: bool = False) -> None:
    """Drop the events of `key`, or with `prefix` of every key starting with it (compared
    exactly: usernames may hold LIKE's wildcard "_")."""
    if prefix:
        db.execute("DELETE FROM rate_events WHERE substr(key, 1, ?) = ?", [len(key), key])
    else:
        db.execute("DELETE FROM rate_events WHERE key = ?", [key])


def throttle(db: Database, actor: Actor, action: str, phone: str = "") -> None:
    """Refuse the `action` of a public actor past its hourly limit; count it otherwise."""
    if actor.role != "public":
        return  # signed-in people are known and audited; the limits are for strangers
    now = time.time()
    keys = [(f"{action}:source:{actor.source or 'unknown'}", LIMITS[action]["source"])]
    if phone:
        keys.append((f"{action}:phone:{phone}", LIMITS[action]["phone"]))
    for key, limit in keys:
        events = recent(db, key, WINDOW, now)
        if len(events) >= limit:
            wait = int(events[len(events) - limit] + WINDOW - now) // 60 + 1
            raise Conflict("err.rate_limited", minutes=wait)
    for key, _ in keys:
        count(db, key, now)
