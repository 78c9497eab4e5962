"""The 考核表 computed by hand on a small town of three communities (two districts), every figure
and score written out below from the rows the test inserts, never from our own output.

  A (district X, 2,000 people), B (X, 1,000), C (Y, 4,000); period 2026-07-01…09-30 (92 days),
  previous period 2026-03-31…06-30.

  figure            A          B          C         scores (60 worst … 100 best)
  hours/1000        120h→60    30h→30     40h→10    A 100, B 76, C 60
  active/1000       2→1.0      3→3.0      4→1.0     A 60, B 100, C 60
  completion        2/4=.5     2/2=1      —         A 60, B 100
  hours to claim    2,4,10→4   1,3→2      —         A 60, B 100 (less is better)
  service rating    5,4→4.5    3→3.0      —         A 100, B 60
  survey            4,4→4.0    —          5,5,5→5   A 60, C 100
  coverage          1/13       0          0         A 100, B 60, C 60
  freshness         1 of 2     1 of 1     —         A 80, B 100, D 60 (0 of 1)
  occupancy         —          —          —         (no day-care centre)
  D (Y, population 0, one outlet verified in 2020): coverage 60, freshness 60: total 60.

  total (default weights 20/15/15/10/10/10/10/5/5, a missing figure left out):
  A = (20·100+15·60+15·60+10·60+10·100+10·60+10·100+5·80)/95 = 7400/95
  B = (20·76+15·100+15·100+10·100+10·60+10·60+5·100)/85     = 7220/85
  C = (20·60+15·60+10·100+10·60)/55                          = 3700/55
  previous period (records only: A 10 h by one, B 20 h by one, C none; outlets as now):
  A = (20·70+15·80+10·100+5·100)/50 = 82, B = (20·100+15·100+10·60+5·100)/50 = 92, C = (20·60+15·60+10·60)/45 = 60,
  D = 60 (a tie with C: both third then; D is fourth now, C third)
"""

from datetime import date

import pytest

from db import clock
from db.assessment import scorecard
from db.errors import InputError, PermissionDenied
from db.models import Actor

pytestmark = pytest.mark.both_engines

START, END = date(2026, 7, 1), date(2026, 9, 30)
A_NOW, B_NOW, C_NOW = 7400 / 95, 7220 / 85, 3700 / 55


def _community(db, name, district, population, lat, lon):
    return db["communities"].insert({"name": name, "district": district, "kind": "urban", "households": population // 3,
                                     "population": population, "lat": lat, "lon": lon}).last_pk


def _volunteers(db, community_id, n):
    ids = []
    for _ in range(n):
        k = db["volunteers"].count + 1
        ids.append(db["volunteers"].insert({
            "real_name": f"志愿者{k}", "gender": "F", "id_cipher": "x", "id_hash": f"h{k}",
            "id_masked": "x", "phone": f"139000{k:05d}", "community_id": community_id, "status": "active",
            "created_at": "2026-01-01T00:00:00+08:00"}).last_pk)
    return ids


def _hours(db, volunteers, community_id, total_hours, day):
    each = total_hours * 60 // len(volunteers)
    for v in volunteers:
        db["service_records"].insert({
            "volunteer_id": v, "community_id": community_id, "activity": "服务", "service_date": day, "minutes": each,
            "category": "elderly", "status": "approved", "source": "manual", "recorded_by": "t",
            "recorded_at": f"{day}T10:00:00+08:00"})


def _need(db, community_id, status, claim_hours=None):
    created = "2026-08-01T08:00:00+08:00"
    claimed = None if claim_hours is None else f"2026-08-01T{8 + claim_hours:02d}:00:00+08:00"
    return db["service_requests"].insert({
        "kind": "need", "title": "帮忙", "category": "elderly", "community_id": community_id, "expires_at": "2026-12-31T00:00",
        "status": status, "created_by": "t", "created_at": created, "claimed_at": claimed,
        "confirmed_at": "2026-08-02T08:00:00+08:00" if status == "confirmed" else None}).last_pk


def _rating(db, community_id, stars, day="2026-08-03"):
    request_id = _need(db, community_id, "cancelled")  # cancelled: not counted among the needs posted above
    db.execute("UPDATE service_requests SET created_at = '2026-01-01T00:00:00+08:00' WHERE id = ?", [request_id])
    db["need_ratings"].insert({"request_id": request_id, "community_id": community_id, "stars": stars,
                               "rated_by": "t", "rated_at": f"{day}T09:00:00+08:00"})


def _survey_answers(db, community_id, values):
    survey_id = db["surveys"].insert({"title": "s", "opens_on": "2026-07-01", "closes_on": "2026-09-30", "status": "active",
                                      "created_by": "t", "created_at": "x"}, pk="id").last_pk if not db["surveys"].count \
        else 1
    question = next(db.query("SELECT id FROM survey_questions WHERE survey_id = ?", [survey_id]), None)
    if question is None:
        question_id = db["survey_questions"].insert({"survey_id": survey_id, "position": 1, "kind": "scale", "text": "q"}).last_pk
        db["survey_questions"].insert({"survey_id": survey_id, "position": 2, "kind": "choice", "text": "c", "choices": "[]"})
    else:
        question_id = question["id"]
    choice_id = question_id + 1
    for value in values:
        code = f"C{db['survey_codes'].count:07d}"
        db["survey_codes"].insert({"code": code, "survey_id": survey_id, "community_id": community_id, "issued_by": "t",
                                   "issued_at": "x", "used_at": "x"})
        response_id = db["survey_responses"].insert({"survey_id": survey_id, "community_id": community_id, "code": code,
                                                     "phone_hash": code, "answered_at": "2026-08-10T10:00:00+08:00"}).last_pk
        db["survey_answers"].insert({"response_id": response_id, "question_id": question_id, "value": value})
        # a single choice's index is not a satisfaction score: it must not count
        db["survey_answers"].insert({"response_id": response_id, "question_id": choice_id, "value": 0})


def _outlet(db, community_id, category, lat, lon, verified, status="open"):
    db["outlets"].insert({"name": "店", "category": category, "community_id": community_id, "address": "路", "lat": lat,
                          "lon": lon, "opening_hours": "24/7", "status": status, "last_verified": verified,
                          "updated_at": "x"})


@pytest.fixture
def town(empty_db):
    db = empty_db
    a = _community(db, "甲社区", "贵池区", 2000, 30.66, 117.49)
    b = _community(db, "乙社区", "贵池区", 1000, 30.30, 117.00)
    c = _community(db, "丙社区", "东至县", 4000, 29.80, 116.80)
    d = _community(db, "丁社区", "东至县", 0, 29.90, 117.20)  # nobody registered: coverage and freshness to score
    va, vb, vc = _volunteers(db, a, 2), _volunteers(db, b, 3), _volunteers(db, c, 4)
    _hours(db, va, a, 120, "2026-08-15")
    _hours(db, vb, b, 30, "2026-07-01")  # the first day counts
    _hours(db, vc, c, 40, "2026-09-30")  # and the last
    _hours(db, va[:1], a, 10, "2026-06-30")  # the previous period's last day
    _hours(db, vb[:1], b, 20, "2026-03-31")  # the previous period's first day (as long as this one)
    _hours(db, vb[:1], b, 500, "2026-03-30")  # the day before it: in neither period
    _hours(db, vc, c, 999, "2026-10-01")  # after the period: not counted
    for status, claim in (("confirmed", 2), ("confirmed", 4), ("claimed", 10), ("open", None)):
        _need(db, a, status, claim)
    _need(db, a, "pending")  # awaiting moderation: not posted yet
    for claim in (1, 3):
        _need(db, b, "confirmed", claim)
    _rating(db, a, 5)
    _rating(db, a, 4)
    _rating(db, b, 3)
    _rating(db, b, 1, day="2026-10-02")  # after the period
    _survey_answers(db, a, [4, 4])
    _survey_answers(db, c, [5, 5, 5])
    _outlet(db, a, "pharmacy", 30.66, 117.49, "2026-09-01")
    _outlet(db, a, "other", 30.66, 117.49, "2025-09-29")  # a day more than a year before the period's end
    _outlet(db, a, "pharmacy", 30.66, 117.49, None, status="closed")  # closed for good: neither covers nor counts
    _outlet(db, b, "other", 30.30, 117.00, "2025-09-30")  # exactly a year: still fresh
    _outlet(db, d, "other", 29.90, 117.20, "2020-01-01")  # nothing fresh at all: 0, not "no figure"
    db.conn.commit()
    return db, {"A": a, "B": b, "C": c, "D": d}


def _rows(db):
    return {r["community"]: r for r in scorecard.table(db, START, END)}


def test_every_figure_as_computed_by_hand(town):
    db, _ = town
    rows = _rows(db)
    a, b, c = rows["甲社区"], rows["乙社区"], rows["丙社区"]
    assert (a["hours_per_1000"], b["hours_per_1000"], c["hours_per_1000"]) == (60, 30, 10)
    assert (a["active_per_1000"], b["active_per_1000"], c["active_per_1000"]) == (1, 3, 1)
    assert (a["completion"], b["completion"], c["completion"]) == (0.5, 1, None)
    assert (a["hours_to_claim"], b["hours_to_claim"], c["hours_to_claim"]) == pytest.approx((4, 2, None))
    assert (a["service_rating"], b["service_rating"], c["service_rating"]) == (4.5, 3, None)
    assert (a["survey_score"], b["survey_score"], c["survey_score"]) == (4, None, 5)
    assert (a["coverage"], b["coverage"], c["coverage"]) == (1 / 13, 0, 0)
    assert (a["freshness"], b["freshness"], c["freshness"], rows["丁社区"]["freshness"]) == (0.5, 1, None, 0)
    assert (a["occupancy"], b["occupancy"], c["occupancy"]) == (None, None, None)


def test_scores_totals_ranks_and_change_as_computed_by_hand(town):
    db, _ = town
    rows = _rows(db)
    a, b, c = rows["甲社区"], rows["乙社区"], rows["丙社区"]
    assert [a[f"{k}_score"] for k in scorecard.KEYS] == pytest.approx([100, 60, 60, 60, 100, 60, 100, 80, None])
    assert [b[f"{k}_score"] for k in scorecard.KEYS] == pytest.approx([76, 100, 100, 100, 60, None, 60, 100, None])
    assert [c[f"{k}_score"] for k in scorecard.KEYS] == pytest.approx([60, 60, None, None, None, 100, 60, None, None])
    assert (a["score"], b["score"], c["score"]) == pytest.approx((A_NOW, B_NOW, C_NOW))
    d = rows["丁社区"]
    assert d["score"] == 60 and d["hours_per_1000"] is None
    assert [r["community"] for r in scorecard.table(db, START, END)] == ["乙社区", "甲社区", "丙社区", "丁社区"]
    assert (b["rank_city"], a["rank_city"], c["rank_city"], d["rank_city"]) == (1, 2, 3, 4)
    assert (b["rank_district"], a["rank_district"], c["rank_district"], d["rank_district"]) == (1, 2, 1, 2)
    assert (a["rank_district_of"], c["rank_district_of"], a["rank_city_of"]) == (2, 2, 4)
    assert (a["previous_score"], b["previous_score"], c["previous_score"], d["previous_score"]) == pytest.approx((82, 92, 60, 60))
    assert (a["change"], b["change"], c["change"]) == pytest.approx((A_NOW - 82, B_NOW - 92, C_NOW - 60))
    assert (c["previous_rank_city"], d["previous_rank_city"]) == (3, 3)  # a tie shares its rank
    assert (a["rank_change"], b["rank_change"], c["rank_change"], d["rank_change"]) == (0, 0, 0, -1)


def test_weights_are_the_admins_and_refused_when_they_say_nothing(town):
    db, _ = town
    admin = Actor("admin", "admin", user_id=1)
    scorecard.set_weights(db, admin, {k: 0 for k in scorecard.KEYS} | {"hours_per_1000": 1})
    rows = _rows(db)
    assert [rows[n]["score"] for n in ("甲社区", "乙社区", "丙社区")] == pytest.approx([100, 76, 60])
    # 丁 has no hours figure (nobody lives there): no score, no rank, listed last
    assert (rows["丁社区"]["score"], rows["丁社区"]["rank_city"]) == (None, None)
    assert [r["community"] for r in scorecard.table(db, START, END)][-1] == "丁社区"
    # the period before, on hours alone: A 10 h/2,000 → 70, B 20 h/1,000 → 100, C 0 → 60
    assert [(rows[n]["previous_rank_city"], rows[n]["rank_change"]) for n in ("甲社区", "乙社区", "丙社区")] == [
        (2, 1), (1, -1), (3, 0)]
    with pytest.raises(InputError):
        scorecard.set_weights(db, admin, {k: 0 for k in scorecard.KEYS})
    with pytest.raises(InputError):
        scorecard.set_weights(db, admin, {"hours_per_1000": 101})
    with pytest.raises(InputError):
        scorecard.set_weights(db, admin, {"popularity": 5})
    with pytest.raises(PermissionDenied):
        scorecard.set_weights(db, Actor("leader", "leader", user_id=2), {"hours_per_1000": 5})
    assert scorecard.weights(db)["hours_per_1000"] == 1
    assert db.execute("SELECT COUNT(*) FROM audit_log WHERE row_id = 'scorecard_weights'").fetchone()[0] == 1
    # on ratings alone: none were given the period before, so there is no change to show
    scorecard.set_weights(db, admin, {k: 0 for k in scorecard.KEYS} | {"service_rating": 1})
    rows = _rows(db)
    assert [(rows[n]["score"], rows[n]["change"], rows[n]["rank_change"]) for n in ("甲社区", "乙社区")] == [
        (100, None, None), (60, None, None)]


def test_a_coordinator_sees_their_community_beside_the_district_and_city_means(town):
    db, ids = town
    seen = scorecard.scorecard(db, Actor("c", "coordinator", community_id=ids["A"], user_id=3), START, END)
    assert [r["community"] for r in seen["rows"]] == ["甲社区"]
    assert seen["district"]["score"] == pytest.approx((A_NOW + B_NOW) / 2)
    assert seen["city"]["score"] == pytest.approx((A_NOW + B_NOW + C_NOW + 60) / 4)
    in_c = scorecard.scorecard(db, Actor("c2", "coordinator", community_id=ids["C"], user_id=6), START, END)
    assert in_c["district"]["score"] == pytest.approx((C_NOW + 60) / 2)  # 东至县: 丙 and 丁, not 贵池区's
    leader = scorecard.scorecard(db, Actor("l", "leader", user_id=4), START, END)
    assert len(leader["rows"]) == 4 and leader["district"] is None
    assert len(scorecard.scorecard(db, Actor("l", "leader", user_id=4), END, END)["rows"]) == 4  # one day
    for refused in (Actor("v", "volunteer", community_id=ids["A"], user_id=5, volunteer_id=1), Actor("public", "public")):
        with pytest.raises(PermissionDenied):
            scorecard.scorecard(db, refused, START, END)
    with pytest.raises(InputError):
        scorecard.scorecard(db, Actor("l", "leader", user_id=4), date(2025, 1, 1), END)  # longer than a year
    scorecard.scorecard(db, Actor("l", "leader", user_id=4), date(2025, 9, 29), END)  # 367 days: the longest allowed
    with pytest.raises(InputError):
        scorecard.scorecard(db, Actor("l", "leader", user_id=4), date(2025, 9, 28), END)
    with pytest.raises(InputError):
        scorecard.scorecard(db, Actor("l", "leader", user_id=4), END, START)  # the end before the start


def test_a_communitys_day_care_is_its_centres_together(town, monkeypatch):
    """Two centres of one community: places booked over places offered of both (3/10 and 5/30 →
    8/40 = 20 %, not the mean of 30 % and 17 %); the per-centre rule itself is db.daycare's."""
    db, ids = town
    monkeypatch.setattr(scorecard, "centres", lambda db: [{"id": 7, "community_id": ids["A"]},
                                                          {"id": 8, "community_id": ids["A"]},
                                                          {"id": 9, "community_id": ids["C"]}])
    monkeypatch.setattr(scorecard, "occupancy", lambda db, start, end: [
        {"centre_id": 7, "booked": 3, "places": 10}, {"centre_id": 8, "booked": 5, "places": 30},
        {"centre_id": 9, "booked": 0, "places": 0}])  # nothing held: no figure
    rows = {r["community"]: r for r in scorecard.figures(db, START, END).values()}
    assert (rows["甲社区"]["occupancy"], rows["丙社区"]["occupancy"], rows["乙社区"]["occupancy"]) == (0.2, None, None)


def test_a_town_with_nothing_in_the_period_scores_nobody(empty_db):
    _community(empty_db, "空社区", "贵池区", 0, 30.6, 117.4)
    [row] = scorecard.table(empty_db, START, END)
    # no population: no per-1,000 figure; no outlet anywhere: coverage 0 for every category
    assert row["hours_per_1000"] is None and row["coverage"] == 0 and row["score"] == 100 and row["rank_city"] == 1
    assert clock.today()  # the table does not depend on today


def test_the_default_weights_are_the_documented_ones(empty_db):
    """README's table: 20/15/15/10/10/10/10/5/5, summing to 100."""
    assert scorecard.weights(empty_db) == {
        "hours_per_1000": 20, "active_per_1000": 15, "completion": 15, "hours_to_claim": 10, "service_rating": 10,
        "survey_score": 10, "coverage": 10, "freshness": 5, "occupancy": 5}


def test_equal_figures_score_full_marks_and_near_scores_keep_their_order():
    rows = [{"community": n, "district": "x", **dict.fromkeys(scorecard.KEYS)} for n in ("甲", "乙", "丙")]
    rows[0]["coverage"], rows[1]["coverage"], rows[2]["coverage"] = float("0.5"), 1 / 2, 0.25 * 2  # equal, not the same object
    rows[0]["freshness"], rows[1]["freshness"], rows[2]["freshness"] = 0.80, 0.795, 0.0
    scorecard._scores(rows, {k: 1 for k in scorecard.KEYS})
    assert [r["coverage_score"] for r in rows] == [100, 100, 100]
    assert [r["freshness_score"] for r in rows] == pytest.approx([100, 60 + 40 * 0.795 / 0.8, 60])
    assert [r["rank_city"] for r in rows] == [1, 2, 3]  # 100 against 99.75: a quarter point still ranks
