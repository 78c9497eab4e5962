"""python -m bench [--db PATH|URL] [--size city|ci] — every page for its roles with AppTest at city
scale, cold and warm; the dashboard's SQL aggregates alone (the floor) and a naive pandas
baseline. Prints a table, then one JSON line with every figure in milliseconds and the ratios."""

import argparse
import json
import os
import sqlite3
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from db import clock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGETS = {"warm_ms": 1000, "cold_ms": 3000, "dashboard_over_floor": 2.0, "naive_over_dashboard": 10.0,
           "brief_ms": 10000}


def use_store(path) -> None:
    """Point everything opened from here on (the pages, their data key) at the benchmark store."""
    from db import postgres

    if postgres.is_url(str(path)):
        os.environ["LINLI_DATABASE_URL"] = str(path)
    else:
        os.environ.pop("LINLI_DATABASE_URL", None)
        os.environ["LINLI_DB_PATH"] = str(path)  # its data key lives beside it


def ensure_db(path: Path, size: str) -> None:
    from db.connection import connect
    from seed.demo import is_empty
    from seed.synthetic import SIZES, seed_synthetic

    db = connect(path)
    if is_empty(db):
        print(f"Generating the synthetic city ({size}) …", flush=True)
        seed_synthetic(db, SIZES[size], log=lambda m: print("  " + m, flush=True))
    _volunteer_login(db)
    db.close()


def _volunteer_login(db) -> None:
    """The benchmark's volunteer account: the busiest volunteer of 秋浦社区."""
    from db.store import write
    from db.models import SYSTEM, UserIn
    from db.users import insert_user

    if list(db.query("SELECT 1 FROM users WHERE username = 'volunteer'")):
        return
    v = next(db.query("SELECT v.id FROM volunteers v JOIN communities c ON c.id = v.community_id"
                      " WHERE c.name = '秋浦社区' AND v.status = 'active' ORDER BY v.approved_minutes DESC LIMIT 1"))
    with write(db):
        uid = insert_user(db, SYSTEM, UserIn(username="volunteer", display_name="志愿者", role="volunteer",
                                             community="秋浦社区", password="linli-demo"))
        db.execute("UPDATE volunteers SET user_id = ? WHERE id = ?", [uid, v["id"]])


def time_pages(path: Path) -> list[dict]:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from components.navigation import PAGES
    from db.permissions import ROLES

    # Demo mode: the synthetic accounts use the demo password, which a live installation
    # (LINLI_DEMO=0) switches off; the database is not empty, so nothing is seeded.
    use_store(path)
    os.environ["LINLI_DEMO"] = "1"
    rows = []
    for role in ROLES:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
        if role != "public":
            at.switch_page("app_pages/login.py").run()
            at.text_input[0].input(role)
            at.text_input[1].input("linli-demo")
            at.button[0].click().run()
            assert at.session_state["actor"].role == role, f"login as {role} failed"
        for spec in PAGES:
            if role not in spec.roles or spec.path.endswith("login.py"):
                continue
            st.cache_data.clear()  # cold: nothing cached from earlier pages
            at.switch_page(spec.path)
            started = time.perf_counter()
            at.run()
            cold = (time.perf_counter() - started) * 1000
            warm_runs = []
            for _ in range(2):
                started = time.perf_counter()
                at.run()
                warm_runs.append((time.perf_counter() - started) * 1000)
            problem = str(at.exception[0].message)[:60] if at.exception else ""
            rows.append({"page": spec.path.split("/")[-1][:-3], "role": role, "cold_ms": round(cold),
                         "warm_ms": round(statistics.median(warm_runs)), "error": problem})
    return rows


def time_sign_in(path: Path) -> dict:
    """The page a scanned QR code opens, at city scale: the bench's volunteer signed up for an
    activity of 秋浦社区 running now; cold is the first look (code checked, the volunteer's sign-ups
    found), then the press that writes 签到."""
    from streamlit.testing.v1 import AppTest

    from db import attendance
    from db.connection import connect
    from db.store import write

    db = connect(path, migrate=False)
    volunteer_id, community_id = db.execute("SELECT v.id, v.community_id FROM volunteers v JOIN users u ON u.id = v.user_id"
                                            " WHERE u.username = 'volunteer'").fetchone()
    now = clock.now()
    with write(db):
        activity_id = db["activities"].insert({
            "community_id": community_id, "title": "基准测试活动", "category": "elderly", "place": "活动室",
            "starts_at": clock.minute(now), "ends_at": clock.minute(now + timedelta(hours=1)),
            "status": "published", "created_by": "bench", "created_at": clock.stamp()}).last_pk
        shift_id = db["activity_shifts"].insert({"activity_id": activity_id, "name": "值守", "slots": 5,
                                                 "starts_at": clock.minute(now),
                                                 "ends_at": clock.minute(now + timedelta(hours=1))}).last_pk
        db["activity_signups"].insert({"activity_id": activity_id, "shift_id": shift_id, "volunteer_id": volunteer_id,
                                       "status": "confirmed", "queued_at": clock.stamp(), "added_by": "bench"})
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.switch_page("app_pages/login.py").run()
    at.text_input[0].input("volunteer")
    at.text_input[1].input("linli-demo")
    at.button[0].click().run()
    at.query_params["t"] = attendance.token(activity_id)
    at.switch_page("app_pages/sign_in.py")
    started = time.perf_counter()
    at.run()
    cold = (time.perf_counter() - started) * 1000
    at.button(key="scan.press").click()
    started = time.perf_counter()
    at.run()
    press = (time.perf_counter() - started) * 1000
    signed = db.execute("SELECT signed_in_at IS NOT NULL FROM activity_signups WHERE shift_id = ?", [shift_id]).fetchone()[0]
    with write(db):  # leave the benchmark database as it was
        db.execute("DELETE FROM audit_log WHERE table_name IN ('activity_signups', 'activities') AND actor = 'volunteer'")
        db.execute("DELETE FROM activity_signups WHERE shift_id = ?", [shift_id])
        db.execute("DELETE FROM activity_shifts WHERE id = ?", [shift_id])
        db.execute("DELETE FROM activities WHERE id = ?", [activity_id])
    return {"page": "sign_in (scan)", "role": "volunteer", "cold_ms": round(cold), "warm_ms": round(press),
            "error": "" if signed and not at.exception else "not signed in"}


def dashboard_floor(path: Path) -> tuple[float, dict]:
    """The dashboard's SQL aggregates alone, for the whole city over this year."""
    from db import dashboard as figures
    from db.connection import connect
    from db.daycare import attendance_by_week
    from db.outlets import coverage

    db = connect(path, migrate=False)
    today = clock.today()
    scope = figures.Scope(date(today.year, 1, 1), today)

    def run():
        # As the page does: coverage once for both periods' tiles and the heatmap, the period's
        # day care once for its tiles and its chart.
        cells = coverage(db)
        care = figures.daycare(db, scope)
        figures.kpis(db, scope, cells, care)
        figures.kpis(db, scope.previous(), cells)
        figures.hours_by_month(db, scope)
        figures.by_area(db, scope, "district")
        figures.star_distribution(db, scope)
        figures.registrations_by_month(db, scope)
        figures.funnel(db, scope)
        figures.time_to_claim(db, scope)
        return attendance_by_week(db, scope.start, scope.end)

    run()  # page cache warm, like the page's own first query
    times = []
    for _ in range(3):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), figures.ledger(db, scope)


def _raw_connection(path):
    from db import postgres

    if postgres.is_url(str(path)):
        import warnings

        import psycopg

        warnings.filterwarnings("ignore", message="pandas only supports SQLAlchemy")
        return psycopg.connect(str(path))
    return sqlite3.connect(path)


def naive_pandas(path: Path) -> tuple[float, dict]:
    """What a quick script would do: load the tables into pandas and aggregate there."""
    import pandas as pd

    today = clock.today()
    started = time.perf_counter()
    conn = _raw_connection(path)
    records = pd.read_sql("SELECT * FROM service_records", conn)
    volunteers = pd.read_sql("SELECT * FROM volunteers", conn)
    communities = pd.read_sql("SELECT * FROM communities", conn)
    requests = pd.read_sql("SELECT * FROM service_requests", conn)
    period = records[(records.status == "approved") & (records.service_date >= f"{today.year}-01-01")
                     & (records.service_date <= today.isoformat())]
    result = {"hours": period.minutes.sum() / 60, "active_volunteers": period.volunteer_id.nunique()}
    outlets = pd.read_sql("SELECT * FROM outlets", conn)
    bookings = pd.read_sql("SELECT * FROM daycare_bookings", conn)
    programmes = pd.read_sql("SELECT * FROM daycare_programmes", conn)
    # The same figures the dashboard shows, the pandas way.
    period.assign(month=period.service_date.str[:7]).groupby(["month", "category"]).minutes.sum()
    by_area = period.merge(communities, left_on="community_id", right_on="id")
    by_area.groupby("district").agg(minutes=("minutes", "sum"), active=("volunteer_id", "nunique"))
    pd.cut(volunteers[volunteers.status == "active"].approved_minutes / 60, [-1, 100, 300, 600, 1000, 1500, 1e9]).value_counts()
    volunteers.assign(month=volunteers.created_at.str[:7]).groupby("month").size()
    needs = requests[(requests.kind == "need") & (requests.created_at >= f"{today.year}-01-01")]
    (pd.to_datetime(needs.claimed_at) - pd.to_datetime(needs.created_at)).groupby(needs.category).median()
    needs.status.value_counts()
    outlets[outlets.status == "open"].groupby(["community_id", "category"]).size()
    bookings.merge(programmes, left_on="programme_id", right_on="id").groupby("centre_id").attended.sum()
    # activities held, their sign-ups and turn-out; the share of hours not typed in
    activities = pd.read_sql("SELECT * FROM activities", conn)
    signups = pd.read_sql("SELECT * FROM activity_signups", conn)
    held = activities[(activities.status == "published") & (activities.starts_at >= f"{today.year}-01-01")]
    came = signups[signups.status == "confirmed"].merge(held, left_on="activity_id", right_on="id")
    (came.signed_in_at.notna().sum(), len(came), held.id.nunique())
    period[period.source != "correction"].groupby(period.source.isin(["activity_qr", "activity_manual", "daycare",
                                                                      "request"])).minutes.sum()
    conn.close()
    return (time.perf_counter() - started) * 1000, result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=str(ROOT / "data" / "bench-city.db"),
                        help="benchmark database file or postgresql:// URL (created or filled if empty)")
    parser.add_argument("--size", default="city", choices=["city", "ci"], help="synthetic size when generating")
    args = parser.parse_args(argv)
    from db import postgres

    path = args.db if postgres.is_url(args.db) else Path(args.db)
    use_store(path)  # before anything opens it
    ensure_db(path, args.size)
    floor_ms, sql_result = dashboard_floor(path)
    rows = time_pages(path)
    rows.append(time_sign_in(path))
    # The dashboard page for a leader with the year filter, cold (caches cleared).
    use_store(path)
    from streamlit.testing.v1 import AppTest
    import streamlit as st

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.switch_page("app_pages/login.py").run()
    at.text_input[0].input("leader")
    at.text_input[1].input("linli-demo")
    at.button[0].click().run()
    at.query_params["period"] = "year"
    at.switch_page("app_pages/dashboard.py")
    colds = []
    for _ in range(3):  # the median of three cold runs: one run on a busy machine is noise
        st.cache_data.clear()
        started = time.perf_counter()
        at.run()
        colds.append((time.perf_counter() - started) * 1000)
    dashboard_ms = statistics.median(colds)
    # The brief for that view (PDF and .xlsx), from the click to the download buttons.
    at.button(key="brief_make").click()
    started = time.perf_counter()
    at.run()
    brief_ms = (time.perf_counter() - started) * 1000
    assert "brief" in at.session_state and not at.exception, "the brief was not made"
    naive_ms, naive_result = naive_pandas(path)
    assert abs(naive_result["hours"] - sql_result["hours"]) < 0.01, "the baseline must compute the same figure"

    print(f"\n{'page':<22}{'role':<13}{'cold ms':>9}{'warm ms':>9}  note")
    for r in rows:
        flag = "" if r["cold_ms"] <= TARGETS["cold_ms"] and r["warm_ms"] <= TARGETS["warm_ms"] else "  SLOW"
        print(f"{r['page']:<22}{r['role']:<13}{r['cold_ms']:>9}{r['warm_ms']:>9}  {r['error']}{flag}")
    result = {
        "pages": {f"{r['page']}:{r['role']}": {"cold_ms": r["cold_ms"], "warm_ms": r["warm_ms"]} for r in rows},
        "dashboard_year_cold_ms": round(dashboard_ms),
        "sql_floor_ms": round(floor_ms),
        "brief_ms": round(brief_ms),
        "naive_pandas_ms": round(naive_ms),
        "dashboard_over_floor": round(dashboard_ms / floor_ms, 2),
        "naive_over_dashboard": round(naive_ms / dashboard_ms, 2),
        "max_cold_ms": max(r["cold_ms"] for r in rows),
        "max_warm_ms": max(r["warm_ms"] for r in rows),
        "errors": [f"{r['page']}:{r['role']}" for r in rows if r["error"]],
    }
    print(f"\ndashboard (leader, this year, cold): {dashboard_ms:.0f} ms; SQL floor {floor_ms:.0f} ms;"
          f" naive pandas {naive_ms:.0f} ms; brief (PDF and .xlsx) {brief_ms:.0f} ms")
    print(json.dumps(result, ensure_ascii=False))
    return 0 if not result["errors"] else 1


if __name__ == "__main__":
    sys.exit(main())
