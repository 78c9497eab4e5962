"""Exchange figures for the dashboard, aggregated in SQL: needs posted, claimed, done and
confirmed in a period; fulfilment rate; median hours to claim and to confirm; by community
and by category."""

from statistics import median

from sqlite_utils import Database


def _where(period: tuple[str, str], district: str | None, community_id: int | None, category: str | None):
    where = ["r.kind = 'need'", "r.status NOT IN ('pending', 'rejected')", "r.created_at >= ?", "r.created_at < ?"]
    params: list = [period[0], period[1] + "T99"]  # inclusive of the whole last day
    for column, value in (("c.district", district), ("r.community_id", community_id), ("r.category", category)):
        if value:
            where.append(f"{column} = ?")
            params.append(value)
    return " AND ".join(where), params


def funnel(db: Database, period: tuple[str, str], district: str | None = None, community_id: int | None = None,
           category: str | None = None) -> dict:
    """Counts of needs posted in the period that reached each stage, and the fulfilment rate
    (confirmed ÷ posted, cancelled ones included in posted)."""
    clause, params = _where(period, district, community_id, category)
    row = next(db.query(
        "SELECT COUNT(*) AS posted,"
        " SUM(CASE WHEN r.claimed_at IS NOT NULL THEN 1 ELSE 0 END) AS claimed,"
        " SUM(CASE WHEN r.status IN ('done', 'confirmed') THEN 1 ELSE 0 END) AS done,"
        " SUM(CASE WHEN r.status = 'confirmed' THEN 1 ELSE 0 END) AS confirmed"
        f" FROM service_requests r JOIN communities c ON c.id = r.community_id WHERE {clause}", params))
    row = {k: v or 0 for k, v in row.items()}
    row["fulfilment_rate"] = row["confirmed"] / row["posted"] if row["posted"] else None
    return row


def _hours(db, expression, clause, params) -> list[float]:
    return [r["h"] for r in db.query(
        f"SELECT {expression} AS h FROM service_requests r JOIN communities c ON c.id = r.community_id"
        f" WHERE {clause} AND {expression} IS NOT NULL", params)]


def times(db: Database, period: tuple[str, str], district: str | None = None, community_id: int | None = None,
          category: str | None = None) -> dict:
    """Median hours from posting to claim, and from posting to confirmation."""
    clause, params = _where(period, district, community_id, category)
    to_claim = _hours(db, "(julianday(r.claimed_at) - julianday(r.created_at)) * 24", clause, params)
    to_confirm = _hours(db, "(julianday(r.confirmed_at) - julianday(r.created_at)) * 24", clause, params)
    return {"median_hours_to_claim": median(to_claim) if to_claim else None,
            "median_hours_to_confirm": median(to_confirm) if to_confirm else None}


def by_group(db: Database, period: tuple[str, str], group: str, district: str | None = None,
             community_id: int | None = None, category: str | None = None) -> list[dict]:
    """The funnel per community or per category, with the median hours to claim."""
    column = {"community": "c.name", "category": "r.category", "district": "c.district"}[group]
    clause, params = _where(period, district, community_id, category)
    rows = list(db.query(
        f"SELECT {column} AS key, COUNT(*) AS posted, SUM(CASE WHEN r.claimed_at IS NOT NULL THEN 1 ELSE 0 END) AS claimed,"
        " SUM(CASE WHEN r.status IN ('done', 'confirmed') THEN 1 ELSE 0 END) AS done, SUM(CASE WHEN r.status = 'confirmed' THEN 1 ELSE 0 END) AS confirmed"
        f" FROM service_requests r JOIN communities c ON c.id = r.community_id WHERE {clause}"
        f" GROUP BY {column} ORDER BY posted DESC", params))
    waits: dict[str, list[float]] = {}
    for r in db.query(
            f"SELECT {column} AS key, (julianday(r.claimed_at) - julianday(r.created_at)) * 24 AS h"
            f" FROM service_requests r JOIN communities c ON c.id = r.community_id WHERE {clause}"
            " AND r.claimed_at IS NOT NULL", params):
        waits.setdefault(r["key"], []).append(r["h"])
    for r in rows:
        r["fulfilment_rate"] = r["confirmed"] / r["posted"] if r["posted"] else None
        r["median_hours_to_claim"] = median(waits[r["key"]]) if r["key"] in waits else None
    return rows
