"""Several app processes on one store (the deployment behind nginx): each process's cached figures
follow the store's data version, the first start of a new file migrates and seeds once however many
processes start at once, and a generated key is the same for all of them."""

import subprocess
import sys
import time

from db.connection import connect
from db.models import SYSTEM
from db.store import data_version, write
from db.users import check_login
from tests.conftest import ROOT


def test_every_write_moves_the_data_version_and_bookkeeping_does_not(db):
    start = data_version(db)
    with write(db):
        db.execute("UPDATE communities SET households = households + 1 WHERE id = 1")
    assert data_version(db) == start + 1
    with write(db, figures=False):  # a look-up counted against its limit moves no figure
        pass
    assert check_login(db, "coordinator", "wrong password", "10.0.0.1") is False
    assert check_login(db, "coordinator", "linli-demo", "10.0.0.1") is True
    assert data_version(db) == start + 1
    try:
        with write(db):
            db.execute("UPDATE communities SET households = -1 WHERE id = 1")  # refused by its CHECK
    except Exception:
        pass
    assert data_version(db) == start + 1  # undone with the write it belonged to


def test_the_data_version_is_the_same_for_every_connection(db, db_file):
    other = connect(db_file, migrate=False)  # another process's connection
    seen = data_version(other)
    with write(db):
        db.execute("UPDATE communities SET households = households + 1 WHERE id = 1")
    assert data_version(other) == seen + 1


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
