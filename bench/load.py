"""python -m bench.load [--db PATH] [--clients 20] [--seconds 60] — concurrent sessions on one
local server, as websocket clients speaking Streamlit's own protocol (no browser rendering on
this 2-core machine, so the figures are the server's), for a bounded time; prints p50/p95
interaction latency and errors as one JSON line.

Half the clients are residents on the directory (search terms and communities in the URL);
half are leaders, logged in by their signed cookie, switching the dashboard's filters. Each
interaction is a script rerun; its latency runs from the request to Streamlit's
script_finished message; between interactions a client waits 2–5 s, as a person reading does.
Traffic goes only to 127.0.0.1; the run stops by itself."""

import argparse
import asyncio
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.e2e.conftest import COOKIE_KEY, Server  # noqa: E402

PERIODS = ["this_month", "last_month", "quarter", "year"]
DISTRICTS = ["", "贵池区", "东至县", "青阳县", "石台县", "九华山风景区"]


def _cookie(username: str) -> str:
    import jwt

    token = jwt.encode({"username": username, "exp_date": time.time() + 86400}, COOKIE_KEY, algorithm="HS256")
    return f"linli_auth={token}"


async def _rerun(ws, page: str, query: str) -> float:
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    msg = BackMsg()
    msg.rerun_script.query_string = query
    msg.rerun_script.page_name = page
    started = time.perf_counter()
    await ws.send(msg.SerializeToString())
    while True:
        reply = ForwardMsg()
        reply.ParseFromString(await asyncio.wait_for(ws.recv(), timeout=120))
        if reply.WhichOneof("type") == "page_not_found":
            raise RuntimeError(f"page {page} is not in this session's navigation (not logged in?)")
        if reply.WhichOneof("type") == "script_finished":
            return (time.perf_counter() - started) * 1000


async def client(n: int, url: str, deadline: float, timings: list, errors: list, delay: float) -> None:
    import websockets
    from urllib.parse import urlencode

    await asyncio.sleep(delay)  # clients arrive over the ramp-up, as people do
    rng = random.Random(n)
    leader = n % 2 == 1
    headers = {"Origin": url}
    if leader:
        headers["Cookie"] = _cookie("leader")
    try:
        async with websockets.connect(url.replace("http", "ws") + "/_stcore/stream", subprotocols=["streamlit"],
                                      additional_headers=headers, max_size=None) as ws:
            while time.time() < deadline:
                if leader:
                    query = urlencode({"period": rng.choice(PERIODS), "district": rng.choice(DISTRICTS)})
                    timings.append(("dashboard", await _rerun(ws, "dashboard", query)))
                else:
                    query = urlencode({"community": rng.randint(1, 92)})
                    timings.append(("directory", await _rerun(ws, "directory", query)))
                await asyncio.sleep(rng.uniform(2.0, 5.0))  # a person reads the page before the next click
    except Exception as exc:  # every failure is counted, none stops the others
        errors.append(f"{'leader' if leader else 'resident'}: {type(exc).__name__}: {str(exc)[:120]}")


async def run(url: str, clients: int, seconds: int) -> dict:
    ramp = min(10.0, seconds / 4)
    deadline = time.time() + seconds
    timings, errors = [], []
    await asyncio.wait_for(asyncio.gather(*[client(n, url, deadline, timings, errors, ramp * n / clients)
                                            for n in range(clients)]), timeout=seconds + 300)
    report = {"clients": clients, "seconds": seconds, "ramp_up_s": ramp, "interactions": len(timings),
              "errors": len(errors), "error_samples": errors[:3]}
    for kind in sorted({k for k, _ in timings}):
        values = sorted(v for k, v in timings if k == kind)
        report[kind] = {"n": len(values), "p50_ms": round(statistics.median(values)),
                        "p95_ms": round(values[min(len(values) - 1, int(len(values) * 0.95))])}
    every = sorted(v for _, v in timings)
    if every:
        report["all"] = {"n": len(every), "p50_ms": round(statistics.median(every)),
                         "p95_ms": round(every[min(len(every) - 1, int(len(every) * 0.95))])}
    return report


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="database to serve (default: a fresh demo database)")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    args = parser.parse_args(argv)
    import urllib.request

    with tempfile.TemporaryDirectory() as tmp:
        server = Server(Path(tmp), db_path=Path(args.db) if args.db else None)
        try:
            urllib.request.urlopen(server.url, timeout=30).read()
            asyncio.run(run(server.url, 1, 3))  # warm-up: the first run migrates and seeds
            report = asyncio.run(run(server.url, args.clients, args.seconds))
        finally:
            server.stop()
    print(json.dumps(report, ensure_ascii=False))
    return 0 if report["errors"] == 0 and report["interactions"] else 1


if __name__ == "__main__":
    sys.exit(main())
