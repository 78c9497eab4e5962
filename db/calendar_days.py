"""An admin's changes to the working calendar (db.calendar holds the rules): one day at a time, or
a year's arrangement from the State Council notice; every change audited."""

from sqlite_utils import Database

from db import audit, clock
from db.calendar import parse_arrangement
from db.store import write
from db.errors import Conflict
from db.models import Actor, CalendarDayIn, parse
from db.permissions import require


def add_day(db: Database, actor: Actor, data: dict) -> None:
    """An admin adds a holiday or a make-up working day."""
    require(actor, "calendar.edit")
    entry = parse(CalendarDayIn, data)
    with write(db):
        if list(db.query("SELECT 1 FROM calendar_days WHERE day = ?", [entry.day.isoformat()])):
            raise Conflict("err.day_exists", day=entry.day.isoformat())
        row = {"day": entry.day.isoformat(), "kind": entry.kind, "name": entry.name,
               "added_by": actor.username, "added_at": clock.stamp()}
        db["calendar_days"].insert(row)
        audit.record(db, actor, "create", "calendar_days", row["day"], after=row)


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
