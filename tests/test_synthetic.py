"""The synthetic city: sizes honoured, deterministic, totals consistent, indexes rebuilt."""

from db.connection import connect
from seed.synthetic import seed_synthetic

TINY = {"volunteers": 300, "records": 3000, "needs": 0, "outlets": 0, "centres": 0, "members": 0}


def build(path, seed=7):
    db = connect(path)
    seed_synthetic(db, TINY, seed, log=lambda *_: None)
    return db


def test_sizes_and_consistency(tmp_path):
    db = build(tmp_path / "s.db")
    assert db["volunteers"].count == 300 and db["service_records"].count == 3000
    assert db["communities"].count == 92
    assert not list(db.query(
        "SELECT id FROM volunteers v WHERE approved_minutes != (SELECT COALESCE(SUM(minutes), 0)"
        " FROM service_records r WHERE r.volunteer_id = v.id AND r.status = 'approved')"))
    indexes = {r["name"] for r in db.query("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"idx_records_volunteer", "idx_records_community", "idx_volunteers_community"} <= indexes


def test_deterministic(tmp_path):
    a = build(tmp_path / "a.db")
    b = build(tmp_path / "b.db")
    query = "SELECT volunteer_id, service_date, minutes, category, status FROM service_records ORDER BY id"
    assert list(a.query(query)) == list(b.query(query))


def test_the_bulk_load_leaves_the_data_versions_working(tmp_path):
    """The versions' triggers are off during the load (db.versions.deferred), back after it, and
    every area has moved, so no process keeps figures of the empty city."""
    from db.versions import AREAS, versions

    db = build(tmp_path / "v.db")
    names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'version%'")}
    assert len(names) == 3 * sum(len(t) for t in AREAS.values())
    after_load = versions(db)
    assert all(n >= 1 for n in after_load.values())
    db.execute("UPDATE volunteers SET notes = notes WHERE id = 1")
    assert versions(db)["ledger"] == after_load["ledger"] + 1
