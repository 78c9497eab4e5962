"""Security tests generated from the permission table (db.permissions.RULES): every role, inside
and outside the target's community (or owning the target and not), tries every db function that
reads personal data or writes, and the outcome must be the table's. A refused call changes
nothing and leaves no audit row (a read may also be refused by showing nothing of the target);
an allowed write leaves audit rows in the actor's name.

The world is 秋浦社区's: its volunteer 陈晓雨 (the demo volunteer login) owns the records, claims
and needs the probes touch. "Inside" actors are 秋浦社区's coordinator and 陈晓雨; "outside" ones
are 尧渡社区's coordinator and one of its volunteers."""

from datetime import date, datetime, timedelta

import pytest

from db import activities, attendance, audit, calendar_days, clock, communities, daycare, exchange, ledger
from db import notifications, outlet_transfer, outlets, timebank
from db import transfer, users, volunteers
from db.assessment import corrections, ratings, scorecard, surveys
from db.certificates import issue_certificate, revoke
from db.dashboard import Scope, check_scope
from db.errors import LinliError, PermissionDenied
from db.identity import make_id
from db.models import PUBLIC, Actor
from db.permissions import CITY, CITY_VIEW, COMMUNITY, OWN, RULES, community_filter, require, roles_for
from db.users import actor_for
from tests.snapshots import Snapshot
from db.volunteers import star_thresholds

pytestmark = pytest.mark.both_engines


def _id(db, sql, args=()):
    return next(db.query(sql, args))["id"]


@pytest.fixture
def world(db):
    a = _id(db, "SELECT id FROM communities WHERE name = '秋浦社区'")
    b = _id(db, "SELECT id FROM communities WHERE name = '尧渡社区'")
    me = actor_for(db, "volunteer")
    vid = me.volunteer_id
    coord_a = actor_for(db, "coordinator")
    other = _id(db, "SELECT id FROM volunteers WHERE community_id = ? AND status = 'active' AND id != ? LIMIT 1", [a, vid])
    yaodu_vid = _id(db, "SELECT id FROM volunteers WHERE community_id = ? AND status = 'active' LIMIT 1", [b])
    yesterday = clock.today() - timedelta(days=1)
    hours = {"activity": "x", "minutes": 60, "service_date": yesterday, "category": "safety"}
    [pending] = ledger.record_hours(db, me, {"volunteer_ids": [vid], **hours})  # self-reported
    [approved] = ledger.record_hours(db, coord_a, {"volunteer_ids": [vid], **hours, "activity": "y"})
    ledger.approve(db, actor_for(db, "admin"), [approved])
    need = {"title": "need", "category": "medicine", "community_id": a, "expires_at": clock.now() + timedelta(days=2),
            "requester_name": "王奶奶", "requester_phone": "13900006666", "address": "秋浦路3号"}
    open_need = exchange.post_need(db, coord_a, need)
    pending_need = exchange.post_need(db, PUBLIC, {**need, "requester_phone": "13900007777"})
    claimed = exchange.post_need(db, coord_a, need)
    exchange.claim(db, coord_a, claimed, vid)
    mine = exchange.post_need(db, me, need)
    redeemed = exchange.post_need(db, coord_a, need)
    db.execute("UPDATE service_requests SET status = 'done', claimed_by = ?, redeemer_id = ?, actual_minutes = 60,"
               " est_minutes = 60, done_at = ? WHERE id = ?", [other, vid, clock.stamp(), redeemed])
    family = timebank.add_family_member(db, me, {"name": "陈母", "relation": "parent", "phone": "13900008888",
                                                 "address": "秋浦路1号"})
    born = date(1990, 5, 5)
    signup = volunteers.sign_up(db, {"real_name": "新人", "gender": "F", "birth_date": born,
                                             "id_number": make_id("341702", born, 77, "F"), "phone": "13912340077",
                                             "community_id": a, "consent": True})
    outlet = _id(db, "SELECT id FROM outlets WHERE community_id = ? LIMIT 1", [a])
    centre = next(c for c in daycare.centres(db) if c["community_id"] == a)
    programme = daycare.programmes(db, centre["id"])[0]
    member = daycare.members(db, coord_a, centre["id"])[0]["id"]
    # A day the programme has bookings on (today is not one on a weekday it does not run)
    [session] = db.execute("SELECT session_date FROM daycare_bookings WHERE programme_id = ? AND status != 'cancelled'"
                           " ORDER BY abs(julianday(session_date) - julianday(?)) LIMIT 1",
                           [programme["id"], clock.today().isoformat()]).fetchone()
    cert = issue_certificate(db, coord_a, vid, {"period_from": date(2020, 1, 1), "period_to": clock.today()})["id"]
    # An activity a week ahead: 陈晓雨 signed up for its first shift; `other` for the second, already
    # signed in and out (as if scanned), waiting for the organiser's approval.
    day = clock.today() + timedelta(days=7)
    [act] = activities.publish(db, coord_a, _activity(a, day))
    first, second = (s["id"] for s in activities.activity(db, act)["shifts"])
    my_signup = activities.sign_up(db, me, first)["id"]
    activities.sign_up(db, coord_a, second, other)
    db.execute("UPDATE activity_signups SET signed_in_at = ?, in_source = 'qr', signed_out_at = ?, out_source = 'qr'"
               " WHERE volunteer_id = ?", [f"{day}T10:58:00+08:00", f"{day}T12:00:00+08:00", other])
    # A need 陈晓雨 posted (with the resident's phone), done by `other` and confirmed: to rate. Another,
    # rated by the coordinator already: to share. A resident's report on the outlet, and slip codes.
    rated_need, shared_need = exchange.post_need(db, me, need), exchange.post_need(db, coord_a, need)
    db.execute("UPDATE service_requests SET status = 'confirmed', claimed_by = ?, confirmed_at = ? WHERE id IN (?, ?)",
               [other, clock.stamp(), rated_need, shared_need])
    rating = ratings.rate(db, coord_a, shared_need, {"stars": 4, "comment": "好"})
    correction = corrections.report(db, PUBLIC, outlet, {"kind": "phone", "detail": "空号"})
    [code] = surveys.issue_codes(db, coord_a, 1, a, 1)
    questions = surveys.survey(db, 1)["questions"]
    answers = {q["id"]: 4 if q["kind"] == "scale" else 0 for q in questions if q["kind"] != "text"}
    db.conn.commit()
    actors = {
        ("public", True): PUBLIC, ("public", False): PUBLIC,
        ("volunteer", True): me,
        ("volunteer", False): Actor("anna", "volunteer", community_id=b, user_id=9999, volunteer_id=yaodu_vid),
        ("coordinator", True): coord_a, ("coordinator", False): actor_for(db, "coordinator2"),
        ("leader", True): actor_for(db, "leader"), ("leader", False): actor_for(db, "leader"),
        ("admin", True): actor_for(db, "admin"), ("admin", False): actor_for(db, "admin"),
    }
    return {"db": db, "a": a, "vid": vid, "other": other, "pending": pending, "approved": approved,
            "open_need": open_need, "pending_need": pending_need, "claimed": claimed, "mine": mine,
            "redeemed": redeemed, "family": family, "signup": signup, "outlet": outlet, "centre": centre,
            "programme": programme, "session": date.fromisoformat(session), "member": member, "actors": actors, "need": need, "cert": cert,
            "activity": act, "day": day, "first_shift": first, "second_shift": second, "my_signup": my_signup,
            "rated_need": rated_need, "rating": rating, "correction": correction, "code": code, "answers": answers}


def _activity(community_id, day):
    from datetime import time

    return {"community_id": community_id, "title": "探访", "category": "elderly", "place": "敬老院", "day": day,
            "starts": time(9, 0), "ends": time(12, 0),
            "shifts": [{"name": "陪伴", "starts": time(9, 0), "ends": time(11, 0), "slots": 3},
                       {"name": "清洁", "starts": time(11, 0), "ends": time(12, 0), "slots": 3}]}


def _at(w, hour, minute=0):
    return clock.frozen(datetime.combine(w["day"], datetime.min.time()).replace(hour=hour, minute=minute))


def _scan_in(w, a):
    with _at(w, 8, 50):
        return attendance.sign_in(w["db"], a, attendance.token(w["activity"]), clock.now())


def _tick_in(w, a):
    with _at(w, 9, 10):
        return attendance.tick(w["db"], a, w["my_signup"], "in")


def _approve(w, a):
    with _at(w, 13):
        return attendance.approve_activity(w["db"], a, w["activity"])


def _outlet(w):
    return {"name": "新药房", "category": "pharmacy", "community_id": w["a"], "address": "x", "lat": 30.66,
            "lon": 117.49, "opening_hours": "24/7"}


def _community(w):
    c = communities.get_community(w["db"], w["a"])
    return {k: c[k] for k in ("name", "district", "kind", "households", "population", "lat", "lon")}


# (action, what the target is, write?, call). The target: "one" thing of 秋浦社区 (and of 陈晓雨
# where it has an owner), a "list" of 秋浦社区's rows, the actor's "self", or the "city" as a whole.
TODAY = clock.today
PROBES = {
    "users.list": ("users.manage", "one", False, lambda w, a: users.list_users(w["db"], a)),
    "users.create": ("users.manage", "one", True, lambda w, a: users.create_user(w["db"], a, {
        "username": "newbie", "display_name": "新人", "role": "leader", "password": "a-long-enough-password"})),
    "audit.entries": ("audit.read", "one", False, lambda w, a: audit.entries(w["db"], a)),
    "calendar.add_range": ("calendar.edit", "one", True, lambda w, a: calendar_days.add_range(w["db"], a, {
        "start": date(2031, 10, 9), "end": date(2031, 10, 9), "kind": "holiday", "name": "测试"})),
    "communities.update": ("communities.edit", "one", True,
                           lambda w, a: communities.update_community(w["db"], a, w["a"], {**_community(w), "population": 1})),
    "settings.stars": ("settings.edit", "one", True,
                       lambda w, a: volunteers.set_star_thresholds(w["db"], a, [h + 1 for h in star_thresholds(w["db"])])),
    "volunteers.register": ("volunteers.manage", "one", True, lambda w, a: volunteers.register(w["db"], a, {
        "real_name": "登记", "gender": "F", "birth_date": date(1990, 1, 1), "id_number": make_id("341702", date(1990, 1, 1), 5, "F"),
        "phone": "13912345671", "community_id": w["a"]})),
    "volunteers.approve_signup": ("volunteers.manage", "one", True,
                                  lambda w, a: volunteers.approve_signup(w["db"], a, w["signup"])),
    "volunteers.reject_signup": ("volunteers.manage", "one", True,
                                 lambda w, a: volunteers.reject_signup(w["db"], a, w["signup"], "不符合")),
    "volunteers.set_active": ("volunteers.manage", "one", True, lambda w, a: volunteers.set_active(w["db"], a, w["vid"], False)),
    "volunteers.get": ("volunteers.read", "one", False, lambda w, a: volunteers.get_volunteer(w["db"], a, w["vid"])),
    "volunteers.search": ("volunteers.read", "list", False, lambda w, a: volunteers.search(w["db"], a, community_id=w["a"])),
    "transfer.export_volunteers": ("volunteers.import", "list", False,
                                   lambda w, a: transfer.export_volunteers(w["db"], a, w["a"])),
    "transfer.export_records": ("volunteers.import", "list", False,
                                lambda w, a: transfer.export_records(w["db"], a, ("2020-01-01", "2030-01-01"), w["a"])),
    "hours.record": ("hours.record", "one", True, lambda w, a: ledger.record_hours(w["db"], a, {
        "volunteer_ids": [w["vid"]], "activity": "z", "minutes": 30, "service_date": TODAY(), "category": "safety"})),
    "hours.active_volunteers": ("hours.record", "list", False,
                                lambda w, a: volunteers.active_volunteers(w["db"], a, w["a"])),
    "hours.approve": ("hours.approve", "one", True, lambda w, a: ledger.approve(w["db"], a, [w["pending"]])),
    "hours.reject": ("hours.approve", "one", True, lambda w, a: ledger.reject(w["db"], a, [w["pending"]], "不对")),
    "hours.reverse": ("hours.approve", "one", True, lambda w, a: ledger.reverse(w["db"], a, w["approved"], "记错")),
    "hours.daycare_helpers": ("daycare.manage", "one", True, lambda w, a: daycare.record_helpers(
        w["db"], a, w["programme"]["id"], TODAY(), [w["vid"]])),
    "certificates.issue": ("certificates.issue", "one", True, lambda w, a: issue_certificate(w["db"], a, w["vid"], {
        "period_from": date(2020, 1, 1), "period_to": TODAY()})),
    "certificates.revoke": ("certificates.revoke", "one", True, lambda w, a: revoke(w["db"], a, w["cert"], "出具有误")),
    "timebank.statement": ("timebank.read", "one", False, lambda w, a: timebank.statement(w["db"], a, w["vid"])),
    "needs.post": ("needs.post", "one", True, lambda w, a: exchange.post_need(w["db"], a, w["need"])),
    "needs.moderate": ("needs.moderate", "one", True, lambda w, a: exchange.moderate(w["db"], a, w["pending_need"], True)),
    "needs.pending_seen": ("needs.moderate", "one", False, lambda w, a: [
        r for r in exchange.board(w["db"], a, status="pending") if r["id"] == w["pending_need"]]),
    "needs.suggestions": ("needs.moderate", "one", False, lambda w, a: exchange.suggestions(w["db"], a, w["open_need"])),
    "needs.claim": ("needs.claim", "one", True, lambda w, a: exchange.claim(w["db"], a, w["open_need"], w["other"])),
    "needs.release": ("needs.progress", "one", True, lambda w, a: exchange.release(w["db"], a, w["claimed"], "没空")),
    "needs.mark_done": ("needs.progress", "one", True, lambda w, a: exchange.mark_done(w["db"], a, w["claimed"], 45)),
    "needs.confirm": ("needs.confirm", "one", True, lambda w, a: exchange.confirm(w["db"], a, w["redeemed"])),
    "needs.cancel": ("needs.cancel", "one", True, lambda w, a: exchange.cancel(w["db"], a, w["mine"], "不需要了")),
    "needs.for_family": ("needs.for_family", "one", True,
                         lambda w, a: exchange.post_need(w["db"], a, w["need"], family_member_id=w["family"])),
    "volunteers.sign_up": ("volunteers.sign_up", "one", True, lambda w, a: volunteers.sign_up(w["db"], {
        "real_name": "报名", "gender": "M", "birth_date": date(1991, 2, 2), "id_number": make_id("341702", date(1991, 2, 2), 9, "M"),
        "phone": "13912345679", "community_id": w["a"], "consent": True}, a)),
    "hours.list": ("hours.read", "one", False, lambda w, a: ledger.list_records(w["db"], a, volunteer_id=w["vid"])[0]),
    "needs.contacts": ("needs.contacts", "one", False, lambda w, a: [
        r["requester_phone"] for r in exchange.board(w["db"], a, status="claimed")
        if r["id"] == w["claimed"] and r["requester_phone"] == "13900006666"]),
    "exchange.my_claims": ("exchange.own", "self", False, lambda w, a: exchange.my_claims(w["db"], a)),
    "volunteers.family": ("volunteers.own", "self", False, lambda w, a: timebank.family(w["db"], a)),
    "outlets.create": ("outlets.manage", "one", True, lambda w, a: outlets.create_outlet(w["db"], a, _outlet(w))),
    "outlets.update": ("outlets.manage", "one", True,
                       lambda w, a: outlets.update_outlet(w["db"], a, w["outlet"], _outlet(w))),
    "outlets.set_status": ("outlets.manage", "one", True, lambda w, a: outlets.set_status(w["db"], a, w["outlet"], "closed")),
    "outlets.verify": ("outlets.manage", "one", True, lambda w, a: outlets.verify(w["db"], a, w["outlet"])),
    "outlets.import": ("outlets.manage", "one", True, lambda w, a: outlet_transfer.commit(w["db"], a, [
        {"row": 2, "data": {**_outlet(w), "phones": "", "services": "", "status": "open", "accessibility": "",
                            "last_verified": None, "source": ""}, "errors": []}])),
    "daycare.members": ("daycare.manage", "one", False, lambda w, a: daycare.members(w["db"], a, w["centre"]["id"])),
    "daycare.add_member": ("daycare.manage", "one", True, lambda w, a: daycare.add_member(w["db"], a, {
        "centre_id": w["centre"]["id"], "name": "新长者", "birth_year": 1940, "community_id": w["a"],
        "emergency_contact": "家属", "emergency_phone": "13800000000"})),
    "daycare.add_closure": ("daycare.manage", "one", True, lambda w, a: daycare.add_closure(w["db"], a, {
        "centre_id": w["centre"]["id"], "day": TODAY() + timedelta(days=30), "reason": "检修"})),
    "daycare.roster": ("daycare.manage", "one", False,
                       lambda w, a: daycare.roster(w["db"], a, w["programme"]["id"], w["session"])),
    "activities.publish": ("activities.manage", "one", True,
                           lambda w, a: activities.publish(w["db"], a, _activity(w["a"], w["day"]))),
    "activities.cancel": ("activities.manage", "one", True,
                          lambda w, a: activities.cancel_activity(w["db"], a, w["activity"], "下雨")),
    "activities.roster": ("activities.manage", "one", False, lambda w, a: activities.roster(w["db"], a, w["activity"])),
    "activities.tick": ("activities.manage", "one", True, _tick_in),
    "activities.approve": ("activities.manage", "one", True, _approve),
    "activities.sign_up": ("activities.join", "one", True,
                           lambda w, a: activities.sign_up(w["db"], a, w["second_shift"], w["vid"])),
    "activities.cancel_signup": ("activities.join", "one", True,
                                 lambda w, a: activities.cancel_signup(w["db"], a, w["my_signup"])),
    "activities.sign_in": ("activities.sign_in", "one", True, _scan_in),
    "activities.mine": ("volunteers.own", "self", False, lambda w, a: activities.mine(w["db"], a)),
    "notifications.inbox": ("volunteers.own", "self", False, lambda w, a: notifications.inbox(w["db"], a)),
    "notifications.mark_read": ("volunteers.own", "self", True, lambda w, a: notifications.mark_read(w["db"], a)),
    "ratings.rate": ("needs.rate", "one", True, lambda w, a: ratings.rate(
        w["db"], a, w["rated_need"], {"stars": 5}, phone="13900006666" if a.role == "public" else "")),
    "ratings.share": ("ratings.manage", "one", True, lambda w, a: ratings.share(w["db"], a, w["rating"], True)),
    "ratings.of_community": ("ratings.manage", "one", False, lambda w, a: ratings.of_community(w["db"], a, w["a"])),
    "ratings.of_volunteer": ("ratings.read", "one", False, lambda w, a: ratings.of_volunteer(w["db"], a, w["vid"])),
    "surveys.create": ("surveys.manage", "city", True, lambda w, a: surveys.create(w["db"], a, {
        "title": "调查", "opens_on": TODAY(), "closes_on": TODAY() + timedelta(days=9), "community_ids": [w["a"]],
        "questions": [{"kind": "scale", "text": "满意吗"}]})),
    "surveys.withdraw": ("surveys.manage", "city", True, lambda w, a: surveys.withdraw(w["db"], a, 1)),
    "surveys.codes": ("surveys.codes", "one", True, lambda w, a: surveys.issue_codes(w["db"], a, 1, w["a"], 2)),
    "surveys.unused_codes": ("surveys.codes", "one", False, lambda w, a: surveys.unused_codes(w["db"], a, 1, w["a"])),
    "surveys.answer": ("surveys.answer", "one", True, lambda w, a: surveys.answer(
        w["db"], a, w["code"], {"phone": "13977770000", "answers": w["answers"]})),
    "surveys.results": ("surveys.results", "one", False, lambda w, a: surveys.results(w["db"], a, 1, w["a"])),
    "surveys.raw": ("surveys.raw", "one", False, lambda w, a: surveys.raw(w["db"], a, 1)),
    "scorecard.read": ("scorecard.read", "city", False, lambda w, a: scorecard.scorecard(
        w["db"], a, TODAY() - timedelta(days=30), TODAY())),
    "outlets.report": ("outlets.report", "one", True, lambda w, a: corrections.report(w["db"], a, w["outlet"], {"kind": "closed"})),
    "outlets.corrections": ("outlets.manage", "one", False, lambda w, a: [
        c for c in corrections.queue(w["db"], a) if c["correction_id"] == w["correction"]]),
    "outlets.reject_correction": ("outlets.manage", "one", True,
                                  lambda w, a: corrections.reject(w["db"], a, w["correction"], "核实无误")),
    "outlets.accept_correction": ("outlets.manage", "one", True, lambda w, a: corrections.accept(
        w["db"], a, w["correction"], {**_outlet(w), "phones": "0566-2020202"})),
    "dashboard.community": ("dashboard.read", "one", False, lambda w, a: check_scope(a, Scope(
        TODAY() - timedelta(days=30), TODAY(), community_id=w["a"]))),
    "dashboard.city": ("dashboard.read", "city", False, lambda w, a: check_scope(a, Scope(TODAY() - timedelta(days=30), TODAY()))),
}


def expected(action: str, role: str, inside: bool, target: str) -> bool:
    """What the table says: may this role, inside or outside, do the action to the target?"""
    scope = RULES[action].get(role)
    if scope is None:
        return False
    if scope == CITY or target == "self" or (scope == CITY_VIEW and target == "city"):
        return True
    if scope == OWN and target == "list":
        return False  # lists of rows are for staff; a volunteer reads their own through their own functions
    return inside


def _counts(db):
    # A refused QR scan is written down on purpose (refused_sign_in: a forged code, a scan from another
    # community), the one audit row a refusal may leave; every other row counts.
    refusals = db.execute("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'refused_%'").fetchone()[0]
    tables = ("service_records", "volunteers", "service_requests", "outlets", "daycare_members", "users",
              "calendar_days", "certificates", "activities", "activity_signups", "need_ratings", "surveys",
              "survey_codes", "survey_responses", "outlet_corrections")
    return {"audit_log": db["audit_log"].count - refusals} | {t: db[t].count for t in tables}


@pytest.mark.parametrize("role", ["public", "volunteer", "coordinator", "leader", "admin"])
@pytest.mark.parametrize("inside", [True, False], ids=["inside", "outside"])
def test_every_probe_gets_what_the_table_says(world, role, inside):
    """One world per role and side; each probe runs on a fresh copy of it."""
    db, actor = world["db"], world["actors"][(role, inside)]
    snapshot = Snapshot(db)
    wrong = []
    for name, (action, target, writes, call) in PROBES.items():
        snapshot.restore()
        before = _counts(db)
        should = expected(action, role, inside, target)
        try:
            shown = call(world, actor)
            # A read that shows nothing of 秋浦社区's target is a refusal too (a filtered list).
            empty = not writes and target != "self" and shown is not None and len(shown) == 0
            outcome = "refused" if empty else "allowed"
        except PermissionDenied:
            outcome = "refused"
        except LinliError as exc:  # past the permission, stopped by a rule of the data: not a refusal
            outcome = f"allowed ({exc.key})"
        after = _counts(db)
        if outcome.startswith("allowed") != should:
            wrong.append(f"{name}: {outcome}, the table says {'allowed' if should else 'refused'}")
        elif outcome == "refused" and after != before:
            wrong.append(f"{name}: refused but changed {set(k for k in after if after[k] != before[k])}")
        elif writes and outcome == "allowed" and after["audit_log"] <= before["audit_log"]:
            wrong.append(f"{name}: wrote without an audit row")
        elif writes and outcome == "allowed" and list(db.query(
                "SELECT 1 FROM audit_log WHERE id > ? AND actor != ?", [before["audit_log"], actor.username])):
            wrong.append(f"{name}: an audit row in someone else's name")
    snapshot.close()
    assert not wrong, "\n".join(wrong)


def test_every_action_is_probed_and_every_probe_allowed_somewhere():
    """The table and the probes cover each other: no rule goes untried, no probe tries nothing."""
    probed = {action for action, *_ in PROBES.values()}
    untested = set(RULES) - probed - {"account.sign_in", "account.password", "coverage.read"}
    assert not untested, f"rules without a probe: {untested}"
    for name, (action, *_rest) in PROBES.items():
        assert roles_for(action), name


def test_an_allowed_write_is_stopped_only_by_the_data_not_by_a_refusal(world):
    """The probes' inside paths really write (not a Conflict that would look like a pass)."""
    db = world["db"]
    snapshot = Snapshot(db)
    for name, (action, target, writes, call) in PROBES.items():
        if not writes:
            continue
        role = next(r for r in ("coordinator", "volunteer", "admin", "public") if expected(action, r, True, target))
        snapshot.restore()
        before = db["audit_log"].count
        call(world, world["actors"][(role, True)])
        assert db["audit_log"].count > before, name


def test_the_table_keeps_design_md_s_roles():
    """The invariants of DESIGN.md's roles, so that an edit to the table itself is caught too."""
    having = {role: {a for a, row in RULES.items() if role in row} for role in ("public", "volunteer", "coordinator",
                                                                                 "leader", "admin")}
    # Leaders read aggregates only: no personal row; besides their own password, they write
    # nothing but surveys (their office defines them and prints slips) and answers like anyone.
    assert having["leader"] == {"account.password", "coverage.read", "dashboard.read", "scorecard.read", "surveys.manage",
                                "surveys.codes", "surveys.results", "surveys.answer", "outlets.report"}
    # The public signs in, signs up, posts needs (moderated), rates its own need, answers a survey
    # with a slip's code and reports a wrong entry; nothing else.
    assert having["public"] == {"account.sign_in", "volunteers.sign_up", "needs.post", "needs.rate", "surveys.answer",
                                "outlets.report"}
    # A volunteer acts on their own things only, and posts on their own community's board (and,
    # like anyone, answers surveys and reports wrong entries).
    assert {a: RULES[a]["volunteer"] for a in having["volunteer"] if RULES[a]["volunteer"] != OWN} == {
        "needs.post": COMMUNITY, "surveys.answer": CITY, "outlets.report": CITY}
    # A coordinator never reaches past their community, except the city-wide outlet map and totals.
    assert {a: RULES[a]["coordinator"] for a in having["coordinator"] if RULES[a]["coordinator"] not in (COMMUNITY, OWN)} \
        == {"coverage.read": CITY, "dashboard.read": CITY_VIEW, "scorecard.read": CITY_VIEW, "surveys.answer": CITY,
            "outlets.report": CITY}
    # The scorecard is read exactly as the dashboard is (its section there relies on it)
    assert RULES["scorecard.read"] == RULES["dashboard.read"]
    # Admins act anywhere; accounts, audit, calendar, communities and settings are theirs alone.
    assert all(RULES[a]["admin"] in (CITY, OWN) for a in having["admin"])
    for action in ("users.manage", "audit.read", "calendar.edit", "communities.edit", "settings.edit"):
        assert roles_for(action) == ("admin",), action


@pytest.mark.parametrize("target", [4, 6, None])
def test_a_community_is_its_own_not_a_range(target):
    """Communities on either side of the coordinator's (by id), and none, are all someone else's."""
    coordinator = Actor("c", "coordinator", community_id=5, user_id=7)
    require(coordinator, "outlets.manage", 5)
    with pytest.raises(PermissionDenied):
        require(coordinator, "outlets.manage", target)
    if target is not None:
        with pytest.raises(PermissionDenied):
            community_filter(coordinator, "volunteers.read", target)
    assert community_filter(coordinator, "volunteers.read") == 5
    volunteer = Actor("v", "volunteer", community_id=5, user_id=8, volunteer_id=5)
    require(volunteer, "hours.record", 5, 5)
    with pytest.raises(PermissionDenied):
        require(volunteer, "hours.record", 5, target)  # someone else's hours, whatever their number


def test_own_means_the_same_volunteer_or_author_not_a_neighbour():
    """Numbers past CPython's small-int cache, built at run time, and names on either side."""
    big = int("1000")
    volunteer = Actor("m.volunteer", "volunteer", community_id=big, user_id=8, volunteer_id=int("1000"))
    require(volunteer, "hours.record", int("1000"), int("1000"))
    require(volunteer, "needs.cancel", author="m.volunteer")
    for neighbour in (999, 1001):
        with pytest.raises(PermissionDenied):
            require(volunteer, "hours.record", big, neighbour)
    for author in ("a.volunteer", "z.volunteer"):
        with pytest.raises(PermissionDenied):
            require(volunteer, "needs.cancel", author=author)
    coordinator = Actor("c", "coordinator", community_id=big, user_id=7)
    require(coordinator, "outlets.manage", int("1000"))
    with pytest.raises(PermissionDenied):
        require(coordinator, "dashboard.read", 999)  # another community is not "the city" by default
    require(coordinator, "dashboard.read", None, city=True)
