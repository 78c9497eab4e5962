"""China's working calendar: statutory holidays and 调休 make-up working days, from chinesecalendar,
overridden or extended by dates an admin adds (for years chinesecalendar does not cover yet: a
year's arrangement is imported from the State Council notice as date ranges).

One rule for every timetable (opening hours and day care alike): on a statutory holiday the day
is a holiday (PH); a make-up working day follows the timetable of the next regular working day.
The rules only: an admin's audited changes to the added days are in db.calendar_days (so that
validation, which needs the rules, does not import the audit log)."""

import csv
import io
import json
from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar
from sqlite_utils import Database

from db.errors import InputError
from db.text import parse_day

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


def timetable_day(day: date, added: dict[str, str] | None = None) -> date:
    """The day whose weekly timetable applies on `day`: itself, or for a 调休 make-up working day
    the next regular working day (State Council notices move a weekday's work onto the weekend)."""
    if day_status(day, added) != MAKEUP:
        return day
    for n in range(1, 15):
        candidate = day + timedelta(days=n)
        if candidate.weekday() < 5 and day_status(candidate, added) == WORKDAY:
            return candidate
    return day - timedelta(days=day.weekday() - 4)  # no regular day within two weeks: that week's Friday


def holiday_name(day: date, added_names: dict[str, str] | None = None) -> str:
    """The name of a statutory holiday as chinesecalendar gives it ("Spring Festival"; the catalogue
    key holiday.<name> says 春节); admin-added days keep the name the admin gave."""
    if added_names and day.isoformat() in added_names:
        return added_names[day.isoformat()]
    try:
        return chinese_calendar.get_holiday_detail(day)[1] or ""
    except NotImplementedError:
        return ""


def added_names(db: Database) -> dict[str, str]:
    return {r["day"]: r["name"] for r in db.query("SELECT day, name FROM calendar_days WHERE kind = 'holiday'")}


@lru_cache(maxsize=1)
def covered_years() -> tuple[int, int]:  # the package's data: fixed for the life of the process
    years = [d.year for d in chinese_calendar.holidays]
    return min(years), max(years)


def year_known(year: int, added: dict[str, str] | None = None) -> bool:
    """Whether the holiday arrangement of `year` is known: published in chinesecalendar or
    entered by an admin. Outside it every day would silently look ordinary."""
    first, last = covered_years()
    return first <= year <= last or any(k.startswith(f"{year}-") for k in (added or {}))


def unknown_years(days, added: dict[str, str] | None = None) -> list[int]:
    """The years among `days` whose arrangement nobody has entered yet (for a warning)."""
    return sorted({d.year for d in days if not year_known(d.year, added)})


def list_days(db: Database) -> list[dict]:
    return list(db.query("SELECT day, kind, name, added_by, added_at FROM calendar_days ORDER BY day"))


# --- a year's arrangement, from the State Council notice ------------------------------------------

KINDS = {"holiday": "holiday", "放假": "holiday", "休": "holiday", "假": "holiday", "休息": "holiday",
         "workday": "workday", "上班": "workday", "班": "workday", "调休上班": "workday", "补班": "workday"}
RANGE_HEADERS = {"start": "start", "开始": "start", "开始日期": "start", "from": "start", "日期": "start",
                 "end": "end", "结束": "end", "结束日期": "end", "to": "end",
                 "kind": "kind", "类型": "kind", "type": "kind",
                 "name": "name", "名称": "name", "节日": "name", "节假日": "name"}
MAX_RANGE_DAYS = 31  # the longest arrangement (Spring Festival with its weekends) is 9 days


def parse_arrangement(text: str) -> list[dict]:
    """Ranges from pasted or uploaded text — CSV with a header (开始,结束,类型,名称 or
    start,end,kind,name; 结束 may be empty for one day) or a JSON list of such objects — as one
    entry per day. Every problem is reported with its line; nothing is partly accepted."""
    text = text.strip().lstrip("\ufeff")
    if not text:
        raise InputError([("file", "err.file_empty", {})])
    if text.startswith("["):
        try:
            raw = [{RANGE_HEADERS.get(str(k).strip().lower(), k): str(v or "").strip() for k, v in item.items()}
                   for item in json.loads(text)]
        except (ValueError, AttributeError) as exc:
            raise InputError([("file", "err.file_unreadable", {"detail": type(exc).__name__})]) from exc
        numbered = list(enumerate(raw, start=1))
    else:
        reader = csv.DictReader(io.StringIO(text.replace("，", ",")))
        numbered = [(n, {RANGE_HEADERS.get((k or "").strip().lower(), k): (v or "").strip() for k, v in row.items()})
                    for n, row in enumerate(reader, start=2)]
    days, problems = {}, []
    for line, row in numbered:
        try:
            start = parse_day(row.get("start", ""))
            end = parse_day(row.get("end") or row.get("start", ""))
        except ValueError:
            problems.append(("file", "err.range_date", {"row": line}))
            continue
        kind = KINDS.get(row.get("kind", "").strip().lower())
        if kind is None:
            problems.append(("file", "err.range_kind", {"row": line, "kind": row.get("kind", "")}))
            continue
        if end < start or (end - start).days >= MAX_RANGE_DAYS:
            problems.append(("file", "err.range_order", {"row": line}))
            continue
        d = start
        while d <= end:
            days[d.isoformat()] = {"day": d, "kind": kind, "name": row.get("name", "")[:40]}
            d += timedelta(days=1)
    if problems:
        raise InputError(problems)
    return [days[k] for k in sorted(days)]
