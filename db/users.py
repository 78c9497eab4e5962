"""Accounts: bcrypt hashes in the users table, roles and community scope. Wrong passwords make the
guessing address wait (check_login), and the account itself only after many from everywhere, a
minute then doubling (at most an hour): guessing is slow, but nobody can lock an admin out for
good; an admin (or `python -m db unlock`) unlocks at once. Logout, a password reset, a role change or deactivation end every session of
the account: each run checks the session against the account's `logged_out_at`."""

import os
import secrets
import time

import bcrypt
from sqlite_utils import Database

from db import audit, ratelimit
from db.communities import community_id_by_name
from db.store import write
from db.errors import Conflict, InputError, NotFound
from db.models import SYSTEM, Actor, PasswordIn, RoleChange, UserIn, parse
from db.permissions import require
from db import clock

MAX_FAILED_LOGINS = 5  # from one address for one account, before that address waits
ACCOUNT_LIMIT = 20  # from everywhere, before the account itself waits (guessing spread over addresses)
LOCK_SECONDS, MAX_LOCK_SECONDS = 60, 3600
PUBLIC_COLUMNS = "u.id, u.username, u.display_name, u.role, u.community_id, c.name AS community," \
                 " u.active, u.failed_logins, u.created_at"


def hash_password(password: str) -> str:
    # Cost 12 in production; tests lower it through LINLI_BCRYPT_ROUNDS to stay quick.
    rounds = int(os.environ.get("LINLI_BCRYPT_ROUNDS", "12"))
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds)).decode()


def one_time_password() -> str:
    """A password shown once to a new account holder (no look-alike characters)."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "".join(secrets.choice(alphabet) for _ in range(10))


def list_users(db: Database, actor: Actor) -> list[dict]:
    require(actor, "users.manage")
    return list(db.query(f"SELECT {PUBLIC_COLUMNS} FROM users u LEFT JOIN communities c"
                         " ON c.id = u.community_id ORDER BY u.role, u.username"))


def get_user(db: Database, user_id: int) -> dict:
    rows = list(db.query(f"SELECT {PUBLIC_COLUMNS} FROM users u LEFT JOIN communities c"
                         " ON c.id = u.community_id WHERE u.id = ?", [user_id]))
    if not rows:
        raise NotFound("err.not_found")
    return rows[0]


def create_user(db: Database, actor: Actor, data: dict) -> int:
    require(actor, "users.manage")
    user = parse(UserIn, data)
    with write(db):
        return insert_user(db, actor, user)


def insert_user(db: Database, actor: Actor, user: UserIn) -> int:
    """Insert a validated account inside the caller's transaction (volunteer approval uses it too)."""
    community_id = community_id_by_name(db, user.community) if user.community else None
    if list(db.query("SELECT 1 FROM users WHERE username = ?", [user.username])):
        raise Conflict("err.duplicate_username", username=user.username)
    row = {"username": user.username, "display_name": user.display_name, "role": user.role,
           "community_id": community_id, "password_hash": hash_password(user.password),
           "active": 1, "failed_logins": 0, "created_at": clock.stamp(),
           # A person other than the owner chose it (the server's own command line excepted).
           "must_change_password": int(actor.username != SYSTEM.username)}
    cursor = db.execute(
        "INSERT INTO users (username, display_name, password_hash, role, community_id, active,"
        " failed_logins, created_at, must_change_password) VALUES (:username, :display_name, :password_hash,"
        " :role, :community_id, :active, :failed_logins, :created_at, :must_change_password)", row)
    audit.record(db, actor, "create", "users", cursor.lastrowid, after=row, community_id=community_id)
    return cursor.lastrowid


def _end_sessions(db: Database, user_id: int) -> None:
    """Every session (and cookie) of the account issued before now stops working on its next run."""
    db.execute("UPDATE users SET logged_out_at = ? WHERE id = ?", [time.time(), user_id])


def _last_admin(db: Database, user_id: int) -> bool:
    return next(db.query("SELECT COUNT(*) AS n FROM users WHERE role = 'admin' AND active = 1 AND id != ?",
                         [user_id]))["n"] == 0


def change_role(db: Database, actor: Actor, user_id: int, data: dict) -> None:
    require(actor, "users.manage")
    change = parse(RoleChange, data)
    with write(db):
        before = get_user(db, user_id)
        if before["role"] == "admin" and change.role != "admin" and _last_admin(db, user_id):
            raise Conflict("err.last_admin")
        community_id = community_id_by_name(db, change.community) if change.community else None
        db.execute("UPDATE users SET role = ?, community_id = ? WHERE id = ?",
                   [change.role, community_id, user_id])
        _end_sessions(db, user_id)
        audit.record(db, actor, "change_role", "users", user_id, before=before,
                     after={"role": change.role, "community_id": community_id})


def reset_password(db: Database, actor: Actor, user_id: int, data: dict) -> None:
    """A new password (the policy applies, and it may not be the username); the account is
    unlocked and every session it had ends."""
    require(actor, "users.manage")
    with write(db):
        user = get_user(db, user_id)
        new = parse(PasswordIn, {**data, "username": user["username"]})
        db.execute("UPDATE users SET password_hash = ?, failed_logins = 0, locked_until = NULL,"
                   " must_change_password = ? WHERE id = ?",
                   [hash_password(new.password), int(actor.username != SYSTEM.username), user_id])
        _end_sessions(db, user_id)
        audit.record(db, actor, "reset_password", "users", user_id)


def set_active(db: Database, actor: Actor, user_id: int, active: bool) -> None:
    require(actor, "users.manage")
    with write(db):
        before = get_user(db, user_id)
        if before["username"] == actor.username and not active:
            raise Conflict("err.cannot_deactivate_self")
        if not active and before["role"] == "admin" and _last_admin(db, user_id):
            raise Conflict("err.last_admin")
        db.execute("UPDATE users SET active = ? WHERE id = ?", [int(active), user_id])
        if not active:
            _end_sessions(db, user_id)
        audit.record(db, actor, "activate" if active else "deactivate", "users", user_id,
                     before={"active": before["active"]}, after={"active": int(active)})


def unlock(db: Database, actor: Actor, user_id: int) -> None:
    require(actor, "users.manage")
    with write(db):
        before = get_user(db, user_id)
        db.execute("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?", [user_id])
        ratelimit.forget(db, _login_key(before["username"]), prefix=True)  # every address may try again
        audit.record(db, actor, "unlock", "users", user_id,
                     before={"failed_logins": before["failed_logins"]}, after={"failed_logins": 0})


# --- login -----------------------------------------------------------------------------------

def login_credentials(db: Database) -> dict:
    """Active accounts in streamlit-authenticator's credentials shape (it reads the login cookie;
    passwords are checked by check_login), read fresh each run."""
    users = {}
    for r in db.query("SELECT username, display_name, password_hash, role FROM users WHERE active = 1"):
        users[r["username"]] = {"name": r["display_name"], "password": r["password_hash"],
                                "roles": [r["role"]], "email": None, "failed_login_attempts": 0}
    return {"usernames": users}


def _login_key(username: str) -> str:
    """The rate_events key prefix of one account's login attempts; the address follows it."""
    return f"login:{username}:"


def lock_seconds(failed: int, limit: int = MAX_FAILED_LOGINS) -> int:
    """How long to wait after the `failed`-th wrong password in a row, once `limit` is reached."""
    if failed < limit:
        return 0
    return min(MAX_LOCK_SECONDS, LOCK_SECONDS * 2 ** (failed - limit))


def check_login(db: Database, username: str, password: str, source: str = "") -> bool:
    """One login attempt. It is reserved in the database before the password is checked, so
    parallel submissions can check no more than the limit allows. Wrong passwords make that address
    wait for that account (MAX_FAILED_LOGINS, then a minute, doubling, at most an hour); the
    account as a whole waits only after ACCOUNT_LIMIT wrong passwords from anywhere, so a stranger
    slows themselves down, not the owner. Refusals and failures are audited, unknown names too."""
    name = username.strip().lower()[:40]
    key = f"{_login_key(name)}{source or 'unknown'}"
    who = Actor(username=name or "(unknown)", role="public")
    now = time.time()
    with write(db):
        failures = ratelimit.recent(db, key, ratelimit.KEEP, now)
        user = next(db.query("SELECT id, password_hash, active, failed_logins, locked_until FROM users"
                             " WHERE username = ?", [name]), None)
        source_waits = failures and now < failures[-1] + lock_seconds(len(failures))
        account_waits = user is not None and user["locked_until"] is not None and user["locked_until"] > now
        if source_waits or account_waits:
            audit.record(db, who, "login_refused", "users", user["id"] if user else None,
                         after={"source": source or "unknown", "reason": "address" if source_waits else "account"})
            return False
        ratelimit.count(db, key, now)  # counted unless it succeeds
    ok = bool(user and user["active"] and bcrypt.checkpw(password.encode(), user["password_hash"].encode()))
    with write(db):
        if user is None:
            audit.record(db, who, "login_failed", "users", None, after={"username": name or "(unknown)"})
        elif ok:
            ratelimit.forget(db, key)
            db.execute("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?", [user["id"]])
            audit.record(db, who, "login", "users", user["id"])
        else:
            failed = next(db.query("SELECT failed_logins FROM users WHERE id = ?", [user["id"]]))["failed_logins"] + 1
            wait = lock_seconds(failed, ACCOUNT_LIMIT)
            db.execute("UPDATE users SET failed_logins = ?, locked_until = ? WHERE id = ?",
                       [failed, now + wait if wait else None, user["id"]])
            audit.record(db, who, "locked" if wait else "login_failed", "users", user["id"],
                         after={"failed_logins": failed, "source": source or "unknown", "locked_seconds": wait})
    return ok


def actor_for(db: Database, username: str) -> Actor | None:
    """The Actor for a signed-in username, or None if the account is gone or deactivated. (A lock
    stops new logins only: a stranger's guesses must not end the owner's session.)"""
    # A volunteer's community is their volunteer record's (a transfer moves it), not the account's.
    rows = list(db.query("SELECT u.id, u.username, u.role, COALESCE(v.community_id, u.community_id) AS community_id,"
                         " u.active, v.id AS volunteer_id"
                         " FROM users u LEFT JOIN volunteers v ON v.user_id = u.id AND u.role = 'volunteer'"
                         " WHERE u.username = ?", [username]))
    if not rows or not rows[0]["active"]:
        return None
    r = rows[0]
    return Actor(username=r["username"], role=r["role"], community_id=r["community_id"], user_id=r["id"],
                 volunteer_id=r["volunteer_id"])


def is_locked(db: Database, username: str) -> bool:
    rows = list(db.query("SELECT locked_until FROM users WHERE username = ?", [username.strip().lower()]))
    return bool(rows) and rows[0]["locked_until"] is not None and rows[0]["locked_until"] > time.time()


def must_change_password(db: Database, username: str) -> bool:
    rows = list(db.query("SELECT must_change_password FROM users WHERE username = ?", [username]))
    return bool(rows and rows[0]["must_change_password"])


def change_own_password(db: Database, actor: Actor, current: str, new: str) -> None:
    """A signed-in person changes their own password: the current one is checked, the policy
    applies, the new one differs; every other session of the account ends."""
    require(actor, "account.password", author=actor.username)
    password = parse(PasswordIn, {"password": new, "username": actor.username})
    with write(db):
        row = next(db.query("SELECT password_hash FROM users WHERE id = ?", [actor.user_id]))
        if not bcrypt.checkpw(current.encode(), row["password_hash"].encode()):
            raise InputError([("current_password", "err.current_password", {})])
        if password.password == current:
            raise InputError([("password", "err.password_unchanged", {})])
        db.execute("UPDATE users SET password_hash = ?, must_change_password = 0 WHERE id = ?",
                   [hash_password(password.password), actor.user_id])
        _end_sessions(db, actor.user_id)
        audit.record(db, actor, "change_password", "users", actor.user_id)


def unlock_by_name(db: Database, actor: Actor, username: str) -> None:
    unlock(db, actor, _user_id(db, username))


def reset_password_by_name(db: Database, actor: Actor, username: str, password: str) -> None:
    reset_password(db, actor, _user_id(db, username), {"password": password})


def _user_id(db: Database, username: str) -> int:
    rows = list(db.query("SELECT id FROM users WHERE username = ?", [username.strip().lower()]))
    if not rows:
        raise NotFound("err.not_found")
    return rows[0]["id"]


def disable_demo_accounts(db: Database, demo_usernames: list[str], demo_password: str) -> list[str]:
    """Going live (LINLI_DEMO=0) on a database first started in demo mode: every demo account
    whose password is still the public demo password is deactivated."""
    disabled = []
    rows = list(db.query(f"SELECT id, username, password_hash FROM users WHERE active = 1 AND username IN"
                         f" ({', '.join('?' for _ in demo_usernames)})", demo_usernames))
    for r in rows:
        if bcrypt.checkpw(demo_password.encode(), r["password_hash"].encode()):
            with write(db):
                db.execute("UPDATE users SET active = 0 WHERE id = ?", [r["id"]])
                _end_sessions(db, r["id"])
                audit.record(db, SYSTEM, "deactivate", "users", r["id"],
                             after={"active": 0, "reason": "demo password on a live installation"})
            disabled.append(r["username"])
    return disabled


def record_logout(db: Database, username: str, at: float) -> None:
    """Remember when an account logged out: its sessions and cookies issued before then end."""
    with write(db):
        rows = list(db.query("SELECT id FROM users WHERE username = ?", [username]))
        if rows:
            db.execute("UPDATE users SET logged_out_at = ? WHERE id = ?", [at, rows[0]["id"]])
            audit.record(db, Actor(username=username, role="public"), "logout", "users", rows[0]["id"])


def cookie_revoked(db: Database, username: str, issued_at: float) -> bool:
    """True if a session or cookie that began at `issued_at` has been ended since (logout, reset,
    role change, deactivation) or the account no longer exists."""
    rows = list(db.query("SELECT logged_out_at FROM users WHERE username = ?", [username]))
    if not rows:
        return True
    return rows[0]["logged_out_at"] is not None and issued_at <= rows[0]["logged_out_at"]
