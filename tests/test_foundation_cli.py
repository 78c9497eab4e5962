"""python -m db and python -m seed, run as a user would run them."""

import os
import subprocess
import sys

from tests.conftest import ROOT
import pytest

pytestmark = pytest.mark.both_engines


def run(*args, env=None, **kw):
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, env=full_env, capture_output=True,
                          text=True, timeout=120, stdin=subprocess.DEVNULL, **kw)


def test_check_passes_on_freshly_seeded_database(tmp_path):
    path = str(tmp_path / "c.db")
    assert run("seed", "--demo", "--db", path).returncode == 0
    result = run("db", "--db", path, "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "integrity: ok" in result.stdout and "check: ok" in result.stdout


def test_seed_refuses_non_empty_database(db_file):
    result = run("seed", "--demo", "--db", db_file)
    assert result.returncode == 1 and "already holds data" in result.stderr


def test_create_user_from_environment_password(db_file):
    path = db_file
    ok = run("db", "--db", path, "create-user", "zhang", "--role", "coordinator", "--community", "秋浦社区",
             env={"LINLI_PASSWORD": "a-long-password"})
    assert ok.returncode == 0, ok.stderr
    dup = run("db", "--db", path, "create-user", "zhang", "--role", "leader", env={"LINLI_PASSWORD": "a-long-password"})
    assert dup.returncode == 1 and "taken" in dup.stderr


def test_create_user_bad_arguments(tmp_path):
    path = str(tmp_path / "c.db")
    run("db", "--db", path, "init")
    bad_role = run("db", "--db", path, "create-user", "zhang", "--role", "king", env={"LINLI_PASSWORD": "a-long-password"})
    assert bad_role.returncode == 2 and "invalid choice" in bad_role.stderr
    unknown = run("db", "--db", path, "create-user", "zhang", "--role", "coordinator", "--community", "火星社区",
                  env={"LINLI_PASSWORD": "a-long-password"})
    assert unknown.returncode == 2 and "There is no community called “火星社区”" in unknown.stderr
    os.environ.pop("LINLI_PASSWORD", None)
    no_password = run("db", "--db", path, "create-user", "zhang", "--role", "leader")
    assert no_password.returncode == 2 and "LINLI_PASSWORD" in no_password.stderr


def test_backup_makes_a_checkable_copy(db_file, tmp_path, engine, new_store):
    path, copy = db_file, str(tmp_path / "backup" / "copy.db")
    assert run("db", "--db", path, "backup", copy).returncode == 0
    if engine == "postgresql":  # a pg_dump file is checked by restoring it (restore runs check)
        restored = run("db", "restore", copy, new_store())
        assert restored.returncode == 0 and "check: ok" in restored.stdout, restored.stdout + restored.stderr
    else:
        assert run("db", "--db", copy, "check").returncode == 0
    assert run("db", "--db", path, "backup", copy).returncode == 2  # never overwrites


def test_check_on_missing_file_fails(tmp_path):
    assert run("db", "--db", str(tmp_path / "none.db"), "check").returncode == 1
