"""The translation of SQLite's own spellings (db/postgres.py), held to SQLite itself: the same
expressions over the same values give the same answers on both engines."""

import sqlite3
from datetime import date, timedelta

import pytest

from db.postgres import split_script, translate
from tests.conftest import postgres_cluster


@pytest.mark.parametrize("sqlite, postgres", [
    ("SELECT * FROM t WHERE a = ? AND b LIKE ?", "SELECT * FROM t WHERE a = %s AND b ILIKE %s"),
    ("SELECT * FROM t WHERE a = :a AND b = :b", "SELECT * FROM t WHERE a = %(a)s AND b = %(b)s"),
    ("SELECT 'x?y', '50%', a % 3 FROM t WHERE c = ?", "SELECT 'x?y', '50%%', a %% 3 FROM t WHERE c = %s"),
    ("SELECT id FROM t WHERE v.id IN () OR w NOT IN ( )", "SELECT id FROM t WHERE FALSE OR TRUE"),
    ("SELECT 1 FROM t WHERE a IS ? AND b IS NOT ?", "SELECT 1 FROM t WHERE a IS NOT DISTINCT FROM %s AND b IS DISTINCT FROM %s"),
    ("SELECT a FROM r INDEXED BY idx_r WHERE b = 1", "SELECT a FROM r WHERE b = 1"),
    ("SELECT CAST(m AS REAL) / 60 FROM t", "SELECT CAST(m AS DOUBLE PRECISION) / 60 FROM t"),
    ("SELECT a::text FROM t", "SELECT a::text FROM t"),  # a cast is not a named parameter
])
def test_spellings(sqlite, postgres):
    assert translate(sqlite) == postgres


def test_a_script_splits_on_statements_not_on_semicolons_in_text_or_comments():
    script = """
        -- a comment with a ; and China's apostrophe
        CREATE TABLE a (x TEXT DEFAULT 'a;b');
        CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
        INSERT INTO a VALUES ('it''s; fine')
    """
    assert split_script(script) == ["CREATE TABLE a (x TEXT DEFAULT 'a;b')",
                                    "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$",
                                    "INSERT INTO a VALUES ('it''s; fine')"]


EXPRESSIONS = [
    "date(d, '-6 days', 'weekday 1')",  # the Monday of d's week (day care's weekly chart)
    "date(d, '+3 days')",
    "date(d, 'weekday 0')",
    "round((julianday(d || 'T18:30:00') - julianday('2026-01-01T06:00:00')) * 24, 2)",
    "CAST(length(d) AS REAL) / 4",
]


def test_the_functions_answer_as_sqlite_does_over_two_years_of_days(engine_pg):
    days = [(date(2025, 1, 1) + timedelta(days=n)).isoformat() for n in range(731)]
    lite = sqlite3.connect(":memory:")
    lite.execute("CREATE TABLE days (d TEXT)")
    lite.executemany("INSERT INTO days VALUES (?)", [(d,) for d in days])
    engine_pg.execute("CREATE TABLE days (d TEXT)")
    engine_pg.conn.executemany("INSERT INTO days VALUES (?)", [(d,) for d in days])
    for expression in EXPRESSIONS:
        expected = lite.execute(f"SELECT d, {expression} FROM days ORDER BY d").fetchall()
        got = [tuple(r) for r in engine_pg.execute(f"SELECT d, {expression} FROM days ORDER BY d").fetchall()]
        assert got == expected, expression


def test_lists_patterns_and_nulls_answer_as_sqlite_does(engine_pg):
    lite = sqlite3.connect(":memory:")
    rows = [(1, "Pharmacy 药店", None), (2, "pharmacy", "x"), (3, "超市", "y")]
    for db in (lite, engine_pg):
        db.execute("CREATE TABLE t (id INTEGER, name TEXT, note TEXT)")
    lite.executemany("INSERT INTO t VALUES (?, ?, ?)", rows)
    engine_pg.conn.executemany("INSERT INTO t VALUES (?, ?, ?)", rows)
    for sql, params in [("SELECT id FROM t WHERE id IN () ORDER BY id", []),
                        ("SELECT id FROM t WHERE id NOT IN () ORDER BY id", []),
                        ("SELECT id FROM t WHERE name LIKE ? ORDER BY id", ["PHARM%"]),
                        ("SELECT id FROM t WHERE name LIKE ? ORDER BY id", ["%药%"]),
                        ("SELECT id FROM t WHERE note IS ? ORDER BY id", [None]),
                        ("SELECT id FROM t WHERE note IS NOT ? ORDER BY id", ["x"])]:
        expected = lite.execute(sql, params).fetchall()
        assert [tuple(r) for r in engine_pg.execute(sql, params).fetchall()] == expected, sql


def test_an_unknown_date_modifier_is_an_error_not_a_null(engine_pg):
    with pytest.raises(Exception, match="date modifier not supported: start of month"):
        engine_pg.execute("SELECT date('2026-12-03', 'start of month')")


@pytest.fixture
def engine_pg(request):
    from db.connection import connect

    cluster = postgres_cluster()
    name = f"dialect_{abs(hash(request.node.nodeid)) % 10**8}"
    db = connect(cluster.create(name))  # migrated: the functions are created by migrate
    yield db
    db.close()
    cluster.drop(name)
