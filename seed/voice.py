"""Demo residents' voice: ratings of most confirmed needs, this year's satisfaction survey with
slips handed out and answered in a third of the communities, and a few residents' reports that
an outlet's entry is wrong waiting for the coordinators."""

import random
import secrets
from datetime import datetime, timedelta

from sqlite_utils import Database

from db import audit, clock
from db.assessment import surveys
from db.keys import lookup_hash
from db.models import SYSTEM
from db.store import write

COMMENTS = ["很及时，谢谢小伙子", "态度好，下次还找他", "来得有点晚", "帮了大忙", "", "", "非常耐心", "讲解很清楚"]
STARS = (5, 4, 3, 2, 1)
STAR_WEIGHTS = (45, 35, 12, 5, 3)
REPORTS = [("phone", "电话打不通，好像换号了"), ("hours", "周日上午没开门"), ("closed", "店已经关了，门口贴了转让"),
           ("moved", "搬到了对面的新楼一楼")]


def seed_voice(db: Database, seed: int = 2026) -> None:
    rng = random.Random(seed + 31)
    now = clock.now()
    with write(db):
        _ratings(db, rng, now)
        _corrections(db, rng, now)
    survey_id = surveys.create(db, SYSTEM, {
        "title": f"{now.year}年社区服务居民满意度调查", "intro": "请花两分钟告诉我们您对社区服务的评价。",
        "opens_on": (now - timedelta(days=40)).date(), "closes_on": (now + timedelta(days=20)).date(),
        "community_ids": [r["id"] for r in db.query("SELECT id FROM communities ORDER BY district, id")],
        "questions": [{"kind": "scale", "text": "您对社区志愿服务的总体满意度"},
                      {"kind": "scale", "text": "您对身边便民服务网点的满意度"},
                      {"kind": "choice", "text": "您最希望社区增加哪项服务", "choices": ["家政", "助医", "维修", "助餐"]},
                      {"kind": "text", "text": "您对社区服务的意见和建议"}]})
    with write(db):
        _answers(db, rng, now, surveys.survey(db, survey_id))


def _ratings(db: Database, rng: random.Random, now: datetime) -> None:
    rows = []
    for r in db.query("SELECT id, community_id, claimed_by, confirmed_at FROM service_requests"
                      " WHERE kind = 'need' AND status = 'confirmed' ORDER BY id"):
        if rng.random() < 0.3:
            continue  # not every resident rates
        at = min(clock.parse(r["confirmed_at"]) + timedelta(hours=rng.randint(2, 48)), now)
        comment = rng.choice(COMMENTS)
        rows.append({"request_id": r["id"], "community_id": r["community_id"], "volunteer_id": r["claimed_by"],
                     "stars": rng.choices(STARS, STAR_WEIGHTS)[0], "comment": comment, "on_behalf": int(rng.random() < 0.3),
                     "shared": int(bool(comment) and rng.random() < 0.5), "rated_by": "demo", "rated_at": clock.stamp(at)})
    db["need_ratings"].insert_all(rows)
    audit.record(db, SYSTEM, "seed_ratings", "need_ratings", None, after={"ratings": len(rows)})


def _corrections(db: Database, rng: random.Random, now: datetime) -> None:
    # two waiting in the demo coordinator's community (the first), one in each of a few others
    outlets = list(db.query("SELECT id, community_id FROM outlets WHERE status = 'open' AND community_id IN"
                            " (SELECT id FROM communities ORDER BY id LIMIT 4) ORDER BY community_id, id"))
    firsts = {}
    for o in outlets:
        firsts.setdefault(o["community_id"], []).append(o)
    picks = [o for group in firsts.values() for o in group[:2]]
    for n, o in enumerate(picks):
        kind, detail = REPORTS[n % len(REPORTS)]
        at = now - timedelta(days=rng.randint(0, 6), hours=rng.randint(0, 12))
        row = {"outlet_id": o["id"], "community_id": o["community_id"], "kind": kind, "detail": detail,
               "contact": f"1390000{rng.randint(1000, 9999)}" if n % 2 else "", "status": "pending",
               "reported_by": "public", "reported_at": clock.stamp(at)}
        correction_id = db["outlet_corrections"].insert(row).last_pk
        audit.record(db, SYSTEM, "report", "outlet_corrections", correction_id, after=row, community_id=o["community_id"])


def _answers(db: Database, rng: random.Random, now: datetime, survey: dict) -> None:
    opened = datetime.fromisoformat(survey["opens_on"] + "T09:00:00")
    questions = survey["questions"]
    responses = 0
    for community_id in survey["community_ids"][::3]:
        mood = rng.uniform(3.2, 4.6)  # each community its own level of content
        codes = ["".join(secrets.choice(surveys.ALPHABET) for _ in range(surveys.CODE_LENGTH))
                 for _ in range(rng.randint(20, 40))]
        db["survey_codes"].insert_all({"code": c, "survey_id": survey["id"], "community_id": community_id,
                                       "issued_by": "demo", "issued_at": clock.stamp(opened)} for c in codes)
        for n, code in enumerate(codes[: int(len(codes) * rng.uniform(0.4, 0.8))]):
            at = min(opened + timedelta(hours=rng.randint(1, 900)), now)
            response_id = db["survey_responses"].insert({
                "survey_id": survey["id"], "community_id": community_id, "code": code, "answered_at": clock.stamp(at),
                "phone_hash": lookup_hash(f"survey:{survey['id']}:demo-{community_id}-{n}")}).last_pk
            answers = []
            for q in questions:
                if q["kind"] == "scale":
                    answers.append({"question_id": q["id"], "value": max(1, min(5, round(rng.gauss(mood, 0.8)))), "text": None})
                elif q["kind"] == "choice":
                    answers.append({"question_id": q["id"], "value": rng.randrange(len(q["choices"])), "text": None})
                elif rng.random() < 0.2:
                    answers.append({"question_id": q["id"], "value": None, "text": rng.choice(["希望多组织活动", "网点信息很有用"])})
            db["survey_answers"].insert_all({"response_id": response_id, **a} for a in answers)
            db.execute("UPDATE survey_codes SET used_at = ? WHERE code = ?", [clock.stamp(at), code])
            responses += 1
    audit.record(db, SYSTEM, "seed_survey", "surveys", survey["id"], after={"responses": responses})
