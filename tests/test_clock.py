"""One clock: "today" is Beijing's today on a server whose clock is UTC (the suite runs with
TZ=UTC). The clock is frozen at 00:30 Beijing on the day after the machine's UTC date, so any
code that still asked the system for the date would get yesterday and fail here."""

import re
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

from db import clock
from db.ledger import record_hours
from db.models import Actor
from tests.conftest import ROOT, login, new_app

NIGHT = datetime.combine(datetime.now(timezone.utc).date() + timedelta(days=1), time(0, 30))


def test_the_suite_really_runs_on_utc():
    assert datetime.now().astimezone().utcoffset() == timedelta(0)


def test_hours_dated_beijing_today_are_accepted_at_half_past_midnight(db):
    c = Actor("coordinator", "coordinator", community_id=1, user_id=3)
    vid = next(db.query("SELECT id FROM volunteers WHERE community_id = 1 AND status = 'active'"))["id"]
    with clock.frozen(NIGHT):
        [rid] = record_hours(db, c, {"volunteer_ids": [vid], "activity": "夜间巡逻", "minutes": 30,
                                     "service_date": NIGHT.date(), "category": "safety"})
    row = db["service_records"].get(rid)
    assert row["service_date"] == NIGHT.date().isoformat()
    assert row["recorded_at"] == NIGHT.isoformat() + "+08:00"
    audit = next(db.query("SELECT at FROM audit_log ORDER BY id DESC LIMIT 1"))["at"]
    assert audit == NIGHT.isoformat() + "+08:00" and clock.shown(audit) == NIGHT.strftime("%Y-%m-%d %H:%M")


def test_stored_stamps_read_back_as_beijing_time():
    assert clock.parse("2026-11-27T16:30:00Z") == datetime(2026, 11, 28, 0, 30)
    assert clock.parse("2026-11-28T00:30:00+08:00") == datetime(2026, 11, 28, 0, 30)
    assert clock.parse("2026-11-28T00:30:00") == datetime(2026, 11, 28, 0, 30)  # older rows: local already
    assert clock.shown("2026-11-28T00:13:09+08:00") == "2026-11-28 00:13"


def test_linli_now_starts_a_running_clock(monkeypatch):
    monkeypatch.setattr(clock, "_shift", None)
    monkeypatch.setenv("LINLI_NOW", "2030-02-10T00:30:00")
    first = clock.now()
    assert first.date() == date(2030, 2, 10) and abs(first - datetime(2030, 2, 10, 0, 30)) < timedelta(seconds=5)
    assert clock.now() >= first


def test_pages_default_to_beijing_today(app_env):
    with clock.frozen(NIGHT):
        at = new_app()
        at.run()
        at.switch_page("app_pages/daycare.py").run()
        assert not at.exception
        assert at.date_input(key="dc_week_of").value == NIGHT.date()
        login(at, "coordinator")
        at.switch_page("app_pages/hours.py").run()
        assert not at.exception
        assert NIGHT.date() in [d.value for d in at.date_input]


def test_nothing_but_the_clock_asks_the_system_for_the_date():
    """date.today(), datetime.now() and friends give the server's own zone: only db/clock.py may."""
    pattern = re.compile(r"\b(date\.today|datetime\.now|datetime\.today|datetime\.utcnow|time\.localtime)\(")
    offenders = []
    for path in ROOT.glob("**/*.py"):
        rel = path.relative_to(ROOT)
        if rel.parts[0] in ("tests", ".git") or rel == Path("db/clock.py"):
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if pattern.search(line):
                offenders.append(f"{rel}:{n}: {line.strip()}")
    assert offenders == []
