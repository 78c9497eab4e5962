"""签到/签退 and the hours they derive. On site, the coordinator's phone or a tablet shows a QR code
that changes every half minute: a signed token naming the activity and the half-minute it was made
in, good for 90 seconds, so a photo sent home is useless by the time it arrives. A volunteer scans
it (a plain address into Linli) and signs in, later out; times come from the server's clock. Those
without a phone are ticked on the roster by hand, and the record says so.

Minutes = the whole minutes of [签到, 签退] inside the shift; the organiser approves an activity's
records in one batch, each credited to the ledger with its source (activity_qr / activity_manual)."""

import base64
import hashlib
import hmac
from contextlib import contextmanager
from datetime import datetime, timedelta

from sqlite_utils import Database

from db import audit, clock
from db.activities import activity
from db.errors import Conflict, LinliError, NotFound, PermissionDenied
from db.keys import secret
from db.ledger import insert_records
from db.models import Actor, RecordIn, parse
from db.notifications import notify_hours
from db.permissions import require
from db.store import write

STEP_SECONDS = 30  # a new code every half minute
VALID_STEPS = 3  # the code of this half minute and the two before: 60–90 seconds
FINISH_WITHIN = timedelta(minutes=10)  # from opening the scanned address to pressing 签到 (logging in first)
EARLY = timedelta(minutes=30)  # 签到 opens this long before the shift starts
LATE_OUT = timedelta(hours=4)  # 签退 by scanning closes this long after the shift ends


def _step(moment: datetime) -> int:
    return int((moment - datetime(2020, 1, 1)).total_seconds() // STEP_SECONDS)


def _signature(activity_id: int, step: int) -> str:
    key = secret("signin_key").encode()
    digest = hmac.new(key, f"signin:{activity_id}:{step}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:12]).decode()


def token(activity_id: int, moment: datetime | None = None) -> str:
    """The code shown now for an activity: "<activity>.<half-minute>.<signature>"."""
    step = _step(moment or clock.now())
    return f"{activity_id}.{step}.{_signature(activity_id, step)}"


def read_token(value: str, scanned_at: datetime) -> int:
    """The activity a scanned code names, if it is genuine and was still good when scanned."""
    try:
        activity_part, step_part, signature = str(value).strip().split(".")
        activity_id, step = int(activity_part), int(step_part)
    except ValueError:
        raise Conflict("err.qr_forged") from None
    if not hmac.compare_digest(signature, _signature(activity_id, step)):
        raise Conflict("err.qr_forged")
    now_step = _step(scanned_at)
    if not now_step - VALID_STEPS < step <= now_step:
        raise Conflict("err.qr_expired")
    if clock.now() - scanned_at > FINISH_WITHIN:
        raise Conflict("err.qr_expired")
    return activity_id


def _mine_now(db: Database, actor: Actor, activity_id: int, signed_in: bool) -> dict:
    """The volunteer's confirmed sign-up for this activity that a scan now applies to."""
    found = activity(db, activity_id)
    if actor.volunteer_id is None:
        raise PermissionDenied("err.permission")
    require(actor, "activities.sign_in", volunteer_id=actor.volunteer_id)
    v = next(db.query("SELECT community_id FROM volunteers WHERE id = ?", [actor.volunteer_id]))
    if v["community_id"] != found["community_id"]:
        raise PermissionDenied("err.activity_other_community")
    if found["status"] != "published":
        raise Conflict("err.activity_cancelled")
    rows = list(db.query(
        "SELECT u.*, s.starts_at, s.ends_at, s.name AS shift FROM activity_signups u"
        " JOIN activity_shifts s ON s.id = u.shift_id WHERE u.activity_id = ? AND u.volunteer_id = ?"
        " AND u.status != 'cancelled' ORDER BY s.starts_at", [activity_id, actor.volunteer_id]))
    if not rows:
        raise Conflict("err.not_signed_up")
    confirmed = [r for r in rows if r["status"] == "confirmed"]
    if not confirmed:
        raise Conflict("err.still_waiting")
    now = clock.minute()
    if signed_in:  # 签退: the shift signed in to and not yet out of
        open_ = [r for r in confirmed if r["signed_in_at"] and not r["signed_out_at"]]
        if not open_:
            done = [r for r in confirmed if r["signed_out_at"]]
            if done:
                raise Conflict("err.already_signed_out", at=clock.time_of(done[-1]["signed_out_at"]))
            raise Conflict("err.out_before_in")
        if clock.now() > datetime.fromisoformat(open_[0]["ends_at"]) + LATE_OUT:
            raise Conflict("err.sign_out_closed", ends=open_[0]["ends_at"][11:])
        return open_[0]
    waiting = [r for r in confirmed if not r["signed_in_at"]]
    if not waiting:
        raise Conflict("err.already_signed_in", at=clock.time_of(confirmed[-1]["signed_in_at"]))
    for r in waiting:
        starts = datetime.fromisoformat(r["starts_at"])
        if starts - EARLY <= clock.now() and now < r["ends_at"]:
            return r
    first = waiting[0]
    if now < first["starts_at"]:
        raise Conflict("err.too_early", starts=first["starts_at"][11:], minutes=int(EARLY.total_seconds() // 60))
    raise Conflict("err.shift_over", ends=waiting[-1]["ends_at"][11:])


def scan_state(db: Database, actor: Actor, activity_id: int) -> dict:
    """What a scan of this activity's code would do for the volunteer now: {"next": "in" | "out" |
    "done", "signup": row}; refusals as errors (not signed up, another community, …)."""
    try:
        return {"next": "out", "signup": _mine_now(db, actor, activity_id, signed_in=True)}
    except Conflict as exc:
        if exc.key == "err.already_signed_out":
            return {"next": "done", "at": exc.params["at"]}
        if exc.key != "err.out_before_in":
            raise
    return {"next": "in", "signup": _mine_now(db, actor, activity_id, signed_in=False)}


def sign_in(db: Database, actor: Actor, code: str, scanned_at: datetime) -> dict:
    """签到 by a scanned code; returns the sign-up."""
    return _scan(db, actor, code, scanned_at, "in")


def sign_out(db: Database, actor: Actor, code: str, scanned_at: datetime) -> dict:
    """签退 by a scanned code (scanned again at the end: the code of the moment)."""
    return _scan(db, actor, code, scanned_at, "out")


def look(db: Database, actor: Actor, code: str, scanned_at: datetime) -> dict:
    """What the scanned code is for and what a press would do: {"activity", "next": "in" | "out" |
    "done", "signup" | "at"}. A refusal (a forged or stale code, not signed up, …) is written down."""
    with _logged(db, actor, "scan") as seen:
        seen["activity"] = activity(db, read_token(code, scanned_at))
        return {"activity": seen["activity"], **scan_state(db, actor, seen["activity"]["id"])}


def _scan(db: Database, actor: Actor, code: str, scanned_at: datetime, which: str) -> dict:
    with _logged(db, actor, "sign_" + which) as seen:
        seen["activity"] = activity(db, read_token(code, scanned_at))
        with write(db):
            signup = _mine_now(db, actor, seen["activity"]["id"], signed_in=which == "out")
            _stamp(db, actor, signup, which, "qr", clock.now(), seen["activity"]["community_id"])
    return {**signup, "at": clock.now()}


@contextmanager
def _logged(db: Database, actor: Actor, what: str):
    """Run a scan; a refusal leaves an audit row of its own (the scan itself wrote nothing): forged
    and stale codes, and scans by the wrong person, are what a coordinator looks for afterwards.
    A code naming no activity at all is a forged one."""
    seen: dict = {}
    try:
        yield seen
    except LinliError as exc:
        if isinstance(exc, NotFound):
            exc = Conflict("err.qr_forged")
        community_id = seen["activity"]["community_id"] if seen.get("activity") else None
        with write(db):
            audit.record(db, actor, "refused_" + what, "activities", seen["activity"]["id"] if seen.get("activity") else None,
                         after={"reason": exc.key, **exc.params}, community_id=community_id)
        raise exc from None


def _stamp(db: Database, actor: Actor, signup: dict, which: str, source: str, moment: datetime,
           community_id: int) -> None:
    values = {f"signed_{which}_at": clock.stamp(moment), f"{which}_source": source, f"{which}_by": actor.username}
    db["activity_signups"].update(signup["id"], values)
    audit.record(db, actor, "sign_" + which, "activity_signups", signup["id"],
                 before={k: signup.get(k) for k in values}, after=values, community_id=community_id)


def tick(db: Database, actor: Actor, signup_id: int, which: str, moment: datetime | None = None) -> None:
    """签到/签退 ticked on the roster by the coordinator (a volunteer without a phone), at `moment`
    (now, or the time they tell afterwards; never in the future). Marked manual."""
    if which not in ("in", "out"):
        raise ValueError(which)
    moment = (moment or clock.now()).replace(second=0, microsecond=0)
    with write(db):
        signup = next(db.query("SELECT u.*, a.community_id, s.starts_at, s.ends_at FROM activity_signups u"
                               " JOIN activities a ON a.id = u.activity_id JOIN activity_shifts s ON s.id = u.shift_id"
                               " WHERE u.id = ?", [signup_id]), None)
        if signup is None:
            raise NotFound("err.not_found")
        require(actor, "activities.manage", signup["community_id"])
        if signup["status"] != "confirmed":
            raise Conflict("err.signup_cancelled" if signup["status"] == "cancelled" else "err.still_waiting")
        if moment > clock.now():
            raise Conflict("err.future_time")
        if moment < datetime.fromisoformat(signup["starts_at"]) - EARLY:
            raise Conflict("err.too_early", starts=signup["starts_at"][11:], minutes=int(EARLY.total_seconds() // 60))
        if which == "in" and signup["signed_in_at"]:
            raise Conflict("err.already_signed_in", at=clock.time_of(signup["signed_in_at"]))
        if which == "out":
            if not signup["signed_in_at"]:
                raise Conflict("err.out_before_in")
            if signup["signed_out_at"]:
                raise Conflict("err.already_signed_out", at=clock.time_of(signup["signed_out_at"]))
            if moment <= clock.parse(signup["signed_in_at"]):
                raise Conflict("err.out_before_in")
        _stamp(db, actor, signup, which, "manual", moment, signup["community_id"])


def derived_minutes(signed_in_at: str | None, signed_out_at: str | None, starts_at: str, ends_at: str) -> int:
    """Whole minutes of [签到, 签退] inside the shift [starts_at, ends_at]; 0 without both."""
    if not (signed_in_at and signed_out_at):
        return 0
    start, end = credited_span(signed_in_at, signed_out_at, starts_at, ends_at)
    return max(0, int((end - start).total_seconds()) // 60)


def credited_span(signed_in_at: str, signed_out_at: str, starts_at: str, ends_at: str) -> tuple[datetime, datetime]:
    """The part of [签到, 签退] inside the shift, to whole minutes: a minute counts once begun in it
    and ended (09:02:40 counts from 09:03)."""
    start = max(clock.parse(signed_in_at), datetime.fromisoformat(starts_at))
    end = min(clock.parse(signed_out_at), datetime.fromisoformat(ends_at))
    begun = start.replace(second=0, microsecond=0)
    return begun + timedelta(minutes=1) if begun != start else begun, end.replace(second=0, microsecond=0)


def hours_to_approve(db: Database, actor: Actor, activity_id: int) -> list[dict]:
    """The roster with what each sign-up would credit: {"minutes", "start", "end", "source",
    "problem"} — no 签到, no 签退, nothing inside the shift, or already recorded."""
    from db.activities import roster

    rows = roster(db, actor, activity_id)
    for r in rows:
        r["minutes"] = derived_minutes(r["signed_in_at"], r["signed_out_at"], r["starts_at"], r["ends_at"])
        r["source"] = "activity_qr" if (r["in_source"], r["out_source"]) == ("qr", "qr") else "activity_manual"
        r["problem"] = ("recorded" if r["record_id"] else "waitlist" if r["status"] == "waitlist"
                        else "no_sign_in" if not r["signed_in_at"] else "no_sign_out" if not r["signed_out_at"]
                        else "outside_shift" if not r["minutes"] else None)
        if r["problem"] is None:
            r["start"], r["end"] = credited_span(r["signed_in_at"], r["signed_out_at"], r["starts_at"], r["ends_at"])
    return rows


def approve_activity(db: Database, actor: Actor, activity_id: int) -> dict:
    """Credit every sign-up with both 签到 and 签退 (and minutes inside its shift) to the ledger as
    approved hours, all in one transaction; those still missing something wait for the next batch.
    Returns {"records": n, "minutes": total, "waiting": n missing 签到/签退}."""
    found = activity(db, activity_id)
    require(actor, "activities.manage", found["community_id"])
    with write(db):
        rows = hours_to_approve(db, actor, activity_id)
        ready = [r for r in rows if r["problem"] is None]
        if not ready:
            raise Conflict("err.nothing_to_approve")
        mine = [r for r in ready if r["volunteer_id"] == actor.volunteer_id]
        if mine:
            raise PermissionDenied("err.own_hours_approval")
        total = 0
        for r in ready:  # a 签退 is never in the future: what is ready has happened
            record = parse(RecordIn, {
                "volunteer_ids": [r["volunteer_id"]], "activity": found["title"], "service_date": r["start"].date(),
                "start_time": r["start"].time(), "end_time": r["end"].time(), "place": found["place"],
                "content": r["shift"], "category": found["category"]})
            [record_id] = insert_records(db, actor, record, r["source"], status="approved")
            db.execute("UPDATE activity_signups SET record_id = ? WHERE id = ?", [record_id, r["id"]])
            notify_hours(db, "hours_approved", r["volunteer_id"], r["minutes"], found["title"],
                         record.service_date.isoformat())
            total += r["minutes"]
        db.execute("UPDATE activities SET approved_by = ?, approved_at = ? WHERE id = ?",
                   [actor.username, clock.stamp(), activity_id])
        audit.record(db, actor, "approve", "activities", activity_id, after={"records": len(ready), "minutes": total},
                     community_id=found["community_id"])
    waiting = sum(1 for r in rows if r["problem"] in ("no_sign_in", "no_sign_out"))
    return {"records": len(ready), "minutes": total, "waiting": waiting}
