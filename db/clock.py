"""One clock for the whole product: "now" and "today" are Beijing time (Asia/Shanghai), whatever
time zone the server runs in. Every page, db function, audit row and export asks here.

Tests freeze it with `frozen(...)`; a server started for a browser test sets LINLI_NOW (an ISO
local time, e.g. 2026-11-28T00:30) and its clock starts there and runs on from it."""

import os
import time as _time
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Shanghai")
OFFSET = "+08:00"  # China has one zone and no daylight saving: stored stamps carry it explicitly

_frozen: datetime | None = None
_shift: timedelta | None = None  # LINLI_NOW minus the real time when this process first asked


def _real_now() -> datetime:
    return datetime.fromtimestamp(_time.time(), TZ).replace(tzinfo=None)


def now() -> datetime:
    """Beijing time now, naive (how people write times here: opening hours, schedules, forms)."""
    global _shift
    if _frozen is not None:
        return _frozen
    start = os.environ.get("LINLI_NOW")
    if start:
        if _shift is None:
            _shift = datetime.fromisoformat(start) - _real_now()
        return (_real_now() + _shift).replace(microsecond=0)
    return _real_now()


def today() -> date:
    return now().date()


def stamp(moment: datetime | None = None) -> str:
    """A stored timestamp: Beijing local time with its offset, so nobody can read it as UTC."""
    return (moment or now()).replace(microsecond=0).isoformat() + OFFSET


def parse(value: str) -> datetime:
    """A stored timestamp (with or without offset) as naive Beijing time."""
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is not None:
        moment = moment.astimezone(TZ).replace(tzinfo=None)
    return moment


def minute(moment: datetime | None = None) -> str:
    """A time to the minute, as schedules are stored (activities and their shifts, a need's window):
    2026-12-12T09:00, Beijing time without an offset; now when no moment is given. Read back with
    datetime.fromisoformat."""
    return (moment or now()).isoformat(timespec="minutes")


def shown(value: str | None) -> str:
    """A stored timestamp as people read it: 2026-11-28 00:13."""
    return parse(value).strftime("%Y-%m-%d %H:%M") if value else ""


def time_of(value: str | None) -> str:
    """The time of day of a stored timestamp, as people read it: 08:45."""
    return shown(value)[11:]


@contextmanager
def frozen(moment: datetime):
    """Stop the clock at `moment` (naive Beijing time) for the block."""
    global _frozen
    before, _frozen = _frozen, moment
    try:
        yield moment
    finally:
        _frozen = before
