"""Rate limits on what anyone can do without an account: posting needs and signing up. Counted
per client address and per phone number over a sliding hour, in the database (every app process
shares them); the refusal says how long to wait. Call inside the write transaction."""

import time

from sqlite_utils import Database

from db.errors import Conflict
from db.models import Actor

WINDOW = 3600
LIMITS = {"need": {"source": 10, "phone": 3}, "signup": {"source": 5, "phone": 2}}


def throttle(db: Database, actor: Actor, action: str, phone: str = "") -> None:
    """Refuse the `action` of a public actor past its hourly limit; count it otherwise."""
    if actor.role != "public":
        return  # signed-in people are known and audited; the limits are for strangers
    now = time.time()
    db.execute("DELETE FROM rate_events WHERE at < ?", [now - WINDOW])
    keys = [(f"{action}:source:{actor.source or 'unknown'}", LIMITS[action]["source"])]
    if phone:
        keys.append((f"{action}:phone:{phone}", LIMITS[action]["phone"]))
    for key, limit in keys:
        events = [r["at"] for r in db.query("SELECT at FROM rate_events WHERE key = ? ORDER BY at", [key])]
        if len(events) >= limit:
            wait = int(events[len(events) - limit] + WINDOW - now) // 60 + 1
            raise Conflict("err.rate_limited", minutes=wait)
    for key, _ in keys:
        db.execute("INSERT INTO rate_events (key, at) VALUES (?, ?)", [key, now])
