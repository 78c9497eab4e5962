"""A copy of a test's whole store, put back between probes that must each start from the same data:
SQLite's backup API, or on PostgreSQL a schema of copies restored with triggers off (the rule that
keeps approved records final would otherwise refuse to put the world back)."""

import sqlite3

from db.store import is_postgres


class Snapshot:
    def __init__(self, db):
        self.db = db
        if is_postgres(db):
            raw = db.conn.raw
            self.tables = db.table_names()
            raw.execute("DROP SCHEMA IF EXISTS snapshot CASCADE")
            raw.execute("CREATE SCHEMA snapshot")
            for t in self.tables:
                raw.execute(f'CREATE TABLE snapshot."{t}" AS TABLE public."{t}"')
        else:
            self.copy = sqlite3.connect(":memory:")
            db.conn.backup(self.copy)

    def restore(self) -> None:
        if not is_postgres(self.db):
            self.copy.backup(self.db.conn)
            return
        raw = self.db.conn.raw
        with raw.transaction():
            raw.execute("SET LOCAL session_replication_role = replica")
            raw.execute("TRUNCATE " + ", ".join(f'public."{t}"' for t in self.tables))
            for t in self.tables:
                raw.execute(f'INSERT INTO public."{t}" SELECT * FROM snapshot."{t}"')
                if self.db.identity(t):
                    self.db.catch_up(t)

    def close(self) -> None:
        if is_postgres(self.db):
            self.db.conn.raw.execute("DROP SCHEMA snapshot CASCADE")
        else:
            self.copy.close()
