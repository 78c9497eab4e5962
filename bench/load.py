"""python -m bench.load [--db PATH] [--clients 20] [--seconds 60] [--processes N] — concurrent
sessions on one local server (or N app processes behind nginx running deploy/nginx-linli.conf), as websocket clients speaking Streamlit's own protocol (no browser rendering on
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
import os
import random
import statistics
from collections import Counter
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# The tests' settings (imported with their server) include a data key of their own: a database
# given here was written with its own key, so the servers must not inherit the tests' one (they
# would serve "wrong data key" pages — fast, and wrong).
_OWN_DATA_KEY = os.environ.get("LINLI_DATA_KEY")
from tests.e2e.conftest import COOKIE_KEY, Proxy, Server  # noqa: E402

if _OWN_DATA_KEY is None:
    os.environ.pop("LINLI_DATA_KEY", None)

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
        _refuse_errors(reply)
        if reply.WhichOneof("type") == "script_finished":
            return (time.perf_counter() - started) * 1000


def _refuse_errors(reply) -> None:
    """An error on the page (a traceback, or an st.error such as a wrong data key) is a failed
    interaction, not a fast one."""
    if reply.WhichOneof("type") == "delta" and reply.delta.WhichOneof("type") == "new_element":
        element = reply.delta.new_element
        kind = element.WhichOneof("type")
        if kind == "exception" or (kind == "alert" and element.alert.format == element.alert.ERROR):
            text = element.exception.message if kind == "exception" else element.alert.body
            raise RuntimeError(f"the page shows an error: {text[:100]}")


async def _press(ws, page: str, button_id: str) -> bytes:
    """Press a button as the browser does (a rerun carrying its trigger) and return every message of
    the runs that follow, up to one that is not cut short for a rerun (a write's st.rerun)."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    msg = BackMsg()
    msg.rerun_script.page_name = page
    msg.rerun_script.widget_states.widgets.add(id=button_id, trigger_value=True)
    await ws.send(msg.SerializeToString())
    seen = b""
    while True:
        raw = await asyncio.wait_for(ws.recv(), timeout=120)
        reply = ForwardMsg()
        reply.ParseFromString(raw)
        seen += raw
        if TAKEN not in raw:  # a claim lost to another volunteer is an answer, not an error
            _refuse_errors(reply)
        if reply.WhichOneof("type") == "script_finished" and reply.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
            return seen


async def _buttons(ws, page: str, label: str) -> list[str]:
    """The ids of the page's buttons labelled `label`, from one run's messages."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    msg = BackMsg()
    msg.rerun_script.page_name = page
    await ws.send(msg.SerializeToString())
    found = []
    while True:
        reply = ForwardMsg()
        reply.ParseFromString(await asyncio.wait_for(ws.recv(), timeout=120))
        _refuse_errors(reply)
        kind = reply.WhichOneof("type")
        if kind == "delta" and reply.delta.WhichOneof("type") == "new_element":
            element = reply.delta.new_element
            if element.WhichOneof("type") == "button" and element.button.label == label:
                found.append(element.button.id)
        if kind == "script_finished":
            return found


from components.feedback import FLASH_SECONDS  # noqa: E402

CLAIM, CLAIMED, TAKEN = "我来认领", "认领成功".encode(), "刚刚被别人认领".encode()


async def writer(n: int, url: str, deadline: float, timings: list, errors: list, claims: list, delay: float) -> None:
    """A volunteer claiming open needs of their community, all writers on the same board: of two
    claims of one need exactly one wins, and every claim the page confirmed must be in the store."""
    import websockets

    await asyncio.sleep(delay)
    rng = random.Random(1000 + n)
    try:
        async with websockets.connect(url.replace("http", "ws") + "/_stcore/stream", subprotocols=["streamlit"],
                                      additional_headers={"Origin": url, "Cookie": _cookie("volunteer")},
                                      max_size=None) as ws:
            while time.time() < deadline:
                started = time.perf_counter()
                ids = await _buttons(ws, "exchange", CLAIM)
                if not ids:
                    raise RuntimeError("no need left to claim")
                reply = await _press(ws, "exchange", rng.choice(ids[:3]))  # the top of the board: writers collide
                timings.append(("claim", (time.perf_counter() - started) * 1000))
                # "gone": another volunteer took it between the board and the press, and the rerun no
                # longer draws its card, so the press does nothing (as in a browser)
                claims.append("taken" if TAKEN in reply else "won" if CLAIMED in reply else "gone")
                # longer than a success message stays on the page (FLASH_SECONDS), so the next
                # press's reply shows no message of this one
                await asyncio.sleep(rng.uniform(FLASH_SECONDS + 1, FLASH_SECONDS + 4))
    except Exception as exc:
        errors.append(f"volunteer: {type(exc).__name__}: {str(exc)[:120]}")


def open_needs(path: Path, how_many: int) -> tuple[int, str]:
    """Needs for the writers to claim, posted by the volunteer's coordinator; (volunteer id, the
    moment before), so that the claims of the run can be counted in the store afterwards."""
    from datetime import timedelta

    from db import clock
    from db.connection import connect
    from db.exchange import post_need
    from db.models import Actor
    from db.store import write
    from db.users import actor_for

    db = connect(path)
    # the last run's needs go first: each run starts from the board the city had
    with write(db):
        db.execute("DELETE FROM service_requests WHERE title LIKE '压测需求 %' AND status IN ('open', 'claimed')")
    volunteer = actor_for(db, "volunteer")
    coordinator = Actor("bench", "coordinator", community_id=volunteer.community_id)
    since = clock.now().isoformat(timespec="seconds")
    expires = (clock.now() + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    for k in range(how_many):
        post_need(db, coordinator, {"title": f"压测需求 {k}", "category": "medicine", "community_id": volunteer.community_id,
                                    "requester_name": "王奶奶", "requester_phone": "13900001111", "address": "3栋2单元",
                                    "expires_at": expires})
    db.close()
    return volunteer.volunteer_id, since


def claims_stored(path: Path, volunteer_id: int, since: str) -> int:
    from db.connection import connect

    db = connect(path, migrate=False)
    try:
        return db.execute("SELECT COUNT(*) FROM service_requests WHERE claimed_by = ? AND claimed_at >= ?",
                          [volunteer_id, since]).fetchone()[0]
    finally:
        db.close()


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


async def run(url: str, clients: int, seconds: int, writers: int = 0) -> dict:
    ramp = min(10.0, seconds / 4)
    deadline = time.time() + seconds
    timings, errors, claims = [], [], []
    await asyncio.wait_for(asyncio.gather(
        *[client(n, url, deadline, timings, errors, ramp * n / clients) for n in range(clients)],
        *[writer(n, url, deadline, timings, errors, claims, ramp * n / max(writers, 1)) for n in range(writers)]),
        timeout=seconds + 300)
    report = {"clients": clients, "writers": writers, "seconds": seconds, "ramp_up_s": ramp, "interactions": len(timings),
              "errors": len(errors), "error_samples": errors[:3], "claims": dict(Counter(claims))}
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
    parser.add_argument("--db", help="database file or postgresql:// URL to serve (default: a fresh demo database)")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--writers", type=int, default=4,
                        help="volunteers claiming needs of one board at the same time (their claims are counted after)")
    parser.add_argument("--processes", type=int, default=0,
                        help="app processes behind nginx (deploy/nginx-linli.conf); 0: one process, no proxy")
    args = parser.parse_args(argv)
    import urllib.request

    with tempfile.TemporaryDirectory() as tmp:
        from db import postgres

        if args.db and postgres.is_url(args.db):  # the servers inherit it (keys: secrets.toml or LINLI_*_KEY)
            store = os.environ["LINLI_DATABASE_URL"] = args.db
        else:
            store = Path(args.db) if args.db else Path(tmp) / "load.db"
            os.environ["LINLI_DB_PATH"] = str(store)  # its keys are beside it, for this process too
        first = Server(Path(tmp) / "app0", db_path=store)
        servers, proxy = [first], None
        try:
            urllib.request.urlopen(first.url, timeout=30).read()
            asyncio.run(run(first.url, 1, 3))  # warm-up: the first run migrates and seeds
            servers += [Server(Path(tmp) / f"app{n}", db_path=store) for n in range(1, args.processes)]
            if args.processes:
                proxy = Proxy(servers, Path(tmp) / "nginx")
                for s in servers[1:]:
                    asyncio.run(run(s.url, 1, 3))  # each process opens the store once before the clock starts
            volunteer, since = open_needs(store, 30 * args.writers)
            report = asyncio.run(run(proxy.url if proxy else first.url, args.clients, args.seconds, args.writers))
            # No write lost or doubled: the claims the pages confirmed are the claims in the store.
            report["claims_stored"] = claims_stored(store, volunteer, since)
            report["lost_writes"] = report["claims"].get("won", 0) - report["claims_stored"]
            report["processes"] = args.processes or 1
            report["proxy"] = proxy is not None
            report["per_second"] = round(report["interactions"] / args.seconds, 2)
            if proxy:
                report["per_process"] = sorted(Counter(up for _, up in proxy.routes() if up != "-").values())
        finally:
            if proxy:
                proxy.stop()
            for s in servers:
                s.stop()
    print(json.dumps(report, ensure_ascii=False))
    return 0 if report["errors"] == 0 and report["interactions"] and report["lost_writes"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
