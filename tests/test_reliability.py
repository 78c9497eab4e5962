"""Reliability: several processes writing at once, a writer killed mid-import, backup while
writing and restore into an empty path."""

import hashlib
import multiprocessing as mp
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta

import pytest

import psycopg

from db.connection import connect
from db.errors import LinliError
from db.store import is_postgres as db_is_postgres, where
from tests.conftest import ROOT
from db import clock

pytestmark = pytest.mark.both_engines
# What a writer must never see: SQLite's "database is locked", PostgreSQL's lock or serialization errors.
LOCKED = (sqlite3.OperationalError, psycopg.OperationalError)


def _worker(path, n, barrier, results):
    """Mixed writes from one process: hours, claims, redemptions, day-care bookings."""
    from db.daycare import book, centres, members, programmes
    from db.daycare_schedule import sessions
    from db.exchange import claim, post_need
    from db.ledger import record_hours
    from db.models import Actor
    from db.users import actor_for

    db = connect(path, migrate=False)
    qiupu = next(db.query("SELECT id FROM communities WHERE name = '秋浦社区'"))["id"]
    coord = Actor("coordinator", "coordinator", community_id=qiupu, user_id=3)
    volunteers = [r["id"] for r in db.query("SELECT id FROM volunteers WHERE community_id = ? AND status = 'active'"
                                            " ORDER BY id LIMIT 8", [qiupu])]
    needs = [r["id"] for r in db.query("SELECT id FROM service_requests WHERE title = 'concurrency' ORDER BY id")]
    centre = next(c for c in centres(db) if c["community_id"] == qiupu)
    prog = next(p for p in programmes(db, centre["id"]) if p["title"] == "并发测试")
    day = next(s["date"] for s in sessions(prog, clock.today(), clock.today() + timedelta(days=30)) if s["held"])
    people = [m["id"] for m in members(db, coord, centre["id"])]
    me = actor_for(db, "volunteer")
    barrier.wait()
    outcome = {"records": 0, "claims": 0, "bookings": 0, "redeemed": 0, "refused": [], "locked": 0}
    for i in range(12):
        try:
            record_hours(db, coord, {"volunteer_ids": [volunteers[(n + i) % len(volunteers)]], "activity": f"并发{n}-{i}",
                                     "service_date": clock.today() - timedelta(days=1 + i), "minutes": 30,
                                     "category": "safety"})
            outcome["records"] += 1
        except LinliError as exc:
            outcome["refused"].append(exc.key)
        except LOCKED:
            outcome["locked"] += 1
        for action in ("claim", "book", "redeem"):
            try:
                if action == "claim":
                    claim(db, coord, needs[i % len(needs)], volunteers[n % len(volunteers)])
                    outcome["claims"] += 1
                elif action == "book":
                    outcome["bookings"] += book(db, coord, prog["id"], day, people[(n * 12 + i) % len(people)]) == "booked"
                else:
                    post_need(db, me, {"title": "兑换", "category": "errands", "community_id": qiupu,
                                       "expires_at": clock.today() + timedelta(days=3)}, redeem_minutes=60)
                    outcome["redeemed"] += 60
            except LinliError as exc:
                outcome["refused"].append(exc.key)
            except LOCKED:
                outcome["locked"] += 1
    results.put(outcome)


def test_processes_writing_at_once_lose_nothing(db):
    from db.daycare import add_programme, centres
    from db.exchange import post_need
    from db.models import Actor

    path = where(db)
    qiupu = next(db.query("SELECT id FROM communities WHERE name = '秋浦社区'"))["id"]
    coord = Actor("coordinator", "coordinator", community_id=qiupu, user_id=3)
    for _ in range(6):
        post_need(db, coord, {"title": "concurrency", "category": "medicine", "community_id": qiupu,
                              "expires_at": clock.today() + timedelta(days=3)})
    centre = next(c for c in centres(db) if c["community_id"] == qiupu)
    add_programme(db, coord, {"centre_id": centre["id"], "title": "并发测试", "kind": "exercise", "room": "并发室",
                              "capacity": 10, "byday": ["MO", "TU", "WE", "TH", "FR", "SA", "SU"], "opens_at": "15:00",
                              "closes_at": "16:00", "valid_from": clock.today()})
    me = next(db.query("SELECT v.id FROM volunteers v JOIN users u ON u.id = v.user_id WHERE u.username = 'volunteer'"))["id"]
    from db.timebank import available_minutes

    balance_before = available_minutes(db, me)
    records_before = db["service_records"].count
    ctx = mp.get_context("fork")
    barrier, results = ctx.Barrier(4), ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(path, n, barrier, results)) for n in range(4)]
    for p in procs:
        p.start()
    outcomes = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(30)
    assert sum(o["locked"] for o in outcomes) == 0  # nobody ever saw "database is locked"
    assert db["service_records"].count == records_before + sum(o["records"] for o in outcomes)
    assert sum(o["records"] for o in outcomes) == 48
    claimed = next(db.query("SELECT COUNT(*) AS n FROM service_requests WHERE title = 'concurrency' AND status = 'claimed'"))["n"]
    assert claimed == sum(o["claims"] for o in outcomes) == 6  # each need claimed exactly once
    booked = next(db.query("SELECT COUNT(*) AS n FROM daycare_bookings b JOIN daycare_programmes p ON p.id = b.programme_id"
                           " WHERE p.title = '并发测试' AND b.status = 'booked'"))["n"]
    assert booked == sum(o["bookings"] for o in outcomes) == 10  # capacity holds
    assert available_minutes(db, me) == balance_before - sum(o["redeemed"] for o in outcomes) >= 0
    refused = {k for o in outcomes for k in o["refused"]}
    assert refused <= {"err.just_taken", "err.session_full", "err.already_booked", "err.balance_too_low", "err.busy"}


IMPORT_SCRIPT = """
import sys
sys.path.insert(0, {root!r})
from datetime import date, timedelta
from db.connection import connect
from db.identity import make_id
from db.models import SYSTEM
from db.transfer import commit_volunteers, preview_volunteers
db = connect({path!r}, migrate=False)
rows = []
for i in range({n}):
    born = date(1930, 1, 1) + timedelta(days=i)  # one birthday each: every ID number differs
    rows.append({{"姓名": f"导入{{i}}", "性别": "女", "出生日期": born.isoformat(),
                 "身份证号": make_id("341702", born, 1, "F"), "手机": f"136{{i:08d}}", "社区": "秋浦社区"}})
preview = preview_volunteers(db, SYSTEM, rows)
assert all(not p["errors"] for p in preview), [p["errors"] for p in preview if p["errors"]][:3]
open({flag!r}, "w").write("go")
commit_volunteers(db, SYSTEM, preview)
open({flag!r}, "w").write("done")
"""


def test_killed_writer_leaves_all_or_nothing(db, tmp_path):
    path, flag = where(db), tmp_path / "flag"
    before = db["volunteers"].count
    n = 3000
    script = IMPORT_SCRIPT.format(root=str(ROOT), path=str(path), flag=str(flag), n=n)
    proc = subprocess.Popen([sys.executable, "-c", script], env={**os.environ, "LINLI_DB_PATH": str(path)})
    deadline = time.time() + 120
    while not (flag.exists() and flag.read_text() == "go") and time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
    time.sleep(0.5)  # well inside the import's transaction
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert flag.read_text() == "go", "the import finished before the kill; make it larger"
    checked = subprocess.run([sys.executable, "-m", "db", "--db", str(path), "check"], cwd=ROOT,
                             capture_output=True, text=True, timeout=60)
    assert "integrity: ok" in checked.stdout and "check: ok" in checked.stdout, checked.stdout + checked.stderr
    after = connect(path, migrate=False)["volunteers"].count
    assert after in (before, before + n)
    assert after == before  # killed mid-transaction: nothing of it is there


def table_digest(location) -> dict[str, tuple[int, str]]:
    """Every table's rows (in any order) and count, through connect() on either engine."""
    db = connect(str(location), migrate=False)
    out = {}
    for name in db.table_names():
        rows = sorted(repr(tuple(r)) for r in db.execute(f'SELECT * FROM "{name}"').fetchall())
        out[name] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    db.close()
    return out


def test_backup_while_writing_then_restore(db, tmp_path, new_store):
    path = where(db)
    writer = subprocess.Popen([sys.executable, "-c", f"""
import sys, time
sys.path.insert(0, {str(ROOT)!r})
from db.connection import connect
from db.store import write
db = connect({str(path)!r}, migrate=False)
for i in range(400):
    with write(db):
        db.execute("INSERT INTO audit_log (at, actor, action, table_name) VALUES ('now', 'writer', 'tick', 'x')")
    time.sleep(0.005)
"""])
    time.sleep(0.3)
    backup = tmp_path / "backups" / "copy.db"
    result = subprocess.run([sys.executable, "-m", "db", "--db", str(path), "backup", str(backup)], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    writer.wait(60)
    assert result.returncode == 0, result.stderr
    restored = new_store("restored")
    result = subprocess.run([sys.executable, "-m", "db", "restore", str(backup), str(restored)], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "check: ok" in result.stdout, result.stdout + result.stderr
    source, copy = table_digest(path), table_digest(restored)
    assert source.pop("audit_log") != copy.pop("audit_log") and source == copy  # all but the ticks after it
    if not db_is_postgres(db):  # a SQLite backup is itself a database
        assert table_digest(backup) == table_digest(restored) | {"audit_log": table_digest(backup)["audit_log"]}
    ticks = connect(restored, migrate=False).execute("SELECT COUNT(*) FROM audit_log WHERE action = 'tick'").fetchone()[0]
    assert 0 < ticks < 400  # a consistent snapshot taken mid-stream
    again = subprocess.run([sys.executable, "-m", "db", "restore", str(backup), restored], cwd=ROOT,
                           capture_output=True, text=True, timeout=60)
    assert again.returncode == 2 and "not empty" in again.stderr


def test_a_full_disk_is_a_message_and_nothing_half_written(db):
    if db_is_postgres(db):
        pytest.skip("needs a server on a full disk; PostgreSQL's disk-full (53100) maps to the same message in db/store")
    from db.store import StorageFailed
    from db.exchange import post_need
    from db.models import Actor

    c = Actor("coordinator", "coordinator", community_id=1, user_id=3)
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages}")  # the disk is full from now on
    before = (db["service_requests"].count, db["audit_log"].count)
    with pytest.raises(StorageFailed):
        for n in range(200):  # until a page is needed that the disk cannot give
            post_need(db, c, {"title": f"求助{n}", "description": "说明" * 190, "category": "medicine",
                              "community_id": 1, "expires_at": clock.now() + timedelta(days=1)})
    db.execute("PRAGMA max_page_count = 1073741823")
    written = db["service_requests"].count - before[0]
    assert db["audit_log"].count - before[1] == written  # every need written has its audit row


def test_a_damaged_database_file_is_a_message_in_the_app(app_env, engine, monkeypatch):
    from tests.conftest import new_app

    if engine == "postgresql":  # its failure is a server out of reach: a message, and no URL or password shown
        url = "postgresql://linli:s3cret-pw@127.0.0.1:9/nowhere?connect_timeout=2"
        monkeypatch.setenv("LINLI_DATABASE_URL", url)
        at = new_app().run()
        assert not at.exception
        assert any("连不上数据库服务器" in e.value for e in at.error)
        assert "s3cret-pw" not in str(at) and "127.0.0.1" not in str(at)
        return
    app_env.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)  # a header, then garbage
    at = new_app().run()
    assert not at.exception
    assert any("数据库文件已损坏" in e.value for e in at.error)


def test_a_writer_held_up_too_long_is_told_busy_and_writes_nothing(db, monkeypatch):
    """Another process holds the write lock (SQLite's BEGIN IMMEDIATE, PostgreSQL's advisory lock) for
    longer than the busy timeout: the second writer gets "busy, try again" and nothing of its write
    lands; the first writer's lock is untouched."""
    from db import store
    from db.exchange import post_need
    from db.models import Actor

    monkeypatch.setattr(store, "LOCK_RETRIES", 0)
    other = connect(where(db), migrate=False)
    coordinator = Actor("coordinator", "coordinator", community_id=1, user_id=3)
    before = db["service_requests"].count
    waiting = connect(where(db), migrate=False)
    if db_is_postgres(waiting):
        waiting.conn.raw.execute("SET lock_timeout = 300")
    else:
        waiting.execute("PRAGMA busy_timeout = 300")
    with store.write(other):
        started = time.monotonic()
        with pytest.raises(store.DatabaseBusy):
            post_need(waiting, coordinator, {"title": "等不到", "category": "medicine", "community_id": 1,
                                             "expires_at": clock.now() + timedelta(days=1)})
        assert time.monotonic() - started < 5
        other.execute("INSERT INTO audit_log (at, actor, action, table_name) VALUES ('now', 'other', 'held', 'x')")
    assert db["service_requests"].count == before
    assert db.execute("SELECT COUNT(*) FROM audit_log WHERE actor = 'other'").fetchone()[0] == 1
