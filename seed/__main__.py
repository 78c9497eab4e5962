"""python -m seed --demo: fill the database at LINLI_DB_PATH with the Chizhou demo city."""

import argparse
import sys

from db.connection import connect, db_path
from seed.demo import is_empty, seed_demo


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m seed", description="Linli demo data")
    parser.add_argument("--demo", action="store_true", help="seed the Chizhou demo city")
    parser.add_argument("--db", help="database path (default: LINLI_DB_PATH or data/linli.db)")
    parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
    args = parser.parse_args(argv)
    if not args.demo:
        parser.error("nothing to do: pass --demo")
    db = connect(args.db or db_path())
    if not is_empty(db):
        print("The database already holds data; demo data is only added to an empty database.",
              file=sys.stderr)
        return 1
    seed_demo(db, args.seed)
    print(f"Seeded the demo city into {args.db or db_path()}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
