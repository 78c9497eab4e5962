"""The service exchange: needs posted (by the public, moderated; or by a coordinator on a
resident's behalf), claimed atomically by one volunteer, done, confirmed and credited to the
ledger as approved hours (source "request"). Offers are published by volunteers."""

from datetime import datetime, timedelta

from sqlite_utils import Database

from db import audit
from db.store import write
from db.errors import Conflict, InputError, NotFound, PermissionDenied
from db.identity import mask_name, mask_phone, normalise_phone
from db.ledger import insert_records
from db.models import Actor, DoneIn, NeedIn, OfferIn, Reason, RecordIn, parse
from db.permissions import OWN, community_sql, may, require, scope
from db.ratelimit import throttle
from db.timebank import available_minutes
from db import clock

BOARD_LIMIT = 200
LIVE = ("open", "claimed", "done", "confirmed")  # what the board shows; pending, rejected, cancelled
# and expired posts are for those who moderate them (and for the resident, by 受理编号)


def _now() -> str:
    return clock.stamp()


def _request(db: Database, request_id: int) -> dict:
    rows = list(db.query("SELECT * FROM service_requests WHERE id = ?", [request_id]))
    if not rows:
        raise NotFound("err.not_found")
    return rows[0]


def _check_category(db: Database, code: str) -> None:
    if not list(db.query("SELECT 1 FROM service_categories WHERE code = ?", [code])):
        raise InputError([("category", "err.unknown_category", {"code": code})])


def _change(db: Database, actor: Actor, request: dict, action: str, **values) -> None:
    """Update one request and audit it, inside the caller's transaction."""
    sets = ", ".join(f"{k} = ?" for k in values)
    db.execute(f"UPDATE service_requests SET {sets} WHERE id = ?", [*values.values(), request["id"]])
    audit.record(db, actor, action, "service_requests", request["id"],
                 before={k: request[k] for k in values}, after=values, community_id=request["community_id"])


# --- posting -----------------------------------------------------------------------------------

def _need_row(need: NeedIn, actor: Actor, status: str, **extra) -> dict:
    """A validated need as a row, times as ISO minutes."""
    def minutes(moment):
        return clock.minute(moment) if moment else None

    return {**need.model_dump(), "kind": "need", "status": status, "created_by": actor.username,
            "created_at": _now(), "expires_at": minutes(need.expires_at), "window_start": minutes(need.window_start),
            "window_end": minutes(need.window_end), **extra}


def post_need(db: Database, actor: Actor, data: dict, redeem_minutes: int | None = None,
              family_member_id: int | None = None) -> int:
    """The public posts (pending moderation); a coordinator posts for a resident (open at once);
    a volunteer posts for themselves or a registered family member, optionally paying from their
    time bank."""
    if family_member_id is not None:
        member = next(db.query("SELECT * FROM family_members WHERE id = ?", [family_member_id]), None)
        require(actor, "needs.for_family", volunteer_id=member["volunteer_id"] if member else None)
        data = {**data, "requester_name": member["name"], "requester_phone": member["phone"] or data.get("requester_phone", ""),
                "address": member["address"] or data.get("address", ""), "relation": member["relation"]}
    need = parse(NeedIn, data)
    _check_category(db, need.category)
    # A volunteer posts on their own community's board, a coordinator on theirs; the public's
    # posts wait for the community's coordinator, everyone else's go up at once.
    require(actor, "needs.post", need.community_id)
    status = "pending" if actor.role == "public" else "open"
    if status == "pending" and not need.requester_phone:
        # the coordinator must be able to call back, and the resident follows it by number and phone
        raise InputError([("requester_phone", "err.phone_to_follow", {})])
    with write(db):
        throttle(db, actor, "need", need.requester_phone)
        row = _need_row(need, actor, status, family_member_id=family_member_id)
        if redeem_minutes:
            require(actor, "exchange.own", volunteer_id=actor.volunteer_id)
            row["redeemer_id"] = actor.volunteer_id
        request_id = db["service_requests"].insert(row).last_pk
        audit.record(db, actor, "create", "service_requests", request_id,
                     after={k: v for k, v in row.items() if k not in ("requester_phone", "address")},
                     community_id=need.community_id)
        if redeem_minutes:
            _reserve(db, actor, row["redeemer_id"], request_id, redeem_minutes)
    return request_id


def _reserve(db: Database, actor: Actor, volunteer_id: int, request_id: int, minutes: int) -> None:
    if minutes <= 0:
        raise InputError([("minutes", "err.too_small", {"ge": 1})])
    available = available_minutes(db, volunteer_id)
    if minutes > available:
        raise Conflict("err.balance_too_low", hours=round(available / 60, 1))
    db["redemptions"].insert({"volunteer_id": volunteer_id, "request_id": request_id, "minutes": minutes,
                              "status": "reserved", "created_at": _now()})
    audit.record(db, actor, "reserve", "redemptions", request_id, after={"minutes": minutes})


def publish_offer(db: Database, actor: Actor, data: dict) -> int:
    """A volunteer offers a service (e.g. haircuts on Saturday mornings)."""
    offer = parse(OfferIn, data)
    _check_category(db, offer.category)
    require(actor, "exchange.own", volunteer_id=actor.volunteer_id)
    volunteer_id = actor.volunteer_id
    with write(db):
        v = next(db.query("SELECT community_id, status FROM volunteers WHERE id = ?", [volunteer_id]))
        if v["status"] != "active":
            raise Conflict("err.volunteer_not_active", name=actor.username)
        row = {"kind": "offer", "title": offer.title, "category": offer.category, "description": offer.description,
               "community_id": v["community_id"], "expires_at": clock.minute(offer.expires_at),
               "status": "open", "created_by": actor.username, "created_at": _now(), "offered_by": volunteer_id}
        offer_id = db["service_requests"].insert(row).last_pk
        audit.record(db, actor, "create", "service_requests", offer_id, after=row, community_id=v["community_id"])
    return offer_id


def request_offer(db: Database, actor: Actor, offer_id: int, data: dict) -> int:
    """A resident asks for an offered service: a need linked to the offer, for moderation."""
    offer = _request(db, offer_id)
    if offer["kind"] != "offer" or offer["status"] != "open" or offer["expires_at"] < _now():
        raise Conflict("err.offer_unavailable")
    need = parse(NeedIn, {**data, "category": offer["category"], "community_id": offer["community_id"],
                          "title": data.get("title") or offer["title"]})
    with write(db):
        throttle(db, actor, "need", need.requester_phone)
        row = _need_row(need, actor, "pending", offer_id=offer_id)
        request_id = db["service_requests"].insert(row).last_pk
        audit.record(db, actor, "create", "service_requests", request_id, after={"offer_id": offer_id},
                     community_id=offer["community_id"])
    return request_id


# --- moving a need along -----------------------------------------------------------------------

def moderate(db: Database, actor: Actor, request_id: int, approve: bool, reason: str = "") -> None:
    """A coordinator publishes or rejects a public post. A need for an offer goes straight to
    the volunteer who offered it."""
    with write(db):
        r = _request(db, request_id)
        require(actor, "needs.moderate", r["community_id"])
        if r["status"] != "pending":
            raise Conflict("err.wrong_state", state=r["status"])
        if not approve:
            why = parse(Reason, {"reason": reason})
            _change(db, actor, r, "reject", status="rejected", reason=why.reason, moderated_by=actor.username)
            return
        if r["offer_id"]:
            offered_by = _request(db, r["offer_id"])["offered_by"]
            _change(db, actor, r, "approve", status="claimed", moderated_by=actor.username, claimed_by=offered_by,
                    claimed_at=_now())
        else:
            _change(db, actor, r, "approve", status="open", moderated_by=actor.username)


def claim(db: Database, actor: Actor, request_id: int, volunteer_id: int | None = None) -> None:
    """A volunteer claims an open need, or a coordinator assigns one. Atomic: of two claims at
    once exactly one wins; the other is told the need was just taken."""
    if scope(actor, "needs.claim") is OWN:
        volunteer_id = actor.volunteer_id  # a volunteer claims for themself
    if volunteer_id is None:
        raise PermissionDenied("err.permission")
    with write(db):
        r = _request(db, request_id)
        v = next(db.query("SELECT community_id, status, real_name FROM volunteers WHERE id = ?", [volunteer_id]), None)
        if v is None:
            raise NotFound("err.not_found")
        require(actor, "needs.claim", r["community_id"], volunteer_id)
        if v["community_id"] != r["community_id"]:
            raise PermissionDenied("err.outside_community")  # volunteers serve their own community
        if v["status"] != "active":
            raise Conflict("err.volunteer_not_active", name=v["real_name"])
        if r["kind"] != "need":
            raise Conflict("err.wrong_state", state=r["kind"])
        if r["redeemer_id"] == volunteer_id:
            raise Conflict("err.own_need")
        now = _now()
        # The guard is in the UPDATE itself, so the winner is decided by SQLite, not by a read.
        cursor = db.execute(
            "UPDATE service_requests SET status = 'claimed', claimed_by = ?, claimed_at = ?"
            " WHERE id = ? AND status = 'open' AND expires_at > ?", [volunteer_id, now, request_id, now[:16]])
        if cursor.rowcount == 0:
            if r["status"] == "open" and r["expires_at"] <= now[:16]:
                raise Conflict("err.expired")
            if r["status"] in ("claimed", "done", "confirmed"):
                raise Conflict("err.just_taken")
            raise Conflict("err.wrong_state", state=r["status"])
        audit.record(db, actor, "claim", "service_requests", request_id, before={"status": "open"},
                     after={"status": "claimed", "claimed_by": volunteer_id}, community_id=r["community_id"])


def _claimed(db: Database, actor: Actor, request_id: int) -> dict:
    """A claimed need that the actor may move on: its claimer, or the community's coordinator."""
    r = _request(db, request_id)
    require(actor, "needs.progress", r["community_id"], r["claimed_by"])
    if r["status"] != "claimed":
        raise Conflict("err.wrong_state", state=r["status"])
    return r


def release(db: Database, actor: Actor, request_id: int, reason: str) -> None:
    """The claimer (or a coordinator) gives a claimed need back to the board, with a reason."""
    why = parse(Reason, {"reason": reason})
    with write(db):
        r = _claimed(db, actor, request_id)
        _change(db, actor, r, "release", status="open", claimed_by=None, claimed_at=None, reason=why.reason)


def mark_done(db: Database, actor: Actor, request_id: int, actual_minutes: int) -> None:
    """The claimer reports the need done with the time it actually took."""
    done = parse(DoneIn, {"actual_minutes": actual_minutes})
    with write(db):
        r = _claimed(db, actor, request_id)
        _change(db, actor, r, "done", status="done", done_at=_now(), actual_minutes=done.actual_minutes)


def confirm(db: Database, actor: Actor, request_id: int) -> int:
    """The coordinator (or the volunteer who redeemed their time bank for it) confirms a done
    need, and a redemption is debited. Confirmed by a coordinator (a third person), the actual time
    is credited as approved; confirmed by the redeemer, at most what the need asked for (its
    estimate) is credited and waits in the ledger for a coordinator, so two volunteers cannot mint
    approved hours between themselves."""
    with write(db):
        r = _request(db, request_id)
        require(actor, "needs.confirm", r["community_id"], r["redeemer_id"])
        if r["status"] != "done":
            raise Conflict("err.wrong_state", state=r["status"])
        day = (r["done_at"] or _now())[:10]
        third_party = scope(actor, "needs.confirm") is not OWN  # staff: neither the helper nor the helped
        credited = r["actual_minutes"] if third_party else min(r["actual_minutes"], r["est_minutes"])
        content = f"服务需求 #{r['id']}"
        if credited < r["actual_minutes"]:
            content += f"（申报 {r['actual_minutes']} 分钟，按需求预计 {r['est_minutes']} 分钟计入）"
        record = RecordIn(volunteer_ids=[r["claimed_by"]], activity=r["title"][:60],
                          service_date=datetime.fromisoformat(day).date(), minutes=credited,
                          category=r["category"], beneficiary=r["requester_name"][:40], content=content)
        [record_id] = insert_records(db, actor, record, "request", status="approved" if third_party else "pending",
                                     credit_for_need=True)
        for debit in db.query("SELECT id, volunteer_id, minutes FROM redemptions WHERE request_id = ? AND status = 'reserved'",
                              [request_id]):
            audit.record(db, actor, "debit", "redemptions", debit["id"], before={"status": "reserved"},
                         after={"status": "debited", "volunteer_id": debit["volunteer_id"], "minutes": debit["minutes"]},
                         community_id=r["community_id"])
        _change(db, actor, r, "confirm", status="confirmed", confirmed_by=actor.username, confirmed_at=_now(),
                record_id=record_id)
        db.execute("UPDATE redemptions SET status = 'debited', settled_at = ? WHERE request_id = ? AND status = 'reserved'",
                   [_now(), request_id])
    return record_id


def cancel(db: Database, actor: Actor, request_id: int, reason: str) -> None:
    """Cancel a need that is not yet done (coordinator, or the volunteer who posted it); a
    reserved redemption is released."""
    why = parse(Reason, {"reason": reason})
    with write(db):
        r = _request(db, request_id)
        require(actor, "needs.cancel", r["community_id"], author=r["created_by"])
        if r["status"] not in ("pending", "open", "claimed"):
            raise Conflict("err.wrong_state", state=r["status"])
        _change(db, actor, r, "cancel", status="cancelled", reason=why.reason)
        db.execute("UPDATE redemptions SET status = 'released', settled_at = ? WHERE request_id = ? AND status = 'reserved'",
                   [_now(), request_id])


# --- reading -----------------------------------------------------------------------------------

def shown_status(r: dict, now: str | None = None) -> str:
    """The status a person sees: an open need past its expiry shows as expired."""
    now = now or _now()[:16]
    if r["status"] in ("open", "pending") and r["expires_at"] <= now:
        return "expired"
    return r["status"]


def board(db: Database, actor: Actor, kind: str = "need", community_id: int | None = None,
          category: str | None = None, status: str | None = None, urgency: int | None = None,
          limit: int = BOARD_LIMIT) -> list[dict]:
    """Needs (or offers) sorted by urgency then age. The requester's phone and address are shown
    only to the community's coordinator, admins, and the volunteer who claimed the need."""
    where, params = ["r.kind = ?"], [kind]
    now = _now()[:16]
    for column, value in (("r.community_id", community_id), ("r.category", category), ("r.urgency", urgency)):
        if value:
            where.append(f"{column} = ?")
            params.append(value)
    if status == "expired":
        where.append("r.status IN ('open', 'pending') AND r.expires_at <= ?")
        params.append(now)
    elif status in ("open", "pending"):
        where.append("r.status = ? AND r.expires_at > ?")
        params += [status, now]
    elif status:
        where.append("r.status = ?")
        params.append(status)
    # Unmoderated, rejected, cancelled and expired posts are seen by those who moderate them only.
    moderated, moderated_params = community_sql(actor, "needs.moderate", "r.community_id")
    where.append(f"((r.status IN ({', '.join('?' * len(LIVE))}) AND NOT (r.status = 'open' AND r.expires_at <= ?))"
                 f" OR {moderated})")
    params += [*LIVE, now, *moderated_params]
    rows = list(db.query(
        "SELECT r.*, c.name AS community, v.real_name AS claimer, o.real_name AS offerer"
        " FROM service_requests r JOIN communities c ON c.id = r.community_id"
        " LEFT JOIN volunteers v ON v.id = r.claimed_by LEFT JOIN volunteers o ON o.id = r.offered_by"
        # What can still be taken first (by urgency, the longest waiting first), then what is under way,
        # then the history: after years a community's settled needs outnumber what the board shows.
        f" WHERE {' AND '.join(where)} ORDER BY CASE WHEN r.status = 'pending' OR (r.status = 'open' AND r.expires_at > ?)"
        " THEN 0 WHEN r.status = 'claimed' THEN 1 WHEN r.status = 'done' THEN 2 ELSE 3 END, r.urgency DESC,"
        " r.created_at ASC LIMIT ?", params + [now, limit]))
    mine = actor.volunteer_id
    for r in rows:
        r["shown_status"] = shown_status(r, now)
        sees = may(actor, "needs.contacts", r["community_id"], r["claimed_by"]) \
            or may(actor, "needs.contacts", r["community_id"], r["redeemer_id"])
        r["contacts_visible"] = sees
        if not sees:
            r["requester_phone"] = mask_phone(r["requester_phone"]) if r["requester_phone"] else ""
            r["address"] = ""
            r["requester_name"] = mask_name(r["requester_name"])
        # Volunteers are named in full to whoever manages them, and to themselves.
        manages = may(actor, "volunteers.manage", r["community_id"])
        for who, key in ((r["claimed_by"], "claimer"), (r["offered_by"], "offerer")):
            if r[key] and not manages and who != mine:
                r[key] = mask_name(r[key])
    return rows


def suggestions(db: Database, actor: Actor, request_id: int, limit: int = 10) -> list[dict]:
    """Active volunteers of the need's community with the category among their skills, those
    free on the need's weekday and part of day first, with their recent activity."""
    r = _request(db, request_id)
    require(actor, "needs.moderate", r["community_id"])
    since = (clock.now() - timedelta(days=90)).date().isoformat()
    rows = list(db.query(
        "SELECT v.id, v.number, v.real_name, v.availability, v.approved_minutes,"
        " (SELECT MAX(service_date) FROM service_records x WHERE x.volunteer_id = v.id AND x.status = 'approved') AS last_served,"
        " (SELECT COALESCE(SUM(minutes), 0) FROM service_records x WHERE x.volunteer_id = v.id AND x.status = 'approved'"
        "  AND x.service_date >= ?) AS recent_minutes"
        " FROM volunteers v JOIN volunteer_skills s ON s.volunteer_id = v.id AND s.category = ?"
        " WHERE v.community_id = ? AND v.status = 'active'", [since, r["category"], r["community_id"]]))
    import json

    when = datetime.fromisoformat(r["window_start"]) if r["window_start"] else None
    part = None if when is None else ("morning" if when.hour < 12 else "afternoon" if when.hour < 18 else "evening")
    for v in rows:
        a = json.loads(v.pop("availability") or "{}")
        v["fits"] = when is None or (when.isoweekday() in a.get("days", []) and part in a.get("parts", []))
    rows.sort(key=lambda v: (not v["fits"], -(v["recent_minutes"] or 0)))
    return rows[:limit]


def my_claims(db: Database, actor: Actor) -> list[dict]:
    require(actor, "exchange.own", volunteer_id=actor.volunteer_id)
    return list(db.query("SELECT r.*, c.name AS community FROM service_requests r JOIN communities c ON c.id = r.community_id"
                         " WHERE r.claimed_by = ? AND r.status IN ('claimed', 'done') ORDER BY r.claimed_at",
                         [actor.volunteer_id]))


def reference(request_id: int) -> str:
    """The 受理编号 a resident is given when they post: QZ and the request's number."""
    return f"QZ{request_id:06d}"


def request_number(text: str) -> int | None:
    """The request a typed 受理编号 names (QZ and digits, either case, spaces around), else None."""
    text = text.strip().upper()
    return int(text[2:]) if text.startswith("QZ") and text[2:].isdigit() else None


def track(db: Database, actor: Actor, number: str, phone: str) -> dict:
    """What a resident may see of their own request, found by its 受理编号 and the phone they gave:
    its state and when, and nothing of anyone else. A wrong number or phone get the same answer, and
    attempts count against the hourly limit, so numbers cannot be tried one after another."""
    phone = normalise_phone(phone)
    with write(db):
        throttle(db, actor, "track", phone)
    request_id = request_number(number)
    r = next(db.query("SELECT r.*, c.name AS community, v.real_name AS claimer FROM service_requests r"
                      " JOIN communities c ON c.id = r.community_id LEFT JOIN volunteers v ON v.id = r.claimed_by"
                      " WHERE r.id = ? AND r.kind = 'need'", [request_id]), None)
    if r is None or not phone or normalise_phone(r["requester_phone"]) != phone:
        raise NotFound("err.track_not_found")
    return {"reference": reference(r["id"]), "title": r["title"], "community": r["community"],
            "status": shown_status(r), "created_at": r["created_at"], "window_start": r["window_start"],
            "est_minutes": r["est_minutes"], "claimer": mask_name(r["claimer"]),
            "reason": r["reason"] if r["status"] == "rejected" else ""}
