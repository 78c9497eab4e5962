"""A real installation starts empty (LINLI_DEMO=0): every page must still open, for the public
and for the first admin created on the command line."""

import os
import subprocess
import sys

from components.navigation import pages_for
from tests.conftest import ROOT, login, new_app


def test_every_page_opens_on_an_empty_database(app_env, monkeypatch):
    monkeypatch.setenv("LINLI_DEMO", "0")
    created = subprocess.run([sys.executable, "-m", "db", "--db", str(app_env), "create-user", "chief", "--role", "admin"],
                             cwd=ROOT, env={**os.environ, "LINLI_PASSWORD": "first-admin-pw"}, capture_output=True,
                             text=True, timeout=60)
    assert created.returncode == 0, created.stderr
    at = new_app().run()
    for spec in pages_for("public"):
        at.switch_page(spec.path).run()
        assert not at.exception, (spec.path, at.exception)
    login(at, "chief", "first-admin-pw")
    assert at.session_state["actor"].role == "admin"
    for spec in pages_for("admin"):
        at.switch_page(spec.path).run()
        assert not at.exception, (spec.path, at.exception)
