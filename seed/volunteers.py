"""Demo volunteers and their ledger: a few hundred volunteers, a few thousand records over the
last 18 months, in every status; the demo `volunteer` login is 陈晓雨 of 秋浦社区."""

import random
from datetime import date, timedelta

from sqlite_utils import Database

from db import audit, keys
from db.store import write
from db.identity import make_id, mask_id
from db.models import SYSTEM
from db import clock

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
         "秀兰", "霞", "平", "刚", "桂英", "建华", "文", "华", "红", "玉兰", "建国", "志强", "晓燕", "海燕", "春梅",
         "国庆", "德明", "淑珍", "雪", "琳", "浩", "宇", "晨", "欣怡", "子涵", "梓轩", "雨桐", "思远", "佳怡"]
ACTIVITIES = {
    "elderly": ["陪伴独居老人", "老人生日会", "助老送餐"], "disability": ["助残出行陪护"],
    "study": ["四点半课堂辅导", "暑期托管"], "hardship": ["困难家庭走访"], "housekeeping": ["居家保洁"],
    "nursing": ["康复护理协助"], "repair": ["家电义务维修", "水电维修"], "errands": ["代买生活用品"],
    "medicine": ["代配药品", "陪同就医"], "legal": ["法律咨询进社区"], "counselling": ["心理疏导"],
    "environment": ["垃圾分类宣传", "小区环境整治"], "culture": ["社区文艺汇演", "读书会"],
    "safety": ["夜间治安巡逻", "防诈骗宣传"], "health": ["健康讲座", "义诊协助"],
}
REGIONS = {"贵池区": "341702", "东至县": "341721", "石台县": "341722", "青阳县": "341723", "九华山风景区": "341771"}
DEMO_VOLUNTEER = {"real_name": "陈晓雨", "gender": "F", "born": date(1995, 3, 8), "phone": "13905661234"}


def seed_volunteers(db: Database, seed: int = 2026, volunteers: int = 400, records: int = 6000) -> None:
    rng = random.Random(seed)
    communities = list(db.query("SELECT id, name, district FROM communities ORDER BY id"))
    categories = [r["code"] for r in db.query("SELECT code FROM service_categories ORDER BY code")]
    today = clock.today()
    now = clock.stamp()
    qiupu = next(c for c in communities if c["name"] == "秋浦社区")
    # Most volunteers in the city's urban core, a few in every other community.
    weights = [6 if c["district"] == "贵池区" else 2 for c in communities]
    rows, skills, phones, seq = [], [], set(), 0
    for i in range(volunteers):
        community = qiupu if i < 40 else rng.choices(communities, weights)[0]
        if i == 0:
            name, gender, born, phone = (DEMO_VOLUNTEER[k] for k in ("real_name", "gender", "born", "phone"))
        else:
            gender = rng.choice("MF")
            name = rng.choice(SURNAMES) + rng.choice(GIVEN)
            born = date(rng.randint(1950, 2006), rng.randint(1, 12), rng.randint(1, 28))
            phone = f"1{rng.choice('3578')}{rng.randint(0, 999_999_999):09d}"
        if phone in phones:
            continue
        phones.add(phone)
        seq += 1
        number = make_id(REGIONS[community["district"]], born, seq % 100, gender)
        status = "pending" if i % 25 == 24 else ("inactive" if i % 40 == 39 else "active")
        rows.append({
            "id": i + 1, "number": None if status == "pending" else f"CZ{i + 1:07d}", "real_name": name,
            "gender": gender, "birth_year": born.year, "id_cipher": keys.encrypt(number),
            "id_hash": keys.lookup_hash(number), "id_masked": mask_id(number), "phone": phone,
            "community_id": community["id"],
            "availability": '{"days": [%s], "parts": ["%s"]}' % (
                ", ".join(str(d) for d in sorted(rng.sample(range(1, 8), 3))),
                rng.choice(["morning", "afternoon", "evening"])),
            "party_member": int(rng.random() < 0.3), "notes": "", "status": status, "source": "signup",
            "consent_at": now, "created_at": (today - timedelta(days=rng.randint(30, 700))).isoformat() + "T09:00:00+08:00",
            "approved_at": None if status == "pending" else now, "approved_by": None if status == "pending" else "system",
            "approved_minutes": 0,
        })
        skills += [{"volunteer_id": i + 1, "category": c} for c in rng.sample(categories, rng.randint(1, 3))]
    serving = [r for r in rows if r["status"] != "pending"]
    # A few volunteers give most of the hours (as in real ledgers), so every star level shows up.
    weights = [1 / (rank + 1) ** 0.9 for rank in range(len(serving))]
    used, ledger = set(), []
    for _ in range(records):
        v = rng.choices(serving, weights)[0]
        day = today - timedelta(days=rng.randint(1, 540))
        if (v["id"], day) in used:
            continue
        used.add((v["id"], day))
        category = rng.choice(categories)
        start = rng.choice([8, 9, 10, 14, 15, 19])
        hours = rng.choice([1, 1, 2, 2, 2, 3, 4])
        roll = rng.random()
        status = "approved" if roll < 0.9 or day < today - timedelta(days=60) else ("pending" if roll < 0.97 else "rejected")
        ledger.append({
            "volunteer_id": v["id"], "community_id": v["community_id"], "activity": rng.choice(ACTIVITIES[category]),
            "service_date": day.isoformat(), "start_time": f"{start:02d}:00", "end_time": f"{start + hours:02d}:00",
            "minutes": hours * 60, "place": "社区服务站", "beneficiary": "", "content": "", "category": category,
            "status": status, "reject_reason": "时长与签到表不符" if status == "rejected" else None,
            # some of the waiting hours were reported by the volunteers themselves (本人申报)
            "source": "self" if 0.93 <= roll < 0.97 else "manual", "recorded_by": "system", "recorded_at": now,
            "approved_by": "system" if status != "pending" else None, "approved_at": now if status != "pending" else None,
        })
    with write(db):
        db["volunteers"].insert_all(rows)
        db["volunteer_skills"].insert_all(skills)
        db["service_records"].insert_all(ledger, batch_size=1000)
        db.execute("UPDATE volunteers SET approved_minutes = (SELECT COALESCE(SUM(minutes), 0) FROM service_records r"
                   " WHERE r.volunteer_id = volunteers.id AND r.status = 'approved')")
        demo_user = next(db.query("SELECT id FROM users WHERE username = 'volunteer'"), None)
        if demo_user:
            db.execute("UPDATE volunteers SET user_id = ? WHERE id = 1", [demo_user["id"]])
        audit.record(db, SYSTEM, "seed_demo", "volunteers", None,
                     after={"volunteers": len(rows), "records": len(ledger)})
