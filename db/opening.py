"""Opening hours in OpenStreetMap syntax, evaluated in China's calendar.

opening-hours-py's own Chinese holidays are incomplete, so PH is never left to it: on a
statutory holiday the token PH is replaced by that date before evaluating, on other days PH
matches nothing, and a 调休 make-up working day is evaluated as the next regular working day."""

from datetime import date, datetime, time, timedelta
from functools import lru_cache
import re

from opening_hours import OpeningHours, State

from db.calendar import HOLIDAY, MAKEUP, WORKDAY, day_status

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_PH = re.compile(r"\bPH\b")


def parse_problem(expression: str) -> str | None:
    """The parser's own message if the expression does not parse, else None."""
    try:
        OpeningHours(expression)
    except (SyntaxError, ValueError) as exc:
        return str(exc).strip()
    except Exception as exc:  # the parser raises its own ParserError type
        return str(exc).strip()
    return None


@lru_cache(maxsize=8192)
def _parsed(expression: str) -> OpeningHours | None:
    try:
        return OpeningHours(expression)
    except Exception:
        return None


@lru_cache(maxsize=65536)
def _open_spans(expression: str, on: date) -> tuple[tuple[datetime, datetime], ...]:
    oh = _parsed(expression)
    if oh is None:
        return ()
    start = datetime.combine(on, time())
    return tuple((s, e) for s, e, state, _ in oh.intervals(start, start + timedelta(days=1)) if state == State.OPEN)


def day_spans(expression: str, day: date, added: dict | None = None) -> list[tuple[datetime, datetime]]:
    """Open intervals within [day 00:00, day+1 00:00), in local (Asia/Shanghai) time."""
    status = day_status(day, added)
    if status == HOLIDAY:
        stamp = f"{day.year} {MONTHS[day.month - 1]} {day.day:02d}"
        return list(_open_spans(_PH.sub(stamp, expression), day))
    if status == MAKEUP:
        proxy = _next_regular_workday(day, added)
        shift = day - proxy
        return [(s + shift, e + shift) for s, e in _open_spans(expression, proxy)]
    return list(_open_spans(expression, day))


def _next_regular_workday(day: date, added: dict | None) -> date:
    for n in range(1, 15):
        candidate = day + timedelta(days=n)
        if candidate.weekday() < 5 and day_status(candidate, added) == WORKDAY:
            return candidate
    return day - timedelta(days=day.weekday() - 4)  # fall back to that week's Friday


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
    """Today's opening as 'HH:MM–HH:MM' strings ('00:00–24:00' for all day), [] when closed."""
    spans = day_spans(expression, day, added)
    midnight = datetime.combine(day + timedelta(days=1), time())
    return [f"{s:%H:%M}–{'24:00' if e >= midnight else format(e, '%H:%M')}" for s, e in spans]
