"""Accounts: bcrypt hashes in the users table, roles and community scope, lockout after
MAX_FAILED_LOGINS wrong passwords until an admin unlocks."""

import os
import secrets

import bcrypt
from sqlite_utils import Database

from db import audit
from db.communities import community_id_by_name
from db.connection import write
from db.errors import Conflict, NotFound
from db.models import Actor, PasswordIn, RoleChange, UserIn, parse
from db.permissions import require_admin
from db import clock

MAX_FAILED_LOGINS = 5
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
    require_admin(actor)
    return list(db.query(f"SELECT {PUBLIC_COLUMNS} FROM users u LEFT JOIN communities c"
                         " ON c.id = u.community_id ORDER BY u.role, u.username"))


def get_user(db: Database, user_id: int) -> dict:
    rows = list(db.query(f"SELECT {PUBLIC_COLUMNS} FROM users u LEFT JOIN communities c"
                         " ON c.id = u.community_id WHERE u.id = ?", [user_id]))
    if not rows:
        raise NotFound("err.not_found")
    return rows[0]


def create_user(db: Database, actor: Actor, data: dict) -> int:
    require_admin(actor)
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
           "active": 1, "failed_logins": 0, "created_at": clock.stamp()}
    cursor = db.execute(
        "INSERT INTO users (username, display_name, password_hash, role, community_id, active,"
        " failed_logins, created_at) VALUES (:username, :display_name, :password_hash, :role,"
        " :community_id, :active, :failed_logins, :created_at)", row)
    audit.record(db, actor, "create", "users", cursor.lastrowid, after=row, community_id=community_id)
    return cursor.lastrowid


def change_role(db: Database, actor: Actor, user_id: int, data: dict) -> None:
    require_admin(actor)
    change = parse(RoleChange, data)
    with write(db):
        before = get_user(db, user_id)
        community_id = community_id_by_name(db, change.community) if change.community else None
        db.execute("UPDATE users SET role = ?, community_id = ? WHERE id = ?",
                   [change.role, community_id, user_id])
        audit.record(db, actor, "change_role", "users", user_id, before=before,
                     after={"role": change.role, "community_id": community_id})


def reset_password(db: Database, actor: Actor, user_id: int, data: dict) -> None:
    require_admin(actor)
    new = parse(PasswordIn, data)
    with write(db):
        get_user(db, user_id)
        db.execute("UPDATE users SET password_hash = ?, failed_logins = 0 WHERE id = ?",
                   [hash_password(new.password), user_id])
        audit.record(db, actor, "reset_password", "users", user_id)


def set_active(db: Database, actor: Actor, user_id: int, active: bool) -> None:
    require_admin(actor)
    with write(db):
        before = get_user(db, user_id)
        if before["username"] == actor.username and not active:
            raise Conflict("err.cannot_deactivate_self")
        db.execute("UPDATE users SET active = ? WHERE id = ?", [int(active), user_id])
        audit.record(db, actor, "activate" if active else "deactivate", "users", user_id,
                     before={"active": before["active"]}, after={"active": int(active)})


def unlock(db: Database, actor: Actor, user_id: int) -> None:
    require_admin(actor)
    with write(db):
        before = get_user(db, user_id)
        db.execute("UPDATE users SET failed_logins = 0 WHERE id = ?", [user_id])
        audit.record(db, actor, "unlock", "users", user_id,
                     before={"failed_logins": before["failed_logins"]}, after={"failed_logins": 0})


# --- login -----------------------------------------------------------------------------------

def login_credentials(db: Database) -> dict:
    """Active accounts in streamlit-authenticator's credentials shape, read fresh each run."""
    users = {}
    for r in db.query("SELECT username, display_name, password_hash, role, failed_logins"
                      " FROM users WHERE active = 1"):
        users[r["username"]] = {"name": r["display_name"], "password": r["password_hash"],
                                "roles": [r["role"]], "email": None,
                                "failed_login_attempts": r["failed_logins"]}
    return {"usernames": users}


def record_login(db: Database, username: str, success: bool) -> int:
    """Store the outcome of a password check; returns the failed-login count now in force."""
    username = username.strip().lower()
    with write(db):
        rows = list(db.query("SELECT id, failed_logins FROM users WHERE username = ?", [username]))
        if not rows:
            return 0
        user_id, failed = rows[0]["id"], rows[0]["failed_logins"]
        who = Actor(username=username, role="public")
        if success:
            if failed:
                db.execute("UPDATE users SET failed_logins = 0 WHERE id = ?", [user_id])
            audit.record(db, who, "login", "users", user_id)
            return 0
        failed += 1
        db.execute("UPDATE users SET failed_logins = ? WHERE id = ?", [failed, user_id])
        audit.record(db, who, "locked" if failed == MAX_FAILED_LOGINS else "login_failed", "users",
                     user_id, after={"failed_logins": failed})
        return failed


def actor_for(db: Database, username: str) -> Actor | None:
    """The Actor for a signed-in username, or None if the account is inactive or locked."""
    rows = list(db.query("SELECT id, username, role, community_id, active, failed_logins FROM users"
                         " WHERE username = ?", [username]))
    if not rows or not rows[0]["active"] or rows[0]["failed_logins"] >= MAX_FAILED_LOGINS:
        return None
    r = rows[0]
    return Actor(username=r["username"], role=r["role"], community_id=r["community_id"], user_id=r["id"])


def is_locked(db: Database, username: str) -> bool:
    rows = list(db.query("SELECT failed_logins FROM users WHERE username = ?", [username.strip().lower()]))
    return bool(rows) and rows[0]["failed_logins"] >= MAX_FAILED_LOGINS


def record_logout(db: Database, username: str, at: float) -> None:
    """Remember when an account logged out: cookies issued before then stop working."""
    with write(db):
        rows = list(db.query("SELECT id FROM users WHERE username = ?", [username]))
        if rows:
            db.execute("UPDATE users SET logged_out_at = ? WHERE id = ?", [at, rows[0]["id"]])
            audit.record(db, Actor(username=username, role="public"), "logout", "users", rows[0]["id"])


def cookie_revoked(db: Database, username: str, issued_at: float) -> bool:
    """True if the account logged out after this cookie was issued (or no longer exists)."""
    rows = list(db.query("SELECT logged_out_at FROM users WHERE username = ?", [username]))
    if not rows:
        return True
    return rows[0]["logged_out_at"] is not None and issued_at <= rows[0]["logged_out_at"]
