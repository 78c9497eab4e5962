"""Bulk loading for the synthetic city: plain executemany in one transaction, with the named
table's secondary indexes dropped while loading and rebuilt afterwards (much faster than
maintaining them row by row)."""

from contextlib import contextmanager
from typing import Iterable

from sqlite_utils import Database


def insert_rows(db: Database, table: str, columns: list[str], rows: Iterable[tuple], chunk: int = 50_000) -> int:
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
    count, batch = 0, []
    for row in rows:
        batch.append(row)
        if len(batch) >= chunk:
            db.conn.executemany(sql, batch)
            count += len(batch)
            batch.clear()
    if batch:
        db.conn.executemany(sql, batch)
        count += len(batch)
    return count


@contextmanager
def indexes_deferred(db: Database, *tables: str):
    """Drop the explicit indexes of `tables`, and recreate them from their saved SQL on exit."""
    saved = [r["sql"] for t in tables for r in db.query(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL", [t])]
    for sql in saved:
        name = sql.split("INDEX", 1)[1].split("ON", 1)[0].replace("IF NOT EXISTS", "").strip()
        db.execute(f"DROP INDEX {name}")
    try:
        yield
    finally:
        for sql in saved:
            db.execute(sql)


def refresh_volunteer_totals(db: Database) -> None:
    """Recompute volunteers.approved_minutes from the ledger in one statement."""
    db.execute("UPDATE volunteers SET approved_minutes = COALESCE(t.m, 0) FROM"
               " (SELECT volunteer_id, SUM(minutes) AS m FROM service_records WHERE status = 'approved'"
               "  GROUP BY volunteer_id) AS t WHERE t.volunteer_id = volunteers.id")


def analyze(db: Database) -> None:
    db.execute("ANALYZE")
