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
from seed.demo import is_empty as _is_empty  # noqa: E402
from db import clock  # noqa: E402
from db.connection import connect  # noqa: E402
from db.store import is_postgres as db_is_postgres, where  # noqa: E402

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
    if db_is_postgres(db):  # its tests' databases are copies of a seeded template already
        if _is_empty(db):
            _seed_for_real(db, seed)
        return
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
def engine(request) -> str:
    """The store's engine for this test: SQLite, or PostgreSQL where a module is marked
    `both_engines` (then every test using `db`, `empty_db` or `app_env` runs once on each).
    LINLI_TEST_ENGINE=postgresql runs every other test on PostgreSQL too (to see how far it goes)."""
    return getattr(request, "param", os.environ.get("LINLI_TEST_ENGINE", "sqlite"))


def pytest_generate_tests(metafunc):
    if metafunc.definition.get_closest_marker("both_engines") and {"db", "empty_db", "app_env"} & set(metafunc.fixturenames):
        metafunc.parametrize("engine", ["sqlite", "postgresql"], indirect=True)


_postgres: dict = {}


def postgres_cluster():
    """This run's throwaway PostgreSQL cluster (one per test worker, started on first use). Without
    the server binaries the PostgreSQL half of a test is skipped locally and fails in CI."""
    if "cluster" not in _postgres:
        from tests.postgres_cluster import Cluster, binaries

        if binaries() is None:
            if in_ci():
                pytest.fail("PostgreSQL's server binaries are missing (apt install postgresql); CI requires them")
            pytest.skip("PostgreSQL's server binaries are not installed")
        _postgres["cluster"] = Cluster()
        atexit.register(_postgres["cluster"].stop)
    return _postgres["cluster"]


def _postgres_db(request, seeded: bool):
    cluster = postgres_cluster()
    template = None
    if seeded:
        template = _postgres_template(cluster)
    _postgres["n"] = _postgres.get("n", 0) + 1
    name = f"test_{os.getpid()}_{_postgres['n']}"
    db = connect(cluster.create(name, template), migrate=template is None)
    if seeded and template is None:  # a frozen clock: seed for real
        _seed_for_real(db, 2026)
    request.addfinalizer(lambda: (db.close(), cluster.drop(name)))
    return db


def _postgres_template(cluster) -> str | None:
    """The demo city seeded once per run and day, copied into each test's database (CREATE
    DATABASE … TEMPLATE copies files: far quicker than seeding)."""
    if clock._frozen is not None or os.environ.get("LINLI_NOW"):
        return None
    name = f"demo_2026_{clock.today():%Y%m%d}"
    if name not in _postgres:
        template = connect(cluster.create(name))
        _seed_for_real(template, 2026)
        template.close()
        _postgres[name] = True
    return name


@pytest.fixture
def new_store(tmp_path, engine, request):
    """A function making a new, empty store on this test's engine (a file path, or a new database's
    URL), for restores and other processes."""
    made = []

    def make(name: str = "new") -> str:
        if engine == "postgresql":
            made.append(f"{name}_{os.getpid()}_{len(made)}_{abs(hash(request.node.nodeid)) % 10**8}")
            return postgres_cluster().create(made[-1])
        return str(tmp_path / name / "linli.db")

    yield make
    for name in made:
        postgres_cluster().drop(name)


@pytest.fixture
def empty_db(tmp_path, engine, request):
    if engine == "postgresql":
        yield _postgres_db(request, seeded=False)
        return
    db = connect(tmp_path / "linli.db")
    yield db
    db.close()


@pytest.fixture
def db(tmp_path, engine, request):
    """A freshly migrated and demo-seeded database file (the demo city is small and quick)."""
    if engine == "postgresql":
        yield _postgres_db(request, seeded=True)
        return
    db = connect(tmp_path / "linli.db")
    seed_demo(db)
    yield db
    db.close()


@pytest.fixture
def db_file(db) -> str:
    """The demo-seeded store as connect() takes it (a file's path, or PostgreSQL's URL), for the
    command line and other processes."""
    return where(db)


def stored_bytes(db) -> bytes:
    """Everything the store holds as bytes, to look for what must not be there in clear: SQLite's
    file and its write-ahead log, or a plain pg_dump of the PostgreSQL database."""
    import subprocess

    from db.postgres_tools import tool

    location = where(db)
    if db_is_postgres(db):
        return subprocess.run([tool("pg_dump"), "--format=plain", location], capture_output=True, check=True).stdout
    db.conn.commit()
    wal = Path(f"{location}-wal")
    return Path(location).read_bytes() + (wal.read_bytes() if wal.exists() else b"")


@pytest.fixture
def app_env(tmp_path, monkeypatch, engine, request):
    """Point the app at a temporary database (seeded on first run) and return its path. On
    PostgreSQL the app gets LINLI_DATABASE_URL: a new database holding the demo city."""
    path = tmp_path / "app.db"
    monkeypatch.setenv("LINLI_DB_PATH", str(path))
    if engine == "postgresql":  # the URL stands for the path: connect() takes either
        url = _postgres_db(request, seeded=True).url
        monkeypatch.setenv("LINLI_DATABASE_URL", url)
        monkeypatch.setenv("LINLI_COOKIE_KEY", "test-cookie-key-" + "x" * 32)
        monkeypatch.setenv("LINLI_DEMO", "1")
        return url
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
