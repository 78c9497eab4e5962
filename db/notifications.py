"""In-app notifications for volunteers (no outside service): stored when something happens to
their things — hours approved or not, a place come free, an activity called off — and, worked out
when asked, tomorrow's activities. The bell counts what is unread."""

import json
from datetime import timedelta

from sqlite_utils import Database

from db import audit, clock
from db.errors import PermissionDenied
from db.models import Actor
from db.permissions import require
from db.store import write

SHOWN = 20


def notify(db: Database, volunteer_id: int, kind: str, **params) -> None:
    """Leave a notification, inside the caller's transaction (it exists if what it says happened)."""
    db.execute("INSERT INTO notifications (volunteer_id, kind, params, created_at) VALUES (?, ?, ?, ?)",
               [volunteer_id, kind, json.dumps(params, ensure_ascii=False, default=str), clock.stamp()])


def notify_hours(db: Database, kind: str, volunteer_id: int, minutes: int, activity: str, day: str, **extra) -> None:
    """Hours approved or not: the hours to one decimal, what and when."""
    notify(db, volunteer_id, kind, hours=round(minutes / 60, 1), activity=activity, day=day, **extra)


def _own(actor: Actor) -> int:
    if actor.volunteer_id is None:
        raise PermissionDenied("err.permission")
    require(actor, "volunteers.own", volunteer_id=actor.volunteer_id)
    return actor.volunteer_id


def inbox(db: Database, actor: Actor) -> dict:
    """{"unread": n, "items": [{"kind", "params", "at", "unread"}]}: reminders of activities starting
    within a day first, then stored notifications, newest first."""
    volunteer_id = _own(actor)
    now = clock.now()
    soon = [{"kind": "activity_soon", "params": {"title": r["title"], "starts": r["starts_at"][11:],
                                                  "day": r["starts_at"][:10]}, "at": None, "unread": True}
            for r in db.query(
                "SELECT a.title, s.starts_at FROM activity_signups u JOIN activity_shifts s ON s.id = u.shift_id"
                " JOIN activities a ON a.id = u.activity_id WHERE u.volunteer_id = ? AND u.status = 'confirmed'"
                " AND a.status = 'published' AND s.starts_at > ? AND s.starts_at <= ? ORDER BY s.starts_at",
                [volunteer_id, clock.minute(now), clock.minute(now + timedelta(days=1))])]
    stored = [{"kind": r["kind"], "params": json.loads(r["params"]), "at": r["created_at"], "unread": r["read_at"] is None}
              for r in db.query("SELECT kind, params, created_at, read_at FROM notifications WHERE volunteer_id = ?"
                                " ORDER BY id DESC LIMIT ?", [volunteer_id, SHOWN])]
    unread = db.execute("SELECT COUNT(*) FROM notifications WHERE volunteer_id = ? AND read_at IS NULL",
                        [volunteer_id]).fetchone()[0]
    return {"unread": unread + len(soon), "items": soon + stored}


def mark_read(db: Database, actor: Actor) -> int:
    volunteer_id = _own(actor)
    with write(db):
        n = db.execute("UPDATE notifications SET read_at = ? WHERE volunteer_id = ? AND read_at IS NULL",
                       [clock.stamp(), volunteer_id]).rowcount
        audit.record(db, actor, "read", "notifications", None, after={"read": n})
    return n
