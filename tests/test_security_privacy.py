"""Personal data an insider can read: masks that rebuild nothing, no birth date in clear, no phone or
ID in the audit log, a data key that is never silently replaced, and rotation to a new key."""

import os
import stat
from datetime import date

import pytest
import sqlite_utils

from db import keys
from db.__main__ import main as db_cli
from db.connection import connect
from db.errors import Conflict
from db.identity import make_id
from db.keys import DataKeyMissing, DataKeyWrong
from db.migrations import migrations
from db.models import Actor
from db.transfer import export_volunteers
from db.volunteers import register

pytestmark = pytest.mark.both_engines

COORD = Actor("coordinator", "coordinator", community_id=1, user_id=3)
BORN = date(1985, 3, 5)


def person(n=1):
    return {"real_name": f"隐私{n}", "gender": "M", "birth_date": BORN, "id_number": make_id("341702", BORN, n, "M"),
            "phone": f"1396666{n:04d}", "community_id": 1}


def test_nothing_an_insider_reads_rebuilds_an_id_number(db):
    data = person()
    vid = register(db, COORD, data)
    number = data["id_number"]
    row = db["volunteers"].get(vid)
    assert "birth_date" not in row and row["birth_year"] == 1985
    assert row["id_masked"] == number[:2] + "*" * 14 + number[-2:]
    exported = next(r for r in export_volunteers(db, COORD) if r["姓名"] == "隐私1")
    assert "出生日期" not in exported and exported["出生年份"] == 1985
    shown = " ".join(str(v) for v in exported.values())
    assert "19850305" not in shown and number[6:14] not in shown and number[2:6] not in shown.replace(exported["手机"], "")
    audit = " ".join(f"{r['before']} {r['after']}" for r in db.query("SELECT before, after FROM audit_log"))
    assert number not in audit and "1985-03-05" not in audit and data["phone"] not in audit
    assert "139****0001" in audit  # the audit row keeps a masked phone


def test_the_privacy_migration_scrubs_an_existing_database(tmp_path):
    db = sqlite_utils.Database(tmp_path / "old.db")
    migrations.apply(db, stop_before="0012_privacy")
    db["communities"].insert({"id": 1, "name": "秋浦社区", "district": "贵池区", "kind": "urban", "households": 1,
                              "population": 1, "lat": 30.66, "lon": 117.49})
    db["volunteers"].insert({"real_name": "旧", "gender": "M", "birth_date": "1985-03-05", "id_cipher": "x",
                             "id_hash": "h", "id_masked": "341702********0019", "phone": "13966660001",
                             "community_id": 1, "status": "active", "created_at": "2026-01-01T00:00:00"})
    db["audit_log"].insert({"at": "2026-01-01T00:00:00", "actor": "coordinator", "action": "create",
                            "table_name": "volunteers", "row_id": "1",
                            "after": '{"birth_date": "1985-03-05", "id_masked": "341702********0019", '
                                     '"phone": "13966660001", "real_name": "旧"}'})
    migrations.apply(db)
    v = next(db.query("SELECT * FROM volunteers"))
    assert (v["birth_year"], v["id_masked"], "birth_date" in v) == (1985, "34**************19", False)
    after = next(db.query("SELECT after FROM audit_log"))["after"]
    assert after == '{"id_masked":"34**************19","phone":"139****0001","real_name":"旧"}'


def test_a_lost_data_key_stops_the_app_instead_of_making_a_new_one(tmp_path, monkeypatch):
    monkeypatch.delenv("LINLI_DATA_KEY")
    monkeypatch.setenv("LINLI_DB_PATH", str(tmp_path / "city.db"))
    db = connect(tmp_path / "city.db")  # a fresh database gets its key
    key_file = tmp_path / "data-key.key"
    assert key_file.exists() and stat.S_IMODE(key_file.stat().st_mode) == 0o600
    register(db, Actor("admin", "admin", user_id=1), {**person(), "community_id": _community(db)})
    db.close()
    original = key_file.read_text()
    key_file.unlink()
    with pytest.raises(DataKeyMissing):
        connect(tmp_path / "city.db")
    assert not key_file.exists()  # no new key was made
    key_file.write_text("another key entirely")
    with pytest.raises(DataKeyWrong):
        connect(tmp_path / "city.db")
    assert db_cli(["--db", str(tmp_path / "city.db"), "check"]) == 1
    key_file.write_text(original)
    assert db_cli(["--db", str(tmp_path / "city.db"), "check"]) == 0


def test_rotating_the_data_key_keeps_every_id_number(tmp_path, monkeypatch):
    monkeypatch.delenv("LINLI_DATA_KEY")
    path = tmp_path / "city.db"
    monkeypatch.setenv("LINLI_DB_PATH", str(path))
    db = connect(path)
    data = {**person(2), "community_id": _community(db)}
    vid = register(db, Actor("admin", "admin", user_id=1), data)
    db.close()
    old_key = (tmp_path / "data-key.key").read_text()
    monkeypatch.setenv("LINLI_NEW_DATA_KEY", "the-new-key-" + "n" * 40)
    assert db_cli(["--db", str(path), "rotate-data-key"]) == 0
    assert (tmp_path / "data-key.key").read_text() == "the-new-key-" + "n" * 40
    assert (tmp_path / "data-key.key.old").read_text() == old_key
    db = connect(path)
    keys._keys.cache_clear()
    row = db["volunteers"].get(vid)
    assert keys.decrypt(row["id_cipher"]) == data["id_number"]
    assert row["id_hash"] == keys.lookup_hash(data["id_number"])  # duplicates are still found
    with pytest.raises(Conflict, match="err.duplicate_volunteer_id"):
        register(db, Actor("admin", "admin", user_id=1), {**data, "phone": "13966669999"})


def test_database_files_are_owner_only(tmp_path):
    path = tmp_path / "city.db"
    connect(path).close()
    os.chmod(path, 0o644)
    connect(path, migrate=False).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def _community(db):
    from db.communities import create_community

    return create_community(db, Actor("admin", "admin", user_id=1), {
        "name": "秋浦社区", "district": "贵池区", "kind": "urban", "households": 100, "population": 300,
        "lat": 30.66, "lon": 117.49})


def test_backups_are_owner_only_and_never_partial(db_file, tmp_path):
    from tests.test_foundation_cli import run

    path, copy = db_file, tmp_path / "backup" / "copy.db"
    assert run("db", "--db", path, "backup", str(copy)).returncode == 0
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600 and not list(copy.parent.glob("*.partial"))


def test_a_corrupt_file_is_reported_not_a_traceback(tmp_path):
    from tests.test_foundation_cli import run

    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not a database" * 100)
    check = run("db", "--db", str(bad), "check")
    assert check.returncode == 1 and "Traceback" not in check.stderr + check.stdout and "not a readable" in check.stdout
    restore = run("db", "restore", str(bad), str(tmp_path / "new.db"))
    assert restore.returncode == 1 and "Traceback" not in restore.stderr and "not a readable" in restore.stderr
