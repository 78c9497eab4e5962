"""Bulk loading for the synthetic city: plain executemany in one transaction (COPY on PostgreSQL),
with the named table's secondary indexes dropped while loading and rebuilt afterwards (much faster
than maintaining them row by row)."""

from contextlib import contextmanager
from typing import Iterable

from sqlite_utils import Database

from db.store import is_postgres


def insert_rows(db: Database, table: str, columns: list[str], rows: Iterable[tuple], chunk: int = 50_000) -> int:
    if is_postgres(db):
        return _copy_rows(db, table, columns, rows)
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


def _copy_rows(db, table: str, columns: list[str], rows: Iterable[tuple]) -> int:
    """PostgreSQL's bulk path: COPY, several times faster than row-by-row inserts."""
    count = 0
    with db.conn.raw.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    if "id" in columns and db.identity(table):
        db.catch_up(table)  # explicit ids: the identity continues after them
    return count


@contextmanager
def indexes_deferred(db: Database, *tables: str):
    """Drop the explicit indexes of `tables`, and recreate them from their saved SQL on exit (those
    behind a key or unique constraint stay)."""
    if is_postgres(db):
        saved = [r["indexdef"] for t in tables for r in db.query(
            "SELECT indexdef FROM pg_indexes i WHERE tablename = ? AND schemaname = current_schema()"
            " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = quote_ident(i.indexname)::regclass)",
            [t])]
    else:
        saved = [r["sql"] for t in tables for r in db.query(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL", [t])]
    for sql in saved:
        name = sql.split("INDEX", 1)[1].split(" ON ", 1)[0].replace("IF NOT EXISTS", "").strip()
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
