"""Schema, as numbered migrations. Each runs once, in a transaction, and is recorded in
_sqlite_migrations, so `migrate` is safe on every start and on an existing database."""

from sqlite_utils import Database, Migrations

migrations = Migrations("linli")

ROLES = ("volunteer", "coordinator", "leader", "admin")
DISTRICTS = ("贵池区", "东至县", "石台县", "青阳县", "九华山风景区")


@migrations(name="0001_foundation")
def m0001_foundation(db: Database):
    db.executescript(
        """
        CREATE TABLE communities (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            district TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('urban', 'rural')),
            households INTEGER NOT NULL CHECK (households >= 0),
            population INTEGER NOT NULL CHECK (population >= 0),
            lat REAL NOT NULL,
            lon REAL NOT NULL
        );
        CREATE INDEX idx_communities_district ON communities(district);

        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            username TEXT NOT NULL UNIQUE,
            display_name TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('volunteer', 'coordinator', 'leader', 'admin')),
            community_id INTEGER REFERENCES communities(id),
            active INTEGER NOT NULL DEFAULT 1,
            failed_logins INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            CHECK (role != 'coordinator' OR community_id IS NOT NULL)
        );

        CREATE TABLE service_categories (
            code TEXT PRIMARY KEY,
            name_zh TEXT NOT NULL,
            name_en TEXT NOT NULL,
            sort INTEGER NOT NULL DEFAULT 0
        );

        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            table_name TEXT NOT NULL,
            row_id TEXT,
            community_id INTEGER,
            before TEXT,
            after TEXT
        );
        CREATE INDEX idx_audit_at ON audit_log(at);
        CREATE INDEX idx_audit_table ON audit_log(table_name, row_id);
        """
    )


def migrate(db: Database) -> list[str]:
    """Apply pending migrations; returns the names applied."""
    # Importing the feature modules registers their migrations on `migrations`.
    pending = [m.name for m in migrations.pending(db)]
    if pending:
        migrations.apply(db)
    return pending


def status(db: Database) -> tuple[list[str], list[str]]:
    """(applied, pending) migration names."""
    return [m.name for m in migrations.applied(db)], [m.name for m in migrations.pending(db)]
