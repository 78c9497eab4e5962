"""An admin's changes to the working calendar (db.calendar holds the rules): a run of days, or
a year's arrangement from the State Council notice; every change audited."""

from datetime import timedelta

from sqlite_utils import Database

from db import audit, clock
from db.calendar import parse_arrangement
from db.store import write
from db.errors import Conflict
from db.models import Actor, CalendarRangeIn, parse
from db.permissions import require


def add_range(db: Database, actor: Actor, data: dict) -> int:
    """An admin adds a run of days at once (春节: seven days off), all or none; a day already
    entered is refused by name. Returns how many days were added."""
    require(actor, "calendar.edit")
    span = parse(CalendarRangeIn, data)
    days = [span.start + timedelta(days=n) for n in range((span.end - span.start).days + 1)]
    with write(db):
        for day in days:
            if list(db.query("SELECT 1 FROM calendar_days WHERE day = ?", [day.isoformat()])):
                raise Conflict("err.day_exists", day=day.isoformat())
            row = {"day": day.isoformat(), "kind": span.kind, "name": span.name,
                   "added_by": actor.username, "added_at": clock.stamp()}
            db["calendar_days"].insert(row)
            audit.record(db, actor, "create", "calendar_days", row["day"], after=row)
    return len(days)


def remove_day(db: Database, actor: Actor, day: str) -> None:
    require(actor, "calendar.edit")
    with write(db):
        before = list(db.query("SELECT * FROM calendar_days WHERE day = ?", [day]))
        if before:
            db.execute("DELETE FROM calendar_days WHERE day = ?", [day])
            audit.record(db, actor, "delete", "calendar_days", day, before=before[0])


def import_arrangement(db: Database, actor: Actor, text: str) -> int:
    """An admin enters a year's holidays and make-up working days at once; a day already entered
    is replaced (the notice was corrected). One transaction, one audit row per day written."""
    require(actor, "calendar.edit")
    entries = parse_arrangement(text)
    with write(db):
        for entry in entries:
            key = entry["day"].isoformat()
            before = list(db.query("SELECT * FROM calendar_days WHERE day = ?", [key]))
            row = {"day": key, "kind": entry["kind"], "name": entry["name"], "added_by": actor.username,
                   "added_at": clock.stamp()}
            db["calendar_days"].upsert(row, pk="day")
            audit.record(db, actor, "update" if before else "create", "calendar_days", key,
                         before=before[0] if before else None, after=row)
    return len(entries)
