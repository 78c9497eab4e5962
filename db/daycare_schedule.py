"""Day-care sessions from weekly programmes, closed on statutory holidays and a centre's own
closure days; a 调休 make-up working day runs the timetable of the next regular working day (the
rule the directory uses, from db.calendar). iCalendar export with RRULE, EXDATE for sessions not
held and RDATE for make-up days, up to the last year whose holidays are known."""

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from db import clock
from db.calendar import HOLIDAY, MAKEUP, day_status, holiday_name, timetable_day, year_known

TZ = ZoneInfo("Asia/Shanghai")
CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _t(value: str) -> time:
    return time.fromisoformat(value)


def sessions(programme: dict, start: date, end: date, added: dict | None = None,
             closures: dict[str, str] | None = None, names: dict[str, str] | None = None) -> list[dict]:
    """Sessions of one programme between start and end (inclusive), each with held/reason.
    A day runs the programme when the weekday of its timetable day (calendar.timetable_day: the
    day itself, or for a 调休 make-up working day the next regular working day) is in byday.
    reason: '' (held), 'makeup' (held on a make-up day), 'holiday:<name>', 'closure:<reason>',
    'workday:<timetable day>' (the programme's own weekday is worked as another weekday)."""
    closures = closures or {}
    byday = set(programme["byday"].split(","))
    first = max(start, date.fromisoformat(programme["valid_from"]))
    last = min(end, date.fromisoformat(programme["valid_to"])) if programme["valid_to"] else end
    out = []
    d = first
    while d <= last:
        status, follows = day_status(d, added), timetable_day(d, added)
        own, runs = CODES[d.weekday()] in byday, CODES[follows.weekday()] in byday
        if status == HOLIDAY and own:
            held, reason = False, "holiday:" + holiday_name(d, names)
        elif status == MAKEUP and own and not runs:
            held, reason = False, "workday:" + follows.isoformat()
        elif runs and d.isoformat() in closures:
            held, reason = False, "closure:" + closures[d.isoformat()]
        elif runs and status != HOLIDAY:
            held, reason = True, "makeup" if status == MAKEUP and not own else ""
        else:
            d += timedelta(days=1)
            continue
        out.append({"programme_id": programme["id"], "date": d, "start": _t(programme["opens_at"]),
                    "end": _t(programme["closes_at"]), "held": held, "reason": reason})
        d += timedelta(days=1)
    return out


def known_until(horizon_end: date, added: dict | None = None) -> date:
    """The last day up to which China's calendar is known (published or entered by an admin)."""
    year = clock.today().year - 1
    while year < horizon_end.year and year_known(year + 1, added):
        year += 1
    return min(horizon_end, date(year, 12, 31))


def to_ical(centre: dict, programmes: list[dict], horizon: tuple[date, date], added: dict | None = None,
            closures: dict[str, str] | None = None) -> bytes:
    """One VCALENDAR per centre: a weekly VEVENT per programme; EXDATE for every session that is
    not held within the horizon, RDATE for make-up days. The horizon stops where the holiday
    arrangement is not known yet: past it the calendar would claim sessions on days that may be
    holidays; the description says so."""
    until_known = known_until(horizon[1], added)
    horizon = (horizon[0], until_known)
    stamp = datetime.combine(clock.today(), clock.now().time(), TZ).astimezone(timezone.utc)
    cal = Calendar()
    cal.add("prodid", "-//Linli//day care//ZH")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", centre["name"])
    cal.add("x-wr-timezone", "Asia/Shanghai")
    cal.add("x-wr-caldesc", f"课表排至 {until_known.isoformat()}；{until_known.year + 1} 年节假日安排录入后更新。")
    for p in programmes:
        listed = sessions(p, *horizon, added, closures)
        regular = [s for s in listed if s["reason"] != "makeup"]
        if not regular and not listed:
            continue
        first = (regular or listed)[0]
        event = Event()
        event.add("uid", f"linli-programme-{p['id']}@linli")
        event.add("dtstamp", stamp)
        event.add("summary", p["title"])
        event.add("location", f"{centre['name']} {p['room']}")
        event.add("description", p["notes"] or p["kind"])
        event.add("dtstart", datetime.combine(first["date"], first["start"], TZ))
        event.add("dtend", datetime.combine(first["date"], first["end"], TZ))
        rule = {"freq": "weekly", "byday": p["byday"].split(",")}
        until = date.fromisoformat(p["valid_to"]) if p["valid_to"] else horizon[1]
        # RFC 5545: with a zoned DTSTART, UNTIL is given in UTC.
        rule["until"] = datetime.combine(min(until, horizon[1]), time(23, 59, 59), TZ).astimezone(timezone.utc)
        event.add("rrule", rule)
        for s in listed:
            moment = datetime.combine(s["date"], s["start"], TZ)
            if not s["held"]:
                event.add("exdate", moment)
            elif s["reason"] == "makeup":
                event.add("rdate", moment)
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
