"""python -m db — init, create-user, backup, restore, check, rotate-data-key. Exit code 0 on success, 2 on bad arguments,
1 when the operation itself fails; messages go to stderr."""

import argparse
import getpass
import os
import secrets
import sqlite3
import sys
from pathlib import Path

from db import keys, postgres, postgres_tools
from db.connection import connect
from db.store import is_postgres, location
from db.errors import InputError, LinliError
from db.migrations import status
from db.models import ROLES, SYSTEM
from db.users import create_user, reset_password_by_name, unlock_by_name


def cmd_init(args) -> int:
    connect(args.db)
    print(f"Database ready at {postgres.safe_url(args.db)}")
    return 0


def cmd_create_user(args) -> int:
    password = os.environ.get("LINLI_PASSWORD")
    if password is None:
        if not sys.stdin.isatty():
            print("No password: set LINLI_PASSWORD or run in a terminal to be prompted.", file=sys.stderr)
            return 2
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Repeat password: "):
            print("The passwords do not match.", file=sys.stderr)
            return 2
    db = connect(args.db)
    try:
        user_id = create_user(db, SYSTEM, {"username": args.username, "display_name": args.name or args.username,
                                            "role": args.role, "community": args.community,
                                            "password": password})
    except InputError as exc:
        for field, key, params in exc.problems:
            print(f"{field}: {_english(key, params)}", file=sys.stderr)
        return 2
    except LinliError as exc:
        print(_english(exc.key, exc.params), file=sys.stderr)
        return 1
    print(f"Created user {args.username} (id {user_id}, role {args.role}).")
    return 0


def _english(key: str, params: dict) -> str:
    from catalogue import translate  # the same catalogue the UI uses, English side

    return translate(key, "en", **params)


def cmd_backup(args) -> int:
    target = Path(args.path)
    if target.exists():
        print(f"{target} already exists; choose a new path.", file=sys.stderr)
        return 2
    target.parent.mkdir(parents=True, exist_ok=True)
    source = connect(args.db, migrate=False)
    if is_postgres(source):
        source.close()
        return postgres_tools.backup(args.db, target)
    # Written under a temporary name (owner-only: it holds personal data) and renamed when complete,
    # so a killed backup never leaves a partial file under the backup's name.
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    dest = sqlite3.connect(str(partial))
    # The online backup API copies a consistent snapshot while others keep writing.
    with dest:
        source.conn.backup(dest, pages=1024)
    dest.close()
    os.replace(partial, target)
    print(f"Backed up {args.db} to {target}")
    return 0


def cmd_restore(args) -> int:
    """Copy a backup into a new, empty path with the online backup API, then check it."""
    source, target = Path(args.backup), Path(args.target)
    if not source.exists():
        print(f"No backup at {source}", file=sys.stderr)
        return 2
    if postgres.is_url(args.target):
        code = postgres_tools.restore(source, args.target)
        if code:
            return code
        args.db = args.target
        return cmd_check(args)
    if target.exists() and target.stat().st_size > 0:
        print(f"{target} is not empty; restore only into a new path.", file=sys.stderr)
        return 2
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        sound = src.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    except sqlite3.DatabaseError as exc:  # not a database at all: a sentence, not a traceback
        print(f"{source} is not a readable SQLite database ({exc}); not restored.", file=sys.stderr)
        return 1
    if not sound:
        print(f"{source} fails its integrity check; not restored.", file=sys.stderr)
        return 1
    dest = sqlite3.connect(str(target))
    with dest:
        src.backup(dest)
    dest.close()
    src.close()
    print(f"Restored {source} to {target}")
    args.db = str(target)
    return cmd_check(args)


def cmd_check(args) -> int:
    if postgres.is_url(args.db):
        return _report(connect(args.db, migrate=False), *postgres_tools.integrity(args.db))
    if not Path(args.db).exists():
        print(f"No database at {args.db}", file=sys.stderr)
        return 1
    try:
        db = connect(args.db, migrate=False)
        integrity = [r[0] for r in db.execute("PRAGMA integrity_check").fetchall()]
        fk = db.execute("PRAGMA foreign_key_check").fetchall()
    except sqlite3.DatabaseError as exc:  # not a database, or damaged beyond reading: say so
        print(f"integrity: {args.db} is not a readable SQLite database ({exc})")
        print("check: FAILED")
        return 1
    return _report(db, integrity, fk)


def _report(db, integrity: list[str], fk: list) -> int:
    applied, pending = status(db)
    print(f"integrity: {', '.join(integrity)}")
    print(f"foreign keys: {'ok' if not fk else f'{len(fk)} violations'}")
    print(f"migrations: {len(applied)} applied, {len(pending)} pending")
    for name in pending:
        print(f"  pending: {name}")
    key_ok = True
    try:
        keys.verify_data_key(db)
        print("data key: ok")
    except LinliError as exc:
        key_ok = False
        print(f"data key: {_english(exc.key, exc.params)}")
    ok = integrity == ["ok"] and not fk and not pending and key_ok
    print("check: ok" if ok else "check: FAILED")
    return 0 if ok else 1


def cmd_unlock(args) -> int:
    """An admin locked out (by their own typos or a stranger's guesses) gets back in from the server."""
    db = connect(args.db)
    unlock_by_name(db, SYSTEM, args.username)
    print(f"{args.username} unlocked.")
    return 0


def cmd_reset_password(args) -> int:
    db = connect(args.db)
    password = os.environ.get("LINLI_PASSWORD") or getpass.getpass(f"New password for {args.username}: ")
    try:
        reset_password_by_name(db, SYSTEM, args.username, password)
    except InputError as exc:
        for _, key, params in exc.problems:
            print(_english(key, params), file=sys.stderr)
        return 1
    print(f"Password of {args.username} reset; its sessions have ended and the account is unlocked.")
    return 0


def cmd_rotate_data_key(args) -> int:
    """Re-encrypt every ID number under a new data key (LINLI_NEW_DATA_KEY, else a new random one)
    in one transaction. A key kept in a file is replaced: the new key is written beside it first
    (data-key.key.new), the database rewritten, then the file renamed, the old one kept as .old."""
    db = connect(args.db)
    new = os.environ.get("LINLI_NEW_DATA_KEY") or secrets.token_urlsafe(48)
    path = keys.key_file("data_key")  # main() pointed LINLI_DB_PATH at args.db
    from_file = keys.in_file("data_key")
    if from_file:
        staged = path.with_suffix(".key.new")
        fd = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(new)
    count = keys.rotate(db, new)
    if from_file:
        if path.exists():
            os.replace(path, path.with_suffix(".key.old"))
        os.replace(staged, path)
        print(f"{count} ID numbers re-encrypted; the new key is in {path} (the old one in {path.with_suffix('.key.old')}).")
    else:
        print(f"{count} ID numbers re-encrypted. Put this key where the old one was (secrets.toml data_key or"
              f" LINLI_DATA_KEY) before starting the app:\n{new}")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m db", description="Linli database tools")
    parser.add_argument("--db", default=location(),
                        help="database path or postgresql:// URL (default: LINLI_DATABASE_URL, else LINLI_DB_PATH,"
                             " else data/linli.db)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("init", help="create the database and apply migrations").set_defaults(fn=cmd_init)
    p = sub.add_parser("create-user", help="create an account (password from LINLI_PASSWORD or a prompt)")
    p.add_argument("username")
    p.add_argument("--role", required=True, choices=ROLES)
    p.add_argument("--community", help="community name (required for coordinators and volunteers)")
    p.add_argument("--name", help="display name (default: the username)")
    p.set_defaults(fn=cmd_create_user)
    p = sub.add_parser("backup", help="online backup to a new file")
    p.add_argument("path")
    p.set_defaults(fn=cmd_backup)
    p = sub.add_parser("restore", help="restore a backup into a new, empty path")
    p.add_argument("backup")
    p.add_argument("target")
    p.set_defaults(fn=cmd_restore)
    sub.add_parser("check", help="integrity check, migration status and the data key").set_defaults(fn=cmd_check)
    p = sub.add_parser("unlock", help="unlock an account now")
    p.add_argument("username")
    p.set_defaults(fn=cmd_unlock)
    p = sub.add_parser("reset-password", help="set a new password (LINLI_PASSWORD or a prompt)")
    p.add_argument("username")
    p.set_defaults(fn=cmd_reset_password)
    sub.add_parser("rotate-data-key", help="re-encrypt ID numbers under a new data key").set_defaults(
        fn=cmd_rotate_data_key)
    args = parser.parse_args(argv)
    if not postgres.is_url(args.db):
        os.environ["LINLI_DB_PATH"] = args.db  # key files are looked for beside the database in use
    try:
        return args.fn(args)
    except LinliError as exc:  # a missing or wrong data key, a busy database: a sentence, not a traceback
        print(_english(exc.key, exc.params), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
