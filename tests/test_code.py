"""The code itself: ruff (pyflakes, bugbear) finds no mistake and vulture no dead code. Run as
tests so that README's one test command, and CI, check them."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CODE = ["app.py", "app_pages", "catalogue", "components", "db", "seed", "bench", "tests"]


def test_ruff_finds_nothing():
    run = subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_no_dead_code():
    # Migrations and validators are called through their decorators; `language` is a cache key.
    run = subprocess.run([sys.executable, "-m", "vulture", *CODE, ".ci/vulture_whitelist.py", "--min-confidence", "60",
                          "--ignore-decorators", "@migrations,@model_validator,@field_validator",
                          "--ignore-names", "model_config,cls,language,pytest_*,pytestmark"],
                         cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_db_has_no_import_cycle_and_no_streamlit():
    """db/ is the layer under everything: its modules import each other without a cycle (also
    through imports inside functions) and never import Streamlit or components/."""
    import ast

    graph, outside = {}, []
    for path in (ROOT / "db").glob("*.py"):
        deps = set()
        for node in ast.walk(ast.parse(path.read_text())):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else \
                [a.name for a in node.names] if isinstance(node, ast.Import) else []
            for name in names:
                if name == "db" and isinstance(node, ast.ImportFrom):
                    deps |= {a.name for a in node.names}
                elif name.startswith("db."):
                    deps.add(name[3:])
                elif name.split(".")[0] in ("streamlit", "components", "app_pages"):
                    outside.append(f"{path.name} imports {name}")
        graph[path.stem] = deps
    assert not outside, outside

    def cycle_from(start, node, seen):
        for dep in graph.get(node, ()):
            if dep == start:
                return seen + [dep]
            if dep not in seen:
                found = cycle_from(start, dep, seen + [dep])
                if found:
                    return found
        return None

    cycles = [c for m in graph if (c := cycle_from(m, m, [m]))]
    assert not cycles, cycles[0]
