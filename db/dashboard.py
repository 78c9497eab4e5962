"""The leaders' dashboard figures, aggregated in SQL with the covering indexes. A Scope says
which slice of the city a figure covers; no function here returns personal data."""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlite_utils import Database

from db import clock, exchange_figures
from db.errors import InputError
from db.permissions import require
from db.daycare import occupancy, occupancy_rate
from db.outlets import coverage
from db.volunteers import star_level_sql, star_thresholds


EARLIEST = date(2000, 1, 1)
MAX_PERIOD_DAYS = 3 * 366  # the previous period is as long again: at most six years are read


@dataclass(frozen=True)
class Scope:
    start: date
    end: date
    district: str | None = None
    community_id: int | None = None
    category: str | None = None

    def previous(self) -> "Scope":
        """The period of the same length just before this one."""
        days = (self.end - self.start).days + 1
        return Scope(self.start - timedelta(days=days), self.start - timedelta(days=1), self.district,
                     self.community_id, self.category)

    def period(self) -> tuple[str, str]:
        return self.start.isoformat(), self.end.isoformat()


def _communities(db: Database, s: Scope) -> tuple[str, list]:
    """SQL restricting a community_id column to the scope's district/community."""
    if s.community_id:
        return "= ?", [s.community_id]
    if s.district:
        return "IN (SELECT id FROM communities WHERE district = ?)", [s.district]
    return "IS NOT NULL", []


def population(db: Database, s: Scope) -> int:
    clause, params = _communities(db, s)
    return next(db.query(f"SELECT COALESCE(SUM(population), 0) AS p FROM communities WHERE id {clause}", params))["p"]


# Hours that come from something that happened (attendance at an activity or day care, a confirmed
# need) rather than from someone typing them in: the share the city wants to grow.
DERIVED_SOURCES = ("activity_qr", "activity_manual", "daycare", "request")
# The two sums that share is made of, for any query over the ledger (parameters: DERIVED_SOURCES).
DERIVED_SUMS = (f"SUM(CASE WHEN source IN ({', '.join('?' * len(DERIVED_SOURCES))}) THEN minutes ELSE 0 END) AS derived,"
                " SUM(CASE WHEN source != 'correction' THEN minutes ELSE 0 END) AS counted")


def _share(derived: int | None, counted: int | None) -> float | None:
    return (derived or 0) / counted if counted else None


def ledger(db: Database, s: Scope) -> dict:
    """Approved hours and active volunteers (distinct volunteers with approved hours) in the period,
    and the share of those hours (corrections aside) not typed in: one pass over the covering index."""
    clause, params = _communities(db, s)
    sql = (f"SELECT COALESCE(SUM(minutes), 0) AS minutes, COUNT(DISTINCT volunteer_id) AS active, {DERIVED_SUMS}"
           f" FROM service_records WHERE status = 'approved' AND service_date BETWEEN ? AND ? AND community_id {clause}")
    args = [*DERIVED_SOURCES, *s.period(), *params]
    if s.category:
        sql += " AND category = ?"
        args.append(s.category)
    row = next(db.query(sql, args))
    return {"hours": row["minutes"] / 60, "active_volunteers": row["active"],
            "derived_share": _share(row["derived"], row["counted"])}


def activities(db: Database, s: Scope) -> dict:
    """Activities held in the period (published, over by now), their confirmed sign-ups, and how
    many of those came (signed in); the attendance rate is the complement of no-shows."""
    clause, params = _communities(db, s)
    sql = ("SELECT COUNT(DISTINCT a.id) AS held, COUNT(u.id) AS signups, COUNT(u.signed_in_at) AS attended"
           " FROM activities a LEFT JOIN activity_signups u ON u.activity_id = a.id AND u.status = 'confirmed'"
           " WHERE a.status = 'published' AND a.starts_at >= ? AND a.starts_at < ? AND a.ends_at <= ?"
           f" AND a.community_id {clause}")
    args = [s.start.isoformat(), (s.end + timedelta(days=1)).isoformat(), clock.minute(), *params]
    if s.category:
        sql += " AND a.category = ?"
        args.append(s.category)
    row = next(db.query(sql, args))
    return {**row, "attendance_rate": row["attended"] / row["signups"] if row["signups"] else None}


def registered(db: Database, s: Scope) -> int:
    """Volunteers registered (active or inactive) by the end of the period."""
    clause, params = _communities(db, s)
    return next(db.query(
        "SELECT COUNT(*) AS n FROM volunteers WHERE status IN ('active', 'inactive') AND created_at < ?"
        f" AND community_id {clause}", [(s.end + timedelta(days=1)).isoformat(), *params]))["n"]


def kpis(db: Database, s: Scope, cells: list[dict] | None = None, care: list[dict] | None = None,
         led: dict | None = None, held: dict | None = None) -> dict:
    """Every KPI tile's figure for the scope. Pass what the page already has, and it is not
    computed again: the scope's coverage cells (they do not depend on the period), its
    day-care occupancy (the day-care chart's figures), its ledger and activity figures."""
    people = population(db, s)
    led = ledger(db, s) if led is None else led
    needs = exchange_figures.funnel(db, s.period(), s.district, s.community_id, s.category)
    waits = exchange_figures.times(db, s.period(), s.district, s.community_id, s.category)
    if cells is None:
        cells = coverage(db, district=s.district, community_id=s.community_id)
    if care is None:
        care = daycare(db, s)
    places = sum(c["places"] for c in care)
    held = activities(db, s) if held is None else held
    return {
        "registered": registered(db, s),
        "active_volunteers": led["active_volunteers"],
        "hours": led["hours"],
        "hours_per_1000": led["hours"] / people * 1000 if people else None,
        "needs_posted": needs["posted"],
        "needs_fulfilled": needs["confirmed"],
        "fulfilment_rate": needs["fulfilment_rate"],
        "median_hours_to_claim": waits["median_hours_to_claim"],
        "outlets": _outlets(db, s),
        "coverage": sum(1 for c in cells if c["within"]) / len(cells) if cells else None,
        "occupancy": occupancy_rate(sum(c["booked"] for c in care), places),
        "meals": sum(c["attended"] for c in care),
        "activities_held": held["held"],
        "signups": held["signups"],
        "attendance_rate": held["attendance_rate"],
        "derived_share": led["derived_share"],
        "population": people,
    }


def _outlets(db: Database, s: Scope) -> int:
    clause, params = _communities(db, s)
    return next(db.query(f"SELECT COUNT(*) AS n FROM outlets WHERE status = 'open' AND community_id {clause}", params))["n"]


def change(now, before):
    """Relative change against the previous period; None when there is nothing to compare."""
    if now is None or before in (None, 0):
        return None
    return (now - before) / before


def _year_before(d: date) -> date:
    return d.replace(year=d.year - 1) if not (d.month == 2 and d.day == 29) else d.replace(year=d.year - 1, day=28)


def _months(start: date, end: date):
    """(first, last) day of each calendar month overlapping [start, end], clipped to it."""
    first = start
    while first <= end:
        following = (first.replace(day=1) + timedelta(days=32)).replace(day=1)
        yield first, min(end, following - timedelta(days=1))
        first = following


def hours_by_month(db: Database, s: Scope) -> list[dict]:
    """Approved hours per month and category in the period, and in the same months a year
    earlier (rows flagged year_ago). One small query per month: grouping a year of rows by a
    computed month in one query costs a large sort; month by month the index range does it."""
    clause, params = _communities(db, s)
    cat = " AND category = ?" if s.category else ""
    rows = []
    for flag, (start, end) in ((False, (s.start, s.end)), (True, (_year_before(s.start), _year_before(s.end)))):
        for first, last in _months(start, end):
            rows += [{"month": first.strftime("%Y-%m"), **r, "year_ago": flag} for r in db.query(
                "SELECT category, SUM(minutes) / 60.0 AS hours FROM service_records"
                f" WHERE status = 'approved' AND service_date BETWEEN ? AND ? AND community_id {clause}{cat}"
                " GROUP BY category", [first.isoformat(), last.isoformat(), *params, *([s.category] if s.category else [])])]
    return rows


def by_area(db: Database, s: Scope, level: str = "community") -> list[dict]:
    """Hours and active volunteers per community (or district), with per-1,000-resident rates, and
    the share of their hours not typed in (None without hours)."""
    clause, params = _communities(db, s)
    key = "c.name" if level == "community" else "c.district"
    cat = " AND r.category = ?" if s.category else ""
    args = [*DERIVED_SOURCES, *s.period(), *([s.category] if s.category else []), *params]
    rows = list(db.query(
        f"SELECT {key} AS area, SUM(c.population) AS population, SUM(t.minutes) / 60.0 AS hours,"
        " SUM(t.active) AS active, SUM(t.derived) AS derived, SUM(t.counted) AS counted FROM communities c LEFT JOIN ("
        # INDEXED BY: left alone, SQLite walks idx_records_community community by community and
        # reads the table for minutes (1 s at city scale); one pass over the covering index is 0.2 s.
        f"  SELECT community_id, SUM(minutes) AS minutes, COUNT(DISTINCT volunteer_id) AS active, {DERIVED_SUMS}"
        "  FROM service_records r INDEXED BY idx_records_dashboard"
        f"  WHERE status = 'approved' AND service_date BETWEEN ? AND ?{cat} GROUP BY community_id"
        f" ) t ON t.community_id = c.id WHERE c.id {clause} GROUP BY {key}", args))
    for r in rows:
        r["hours"] = r["hours"] or 0.0
        r["active"] = r["active"] or 0
        r["hours_per_1000"] = r["hours"] / r["population"] * 1000 if r["population"] else 0.0
        r["active_per_1000"] = r["active"] / r["population"] * 1000 if r["population"] else 0.0
        r["derived_share"] = _share(r.pop("derived"), r.pop("counted"))
    return sorted(rows, key=lambda r: -r["hours_per_1000"])


def star_distribution(db: Database, s: Scope) -> list[dict]:
    clause, params = _communities(db, s)
    thresholds = star_thresholds(db)
    rows = {r["stars"]: r["n"] for r in db.query(
        f"SELECT {star_level_sql(thresholds)} AS stars, COUNT(*) AS n FROM volunteers WHERE status = 'active' AND community_id {clause}"
        " GROUP BY stars", params)}
    return [{"stars": k, "volunteers": rows.get(k, 0)} for k in range(len(thresholds) + 1)]


def registrations_by_month(db: Database, s: Scope) -> list[dict]:
    clause, params = _communities(db, s)
    return list(db.query(
        "SELECT substr(created_at, 1, 7) AS month, COUNT(*) AS registrations FROM volunteers"
        f" WHERE created_at >= ? AND created_at < ? AND community_id {clause} GROUP BY month ORDER BY month",
        [s.start.isoformat(), (s.end + timedelta(days=1)).isoformat(), *params]))


def funnel(db: Database, s: Scope) -> list[dict]:
    f = exchange_figures.funnel(db, s.period(), s.district, s.community_id, s.category)
    return [{"stage": k, "needs": f[k]} for k in ("posted", "claimed", "done", "confirmed")]


def time_to_claim(db: Database, s: Scope) -> list[dict]:
    return [{"category": r["key"], "median_hours": r["median_hours_to_claim"], "posted": r["posted"]}
            for r in exchange_figures.by_group(db, s.period(), "category", s.district, s.community_id, s.category)
            if r["median_hours_to_claim"] is not None]


def daycare(db: Database, s: Scope) -> list[dict]:
    return occupancy(db, s.start, s.end, district=s.district, community_id=s.community_id)


def check_scope(actor, s: Scope) -> None:
    """Leaders and admins see the whole city; a coordinator sees their own community and the
    city as a whole (for comparison), never another community or district on its own."""
    # Bounded work per request: a URL asking for forty years (or year 1) is refused, not computed.
    if s.end < s.start or s.start < EARLIEST or (s.end - s.start).days >= MAX_PERIOD_DAYS:
        raise InputError([("period", "err.period_range", {"first": EARLIEST.isoformat(), "years": MAX_PERIOD_DAYS // 366})])
    require(actor, "dashboard.read", s.community_id, city=s.community_id is None and s.district is None)
