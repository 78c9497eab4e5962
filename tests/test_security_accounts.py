"""Accounts as an outside attacker and a careless deployment would test them: demo passwords on a
live installation, a stranger locking out the only admin, weak passwords, sessions that outlive a
logout, a password reset or a role change, the last admin demoted."""

import time

import pytest

from db.errors import Conflict, InputError
from db.models import SYSTEM, Actor
from db.users import (ACCOUNT_LIMIT, MAX_FAILED_LOGINS, change_role, check_login, create_user, disable_demo_accounts,
                      is_locked, lock_seconds, record_logout, reset_password, set_active)
from seed.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, seed_demo
from tests.conftest import login, new_app
from tests.test_foundation_cli import run

pytestmark = pytest.mark.both_engines

ADMIN = Actor("admin", "admin", user_id=1)


def test_demo_accounts_stop_working_when_the_installation_goes_live(app_env, monkeypatch):
    from db.connection import connect

    db = connect(app_env)
    seed_demo(db)  # first started in demo mode (the default)
    leader = next(db.query("SELECT id FROM users WHERE username = 'leader'"))["id"]
    reset_password(db, ADMIN, next(db.query("SELECT id FROM users WHERE username = 'admin'"))["id"],
                   {"password": "a-real-admin-password"})
    db.close()
    monkeypatch.setenv("LINLI_DEMO", "0")
    at = new_app().run()
    login(at, "leader", DEMO_PASSWORD)
    assert at.session_state["actor"].role == "public"
    login(at, "admin", "a-real-admin-password")  # an account given its own password keeps working
    assert at.session_state["actor"].role == "admin"
    db = connect(app_env, migrate=False)
    assert db["users"].get(leader)["active"] == 0
    assert disable_demo_accounts(db, [a["username"] for a in DEMO_ACCOUNTS], DEMO_PASSWORD) == []


def test_a_stranger_cannot_lock_out_an_admin(db, monkeypatch):
    stranger, owner = "203.0.113.66", "198.51.100.10"
    for _ in range(MAX_FAILED_LOGINS + 3):
        check_login(db, "admin", "guess-guess", stranger)
    assert check_login(db, "admin", DEMO_PASSWORD, owner)  # the admin still gets in from their desk
    assert not check_login(db, "admin", DEMO_PASSWORD, stranger)  # the stranger's address waits
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 61)  # a minute later: one more try, then two minutes
    assert not check_login(db, "admin", "guess-again", stranger)
    assert not check_login(db, "admin", DEMO_PASSWORD, stranger)
    assert lock_seconds(MAX_FAILED_LOGINS) == 60 and lock_seconds(MAX_FAILED_LOGINS + 10) == 3600


def test_guessing_from_many_addresses_makes_the_account_wait_for_a_while(db, monkeypatch):
    for n in range(ACCOUNT_LIMIT):
        check_login(db, "leader", "guess-guess", f"203.0.113.{n}")
    assert is_locked(db, "leader") and not check_login(db, "leader", DEMO_PASSWORD, "198.51.100.10")
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 61)
    assert not is_locked(db, "leader") and check_login(db, "leader", DEMO_PASSWORD, "198.51.100.10")


GUESS = """
import sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
from db.connection import connect
from db.users import check_login
db = connect({path!r}, migrate=False)
Path({go!r} + "." + sys.argv[1]).touch()  # ready
while not Path({go!r}).exists():  # all ten ready, then all at once
    time.sleep(0.005)
check_login(db, "admin", "guess-guess", "203.0.113.99")
"""


def test_parallel_attempts_check_no_more_passwords_than_the_limit(tmp_path):
    """Ten processes submit at once from one address: at most MAX_FAILED_LOGINS passwords are
    checked (each attempt is reserved in the database before bcrypt runs). Each is a plain
    interpreter importing db/ only: a multiprocessing pool re-imports this test module (Streamlit,
    pandas) in every child, and after an AppTest run in the same worker its spawned children never
    got going (the pool hung)."""
    import subprocess
    import sys

    from db.connection import connect
    from tests.conftest import ROOT

    path, go = tmp_path / "c.db", tmp_path / "go"
    seeded = connect(path)
    seed_demo(seeded)
    seeded.close()
    script = GUESS.format(root=str(ROOT), path=str(path), go=str(go))
    guessers = [subprocess.Popen([sys.executable, "-c", script, str(n)]) for n in range(10)]
    deadline = time.time() + 60
    while len(list(tmp_path.glob("go.*"))) < 10 and time.time() < deadline:
        time.sleep(0.02)
    go.write_text("go")
    assert all(p.wait(60) == 0 for p in guessers)
    db = connect(path)
    checked = db["audit_log"].count_where("table_name = 'users' AND action IN ('login_failed', 'locked')")
    refused = db["audit_log"].count_where("table_name = 'users' AND action = 'login_refused'")
    assert checked == MAX_FAILED_LOGINS and refused == 10 - MAX_FAILED_LOGINS


def test_an_admin_unlocks_and_resets_from_the_command_line(db, db_file):
    path = db_file
    for n in range(ACCOUNT_LIMIT):
        check_login(db, "admin", "guess-guess", f"203.0.113.{n}")
    assert is_locked(db, "admin")
    assert run("db", "--db", path, "unlock", "admin").returncode == 0
    assert not is_locked(db, "admin")
    weak = run("db", "--db", path, "reset-password", "admin", env={"LINLI_PASSWORD": "password"})
    assert weak.returncode == 1 and "common" in weak.stderr
    ok = run("db", "--db", path, "reset-password", "admin", env={"LINLI_PASSWORD": "a-new-admin-pass"})
    assert ok.returncode == 0, ok.stderr
    assert run("db", "--db", path, "unlock", "nobody").returncode == 1


@pytest.mark.parametrize("password, key", [("12345678", "err.password_common"), ("password", "err.password_common"),
                                           ("aaaaaaaa", "err.password_common"), ("short", "err.password_length"),
                                           ("Wang.Li.2026", "err.password_is_username")])
def test_weak_passwords_are_refused(db, password, key):
    data = {"username": "wang.li.2026", "display_name": "王丽", "role": "leader", "password": password}
    with pytest.raises(InputError) as exc:
        create_user(db, ADMIN, data)
    assert key in [k for _, k, _ in exc.value.problems]


def test_the_last_admin_cannot_be_demoted_or_deactivated(db):
    admin_id = next(db.query("SELECT id FROM users WHERE username = 'admin'"))["id"]
    with pytest.raises(Conflict) as exc:
        change_role(db, SYSTEM, admin_id, {"role": "leader"})
    assert exc.value.key == "err.last_admin"
    with pytest.raises(Conflict):
        set_active(db, Actor("other", "admin", user_id=99), admin_id, False)
    second = create_user(db, ADMIN, {"username": "admin2", "display_name": "二号", "role": "admin",
                                     "password": "second-admin-pass"})
    change_role(db, ADMIN, admin_id, {"role": "leader"})  # with another admin, it may
    assert db["users"].get(second)["role"] == "admin"


@pytest.mark.parametrize("end", ["logout", "reset", "role", "deactivate"])
def test_an_open_session_ends_on_its_next_run(app_env, end):
    at = new_app().run()
    login(at, "coordinator")
    assert at.session_state["actor"].role == "coordinator"
    at.run()
    assert at.session_state["actor"].role == "coordinator"  # control: still signed in
    from db.connection import connect

    db = connect(app_env, migrate=False)
    uid = next(db.query("SELECT id FROM users WHERE username = 'coordinator'"))["id"]
    time.sleep(0.01)
    if end == "logout":
        record_logout(db, "coordinator", time.time())  # the owner logs out in another browser
    elif end == "reset":
        reset_password(db, ADMIN, uid, {"password": "brand-new-pass"})
    elif end == "role":
        change_role(db, ADMIN, uid, {"role": "volunteer", "community": "秋浦社区"})
    else:
        set_active(db, ADMIN, uid, False)
    at.run()
    assert at.session_state["actor"].role == "public"


def test_failed_logins_for_unknown_users_are_audited(db):
    before = db["audit_log"].count
    assert not check_login(db, "no-such-user", "whatever-1", "203.0.113.1")
    row = next(db.query("SELECT action, after FROM audit_log ORDER BY id DESC LIMIT 1"))
    assert db["audit_log"].count == before + 1 and row["action"] == "login_failed" and "no-such-user" in row["after"]


def test_an_anonymous_post_does_not_erase_a_guessers_history(db, monkeypatch):
    """Rate limits and login attempts share one table: the hourly limits' clean-up must not forget
    the failures that make a guessing address wait longer each time."""
    from datetime import timedelta

    from db import clock
    from db.exchange import post_need
    from db.models import PUBLIC

    for _ in range(MAX_FAILED_LOGINS):
        check_login(db, "admin", "guess-guess", "203.0.113.77")
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 3700)  # over an hour later
    post_need(db, PUBLIC, {"title": "求助", "category": "medicine", "community_id": 1, "requester_phone": "13900006666",
                           "expires_at": clock.now() + timedelta(days=1)})
    assert not check_login(db, "admin", "guess-again", "203.0.113.77")  # the sixth: checked, wrong
    assert not check_login(db, "admin", DEMO_PASSWORD, "203.0.113.77")  # now two minutes' wait
