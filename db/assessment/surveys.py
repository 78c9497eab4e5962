"""Satisfaction surveys (满意度调查). A leader's office or an admin defines a short survey (1–5
scales, single choices, free text) for a period and chosen communities. Each community's
coordinator prints slips, one one-time code each, and hands them to households (how offices run
paper surveys today); a resident scans the slip's QR code, gives their phone number and answers.
A code answers once and a phone number once per survey (kept as a keyed hash). Results are
aggregates per community with their response count and a 95 % confidence interval; each answer
as given is for admins."""

import json
import math
import secrets
from statistics import mean, stdev

from sqlite_utils import Database

from db import audit, clock
from db.errors import Conflict, InputError, NotFound
from db.keys import lookup_hash
from db.models import Actor, CodesIn, ResponseIn, SurveyIn, parse
from db.permissions import community_filter, require
from db.ratelimit import throttle
from db.store import write
from db.text import clean

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read off paper and typed by hand
CODE_LENGTH = 8
SMALL_SAMPLE = 5  # below this many responses a community's figures are shown as too few to read
# Student's t at 97.5 % for 1–30 degrees of freedom (past 30, 1.96): a 95 % interval for small n.
T975 = (12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
        2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042)


def shown_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def normalise_code(text: str) -> str:
    return "".join(ch for ch in clean(text).upper() if ch.isalnum())


def create(db: Database, actor: Actor, data: dict) -> int:
    survey = parse(SurveyIn, data)
    require(actor, "surveys.manage", city=True)
    with write(db):
        known = {r["id"] for r in db.query("SELECT id FROM communities")}
        if set(survey.community_ids) - known:
            raise InputError([("community_ids", "err.not_found", {})])
        row = {"title": survey.title, "intro": survey.intro, "opens_on": survey.opens_on.isoformat(),
               "closes_on": survey.closes_on.isoformat(), "status": "active", "created_by": actor.username,
               "created_at": clock.stamp()}
        survey_id = db["surveys"].insert(row).last_pk
        db["survey_questions"].insert_all(
            {"survey_id": survey_id, "position": i, "kind": q.kind, "text": q.text, "choices": json.dumps(q.choices, ensure_ascii=False)}
            for i, q in enumerate(survey.questions, 1))
        db["survey_communities"].insert_all({"survey_id": survey_id, "community_id": c} for c in sorted(set(survey.community_ids)))
        audit.record(db, actor, "create", "surveys", survey_id,
                     after={**row, "communities": survey.community_ids, "questions": len(survey.questions)})
    return survey_id


def withdraw(db: Database, actor: Actor, survey_id: int) -> None:
    """Stop a survey early (a mistake in it): its codes stop working, its answers are kept."""
    require(actor, "surveys.manage", city=True)
    with write(db):
        s = survey(db, survey_id)
        if s["status"] == "withdrawn":
            raise Conflict("err.wrong_state", state=s["status"])
        db.execute("UPDATE surveys SET status = 'withdrawn' WHERE id = ?", [survey_id])
        audit.record(db, actor, "withdraw", "surveys", survey_id, before={"status": "active"}, after={"status": "withdrawn"})


def survey(db: Database, survey_id: int) -> dict:
    s = next(db.query("SELECT * FROM surveys WHERE id = ?", [survey_id]), None)
    if s is None:
        raise NotFound("err.not_found")
    s["questions"] = [{**q, "choices": json.loads(q["choices"])} for q in db.query(
        "SELECT id, position, kind, text, choices FROM survey_questions WHERE survey_id = ? ORDER BY position", [survey_id])]
    s["community_ids"] = [r["community_id"] for r in db.query(
        "SELECT community_id FROM survey_communities WHERE survey_id = ? ORDER BY community_id", [survey_id])]
    return s


def is_open(s: dict) -> bool:
    return s["status"] == "active" and s["opens_on"] <= clock.today().isoformat() <= s["closes_on"]


def listing(db: Database, actor: Actor) -> list[dict]:
    """The surveys the actor works with (every one for their offices, their community's for a
    coordinator), newest first, with codes issued and answers so far."""
    community = community_filter(actor, "surveys.results")  # None: every survey (the city's offices)
    if community is None:
        where, counted, params = "", "", []
    else:
        where = "WHERE s.id IN (SELECT survey_id FROM survey_communities WHERE community_id = ?)"
        counted, params = " AND community_id = ?", [community] * 3
    return list(db.query(
        "SELECT s.id, s.title, s.opens_on, s.closes_on, s.status,"
        f" (SELECT COUNT(*) FROM survey_codes WHERE survey_id = s.id{counted}) AS issued,"
        f" (SELECT COUNT(*) FROM survey_responses WHERE survey_id = s.id{counted}) AS responses"
        f" FROM surveys s {where} ORDER BY s.opens_on DESC, s.id DESC", params))


def issue_codes(db: Database, actor: Actor, survey_id: int, community_id: int, count: int) -> list[str]:
    """`count` new one-time codes for the community's households (printed as slips)."""
    n = parse(CodesIn, {"count": count}).count
    require(actor, "surveys.codes", community_id)
    with write(db):
        s = survey(db, survey_id)
        if community_id not in s["community_ids"]:
            raise Conflict("err.survey_not_here")
        if s["status"] != "active" or s["closes_on"] < clock.today().isoformat():
            raise Conflict("err.survey_closed")
        codes = set()
        while len(codes) < n:
            code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
            if not next(db.query("SELECT 1 FROM survey_codes WHERE code = ?", [code]), None):
                codes.add(code)
        now = clock.stamp()
        db["survey_codes"].insert_all({"code": c, "survey_id": survey_id, "community_id": community_id,
                                       "issued_by": actor.username, "issued_at": now} for c in sorted(codes))
        audit.record(db, actor, "issue_codes", "surveys", survey_id, after={"community_id": community_id, "count": n},
                     community_id=community_id)
    return sorted(codes)


def unused_codes(db: Database, actor: Actor, survey_id: int, community_id: int) -> list[str]:
    """Codes issued and not yet answered with (to print the slips again)."""
    require(actor, "surveys.codes", community_id)
    return [r["code"] for r in db.query("SELECT code FROM survey_codes WHERE survey_id = ? AND community_id = ?"
                                        " AND used_at IS NULL ORDER BY code", [survey_id, community_id])]


def _code(db: Database, text: str) -> dict:
    code = next(db.query("SELECT c.*, m.name AS community FROM survey_codes c JOIN communities m ON m.id = c.community_id"
                         " WHERE c.code = ?", [normalise_code(text)]), None)
    if code is None:
        raise NotFound("err.survey_code_unknown")
    return code


def open_by_code(db: Database, actor: Actor, text: str) -> dict:
    """The survey a slip's code opens, for the resident to answer."""
    require(actor, "surveys.answer", city=True)
    with write(db):
        throttle(db, actor, "survey")  # codes cannot be tried one after another
    code = _code(db, text)
    s = survey(db, code["survey_id"])
    _usable(code, s)
    return {**s, "code": code["code"], "community": code["community"], "community_id": code["community_id"]}


def _usable(code: dict, s: dict) -> None:
    """A slip's code answers once, and only while its survey is open."""
    if code["used_at"]:
        raise Conflict("err.survey_code_used")
    if not is_open(s):
        raise Conflict("err.survey_not_open", opens=s["opens_on"], closes=s["closes_on"])


def _answers(questions: list[dict], given: dict) -> list[dict]:
    """Each question's answer as stored, or every problem at once (field answers.<question id>)."""
    rows, problems = [], []
    for q in questions:
        value = given.get(q["id"])
        if q["kind"] == "text":
            if isinstance(value, str) and clean(value).strip():
                rows.append({"question_id": q["id"], "value": None, "text": clean(value).strip()})
            continue
        top = 5 if q["kind"] == "scale" else len(q["choices"]) - 1
        low = 1 if q["kind"] == "scale" else 0
        if value is None or isinstance(value, str):
            problems.append((f"answers.{q['id']}", "err.required", {}))
        elif not low <= value <= top:
            problems.append((f"answers.{q['id']}", "err.invalid_choice", {}))
        else:
            rows.append({"question_id": q["id"], "value": value, "text": None})
    unknown = set(given) - {q["id"] for q in questions}
    if unknown:
        problems.append(("answers", "err.invalid_choice", {}))
    if problems:
        raise InputError(problems)
    return rows


def answer(db: Database, actor: Actor, code_text: str, data: dict) -> int:
    """Store one household's answers: the code used up, the phone number's hash kept, in one write."""
    response = parse(ResponseIn, data)
    require(actor, "surveys.answer", city=True)
    with write(db):
        # the number is never stored, not even in the rate limit's table: its keyed hash is
        throttle(db, actor, "survey", lookup_hash(f"survey-phone:{response.phone}")[:32])
        code = _code(db, code_text)
        s = survey(db, code["survey_id"])
        rows = _answers(s["questions"], response.answers)
        _usable(code, s)
        phone_hash = lookup_hash(f"survey:{s['id']}:{response.phone}")
        if next(db.query("SELECT 1 FROM survey_responses WHERE survey_id = ? AND phone_hash = ?", [s["id"], phone_hash]), None):
            raise Conflict("err.survey_phone_used")
        now = clock.stamp()
        response_id = db["survey_responses"].insert({"survey_id": s["id"], "community_id": code["community_id"],
                                                     "code": code["code"], "phone_hash": phone_hash, "answered_at": now}).last_pk
        db["survey_answers"].insert_all({"response_id": response_id, **r} for r in rows)
        db.execute("UPDATE survey_codes SET used_at = ? WHERE code = ?", [now, code["code"]])
        # The audit row says a response came in; what was answered stays with the admins' raw view.
        audit.record(db, actor, "answer", "survey_responses", response_id,
                     after={"survey_id": s["id"], "answers": len(rows)}, community_id=code["community_id"])
    return response_id


def interval(values: list[float]) -> float | None:
    """Half-width of the 95 % confidence interval of the mean (None for fewer than two values)."""
    n = len(values)
    if n < 2:
        return None
    t = T975[n - 2] if n - 1 <= len(T975) else 1.96
    return t * stdev(values) / math.sqrt(n)


def results(db: Database, actor: Actor, survey_id: int, community_id: int | None = None) -> list[dict]:
    """Per community (a coordinator: their own): slips issued, responses, and per question the
    number of answers, mean and 95 % interval (scales) or share of each choice."""
    community = community_filter(actor, "surveys.results", community_id)
    s = survey(db, survey_id)
    ids = [c for c in s["community_ids"] if community in (None, c)]
    if not ids:
        return []
    names = {r["id"]: r["name"] for r in db.query("SELECT id, name FROM communities")}
    issued = {r["community_id"]: r["n"] for r in db.query(
        "SELECT community_id, COUNT(*) AS n FROM survey_codes WHERE survey_id = ? GROUP BY community_id", [survey_id])}
    values: dict[tuple[int, int], list[int]] = {}
    for r in db.query("SELECT p.community_id, a.question_id, a.value FROM survey_answers a"
                      " JOIN survey_responses p ON p.id = a.response_id WHERE p.survey_id = ? AND a.value IS NOT NULL",
                      [survey_id]):
        values.setdefault((r["community_id"], r["question_id"]), []).append(r["value"])
    responses = {r["community_id"]: r["n"] for r in db.query(
        "SELECT community_id, COUNT(*) AS n FROM survey_responses WHERE survey_id = ? GROUP BY community_id", [survey_id])}
    out = []
    for c in ids:
        row = {"community_id": c, "community": names[c], "issued": issued.get(c, 0), "responses": responses.get(c, 0),
               "questions": []}
        row["response_rate"] = row["responses"] / row["issued"] if row["issued"] else None
        for q in s["questions"]:
            got = values.get((c, q["id"]), [])
            figure = {"id": q["id"], "text": q["text"], "kind": q["kind"], "n": len(got)}
            if q["kind"] == "scale":
                figure |= {"mean": mean(got) if got else None, "interval": interval(got)}
            elif q["kind"] == "choice":
                figure["shares"] = {choice: (got.count(i) / len(got) if got else None) for i, choice in enumerate(q["choices"])}
            row["questions"].append(figure)
        row["few"] = row["responses"] < SMALL_SAMPLE
        out.append(row)
    return out


def raw(db: Database, actor: Actor, survey_id: int) -> list[dict]:
    """Every response with its answers as given (admins only): one row per response."""
    require(actor, "surveys.raw", city=True)
    s = survey(db, survey_id)
    texts = {q["id"]: q for q in s["questions"]}
    rows: dict[int, dict] = {}
    for r in db.query("SELECT p.id, p.answered_at, c.name AS community, a.question_id, a.value, a.text"
                      " FROM survey_responses p JOIN communities c ON c.id = p.community_id"
                      " LEFT JOIN survey_answers a ON a.response_id = p.id WHERE p.survey_id = ? ORDER BY p.id",
                      [survey_id]):
        row = rows.setdefault(r["id"], {"response": r["id"], "answered_at": r["answered_at"], "community": r["community"]})
        q = texts.get(r["question_id"])
        if q:
            row[q["text"]] = r["text"] if q["kind"] == "text" else q["choices"][r["value"]] if q["kind"] == "choice" else r["value"]
    return list(rows.values())
