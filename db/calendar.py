"""China's working calendar: statutory holidays and 调休 make-up working days, from chinesecalendar,
overridden or extended by dates an admin adds (for years chinesecalendar does not cover yet)."""

from datetime import date
from functools import lru_cache

import chinese_calendar
from sqlite_utils import Database

from db import audit
from db.connection import write
from db.errors import Conflict
from db.models import Actor, CalendarDayIn, parse
from db.permissions import require_admin

HOLIDAY, MAKEUP, WEEKEND, WORKDAY = "holiday", "makeup", "weekend", "workday"


def overrides(db: Database) -> dict[str, str]:
    """Admin-added days: ISO date → 'holiday' or 'workday'."""
    return {r["day"]: r["kind"] for r in db.query("SELECT day, kind FROM calendar_days")}


def day_status(day: date, added: dict[str, str] | None = None) -> str:
    """holiday (statutory day off), makeup (a weekend day worked instead), weekend or workday."""
    kind = (added or {}).get(day.isoformat())
    if kind == "holiday":
        return HOLIDAY
    if kind == "workday":
        return MAKEUP if day.weekday() >= 5 else WORKDAY
    return _published_status(day)


@lru_cache(maxsize=8192)
def _published_status(day: date) -> str:
    """The status chinesecalendar publishes (cached: schedules and opening hours ask per day)."""
    try:
        off, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:  # a year chinesecalendar does not know yet
        off, name = day.weekday() >= 5, None
    if off:
        return HOLIDAY if name else WEEKEND
    return MAKEUP if day.weekday() >= 5 else WORKDAY


def holiday_name(day: date, added_names: dict[str, str] | None = None) -> str:
    """The name of a statutory holiday (English, as chinesecalendar gives it; admin-added days
    keep the name the admin typed)."""
    if added_names and day.isoformat() in added_names:
        return added_names[day.isoformat()]
    try:
        return chinese_calendar.get_holiday_detail(day)[1] or ""
    except NotImplementedError:
        return ""


def added_names(db: Database) -> dict[str, str]:
    return {r["day"]: r["name"] for r in db.query("SELECT day, name FROM calendar_days WHERE kind = 'holiday'")}


def covered_years() -> tuple[int, int]:
    years = [d.year for d in chinese_calendar.holidays]
    return min(years), max(years)


def list_days(db: Database) -> list[dict]:
    return list(db.query("SELECT day, kind, name, added_by, added_at FROM calendar_days ORDER BY day"))


def add_day(db: Database, actor: Actor, data: dict) -> None:
    """An admin adds a holiday or a make-up working day."""
    require_admin(actor)
    entry = parse(CalendarDayIn, data)
    with write(db):
        if list(db.query("SELECT 1 FROM calendar_days WHERE day = ?", [entry.day.isoformat()])):
            raise Conflict("err.day_exists", day=entry.day.isoformat())
        row = {"day": entry.day.isoformat(), "kind": entry.kind, "name": entry.name,
               "added_by": actor.username, "added_at": audit.now()}
        db["calendar_days"].insert(row)
        audit.record(db, actor, "create", "calendar_days", row["day"], after=row)


def remove_day(db: Database, actor: Actor, day: str) -> None:
    require_admin(actor)
    with write(db):
        before = list(db.query("SELECT * FROM calendar_days WHERE day = ?", [day]))
        if before:
            db.execute("DELETE FROM calendar_days WHERE day = ?", [day])
            audit.record(db, actor, "delete", "calendar_days", day, before=before[0])
