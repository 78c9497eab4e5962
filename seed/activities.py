"""Demo activities: in the demo volunteer's community and a few others, the coming weeks' activities
(a weekly 敬老院探访 series, a waste-sorting watch, a free haircut morning) with some places taken,
and the last two months' held activities with QR attendance credited to the ledger."""

import random
from datetime import datetime, time, timedelta

from sqlite_utils import Database

from db import audit, clock
from db.activities import publish, sign_up
from db.attendance import credited_span
from db.bulk import refresh_volunteer_totals
from db.errors import Conflict
from db.models import SYSTEM
from db.store import write

PLANS = [  # title, category, place, start, end, shifts (name, start, end, places), weeks
    ("敬老院探访", "elderly", "社区敬老院", time(9, 0), time(11, 30),
     [("陪伴聊天", time(9, 0), time(11, 0), 6), ("打扫卫生", time(9, 30), time(11, 30), 4)], 4),
    ("垃圾分类督导", "safety", "小区东门分类亭", time(7, 0), time(9, 0), [("督导员", time(7, 0), time(9, 0), 3)], 1),
    ("义务理发", "elderly", "社区服务中心一楼", time(14, 0), time(16, 0), [("理发师", time(14, 0), time(16, 0), 2)], 1),
]


def seed_activities(db: Database, seed: int = 2026, communities: int = 6) -> None:
    rng = random.Random(seed + 21)
    now = clock.now()
    picked = [r["id"] for r in db.query("SELECT id FROM communities ORDER BY id LIMIT ?", [communities])]
    for community_id in picked:
        people = [r["id"] for r in db.query("SELECT id FROM volunteers WHERE community_id = ? AND status = 'active'"
                                            " AND user_id IS NULL ORDER BY id", [community_id])]
        for n, (title, category, place, starts, ends, shifts, weeks) in enumerate(PLANS):
            day = now.date() + timedelta(days=2 + n * 3)
            ids = publish(db, SYSTEM, {
                "community_id": community_id, "title": title, "category": category, "place": place, "day": day,
                "starts": starts, "ends": ends, "repeat_weeks": weeks, "notes": "请提前十分钟到达，扫码签到。",
                "shifts": [{"name": s, "starts": a, "ends": b, "slots": k} for s, a, b, k in shifts]})
            for shift in db.query("SELECT id, slots FROM activity_shifts WHERE activity_id = ? ORDER BY id", [ids[0]]):
                for volunteer_id in rng.sample(people, min(len(people), rng.randint(0, shift["slots"] + 1))):
                    try:
                        sign_up(db, SYSTEM, shift["id"], volunteer_id)
                    except Conflict:
                        pass  # a clash with another shift of theirs: they simply did not sign up
        _held(db, rng, community_id, people, now)
    refresh_volunteer_totals(db)


def _held(db: Database, rng: random.Random, community_id: int, people: list[int], now: datetime) -> None:
    """Past Saturdays' visits: signed in and out by QR (a few by hand), credited and approved."""
    with write(db):
        for weeks_back in range(1, 9):
            day = (now - timedelta(weeks=weeks_back)).date()
            starts, ends = datetime.combine(day, time(9, 0)), datetime.combine(day, time(11, 0))
            stamp = clock.stamp(starts - timedelta(days=5))
            activity_id = db["activities"].insert({
                "community_id": community_id, "title": "敬老院探访", "category": "elderly", "place": "社区敬老院",
                "starts_at": clock.minute(starts), "ends_at": clock.minute(ends), "status": "published",
                "created_by": "coordinator", "created_at": stamp, "approved_by": "coordinator",
                "approved_at": clock.stamp(ends + timedelta(hours=2))}).last_pk
            shift_id = db["activity_shifts"].insert({"activity_id": activity_id, "name": "陪伴聊天", "slots": 6,
                                                     "starts_at": clock.minute(starts), "ends_at": clock.minute(ends)}).last_pk
            for volunteer_id in rng.sample(people, min(len(people), rng.randint(3, 6))):
                came = starts + timedelta(minutes=rng.randint(-15, 10))
                left = ends + timedelta(minutes=rng.randint(-20, 15))
                how = "manual" if rng.random() < 0.15 else "qr"
                first, last = credited_span(clock.stamp(came), clock.stamp(left), clock.minute(starts), clock.minute(ends))
                minutes = int((last - first).total_seconds()) // 60
                record_id = db["service_records"].insert({
                    "volunteer_id": volunteer_id, "community_id": community_id, "activity": "敬老院探访",
                    "service_date": day.isoformat(), "start_time": f"{first:%H:%M}", "end_time": f"{last:%H:%M}",
                    "minutes": minutes, "place": "社区敬老院", "content": "陪伴聊天", "category": "elderly",
                    "status": "approved", "source": "activity_qr" if how == "qr" else "activity_manual",
                    "recorded_by": "coordinator", "recorded_at": clock.stamp(ends + timedelta(hours=2)),
                    "approved_by": "coordinator", "approved_at": clock.stamp(ends + timedelta(hours=2))}).last_pk
                db["activity_signups"].insert({
                    "activity_id": activity_id, "shift_id": shift_id, "volunteer_id": volunteer_id, "status": "confirmed",
                    "queued_at": stamp, "added_by": "coordinator", "signed_in_at": clock.stamp(came), "in_source": how,
                    "in_by": "coordinator" if how == "manual" else f"v{volunteer_id}", "signed_out_at": clock.stamp(left),
                    "out_source": how, "out_by": "coordinator" if how == "manual" else f"v{volunteer_id}",
                    "record_id": record_id})
        audit.record(db, SYSTEM, "seed_demo", "activities", None, after={"community": community_id})
