"""Demo exchange: a few hundred needs in every state over the last six months, offers, and
time-bank redemptions for the demo volunteer."""

import random
from datetime import timedelta

from sqlite_utils import Database

from db import audit
from db.bulk import refresh_volunteer_totals
from db.store import write
from db.models import SYSTEM
from db import clock

NEEDS = {
    "medicine": ["帮忙到医院配降压药", "代取慢病处方药"], "repair": ["厨房水龙头漏水", "灯不亮了需要换灯泡", "门锁坏了"],
    "errands": ["代买米和油", "帮忙买菜"], "housekeeping": ["大扫除帮忙", "擦窗户"], "elderly": ["陪老人聊天散步", "陪同去银行"],
    "nursing": ["术后换药协助"], "study": ["孩子数学作业辅导"], "legal": ["咨询赡养纠纷"], "counselling": ["独居老人心理疏导"],
}
OFFERS = [("周六上午义务理发", "elderly"), ("家电免费检修", "repair"), ("周末陪读英语", "study"), ("代配药品跑腿", "medicine")]
NAMES = ["王奶奶", "李大爷", "张阿姨", "刘伯伯", "陈奶奶", "赵大爷", "孙阿姨"]
STATES = ["pending"] * 4 + ["open"] * 6 + ["claimed"] * 4 + ["done"] * 3 + ["confirmed"] * 14 + ["cancelled"] * 2 \
    + ["rejected"] * 1 + ["expired"] * 2


def seed_exchange(db: Database, seed: int = 2026, needs: int = 300) -> None:
    rng = random.Random(seed + 9)
    now = clock.now().replace(microsecond=0)
    volunteers = {}
    for v in db.query("SELECT v.id, v.community_id, s.category FROM volunteers v JOIN volunteer_skills s"
                      " ON s.volunteer_id = v.id WHERE v.status = 'active' ORDER BY v.community_id, v.status, v.id, s.category"):
        volunteers.setdefault((v["community_id"], v["category"]), []).append(v["id"])
    keys = [k for k in volunteers if k[1] in NEEDS]
    rows = []
    for _ in range(needs):
        community_id, category = rng.choice(keys)
        state = rng.choice(STATES)
        created = now - timedelta(days=rng.randint(0 if state in ("pending", "open") else 2, 180),
                                  hours=rng.randint(0, 12))
        expires = created + timedelta(days=7)
        if state in ("pending", "open") and expires <= now:
            expires = now + timedelta(days=rng.randint(1, 6))
        if state == "expired":
            created, expires, state = now - timedelta(days=12), now - timedelta(days=5), "open"
        row = {"kind": "need", "title": rng.choice(NEEDS[category]), "category": category,
               "description": "", "community_id": community_id, "requester_name": rng.choice(NAMES),
               "requester_phone": f"139{rng.randint(0, 99999999):08d}", "address": f"{rng.randint(1, 30)}栋{rng.randint(1, 6)}单元",
               "urgency": rng.choice([1, 1, 1, 2, 2, 3]), "est_minutes": rng.choice([30, 60, 90, 120]),
               "expires_at": expires.isoformat(timespec="minutes"), "status": state,
               "created_by": "coordinator", "created_at": clock.stamp(created)}
        if state in ("claimed", "done", "confirmed"):
            claimed = created + timedelta(hours=rng.uniform(0.5, 48))
            row.update(claimed_by=rng.choice(volunteers[(community_id, category)]),
                       claimed_at=clock.stamp(claimed))
            if state in ("done", "confirmed"):
                done = claimed + timedelta(hours=rng.uniform(2, 48))
                row.update(done_at=clock.stamp(done), actual_minutes=rng.choice([30, 60, 90, 120]))
            if state == "confirmed":
                confirmed = done + timedelta(hours=rng.uniform(1, 24))
                row.update(confirmed_by="coordinator", confirmed_at=clock.stamp(confirmed))
        if state in ("cancelled", "rejected"):
            row["reason"] = "居民已自行解决" if state == "cancelled" else "不属于服务范围"
        rows.append(row)
    with write(db):
        for row in rows:
            request_id = db["service_requests"].insert(row).last_pk
            if row["status"] == "confirmed" and row["done_at"][:10] < now.date().isoformat():
                record_id = db["service_records"].insert({
                    "volunteer_id": row["claimed_by"], "community_id": row["community_id"], "activity": row["title"],
                    "service_date": row["done_at"][:10], "minutes": row["actual_minutes"], "category": row["category"],
                    "beneficiary": row["requester_name"], "content": f"服务需求 #{request_id}", "status": "approved",
                    "source": "request", "recorded_by": "coordinator", "recorded_at": row["confirmed_at"],
                    "approved_by": "coordinator", "approved_at": row["confirmed_at"]}).last_pk
                db.execute("UPDATE service_requests SET record_id = ? WHERE id = ?", [record_id, request_id])
        for title, category in OFFERS:
            offerer = rng.choice([v for (c, cat), vs in volunteers.items() if cat == category for v in vs] or [1])
            community = next(db.query("SELECT community_id FROM volunteers WHERE id = ?", [offerer]))["community_id"]
            db["service_requests"].insert({"kind": "offer", "title": title, "category": category, "community_id": community,
                                           "expires_at": (now + timedelta(days=60)).isoformat(timespec="minutes"),
                                           "status": "open", "created_by": "system", "created_at": clock.stamp(now),
                                           "offered_by": offerer})
        refresh_volunteer_totals(db)
        audit.record(db, SYSTEM, "seed_demo", "service_requests", None, after={"needs": len(rows)})
