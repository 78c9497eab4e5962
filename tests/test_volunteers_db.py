"""Volunteer registration, the ledger rules, stars, certificates — against a real SQLite file."""

import re
from datetime import date, timedelta

import bcrypt
import pytest

from components.pdf import certificate_pdf
from tests.conftest import stored_bytes
from tests.viewers import poppler_pages, poppler_text
from db import clock
from db.certificates import issue_certificate
from db.errors import Conflict, InputError, PermissionDenied
from db.identity import id_problem, make_id, mask_phone
from db.ledger import (approve, approved_minutes, four_eyes_minutes, list_records, record_hours, reject, reverse,
                       set_four_eyes_minutes)
from db.models import Actor
from db.users import actor_for
from db.volunteers import (approve_signup, get_volunteer, next_star, register, reject_signup, search,
                           set_star_thresholds, sign_up, star_level, star_thresholds)

pytestmark = pytest.mark.both_engines

ADMIN = Actor("admin", "admin", user_id=1)
YESTERDAY = clock.today() - timedelta(days=1)


def community(db, name):
    return next(db.query("SELECT id FROM communities WHERE name = ?", [name]))["id"]


def coordinator(db, name="秋浦社区"):
    return Actor("coordinator", "coordinator", community_id=community(db, name), user_id=3)


def person(db, n=1, name="秋浦社区", **extra):
    born = date(1980, 1, n % 28 + 1)
    return {"real_name": f"测试{n}", "gender": "F", "birth_date": born,
            "id_number": make_id("341702", born, n, "F"), "phone": f"1380000{n:04d}",
            "community_id": community(db, name), "skills": ["elderly"], "consent": True, **extra}


def activity(volunteer_ids, **extra):
    return {"volunteer_ids": volunteer_ids, "activity": "陪伴独居老人", "service_date": YESTERDAY,
            "start_time": "09:00", "end_time": "12:00", "category": "elderly", **extra}


# --- ID numbers ---------------------------------------------------------------------------------

@pytest.mark.parametrize("number, problem", [
    ("11010519491231002X", None),            # the standard's own example, check digit X
    ("11010519491231002x", None),            # lower-case x is accepted
    ("110105194912310021", "err.id_check_digit"),
    ("110105194902300028", "err.id_birth_impossible"),   # 30 February
    ("110105299901010028", "err.id_birth_impossible"),   # born in the future
    ("11010519491231002", "err.id_format"),
    ("1101051949123100XX", "err.id_format"),
])
def test_id_number_validation(number, problem):
    assert id_problem(number) == problem


def test_id_number_must_agree_with_birth_date_and_gender():
    assert id_problem("11010519491231002X", date(1949, 12, 31), "F") is None
    assert id_problem("11010519491231002X", date(1949, 12, 30), "F") == "err.id_birth_mismatch"
    assert id_problem("11010519491231002X", date(1949, 12, 31), "M") == "err.id_gender_mismatch"


def test_phone_is_masked():
    assert mask_phone("13812341234") == "138****1234"


# --- registration -------------------------------------------------------------------------------

def test_sign_up_needs_consent_and_lands_pending(db):
    count = db["volunteers"].count
    with pytest.raises(InputError) as exc:
        sign_up(db, person(db, consent=False))
    assert exc.value.problems == [("consent", "err.consent_required", {})]
    assert db["volunteers"].count == count
    vid = sign_up(db, person(db))
    row = db["volunteers"].get(vid)
    assert (row["status"], row["number"]) == ("pending", None)


def test_bad_id_or_phone_writes_nothing(db):
    count, audits = db["volunteers"].count, db["audit_log"].count
    bad = person(db)
    bad["id_number"] = bad["id_number"][:-1] + ("0" if bad["id_number"][-1] != "0" else "1")
    with pytest.raises(InputError) as exc:
        sign_up(db, bad)
    assert exc.value.problems[0][1] == "err.id_check_digit"
    with pytest.raises(InputError) as exc:
        sign_up(db, person(db, phone="12345"))
    assert exc.value.problems[0][1] == "err.phone_format"
    assert (db["volunteers"].count, db["audit_log"].count) == (count, audits)


def test_duplicate_id_or_phone_names_existing_volunteer_to_coordinators_only(db):
    c = coordinator(db)
    vid = register(db, c, person(db, 1))
    number = db["volunteers"].get(vid)["number"]
    with pytest.raises(Conflict) as exc:
        register(db, c, person(db, 1, phone="13900009999"))
    assert exc.value.key == "err.duplicate_volunteer_id" and exc.value.params["number"] == number
    assert "*" in exc.value.params["masked"]
    with pytest.raises(Conflict) as exc:
        register(db, c, {**person(db, 2), "phone": person(db, 1)["phone"]})
    assert exc.value.key == "err.duplicate_volunteer_phone" and exc.value.params["phone"] == "138****0001"
    # A stranger on the public sign-up form learns only that the number is taken, not by whom.
    for data in (person(db, 1, phone="13900009999"), {**person(db, 2), "phone": person(db, 1)["phone"]}):
        with pytest.raises(Conflict) as exc:
            sign_up(db, data)
        assert (exc.value.key, exc.value.params) == ("err.duplicate_signup", {})


def test_raw_database_file_holds_no_plain_id_number(db, tmp_path):
    data = person(db, 7)
    register(db, ADMIN, data)
    raw = stored_bytes(db)
    assert data["id_number"].encode() not in raw
    assert b"11010519491231002X" not in raw


def test_approval_assigns_number_and_one_time_login(db):
    vid = sign_up(db, person(db))
    result = approve_signup(db, coordinator(db), vid, create_login=True)
    row = db["volunteers"].get(vid)
    assert row["status"] == "active" and row["number"] == result["number"] == f"CZ{vid:07d}"
    user = next(db.query("SELECT * FROM users WHERE username = ?", [result["username"]]))
    assert bcrypt.checkpw(result["password"].encode(), user["password_hash"].encode())
    assert actor_for(db, result["username"]).role == "volunteer"
    with pytest.raises(Conflict):
        approve_signup(db, coordinator(db), vid)


def test_coordinator_cannot_handle_another_communitys_sign_ups(db):
    vid = sign_up(db, person(db, name="尧渡社区"))
    with pytest.raises(PermissionDenied):
        approve_signup(db, coordinator(db), vid)
    with pytest.raises(PermissionDenied):
        reject_signup(db, coordinator(db), vid, "不符合条件")
    with pytest.raises(PermissionDenied):
        register(db, coordinator(db), person(db, 3, name="尧渡社区"))
    reject_signup(db, coordinator(db, "尧渡社区"), vid, "不符合条件")
    assert db["volunteers"].get(vid)["status"] == "rejected"


def test_roster_is_scoped_and_masked(db):
    rows, total = search(db, coordinator(db))
    assert total > 0 and {r["community"] for r in rows} == {"秋浦社区"}
    assert all("****" in r["phone"] for r in rows)
    with pytest.raises(PermissionDenied):
        search(db, coordinator(db), community_id=community(db, "尧渡社区"))
    with pytest.raises(PermissionDenied):
        search(db, Actor("leader", "leader"))
    by_name, n = search(db, coordinator(db), text="陈晓雨")
    assert n == 1 and by_name[0]["real_name"] == "陈晓雨"
    by_number, n = search(db, ADMIN, text=by_name[0]["number"].lower())
    assert n == 1 and by_number[0]["id"] == by_name[0]["id"]
    by_phone, n = search(db, ADMIN, text="0566")
    assert all("0566" in db["volunteers"].get(r["id"])["phone"] for r in by_phone)


# --- the ledger ---------------------------------------------------------------------------------

@pytest.fixture
def two(db):
    """Two fresh active volunteers of 秋浦社区."""
    c = coordinator(db)
    return c, register(db, c, person(db, 11)), register(db, c, person(db, 12))


def test_group_record_then_bulk_approve(db, two):
    c, a, b = two
    ids = record_hours(db, c, activity([a, b]))
    assert [db["service_records"].get(i)["minutes"] for i in ids] == [180, 180]
    assert approve(db, actor_for(db, "admin"), ids) == 2
    assert approved_minutes(db, a) == db["volunteers"].get(a)["approved_minutes"] == 180


@pytest.mark.parametrize("change, key", [
    ({"service_date": clock.today() + timedelta(days=1)}, "err.future_date"),
    ({"start_time": "12:00", "end_time": "09:00"}, "err.end_before_start"),
    ({"start_time": None, "end_time": None, "minutes": None}, "err.minutes_required"),
    ({"activity": " "}, "err.required"),
])
def test_ledger_input_refusals(db, two, change, key):
    c, a, _ = two
    count = db["service_records"].count
    with pytest.raises(InputError) as exc:
        record_hours(db, c, activity([a], **change))
    assert key in [k for _, k, _ in exc.value.problems]
    assert db["service_records"].count == count


def test_more_than_24_hours_a_day_refused(db, two):
    c, a, _ = two
    record_hours(db, c, activity([a], start_time="00:00", end_time="20:30"))
    with pytest.raises(Conflict) as exc:
        record_hours(db, c, activity([a], activity="夜间巡逻", start_time=None, end_time=None, minutes=240))
    assert exc.value.key == "err.over_24h" and exc.value.params["hours"] == 20.5
    record_hours(db, c, activity([a], activity="夜间巡逻", start_time=None, end_time=None, minutes=210))  # 24 h exactly


def test_exact_duplicate_refused_and_group_is_all_or_nothing(db, two):
    c, a, b = two
    record_hours(db, c, activity([a]))
    count = db["service_records"].count
    with pytest.raises(Conflict) as exc:
        record_hours(db, c, activity([b, a]))  # b would be fine; a is a duplicate
    assert exc.value.key == "err.duplicate_record" and exc.value.params["name"] == "测试11"
    assert db["service_records"].count == count


def test_inactive_volunteer_refused(db):
    vid = sign_up(db, person(db, 21))
    with pytest.raises(Conflict) as exc:
        record_hours(db, coordinator(db), activity([vid]))
    assert exc.value.key == "err.volunteer_not_active"


def test_coordinator_cannot_record_or_approve_elsewhere(db, two):
    c, a, _ = two
    other = coordinator(db, "尧渡社区")
    with pytest.raises(PermissionDenied):
        record_hours(db, other, activity([a]))
    ids = record_hours(db, c, activity([a]))
    with pytest.raises(PermissionDenied):
        approve(db, other, ids)
    with pytest.raises(PermissionDenied):
        reject(db, other, ids, "不对")
    with pytest.raises(PermissionDenied):
        record_hours(db, Actor("leader", "leader"), activity([a]))


def test_only_pending_records_are_approved_and_approval_names_who(db, two):
    c, a, b = two
    ids = record_hours(db, c, activity([a, b]))
    assert [db["service_records"].get(i)["approved_by"] for i in ids] == [None, None]
    approve(db, actor_for(db, "admin"), ids[:1])
    with pytest.raises(Conflict) as exc:
        approve(db, actor_for(db, "admin"), ids)  # the first is approved already: nothing of the batch is approved twice
    assert (exc.value.key, exc.value.params) == ("err.record_not_pending", {"id": ids[0]})
    assert db["service_records"].get(ids[1])["status"] == "pending"
    assert db["service_records"].get(ids[0])["approved_by"] == "admin"
    assert approved_minutes(db, a) == 180 and approved_minutes(db, b) == 0


def test_records_are_read_page_by_page_within_the_readers_scope(db, two):
    c, a, _ = two
    for n in range(5):
        record_hours(db, c, activity([a], service_date=YESTERDAY - timedelta(days=n)))
    everything, total = list_records(db, c, volunteer_id=a, page_size=100)
    assert total == 5 and [r["service_date"] for r in everything] == sorted((r["service_date"] for r in everything), reverse=True)
    pages = [list_records(db, c, volunteer_id=a, page=p, page_size=2)[0] for p in range(3)]
    assert [[r["id"] for r in page] for page in pages] == [[r["id"] for r in everything[i:i + 2]] for i in (0, 2, 4)]
    # another community's coordinator reads none of them; the city's admin reads them all
    assert list_records(db, coordinator(db, "尧渡社区"), volunteer_id=a) == ([], 0)
    assert list_records(db, Actor("admin", "admin", user_id=1), volunteer_id=a, page_size=100)[1] == 5


def test_reject_needs_reason_and_only_pending(db, two):
    c, a, _ = two
    ids = record_hours(db, c, activity([a]))
    with pytest.raises(InputError):
        reject(db, c, ids, "  ")
    reject(db, c, ids, "签到表上没有")
    with pytest.raises(Conflict):
        approve(db, c, ids)


def test_approved_records_are_final_and_reversal_keeps_totals(db, two):
    c, a, _ = two
    [first] = record_hours(db, c, activity([a]))
    [second] = record_hours(db, c, activity([a], activity="代配药品", category="medicine",
                                             start_time="14:00", end_time="15:30"))
    approve(db, actor_for(db, "admin"), [first, second])
    with pytest.raises(Exception, match="never edited"):
        db.execute("UPDATE service_records SET minutes = 1 WHERE id = ?", [first])
    with pytest.raises(Exception, match="never deleted"):
        db.execute("DELETE FROM service_records WHERE id = ?", [first])
    correction = reverse(db, c, first, "时长登记错误")
    assert db["service_records"].get(correction)["minutes"] == -180
    assert db["service_records"].get(first)["status"] == "approved"  # the original stays
    assert approved_minutes(db, a) == db["volunteers"].get(a)["approved_minutes"] == 90
    with pytest.raises(Conflict):
        reverse(db, c, first, "再来一次")
    with pytest.raises(Conflict):
        reverse(db, c, correction, "冲正的冲正")
    # The same activity may be entered again correctly once the wrong one was reversed.
    record_hours(db, c, activity([a]))


def test_volunteer_reports_own_hours_and_sees_only_own(db):
    me = actor_for(db, "volunteer")
    own = next(db.query("SELECT id FROM volunteers WHERE user_id = ?", [me.user_id]))["id"]
    other = next(db.query("SELECT id FROM volunteers WHERE status='active' AND id != ? LIMIT 1", [own]))["id"]
    [rid] = record_hours(db, me, activity([own], service_date=clock.today()))
    assert db["service_records"].get(rid)["status"] == "pending"
    assert db["service_records"].get(rid)["source"] == "self"
    with pytest.raises(PermissionDenied):
        record_hours(db, me, activity([other]))
    rows, total = list_records(db, me, page_size=10_000)
    assert total > 0 and {r["volunteer_id"] for r in rows} == {own}
    with pytest.raises(PermissionDenied):
        get_volunteer(db, me, other)
    with pytest.raises(PermissionDenied):
        approve(db, me, [rid])


def test_approved_minutes_column_matches_the_ledger(db):
    mismatches = list(db.query(
        "SELECT v.id FROM volunteers v WHERE v.approved_minutes != (SELECT COALESCE(SUM(minutes), 0)"
        " FROM service_records r WHERE r.volunteer_id = v.id AND r.status = 'approved')"))
    assert mismatches == []


# --- stars and certificates ---------------------------------------------------------------------

def test_star_levels_default_and_configurable(db):
    assert star_thresholds(db) == [100, 300, 600, 1000, 1500]
    assert [star_level(h, [100, 300, 600, 1000, 1500]) for h in (0, 99.9, 100, 650, 1500)] == [0, 0, 1, 3, 5]
    assert next_star(150, [100, 300]) == (300, 0.25)
    assert next_star(300, [100, 300]) is None
    with pytest.raises(PermissionDenied):
        set_star_thresholds(db, coordinator(db), [10, 20])
    with pytest.raises(InputError) as exc:
        set_star_thresholds(db, ADMIN, [100, 50])
    assert exc.value.problems[0][1] == "err.thresholds_increasing"
    set_star_thresholds(db, ADMIN, [50, 150, 400])
    assert star_thresholds(db) == [50, 150, 400]


def test_certificate_records_and_renders_hours(db, two):
    c, a, b = two
    approve(db, actor_for(db, "admin"), record_hours(db, c, activity([a])))
    period = {"period_from": YESTERDAY - timedelta(days=30), "period_to": clock.today()}
    cert = issue_certificate(db, c, a, period)
    assert cert["total_minutes"] == 180 and cert["number"].startswith("ZYFW-")
    assert db["certificates"].count == 1
    pdf = certificate_pdf(cert, {"elderly": "助老"})
    text = re.sub(r"\s", "", poppler_text(pdf, layout=False))  # lines wrap anywhere
    assert poppler_pages(pdf) == 1
    assert "志愿服务记录证明" in text and "累计志愿服务时长3.0小时" in text and cert["number"] in text
    assert "测试11" in text and "34**************" in text and "341702" not in text
    with pytest.raises(PermissionDenied):
        issue_certificate(db, actor_for(db, "volunteer"), a, period)
    with pytest.raises(InputError):
        issue_certificate(db, c, a, {"period_from": clock.today(), "period_to": YESTERDAY})


def test_insert_or_replace_cannot_rewrite_an_approved_record(db, two):
    import sqlite3

    import psycopg

    from db.store import is_postgres

    c, a, _ = two
    [rid] = record_hours(db, c, activity([a]))
    approve(db, actor_for(db, "admin"), [rid])
    row = db["service_records"].get(rid)
    replace, refusal = "INSERT OR REPLACE", (sqlite3.IntegrityError, "never deleted")
    if is_postgres(db):  # its way to write over a row in one statement is an upsert: the update is refused
        replace, refusal = "INSERT", (psycopg.errors.RestrictViolation, "never edited")
    with pytest.raises(refusal[0], match=refusal[1]):
        db.execute(f"{replace} INTO service_records (id, volunteer_id, community_id, activity, service_date,"
                   " minutes, category, status, source, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, 1440, ?,"
                   " 'approved', 'manual', 'x', 'x')" + (" ON CONFLICT (id) DO UPDATE SET minutes = excluded.minutes"
                                                        if is_postgres(db) else ""),
                   [rid, row["volunteer_id"], row["community_id"], row["activity"], row["service_date"], row["category"]])
    assert db["service_records"].get(rid)["minutes"] == row["minutes"]


def test_public_sign_ups_are_rate_limited_per_address(db):
    from dataclasses import replace

    from db.models import PUBLIC

    stranger = replace(PUBLIC, source="203.0.113.7")
    for n in range(5):
        sign_up(db, person(db, 40 + n), stranger)
    with pytest.raises(Conflict) as exc:
        sign_up(db, person(db, 46), stranger)
    assert exc.value.key == "err.rate_limited"
    sign_up(db, person(db, 47), replace(PUBLIC, source="198.51.100.2"))  # someone else is not held up


# --- four eyes on typed hours -------------------------------------------------------------------

def test_typed_hours_are_approved_by_a_second_person(db, two):
    c, a, _ = two
    [rid] = record_hours(db, c, activity([a]))  # 3 hours typed by the coordinator
    before = db.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0]
    with pytest.raises(PermissionDenied) as refused:
        approve(db, c, [rid])
    assert (refused.value.key, refused.value.params["hours"]) == ("err.four_eyes", 3.0)
    assert db["service_records"].get(rid)["status"] == "pending"
    assert db.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0] == before
    reject(db, c, record_hours(db, c, activity([a], activity="录错了")), "撤回")  # withdrawing one's own entry is fine
    admin = actor_for(db, "admin")
    approve(db, admin, [rid])
    assert db["service_records"].get(rid)["approved_by"] == "admin"


def test_a_volunteers_self_report_is_approved_by_the_coordinator_not_by_themselves(db):
    me = actor_for(db, "volunteer")
    [rid] = record_hours(db, me, activity([me.volunteer_id], service_date=clock.today()))
    own_coordinator = Actor("chen", "coordinator", community_id=me.community_id, user_id=77, volunteer_id=me.volunteer_id)
    with pytest.raises(PermissionDenied) as refused:
        approve(db, own_coordinator, [rid])  # a coordinator who is also this volunteer
    assert refused.value.key == "err.own_hours_approval"
    approve(db, coordinator(db), [rid])


@pytest.mark.parametrize("minutes, allowed", [(60, True), (61, False)])
def test_an_admin_may_let_a_recorder_approve_small_entries_up_to_a_limit(db, two, minutes, allowed):
    c, a, _ = two
    set_four_eyes_minutes(db, actor_for(db, "admin"), 60)
    with pytest.raises(PermissionDenied):
        set_four_eyes_minutes(db, c, 600)
    assert four_eyes_minutes(db) == 60
    [rid] = record_hours(db, c, activity([a], start_time=None, end_time=None, minutes=minutes))
    if allowed:
        approve(db, c, [rid])
    else:
        with pytest.raises(PermissionDenied, match="err.four_eyes"):
            approve(db, c, [rid])
