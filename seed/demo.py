"""The demo city: Chizhou's communities, the categories and one account of every role."""

from sqlite_utils import Database

from db import audit
from db.store import write
from db.models import SYSTEM, UserIn
from db.users import insert_user
from seed import chizhou

# Demo passwords are public on purpose (the login page lists them in demo mode);
# a real deployment creates its accounts with `python -m db create-user`.
DEMO_PASSWORD = "linli-demo"
DEMO_ACCOUNTS = [
    {"username": "admin", "display_name": "系统管理员", "role": "admin", "community": None},
    {"username": "leader", "display_name": "市民政局 王局长", "role": "leader", "community": None},
    {"username": "coordinator", "display_name": "秋浦社区 李敏", "role": "coordinator", "community": "秋浦社区"},
    {"username": "coordinator2", "display_name": "尧渡社区 周强", "role": "coordinator", "community": "尧渡社区"},
    {"username": "volunteer", "display_name": "陈晓雨", "role": "volunteer", "community": "秋浦社区"},
]


def is_empty(db: Database) -> bool:
    return db["communities"].count == 0


def seed_demo(db: Database, seed: int = 2026) -> None:
    """Fill an empty database with the demo city (in one transaction)."""
    with write(db):
        db["communities"].insert_all(chizhou.communities(seed))
        for account in DEMO_ACCOUNTS:
            insert_user(db, SYSTEM, UserIn(**account, password=DEMO_PASSWORD))
        audit.record(db, SYSTEM, "seed_demo", "communities", None, after={"seed": seed})
    for extend in EXTENSIONS:
        extend(db, seed)


def _feature_builders():
    # Each feature area builds its own demo data on top of the city and the accounts.
    from seed.activities import seed_activities
    from seed.daycare import seed_daycare
    from seed.exchange import seed_exchange
    from seed.outlets import seed_outlets
    from seed.voice import seed_voice
    from seed.volunteers import seed_volunteers

    return [seed_volunteers, seed_outlets, seed_exchange, seed_daycare, seed_activities, seed_voice]


EXTENSIONS = _feature_builders()
