"""Fixtures: a fresh database file per test, seeded or empty, and AppTest helpers."""

import os
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("LINLI_BCRYPT_ROUNDS", "4")
# Tests never write keys into the checkout: one data key for the whole run, from the environment.
os.environ.setdefault("LINLI_DATA_KEY", "test-data-key-" + "k" * 40)
# The suite runs on a UTC server clock, the usual container default: "today" must still be Beijing's.
os.environ["TZ"] = "UTC"
time.tzset()  # cheap hashes: the tests seed many databases

import atexit  # noqa: E402
import shutil  # noqa: E402
import sqlite3  # noqa: E402
import tempfile  # noqa: E402

import seed.demo  # noqa: E402
from db import clock  # noqa: E402
from db.connection import connect  # noqa: E402

# The demo city is seeded once per run (per seed and day) and copied into each test's database:
# seeding it anew took most of the time of every test that starts from it. Seeding reads the
# clock, so a frozen or shifted clock seeds for real. The app's own first-start seeding
# (components/data.py) imports seed_demo when it runs, so it gets this one too.
_seed_for_real = seed.demo.seed_demo
_templates: dict[tuple, Path] = {}
_template_dir = Path(tempfile.mkdtemp(prefix="linli-demo-"))
atexit.register(shutil.rmtree, _template_dir, True)
# Whatever a test forgets to point elsewhere lands in the run's temporary folder, never in the
# checkout's data/ (an AppTest run outliving its test's environment once wrote data/linli.db).
os.environ.setdefault("LINLI_DB_PATH", str(_template_dir / "stray" / "linli.db"))
os.environ.setdefault("LINLI_COOKIE_KEY", "test-cookie-key-" + "s" * 32)


def seed_demo(db, seed: int = 2026) -> None:
    if clock._frozen is not None or os.environ.get("LINLI_NOW"):
        return _seed_for_real(db, seed)
    key = (seed, clock.today())
    if key not in _templates:
        path = _template_dir / f"demo-{seed}-{key[1]}.db"
        template = connect(path)
        _seed_for_real(template, seed)
        template.close()
        _templates[key] = path
    source = sqlite3.connect(_templates[key])
    source.backup(db.conn)
    source.close()


seed.demo.seed_demo = seed_demo
DEMO_PASSWORD = seed.demo.DEMO_PASSWORD


@pytest.fixture
def empty_db(tmp_path):
    db = connect(tmp_path / "linli.db")
    yield db
    db.close()


@pytest.fixture
def db(tmp_path):
    """A freshly migrated and demo-seeded database file (the demo city is small and quick)."""
    db = connect(tmp_path / "linli.db")
    seed_demo(db)
    yield db
    db.close()


@pytest.fixture
def db_file(db) -> str:
    """The demo-seeded database as a file path, for the command line and other processes."""
    return db.conn.execute("PRAGMA database_list").fetchone()[2]


@pytest.fixture
def app_env(tmp_path, monkeypatch):
    """Point the app at a temporary database (seeded on first run) and return its path."""
    path = tmp_path / "app.db"
    monkeypatch.setenv("LINLI_DB_PATH", str(path))
    monkeypatch.setenv("LINLI_DEMO", "1")
    monkeypatch.setenv("LINLI_COOKIE_KEY", "test-cookie-key-" + "x" * 32)
    return path


def new_app():
    from streamlit.testing.v1 import AppTest

    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)


def login(at, username: str, password: str = DEMO_PASSWORD):
    """Log in through the real login page and form."""
    at.switch_page("app_pages/login.py").run()
    at.text_input(key="login_username").input(username)
    at.text_input(key="login_password").input(password)
    at.button(key="login_submit").click().run()
    return at


def texts(at) -> str:
    """All visible text of a run, for loose assertions about what a user reads."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "error", "warning", "info",
                 "success"):
        parts += [str(e.value) for e in getattr(at, kind)]
    return "\n".join(parts)


def in_ci() -> bool:
    return os.environ.get("CI") == "true"


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the groups
def pytest_collection_modifyitems(config, items):
    """With xdist (`-n 2 --dist loadgroup`, README's command) the browser tests share one worker,
    one after another: each starts a Streamlit server and a Chromium, and two of those racing on a
    small machine make timeouts, not speed. The other worker runs everything else meanwhile."""
    browser = pytest.mark.xdist_group("browser")
    for item in items:
        if "tests/e2e/" in item.nodeid:
            item.add_marker(browser)
