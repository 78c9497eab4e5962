"""db/: migrations, permissions, audit rows, validation that writes nothing."""

import json

import pytest

from db import audit
from db.communities import create_community, list_communities, update_community
from db.connection import connect
from db.errors import Conflict, InputError, PermissionDenied
from db.migrations import migrations, status
from db.models import SYSTEM, Actor
from seed.demo import DEMO_PASSWORD
from db.users import (MAX_FAILED_LOGINS, actor_for, check_login, change_role, create_user, login_credentials,
                      reset_password, set_active, unlock)

pytestmark = pytest.mark.both_engines

ADMIN = Actor("admin", "admin", user_id=1)
LEADER = Actor("leader", "leader", user_id=2)

NEW_COMMUNITY = {"name": "新建社区", "district": "贵池区", "kind": "urban", "households": 1200,
                 "population": 3300, "lat": 30.66, "lon": 117.49}


def coordinator_of(db, name):
    cid = next(db.query("SELECT id FROM communities WHERE name = ?", [name]))["id"]
    return Actor("coordinator", "coordinator", community_id=cid, user_id=3)


def audit_count(db):
    return db["audit_log"].count


def test_migrations_apply_to_empty_database(tmp_path):
    db = connect(tmp_path / "a.db")
    applied, pending = status(db)
    assert pending == []
    assert applied == [m.name for m in migrations._migrations]
    assert {"communities", "users", "service_categories", "audit_log"} <= set(db.table_names())


def test_migrations_are_safe_on_a_migrated_database(tmp_path):
    path = tmp_path / "a.db"
    db = connect(path)
    db["service_categories"].insert({"code": "x", "name_zh": "某", "name_en": "X", "sort": 99})
    db.conn.commit()
    count = db["service_categories"].count
    db.close()
    again = connect(path)  # runs migrate() a second time
    assert status(again)[1] == []
    assert again["service_categories"].count == count  # nothing re-inserted, nothing lost
    assert again["service_categories"].get("x") == {"code": "x", "name_zh": "某", "name_en": "X", "sort": 99}


def test_connection_settings(tmp_path):
    db = connect(tmp_path / "a.db")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000


def test_admin_creates_community_with_audit_row(db):
    before = audit_count(db)
    new_id = create_community(db, ADMIN, NEW_COMMUNITY)
    row = next(db.query("SELECT * FROM communities WHERE id = ?", [new_id]))
    assert {k: row[k] for k in NEW_COMMUNITY} == NEW_COMMUNITY
    assert audit_count(db) == before + 1
    entry = audit.entries(db, ADMIN, limit=1)[0]
    assert (entry["actor"], entry["action"], entry["table_name"], entry["row_id"]) == \
        ("admin", "create", "communities", str(new_id))
    assert json.loads(entry["after"])["name"] == "新建社区"


def test_update_community_keeps_before_and_after(db):
    cid = create_community(db, ADMIN, NEW_COMMUNITY)
    update_community(db, ADMIN, cid, {**NEW_COMMUNITY, "population": 3400})
    entry = audit.entries(db, ADMIN, limit=1)[0]
    assert json.loads(entry["before"])["population"] == 3300
    assert json.loads(entry["after"])["population"] == 3400


@pytest.mark.parametrize("who", ["leader", "coordinator", "volunteer", "public"])
def test_only_admins_write_communities(db, who):
    actor = coordinator_of(db, "秋浦社区") if who == "coordinator" else Actor(who, who)
    before = (db["communities"].count, audit_count(db))
    with pytest.raises(PermissionDenied):
        create_community(db, actor, NEW_COMMUNITY)
    qiupu = next(db.query("SELECT id FROM communities WHERE name='秋浦社区'"))["id"]
    with pytest.raises(PermissionDenied):
        update_community(db, actor, qiupu, NEW_COMMUNITY)
    assert (db["communities"].count, audit_count(db)) == before


def test_leader_cannot_write_users(db):
    with pytest.raises(PermissionDenied):
        create_user(db, LEADER, {"username": "x1x", "display_name": "X", "role": "leader", "password": "qiupu-lane-7"})
    with pytest.raises(PermissionDenied):
        unlock(db, LEADER, 1)


@pytest.mark.parametrize("data, field, key", [
    ({**NEW_COMMUNITY, "name": "   "}, "name", "err.required"),
    ({**NEW_COMMUNITY, "name": "长" * 41}, "name", "err.too_long"),
    ({**NEW_COMMUNITY, "district": "合肥市"}, "district", "err.invalid_choice"),
    ({**NEW_COMMUNITY, "households": -1}, "households", "err.too_small"),
    ({**NEW_COMMUNITY, "lat": 39.9}, "lat", "err.too_large"),
])
def test_bad_community_input_writes_nothing(db, data, field, key):
    before = (db["communities"].count, audit_count(db))
    with pytest.raises(InputError) as exc:
        create_community(db, ADMIN, data)
    assert (field, key) in [(f, k) for f, k, _ in exc.value.problems]
    assert (db["communities"].count, audit_count(db)) == before


def test_duplicate_community_name_refused(db):
    with pytest.raises(Conflict) as exc:
        create_community(db, ADMIN, {**NEW_COMMUNITY, "name": "秋浦社区"})
    assert exc.value.key == "err.duplicate_community"


@pytest.mark.parametrize("data, field, key", [
    ({"username": "", "display_name": "A", "role": "leader", "password": "qiupu-lane-7"}, "username", "err.required"),
    ({"username": "A B", "display_name": "A", "role": "leader", "password": "qiupu-lane-7"}, "username", "err.username_format"),
    ({"username": "newone", "display_name": "", "role": "leader", "password": "qiupu-lane-7"}, "display_name", "err.required"),
    ({"username": "newone", "display_name": "A" * 41, "role": "leader", "password": "qiupu-lane-7"}, "display_name", "err.too_long"),
    ({"username": "newone", "display_name": "A", "role": "king", "password": "qiupu-lane-7"}, "role", "err.invalid_choice"),
    ({"username": "newone", "display_name": "A", "role": "leader", "password": "short"}, "password", "err.password_length"),
    ({"username": "newone", "display_name": "A", "role": "coordinator", "password": "qiupu-lane-7"}, "community", "err.scope_required"),
])
def test_bad_user_input_writes_nothing(db, data, field, key):
    before = (db["users"].count, audit_count(db))
    with pytest.raises(InputError) as exc:
        create_user(db, ADMIN, data)
    assert (field, key) in [(f, k) for f, k, _ in exc.value.problems]
    assert (db["users"].count, audit_count(db)) == before


def test_unknown_community_and_duplicate_username_write_nothing(db):
    before = (db["users"].count, audit_count(db))
    with pytest.raises(InputError) as exc:
        create_user(db, ADMIN, {"username": "newone", "display_name": "A", "role": "coordinator",
                                "community": "火星社区", "password": "qiupu-lane-7"})
    assert exc.value.problems == [("community", "err.unknown_community", {"name": "火星社区"})]
    with pytest.raises(Conflict):
        create_user(db, ADMIN, {"username": "Admin", "display_name": "A", "role": "leader", "password": "qiupu-lane-7"})
    assert (db["users"].count, audit_count(db)) == before


def test_user_lifecycle_is_audited(db):
    uid = create_user(db, ADMIN, {"username": "Wang.Li", "display_name": "王丽", "role": "coordinator",
                                  "community": "秋浦社区", "password": "correct horse"})
    change_role(db, ADMIN, uid, {"role": "leader", "community": None})
    reset_password(db, ADMIN, uid, {"password": "another one"})
    set_active(db, ADMIN, uid, False)
    actions = [r["action"] for r in db.query(
        "SELECT action FROM audit_log WHERE table_name='users' AND row_id=? ORDER BY id", [str(uid)])]
    assert actions == ["create", "change_role", "reset_password", "deactivate"]
    assert actor_for(db, "wang.li") is None  # deactivated
    assert "wang.li" not in login_credentials(db)["usernames"]
    # The audit log never holds a password or its hash.
    assert not list(db.query("SELECT 1 FROM audit_log WHERE after LIKE '%$2b$%' OR after LIKE '%horse%'"))


def test_five_failures_make_the_address_wait_until_admin_unlocks(db):
    for _ in range(MAX_FAILED_LOGINS):
        assert not check_login(db, "coordinator", "wrong-password", "203.0.113.5")
    assert not check_login(db, "coordinator", DEMO_PASSWORD, "203.0.113.5")  # right password, but wait
    assert check_login(db, "coordinator", DEMO_PASSWORD, "198.51.100.8")  # the owner, elsewhere, gets in
    for _ in range(MAX_FAILED_LOGINS):
        check_login(db, "coordinator", "wrong-password", "203.0.113.5")
    uid = next(db.query("SELECT id FROM users WHERE username='coordinator'"))["id"]
    unlock(db, ADMIN, uid)
    assert check_login(db, "coordinator", DEMO_PASSWORD, "203.0.113.5")
    actions = [r["action"] for r in db.query("SELECT action FROM audit_log WHERE row_id=? AND table_name='users'"
                                             " ORDER BY id", [str(uid)])]
    assert actions[-3:] == ["login_refused", "unlock", "login"] and "login_failed" in actions


def test_admin_cannot_deactivate_self(db):
    with pytest.raises(Conflict):
        set_active(db, Actor("admin", "admin", user_id=1), 1, False)


def test_audit_log_is_admin_only(db):
    with pytest.raises(PermissionDenied):
        audit.entries(db, LEADER)
    assert audit.entries(db, SYSTEM, table="users", action="create")


def test_city_has_92_communities(db):
    assert len(list_communities(db)) == 92
