"""The synthetic city for benchmarks: python -m seed --synthetic [--size city|ci|N…].
Deterministic from the seed number; bulk inserts with indexes rebuilt after loading."""

import random
import time
from datetime import date, datetime, timedelta

from sqlite_utils import Database

from db import keys
from db.bulk import analyze, indexes_deferred, insert_rows, refresh_volunteer_totals
from db.store import write
from db.identity import make_id, mask_id
from db.models import SYSTEM, UserIn
from db.taxonomy import service_category_rows
from db.versions import deferred as versions_deferred
from db.users import insert_user
from seed import chizhou
from seed.volunteers import ACTIVITIES, GIVEN, REGIONS, SURNAMES
from db import clock

SIZES = {
    "city": {"volunteers": 100_000, "records": 2_000_000, "needs": 20_000, "outlets": 5_000,
             "centres": 20, "members": 5_000, "activities": 50_000,
             "responses": 150},  # survey responses per community and year
    "ci": {"volunteers": 5_000, "records": 60_000, "needs": 1_000, "outlets": 500, "centres": 4, "members": 300,
           "activities": 2_000, "responses": 20},
}
SYNTHETIC_PASSWORD = "linli-demo"


def seed_synthetic(db: Database, size: dict, seed: int = 7, log=print) -> dict:
    with versions_deferred(db):  # millions of rows: the data versions move once, at the end
        return _seed_synthetic(db, size, seed, log)


def _seed_synthetic(db: Database, size: dict, seed: int, log) -> dict:
    rng = random.Random(seed)
    started = time.perf_counter()
    with write(db):
        db["communities"].insert_all(chizhou.communities(seed))
        for account in ({"username": "admin", "display_name": "管理员", "role": "admin", "community": None},
                        {"username": "leader", "display_name": "领导", "role": "leader", "community": None},
                        {"username": "coordinator", "display_name": "协调员", "role": "coordinator",
                         "community": "秋浦社区"}):
            insert_user(db, SYSTEM, UserIn(**account, password=SYNTHETIC_PASSWORD))
    communities = list(db.query("SELECT id, district FROM communities ORDER BY id"))
    categories = [c["code"] for c in service_category_rows()]
    today = clock.today()
    with write(db), indexes_deferred(db, "volunteers", "volunteer_skills", "service_records", "outlets",
                                     "service_requests", "activities", "activity_shifts", "activity_signups"):
        n = insert_rows(db, "volunteers", [
            "id", "number", "real_name", "gender", "birth_year", "id_cipher", "id_hash", "id_masked", "phone",
            "community_id", "availability", "party_member", "notes", "status", "source", "consent_at",
            "created_at", "approved_at", "approved_by"], _volunteers(rng, size["volunteers"], communities, today))
        log(f"volunteers: {n:,} ({time.perf_counter() - started:.1f}s)")
        insert_rows(db, "volunteer_skills", ["volunteer_id", "category"],
                    ((v, c) for v in range(1, n + 1) for c in rng.sample(categories, rng.randint(1, 3))))
        community_of = {i + 1: communities[(i * 7) % len(communities)]["id"] for i in range(n)}
        r = insert_rows(db, "service_records", [
            "volunteer_id", "community_id", "activity", "service_date", "start_time", "end_time", "minutes",
            "category", "status", "source", "recorded_by", "recorded_at", "approved_by", "approved_at"],
            _records(rng, size["records"], n, community_of, categories, today))
        log(f"service records: {r:,} ({time.perf_counter() - started:.1f}s)")
        o = insert_rows(db, "outlets", ["name", "category", "services", "community_id", "address", "lat", "lon",
                                         "phones", "opening_hours", "status", "last_verified", "source", "initials",
                                         "updated_at"], _outlets(rng, size["outlets"], communities_full(db), today))
        log(f"outlets: {o:,} ({time.perf_counter() - started:.1f}s)")
        nd = insert_rows(db, "service_requests", [
            "kind", "title", "category", "community_id", "requester_name", "urgency", "est_minutes", "expires_at",
            "status", "created_by", "created_at", "claimed_by", "claimed_at", "done_at", "actual_minutes",
            "confirmed_by", "confirmed_at"], _needs(rng, size["needs"], n, community_of, categories, today))
        log(f"needs: {nd:,} ({time.perf_counter() - started:.1f}s)")
        a = _activities(db, rng, size.get("activities", 0), r + 1, community_of, categories, today)
        log(f"activities: {a:,} ({time.perf_counter() - started:.1f}s)")
        v = _voice(db, rng, size.get("responses", 0), communities, today)
        log(f"ratings, survey answers, corrections: {v} ({time.perf_counter() - started:.1f}s)")
    with write(db):
        refresh_volunteer_totals(db)
    _daycare(db, rng, size["centres"], size["members"], today)
    log(f"day care: {size['centres']} centres, {size['members']:,} members ({time.perf_counter() - started:.1f}s)")
    analyze(db)
    log(f"indexes and totals: done ({time.perf_counter() - started:.1f}s)")
    return {"volunteers": n, "records": r, "outlets": o, "needs": nd, "centres": size["centres"], "activities": a,
            "seconds": round(time.perf_counter() - started, 1)}


def _needs(rng, count, volunteers, community_of, categories, today):
    from datetime import datetime

    now = datetime.combine(today, datetime.min.time())
    for i in range(count):
        created = now - timedelta(days=rng.randint(0, 3 * 365), hours=rng.randint(0, 23))
        v = rng.randint(1, volunteers)
        roll = rng.random()
        status = ("confirmed" if roll < 0.6 else "done" if roll < 0.65 else "claimed" if roll < 0.72
                  else "cancelled" if roll < 0.8 else "open")
        claimed = created + timedelta(hours=rng.uniform(0.5, 72)) if status in ("confirmed", "done", "claimed") else None
        done = claimed + timedelta(hours=rng.uniform(1, 48)) if status in ("confirmed", "done") else None
        confirmed = done + timedelta(hours=rng.uniform(1, 24)) if status == "confirmed" else None
        iso = lambda d: clock.stamp(d) if d else None  # noqa: E731
        yield ("need", "代配药品", categories[i % len(categories)], community_of[v], "居民", 1 + i % 3, 60,
               iso(created + timedelta(days=7))[:16], status, "synthetic", iso(created), v if claimed else None,
               iso(claimed), iso(done), 60 if done else None, "synthetic" if confirmed else None, iso(confirmed))


def _voice(db: Database, rng, per_community: int, communities: list[dict], today) -> dict:
    """Residents' ratings of 70 % of the confirmed needs; a satisfaction survey a year for three
    years answered by `per_community` households in every community; reports on 5 % of outlets."""
    import json

    from db.keys import lookup_hash

    rows = [(r, c, v, rng.choices((5, 4, 3, 2, 1), (45, 35, 12, 5, 3))[0], at)
            for r, c, v, at in db.execute("SELECT id, community_id, claimed_by, confirmed_at FROM service_requests"
                                          " WHERE kind = 'need' AND status = 'confirmed'") if rng.random() < 0.7]
    ratings = insert_rows(db, "need_ratings", ["request_id", "community_id", "volunteer_id", "stars", "rated_at",
                                               "rated_by"], ((*r, "synthetic") for r in rows))
    responses = 0
    for year in range(3):
        opens = today.replace(month=1, day=1) - timedelta(days=365 * year) + timedelta(days=rng.randint(60, 200))
        closes = opens + timedelta(days=30)
        survey = db["surveys"].insert({"title": f"满意度调查 {opens.year}", "opens_on": opens.isoformat(),
                                       "closes_on": closes.isoformat(), "status": "active", "created_by": "synthetic",
                                       "created_at": clock.stamp()}).last_pk
        questions = [db["survey_questions"].insert({"survey_id": survey, "position": n, "kind": kind, "text": text,
                                                    "choices": json.dumps(choices, ensure_ascii=False)}).last_pk
                     for n, (kind, text, choices) in enumerate((("scale", "总体满意度", []), ("scale", "网点满意度", []),
                                                                ("choice", "最想增加", ["助餐", "维修"])), 1)]
        codes, answers, first = [], [], (db.execute("SELECT COALESCE(MAX(id), 0) FROM survey_responses").fetchone()[0] + 1)
        for c in communities:
            mood = rng.uniform(3.0, 4.7)
            for _ in range(per_community):
                code = f"S{survey}{len(codes):09d}"
                at = clock.stamp(datetime.combine(opens, datetime.min.time()) + timedelta(hours=rng.randint(0, 24 * 30)))
                codes.append((code, survey, c["id"], "synthetic", at, at))
                rid = first + len(codes) - 1
                answers += [(rid, questions[0], max(1, min(5, round(rng.gauss(mood, 0.8))))),
                            (rid, questions[1], max(1, min(5, round(rng.gauss(mood, 0.9))))), (rid, questions[2], rng.randrange(2))]
        insert_rows(db, "survey_codes", ["code", "survey_id", "community_id", "issued_by", "issued_at", "used_at"], codes)
        responses += insert_rows(db, "survey_responses", ["id", "survey_id", "community_id", "code", "phone_hash", "answered_at"],
                                 ((first + n, survey, cid, code, lookup_hash(code), at)
                                  for n, (code, _, cid, _, at, _) in enumerate(codes)))
        insert_rows(db, "survey_answers", ["response_id", "question_id", "value"], answers)
    outlets = [r for r in db.execute("SELECT id, community_id FROM outlets ORDER BY id") if rng.random() < 0.05]
    reports = insert_rows(db, "outlet_corrections", ["outlet_id", "community_id", "kind", "status", "reported_by", "reported_at"],
                          ((o, c, rng.choice(("closed", "moved", "phone", "hours")), "pending" if rng.random() < 0.2 else "rejected",
                            "public", clock.stamp()) for o, c in outlets))
    return {"ratings": ratings, "responses": responses, "corrections": reports}


def _daycare(db: Database, rng, centres: int, members: int, today) -> None:
    """Centres with the demo's weekly programmes, members and three months of attendance."""
    from db.calendar import overrides
    from db.daycare import add_centre
    from db.daycare_schedule import sessions
    from seed.daycare import WEEK

    communities = communities_full(db)[:centres]
    added = overrides(db)
    start = today - timedelta(days=90)
    for k, c in enumerate(communities):
        centre_id = add_centre(db, SYSTEM, {"name": f"{c['name']}照料中心", "community_id": c["id"],
                                            "address": f"{c['name']}服务中心", "lat": c["lat"], "lon": c["lon"],
                                            "phones": f"0566-{3000000 + k}", "opening_hours": "Mo-Fr 08:00-17:00; PH off"},
                               capacity=300)
        with write(db):
            insert_rows(db, "daycare_programmes", ["centre_id", "title", "kind", "room", "capacity", "lead", "notes",
                                                   "byday", "opens_at", "closes_at", "valid_from", "created_by"],
                        ((centre_id, title, kind, room, capacity * 2, lead, "", byday, opens, closes, start.isoformat(),
                          "synthetic") for title, kind, room, capacity, byday, opens, closes, lead in WEEK))
            per = members // max(1, centres)
            insert_rows(db, "daycare_members", ["centre_id", "name", "birth_year", "community_id", "emergency_contact",
                                                "emergency_phone", "created_at"],
                        ((centre_id, f"会员{j}", 1930 + j % 25, c["id"], "家属", f"138{j:08d}", today.isoformat())
                         for j in range(per)))
            ids = [r["id"] for r in db.query("SELECT id FROM daycare_members WHERE centre_id = ? ORDER BY id", [centre_id])]
            rows = []
            for p in db.query("SELECT * FROM daycare_programmes WHERE centre_id = ? ORDER BY room, id", [centre_id]):
                for s in sessions(p, start, today, added):
                    if s["held"]:
                        for m in rng.sample(ids, min(len(ids), int(p["capacity"] * 0.7))):
                            rows.append((p["id"], s["date"].isoformat(), m, "booked", 1 if rng.random() < 0.9 else 0,
                                         today.isoformat()))
            insert_rows(db, "daycare_bookings", ["programme_id", "session_date", "member_id", "status", "attended",
                                                 "created_at"], rows)


def communities_full(db: Database) -> list[dict]:
    return list(db.query("SELECT id, name, lat, lon FROM communities ORDER BY id"))


def _outlets(rng, count, communities, today):
    from seed.outlets import HOURS, NAMES

    categories = list(HOURS)
    now = today.isoformat() + "T08:00:00+08:00"
    for i in range(count):
        c = communities[i % len(communities)]
        category = categories[rng.randrange(len(categories))]
        name = c["name"][:2] + rng.choice(NAMES[category]) + f"{i}"
        yield (name, category, "", c["id"], f"{c['name']}{i}号", round(c["lat"] + rng.uniform(-0.01, 0.01), 6),
               round(c["lon"] + rng.uniform(-0.01, 0.01), 6), f"0566-{2000000 + i}", rng.choice(HOURS[category]),
               "open" if i % 40 else "temporarily_closed", today.isoformat(), "synthetic", "", now)


def _volunteers(rng, count, communities, today):
    # One real encryption, reused: the benchmark measures queries, not Fernet (the cipher text
    # still differs from the plain number, so nothing plain lands in the file).
    now = today.isoformat() + "T08:00:00+08:00"
    for i in range(1, count + 1):
        community = communities[(i * 7) % len(communities)]
        gender = "M" if i % 2 else "F"
        born = date(1950 + i % 56, 1 + i % 12, 1 + i % 28)
        id_number = make_id(REGIONS[community["district"]], born, i % 100, gender)
        status = "pending" if i % 50 == 0 else ("inactive" if i % 37 == 0 else "active")
        yield (i, None if status == "pending" else f"CZ{i:07d}", rng.choice(SURNAMES) + rng.choice(GIVEN), gender,
               born.year, keys.encrypt(id_number) if i <= 200 else "synthetic",
               keys.lookup_hash(f"{id_number}|{i}"), mask_id(id_number), f"1{3 + i % 7}{i:09d}",
               community["id"], '{"days": [6, 7], "parts": ["morning"]}', int(i % 3 == 0), "", status, "signup",
               now, (today - timedelta(days=i % 1095)).isoformat() + "T09:00:00+08:00",
               None if status == "pending" else now, None if status == "pending" else "system")


def _records(rng, count, volunteers, community_of, categories, today):
    now = today.isoformat() + "T08:00:00+08:00"
    days = 3 * 365
    for _ in range(count):
        v = int(rng.paretovariate(1.2)) % volunteers + 1 if rng.random() < 0.5 else rng.randint(1, volunteers)
        day = (today - timedelta(days=rng.randint(1, days))).isoformat()
        category = categories[rng.randrange(len(categories))]
        start = rng.choice((8, 9, 10, 14, 15, 19))
        hours = rng.choice((1, 1, 2, 2, 3))
        status = "approved" if rng.random() < 0.93 else ("pending" if rng.random() < 0.7 else "rejected")
        yield (v, community_of[v], ACTIVITIES[category][0], day, f"{start:02d}:00", f"{start + hours:02d}:00",
               hours * 60, category, status, "manual", "system", now,
               None if status == "pending" else "system", None if status == "pending" else now)


def _activities(db: Database, rng, count, first_record_id, community_of, categories, today) -> int:
    """Activities over three years and the next month, one or two shifts each, signed up by
    volunteers of the community; those held with 签到/签退 (a few no-shows, a few by hand), and
    those held more than a week ago credited to the ledger (their records follow the typed ones)."""
    by_community: dict[int, list[int]] = {}
    for v, c in community_of.items():
        by_community.setdefault(c, []).append(v)
    places = list(by_community)
    now = today.isoformat() + "T08:00:00+08:00"
    activities, shifts, signups, records = [], [], [], []
    for i in range(1, count + 1):
        community = places[rng.randrange(len(places))]
        category = categories[rng.randrange(len(categories))]
        day = today - timedelta(days=rng.randint(-30, 3 * 365))
        start = rng.choice((8, 9, 14, 15))
        title = ACTIVITIES[category][0]
        activities.append((i, community, title, category, "社区活动室", f"{day}T{start:02d}:00",
                           f"{day}T{start + 3:02d}:00", "published", "system", now))
        for part in range(rng.choice((1, 1, 2))):
            shift_id = len(shifts) + 1
            begins, ends = f"{day}T{start + part:02d}:00", f"{day}T{start + part + 2:02d}:00"
            slots = rng.choice((4, 6, 8, 10))
            shifts.append((shift_id, i, "志愿者", begins, ends, slots))
            for v in rng.sample(by_community[community], min(slots, len(by_community[community]))):
                came = day < today and rng.random() < 0.9
                how = "manual" if rng.random() < 0.1 else "qr"
                record_id = None
                if came and (today - day).days > 7:
                    record_id = first_record_id + len(records)
                    records.append((record_id, v, community, title, day.isoformat(), begins[11:], ends[11:], 120,
                                    category, "approved", "activity_" + how, "system", now, "system", now))
                signups.append((i, shift_id, v, "confirmed", now, "system",
                                f"{begins}:00+08:00" if came else None, how if came else None,
                                f"{ends}:00+08:00" if came else None, how if came else None, record_id))
    insert_rows(db, "activities", ["id", "community_id", "title", "category", "place", "starts_at", "ends_at", "status",
                                   "created_by", "created_at"], activities)
    insert_rows(db, "activity_shifts", ["id", "activity_id", "name", "starts_at", "ends_at", "slots"], shifts)
    insert_rows(db, "service_records", ["id", "volunteer_id", "community_id", "activity", "service_date", "start_time",
                                        "end_time", "minutes", "category", "status", "source", "recorded_by",
                                        "recorded_at", "approved_by", "approved_at"], records)
    insert_rows(db, "activity_signups", ["activity_id", "shift_id", "volunteer_id", "status", "queued_at", "added_by",
                                         "signed_in_at", "in_source", "signed_out_at", "out_source", "record_id"], signups)
    return len(activities)
