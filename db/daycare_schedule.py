"""Day-care sessions from weekly programmes (python-dateutil), closed on statutory holidays and a
centre's own closure days, and held on 调休 make-up working days that follow the schedule of the
next regular working day (the same rule the directory uses). iCalendar export with RRULE, EXDATE
for closures and RDATE for make-up days."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import FR, MO, SA, SU, TH, TU, WE, WEEKLY, rrule
from icalendar import Calendar, Event

from db.calendar import HOLIDAY, MAKEUP, day_status, holiday_name
from db.opening import _next_regular_workday

TZ = ZoneInfo("Asia/Shanghai")
WEEKDAYS = {"MO": MO, "TU": TU, "WE": WE, "TH": TH, "FR": FR, "SA": SA, "SU": SU}
CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _t(value: str) -> time:
    return time.fromisoformat(value)


def sessions(programme: dict, start: date, end: date, added: dict | None = None,
             closures: dict[str, str] | None = None, names: dict[str, str] | None = None) -> list[dict]:
    """Sessions of one programme between start and end (inclusive), each with held/reason.
    reason is 'holiday:<name>', 'closure:<reason>' or '' (held); make-up days say 'makeup'."""
    closures = closures or {}
    byday = programme["byday"].split(",")
    first = max(start, date.fromisoformat(programme["valid_from"]))
    last = min(end, date.fromisoformat(programme["valid_to"])) if programme["valid_to"] else end
    if last < first:
        return []
    days = {d.date() for d in rrule(WEEKLY, byweekday=[WEEKDAYS[b] for b in byday],
                                    dtstart=datetime.combine(first, time()), until=datetime.combine(last, time()))}
    # A make-up working day holds the sessions of the next regular working day's weekday.
    d = first
    while d <= last:
        if CODES[d.weekday()] not in byday and day_status(d, added) == MAKEUP:
            if CODES[_next_regular_workday(d, added).weekday()] in byday:
                days.add(d)
        d += timedelta(days=1)
    out = []
    for d in sorted(days):
        status = day_status(d, added)
        if status == HOLIDAY:
            held, reason = False, "holiday:" + holiday_name(d, names)
        elif d.isoformat() in closures:
            held, reason = False, "closure:" + closures[d.isoformat()]
        else:
            held, reason = True, "makeup" if status == MAKEUP and CODES[d.weekday()] not in byday else ""
        out.append({"programme_id": programme["id"], "date": d, "start": _t(programme["opens_at"]),
                    "end": _t(programme["closes_at"]), "held": held, "reason": reason})
    return out


def to_ical(centre: dict, programmes: list[dict], horizon: tuple[date, date], added: dict | None = None,
            closures: dict[str, str] | None = None) -> bytes:
    """One VCALENDAR per centre: a weekly VEVENT per programme; EXDATE for every session that is
    not held within the horizon, RDATE for make-up days."""
    cal = Calendar()
    cal.add("prodid", "-//Linli//day care//ZH")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", centre["name"])
    cal.add("x-wr-timezone", "Asia/Shanghai")
    for p in programmes:
        listed = sessions(p, *horizon, added, closures)
        regular = [s for s in listed if s["reason"] != "makeup"]
        if not regular and not listed:
            continue
        first = (regular or listed)[0]
        event = Event()
        event.add("uid", f"linli-programme-{p['id']}@linli")
        event.add("summary", p["title"])
        event.add("location", f"{centre['name']} {p['room']}")
        event.add("description", p["notes"] or p["kind"])
        event.add("dtstart", datetime.combine(first["date"], first["start"], TZ))
        event.add("dtend", datetime.combine(first["date"], first["end"], TZ))
        rule = {"freq": "weekly", "byday": p["byday"].split(",")}
        until = date.fromisoformat(p["valid_to"]) if p["valid_to"] else horizon[1]
        rule["until"] = datetime.combine(min(until, horizon[1]), time(23, 59, 59), TZ)
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
