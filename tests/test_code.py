"""The code itself: ruff (pyflakes, bugbear) finds no mistake and vulture no dead code. Run as
tests so that README's one test command, and CI, check them."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CODE = ["app.py", "app_pages", "components", "db", "seed", "bench", "tests"]


def test_ruff_finds_nothing():
    run = subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_no_dead_code():
    # Migrations and validators are called through their decorators; `language` is a cache key.
    run = subprocess.run([sys.executable, "-m", "vulture", *CODE, ".ci/vulture_whitelist.py", "--min-confidence", "60",
                          "--ignore-decorators", "@migrations,@model_validator,@field_validator",
                          "--ignore-names", "model_config,cls,language,pytest_runtest_makereport"],
                         cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
