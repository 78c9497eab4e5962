"""`python -m db backup|restore|check` on PostgreSQL: pg_dump and pg_restore (Debian's
postgresql-client) underneath, the same promises as on SQLite — a backup is complete or absent and
owner-only, a restore goes only into an empty database and is checked after."""

import glob
import os
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg


def tool(name: str) -> str:
    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None)
    if found is None:
        raise FileNotFoundError(f"{name} (Debian: apt install postgresql-client)")
    return found


def backup(url: str, target: Path) -> int:
    """pg_dump's custom format: one consistent snapshot while others keep writing (a repeatable-read
    transaction), compressed, restorable table by table."""
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    done = subprocess.run([tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(partial), url],
                          capture_output=True, text=True)
    if done.returncode:
        partial.unlink(missing_ok=True)
        print(f"pg_dump failed; no backup written: {done.stderr.strip()}", file=sys.stderr)
        return 1
    os.replace(partial, target)
    print(f"Backed up the PostgreSQL store to {target}")
    return 0


def restore(source: Path, url: str) -> int:
    """Into an empty database only, in one transaction: a damaged dump restores nothing."""
    listed = subprocess.run([tool("pg_restore"), "--list", str(source)], capture_output=True, text=True)
    if listed.returncode:
        print(f"{source} is not a readable pg_dump backup; not restored.", file=sys.stderr)
        return 1
    with psycopg.connect(url) as conn:
        tables = conn.execute("SELECT COUNT(*) FROM information_schema.tables"
                              " WHERE table_schema = current_schema()").fetchone()[0]
    if tables:
        print("The target database is not empty; restore only into a new, empty database.", file=sys.stderr)
        return 2
    done = subprocess.run([tool("pg_restore"), "--single-transaction", "--exit-on-error", "--no-owner",
                           "--dbname", url, str(source)], capture_output=True, text=True)
    if done.returncode:
        print(f"pg_restore failed; nothing restored: {done.stderr.strip()}", file=sys.stderr)
        return 1
    print(f"Restored {source}")
    return 0


def integrity(url: str) -> tuple[list[str], list]:
    """The server keeps pages sound and foreign keys enforced; what a check can still find is a
    table that cannot be read through or a constraint left unvalidated (added NOT VALID)."""
    problems = []
    with psycopg.connect(url) as conn:
        for (table,) in conn.execute("SELECT table_name FROM information_schema.tables"
                                     " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'").fetchall():
            try:
                conn.execute(f'SELECT COUNT(*) FROM "{table}"')
            except psycopg.Error as exc:
                problems.append(f"{table}: {exc}")
                conn.rollback()
        unvalidated = conn.execute("SELECT conrelid::regclass::text, conname FROM pg_constraint"
                                   " WHERE NOT convalidated AND contype = 'f'").fetchall()
    return (problems or ["ok"]), unvalidated
