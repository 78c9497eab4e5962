"""The scorecard per community (考核表) for a period. Nine figures, each turned into a score by the
efficacy-coefficient method (功效系数法) common in Chinese government assessment: the city's
best community on a figure scores 100, its weakest 60, the rest in proportion (reversed where
less is better; all equal: 100). The total is the weighted mean of a community's scores; a
figure it has no data for (no needs posted, no ratings, no survey answered, no day-care centre)
is left out and the other weights count in proportion. Ranked within the district and the city,
with the change since the period of the same length before. Weights are the admin's (settings);
the defaults are below.

Every figure is read with one aggregate query per period (or reuses the dashboard's)."""

import json
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial

from sqlite_utils import Database

from db import audit, exchange_figures
from db.assessment.corrections import stale_before
from db.dashboard import Scope, by_area
from db.daycare import centres, occupancy, occupancy_rate
from db.errors import InputError
from db.models import Actor, WeightsIn, parse
from db.outlets import coverage
from db.permissions import CITY_VIEW, require, scope
from db.store import write


@dataclass(frozen=True)
class Figure:
    key: str
    better: str  # "high" or "low"
    weight: int  # the default weight (of 100)


FIGURES = (
    Figure("hours_per_1000", "high", 20),  # approved service hours per 1,000 residents
    Figure("active_per_1000", "high", 15),  # volunteers with approved hours per 1,000 residents
    Figure("completion", "high", 15),  # needs posted in the period and confirmed done ÷ needs posted
    Figure("hours_to_claim", "low", 10),  # median hours from posting to claim
    Figure("service_rating", "high", 10),  # residents' mean rating (1–5) of needs done, rated in the period
    Figure("survey_score", "high", 10),  # mean of the 1–5 answers to satisfaction surveys in the period
    Figure("coverage", "high", 10),  # share of the basic categories open within a 15-minute walk
    Figure("freshness", "high", 5),  # share of listed outlets verified within the year to the period's end
    Figure("occupancy", "high", 5),  # day-care places booked ÷ places offered in held sessions
)
KEYS = tuple(f.key for f in FIGURES)
WEIGHTS_KEY = "scorecard_weights"
FLOOR, TOP = 60.0, 100.0


def weights(db: Database) -> dict[str, int]:
    row = db.execute("SELECT value FROM settings WHERE key = ?", [WEIGHTS_KEY]).fetchone()
    stored = json.loads(row[0]) if row else {}
    return {f.key: int(stored.get(f.key, f.weight)) for f in FIGURES}


def set_weights(db: Database, actor: Actor, data: dict[str, int]) -> None:
    new = parse(WeightsIn, {"weights": data}).weights
    if set(new) - set(KEYS):
        raise InputError([("weights", "err.invalid_choice", {})])
    require(actor, "settings.edit")
    with write(db):
        before = weights(db)
        after = {**before, **new}
        db.execute("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                   [WEIGHTS_KEY, json.dumps(after)])
        audit.record(db, actor, "update", "settings", WEIGHTS_KEY, before=before, after=after)


def figures(db: Database, start: date, end: date, cells: list[dict] | None = None, ledger=None) -> dict[int, dict]:
    """Every community's raw figures for [start, end] (None: no data for that figure). Coverage does
    not depend on the period: pass its cells when another period has them already; `ledger` gives
    db.dashboard.by_area's rows for a Scope (a cache of them), by default computed."""
    period = (start.isoformat(), end.isoformat())
    communities = {r["id"]: r for r in db.query("SELECT id, name, district, population FROM communities")}
    by_name = {c["name"]: i for i, c in communities.items()}
    out = {i: {"community_id": i, "community": c["name"], "district": c["district"], **dict.fromkeys(KEYS)}
           for i, c in communities.items()}
    for r in (ledger or partial(by_area, db))(Scope(start, end)):
        row = out[by_name[r["area"]]]
        if r["population"]:
            row["hours_per_1000"], row["active_per_1000"] = r["hours_per_1000"], r["active_per_1000"]
    for r in exchange_figures.by_group(db, period, "community"):
        row = out[by_name[r["key"]]]
        row["completion"], row["hours_to_claim"] = r["fulfilment_rate"], r["median_hours_to_claim"]
    for r in db.query("SELECT community_id, AVG(stars) AS v FROM need_ratings WHERE rated_at >= ? AND rated_at < ?"
                      " GROUP BY community_id", [period[0], period[1] + "T99"]):
        out[r["community_id"]]["service_rating"] = r["v"]
    for r in db.query("SELECT p.community_id, AVG(a.value) AS v FROM survey_responses p"
                      " JOIN survey_answers a ON a.response_id = p.id JOIN survey_questions q ON q.id = a.question_id"
                      " WHERE q.kind = 'scale' AND p.answered_at >= ? AND p.answered_at < ? GROUP BY p.community_id",
                      [period[0], period[1] + "T99"]):
        out[r["community_id"]]["survey_score"] = r["v"]
    reach: dict[int, list[bool]] = {}
    for c in coverage(db) if cells is None else cells:
        reach.setdefault(c["community_id"], []).append(c["within"] > 0)
    for i, got in reach.items():
        out[i]["coverage"] = sum(got) / len(got) if got else None
    for r in db.query("SELECT community_id, COUNT(*) AS n, SUM(CASE WHEN last_verified >= ? THEN 1 ELSE 0 END) AS fresh FROM outlets"
                      " WHERE status != 'closed' GROUP BY community_id", [stale_before(end)]):
        out[r["community_id"]]["freshness"] = (r["fresh"] or 0) / r["n"]
    home = {c["id"]: c["community_id"] for c in centres(db)}
    care: dict[int, list[int]] = {}
    for c in occupancy(db, start, end):
        booked, places = care.setdefault(home[c["centre_id"]], [0, 0])
        care[home[c["centre_id"]]] = [booked + c["booked"], places + c["places"]]
    for i, (booked, places) in care.items():
        out[i]["occupancy"] = occupancy_rate(booked, places)
    return out


def _scores(rows: list[dict], w: dict[str, int]) -> None:
    """Each figure's 60–100 score, the weighted total, and the ranks (ties share a rank)."""
    for f in FIGURES:
        values = [r[f.key] for r in rows if r[f.key] is not None]
        low, high = (min(values), max(values)) if values else (0, 0)
        for r in rows:
            x = r[f.key]
            if x is None:
                r[f"{f.key}_score"] = None
                continue
            share = 1.0 if high == low else ((x - low) if f.better == "high" else (high - x)) / (high - low)
            r[f"{f.key}_score"] = FLOOR + (TOP - FLOOR) * share
    for r in rows:
        counted = [(w[k], r[f"{k}_score"]) for k in KEYS if r[f"{k}_score"] is not None and w[k]]
        total = sum(weight for weight, _ in counted)
        r["score"] = sum(weight * s for weight, s in counted) / total if total else None
    _rank(rows, "rank_city", lambda r: "city")
    _rank(rows, "rank_district", lambda r: r["district"])


def _rank(rows: list[dict], name: str, group) -> None:
    groups: dict[str, list[dict]] = {}
    for r in rows:
        groups.setdefault(group(r), []).append(r)
    for members in groups.values():
        scored = [r for r in members if r["score"] is not None]
        for r in members:
            r[name] = None
        for r in scored:
            r[name] = 1 + sum(1 for o in scored if o["score"] > r["score"] + 1e-9)
        for r in members:
            r[f"{name}_of"] = len(scored)


def table(db: Database, start: date, end: date, cells: list[dict] | None = None, ledger=None) -> list[dict]:
    """The whole city's scorecard for the period, best first, each row with the previous period's
    score and ranks and the change (no permission check: `scorecard` is the one readers call).
    `cells` and `ledger` as for `figures`."""
    w = weights(db)
    days = (end - start).days + 1
    cells = coverage(db) if cells is None else cells
    now = list(figures(db, start, end, cells, ledger).values())
    before = list(figures(db, start - timedelta(days=days), start - timedelta(days=1), cells, ledger).values())
    _scores(now, w)
    _scores(before, w)
    earlier = {r["community_id"]: r for r in before}
    for r in now:
        b = earlier[r["community_id"]]
        r["previous_score"], r["previous_rank_city"] = b["score"], b["rank_city"]
        r["change"] = r["score"] - b["score"] if r["score"] is not None and b["score"] is not None else None
        r["rank_change"] = b["rank_city"] - r["rank_city"] if r["rank_city"] and b["rank_city"] else None
    return sorted(now, key=lambda r: (r["score"] is None, -(r["score"] or 0), r["community"]))


def mean_row(rows: list[dict], label: str) -> dict:
    """The plain mean of each figure and score over some communities (a district's or the city's)."""
    out = {"community": label, "community_id": None, "district": None}
    for key in (*KEYS, *(f"{k}_score" for k in KEYS), "score", "previous_score", "change"):
        values = [r[key] for r in rows if r[key] is not None]
        out[key] = sum(values) / len(values) if values else None
    return out


def check(actor: Actor, start: date, end: date) -> None:
    """A period of at most a year (the previous one as long again), and a reader the table allows."""
    if end < start or (end - start).days > 366:
        raise InputError([("period", "err.scorecard_period", {"days": 366})])
    require(actor, "scorecard.read", actor.community_id, city=True)


def scorecard(db: Database, actor: Actor, start: date, end: date, rows: list[dict] | None = None) -> dict:
    """What the reader may see: leaders and admins every community; a coordinator their own
    community beside their district's and the city's means, with their ranks. Pass the period's
    `table` when the page has it cached."""
    check(actor, start, end)
    rows = table(db, start, end) if rows is None else rows
    if scope(actor, "scorecard.read") is CITY_VIEW:
        own = next(r for r in rows if r["community_id"] == actor.community_id)
        district = [r for r in rows if r["district"] == own["district"]]
        return {"rows": [own], "district": mean_row(district, own["district"]), "city": mean_row(rows, "city"),
                "weights": weights(db)}
    return {"rows": rows, "district": None, "city": mean_row(rows, "city"), "weights": weights(db)}
