"""What cached figures depend on: a counter per area of the data, moved by triggers on the area's
tables whoever writes them (any module, any app process). A figure is keyed on the counters of the
areas it reads, so a need claimed recomputes the exchange's figures and leaves the ledger's — the
costly ones — alone. Bookkeeping (logins, rate limits, the audit log, notifications) moves nothing."""

from contextlib import contextmanager

from sqlite_utils import Database

from db.store import is_postgres

_POSTGRES_FUNCTION = """CREATE OR REPLACE FUNCTION linli_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN UPDATE data_versions SET n = n + 1 WHERE area = TG_ARGV[0]; RETURN NULL; END $$"""

AREAS = {
    "ledger": ("service_records", "volunteers", "volunteer_skills"),
    "exchange": ("service_requests", "redemptions", "need_ratings"),
    "directory": ("outlets", "outlet_corrections"),
    "daycare": ("daycare_centres", "daycare_programmes", "daycare_closures", "daycare_members", "daycare_bookings"),
    "activities": ("activities", "activity_shifts", "activity_signups"),
    "voice": ("surveys", "survey_questions", "survey_communities", "survey_codes", "survey_responses", "survey_answers"),
    # what every figure reads: the communities, the settings (weights, star levels), the holidays
    "places": ("communities", "settings", "service_categories", "outlet_categories", "calendar_days"),
}


def install(db: Database) -> None:
    """The counters and their triggers (migration 0023; safe to run again)."""
    db.execute("CREATE TABLE IF NOT EXISTS data_versions (area TEXT PRIMARY KEY, n INTEGER NOT NULL DEFAULT 0)")
    if is_postgres(db):
        db.executescript(_POSTGRES_FUNCTION)
    for area, tables in AREAS.items():
        db.execute("INSERT INTO data_versions (area, n) VALUES (?, 0) ON CONFLICT DO NOTHING", [area])
        for table in tables:
            if is_postgres(db):  # one trigger per statement, not per row: a bulk update moves it once
                db.execute(f"CREATE OR REPLACE TRIGGER version_{table} AFTER INSERT OR UPDATE OR DELETE ON {table}"
                           f" FOR EACH STATEMENT EXECUTE FUNCTION linli_version('{area}')")
                continue
            for event in ("INSERT", "UPDATE", "DELETE"):
                db.execute(f"CREATE TRIGGER IF NOT EXISTS version_{table}_{event.lower()} AFTER {event} ON {table}"
                           f" BEGIN UPDATE data_versions SET n = n + 1 WHERE area = '{area}'; END")


def versions(db: Database) -> dict[str, int]:
    """Every area's counter (one small read)."""
    return dict(db.execute("SELECT area, n FROM data_versions").fetchall())


@contextmanager
def deferred(db: Database):
    """For a bulk load (the synthetic city): the counters' triggers off while millions of rows go in
    (they cost the load half as much again), every area moved once at the end."""
    if is_postgres(db):
        for tables in AREAS.values():
            for table in tables:
                db.execute(f"DROP TRIGGER IF EXISTS version_{table} ON {table}")
    else:
        for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'"
                                  " AND name LIKE 'version\\_%' ESCAPE '\\'").fetchall():
            db.execute(f"DROP TRIGGER {name}")
    try:
        yield
    finally:
        install(db)
        db.execute("UPDATE data_versions SET n = n + 1")
