"""Opening hours in OpenStreetMap syntax, evaluated in China's calendar.

opening-hours-py's own Chinese holidays are incomplete, so it is never given a country: PH then
matches no day. On a statutory holiday we replace the token PH by that day's weekday code, so
`Su,PH 09:00-17:00` or `PH off` apply to it wherever PH stands in a selector list; a 调休 make-up
working day is evaluated as the next regular working day (calendar.timetable_day, shared with day
care). Each day is evaluated under its own status; what a range past midnight (22:00-02:00) adds
after midnight comes from the evening before, under that evening's status."""

from datetime import date, datetime, time, timedelta
from functools import lru_cache
import re

from opening_hours import OpeningHours, State

from db.calendar import HOLIDAY, WEEKEND, WORKDAY, day_status, timetable_day

CODES = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
_PH = re.compile(r"\bPH\b")


# The parser names its grammar rules ("expected wday"); a coordinator is told what kind of thing
# belongs at that place, in words (the catalogue's err.opening_hours.* messages).
_EXPECTED = (("wday", "weekday"), ("minute", "time"), ("hour", "time"), ("time", "time"), ("timespan", "time"),
             ("normal_rule_separator", "separator"), ("EOI", "end"))


def parse_problem(expression: str) -> dict | None:
    """Where the expression stops parsing and what was expected there ({"at": column, "near": the
    text from there, "expect": start|weekday|time|separator|end|other}), or None when it parses."""
    try:
        OpeningHours(expression)
    except Exception as exc:  # SyntaxError, ValueError or the parser's own ParserError
        detail = str(exc)
        place = re.search(r"--> *\d+:(\d+)", detail)
        at = int(place.group(1)) if place else 1
        wanted = detail.rsplit("=", 1)[-1]
        expect = "start" if at == 1 else next(
            (kind for rule, kind in _EXPECTED if re.search(rf"\b\w*{rule}\b", wanted)), "other")
        return {"at": at, "near": expression[at - 1:at + 9] or "…", "expect": expect}
    return None


@lru_cache(maxsize=8192)
def _parsed(expression: str) -> OpeningHours | None:
    try:
        return OpeningHours(expression)
    except Exception:
        return None


@lru_cache(maxsize=65536)
def _spans(expression: str, start: date, days: int) -> tuple[tuple[datetime, datetime], ...]:
    oh = _parsed(expression)
    if oh is None:
        return ()
    begin = datetime.combine(start, time())
    return tuple((s, e) for s, e, state, _ in oh.intervals(begin, begin + timedelta(days=days)) if state == State.OPEN)


def _rule(expression: str, day: date, added: dict | None) -> tuple[str, date]:
    """The expression and the calendar day to evaluate for `day`'s own opening."""
    if day_status(day, added) == HOLIDAY:
        return _PH.sub(CODES[day.weekday()], expression), day
    return expression, timetable_day(day, added)


def _own_evening(expression: str, day: date, added: dict | None) -> list[tuple[datetime, datetime]]:
    """What `day`'s own rule keeps open past its midnight, moved onto the real dates."""
    rule, proxy = _rule(expression, day, added)
    shift = day - proxy
    midnight = datetime.combine(proxy + timedelta(days=1), time())
    return [(midnight + shift, e + shift) for s, e in _spans(rule, proxy, 2) if s < midnight < e]


def _plain(day: date, added: dict | None) -> bool:
    return day_status(day, added) in (WORKDAY, WEEKEND)


def day_spans(expression: str, day: date, added: dict | None = None) -> list[tuple[datetime, datetime]]:
    """Open intervals within [day 00:00, day+1 00:00), in local (Asia/Shanghai) time."""
    rule, proxy = _rule(expression, day, added)
    shift = day - proxy
    own = [(s + shift, e + shift) for s, e in _spans(rule, proxy, 1)]
    eve = day - timedelta(days=1)
    if _plain(day, added) and _plain(eve, added):
        return own  # the parser's own view of the evening before is right on ordinary days
    # Replace what the parser carried over from the evening before (evaluated under today's rule)
    # by what that evening's own rule carries over.
    midnight = datetime.combine(day, time())
    carried = [(midnight, e + shift) for s, e in _spans(rule, proxy - timedelta(days=1), 2)
               if s < midnight - shift < e]
    own = _subtract(own, carried)
    end = midnight + timedelta(days=1)
    spans = own + [(s, min(e, end)) for s, e in _own_evening(expression, eve, added)]
    return _merged(spans)


def _subtract(spans, holes):
    out = []
    for s, e in spans:
        pieces = [(s, e)]
        for hs, he in holes:
            pieces = [p for a, b in pieces for p in ((a, min(b, hs)), (max(a, he), b)) if p[0] < p[1]]
        out += pieces
    return out


def _merged(spans):
    out = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def is_open(expression: str, when: datetime, added: dict | None = None) -> bool:
    return any(s <= when < e for s, e in day_spans(expression, when.date(), added))


def next_change(expression: str, when: datetime, added: dict | None = None, days: int = 14) -> datetime | None:
    """When the open/closed state next changes within `days`, or None (always open or closed)."""
    now_open = is_open(expression, when, added)
    for n in range(days):
        day = when.date() + timedelta(days=n)
        edges = sorted({x for s, e in day_spans(expression, day, added) for x in (s, e)})
        for edge in edges:
            if edge > when and is_open(expression, edge, added) != now_open:
                return edge
    return None


def hours_in_words(expression: str, day: date, added: dict | None = None) -> list[str]:
    """A day's opening as 'HH:MM–HH:MM' strings ('00:00–24:00' for all day), [] when closed."""
    spans = day_spans(expression, day, added)
    midnight = datetime.combine(day + timedelta(days=1), time())
    return [f"{s:%H:%M}–{'24:00' if e >= midnight else format(e, '%H:%M')}" for s, e in spans]


def week_in_words(expression: str, start: date, added: dict | None = None) -> list[tuple[list[int], list[str]]]:
    """The regular week, for a card on the fridge: runs of ISO weekdays (1 = Monday) sharing the
    same hours, in order, e.g. [([1, 2, 3, 4, 5], ["08:30–12:00", "14:00–18:00"]), ([6, 7], [])].
    Read from the first week from `start` on with no holiday or make-up day in it."""
    monday = start - timedelta(days=start.weekday())
    for _ in range(60):
        days = [monday + timedelta(days=n) for n in range(7)]
        if all(day_status(d, added) in (WORKDAY, WEEKEND) for d in days):
            break
        monday += timedelta(days=7)
    runs: list[tuple[list[int], list[str]]] = []
    for day in days:
        hours = hours_in_words(expression, day, added)
        if runs and runs[-1][1] == hours:
            runs[-1][0].append(day.isoweekday())
        else:
            runs.append(([day.isoweekday()], hours))
    return runs


def holiday_in_words(expression: str, start: date, added: dict | None = None) -> list[str] | None:
    """The hours on a statutory holiday: the next one from `start`, or when the coming year's
    holidays are not published yet the last one before it (None: no holiday known either way)."""
    for n in list(range(400)) + [-n for n in range(1, 400)]:
        day = start + timedelta(days=n)
        if day_status(day, added) == HOLIDAY:
            return hours_in_words(expression, day, added)
    return None


def expression_for(week: dict[int, list[tuple[time, time]]], holiday: str | list[tuple[time, time]] = "same") -> str:
    """OSM syntax for a weekly grid, as the coordinator's editor fills it: ISO weekday → opening
    ranges (closing at 00:00 means midnight), and public holidays "same" (as that weekday), "off"
    or their own ranges. Equal neighbouring days are joined: Mo-Fr 08:30-12:00,14:00-18:00; Sa …"""
    def ranges(spans):
        return ",".join(f"{a:%H:%M}-{'24:00' if b == time(0) else format(b, '%H:%M')}" for a, b in spans)

    if all(week.get(d) == [(time(0), time(0))] for d in range(1, 8)) and holiday == "same":
        return "24/7"
    runs: list[list] = []
    for d in range(1, 8):
        spans = week.get(d) or []
        if runs and runs[-1][2] == spans and runs[-1][1] == d - 1:
            runs[-1][1] = d
        else:
            runs.append([d, d, spans])
    parts = [f"{CODES[s - 1] if s == e else CODES[s - 1] + ('-' if e > s + 1 else ',') + CODES[e - 1]} {ranges(spans)}"
             for s, e, spans in runs if spans]
    if holiday == "off":
        parts.append("PH off")
    elif holiday != "same":
        parts.append(f"PH {ranges(holiday)}")
    return "; ".join(parts) or "off"


def grid_of(expression: str, start: date, added: dict | None = None) -> tuple[dict, str | list] | None:
    """The weekly grid an expression stands for (the editor's starting point), or None when it says
    more than a grid can (more than two ranges a day, dates, weeks of the month: the OSM field then)."""
    def spans(words):
        out = []
        for w in words:
            a, b = w.split("–")
            out.append((time.fromisoformat(a), time(0) if b == "24:00" else time.fromisoformat(b)))
        return out

    if _parsed(expression) is None:
        return None
    week = {}
    for run, words in week_in_words(expression, start, added):
        for d in run:
            week[d] = spans(words)
    if any(len(s) > 2 for s in week.values()):
        return None
    holiday: str | list = "same"  # without PH, a holiday keeps its weekday's hours
    if _PH.search(expression):
        on_holiday = holiday_in_words(expression, start, added)
        holiday = "same" if on_holiday is None else "off" if not on_holiday else spans(on_holiday)
    if week_in_words(expression_for(week, holiday), start, added) != week_in_words(expression, start, added):
        return None
    return week, holiday
