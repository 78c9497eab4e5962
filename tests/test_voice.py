"""Residents' voice in db/: ratings of confirmed needs, surveys answered with one-time codes, and
corrections to the directory — each with the bad input and abuse the issue names refused (or made
inert) and nothing lost or half-written."""

from dataclasses import replace
from datetime import date, timedelta
from statistics import stdev

import pytest

from db import clock, exchange
from db.assessment import corrections, ratings, surveys
from db.errors import Conflict, InputError, NotFound, PermissionDenied
from db.models import PUBLIC
from db.users import actor_for
from tests.conftest import stored_bytes

pytestmark = pytest.mark.both_engines

HTML = '<script>alert(1)</script> **粗体** [链接](javascript:alert(1))'


def _audit(db):
    return db["audit_log"].count


# --- ratings ------------------------------------------------------------------------------------

@pytest.fixture
def done_need(db):
    """A need a resident posted (受理编号 and phone) and a volunteer claimed (the demo's ratings gone)."""
    db.execute("DELETE FROM need_ratings")
    coord = actor_for(db, "coordinator")
    need = {"title": "取药", "category": "medicine", "community_id": coord.community_id, "requester_name": "王奶奶",
            "requester_phone": "13900001111", "expires_at": clock.now() + timedelta(days=2)}
    request_id = exchange.post_need(db, replace(PUBLIC, source="10.0.0.1"), need)
    exchange.moderate(db, coord, request_id, True)
    helper = next(db.query("SELECT id FROM volunteers WHERE community_id = ? AND status = 'active' AND user_id IS NULL",
                           [coord.community_id]))["id"]
    exchange.claim(db, coord, request_id, helper)
    return db, coord, request_id, helper


def test_the_resident_rates_once_by_number_and_phone_after_it_is_confirmed(done_need):
    db, coord, request_id, helper = done_need
    resident = replace(PUBLIC, source="10.0.0.2")
    number = exchange.reference(request_id)
    with pytest.raises(Conflict, match="err.rate_not_done"):  # claimed, not done
        ratings.rate_by_resident(db, resident, number, "13900001111", {"stars": 5})
    exchange.mark_done(db, coord, request_id, 45)
    with pytest.raises(Conflict, match="err.rate_not_done"):  # done, not yet confirmed
        ratings.rate_by_resident(db, resident, number, "13900001111", {"stars": 5})
    exchange.confirm(db, coord, request_id)
    with pytest.raises(NotFound):  # someone else's phone
        ratings.rate_by_resident(db, resident, number, "13900002222", {"stars": 1})
    for bad in ({"stars": 0}, {"stars": 6}, {"stars": None}, {"stars": 4, "comment": "长" * 201}):
        with pytest.raises(InputError):
            ratings.rate_by_resident(db, resident, number, "13900001111", bad)
    assert db["need_ratings"].count == 0
    rating_id = ratings.rate_by_resident(db, resident, number, "139 0000 1111", {"stars": 4, "comment": HTML})
    with pytest.raises(Conflict, match="err.already_rated"):
        ratings.rate_by_resident(db, resident, number, "13900001111", {"stars": 1})
    with pytest.raises(Conflict, match="err.already_rated"):  # nor by staff afterwards
        ratings.rate(db, coord, request_id, {"stars": 1})
    row = db["need_ratings"].get(rating_id)
    # kept as typed (text, shown escaped wherever it is shown), credited to the helper, not on behalf
    assert (row["stars"], row["comment"], row["volunteer_id"], row["on_behalf"], row["shared"]) == (4, HTML, helper, 0, 0)
    assert db.execute("SELECT actor FROM audit_log WHERE table_name = 'need_ratings' AND row_id = ?",
                      [str(rating_id)]).fetchall() == [("public",)]


def test_staff_enter_a_phoned_rating_marked_and_another_community_cannot(done_need):
    db, coord, request_id, helper = done_need
    exchange.mark_done(db, coord, request_id, 45)
    exchange.confirm(db, coord, request_id)
    before = _audit(db)
    for outsider in (actor_for(db, "coordinator2"), actor_for(db, "leader")):
        with pytest.raises(PermissionDenied):
            ratings.rate(db, outsider, request_id, {"stars": 2})
    with pytest.raises(PermissionDenied):  # a volunteer who did not post it
        ratings.rate(db, actor_for(db, "volunteer"), request_id, {"stars": 2})
    assert (db["need_ratings"].count, _audit(db)) == (0, before)
    rating_id = ratings.rate(db, coord, request_id, {"stars": 3, "comment": "电话回访：来晚了"})
    assert db["need_ratings"].get(rating_id)["on_behalf"] == 1


def test_a_volunteer_sees_their_average_and_only_the_comments_shared_with_them(done_need):
    db, coord, request_id, helper = done_need
    exchange.mark_done(db, coord, request_id, 45)
    exchange.confirm(db, coord, request_id)
    rating_id = ratings.rate(db, coord, request_id, {"stars": 2, "comment": "态度不好"})
    admin = actor_for(db, "admin")
    seen = ratings.of_volunteer(db, admin, helper)
    assert (seen["count"], seen["average"], seen["shared"]) == (1, 2, [])
    with pytest.raises(PermissionDenied):
        ratings.share(db, actor_for(db, "coordinator2"), rating_id, True)
    ratings.share(db, coord, rating_id, True)
    assert [g["comment"] for g in ratings.of_volunteer(db, admin, helper)["shared"]] == ["态度不好"]
    with pytest.raises(PermissionDenied):  # another volunteer's ratings
        ratings.of_volunteer(db, actor_for(db, "volunteer"), helper)
    assert [g["stars"] for g in ratings.of_community(db, coord, coord.community_id)] == [2]
    with pytest.raises(PermissionDenied):
        ratings.of_community(db, actor_for(db, "coordinator2"), coord.community_id)


def test_the_volunteer_who_posted_a_need_rates_it(db):
    me = actor_for(db, "volunteer")
    coord = actor_for(db, "coordinator")
    request_id = exchange.post_need(db, me, {"title": "修水管", "category": "repair", "community_id": me.community_id,
                                             "expires_at": clock.now() + timedelta(days=1)})
    helper = next(db.query("SELECT id FROM volunteers WHERE community_id = ? AND status = 'active' AND id != ?",
                           [me.community_id, me.volunteer_id]))["id"]
    exchange.claim(db, coord, request_id, helper)
    exchange.mark_done(db, coord, request_id, 30)
    exchange.confirm(db, coord, request_id)
    assert request_id in [r["id"] for r in ratings.to_rate(db, me)]
    ratings.rate(db, me, request_id, {"stars": 5})
    assert request_id not in [r["id"] for r in ratings.to_rate(db, me)]
    assert db.execute("SELECT on_behalf FROM need_ratings WHERE request_id = ?", [request_id]).fetchone() == (0,)


# --- surveys ------------------------------------------------------------------------------------

QUESTIONS = [{"kind": "scale", "text": "总体满意度"}, {"kind": "choice", "text": "最想要", "choices": ["助餐", "维修"]},
             {"kind": "text", "text": "建议"}]


@pytest.fixture
def survey(db):
    leader = actor_for(db, "leader")
    coord = actor_for(db, "coordinator")
    survey_id = surveys.create(db, leader, {"title": "满意度调查", "opens_on": clock.today(),
                                            "closes_on": clock.today() + timedelta(days=30),
                                            "community_ids": [coord.community_id], "questions": QUESTIONS})
    codes = surveys.issue_codes(db, coord, survey_id, coord.community_id, 6)
    scale, choice, text = (q["id"] for q in surveys.survey(db, survey_id)["questions"])
    return db, survey_id, codes, (scale, choice, text), coord


def test_a_survey_is_checked_before_it_is_kept(db):
    leader = actor_for(db, "leader")
    base = {"title": "调查", "opens_on": clock.today(), "closes_on": clock.today() + timedelta(days=10),
            "community_ids": [1], "questions": QUESTIONS}
    for bad in ({"questions": []}, {"questions": [{"kind": "choice", "text": "只有一个", "choices": ["是"]}]},
                {"closes_on": clock.today() - timedelta(days=1)}, {"opens_on": clock.today() + timedelta(days=11)},
                {"community_ids": []}, {"questions": [{"kind": "rank", "text": "排序"}]},
                {"closes_on": clock.today() + timedelta(days=400)}):
        with pytest.raises(InputError):
            surveys.create(db, leader, {**base, **bad})
    with pytest.raises(InputError):  # a community that does not exist
        surveys.create(db, leader, {**base, "community_ids": [99999]})
    for nobody in (actor_for(db, "coordinator"), actor_for(db, "volunteer"), PUBLIC):
        with pytest.raises(PermissionDenied):
            surveys.create(db, nobody, base)
    assert db["surveys"].count == 1  # the demo's survey only


def test_codes_are_one_time_and_only_for_the_surveys_communities(survey):
    db, survey_id, codes, _, coord = survey
    assert len(set(codes)) == 6 and all(len(c) == 8 and set(c) <= set(surveys.ALPHABET) for c in codes)
    other = actor_for(db, "coordinator2")
    with pytest.raises(PermissionDenied):
        surveys.issue_codes(db, other, survey_id, coord.community_id, 5)
    with pytest.raises(Conflict, match="err.survey_not_here"):
        surveys.issue_codes(db, other, survey_id, other.community_id, 5)
    for count in (0, 501):
        with pytest.raises(InputError):
            surveys.issue_codes(db, coord, survey_id, coord.community_id, count)
    assert surveys.unused_codes(db, coord, survey_id, coord.community_id) == sorted(codes)


def test_one_answer_per_code_and_per_phone_and_a_refused_answer_uses_nothing(survey):
    db, survey_id, codes, (scale, choice, text), coord = survey
    answers = {scale: 4, choice: 1, text: HTML}
    shown = surveys.shown_code(codes[0]).lower()  # typed from the slip: lower case, with its hyphen
    opened = surveys.open_by_code(db, replace(PUBLIC, source="10.1.1.1"), shown)
    assert (opened["title"], opened["community_id"]) == ("满意度调查", coord.community_id)
    for bad in ({scale: None, choice: 1}, {scale: 6, choice: 1}, {scale: 0, choice: 1}, {scale: 4, choice: 2},
                {scale: 4, choice: -1}, {choice: 0},
                {scale: 4, choice: 0, 999999: 3}):
        with pytest.raises(InputError):
            surveys.answer(db, replace(PUBLIC, source="10.1.1.1"), shown, {"phone": "13912345678", "answers": bad})
    with pytest.raises(InputError):
        surveys.answer(db, replace(PUBLIC, source="10.1.1.1"), shown, {"phone": "12345", "answers": answers})
    assert (db["survey_responses"].count, db["survey_answers"].count) == (558, 1813)  # the demo's only
    surveys.answer(db, replace(PUBLIC, source="10.1.1.1"), shown, {"phone": "13912345678", "answers": answers})
    with pytest.raises(Conflict, match="err.survey_code_used"):
        surveys.answer(db, replace(PUBLIC, source="10.1.1.2"), codes[0], {"phone": "13912345679", "answers": answers})
    with pytest.raises(Conflict, match="err.survey_code_used"):
        surveys.open_by_code(db, replace(PUBLIC, source="10.1.1.2"), codes[0])
    with pytest.raises(Conflict, match="err.survey_phone_used"):
        surveys.answer(db, replace(PUBLIC, source="10.1.1.2"), codes[1], {"phone": "139 1234 5678", "answers": answers})
    with pytest.raises(NotFound):
        surveys.answer(db, replace(PUBLIC, source="10.1.1.2"), "ABCD-EFGH", {"phone": "13912340000", "answers": answers})
    assert surveys.unused_codes(db, coord, survey_id, coord.community_id) == sorted(codes[1:])
    # the phone number is nowhere in the database, only its keyed hash
    assert b"13912345678" not in stored_bytes(db)
    [kept] = db.execute("SELECT text FROM survey_answers WHERE question_id = ?", [text]).fetchall()
    assert kept == (HTML,)


def test_a_survey_answers_only_while_open(survey):
    db, survey_id, codes, (scale, choice, _), coord = survey
    answers = {"phone": "13912345678", "answers": {scale: 5, choice: 0}}
    with clock.frozen(clock.now() + timedelta(days=31)):
        with pytest.raises(Conflict, match="err.survey_not_open"):
            surveys.answer(db, replace(PUBLIC, source="10.1.1.3"), codes[0], answers)
    with clock.frozen(clock.now() - timedelta(days=1)):
        with pytest.raises(Conflict, match="err.survey_not_open"):
            surveys.open_by_code(db, replace(PUBLIC, source="10.1.1.3"), codes[0])
    surveys.withdraw(db, actor_for(db, "leader"), survey_id)
    with pytest.raises(Conflict, match="err.survey_not_open"):
        surveys.answer(db, replace(PUBLIC, source="10.1.1.3"), codes[0], answers)
    with pytest.raises(Conflict, match="err.survey_closed"):
        surveys.issue_codes(db, coord, survey_id, coord.community_id, 5)


def test_codes_cannot_be_tried_one_after_another(survey):
    db, *_ = survey
    stranger = replace(PUBLIC, source="10.9.9.9")
    for _ in range(60):
        with pytest.raises(NotFound):
            surveys.open_by_code(db, stranger, "ZZZZ-ZZZZ")
    with pytest.raises(Conflict, match="err.rate_limited"):
        surveys.open_by_code(db, stranger, "ZZZZ-ZZZZ")


def test_results_per_community_with_the_interval_computed_by_hand(survey):
    db, survey_id, codes, (scale, choice, text), coord = survey
    for n, (value, pick) in enumerate(((5, 0), (4, 1), (4, 1), (3, 1))):
        surveys.answer(db, replace(PUBLIC, source=f"10.2.0.{n}"), codes[n],
                       {"phone": f"1391111000{n}", "answers": {scale: value, choice: pick}})
    [row] = surveys.results(db, coord, survey_id)
    assert (row["issued"], row["responses"], row["response_rate"], row["few"]) == (6, 4, 4 / 6, True)
    q_scale, q_choice, q_text = row["questions"]
    # mean 4, sample sd √(2/3), t(3 d.f., 97.5 %) = 3.182: half-width 3.182·0.8165/2 = 1.299
    assert q_scale["mean"] == 4 and q_scale["interval"] == pytest.approx(3.182 * stdev([5, 4, 4, 3]) / 2)
    assert q_scale["interval"] == pytest.approx(1.299, abs=1e-3)
    assert q_choice["shares"] == {"助餐": 0.25, "维修": 0.75}
    assert q_text["n"] == 0 and "mean" not in q_text and "shares" not in q_text
    assert surveys.interval([4]) is None
    with pytest.raises(PermissionDenied):  # another community's coordinator asking for this one
        surveys.results(db, actor_for(db, "coordinator2"), survey_id, coord.community_id)
    assert surveys.results(db, actor_for(db, "coordinator2"), survey_id) == []
    with pytest.raises(PermissionDenied):
        surveys.results(db, actor_for(db, "volunteer"), survey_id)
    assert len(surveys.raw(db, actor_for(db, "admin"), survey_id)) == 4
    for nobody in (coord, actor_for(db, "leader")):
        with pytest.raises(PermissionDenied):
            surveys.raw(db, nobody, survey_id)


# --- corrections --------------------------------------------------------------------------------

def _outlet(db, coord):
    return next(db.query("SELECT * FROM outlets WHERE community_id = ? AND status = 'open' ORDER BY id LIMIT 1",
                         [coord.community_id]))


def _as_form(outlet: dict, **change) -> dict:
    keys = ("name", "category", "services", "community_id", "address", "lat", "lon", "phones", "opening_hours", "status",
            "accessibility", "source")
    return {k: outlet[k] for k in keys} | change


def test_a_resident_reports_and_the_coordinator_accepts_by_editing_the_outlet(db):
    coord = actor_for(db, "coordinator")
    outlet = _outlet(db, coord)
    waiting = len(corrections.queue(db, coord))
    for bad in ({"kind": "gone"}, {"kind": "other"}, {"kind": "phone", "contact": "12"}, {"kind": "phone", "detail": "x" * 201}):
        with pytest.raises(InputError):
            corrections.report(db, replace(PUBLIC, source="10.3.3.3"), outlet["id"], bad)
    correction_id = corrections.report(db, replace(PUBLIC, source="10.3.3.3"), outlet["id"],
                                       {"kind": "phone", "detail": HTML, "contact": "13900003333"})
    queued = corrections.queue(db, coord)
    assert len(queued) == waiting + 1 and queued[-1]["detail"] == HTML
    assert corrections.queue(db, actor_for(db, "coordinator2")) == [c for c in corrections.queue(
        db, actor_for(db, "coordinator2")) if c["community_id"] != coord.community_id]
    before = _audit(db)
    with pytest.raises(PermissionDenied):
        corrections.accept(db, actor_for(db, "coordinator2"), correction_id, _as_form(outlet, phones="0566-2020202"))
    with pytest.raises(InputError):  # a bad edit is refused whole: the report stays pending
        corrections.accept(db, coord, correction_id, _as_form(outlet, phones="不是电话"))
    assert _audit(db) == before and db["outlet_corrections"].get(correction_id)["status"] == "pending"
    with clock.frozen(clock.now()):
        corrections.accept(db, coord, correction_id, _as_form(outlet, phones="0566-2020202"))
        after = db["outlets"].get(outlet["id"])
        assert (after["phones"], after["last_verified"]) == ("0566-2020202", clock.today().isoformat())
    settled = db["outlet_corrections"].get(correction_id)
    assert (settled["status"], settled["handled_by"]) == ("accepted", coord.username)
    assert {a for (a,) in db.execute("SELECT action FROM audit_log WHERE id > ?", [before])} == {"update", "accept"}
    with pytest.raises(Conflict, match="err.correction_settled"):
        corrections.reject(db, coord, correction_id, "重复")


def test_a_report_rejected_needs_a_reason_and_a_flood_is_stopped(db):
    coord = actor_for(db, "coordinator")
    outlet = _outlet(db, coord)
    flood = replace(PUBLIC, source="10.4.4.4")
    ids = [corrections.report(db, flood, outlet["id"], {"kind": "closed"}) for _ in range(10)]
    with pytest.raises(Conflict, match="err.rate_limited"):
        corrections.report(db, flood, outlet["id"], {"kind": "closed"})
    with pytest.raises(InputError):
        corrections.reject(db, coord, ids[0], "  ")
    corrections.reject(db, coord, ids[0], "已电话核实，正常营业")
    row = db["outlet_corrections"].get(ids[0])
    assert (row["status"], row["reason"]) == ("rejected", "已电话核实，正常营业")
    assert db["outlets"].get(outlet["id"])["status"] == "open"


def test_entries_not_verified_for_a_year_are_flagged(db):
    coord = actor_for(db, "coordinator")
    mine = [r["id"] for r in db.query("SELECT id FROM outlets WHERE community_id = ? ORDER BY id", [coord.community_id])]
    today = clock.today()
    days = {mine[0]: 365, mine[1]: 366, mine[2]: None}  # a year ago exactly: still fresh
    for outlet_id, age in days.items():
        db["outlets"].update(outlet_id, {"status": "open", "last_verified": None if age is None else
                                         (today - timedelta(days=age)).isoformat()})
    db["outlets"].update(mine[3], {"status": "closed", "last_verified": None})  # closed for good: nothing to check
    flagged = {r["id"] for r in corrections.stale(db, coord)}
    assert mine[1] in flagged and mine[2] in flagged and mine[0] not in flagged and mine[3] not in flagged
    assert all(r["community_id"] == coord.community_id for r in corrections.stale(db, coord))
    assert corrections.stale_before(date(2026, 3, 1)) == "2025-03-01"


def test_the_slips_print_each_code_readable_by_eye_and_by_a_phone(survey):
    from components.pdf import survey_slips_pdf
    from tests.viewers import poppler_pages, poppler_text, qr_codes

    db, survey_id, _, _, coord = survey
    codes = sorted(surveys.issue_codes(db, coord, survey_id, coord.community_id, 10))
    s = surveys.survey(db, survey_id)
    pdf = survey_slips_pdf(s, "秋浦社区", codes, lambda code: f"https://linli.example/survey?code={code}")
    assert poppler_pages(pdf) == 2  # eight slips a page
    text = poppler_text(pdf)
    assert all(f"{c[:4]}-{c[4:]}" in text for c in codes)
    assert text.count("满意度调查") >= 10 and text.count("每个手机号限答一次") == 10
    assert qr_codes(pdf) == [f"https://linli.example/survey?code={c}" for c in codes]


def test_the_survey_chart_is_valid_vega_lite_with_its_interval():
    import pandas as pd

    from components import charts

    frame = pd.DataFrame([{"community": "秋浦社区", "mean": 4.0, "low": 2.7, "high": 5.0, "n": 4}])
    spec = charts.styled(charts.survey_means(frame, "总体满意度", dict.fromkeys(("community", "mean", "low", "high", "n"), "x")))
    built = spec.to_dict(validate=True)
    assert [layer["mark"]["type"] for layer in built["layer"]] == ["rule", "point"]


def test_a_free_answer_is_exported_as_text_never_as_a_formula(survey):
    import io

    from openpyxl import load_workbook

    from components.spreadsheet import to_xlsx

    db, survey_id, codes, (scale, choice, text), _ = survey
    formula = '=HYPERLINK("http://evil.example","点我")'
    surveys.answer(db, replace(PUBLIC, source="10.5.5.5"), codes[0],
                   {"phone": "13912340001", "answers": {scale: 3, choice: 0, text: formula}})
    rows = surveys.raw(db, actor_for(db, "admin"), survey_id)
    sheet = load_workbook(io.BytesIO(to_xlsx(rows))).active
    cells = [c.value for row in sheet.iter_rows() for c in row]
    assert "'" + formula in cells and formula not in cells
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_numbers_and_phones_cannot_be_tried_in_turn_to_rate(done_need):
    db, coord, request_id, _ = done_need
    exchange.mark_done(db, coord, request_id, 45)
    exchange.confirm(db, coord, request_id)
    guesser = replace(PUBLIC, source="10.6.6.6")
    for n in range(30):  # the hourly limit of looking a need up (by 受理编号 and phone) from one address
        with pytest.raises(NotFound, match="err.track_not_found"):
            ratings.rate(db, guesser, request_id, {"stars": 1}, phone=f"1390000{n:04d}")
    with pytest.raises(Conflict, match="err.rate_limited"):  # even with the right phone now
        ratings.rate(db, guesser, request_id, {"stars": 1}, phone="13900001111")
    assert db["need_ratings"].count == 0
    ratings.rate_by_resident(db, replace(PUBLIC, source="10.6.6.7"), exchange.reference(request_id), "13900001111",
                             {"stars": 4})


def _t_quantile(df: int, p: float = 0.975) -> float:
    """Student's t quantile by hand: the density integrated with Simpson's rule, bisected to p."""
    import math

    c = math.exp(math.lgamma((df + 1) / 2) - math.lgamma(df / 2)) / math.sqrt(df * math.pi)

    def cdf(x: float, steps: int = 4000) -> float:
        h = x / steps
        f = [c * (1 + (i * h) ** 2 / df) ** (-(df + 1) / 2) for i in range(steps + 1)]
        return 0.5 + h / 3 * (f[0] + f[-1] + 4 * sum(f[1:-1:2]) + 2 * sum(f[2:-1:2]))

    low, high = 0.0, 20.0
    for _ in range(60):
        mid = (low + high) / 2
        low, high = (mid, high) if cdf(mid) < p else (low, mid)
    return low


def test_the_interval_uses_students_t_computed_independently():
    for df in range(1, 31):
        assert surveys.T975[df - 1] == pytest.approx(_t_quantile(df), abs=2e-3), df
    assert surveys.interval([4, 5]) == pytest.approx(12.706 * stdev([4, 5]) / 2 ** 0.5)  # two answers: df 1
    values = [1, 5] * 15 + [3]  # 31 answers: df 30, t 2.042; one more and the normal 1.96
    assert surveys.interval(values) == pytest.approx(2.042 * stdev(values) / 31 ** 0.5)
    assert surveys.interval(values + [3]) == pytest.approx(1.96 * stdev(values + [3]) / 32 ** 0.5)


def test_a_community_without_slips_is_listed_with_none_issued(db):
    leader = actor_for(db, "leader")
    survey_id = surveys.create(db, leader, {"title": "两个社区", "opens_on": clock.today(), "closes_on": clock.today(),
                                            "community_ids": [1, 2], "questions": [{"kind": "scale", "text": "满意吗"}]})
    surveys.issue_codes(db, actor_for(db, "coordinator"), survey_id, 1, 3)
    rows = {r["community_id"]: r for r in surveys.results(db, leader, survey_id)}
    assert (rows[1]["issued"], rows[2]["issued"], rows[2]["responses"], rows[2]["response_rate"]) == (3, 0, 0, None)


def test_the_edges_of_an_answer_and_of_the_results(survey):
    db, survey_id, codes, (scale, choice, text), coord = survey
    s = surveys.survey(db, survey_id)
    assert [q["choices"] for q in s["questions"]] == [[], ["助餐", "维修"], []]  # kept as given
    closes = date.fromisoformat(s["closes_on"])
    with clock.frozen(clock.now().replace(year=closes.year, month=closes.month, day=closes.day, hour=23, minute=50)):
        surveys.answer(db, replace(PUBLIC, source="10.7.0.1"), codes[0],  # the last day, late: still open
                       {"phone": "13912300001", "answers": {scale: 1, choice: 1, text: "晚上才有空"}})
    for n in range(1, 5):
        surveys.answer(db, replace(PUBLIC, source="10.7.0.2"), codes[n], {"phone": f"1391230000{n + 1}",
                                                                          "answers": {scale: 5, choice: 0}})
    [row] = surveys.results(db, coord, survey_id)
    assert (row["responses"], row["few"]) == (5, False)  # five answers are enough to read
    by_response = surveys.raw(db, actor_for(db, "admin"), survey_id)
    assert by_response[0] | {"answered_at": None} == {"response": by_response[0]["response"], "answered_at": None,
                                                      "community": "秋浦社区", "总体满意度": 1, "最想要": "维修",
                                                      "建议": "晚上才有空"}
    # the demo's survey: a choice among four, the last one
    demo = surveys.survey(db, 1)
    [code] = surveys.issue_codes(db, coord, 1, coord.community_id, 1)
    answers = {q["id"]: (len(q["choices"]) - 1 if q["kind"] == "choice" else 3) for q in demo["questions"] if q["kind"] != "text"}
    surveys.answer(db, replace(PUBLIC, source="10.7.0.3"), code, {"phone": "13912309999", "answers": answers})
