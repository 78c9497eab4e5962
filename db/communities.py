"""Communities: everyone reads; admins add and edit."""

from sqlite_utils import Database

from db import audit
from db.store import write
from db.errors import Conflict, InputError, NotFound
from db.models import Actor, CommunityIn, parse
from db.permissions import require

COLUMNS = ("id", "name", "district", "kind", "households", "population", "lat", "lon")


def list_communities(db: Database, district: str | None = None) -> list[dict]:
    sql, params = f"SELECT {', '.join(COLUMNS)} FROM communities", []
    if district:
        sql += " WHERE district = ?"
        params.append(district)
    return list(db.query(sql + " ORDER BY district, name", params))


def get_community(db: Database, community_id: int) -> dict:
    rows = list(db.query(f"SELECT {', '.join(COLUMNS)} FROM communities WHERE id = ?", [community_id]))
    if not rows:
        raise NotFound("err.not_found")
    return rows[0]


def community_id_by_name(db: Database, name: str) -> int:
    """The id of a community named by a person; an unknown name is an input error."""
    rows = list(db.query("SELECT id FROM communities WHERE name = ?", [name.strip()]))
    if not rows:
        raise InputError([("community", "err.unknown_community", {"name": name})])
    return rows[0]["id"]


def create_community(db: Database, actor: Actor, data: dict) -> int:
    require(actor, "communities.edit")
    community = parse(CommunityIn, data)
    with write(db):
        _refuse_duplicate_name(db, community.name)
        cursor = db.execute(
            "INSERT INTO communities (name, district, kind, households, population, lat, lon)"
            " VALUES (:name, :district, :kind, :households, :population, :lat, :lon)",
            community.model_dump(),
        )
        new_id = cursor.lastrowid
        audit.record(db, actor, "create", "communities", new_id, after=community.model_dump(),
                     community_id=new_id)
    return new_id


def update_community(db: Database, actor: Actor, community_id: int, data: dict) -> None:
    require(actor, "communities.edit")
    community = parse(CommunityIn, data)
    with write(db):
        before = get_community(db, community_id)
        _refuse_duplicate_name(db, community.name, community_id)
        db.execute(
            "UPDATE communities SET name = :name, district = :district, kind = :kind,"
            " households = :households, population = :population, lat = :lat, lon = :lon"
            " WHERE id = :id",
            {**community.model_dump(), "id": community_id},
        )
        audit.record(db, actor, "update", "communities", community_id, before=before,
                     after=community.model_dump(), community_id=community_id)


def _refuse_duplicate_name(db: Database, name: str, own_id: int | None = None) -> None:
    rows = list(db.query("SELECT id FROM communities WHERE name = ? AND id IS NOT ?", [name, own_id]))
    if rows:
        raise Conflict("err.duplicate_community", name=name)


def city_summary(db: Database) -> dict:
    """Districts, communities and residents, for the home page."""
    return dict(next(db.query(
        "SELECT COUNT(DISTINCT district) AS districts, COUNT(*) AS communities,"
        " COALESCE(SUM(population), 0) AS population FROM communities")))
