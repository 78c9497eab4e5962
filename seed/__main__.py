"""python -m seed --demo: fill the database at LINLI_DB_PATH with the Chizhou demo city."""

import argparse
import os
import sys

from db.connection import connect
from db import postgres
from db.store import location
from seed.demo import is_empty, seed_demo
from seed.synthetic import SIZES, seed_synthetic


def where_shown(target: str) -> str:
    """The store as printed: a URL without its password."""
    return postgres.safe_url(target) if postgres.is_url(target) else target


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m seed", description="Linli demo data")
    parser.add_argument("--demo", action="store_true", help="seed the Chizhou demo city")
    parser.add_argument("--db", help="database path or postgresql:// URL (default: LINLI_DATABASE_URL, else"
                                     " LINLI_DB_PATH, else data/linli.db)")
    parser.add_argument("--synthetic", action="store_true", help="seed a synthetic city for benchmarks")
    parser.add_argument("--size", default="city", choices=sorted(SIZES), help="synthetic size (default city)")
    for name in SIZES["city"]:
        parser.add_argument(f"--{name}", type=int, help=f"override the number of {name}")
    parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
    args = parser.parse_args(argv)
    if args.demo == args.synthetic:
        parser.error("pass exactly one of --demo or --synthetic")
    target = args.db or location()
    if not postgres.is_url(target):  # the data key lives beside the database it encrypts (as for python -m db)
        os.environ["LINLI_DB_PATH"] = target
    db = connect(target)
    if not is_empty(db):
        print("The database already holds data; seed data is only added to an empty database.",
              file=sys.stderr)
        return 1
    if args.demo:
        seed_demo(db, args.seed)
        print(f"Seeded the demo city into {where_shown(target)}.")
        return 0
    size = {k: getattr(args, k) or v for k, v in SIZES[args.size].items()}
    result = seed_synthetic(db, size, args.seed)
    print(f"Seeded a synthetic city into {where_shown(target)}: {result}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
