"""Demo day care: a centre in each of six communities (秋浦社区 among them), a realistic week of
programmes, thirty members each, and three months of bookings and attendance."""

import random
from datetime import timedelta

from sqlite_utils import Database

from db import audit
from db.calendar import overrides
from db.store import write
from db.daycare import add_centre
from db.daycare_schedule import sessions
from db.models import SYSTEM
from db import clock

CENTRES = ["秋浦社区", "清溪社区", "杏花村社区", "尧渡社区", "蓉城社区", "仁里社区"]
WEEK = [  # title, kind, room, capacity, byday, opens, closes, lead
    ("爱心午餐", "meal", "餐厅", 40, "MO,TU,WE,TH,FR", "11:30", "12:30", "食堂 周师傅"),
    ("太极拳", "exercise", "活动室", 20, "MO,WE,FR", "09:00", "10:00", "志愿者 何老师"),
    ("健康检查", "health_check", "医务室", 15, "TU", "09:00", "11:00", "社区医生 汪医生"),
    ("书法班", "culture", "活动室", 15, "TH", "14:30", "16:00", "志愿者 方老师"),
    ("陪同就医", "medical_escort", "前台", 5, "WE", "08:30", "11:30", "社工 吴敏"),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["秀英", "桂英", "玉兰", "德明", "国华", "淑珍", "建国", "凤英", "春生", "金花"]


def seed_daycare(db: Database, seed: int = 2026) -> None:
    rng = random.Random(seed + 13)
    today = clock.today()
    start = today - timedelta(days=90)
    added = overrides(db)
    for name in CENTRES:
        c = next(db.query("SELECT id, name, lat, lon FROM communities WHERE name = ?", [name]))
        centre_id = add_centre(db, SYSTEM, {"name": f"{name}老年人日间照料中心", "community_id": c["id"],
                                            "address": f"{name}综合服务中心一楼", "lat": c["lat"] + 0.001,
                                            "lon": c["lon"] + 0.001, "phones": f"0566-{rng.randint(2000000, 8999999)}",
                                            "opening_hours": "Mo-Fr 08:00-17:00; PH off"}, capacity=60)
        rows = []
        for title, kind, room, capacity, byday, opens, closes, lead in WEEK:
            rows.append({"centre_id": centre_id, "title": title, "kind": kind, "room": room, "capacity": capacity,
                         "lead": lead, "notes": "", "byday": byday, "opens_at": opens, "closes_at": closes,
                         "valid_from": start.isoformat(), "valid_to": None, "created_by": "system"})
        members = [{"centre_id": centre_id, "name": rng.choice(SURNAMES) + rng.choice(GIVEN),
                    "birth_year": rng.randint(1930, 1955), "community_id": c["id"],
                    "emergency_contact": rng.choice(SURNAMES) + "女士", "emergency_phone": f"138{rng.randint(0, 99999999):08d}",
                    "diet": rng.choice(["", "", "低盐", "糖尿病餐", "软食"]), "mobility": rng.choice(["", "", "拄拐", "轮椅"]),
                    "created_at": clock.stamp()} for _ in range(30)]
        with write(db):
            db["daycare_programmes"].insert_all(rows)
            db["daycare_members"].insert_all(members)
            member_ids = [r["id"] for r in db.query("SELECT id FROM daycare_members WHERE centre_id = ? ORDER BY id", [centre_id])]
            bookings = []
            for p in db.query("SELECT * FROM daycare_programmes WHERE centre_id = ? ORDER BY room, id", [centre_id]):
                for s in sessions(p, start, today + timedelta(days=7), added):
                    if not s["held"]:
                        continue
                    chosen = rng.sample(member_ids, min(len(member_ids), int(p["capacity"] * rng.uniform(0.5, 0.95))))
                    for m in chosen:
                        past = s["date"] < today
                        bookings.append({"programme_id": p["id"], "session_date": s["date"].isoformat(), "member_id": m,
                                         "status": "booked", "attended": (1 if rng.random() < 0.88 else 0) if past else None,
                                         "created_at": clock.stamp()})
            db["daycare_bookings"].insert_all(bookings, batch_size=1000)
            audit.record(db, SYSTEM, "seed_demo", "daycare_bookings", centre_id, after={"bookings": len(bookings)})
