"""PostgreSQL as the store (LINLI_DATABASE_URL=postgresql://…): the part of sqlite-utils' Database
that db/ uses, on psycopg, and the few places where PostgreSQL's SQL differs from SQLite's.

db/ writes its SQL once, in the common subset of both engines; what SQLite spells its own way is
translated here, in one place, and nowhere else:
- placeholders: `?` and `:name` become psycopg's `%s` and `%(name)s` (a literal % is doubled);
- `BEGIN IMMEDIATE` (SQLite's write lock taken up front) becomes BEGIN plus one transaction-level
  advisory lock, so writers queue exactly as they do on SQLite and every check-then-write of db/
  (claims, bookings, sign-ups, approvals) keeps its guarantee without a second copy of any rule;
- `x IN ()` (an empty list) is FALSE, `x NOT IN ()` TRUE; `IS ?` is IS NOT DISTINCT FROM;
- `INDEXED BY` (a planner hint only SQLite needs) is dropped; LIKE is ILIKE (SQLite's LIKE ignores
  ASCII case); `CAST(… AS REAL)` is double precision;
- DDL: `INTEGER PRIMARY KEY` is an identity column, REAL is double precision, and SQLite's
  `RAISE(ABORT, …)` triggers become PL/pgSQL functions raising the same message;
- a few SQLite functions db/ uses (julianday, date with day and weekday modifiers, round of a double,
  sum of a boolean) are defined as SQL functions (FUNCTIONS, created by migrate).
"""

import re
from contextlib import contextmanager
from functools import lru_cache

import psycopg
from psycopg.types.numeric import FloatLoader

from db.store import BUSY_TIMEOUT_MS, DatabaseBusy

# Every write transaction takes this lock first (pg_advisory_xact_lock; released at COMMIT/ROLLBACK).
WRITE_LOCK = 0x4C494E4C49  # "LINLI"
# Migrations of several processes starting at once on a new store: one at a time.
MIGRATE_LOCK = WRITE_LOCK + 1
SEED_LOCK = WRITE_LOCK + 2

FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION julianday(t text) RETURNS double precision
    LANGUAGE sql IMMUTABLE STRICT AS
    $$ SELECT extract(epoch FROM t::timestamp) / 86400.0 + 2440587.5 $$;

-- SQLite's date(value, modifier…) for the modifiers db/ uses: '±N day(s)' and 'weekday N'.
CREATE OR REPLACE FUNCTION date(t text, VARIADIC modifiers text[] DEFAULT '{}') RETURNS text
    LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
    d date := t::date;
    m text;
    n int;
BEGIN
    FOREACH m IN ARRAY modifiers LOOP
        IF m ~ '^[+-]?\d+ days?$' THEN
            d := d + split_part(m, ' ', 1)::int;
        ELSIF m ~ '^weekday [0-6]$' THEN
            n := split_part(m, ' ', 2)::int;
            d := d + ((n - extract(dow FROM d)::int + 7) % 7);
        ELSE
            RAISE EXCEPTION 'date modifier % is not supported', m;
        END IF;
    END LOOP;
    RETURN to_char(d, 'YYYY-MM-DD');
END $$;

CREATE OR REPLACE FUNCTION round(x double precision, digits integer) RETURNS double precision
    LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT round(x::numeric, digits)::double precision $$;

CREATE OR REPLACE FUNCTION linli_sum_bool(total bigint, b boolean) RETURNS bigint
    LANGUAGE sql IMMUTABLE AS $$ SELECT total + CASE WHEN b THEN 1 ELSE 0 END $$;
DO $$ BEGIN
    CREATE AGGREGATE sum(boolean) (SFUNC = linli_sum_bool, STYPE = bigint, INITCOND = '0');
EXCEPTION WHEN duplicate_function THEN NULL;
END $$;
"""


def is_url(target) -> bool:
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


def safe_url(url: str) -> str:
    """The URL with any password blanked, for messages and logs."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


# --- translation -----------------------------------------------------------------------------

_TOKENS = re.compile(r"""('(?:[^']|'')*')|("(?:[^"]|"")*")|(--[^\n]*)|(\?)|(?<!:):([A-Za-z_]\w*)|(%)""")


def _placeholders(sql: str) -> str:
    def swap(m: re.Match) -> str:
        literal, ident, comment, qmark, name, _percent = m.groups()
        if literal is not None:
            return literal.replace("%", "%%")
        if ident is not None or comment is not None:
            return m.group(0).replace("%", "%%")
        if qmark:
            return "%s"
        if name:
            return f"%({name})s"
        return "%%"

    return _TOKENS.sub(swap, sql)


_TRIGGER = re.compile(
    r"CREATE TRIGGER (?:IF NOT EXISTS )?(\w+) (BEFORE|AFTER) (UPDATE|DELETE|INSERT) ON (\w+)\s+"
    r"WHEN (.+?)\s+BEGIN\s+SELECT RAISE\(ABORT, '([^']*)'\);\s+END", re.S | re.I)


def _trigger(m: re.Match) -> str:
    name, when, event, table, condition, message = m.groups()
    return (f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$"
            f" BEGIN RAISE EXCEPTION '{message}' USING ERRCODE = 'restrict_violation'; END $$;"
            f" CREATE TRIGGER {name} {when} {event} ON {table} FOR EACH ROW WHEN ({condition})"
            f" EXECUTE FUNCTION {name}()")


def ddl(sql: str) -> str:
    """A schema statement or script as PostgreSQL spells it."""
    sql = _TRIGGER.sub(_trigger, sql)
    sql = re.sub(r"\bINTEGER PRIMARY KEY\b", "INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", sql)
    return re.sub(r"\bREAL\b", "DOUBLE PRECISION", sql)


@lru_cache(maxsize=4096)
def translate(sql: str) -> str:
    """One statement of db/ (SQLite's spelling) as PostgreSQL runs it."""
    head = sql.lstrip()[:12].upper()
    if head.startswith(("CREATE", "ALTER", "DROP")):
        sql = ddl(sql)
    sql = re.sub(r"\bIS NOT (\?|:\w+)", r"IS DISTINCT FROM \1", sql)
    sql = re.sub(r"\bIS (\?|:\w+)", r"IS NOT DISTINCT FROM \1", sql)
    # an empty list: SQLite takes "x IN ()" (false) and "x NOT IN ()" (true)
    sql = re.sub(r"[\w.]+\s+NOT IN \(\s*\)", "TRUE", sql)
    sql = re.sub(r"[\w.]+\s+IN \(\s*\)", "FALSE", sql)
    sql = re.sub(r"\s+INDEXED BY \w+", "", sql)
    sql = re.sub(r"\bLIKE\b", "ILIKE", sql)
    sql = re.sub(r"\bAS REAL\)", "AS DOUBLE PRECISION)", sql)
    return _placeholders(sql)


_SCRIPT = re.compile(r"('(?:[^']|'')*')|(\$\$.*?\$\$)|(--[^\n]*)|(;)", re.S)


def split_script(script: str) -> list[str]:
    """A script's statements, without comments (semicolons in literals and PL/pgSQL bodies stay)."""
    out, current, at = [], [], 0
    for m in _SCRIPT.finditer(script):
        current.append(script[at:m.start()])
        at = m.end()
        if m.group(3) is not None:
            continue  # a comment
        if m.group(4) is not None:
            out.append("".join(current).strip())
            current = []
        else:
            current.append(m.group(0))
    out.append("".join(current + [script[at:]]).strip())
    return [s for s in out if s]


# --- the Database -----------------------------------------------------------------------------

class Cursor:
    """What db/ reads from sqlite3's cursor: rows as tuples, rowcount, lastrowid."""

    def __init__(self, cursor: psycopg.Cursor, lastrowid=None):
        self._cursor = cursor
        self.rowcount = cursor.rowcount
        self.lastrowid = lastrowid
        self.description = cursor.description

    def fetchone(self):
        return self._cursor.fetchone() if self._cursor.description else None

    def fetchall(self):
        return self._cursor.fetchall() if self._cursor.description else []

    def __iter__(self):
        return iter(self.fetchall())


class Connection:
    """sqlite3.Connection's face on a psycopg connection in autocommit mode: db/store.write opens
    and ends its transactions by statement, as it does on SQLite."""

    def __init__(self, raw: psycopg.Connection, database: "Database"):
        self.raw = raw
        self._db = database

    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status != psycopg.pq.TransactionStatus.IDLE

    def execute(self, sql: str, params=()) -> Cursor:
        word = sql.strip().upper()
        if word == "BEGIN IMMEDIATE":
            self.raw.execute("BEGIN")
            try:
                self.raw.execute("SELECT pg_advisory_xact_lock(%s)", [WRITE_LOCK])
            except psycopg.errors.LockNotAvailable as exc:  # waited BUSY_TIMEOUT_MS, as SQLite does
                self.raw.execute("ROLLBACK")
                raise DatabaseBusy() from exc
            return Cursor(self.raw.cursor())
        if word.startswith("PRAGMA"):
            raise NotImplementedError(f"{sql} is SQLite's; ask db.postgres for the PostgreSQL way")
        return self._db.execute(sql, params)

    def executemany(self, sql: str, rows) -> None:
        with self.raw.cursor() as cur:
            cur.executemany(translate(sql), list(rows))

    def commit(self) -> None:
        if self.in_transaction:
            self.raw.execute("COMMIT")

    def rollback(self) -> None:
        if self.in_transaction:
            self.raw.execute("ROLLBACK")

    def close(self) -> None:
        self.raw.close()


class Table:
    """sqlite-utils' Table, for the calls db/ makes: insert (last_pk), insert_all, get, update,
    upsert, count."""

    def __init__(self, db: "Database", name: str):
        self.db, self.name = db, name
        self.last_pk = None

    def insert(self, row: dict, **options) -> "Table":
        self.last_pk = self._insert([row], **options)
        return self

    def insert_all(self, rows, ignore: bool = False, **options) -> "Table":
        rows = list(rows)
        if rows:
            self.last_pk = self._insert(rows, ignore=ignore)
        return self

    def _insert(self, rows: list[dict], ignore: bool = False, pk=None, upsert: bool = False):
        columns = list(rows[0])
        names = ", ".join(f'"{c}"' for c in columns)
        sql = f'INSERT INTO "{self.name}" ({names}) VALUES ({", ".join(["%s"] * len(columns))})'
        if upsert:
            keys = [pk] if isinstance(pk, str) else list(pk)
            updates = ", ".join(f'"{c}" = excluded."{c}"' for c in columns if c not in keys)
            sql += f" ON CONFLICT ({', '.join(keys)}) " + (f"DO UPDATE SET {updates}" if updates else "DO NOTHING")
        elif ignore:
            sql += " ON CONFLICT DO NOTHING"
        identity = self.db.identity(self.name)
        if identity:
            sql += f' RETURNING "{identity}"'
        last = None
        with self.db.conn.raw.cursor() as cur:
            for row in rows:
                cur.execute(sql, [row.get(c) for c in columns])
                if identity:
                    got = cur.fetchone()
                    last = got[0] if got else last
        if identity and identity in columns:
            self.db.catch_up(self.name)  # explicit ids: the identity continues after them
        return last

    def upsert(self, row: dict, pk) -> "Table":
        self.last_pk = self._insert([row], pk=pk, upsert=True)
        return self

    def get(self, pk):
        key = self.db.identity(self.name) or "id"
        row = next(self.db.query(f'SELECT * FROM "{self.name}" WHERE "{key}" = ?', [pk]), None)
        if row is None:
            from sqlite_utils.db import NotFoundError

            raise NotFoundError
        return row

    def update(self, pk, values: dict) -> "Table":
        if values:
            sets = ", ".join(f'"{c}" = ?' for c in values)
            self.db.execute(f'UPDATE "{self.name}" SET {sets} WHERE id = ?', [*values.values(), pk])
        return self

    def count_where(self, where: str, params=None) -> int:
        return self.db.execute(f'SELECT COUNT(*) FROM "{self.name}" WHERE {where}', params).fetchone()[0]

    @property
    def count(self) -> int:
        return self.db.execute(f'SELECT COUNT(*) FROM "{self.name}"').fetchone()[0]

    def exists(self) -> bool:
        return self.name in self.db.table_names()


class Database:
    """The store on PostgreSQL, with sqlite-utils' Database calls that db/ makes."""

    engine = "postgresql"

    def __init__(self, url: str):
        # lock_timeout: a writer waits for the write lock as long as SQLite's busy timeout, then "busy".
        raw = psycopg.connect(url, autocommit=True, options=f"-c lock_timeout={BUSY_TIMEOUT_MS}")
        # AVG and SUM of bigints are numeric on PostgreSQL: floats, as SQLite gives them.
        raw.adapters.register_loader("numeric", FloatLoader)
        self.url = url
        self.conn = Connection(raw, self)
        self._identity: dict[str, str | None] | None = None

    def execute(self, sql: str, params=None) -> Cursor:
        statement = translate(sql)
        identity = None
        insert = re.match(r'\s*INSERT INTO "?(\w+)"?', sql, re.I)
        if insert and " RETURNING " not in sql.upper():
            identity = self.identity(insert.group(1))
            if identity:
                statement += f" RETURNING {identity}"
        cur = self.conn.raw.cursor()
        cur.execute(statement, params if params is not None else [])
        lastrowid = None
        if identity:
            got = cur.fetchone()
            lastrowid = got[0] if got else None
        return Cursor(cur, lastrowid)

    def query(self, sql: str, params=None):
        cur = self.conn.raw.cursor(row_factory=psycopg.rows.dict_row)
        cur.execute(translate(sql), params if params is not None else [])
        yield from cur

    def executescript(self, script: str) -> None:
        for statement in split_script(ddl(script)):
            self.conn.raw.execute(statement)
        self._identity = None

    def __getitem__(self, name: str) -> Table:
        return Table(self, name)

    table = __getitem__

    def table_names(self) -> list[str]:
        return [r[0] for r in self.conn.raw.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
            " ORDER BY table_name")]

    def identity(self, table: str) -> str | None:
        """The table's identity column (its INTEGER PRIMARY KEY on SQLite), if it has one."""
        if self._identity is None or table not in self._identity:
            self._identity = {t: c for t, c in self.conn.raw.execute(
                "SELECT table_name, column_name FROM information_schema.columns"
                " WHERE table_schema = current_schema() AND is_identity = 'YES'")}
        return self._identity.get(table)

    def catch_up(self, table: str) -> None:
        column = self.identity(table)
        self.conn.raw.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'),"
            f" GREATEST((SELECT MAX({column}) FROM {table}), 1))")

    def close(self) -> None:
        self.conn.close()


@contextmanager
def one_at_a_time(url: str):
    """Processes starting together on a new store migrate and seed it one after another."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", [SEED_LOCK])
        try:
            yield
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", [SEED_LOCK])


# --- migrations -------------------------------------------------------------------------------

MIGRATIONS_TABLE = "_sqlite_migrations"  # the same name on both engines: `python -m db status` reads one


def applied(db: Database, migration_set: str) -> list[str]:
    if MIGRATIONS_TABLE not in db.table_names():
        return []
    return [r[0] for r in db.conn.raw.execute(
        f"SELECT name FROM {MIGRATIONS_TABLE} WHERE migration_set = %s ORDER BY id", [migration_set])]


def migrate(db: Database, migrations) -> list[str]:
    """Apply pending migrations (the same functions as on SQLite), each in a transaction with its
    record; processes starting together take turns on a session-level advisory lock."""
    raw = db.conn.raw
    raw.execute("SELECT pg_advisory_lock(%s)", [MIGRATE_LOCK])
    try:
        with raw.transaction():
            raw.execute(FUNCTIONS)
            raw.execute(f"CREATE TABLE IF NOT EXISTS {MIGRATIONS_TABLE} (id INTEGER GENERATED BY DEFAULT AS"
                        " IDENTITY PRIMARY KEY, migration_set TEXT, name TEXT, applied_at TEXT,"
                        " UNIQUE (migration_set, name))")
        done = set(applied(db, migrations.name))
        names = []
        for m in migrations._migrations:
            if m.name in done:
                continue
            record = (f"INSERT INTO {MIGRATIONS_TABLE} (migration_set, name, applied_at)"
                      " VALUES (%s, %s, now()::text)")
            if m.transactional:
                with raw.transaction():
                    m.fn(db)
                    raw.execute(record, [migrations.name, m.name])
            else:
                m.fn(db)
                raw.execute(record, [migrations.name, m.name])
            db._identity = None
            names.append(m.name)
        return names
    finally:
        raw.execute("SELECT pg_advisory_unlock(%s)", [MIGRATE_LOCK])
