"""Several app processes on one store (the deployment behind nginx): each process's cached figures
follow the store's data version, the first start of a new file migrates and seeds once however many
processes start at once, and a generated key is the same for all of them."""

import subprocess
import sys
import time
from datetime import timedelta

from db.connection import connect
from db import clock
import pytest

from db.store import is_postgres, write
from db.versions import versions
from db.users import check_login
from tests.conftest import ROOT

pytestmark = pytest.mark.both_engines


def test_a_write_moves_the_version_of_its_area_only_and_bookkeeping_none(db):
    """Hand-listed: what each write is and which area of the figures it changes."""
    from db.exchange import claim, post_need
    from db.users import actor_for

    start = versions(db)

    def moved():
        now = versions(db)
        return {area for area in now if now[area] != start[area]}

    coordinator = actor_for(db, "coordinator")
    need = post_need(db, coordinator, {"title": "帮忙取药", "category": "medicine", "community_id": coordinator.community_id,
                                       "requester_name": "王奶奶", "requester_phone": "13900001111", "address": "3栋",
                                       "expires_at": clock.now() + timedelta(days=1)})
    assert moved() == {"exchange"}
    assert check_login(db, "coordinator", "wrong password", "10.0.0.1") is False  # bookkeeping: no figure moves
    assert check_login(db, "coordinator", "linli-demo", "10.0.0.1") is True
    assert moved() == {"exchange"}
    volunteer = actor_for(db, "volunteer")
    claim(db, coordinator, need, volunteer.volunteer_id)
    assert moved() == {"exchange"}
    with write(db):
        db.execute("UPDATE service_records SET place = place WHERE status = 'pending' AND id = (SELECT MIN(id)"
                    " FROM service_records WHERE status = 'pending')")
    assert moved() == {"exchange", "ledger"}
    seen = versions(db)
    try:
        with write(db):
            db.execute("UPDATE outlets SET name = name WHERE id = 1")
            raise RuntimeError("refused")
    except RuntimeError:
        pass
    assert versions(db) == seen  # undone with the write it belonged to
    with write(db):
        db.execute("UPDATE outlets SET name = name WHERE id = 1")
    assert moved() == {"exchange", "ledger", "directory"}


def test_every_table_a_figure_reads_has_its_area(db):
    """Every table of the schema is in an area, or listed here as bookkeeping that no figure reads."""
    from db.versions import AREAS

    bookkeeping = {"users", "audit_log", "rate_events", "notifications", "certificates", "family_members",
                   "data_versions", "_sqlite_migrations"}
    tables = set(db.table_names())
    areas = {t for ts in AREAS.values() for t in ts}
    assert tables - bookkeeping == areas and not areas - tables
    if is_postgres(db):  # one trigger per table for all three events, fired once per statement
        triggers = {r[0] for r in db.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE 'version_%'")}
        assert triggers == {f"version_{t}" for t in areas}
        return
    triggers = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'version_%'")}
    assert triggers == {f"version_{t}_{e}" for t in areas for e in ("insert", "update", "delete")}


def test_the_versions_are_the_same_for_every_connection(db, db_file):
    other = connect(db_file, migrate=False)  # another process's connection
    seen = versions(other)
    with write(db):
        db.execute("UPDATE communities SET households = households + 1 WHERE id = 1")
    assert versions(other) == {**seen, "places": seen["places"] + 1}


START = """
import sys
sys.path.insert(0, {root!r})
from components.data import _prepare_file
_prepare_file({path!r})
"""


def test_processes_starting_on_a_new_file_at_once_migrate_and_seed_it_once(tmp_path, monkeypatch):
    path = tmp_path / "new.db"
    monkeypatch.setenv("LINLI_DB_PATH", str(path))
    monkeypatch.delenv("LINLI_DATA_KEY", raising=False)
    code = START.format(root=str(ROOT), path=str(path))
    starts = [subprocess.Popen([sys.executable, "-c", code], cwd=tmp_path, stderr=subprocess.PIPE) for _ in range(6)]
    errors = [p.communicate(timeout=120)[1].decode() for p in starts]
    assert [p.returncode for p in starts] == [0] * 6, errors
    db = connect(path)
    from seed import chizhou

    assert db["communities"].count == len(chizhou.communities(2026))  # seeded once, not six times
    assert db.execute("SELECT COUNT(*) FROM audit_log WHERE action = 'seed_demo' AND table_name = 'communities'").fetchone()[0] == 1
    keys = list(tmp_path.glob("*.key"))
    assert {k.name for k in keys} >= {"data-key.key"} and all(k.stat().st_mode & 0o077 == 0 for k in keys)
    assert list(tmp_path.glob(".*.key.*")) == []  # no draft left behind


KEY = """
import sys, time
sys.path.insert(0, {root!r})
from db.keys import secret
time.sleep(max(0, {start} - time.time()))  # all at the same moment, imports done
print(secret("cookie_key"))
"""


def test_a_key_generated_by_processes_starting_at_once_is_one_key(tmp_path, monkeypatch):
    monkeypatch.setenv("LINLI_DB_PATH", str(tmp_path / "linli.db"))
    monkeypatch.delenv("LINLI_COOKIE_KEY", raising=False)
    code = KEY.format(root=str(ROOT), start=time.time() + 3)
    starts = [subprocess.Popen([sys.executable, "-c", code], cwd=tmp_path, stdout=subprocess.PIPE) for _ in range(8)]
    seen = {p.communicate(timeout=60)[0].decode().strip() for p in starts}
    assert len(seen) == 1 and len(seen.pop()) >= 64
