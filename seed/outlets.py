"""Demo outlets: about 400 across the communities with realistic hours, every community's
residents' committee, and deliberate gaps (rural communities lack most basic outlets)."""

import random
from datetime import timedelta

from sqlite_utils import Database

from db import audit
from db.store import write
from db.models import SYSTEM
from db.outlets import initials
from db import clock

HOURS = {
    "convenience_store": ["07:00-23:00", "24/7"],
    "supermarket": ["Mo-Su 08:00-21:30"],
    "wet_market": ["Mo-Su 05:30-12:00,15:00-18:30"],
    "breakfast": ["Mo-Su 06:00-10:00"],
    "canteen": ["Mo-Sa 11:00-13:00,17:00-19:00; PH off"],
    "laundry": ["Mo-Su 09:00-20:00"],
    "barber": ["Tu-Su 09:00-20:00"],
    "housekeeping": ["Mo-Sa 08:30-17:30; PH off"],
    "repair": ["Mo-Sa 08:00-18:00"],
    "pharmacy": ["Mo-Su 08:00-22:00", "Mo-Fr 08:30-12:00,14:00-18:00; Sa 09:00-12:00; PH off"],
    "post_express": ["Mo-Fr 08:30-17:30; Sa 09:00-12:00; PH off"],
    "bank": ["Mo-Fr 09:00-17:00; Sa-Su 09:30-16:00; PH off"],
    "clinic": ["Mo-Fr 08:00-12:00,14:00-17:30; Sa 08:00-12:00; PH off"],
    "committee": ["Mo-Fr 08:30-12:00,14:30-17:30; PH off"],
    "police": ["24/7"],
    "property": ["Mo-Su 08:00-18:00"],
    "daycare": ["Mo-Fr 08:00-17:00; PH off"],
}
NAMES = {
    "convenience_store": ["快乐购便利店", "邻家便利", "好又多便利店"], "supermarket": ["华联超市", "苏果超市", "家家乐超市"],
    "wet_market": ["农贸市场"], "breakfast": ["早点铺", "包子铺", "豆浆油条店"], "canteen": ["社区长者食堂"],
    "laundry": ["洁净洗衣", "干洗店"], "barber": ["美发屋", "理发店"], "housekeeping": ["家政服务站"],
    "repair": ["家电维修", "修鞋配钥匙"], "pharmacy": ["大药房", "益民药店", "百姓药房"],
    "post_express": ["邮政所", "快递驿站"], "bank": ["农商银行", "邮储银行"], "clinic": ["社区卫生服务站"],
    "committee": ["居民委员会"], "police": ["社区警务室"], "property": ["物业服务中心"], "daycare": ["日间照料中心"],
}
SERVICES = {"pharmacy": "处方药、非处方药、医保刷卡", "clinic": "常见病诊疗、慢病随访、预防接种",
            "repair": "家电、水电、门锁维修", "housekeeping": "保洁、月嫂、钟点工", "post_express": "寄件、取件、缴费",
            "committee": "开具证明、政策咨询、矛盾调解", "police": "户籍咨询、治安求助", "canteen": "老年助餐、送餐上门"}
BASIC = ["convenience_store", "supermarket", "wet_market", "breakfast", "canteen", "laundry", "barber",
         "housekeeping", "repair", "pharmacy", "post_express", "bank", "clinic"]

# Fixed entries in 秋浦社区 for the demo and the browser tests.
QIUPU = [
    ("秋浦大药房", "pharmacy", "Mo-Su 08:00-22:00", "0566-2021234"),
    ("益民药店", "pharmacy", "Mo-Fr 08:30-12:00,14:00-18:00; Sa 09:00-12:00; PH off", "0566-2025678"),
    ("仁和24小时药房", "pharmacy", "24/7", "13805661111"),
]


def seed_outlets(db: Database, seed: int = 2026) -> None:
    rng = random.Random(seed + 5)
    communities = list(db.query("SELECT id, name, kind, lat, lon FROM communities ORDER BY id"))
    rows = []

    def add(name, category, community, hours, phone, near=0.004):
        rows.append({
            "name": name, "category": category, "services": SERVICES.get(category, ""),
            "community_id": community["id"], "address": f"{community['name']}{rng.randint(1, 199)}号",
            "lat": round(community["lat"] + rng.uniform(-near, near), 6),
            "lon": round(community["lon"] + rng.uniform(-near, near), 6),
            "phones": phone, "opening_hours": hours, "status": "open", "accessibility": "",
            "last_verified": (clock.today() - timedelta(days=rng.randint(0, 400))).isoformat(),
            "source": "demo", "initials": initials(name), "updated_at": clock.stamp()})

    for c in communities:
        stem = c["name"].removesuffix("社区").removesuffix("村")
        add(f"{stem}{'社区' if c['kind'] == 'urban' else '村'}居民委员会", "committee", c, HOURS["committee"][0],
            f"0566-{rng.randint(2000000, 8999999)}")
        if c["kind"] == "urban":
            if rng.random() < 0.5:
                add(f"{stem}社区警务室", "police", c, "24/7", f"0566-{rng.randint(2000000, 8999999)}")
            if rng.random() < 0.35:
                add(f"{stem}物业服务中心", "property", c, HOURS["property"][0], f"0566-{rng.randint(2000000, 8999999)}")
            # A gap on purpose: about one urban community in six has no pharmacy of its own.
            picks = rng.sample([b for b in BASIC if b != "pharmacy"], 4) + (["pharmacy"] if rng.random() > 0.17 else [])
        else:
            picks = [rng.choice(["convenience_store", "wet_market", "clinic"])]
        for category in picks:
            if c["name"] == "秋浦社区" and category == "pharmacy":
                continue
            hours = rng.choice(HOURS[category])
            phone = f"0566-{rng.randint(2000000, 8999999)}" if rng.random() < 0.7 else f"139{rng.randint(0, 99999999):08d}"
            add(f"{stem}{rng.choice(NAMES[category])}", category, c, hours, phone, near=0.006)
    qiupu = next(c for c in communities if c["name"] == "秋浦社区")
    for name, category, hours, phone in QIUPU:
        add(name, category, qiupu, hours, phone, near=0.003)
    with write(db):
        db["outlets"].insert_all(rows)
        audit.record(db, SYSTEM, "seed_demo", "outlets", None, after={"outlets": len(rows)})
